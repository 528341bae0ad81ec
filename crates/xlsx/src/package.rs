//! The workbook package: the records sheet, deflated already, with the few fixed parts
//! a workbook needs around it ([Content_Types].xml, the relationships, workbook.xml,
//! styles.xml, docProps) and the legend sheet, in a zip (ECMA-376 part 2, the Open
//! Packaging Conventions).

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use crate::deflate::Piece;
use crate::sheet_xml::{DECLARATION, RowXml, Style, column_letters, sheet_end, sheet_start};
use crate::zip_writer::{Packed, ZipWriter};

/// A part deflated piece by piece into a temporary file, with its CRC-32 and sizes.
pub(crate) struct DeflatedPart {
    file: BufWriter<File>,
    crc: crc32fast::Hasher,
    plain_len: u64,
    packed_len: u64,
}

impl DeflatedPart {
    pub(crate) fn new() -> io::Result<Self> {
        Ok(DeflatedPart {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            crc: crc32fast::Hasher::new(),
            plain_len: 0,
            packed_len: 0,
        })
    }

    /// Appends the next piece of the part.
    pub(crate) fn push(&mut self, piece: Piece) -> io::Result<()> {
        self.file.write_all(&piece.packed)?;
        self.crc.combine(&piece.crc);
        self.plain_len += piece.plain_len;
        self.packed_len += piece.packed.len() as u64;
        Ok(())
    }
}

/// What the workbook says of the records sheet.
pub(crate) struct RecordsSheet {
    pub(crate) part: DeflatedPart,
    /// The range its autofilter covers (`A1:F21`), if it has columns.
    pub(crate) filtered: Option<String>,
}

/// The conventions, for whoever opens the workbook.
const LEGEND: [(&str, &str); 9] = [
    (
        "records",
        "One row per record; reading takes the first sheet and ignores this one.",
    ),
    (
        "provider.name",
        "A field inside a map; images.0.url: the url of a list's first item.",
    ),
    (
        "topics:list",
        "A list of plain values in one cell, items separated by \"; \".",
    ),
    (
        "score:float",
        "Floats: a whole number in this column reads back as 1.0, not 1.",
    ),
    (
        "big:number, x:any",
        "Text cells here are read as CSV cells: a number too long for a spreadsheet is kept as its exact text, and a string that looks like a number or boolean starts with '.",
    ),
    (
        "[]  {}",
        "An empty list, an empty map. The strings \"[]\", \"{}\" and \"\" are written '[], '{} and '.",
    ),
    (
        "body:more",
        "The rest of the cell to its left past 32,767 characters (a spreadsheet's limit).",
    ),
    (
        ":order",
        "For rows whose fields are not in column order: their columns in the record's order.",
    ),
    (
        "dates",
        "Text as the records hold them (ISO 8601 sorts as text): never changed by the spreadsheet.",
    ),
];

/// The legend sheet's XML.
fn legend_sheet() -> Vec<u8> {
    let letters = column_letters(2);
    let rows = LEGEND.len() as u32;
    let mut out = sheet_start(&letters, rows, [20, 100].into_iter(), false, false);
    let mut header = RowXml::new(&mut out, &letters, 1);
    header.text(0, "column", Style::Bold);
    header.text(1, "meaning", Style::Bold);
    header.end();
    for (i, (name, meaning)) in LEGEND.iter().enumerate() {
        let mut row = RowXml::new(&mut out, &letters, i as u32 + 2);
        row.text(0, name, Style::Plain);
        row.text(1, meaning, Style::Plain);
        row.end();
    }
    out.extend_from_slice(&sheet_end(&letters, rows, false));
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOCUMENT_RELATIONSHIPS: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const SPREADSHEET_TYPES: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml";

/// Bold (the header) and wrapped text (long cells), after the default format.
const STYLES: &str = "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
<font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>\
<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill></fills>\
<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
<cellXfs count=\"3\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment wrapText=\"1\"/></xf></cellXfs>\
<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>\
<dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>";

const APP: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>recast</Application></Properties>";

const CORE: &str = "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"/>";

/// The small parts, in the order they are written: name and XML (declaration aside).
fn fixed_parts(sheet: &RecordsSheet, legend: bool) -> Vec<(&'static str, String)> {
    let sheets = if legend { 2 } else { 1 };
    let mut types = format!(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"{SPREADSHEET_TYPES}.styles+xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"{SPREADSHEET_TYPES}.sheet.main+xml\"/>"
    );
    let mut sheet_list = String::new();
    let mut workbook_rels = format!("<Relationships xmlns=\"{RELATIONSHIPS}\">");
    for (i, name) in ["records", "legend"].iter().take(sheets).enumerate() {
        let n = i + 1;
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"{SPREADSHEET_TYPES}.worksheet+xml\"/>"
        ));
        sheet_list.push_str(&format!(
            "<sheet name=\"{name}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>"
        ));
        workbook_rels.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"{DOCUMENT_RELATIONSHIPS}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    types.push_str("</Types>");
    workbook_rels.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"{DOCUMENT_RELATIONSHIPS}/styles\" Target=\"styles.xml\"/></Relationships>",
        sheets + 1
    ));
    // An autofilter is a hidden name over the filtered range, as Excel writes it.
    let filter_name = match &sheet.filtered {
        Some(range) => {
            let absolute = range
                .split(':')
                .map(|cell| {
                    let digits = cell
                        .find(|c: char| c.is_ascii_digit())
                        .unwrap_or(cell.len());
                    format!("${}${}", &cell[..digits], &cell[digits..])
                })
                .collect::<Vec<_>>()
                .join(":");
            format!(
                "<definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" \
                 hidden=\"1\">records!{absolute}</definedName></definedNames>"
            )
        }
        None => String::new(),
    };
    let workbook = format!(
        "<workbook xmlns=\"{MAIN}\" xmlns:r=\"{DOCUMENT_RELATIONSHIPS}\"><bookViews><workbookView/></bookViews>\
         <sheets>{sheet_list}</sheets>{filter_name}</workbook>"
    );
    let package_rels = format!(
        "<Relationships xmlns=\"{RELATIONSHIPS}\">\
         <Relationship Id=\"rId1\" Type=\"{DOCUMENT_RELATIONSHIPS}/officeDocument\" Target=\"xl/workbook.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"{RELATIONSHIPS}/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         <Relationship Id=\"rId3\" Type=\"{DOCUMENT_RELATIONSHIPS}/extended-properties\" Target=\"docProps/app.xml\"/>\
         </Relationships>"
    );
    vec![
        ("[Content_Types].xml", types),
        ("_rels/.rels", package_rels),
        ("docProps/app.xml", APP.to_owned()),
        ("docProps/core.xml", CORE.to_owned()),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", workbook_rels),
        ("xl/styles.xml", STYLES.to_owned()),
    ]
}

/// Writes the workbook: the fixed parts, the records sheet, the legend sheet if asked.
pub(crate) fn write_package<W: Write>(
    output: W,
    sheet: RecordsSheet,
    legend: bool,
) -> io::Result<W> {
    let mut zip = ZipWriter::new(output);
    for (name, xml) in fixed_parts(&sheet, legend) {
        let mut part = DECLARATION.as_bytes().to_vec();
        part.extend_from_slice(xml.as_bytes());
        zip.add_whole(name, &part)?;
    }
    let RecordsSheet { part, .. } = sheet;
    let packed = Packed {
        crc: part.crc.finalize(),
        plain_len: part.plain_len,
        packed_len: part.packed_len,
    };
    let mut file = part.file.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(0))?;
    zip.add("xl/worksheets/sheet1.xml", &packed, |out| {
        let copied = io::copy(&mut file, out)?;
        match copied == packed.packed_len {
            true => Ok(()),
            false => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the temporary sheet file is truncated",
            )),
        }
    })?;
    if legend {
        zip.add_whole("xl/worksheets/sheet2.xml", &legend_sheet())?;
    }
    zip.finish()
}

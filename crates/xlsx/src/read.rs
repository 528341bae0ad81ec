//! [`XlsxReader`]: one record per row of a workbook's sheet, by CSV's convention.
//!
//! The workbook is checked ([`crate::guard`]), parsed by calamine ([`crate::rows`]),
//! and its sheet's cells handed to recast-csv's reader as exact CSV cells
//! ([`crate::sheet_text`]), so that header hints, dotted paths, list cells and the
//! `:order` column are read by the one piece of code that reads them from CSV.

use std::io::{Cursor, Read};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};

use calamine::{Reader, Sheets, open_workbook_from_rs};
use recast_csv::{CsvReadOptions, CsvReader, DelimiterChoice};
use recast_model::{Error, Location, Record, RecordReader, Result};

use crate::columns::cell_name;
use crate::guard::{self, Kind, Refusal};
use crate::options::XlsxReadOptions;
use crate::rows::SheetRows;
use crate::sheet_text::{Progress, SheetText};

/// How many cells a warning names before it only counts the rest.
const CELLS_NAMED: usize = 5;

enum State<R> {
    Start(R),
    Rows(Box<CsvReader<SheetText>>),
    Done,
}

/// Reads a workbook's sheet (`.xlsx`, `.xlsm`, `.xls`, `.ods`) into records: the first
/// sheet, or [`XlsxReadOptions::sheet`]. The first non-empty row is the header, by CSV's
/// convention (`provider.name`, `topics:list`, `score:float`); each further non-empty
/// row is a record. Cells keep their type (a text cell `007` is text, a numeric cell a
/// number, a date cell its ISO 8601 text); a header hint or the schema wins over it.
/// Formula cells are read as their cached values, merged cells as the value their
/// first cell holds, each with a warning (through the `log` crate) naming the cells.
///
/// The workbook file is read whole into memory when the first record is asked for (a
/// zip's directory is at its end); a workbook bigger than
/// [`XlsxReadOptions::max_part_bytes`], or whose parts inflate past it, is an error
/// before anything is parsed. An xlsx sheet is then streamed row by row (calamine's
/// cell reader, on a thread of its own, a few rows ahead); an ods or xls sheet is read
/// whole by calamine. Errors name the file and the sheet row.
pub struct XlsxReader<R: Read> {
    state: State<R>,
    file: Option<Arc<Path>>,
    options: XlsxReadOptions,
    /// Where the sheet's rows are, and what ended them, as the text is made.
    progress: Arc<Mutex<Progress>>,
    /// How many rows the CSV reader has answered for (records and row errors).
    answered: usize,
}

impl<R: Read> XlsxReader<R> {
    /// A reader of `input` with the default options; `source` names it in messages and
    /// records' origins (`None` for stdin).
    pub fn new(input: R, source: Option<Arc<Path>>) -> Self {
        Self::with_options(input, source, XlsxReadOptions::default())
    }

    /// A reader with explicit options. Nothing is read before the first record is
    /// asked for; a problem opening the workbook is the first item.
    pub fn with_options(input: R, source: Option<Arc<Path>>, options: XlsxReadOptions) -> Self {
        XlsxReader {
            state: State::Start(input),
            file: source,
            options,
            progress: Arc::default(),
            answered: 0,
        }
    }

    fn at(&self, line: u32) -> Location {
        Location::new(self.file.clone(), u64::from(line), 0)
    }

    fn open(&mut self, mut input: R) -> Result<CsvReader<SheetText>> {
        let limit = self.options.max_part_bytes;
        let mut bytes = Vec::new();
        (&mut input)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(self.file.clone(), e))?;
        if bytes.len() as u64 > limit {
            return Err(Error::limit(
                self.at(0),
                format!("the workbook is bigger than {limit} bytes; expected a smaller one"),
            ));
        }
        let kind = guard::check(&bytes, limit).map_err(|refusal| match refusal {
            Refusal::NotWorkbook(message) => Error::syntax(self.at(0), message),
            Refusal::TooBig(message) => Error::limit(self.at(0), message),
        })?;
        // calamine is not known to panic on any input, but a workbook is hostile input:
        // a panic in it is an error naming the file, never the end of the program.
        let sheet = catch_unwind(AssertUnwindSafe(|| {
            open_sheet(bytes, kind, self.options.sheet.as_deref())
        }))
        .unwrap_or_else(|_| Err("calamine could not parse the workbook".to_owned()))
        .map_err(|message| Error::syntax(self.at(0), message))?;
        self.warn_cached(&sheet);
        let text = SheetText::new(sheet.rows, self.file.clone(), self.progress.clone());
        let mut csv = CsvReadOptions::default();
        csv.delimiter = b',';
        csv.delimiter_choice = DelimiterChoice::Given;
        csv.sanitize = false;
        csv.infer_types = false;
        csv.schema = self.options.schema.clone();
        csv.max_record_bytes = self.options.max_record_bytes;
        Ok(CsvReader::with_options(text, self.file.clone(), csv))
    }

    /// Warns of formula cells of a sheet read whole (a streamed sheet's are counted as
    /// its rows are made) and of merged areas, whose cached values are read.
    fn warn_cached(&self, sheet: &Sheet) {
        let name = Location::new(self.file.clone(), 0, 0);
        if !sheet.formulas.is_empty() {
            log::warn!(
                "{name}: {} read as {} cached value{} (recast reads values, not formulas)",
                named_cells("formula cell", &sheet.formulas),
                if sheet.formulas.len() == 1 {
                    "its"
                } else {
                    "their"
                },
                if sheet.formulas.len() == 1 { "" } else { "s" },
            );
        }
        if !sheet.merged.is_empty() {
            log::warn!(
                "{name}: {} read as the value of {} first cell (the others are empty)",
                named_cells("merged area", &sheet.merged),
                if sheet.merged.len() == 1 {
                    "its"
                } else {
                    "each one's"
                },
            );
        }
    }

    /// Puts the sheet row in place of the CSV line in a record or error.
    fn locate(&mut self, item: Result<Record>) -> Result<Record> {
        let progress = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        let header_row = progress.header_row;
        let row = |answered: usize| progress.data_rows.get(answered).copied().unwrap_or(0);
        match item {
            Ok(mut record) => {
                record.origin.line = u64::from(row(self.answered));
                self.answered += 1;
                Ok(record)
            }
            Err(mut error) => {
                let line = if error.location.record.is_some() {
                    self.answered += 1;
                    row(self.answered - 1)
                } else {
                    header_row
                };
                error.location.line = u64::from(line);
                error.location.column = 0;
                Err(error)
            }
        }
    }
}

/// `formula cells C2, C3 and 4 more`: what a warning names.
fn named_cells(what: &str, cells: &[String]) -> String {
    let mut text = format!("{what}{} ", if cells.len() == 1 { "" } else { "s" });
    text.push_str(&cells[..cells.len().min(CELLS_NAMED)].join(", "));
    if cells.len() > CELLS_NAMED {
        text.push_str(&format!(" and {} more", cells.len() - CELLS_NAMED));
    }
    text
}

/// The sheet read, and what the warnings name.
struct Sheet {
    rows: SheetRows,
    formulas: Vec<String>,
    merged: Vec<String>,
}

fn open_sheet(bytes: Vec<u8>, kind: Kind, wanted: Option<&str>) -> Result<Sheet, String> {
    let cursor = Cursor::new(bytes);
    let broken = |e: &dyn std::fmt::Display| format!("not a readable workbook: {e}");
    let mut sheets: Sheets<Cursor<Vec<u8>>> = match kind {
        Kind::Xlsx => Sheets::Xlsx(open_workbook_from_rs(cursor).map_err(|e| broken(&e))?),
        Kind::Ods => Sheets::Ods(open_workbook_from_rs(cursor).map_err(|e| broken(&e))?),
        Kind::Xls => Sheets::Xls(open_workbook_from_rs(cursor).map_err(|e| broken(&e))?),
    };
    let names = sheets.sheet_names();
    let name = match wanted {
        Some(wanted) if names.iter().any(|n| n == wanted) => wanted.to_owned(),
        Some(wanted) => {
            return Err(format!(
                "the workbook has no sheet named {wanted:?}; its sheets are {}",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheet; expected at least one".to_owned())?,
    };
    let merged_areas = match &mut sheets {
        Sheets::Xlsx(xlsx) => xlsx.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let merged = merged_areas
        .iter()
        .map(|area| {
            format!(
                "{}:{}",
                cell_name(area.start.1 as usize, area.start.0 + 1),
                cell_name(area.end.1 as usize, area.end.0 + 1)
            )
        })
        .collect();
    if let Sheets::Xlsx(xlsx) = sheets {
        return Ok(Sheet {
            rows: SheetRows::streamed(xlsx, name)?,
            formulas: Vec::new(),
            merged,
        });
    }
    let range = sheets
        .worksheet_range(&name)
        .map_err(|e| format!("cannot read sheet {name:?}: {e}"))?;
    let formulas = match sheets.worksheet_formula(&name) {
        Ok(formulas) => {
            let (row0, col0) = formulas.start().unwrap_or((0, 0));
            formulas
                .used_cells()
                .filter(|(_, _, formula)| !formula.is_empty())
                .map(|(row, col, _)| cell_name(col0 as usize + col, row0 + row as u32 + 1))
                .collect()
        }
        Err(_) => Vec::new(),
    };
    Ok(Sheet {
        rows: SheetRows::whole(range),
        formulas,
        merged,
    })
}

impl<R: Read> Iterator for XlsxReader<R> {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return None,
                State::Start(input) => match self.open(input) {
                    Ok(rows) => self.state = State::Rows(Box::new(rows)),
                    Err(error) => return Some(Err(error)),
                },
                State::Rows(mut rows) => {
                    let Some(item) = rows.next() else {
                        // The rows ended: early, when the sheet broke off.
                        let failure = self.progress.lock().ok()?.failure.take()?;
                        return Some(Err(Error::syntax(self.at(0), failure)));
                    };
                    self.state = State::Rows(rows);
                    return Some(self.locate(item));
                }
            }
        }
    }
}

impl<R: Read> RecordReader for XlsxReader<R> {}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use recast_model::{ErrorKind, Map, RecordWriter};

    use super::*;
    use crate::{XlsxWriteOptions, XlsxWriter};

    fn workbook() -> Vec<u8> {
        let mut fields = Map::default();
        fields.insert("title".into(), "plain".into());
        let mut writer = XlsxWriter::new(Vec::new(), XlsxWriteOptions::default());
        writer
            .write_record(&Record::new(fields, Default::default()))
            .unwrap();
        writer.finish().unwrap();
        writer.into_inner()
    }

    /// The workbook with its first sheet's XML changed by `edit`.
    fn with_sheet(edit: impl Fn(String) -> String) -> Vec<u8> {
        let bytes = workbook();
        let mut source = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..source.len() {
            let mut part = source.by_index(i).unwrap();
            let name = String::from_utf8_lossy(part.name_raw()).into_owned();
            let mut data = Vec::new();
            part.read_to_end(&mut data).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                data = edit(String::from_utf8(data).unwrap()).into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    fn first(bytes: &[u8]) -> Result<Record> {
        let name: Arc<Path> = Path::new("hostile.xlsx").into();
        XlsxReader::new(bytes, Some(name)).next().unwrap()
    }

    #[test]
    fn xml_entities_are_never_expanded() {
        let bomb = with_sheet(|xml| {
            let dtd = "<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">\
                       <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>";
            let at = xml.find("?>").unwrap() + 2;
            let xml = format!("{}{dtd}{}", &xml[..at], &xml[at..]);
            xml.replacen(">plain<", ">&b;<", 1)
        });
        let error = first(&bomb).unwrap_err();
        assert!(error.to_string().starts_with("hostile.xlsx:"), "{error}");
        assert!(error.to_string().contains("entity"), "{error}");
    }

    #[test]
    fn a_sheet_inflating_past_the_limit_is_refused_before_parsing() {
        let big =
            with_sheet(|xml| xml.replacen(">plain<", &format!(">{}<", "x".repeat(1 << 20)), 1));
        let options = XlsxReadOptions {
            max_part_bytes: 256 << 10,
            ..XlsxReadOptions::default()
        };
        let error = XlsxReader::with_options(&big[..], None, options)
            .next()
            .unwrap()
            .unwrap_err();
        assert_eq!(error.kind, ErrorKind::Limit, "{error}");
        assert!(error.to_string().contains("zip bomb"), "{error}");
    }

    #[test]
    fn a_value_past_the_header_is_an_error_never_dropped() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "title").unwrap();
        sheet.write_string(1, 0, "kept").unwrap();
        sheet.write_string(2, 0, "also kept").unwrap();
        sheet.write_string(2, 2, "no column").unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let name: Arc<Path> = Path::new("wide.xlsx").into();
        let items: Vec<Result<Record>> = XlsxReader::new(&bytes[..], Some(name)).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].as_ref().unwrap().origin.line, 2);
        let error = items[1].as_ref().unwrap_err();
        assert_eq!(error.location.line, 3, "{error}");
        assert!(
            error.to_string().contains("but the header has 1"),
            "{error}"
        );
    }

    #[test]
    fn a_truncated_workbook_is_an_error_not_a_panic() {
        let bytes = workbook();
        for cut in [10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
            assert!(first(&bytes[..cut]).is_err());
        }
    }
}

//! Checks a workbook before calamine parses it: that it is a workbook at all, and that
//! no part of a zip workbook inflates past the limit (a zip bomb is a tiny file whose
//! sheet inflates to gigabytes, and calamine holds some parts in memory whole).
//!
//! The check reads the sizes the zip's directory declares, without inflating anything:
//! the zip crate (9.0.1 and later, which calamine reads with too) fails a part's read as
//! soon as it inflates past its declared size, so a part that lies about its size is an
//! error while calamine reads it, never more bytes than declared.

use std::io::{Read, Seek};

use zip::ZipArchive;

/// What kind of file a workbook is, from its first bytes and, for a zip, its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Office Open XML: .xlsx, .xlsm.
    Xlsx,
    /// OpenDocument: .ods.
    Ods,
    /// Excel 97–2003, an OLE2 compound file: .xls.
    Xls,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Why a workbook is refused before parsing: the message says what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a workbook, or a broken one.
    NotWorkbook(String),
    /// A part inflates past the limit.
    TooBig(String),
}

/// The limits a workbook is checked against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The most bytes a zip part may declare.
    pub part: u64,
    /// The most bytes of a sheet calamine reads whole: an ods's `content.xml`, an xls file.
    pub whole_sheet: u64,
}

/// The workbook's kind, once every zip part is checked to declare at most `limits.part`
/// bytes and a sheet read whole to be at most `limits.whole_sheet`; `head` is the
/// workbook's first bytes, `len` its size.
pub(crate) fn check(
    head: &[u8],
    len: u64,
    workbook: impl Read + Seek,
    limits: Limits,
) -> Result<Kind, Refusal> {
    use Refusal::{NotWorkbook, TooBig};
    let max_part_bytes = limits.part;
    if head.starts_with(OLE_MAGIC) {
        if len > limits.whole_sheet {
            return Err(TooBig(read_whole("the xls workbook", len, limits)));
        }
        return Ok(Kind::Xls);
    }
    if !head.starts_with(ZIP_MAGIC) {
        return Err(NotWorkbook(
            "not a spreadsheet; expected an xlsx, xlsm or ods workbook (a zip file) or an \
             xls workbook (an OLE2 file)"
                .to_owned(),
        ));
    }
    let mut zip = ZipArchive::new(workbook).map_err(|e| {
        NotWorkbook(format!(
            "not a readable workbook: the zip file is broken ({e})"
        ))
    })?;
    let mut kind = Kind::Xlsx;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|e| {
            NotWorkbook(format!(
                "not a readable workbook: part {i} of the zip is broken ({e})"
            ))
        })?;
        let name = String::from_utf8_lossy(part.name_raw()).into_owned();
        if name == "content.xml" {
            kind = Kind::Ods;
            if part.size() > limits.whole_sheet {
                let what = "the ods workbook's part \"content.xml\"";
                return Err(TooBig(read_whole(what, part.size(), limits)));
            }
        }
        if part.size() > max_part_bytes {
            return Err(TooBig(format!(
                "the workbook's part {name:?} inflates to {} bytes, more than the \
                 {max_part_bytes} allowed (a zip bomb?); expected a smaller workbook \
                 (--max-record-size raises the limit)",
                part.size()
            )));
        }
    }
    Ok(kind)
}

/// The refusal of a sheet too big to be read whole.
fn read_whole(what: &str, size: u64, limits: Limits) -> String {
    format!(
        "{what} holds {size} bytes, more than the {} allowed for a sheet read whole (only \
         xlsx sheets are streamed); expected a smaller workbook, or one saved as xlsx \
         (--max-record-size raises the limit)",
        limits.whole_sheet
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn check_bytes(bytes: &[u8], max_part_bytes: u64) -> Result<Kind, Refusal> {
        let limits = Limits {
            part: max_part_bytes,
            whole_sheet: max_part_bytes,
        };
        check(bytes, bytes.len() as u64, Cursor::new(bytes), limits)
    }

    fn message(refusal: Refusal) -> String {
        match refusal {
            Refusal::NotWorkbook(m) | Refusal::TooBig(m) => m,
        }
    }

    #[test]
    fn files_that_are_no_workbook_are_named_so() {
        let error = message(check_bytes(b"title,body\n", 1 << 20).unwrap_err());
        assert!(error.contains("not a spreadsheet"), "{error}");
        let error = message(check_bytes(b"PK\x03\x04garbage", 1 << 20).unwrap_err());
        assert!(error.contains("zip file is broken"), "{error}");
    }

    #[test]
    fn a_part_inflating_past_the_limit_is_refused() {
        let bomb = vec![b'a'; 4 << 20];
        let zip = zip_of(&[("xl/worksheets/sheet1.xml", &bomb)]);
        assert!(zip.len() < 64 << 10);
        let Err(Refusal::TooBig(error)) = check_bytes(&zip, 1 << 20) else {
            panic!("the bomb was not refused");
        };
        assert!(error.contains("zip bomb"), "{error}");
        assert_eq!(check_bytes(&zip, 8 << 20), Ok(Kind::Xlsx));
        assert_eq!(
            check_bytes(&zip_of(&[("content.xml", b"<x/>")]), 1 << 20),
            Ok(Kind::Ods)
        );
    }

    #[test]
    fn a_part_inflating_past_its_declared_size_fails_when_read() {
        let mut zip = zip_of(&[("xl/worksheets/sheet1.xml", &vec![b'a'; 4 << 20])]);
        // Declare 1,000 bytes, in the local header and in the directory.
        for (signature, at) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
            let start = zip.windows(4).position(|w| w == signature).unwrap() + at;
            zip[start..start + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
        assert_eq!(check_bytes(&zip, 1 << 20), Ok(Kind::Xlsx));
        let mut archive = ZipArchive::new(Cursor::new(&zip)).unwrap();
        let mut part = archive.by_index(0).unwrap();
        let mut inflated = Vec::new();
        assert!(part.read_to_end(&mut inflated).is_err());
        assert!(inflated.len() <= 1001, "{}", inflated.len());
    }

    #[test]
    fn sheets_read_whole_are_bounded_apart() {
        let ods = zip_of(&[("content.xml", &vec![b'a'; 4 << 10])]);
        let limits = Limits {
            part: 1 << 20,
            whole_sheet: 1 << 10,
        };
        let refused = check(&ods, ods.len() as u64, Cursor::new(&ods), limits);
        let Err(Refusal::TooBig(error)) = refused else {
            panic!("the ods was not refused");
        };
        assert!(
            error.contains("\"content.xml\" holds 4096 bytes"),
            "{error}"
        );
        assert!(error.contains("saved as xlsx"), "{error}");
        let xls = [OLE_MAGIC, &[0; 2048]].concat();
        let refused = check(&xls, xls.len() as u64, Cursor::new(&xls), limits);
        assert!(matches!(refused, Err(Refusal::TooBig(_))));
        let xlsx = zip_of(&[("xl/worksheets/sheet1.xml", &vec![b'a'; 4 << 10])]);
        let checked = check(&xlsx, xlsx.len() as u64, Cursor::new(&xlsx), limits);
        assert_eq!(checked, Ok(Kind::Xlsx));
    }
}

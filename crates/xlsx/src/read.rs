//! [`XlsxReader`]: one record per row of a workbook's sheet, by CSV's convention.
//!
//! The workbook is checked ([`crate::guard`]), parsed by calamine ([`crate::rows`]),
//! and its sheet's cells handed to recast-csv's reader as exact CSV cells
//! ([`crate::sheet_text`]), so that header hints, dotted paths, list cells and the
//! `:order` column are read by the one piece of code that reads them from CSV.

use std::fs::File;
use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use calamine::{Dimensions, Reader, Sheets, Xlsx, open_workbook_from_rs};
use recast_csv::{CsvReadOptions, CsvReader, DelimiterChoice};
use recast_model::{Error, Location, Record, RecordReader, Result};

use crate::columns::cell_name;
use crate::guard::{self, Kind, Limits, Refusal};
use crate::merged;
use crate::options::XlsxReadOptions;
use crate::rows::SheetRows;
use crate::sheet_text::{Progress, SheetText};
use crate::source::{Source, Unread, Workbook};

/// How many cells a warning names before it only counts the rest.
const CELLS_NAMED: usize = 5;

/// Where a workbook comes from: a stream (copied, since a zip is read by seeking), or
/// its file.
enum Input<R> {
    Stream(R),
    File(File),
}

enum State<R> {
    Start(Input<R>),
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
/// A zip's directory is at its end, so a workbook is read by seeking in it: in its file
/// ([`XlsxReader::from_file`]), or in a copy of the stream made when the first record is
/// asked for (in memory up to 8 MiB, in a temporary file past that). A workbook bigger
/// than [`XlsxReadOptions::max_part_bytes`], or whose parts declare more, is an error
/// before anything is parsed (a part inflating past its declared size is an error as
/// it is read); so is an ods or xls sheet bigger than
/// [`XlsxReadOptions::max_whole_sheet_bytes`]. An xlsx sheet is streamed row by row (calamine's cell reader, on a
/// thread of its own, a few rows ahead), so memory holds a few rows (and the shared
/// strings, when the workbook has them) whatever the sheet's size; an ods or xls sheet
/// is read whole by calamine. Errors name the file and the sheet row.
pub struct XlsxReader<R: Read> {
    state: State<R>,
    file: Option<Arc<Path>>,
    options: XlsxReadOptions,
    /// Where the sheet's rows are, and what ended them, as the text is made.
    progress: Arc<Mutex<Progress>>,
    /// The merged areas of a streamed sheet, found on a thread of their own while the
    /// rows are read (they follow the rows in the sheet): warned of when the rows end.
    merged: Option<JoinHandle<Vec<String>>>,
}

impl XlsxReader<File> {
    /// A reader of the workbook in `file`, read from the file itself (seeking in it),
    /// never copied (a file that is no regular file, such as a named pipe, is read as a
    /// stream is); `source` names it in messages and records' origins.
    pub fn from_file(file: File, source: Option<Arc<Path>>, options: XlsxReadOptions) -> Self {
        Self::starting(Input::File(file), source, options)
    }
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
        Self::starting(Input::Stream(input), source, options)
    }

    fn starting(input: Input<R>, source: Option<Arc<Path>>, options: XlsxReadOptions) -> Self {
        XlsxReader {
            state: State::Start(input),
            file: source,
            options,
            progress: Arc::default(),
            merged: None,
        }
    }

    fn at(&self, line: u32) -> Location {
        Location::new(self.file.clone(), u64::from(line), 0)
    }

    fn open(&mut self, input: Input<R>) -> Result<CsvReader<SheetText>> {
        let limit = self.options.max_part_bytes;
        let workbook = match input {
            Input::Stream(stream) => Workbook::spool(stream, limit),
            Input::File(file) => Workbook::file(file, limit),
        }
        .map_err(|unread| match unread {
            Unread::Io(e) => Error::io(self.file.clone(), e),
            Unread::TooBig => Error::limit(
                self.at(0),
                format!("the workbook is bigger than {limit} bytes; expected a smaller one"),
            ),
        })?;
        let head = workbook
            .head(8)
            .map_err(|e| Error::io(self.file.clone(), e))?;
        let limits = Limits {
            part: limit,
            whole_sheet: self.options.max_whole_sheet_bytes,
        };
        let checked = guard::check(&head, workbook.len(), workbook.clone(), limits);
        let kind = checked.map_err(|refusal| match refusal {
            Refusal::NotWorkbook(message) => Error::syntax(self.at(0), message),
            Refusal::TooBig(message) => Error::limit(self.at(0), message),
        })?;
        // calamine is not known to panic on any input, but a workbook is hostile input:
        // a panic in it is an error naming the file, never the end of the program.
        let sheet = catch_unwind(AssertUnwindSafe(|| {
            open_sheet(workbook, kind, self.options.sheet.as_deref())
        }))
        .unwrap_or_else(|_| Err("calamine could not parse the workbook".to_owned()))
        .map_err(|message| Error::syntax(self.at(0), message))?;
        self.warn_cached(&sheet);
        if let Merged::Pending(areas) = sheet.merged {
            self.merged = Some(areas);
        }
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
    /// its rows are made) and of merged areas, once known, whose cached values are read.
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
        if let Merged::Known(areas) = &sheet.merged {
            self.warn_merged(areas);
        }
    }

    fn warn_merged(&self, areas: &[String]) {
        if !areas.is_empty() {
            log::warn!(
                "{}: {} read as the value of {} first cell (the others are empty)",
                Location::new(self.file.clone(), 0, 0),
                named_cells("merged area", areas),
                if areas.len() == 1 {
                    "its"
                } else {
                    "each one's"
                },
            );
        }
    }

    /// Puts the sheet row in place of the CSV line in a record or error.
    fn locate(&mut self, item: Result<Record>) -> Result<Record> {
        let mut progress = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        match item {
            Ok(mut record) => {
                record.origin.line = u64::from(progress.data_rows.pop_front().unwrap_or(0));
                Ok(record)
            }
            Err(mut error) => {
                let line = if error.location.record.is_some() {
                    progress.data_rows.pop_front().unwrap_or(0)
                } else {
                    progress.header_row
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
    merged: Merged,
}

/// A sheet's merged areas, named `A3:B3`: known, or being found.
enum Merged {
    Known(Vec<String>),
    Pending(JoinHandle<Vec<String>>),
}

fn open_sheet(workbook: Workbook, kind: Kind, wanted: Option<&str>) -> Result<Sheet, String> {
    let broken = |e: &dyn std::fmt::Display| format!("not a readable workbook: {e}");
    let sheets: Sheets<Source> = match kind {
        Kind::Xlsx => {
            Sheets::Xlsx(open_workbook_from_rs(workbook.source()).map_err(|e| broken(&e))?)
        }
        Kind::Ods => Sheets::Ods(open_workbook_from_rs(workbook.source()).map_err(|e| broken(&e))?),
        Kind::Xls => Sheets::Xls(open_workbook_from_rs(workbook.source()).map_err(|e| broken(&e))?),
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
    match sheets {
        Sheets::Xlsx(xlsx) => {
            // Merged areas follow the rows in an xlsx sheet: they are found on another
            // thread as the rows are read.
            let merged = merged_areas_later(workbook, name.clone())?;
            Ok(Sheet {
                rows: SheetRows::streamed(xlsx, name)?,
                formulas: Vec::new(),
                merged: Merged::Pending(merged),
            })
        }
        mut sheets => {
            let merged = match &mut sheets {
                Sheets::Xls(xls) => xls.merge_cells_by_sheet_name(&name).unwrap_or_default(),
                _ => Vec::new(),
            };
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
                merged: Merged::Known(area_names(&merged)),
            })
        }
    }
}

/// `A3:B3` for each area.
fn area_names(areas: &[Dimensions]) -> Vec<String> {
    areas
        .iter()
        .map(|area| {
            format!(
                "{}:{}",
                cell_name(area.start.1 as usize, area.start.0 + 1),
                cell_name(area.end.1 as usize, area.end.0 + 1)
            )
        })
        .collect()
}

/// The merged areas of the xlsx sheet `name`, found on a thread of their own (none when
/// the sheet cannot be read: the rows' reading reports that).
fn merged_areas_later(workbook: Workbook, name: String) -> Result<JoinHandle<Vec<String>>, String> {
    std::thread::Builder::new()
        .name("recast-xlsx-merged".into())
        .spawn(move || {
            catch_unwind(AssertUnwindSafe(|| {
                merged::merged_areas(workbook.source(), &name).or_else(|| {
                    // A package laid out as no writer does: calamine's own pass.
                    let mut xlsx: Xlsx<Source> = open_workbook_from_rs(workbook.source()).ok()?;
                    let areas = xlsx.merge_cells_by_sheet_name(&name).ok()?;
                    Some(area_names(&areas))
                })
            }))
            .ok()
            .flatten()
            .unwrap_or_default()
        })
        .map_err(|e| format!("cannot start the sheet's reading thread: {e}"))
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
                        if let Some(merged) = self.merged.take() {
                            self.warn_merged(&merged.join().unwrap_or_default());
                        }
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
    use std::io::{Cursor, Write};

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

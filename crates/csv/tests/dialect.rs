//! `CsvReader::dialect`: what a writer needs to write a sheet back in its own form, and
//! sheets whose first rows do not fit in the bytes sniffing looks at.

use std::cell::RefCell;

use recast_csv::{
    CsvReadOptions, CsvReader, DelimiterChoice, DelimiterFrom, Dialect, LineEnding, SNIFF_BYTES,
};
use recast_model::Record;

/// Keeps the warnings the reader logs (`log::warn!`), each test thread its own.
struct KeepWarnings;

thread_local! {
    static WARNINGS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

impl log::Log for KeepWarnings {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            WARNINGS.with(|w| w.borrow_mut().push(record.args().to_string()));
        }
    }

    fn flush(&self) {}
}

/// The warnings logged on this thread since the last `collecting`.
#[derive(Clone, Copy)]
struct Warnings;

impl Warnings {
    fn taken(self) -> Vec<String> {
        WARNINGS.with(|w| w.borrow().clone())
    }
}

/// Default options with the warnings kept, and the warnings.
fn collecting() -> (CsvReadOptions, Warnings) {
    static LOGGER: KeepWarnings = KeepWarnings;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
    WARNINGS.with(|w| w.borrow_mut().clear());
    (CsvReadOptions::default(), Warnings)
}

fn read(sheet: &[u8], options: CsvReadOptions) -> (Dialect, Vec<Record>) {
    let mut reader = CsvReader::with_options(sheet, None, options);
    let dialect = *reader.dialect();
    let records = reader.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
    (dialect, records)
}

#[test]
fn the_reader_tells_what_it_saw() {
    let (options, warnings) = collecting();
    let (dialect, records) = read(
        b"\xEF\xBB\xBFsep=;\r\nname;qty\r\nApple;3\r\n;\r\nPear;4\r\n",
        options,
    );
    assert_eq!(
        dialect,
        Dialect {
            delimiter: b';',
            delimiter_from: DelimiterFrom::SepLine,
            bom: true,
            sep_line: true,
            line_ending: LineEnding::CrLf,
        }
    );
    let lines: Vec<u64> = records.iter().map(|r| r.origin.line).collect();
    assert_eq!(lines, [3, 5]);
    assert_eq!(
        warnings.taken(),
        ["<stdin>: skipped 1 row with every cell empty (line 4); blank rows are no records"]
    );

    let (options, warnings) = collecting();
    let (dialect, _) = read(b"a\tb\n1\t2\n", options);
    assert_eq!(
        (
            dialect.delimiter,
            dialect.delimiter_from,
            dialect.bom,
            dialect.sep_line
        ),
        (b'\t', DelimiterFrom::Sniffed, false, false)
    );
    assert_eq!(dialect.line_ending, LineEnding::Lf);
    assert_eq!(warnings.taken().len(), 1);

    // TSV: the extension's tab, no sniffing.
    let (dialect, _) = read(b"a;b\n1;2\n", CsvReadOptions::tsv());
    assert_eq!(
        (dialect.delimiter, dialect.delimiter_from),
        (b'\t', DelimiterFrom::Default)
    );
    // Given: always.
    let given = {
        let mut options = CsvReadOptions::default();
        options.delimiter = b'|';
        options.delimiter_choice = DelimiterChoice::Given;
        options
    };
    let (dialect, _) = read(b"a;b\n1;2\n", given);
    assert_eq!(
        (dialect.delimiter, dialect.delimiter_from),
        (b'|', DelimiterFrom::Given)
    );
}

/// Sniffing sees only the first `SNIFF_BYTES`; a header longer than that is still read
/// whole, and a sheet much longer is read to its end.
#[test]
fn sniffing_looks_at_a_bounded_prefix() {
    let long = "x".repeat(SNIFF_BYTES + 100);
    let sheet = format!("{long};b\n1;2\n");
    let (options, _) = collecting();
    let (dialect, records) = read(sheet.as_bytes(), options);
    // Nothing to go by in the prefix: the default delimiter.
    assert_eq!(
        (dialect.delimiter, dialect.delimiter_from),
        (b',', DelimiterFrom::Default)
    );
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].fields.len(), 1);

    let mut sheet = String::from("a;b\n");
    for i in 0..20_000 {
        sheet.push_str(&format!("{i};{}\n", i * 2));
    }
    let (options, _) = collecting();
    let (dialect, records) = read(sheet.as_bytes(), options);
    assert_eq!(dialect.delimiter, b';');
    assert_eq!(records.len(), 20_000);
    assert_eq!(records[19_999].origin.line, 20_001);
}

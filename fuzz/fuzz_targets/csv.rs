//! CSV and TSV: any bytes read without a panic or a hang, with and without sanitizing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_csv::{CsvReadOptions, CsvReader};
use recast_fuzz::read_all;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    // The first byte picks the options, so one corpus covers all of them.
    let mut options = if first & 1 == 0 {
        CsvReadOptions::default()
    } else {
        CsvReadOptions::tsv()
    };
    options.sanitize = first & 2 == 0;
    options.infer_rows = if first & 4 == 0 { 1000 } else { 1 };
    let _ = read_all(CsvReader::with_options(rest, None, options));
});

//! Workbooks: any bytes read without a panic or a hang, within small limits. Seeds are
//! real workbooks (fuzz/seeds/xlsx), so that mutations reach calamine's XML parsing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_fuzz::read_all;
use recast_xlsx::{XlsxReadOptions, XlsxReader};

fuzz_target!(|data: &[u8]| {
    let mut options = XlsxReadOptions::default();
    options.max_part_bytes = 4 << 20;
    options.max_whole_sheet_bytes = 4 << 20;
    options.max_record_bytes = 1 << 20;
    let _ = read_all(XlsxReader::with_options(data, None, options));
});

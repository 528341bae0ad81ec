//! JSON Lines: any bytes read without a panic or a hang, and records that read write
//! back to JSON Lines that reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_fuzz::{read_all, write_all};
use recast_json::{JsonLinesReader, JsonLinesWriter};

fuzz_target!(|data: &[u8]| {
    let Some(records) = read_all(JsonLinesReader::new(data, None)) else {
        return;
    };
    let mut out = Vec::new();
    write_all(JsonLinesWriter::new(&mut out, Default::default()), &records, "JSON Lines");
    let back = read_all(JsonLinesReader::new(&out[..], None));
    assert_eq!(
        back.as_deref(),
        Some(&records[..]),
        "JSON Lines round trip differs:\n{}",
        String::from_utf8_lossy(&out)
    );
});

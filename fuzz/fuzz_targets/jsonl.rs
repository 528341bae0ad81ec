//! JSON Lines: any bytes read without a panic or a hang, and records that read write
//! back to JSON Lines that reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_fuzz::read_all;
use recast_json::{JsonLinesReader, JsonLinesWriter};
use recast_model::RecordWriter;

fuzz_target!(|data: &[u8]| {
    let Some(records) = read_all(JsonLinesReader::new(data, None)) else {
        return;
    };
    let mut writer = JsonLinesWriter::new(Vec::new());
    for record in &records {
        writer
            .write_record(record)
            .expect("a record read from JSON Lines writes");
    }
    writer.finish().expect("finishes");
    let out = writer.into_inner();
    let back = read_all(JsonLinesReader::new(&out[..], None));
    assert_eq!(
        back.as_deref(),
        Some(&records[..]),
        "JSON Lines round trip differs:\n{}",
        String::from_utf8_lossy(&out)
    );
});

//! JSON arrays (and a pointer into a dump): any bytes read without a panic or a hang,
//! and records that read write back to JSON that reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_fuzz::{read_all, write_all};
use recast_json::{JsonReader, JsonWriter};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = recast_json::parse_value(text);
    }
    let mut options = recast_json::JsonReadOptions::default();
    options.select = Some("/a".into());
    let _ = read_all(JsonReader::with_options(data, None, options));
    let Some(records) = read_all(JsonReader::new(data, None)) else {
        return;
    };
    let mut out = Vec::new();
    write_all(JsonWriter::new(&mut out, Default::default()), &records, "JSON");
    let back = read_all(JsonReader::new(&out[..], None));
    assert_eq!(
        back.as_deref(),
        Some(&records[..]),
        "JSON round trip differs:\n{}",
        String::from_utf8_lossy(&out)
    );
});

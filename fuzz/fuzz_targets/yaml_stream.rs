//! YAML streams: any bytes read without a panic or a hang, and records that read write
//! back to YAML that reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_fuzz::{read_all, write_all};
use recast_yaml::{YamlReadOptions, YamlReader, YamlWriter};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = recast_yaml::parse_value(text, None, 1, &YamlReadOptions::default());
    }
    let Some(records) = read_all(YamlReader::new(data, None)) else {
        return;
    };
    let mut out = Vec::new();
    write_all(YamlWriter::new(&mut out, recast_yaml::YamlWriteOptions::default()), &records, "YAML");
    let back = read_all(YamlReader::new(&out[..], None));
    assert_eq!(
        back.as_deref(),
        Some(&records[..]),
        "YAML round trip differs:\n{}",
        String::from_utf8_lossy(&out)
    );
});

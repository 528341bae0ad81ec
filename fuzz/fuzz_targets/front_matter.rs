//! Markdown with YAML front matter: any bytes read without a panic or a hang, and a
//! record that reads writes back to Markdown that reads back equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_yaml::{read_markdown, to_markdown_string};

fuzz_target!(|data: &[u8]| {
    let Ok(record) = read_markdown(data, None) else {
        return;
    };
    let text = to_markdown_string(&record);
    let back = read_markdown(text.as_bytes(), None)
        .unwrap_or_else(|e| panic!("written Markdown does not read back: {e}\n{text}"));
    assert_eq!(back, record, "Markdown round trip differs:\n{text}");
});

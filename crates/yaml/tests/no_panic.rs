//! Property: no input makes a reader panic; every failure is an `Error` with a location.

use proptest::prelude::*;
use recast_model::ErrorKind;
use recast_yaml::{YamlReadOptions, YamlReader, parse_scalar, read_markdown};

/// YAML-ish pieces, so random inputs reach deep into the parser instead of failing on
/// the first byte.
const PIECES: &[&str] = &[
    "---\n",
    "...\n",
    "---",
    "\n",
    "\r\n",
    " ",
    "  ",
    "\t",
    "a",
    "b: ",
    "- ",
    "? ",
    ": ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&x ",
    "*x",
    "*y",
    "&y ",
    "!!str ",
    "!!int ",
    "!!map ",
    "!t ",
    "! ",
    "|",
    "|-",
    "|+",
    ">",
    "|2",
    "'",
    "\"",
    "\\",
    "#",
    "%YAML 1.2\n",
    "%TAG ! x\n",
    "007",
    "1.0",
    "~",
    "null",
    "body: ",
    "\u{feff}",
    "\u{85}",
    "é",
    "\u{0}",
    "\u{ff}",
];

fn yamlish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(PIECES), 0..40)
            .prop_map(|p| p.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..200),
        (
            prop::collection::vec(prop::sample::select(PIECES), 0..30),
            any::<u8>(),
            any::<usize>()
        )
            .prop_map(|(p, byte, at)| {
                // Valid-looking text with one arbitrary byte somewhere.
                let mut bytes = p.concat().into_bytes();
                let at = at % (bytes.len() + 1);
                bytes.insert(at, byte);
                bytes
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn markdown_reader_never_panics(text in yamlish()) {
        let mut file = b"---\n".to_vec();
        file.extend_from_slice(&text);
        for input in [&text[..], &file[..]] {
            if let Err(e) = read_markdown(input, None) {
                prop_assert!(e.location.line > 0 || e.kind == ErrorKind::Io, "{}", e);
            }
        }
    }

    #[test]
    fn stream_reader_never_panics(text in yamlish()) {
        let mut options = YamlReadOptions::default();
        options.max_nodes = 10_000;
        options.max_depth = 16;
        options.max_document_bytes = 4096;
        for result in YamlReader::with_options(&text[..], None, options).take(100) {
            if let Err(e) = result {
                prop_assert!(e.location.line > 0, "{}", e);
            }
        }
    }

    #[test]
    fn scalar_resolution_never_panics(text in "\\PC{0,16}") {
        let _ = parse_scalar(&text);
    }
}

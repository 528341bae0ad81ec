//! Property: any record survives write → read, as a Markdown file and in a YAML stream.

use proptest::prelude::*;
use recast_model::{Map, Number, Record, RecordWriter, Value};
use recast_yaml::{
    YamlReadOptions, YamlReader, YamlWriter, parse_document, parse_value, read_markdown,
    to_markdown_string, to_yaml_string,
};

/// Pieces that trip YAML writers: indicators, lookalikes of other types, line breaks,
/// quotes, control and invisible characters.
const FRAGMENTS: &[&str] = &[
    "---",
    "...",
    "#",
    " #",
    ": ",
    ":",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "'",
    "\"",
    "\\",
    "-",
    "- ",
    "? ",
    "?",
    "|",
    ">",
    "007",
    "-01",
    "2024",
    "1e3",
    "0x1F",
    "1_000",
    "1:30",
    "true",
    "True",
    "yes",
    "on",
    "y",
    "N",
    "null",
    "~",
    ".inf",
    "nan",
    "2020-11-11",
    "2020-11-11T16:36:00Z",
    "x",
    "word",
    "é",
    "日本経済新聞",
    "😀",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "\u{0}",
    "\u{1b}",
    "\u{7f}",
    "\u{9f}",
    "%",
    "@",
    "`",
    "&a",
    "*a",
    "!",
    "!!str",
    "{",
    "}",
    "[",
    "]",
    ",",
    "<<",
    "=",
    "https://x.org/a?b=1&c=2#f",
];

fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(prop::sample::select(FRAGMENTS), 0..6).prop_map(|p| p.concat()),
        "\\PC{0,12}",
        "[ -~\t\n\r]{0,16}",
    ]
}

fn number() -> impl Strategy<Value = Number> {
    let edges = prop::sample::select(vec![
        "-9223372036854775808",
        "9223372036854775807",
        "18446744073709551615",
        "12345678901234567890123",
        "-12345678901234567890123",
        "1.0",
        "-0.0",
        "0",
        "-0",
        "1e300",
        "1.5e-7",
        "2E-3",
        "0.1",
    ])
    .prop_map(|t| Number::parse(t).unwrap());
    prop_oneof![
        edges,
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_map(Number::from_f64),
        "-?[1-9][0-9]{0,40}(\\.[0-9]{1,5})?".prop_map(|t| Number::parse(&t).unwrap()),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        tricky_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            prop::collection::vec((tricky_string(), inner), 0..5)
                .prop_map(|entries| Value::Map(entries.into_iter().collect())),
        ]
    })
}

fn fields() -> impl Strategy<Value = Map> {
    prop::collection::vec((tricky_string(), value()), 0..8).prop_map(|entries| {
        entries
            .into_iter()
            .filter(|(key, _)| key != "body")
            .collect()
    })
}

/// Bodies: Markdown with rules, CRLF, trailing spaces, blank lines at either end.
fn body() -> impl Strategy<Value = Option<String>> {
    let line = prop_oneof![
        Just("---".to_owned()),
        Just("...".to_owned()),
        Just("".to_owned()),
        Just("```yaml".to_owned()),
        Just("text with trailing spaces   ".to_owned()),
        "\\PC{0,20}",
    ];
    let end = prop::sample::select(vec!["\n", "\r\n", ""]);
    prop::option::of(prop::collection::vec((line, end), 0..6).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(line, end)| format!("{line}{end}"))
            .collect::<String>()
    }))
}

fn record() -> impl Strategy<Value = Record> {
    (fields(), body()).prop_map(|(fields, body)| {
        let mut record = Record::new(fields, Default::default());
        if let Some(body) = body {
            record.set_body(body);
        }
        record
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn records_survive_markdown(record in record()) {
        let text = to_markdown_string(&record);
        let back = read_markdown(text.as_bytes(), None)
            .unwrap_or_else(|e| panic!("{e}\n--- written:\n{text}"));
        prop_assert_eq!(back, record, "written:\n{}", text);
    }

    #[test]
    fn records_survive_a_yaml_stream(
        records in prop::collection::vec((fields(), value()).prop_map(|(mut fields, extra)| {
            // In a stream the body is an ordinary field, in any position.
            fields.insert("body".into(), extra);
            fields.move_index(fields.len() - 1, 0);
            Record::new(fields, Default::default())
        }), 0..4)
    ) {
        let mut out = Vec::new();
        let mut writer = YamlWriter::new(&mut out, recast_yaml::YamlWriteOptions::default());
        for record in &records {
            writer.write_record(record).unwrap();
        }
        writer.finish().unwrap();
        drop(writer);
        let text = String::from_utf8(out).unwrap();
        let back: Vec<Record> = YamlReader::new(text.as_bytes(), None)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}\n--- written:\n{text}"));
        prop_assert_eq!(back, records, "written:\n{}", text);
    }

    #[test]
    fn single_values_survive(value in value()) {
        let text = to_yaml_string(&value);
        let back = parse_value(&text, None, 1, &YamlReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n--- written:\n{text}"));
        prop_assert!(recast_model::strict_eq(&back, &value), "written:\n{}\nread: {:?}", text, back);
    }

    #[test]
    fn plain_scalars_resolve_like_documents(text in "\\PC{0,12}") {
        // Whatever parse_scalar says of a text, writing the string and reading it back
        // gives the string again.
        let value = Value::String(text.clone());
        let written = to_yaml_string(&value);
        let back = parse_value(&written, None, 1, &YamlReadOptions::default()).unwrap();
        prop_assert_eq!(back, value);
    }
}

proptest! {
    // Each case parses its stream twice; fewer cases keep the suite quick.
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn splitting_a_stream_matches_parsing_it_whole(
        records in prop::collection::vec(fields().prop_map(|f| Record::new(f, Default::default())), 1..4),
        decorations in prop::collection::vec(prop::sample::select(vec![
            "", "...\n", "# comment\n", "\n", "...\n%YAML 1.2\n", "...\n# c\n%TAG !e! tag:e.org:\n",
        ]), 4),
    ) {
        // Documents separated in every way YAML allows: end markers, comments,
        // directives between documents.
        let mut text = String::new();
        for (i, record) in records.iter().enumerate() {
            text.push_str(decorations[i % decorations.len()]);
            let mut out = Vec::new();
            let mut writer = YamlWriter::new(&mut out, recast_yaml::YamlWriteOptions::default());
            writer.write_record(record).unwrap();
            drop(writer);
            text.push_str(&String::from_utf8(out).unwrap());
        }
        let split: Vec<Record> = YamlReader::new(text.as_bytes(), None)
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{e}\n--- stream:\n{text}"));
        let whole = parse_document(&text, None, 1, &YamlReadOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n--- stream:\n{text}"));
        prop_assert_eq!(&split, &whole);
        prop_assert_eq!(&split, &records);
        let lines: Vec<u64> = split.iter().map(|r| r.origin.line).collect();
        let whole_lines: Vec<u64> = whole.iter().map(|r| r.origin.line).collect();
        prop_assert_eq!(lines, whole_lines, "origins differ in\n{}", text);
    }
}

//! Property: any record survives write → read, as a Markdown file and in a YAML stream.

use proptest::prelude::*;
use recast_model::{Map, Record, RecordWriter, Value};
use recast_testkit::{Shape, strategy};
use recast_yaml::{
    YamlReadOptions, YamlReader, YamlWriter, parse_document, parse_value, read_markdown,
    to_markdown_string, to_yaml_string,
};

/// Any value YAML carries (the shared generator: indicators, lookalikes of other types,
/// line breaks, quotes, control and invisible characters, numbers at the edges, `inf`
/// and `nan`).
fn value() -> impl Strategy<Value = Value> {
    strategy::value(Shape::yaml())
}

/// Fields without a body.
fn fields() -> impl Strategy<Value = Map> {
    strategy::fields(Shape::yaml())
}

/// Records, often with a Markdown body: rules, CRLF, trailing spaces, blank lines at
/// either end.
fn record() -> impl Strategy<Value = Record> {
    strategy::record(Shape::yaml())
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

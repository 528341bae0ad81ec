//! Property test: any record (nested maps and lists, any text including characters XML
//! cannot carry, numbers at the edges, strings that look like numbers, booleans or
//! dates) survives RSS and Atom, compared strictly.

use proptest::prelude::*;
use recast_feed::{AtomWriter, FeedReader, FeedWriteOptions, RssWriter};
use recast_model::{Channel, Map, Number, Record, RecordWriter, Value};

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,12}",
        Just(String::new()),
        Just("  padded\r\n".to_owned()),
        Just("]]> & <b> \"'".to_owned()),
        Just("007".to_owned()),
        Just("true".to_owned()),
        Just("2020-11-11T16:36:00Z".to_owned()),
        Just("\u{0}\u{1B}\u{FFFE}\\u{41}".to_owned()),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<f64>().prop_map(Number::from_f64),
        Just(Number::parse("12345678901234567890123").unwrap()),
        Just(Number::parse("1.0").unwrap()),
        Just(Number::parse("-0").unwrap()),
        Just(Number::parse("1E+5").unwrap()),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            proptest::collection::vec((text(), inner), 0..5)
                .prop_map(|pairs| Value::Map(pairs.into_iter().collect::<Map>())),
        ]
    })
}

fn record() -> impl Strategy<Value = Record> {
    proptest::collection::vec((text(), value()), 0..8).prop_map(|pairs| {
        let fields: Map = pairs
            .into_iter()
            .filter(|(k, _)| k != "publishedDateTime")
            .collect();
        Record::new(fields, Default::default())
    })
}

fn round_trip(atom: bool, records: &[Record]) -> Vec<Record> {
    let channel = Channel {
        title: Some("t".into()),
        link: Some("https://x.example/".into()),
        description: Some("d".into()),
        ..Channel::default()
    };
    let mut options = FeedWriteOptions::default();
    options.channel = channel;
    let mut out = Vec::new();
    {
        let mut writer: Box<dyn RecordWriter + '_> = if atom {
            Box::new(AtomWriter::new(&mut out, options))
        } else {
            Box::new(RssWriter::new(&mut out, options))
        };
        for record in records {
            writer.write_record(record).expect("writes");
        }
        writer.finish().expect("finishes");
    }
    let reader = FeedReader::new(&out[..], None);
    reader.map(|r| r.expect("reads back")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_records_survive_rss_and_atom(records in proptest::collection::vec(record(), 0..4)) {
        for atom in [false, true] {
            let back = round_trip(atom, &records);
            prop_assert_eq!(back.len(), records.len());
            for (b, r) in back.iter().zip(&records) {
                prop_assert!(b == r, "atom={}\n{:?}\n{:?}", atom, r.fields, b.fields);
            }
        }
    }
}

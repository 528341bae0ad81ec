//! Property: any record without nulls in maps survives CSV and TSV strictly (null and a
//! missing field are the one thing a sheet may merge, so generated maps hold no null).

use proptest::prelude::*;
use recast_csv::{CsvReadOptions, CsvReader, CsvWriteOptions, CsvWriter};
use recast_model::{Map, Number, Record, RecordWriter, Value};

fn tricky_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("2024".to_owned()),
        Just("007".to_owned()),
        Just("true".to_owned()),
        Just("-42".to_owned()),
        Just("=1+1".to_owned()),
        Just("'".to_owned()),
        Just("'=x".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("a; b".to_owned()),
        Just(" pad ".to_owned()),
        Just("line\r\nbreak".to_owned()),
        Just("\\".to_owned()),
        "[a-z ;:.'\"\\\\=@+\\-\t,0-9]{0,8}",
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-c]",
        1 => Just("0".to_owned()),
        1 => Just("a.b".to_owned()),
        1 => Just("x:list".to_owned()),
        1 => Just(":order".to_owned()),
        1 => Just("=k".to_owned()),
        1 => Just(String::new()),
        1 => Just("back\\slash".to_owned()),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Number::from_f64),
        Just(Number::parse("12345678901234567890123").expect("a number")),
        Just(Number::parse("1E+22").expect("a number")),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        tricky_text().prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            // Lists of scalars (one cell) may hold nulls.
            prop::collection::vec(prop_oneof![Just(Value::Null), scalar()], 0..4)
                .prop_map(Value::List),
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::List),
            prop::collection::vec((key(), inner), 0..3)
                .prop_map(|pairs| Value::Map(pairs.into_iter().collect::<Map>())),
        ]
    })
}

fn record() -> impl Strategy<Value = Record> {
    prop::collection::vec((key(), value()), 0..5)
        .prop_map(|pairs| Record::new(pairs.into_iter().collect(), Default::default()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_records_survive_csv_and_tsv(records in prop::collection::vec(record(), 1..5), tsv: bool, sanitize: bool) {
        let delimiter = if tsv { b'\t' } else { b',' };
        let mut writer = CsvWriter::new(Vec::new(), {
            let mut options = CsvWriteOptions::default();
            options.delimiter = delimiter;
            options.sanitize = sanitize;
            options
        });
        for record in &records {
            writer.write_record(record).expect("writes");
        }
        writer.finish().expect("finishes");
        let sheet = writer.into_inner();
        let back: Vec<Record> = CsvReader::with_options(&sheet[..], None, {
            let mut options = CsvReadOptions::default();
            options.delimiter = delimiter;
            options.sanitize = sanitize;
            options
        })
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&sheet))))?;
        prop_assert_eq!(&back, &records, "{}", String::from_utf8_lossy(&sheet));
    }

    #[test]
    fn any_bytes_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for result in CsvReader::new(&bytes[..], None) {
            let _ = result;
        }
    }
}

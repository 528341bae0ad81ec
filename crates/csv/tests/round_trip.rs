//! Records → CSV/TSV → records, compared strictly (types, key order, every byte).

use recast_csv::{ColumnType, CsvReadOptions, CsvReader, CsvWriteOptions, CsvWriter, Schema};
use recast_model::path::FieldPath;
use recast_model::{ErrorKind, Map, Number, Record, RecordWriter, Value};

/// A JSON value in the record model (numbers keep their text).
fn from_json(value: serde_json::Value) -> Value {
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => {
            Value::Number(Number::parse(&n.to_string()).expect("JSON numbers are numbers"))
        }
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Map(map.into_iter().map(|(k, v)| (k, from_json(v))).collect())
        }
    }
}

fn records(json: &str) -> Vec<Record> {
    let value: serde_json::Value = serde_json::from_str(json).expect("test JSON");
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    items
        .into_iter()
        .map(|item| match from_json(item) {
            Value::Map(fields) => Record::new(fields, Default::default()),
            other => panic!("not a record: {other}"),
        })
        .collect()
}

fn write(records: &[Record], options: CsvWriteOptions) -> String {
    let mut writer = CsvWriter::new(Vec::new(), options);
    for record in records {
        writer.write_record(record).expect("write");
    }
    writer.finish().expect("finish");
    String::from_utf8(writer.into_inner()).expect("UTF-8")
}

fn read(sheet: &str, options: CsvReadOptions) -> Vec<Record> {
    CsvReader::with_options(sheet.as_bytes(), None, options)
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{e}\n{sheet}"))
}

fn assert_round_trip(
    records: &[Record],
    write_options: CsvWriteOptions,
    read_options: CsvReadOptions,
) -> String {
    let sheet = write(records, write_options);
    let back = read(&sheet, read_options);
    assert_eq!(back.len(), records.len(), "{sheet}");
    for (i, (a, b)) in records.iter().zip(&back).enumerate() {
        assert_eq!(a, b, "record {i} differs\n{a:#?}\n{b:#?}\n{sheet}");
    }
    sheet
}

fn generated() -> Vec<Record> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/generated/archive.json"
    );
    records(&std::fs::read_to_string(path).expect("generated archive"))
}

#[test]
fn generated_archive_round_trips_as_csv_and_tsv() {
    let records = generated();
    assert!(records.len() >= 300);
    assert_round_trip(
        &records,
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_round_trip(&records, CsvWriteOptions::tsv(), CsvReadOptions::tsv());
    let no_sanitize = {
        let mut options = CsvWriteOptions::default();
        options.sanitize = false;
        options
    };
    let read_plain = {
        let mut options = CsvReadOptions::default();
        options.sanitize = false;
        options
    };
    assert_round_trip(&records, no_sanitize, read_plain);
}

#[test]
fn spilling_to_disk_writes_the_same_sheet() {
    let records = generated();
    let in_memory = write(&records, CsvWriteOptions::default());
    let spilled = write(&records, {
        let mut options = CsvWriteOptions::default();
        options.memory_limit = 1000;
        options
    });
    assert_eq!(in_memory, spilled);
}

#[test]
fn inference_sees_few_rows_and_still_round_trips() {
    let records = generated();
    let sheet = write(&records, CsvWriteOptions::default());
    let back = read(&sheet, {
        let mut options = CsvReadOptions::default();
        options.infer_rows = 1;
        options
    });
    assert_eq!(back, records);
}

#[test]
fn lookalike_strings_stay_strings_even_alone_in_their_column() {
    for title in [
        "2024",
        "007",
        "true",
        "FALSE",
        "1e3",
        "-42",
        "+5",
        ".5",
        "null",
        "",
        "[]",
        "{}",
        "'",
        "''",
        "' single quote",
        "'2024",
    ] {
        let json = serde_json::json!([{ "title": title }]).to_string();
        let sheet = assert_round_trip(
            &records(&json),
            CsvWriteOptions::default(),
            CsvReadOptions::default(),
        );
        if title == "null" {
            assert_eq!(sheet, "title\nnull\n");
        }
    }
    let sheet = assert_round_trip(
        &records(
            r#"[{"title": "2024", "quality": 39, "score": 1.0, "big": 12345678901234567890123, "ok": true}]"#,
        ),
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_eq!(
        sheet,
        "title,quality,score:float,big,ok\n'2024,39,1.0,12345678901234567890123,true\n"
    );
}

#[test]
fn columns_mixing_types_get_a_hint_and_come_back() {
    let sheet = assert_round_trip(
        &records(
            r#"[{"v": "x"}, {"v": 1}, {"v": true}, {"v": "2"}, {"v": 1.5}, {"n": 1}, {"n": 2.5}]"#,
        ),
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_eq!(sheet.lines().next(), Some("v:any,n"));
}

#[test]
fn nesting_lists_and_empty_containers_come_back() {
    let json = r#"[
      {"a": {}, "b": [], "c": [{"x": 1}, {"x": 2, "y": [1, "1", true, null]}], "d": {"e": {"f": []}}},
      {"a": {"k": "v"}, "b": ["only"], "c": [], "d": {}},
      {"b": [""], "m": [1, {"k": [[1, 2], []]}, "s"], "n": [null], "o": [{}], "p": [{"q": null}]},
      {"t": ["a;b", "c\\d", " pad ", "=cmd", "", "x"], "u": [[]], "w": {"0": "digit key", "1": 2}}
    ]"#;
    let mut expected = records(json);
    let sheet = write(&expected, CsvWriteOptions::default());
    let back = read(&sheet, CsvReadOptions::default());
    // `{"q": null}` is `{}` once null merges with missing; nothing else changes.
    expected[2]
        .fields
        .insert("p".into(), Value::List(vec![Value::Map(Map::default())]));
    assert_eq!(back, expected, "{sheet}");
}

#[test]
fn keys_with_separators_never_merge() {
    let json =
        r#"[{"a.b": 1, "a": {"b": 2}, "c:list": "x", "back\\slash": {"0": "k"}, "=x": "y"}]"#;
    let sheet = assert_round_trip(
        &records(json),
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_eq!(
        sheet.lines().next(),
        Some(r"a\.b,a.b,c\:list,back\\slash.\0,'=x")
    );
}

#[test]
fn formulas_are_neutralised_and_restored() {
    let json = r#"[{"f": "=HYPERLINK(\"http://x\",\"y\")", "p": "+1 555", "m": "-x", "a": "@SUM(A1)", "t": "\tx", "r": "\rx", "n": -42, "ns": "-42"}]"#;
    let records = records(json);
    let sheet = assert_round_trip(
        &records,
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    let row = sheet.lines().nth(1).expect("a row");
    assert!(
        row.starts_with(r#""'=HYPERLINK(""http://x"",""y"")",'+1 555,'-x,'@SUM(A1),"#),
        "{row}"
    );
    assert!(sheet.contains(",-42,'-42\n"), "{sheet}");
    let plain = write(&records, {
        let mut options = CsvWriteOptions::default();
        options.sanitize = false;
        options
    });
    assert!(
        plain
            .lines()
            .nth(1)
            .expect("row")
            .starts_with(r#""=HYPERLINK("#),
        "{plain}"
    );
}

#[test]
fn bom_is_written_on_request_and_accepted_on_input() {
    let records = records(r#"[{"title": "Ünïcödé façade — naïve café", "n": 1}]"#);
    let sheet = write(&records, {
        let mut options = CsvWriteOptions::default();
        options.bom = true;
        options
    });
    assert!(sheet.starts_with('\u{feff}'));
    assert_eq!(read(&sheet, CsvReadOptions::default()), records);
}

#[test]
fn ragged_rows_are_errors_naming_the_row_and_reading_goes_on() {
    let sheet = "a,b\n1,2\n3\n4,5,6\n7,8\n";
    let file: std::sync::Arc<std::path::Path> = std::path::Path::new("sheet.csv").into();
    let results: Vec<_> = CsvReader::new(sheet.as_bytes(), Some(file)).collect();
    assert_eq!(results.len(), 4);
    let error = results[1].as_ref().expect_err("short row");
    assert_eq!(error.kind, ErrorKind::Syntax);
    assert_eq!(
        error.to_string(),
        "sheet.csv:3 (record 2): row 2 has 1 field, but the header has 2"
    );
    let error = results[2].as_ref().expect_err("long row");
    assert!(
        error.to_string().starts_with("sheet.csv:4 (record 3)"),
        "{error}"
    );
    assert!(results[3].is_ok());
}

#[test]
fn fields_choose_and_order_columns() {
    let records = generated();
    let fields = ["title", "webUrl", "provider.name", "images.0", "missing"]
        .map(FieldPath::parse)
        .to_vec();
    let sheet = write(&records[..2], {
        let mut options = CsvWriteOptions::default();
        options.fields = Some(fields);
        options
    });
    assert_eq!(
        sheet.lines().next(),
        Some(
            "title,webUrl,provider.name,images.0.url,images.0.width,images.0.height,images.0.isCached,missing"
        )
    );
    assert_eq!(sheet.lines().count(), 3);
}

#[test]
fn foreign_sheets_get_per_column_inference_and_the_schema_pins_types() {
    let sheet = "zip,count,ok,price,name,tags\n02139,1,TRUE,1,Ann,a;b\n10001,2,false,2.5,007,c\n";
    let back = read(sheet, CsvReadOptions::default());
    let row = &back[0].fields;
    assert_eq!(row["zip"], Value::from("02139"));
    assert_eq!(back[1].fields["zip"], Value::from("10001"));
    assert_eq!(row["count"], Value::from(1i64));
    assert_eq!(row["ok"], Value::Bool(true));
    assert_eq!(back[1].fields["name"], Value::from("007"));
    assert_eq!(row["tags"], Value::from("a;b"));

    let mut schema = Schema::parse("zip: int\nprice: float\ntags: list\n").expect("schema");
    schema.insert(FieldPath::parse("count"), ColumnType::String);
    let back = read(sheet, {
        let mut options = CsvReadOptions::default();
        options.schema = Some(schema);
        options
    });
    assert_eq!(back[0].fields["zip"], Value::from(2139i64));
    assert_eq!(back[0].fields["count"], Value::from("1"));
    assert_eq!(back[0].fields["price"].to_string(), "1.0");
    assert_eq!(
        back[0].fields["tags"],
        Value::List(vec!["a".into(), "b".into()])
    );

    let schema = Schema::parse("name: int").expect("schema");
    let error = CsvReader::with_options(sheet.as_bytes(), None, {
        let mut options = CsvReadOptions::default();
        options.schema = Some(schema);
        options
    })
    .find_map(Result::err)
    .expect("Ann is no integer");
    assert!(
        error
            .to_string()
            .contains("column `name`: expected a number, found \"Ann\""),
        "{error}"
    );
}

#[test]
fn non_finite_numbers_are_refused_naming_the_record() {
    let mut fields = Map::default();
    fields.insert("x".into(), Value::Number(Number::from_f64(f64::NAN)));
    let mut writer = CsvWriter::new(Vec::new(), CsvWriteOptions::default());
    assert!(writer.write_record(&Record::default()).is_ok());
    let error = writer
        .write_record(&Record::new(fields, Default::default()))
        .expect_err("nan");
    assert_eq!(error.location.record, Some(2));
}

#[test]
fn hostile_input_is_an_error_not_a_panic() {
    for sheet in [
        &b"a,b\n\xff,1\n"[..],
        b"\xff\n1\n",
        b"a,a\n1,2\n",
        b"a,a.b\n1,2\n",
        b"a.0,a.b\n1,2\n",
        b"\"a\n",
        b"a.99999999999999\n1\n",
        b"",
    ] {
        let results: Vec<_> = CsvReader::new(sheet, None).collect();
        let _ = results;
    }
    let results: Vec<_> = CsvReader::new(&b"a,a\n1,2\n"[..], None).collect();
    assert!(
        results[0]
            .as_ref()
            .is_err_and(|e| e.kind == ErrorKind::Data)
    );
}

#[test]
fn records_disagreeing_on_key_order_still_come_back() {
    let json =
        r#"[{"a": 1, "b": {"x": 1, "y": 2}}, {"b": {"y": 3, "x": 4}, "a": 2}, {"a": 3, "c": "z"}]"#;
    let sheet = assert_round_trip(
        &records(json),
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_eq!(
        sheet,
        "a,c,b.x,b.y,:order\n1,,1,2,\n2,,4,3,b.y; b.x; a\n3,z,,,\n"
    );
}

/// Found by the shared record generator: the writer remembered which key orders it had
/// seen by a 64-bit hash, and `[b, a]` hashed like `[b]`, so the third record's order
/// was never noted and it came back as `{"a": 4, "b": 3}`.
#[test]
fn a_key_order_seen_once_after_its_keys_apart_comes_back() {
    let sheet = assert_round_trip(
        &records(r#"[{"a": 1}, {"b": 2}, {"b": 3, "a": 4}]"#),
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_eq!(sheet, "b,a\n,1\n2,\n3,4\n");
}

#[test]
fn crlf_line_ends_and_a_bom_are_read() {
    let sheet =
        "\u{feff}title,topics:list,body\r\n'2024,a; b,\"line one\r\nline two\"\r\nplain,[],\r\n";
    let back = read(sheet, CsvReadOptions::default());
    assert_eq!(
        back,
        records(
            r#"[{"title": "2024", "topics": ["a", "b"], "body": "line one\r\nline two"}, {"title": "plain", "topics": []}]"#
        )
    );
}

/// Found by fuzzing (`fuzz/` round_trip): a null inside a list written as indexed
/// columns made no column, so the indexes after it looked too big for a list and the
/// list came back as a map (`{"0": 1.5, "2": {}}`).
#[test]
fn nulls_inside_indexed_lists_keep_the_list() {
    let records = records(
        r#"[{"x": [1.5, null, {}]}, {"": [1.5, null, {}]}, {"y": [null, {"a": 1}]},
            {"z": [null, null, [1, [2]]]}]"#,
    );
    assert_round_trip(
        &records,
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    assert_round_trip(&records, CsvWriteOptions::tsv(), CsvReadOptions::tsv());
}

/// Found by fuzzing (`fuzz/` round_trip): a first key starting with U+FEFF lost it, taken
/// for a byte order mark.
#[test]
fn a_first_key_starting_with_a_byte_order_mark_keeps_it() {
    let records = records("[{\"\\ufeffkey\": 1, \"b\": 2}]");
    assert_round_trip(
        &records,
        CsvWriteOptions::default(),
        CsvReadOptions::default(),
    );
    let with_bom = {
        let mut options = CsvWriteOptions::default();
        options.bom = true;
        options
    };
    assert_round_trip(&records, with_bom, CsvReadOptions::default());
}

#[test]
fn a_row_over_the_size_limit_is_refused_while_reading() {
    let options = {
        let mut options = CsvReadOptions::default();
        options.max_record_bytes = 1000;
        options
    };
    let small = format!("title\nsmall\n\"{}\"\n", "x".repeat(900));
    assert_eq!(read(&small, options.clone()).len(), 2);
    let big = format!("title\nsmall\n\"{}\"\nafter\n", "x".repeat(200_000));
    let results: Vec<_> = CsvReader::with_options(big.as_bytes(), None, options).collect();
    assert_eq!(results.len(), 2, "the reader stops at the big row");
    let error = results[1].as_ref().unwrap_err();
    assert_eq!(error.kind, ErrorKind::Limit);
    assert_eq!(error.location.line, 3, "{error}");
}

#[test]
fn a_character_split_across_two_cells_is_invalid_utf8() {
    // The row's bytes together are valid UTF-8 (`é`), each cell's alone are not.
    let sheet = b"a,b\n\xC3,\xA9\ncaf\xC3\xA9,x\n";
    let results: Vec<_> = CsvReader::new(&sheet[..], None).collect();
    assert_eq!(results.len(), 2);
    let error = results[0].as_ref().unwrap_err();
    assert_eq!(error.kind, recast_model::ErrorKind::Encoding);
    assert!(error.message.contains("column `a`"), "{}", error.message);
    let record = results[1].as_ref().unwrap();
    assert_eq!(record.fields["a"], recast_model::Value::from("café"));
}

//! Helpers shared by recast's fuzz targets: quiet options, and arbitrary records built
//! from the fuzzer's bytes.

use arbitrary::{Result, Unstructured};
use recast_model::{Map, Number, Record, RecordReader, RecordWriter, Value};

/// Feed read options for the fuzz targets. The feed crate warns through `log`, and no
/// logger is installed here, so nothing floods the fuzzer's output.
pub fn quiet_feed_read() -> recast_feed::FeedReadOptions {
    recast_feed::FeedReadOptions::default()
}

/// Feed write options for the fuzz targets (see [`quiet_feed_read`]).
pub fn quiet_feed_write() -> recast_feed::FeedWriteOptions {
    recast_feed::FeedWriteOptions::default()
}

/// Reads every record (a reader goes on after a bad record, so errors are collected,
/// not fatal). `None` when any record failed.
pub fn read_all(reader: impl RecordReader) -> Option<Vec<Record>> {
    let mut records = Vec::new();
    let mut failed = false;
    for record in reader {
        match record {
            Ok(record) => records.push(record),
            Err(_) => failed = true,
        }
    }
    (!failed).then_some(records)
}

/// Writes `records` with `writer` and finishes it: records that a reader gave must write
/// (`format` names the format in the panic message).
pub fn write_all(mut writer: impl RecordWriter, records: &[Record], format: &str) {
    for record in records {
        if let Err(e) = writer.write_record(record) {
            panic!("a record read from {format} writes: {e}\n{record:?}");
        }
    }
    writer
        .finish()
        .unwrap_or_else(|e| panic!("{format} finishes: {e}"));
}

/// A string from the fuzzer's bytes, biased towards the text that trips formats: YAML
/// and CSV indicators, line ends, quotes, markers, look-alikes of other types.
pub fn text(u: &mut Unstructured) -> Result<String> {
    const PIECES: &[&str] = &[
        "",
        " ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "---",
        "...",
        "'",
        "\"",
        "\\",
        ",",
        ";",
        "; ",
        ":",
        ": ",
        "#",
        "-",
        "- ",
        "=",
        "+",
        "@",
        "|",
        ">",
        "&",
        "*",
        "!",
        "%",
        "{",
        "}",
        "[",
        "]",
        "<",
        "&amp;",
        "]]>",
        "<![CDATA[",
        "true",
        "null",
        "~",
        "yes",
        "007",
        "1.0",
        "-5",
        "1e3",
        ".inf",
        "2020-11-11",
        "2020-11-11T16:36:00Z",
        "\u{0}",
        "\u{1}",
        "\u{7f}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "\u{fffe}",
        "é",
        "😀",
        "body",
        "title",
        "a.b",
        "a\\.b",
        "0",
        "x:list",
        "\\0",
    ];
    let mut s = String::new();
    let parts = u.int_in_range(0..=6)?;
    for _ in 0..parts {
        if u.ratio(1, 3)? {
            s.push_str(&String::arbitrary_take(u, 8)?);
        } else {
            s.push_str(u.choose(PIECES)?);
        }
    }
    Ok(s)
}

trait TakeString {
    fn arbitrary_take(u: &mut Unstructured, max: usize) -> Result<String>;
}

impl TakeString for String {
    fn arbitrary_take(u: &mut Unstructured, max: usize) -> Result<String> {
        let n = u.int_in_range(0..=max)?;
        let mut s = String::new();
        for _ in 0..n {
            s.push(u.arbitrary::<char>()?);
        }
        Ok(s)
    }
}

/// A finite number in JSON syntax (what every format can carry), spelled as written.
pub fn number(u: &mut Unstructured) -> Result<Number> {
    let mut s = String::new();
    if u.arbitrary()? {
        s.push('-');
    }
    let digits = u.int_in_range(1..=25)?;
    let first: u8 = u.int_in_range(0..=9)?;
    s.push(char::from(b'0' + first));
    if first != 0 {
        for _ in 1..digits {
            s.push(char::from(b'0' + u.int_in_range(0..=9u8)?));
        }
    }
    if u.arbitrary()? {
        s.push('.');
        for _ in 0..u.int_in_range(1..=6)? {
            s.push(char::from(b'0' + u.int_in_range(0..=9u8)?));
        }
    }
    if u.ratio(1, 4)? {
        s.push(*u.choose(&['e', 'E'])?);
        s.push_str(u.choose(&["", "+", "-"])?);
        s.push_str(&u.int_in_range(0..=400u32)?.to_string());
    }
    Ok(Number::parse(&s).unwrap_or_else(|| panic!("{s:?} is JSON number syntax")))
}

pub fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let leaf_only = depth >= 4;
    Ok(match u.int_in_range(0..=if leaf_only { 3 } else { 5 })? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => Value::Number(number(u)?),
        3 => Value::String(text(u)?),
        4 => {
            let n = u.int_in_range(0..=4)?;
            let mut items = Vec::with_capacity(n);
            for _ in 0..n {
                items.push(value(u, depth + 1)?);
            }
            Value::List(items)
        }
        _ => Value::Map(map(u, depth + 1)?),
    })
}

pub fn map(u: &mut Unstructured, depth: u32) -> Result<Map> {
    let n = u.int_in_range(0..=5)?;
    let mut map = Map::default();
    for _ in 0..n {
        let key = text(u)?;
        let value = value(u, depth)?;
        map.insert(key, value);
    }
    Ok(map)
}

/// An arbitrary record: any keys, any values (finite numbers), often a string body.
pub fn record(u: &mut Unstructured) -> Result<Record> {
    let mut fields = map(u, 0)?;
    if u.arbitrary()? {
        fields.shift_remove(recast_model::BODY);
        fields.insert(recast_model::BODY.into(), Value::String(text(u)?));
    }
    Ok(Record::new(fields, Default::default()))
}

//! recast-json's parser against serde_json (with `arbitrary_precision` and
//! `preserve_order`, so numbers keep their text and objects their key order): on any JSON
//! text, both accept or both reject, and what they accept is the same value, key for key
//! and digit for digit.
//!
//! The one difference by design: a duplicate key in an object is an error in recast
//! (silently keeping one of the two values loses data) while serde_json keeps the last.

use proptest::prelude::*;
use recast_json::parse_value;
use recast_model::Value;

/// recast's value as serde_json's, so the two can be printed the same way and compared
/// as text (serde_json's map equality ignores key order; its printing does not).
fn to_serde(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => serde_json::Value::Number(
            serde_json::from_str(&n.to_string()).expect("recast's number text is JSON"),
        ),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Value::Map(map) => serde_json::Value::Object(
            map.iter()
                .map(|(key, value)| (key.to_string(), to_serde(value)))
                .collect(),
        ),
    }
}

/// Whitespace as JSON allows it, and sometimes none.
fn space() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => "[ \t\r\n]{1,3}",
    ]
}

/// Number spellings, valid and not: JSON's grammar is strict about leading zeros, lone
/// signs and dots, and both parsers must agree on every one.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?",
        proptest::sample::select(
            &[
                "0",
                "-0",
                "1.0",
                "-0.0",
                "1e400",
                "1E-7",
                "2.5E+10",
                "01",
                "-",
                "1.",
                ".5",
                "1e",
                "1e+",
                "+1",
                "0x10",
                "NaN",
                "Infinity",
                "-01",
                "00",
                "1.5e300",
                "18446744073709551616",
                "-9223372036854775809",
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

/// String literals: plain text, every escape, `\u` escapes including surrogate pairs and
/// lone surrogates, raw control characters (invalid), and astral characters.
fn string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 é€😀/]{1,6}",
        1 => proptest::sample::select(
            &[
                "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041", "\\u00e9",
                "\\u20AC", "\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\u", "\\x", "\\u12",
                "\t", "\u{1}", "\u{2028}",
            ][..]
        )
        .prop_map(str::to_owned),
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

/// A JSON text, mostly valid: scalars, and arrays and objects nested a few levels, with
/// keys drawn from a small set so duplicates happen.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        number(),
        string(),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let item = (space(), inner, space())
            .prop_map(|(a, v, b)| format!("{a}{v}{b}"))
            .boxed();
        prop_oneof![
            proptest::collection::vec(item.clone(), 0..6)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec(
                (
                    proptest::sample::select(&["a", "b", "c", "é", "", "a\\u0062"][..]),
                    item
                ),
                0..5
            )
            .prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(key, value)| format!("\"{key}\":{value}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
    .prop_flat_map(|text| (space(), Just(text), space()))
    .prop_map(|(a, text, b)| format!("{a}{text}{b}"))
}

/// A document with one edit at a random place: a structural character inserted, a
/// character deleted or replaced. Most such texts are invalid, some are still valid.
fn mutated() -> impl Strategy<Value = String> {
    (
        document(),
        any::<prop::sample::Index>(),
        0..3u8,
        proptest::sample::select(
            &[",", ":", "[", "]", "{", "}", "\"", "\\", "0", "-", " ", "e"][..],
        ),
    )
        .prop_map(|(text, at, edit, piece)| {
            let chars: Vec<char> = text.chars().collect();
            if chars.is_empty() {
                return piece.to_owned();
            }
            let at = at.index(chars.len());
            let mut out: String = chars[..at].iter().collect();
            match edit {
                0 => {
                    out.push_str(piece);
                    out.extend(&chars[at..]);
                }
                1 => out.extend(&chars[at + 1..]),
                _ => {
                    out.push_str(piece);
                    out.extend(&chars[at + 1..]);
                }
            }
            out
        })
}

fn compare(text: &str) -> Result<(), TestCaseError> {
    let ours = parse_value(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (ours, theirs) {
        (Ok(ours), Ok(theirs)) => {
            let ours = serde_json::to_string(&to_serde(&ours)).expect("prints");
            let theirs = serde_json::to_string(&theirs).expect("prints");
            prop_assert_eq!(ours, theirs, "different values for {:?}", text);
        }
        (Err(_), Err(_)) => {}
        (Err(ours), Ok(_)) => prop_assert!(
            ours.to_string().contains("duplicate key"),
            "recast rejects what serde_json accepts: {:?}: {}",
            text,
            ours
        ),
        (Ok(ours), Err(theirs)) => prop_assert!(
            false,
            "recast accepts what serde_json rejects ({}): {:?} read as {:?}",
            theirs,
            text,
            ours
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn same_verdict_and_value_on_generated_documents(text in document()) {
        compare(&text)?;
    }

    #[test]
    fn same_verdict_on_documents_with_one_edit(text in mutated()) {
        compare(&text)?;
    }
}

/// The cases the generators are built to reach, spelled out so a regression names them.
#[test]
fn known_edges_agree() {
    for text in [
        "12345678901234567890123",
        "1.0",
        "-0",
        "1e400",
        "[1,]",
        "{\"a\":1,}",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\t\"",
        "01",
        "[1] x",
        " {\"b\":1,\"a\":2} ",
        "",
    ] {
        compare(text).unwrap_or_else(|e| panic!("{e}"));
    }
    // The one difference by design.
    let error = parse_value("{\"a\":1,\"a\":2}").expect_err("a duplicate key is an error");
    assert!(error.to_string().contains("duplicate key"), "{error}");
    assert!(serde_json::from_str::<serde_json::Value>("{\"a\":1,\"a\":2}").is_ok());
}

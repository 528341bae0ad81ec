//! [`JqProgram`]: a jq expression (`--jq`, `- jq:`) run on records, through jaq.
//!
//! Each record goes in as one JSON object (its fields in order, the Markdown body as
//! the field `body`); each output of the expression is a record in its place: none
//! drops the record, several make several records, and an output that is not an object
//! is an error naming what it was.
//!
//! Values come back in their exact form. recast's numbers are decimal texts; they go in
//! as jaq's integers (any size) and decimal texts, so that `12345678901234567890123` and
//! `1.0` that the expression does not compute with come out as written. A number the
//! expression computes is a float, written as jq writes it (`5` for `10 / 2`, `2.5`);
//! a computed infinity or NaN is an error. Then every output is matched against its input path by path: where
//! the value at a path is the same number as the input's (`inf` read from YAML, which
//! JSON cannot carry), the input's own value is kept. Key order is the expression's,
//! which is the input's for the keys it does not add (`|=`, `del`, `+=` keep positions).
//!
//! ```
//! use recast_migrate::jq::JqProgram;
//! use recast_model::{Map, Value};
//!
//! let program = JqProgram::compile(".topics |= map(ascii_downcase)").unwrap();
//! let mut fields = Map::default();
//! fields.insert("size".into(), Value::Number(recast_model::Number::parse("1.0").unwrap()));
//! fields.insert("topics".into(), Value::List(vec!["Rust".into(), "CLI".into()]));
//! let out = program.run(&fields).unwrap();
//! assert_eq!(out.len(), 1);
//! assert_eq!(out[0]["size"].to_string(), "1.0");
//! assert_eq!(out[0]["topics"], Value::List(vec!["rust".into(), "cli".into()]));
//!
//! let error = JqProgram::compile(".topics |= map(").unwrap_err();
//! assert_eq!(error.column, 16);
//! ```

use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use jaq_core::compile::Filter;
use jaq_core::data::JustLut;
use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Ctx, Native, Vars};
use jaq_json::{Num, Val};
use recast_model::{Map, Number, Value};

type JaqFilter = Filter<Native<JustLut<Val>>>;

/// A compiled jq expression.
#[derive(Clone)]
pub struct JqProgram {
    source: String,
    filter: Arc<JaqFilter>,
}

impl fmt::Debug for JqProgram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("JqProgram").field(&self.source).finish()
    }
}

/// An expression that does not compile: where (1-based line and column in the
/// expression, counted in characters) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JqCompileError {
    /// The 1-based line in the expression.
    pub line: usize,
    /// The 1-based column, in characters.
    pub column: usize,
    /// What was wrong (`expected term, found ")"`, `undefined filter ascii_lower/0`).
    pub message: String,
}

impl fmt::Display for JqCompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for JqCompileError {}

impl JqProgram {
    /// Parses and compiles an expression with jq's standard library (jaq's: see
    /// docs/migrate.md for what it lacks).
    pub fn compile(source: &str) -> Result<JqProgram, JqCompileError> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs())
            .chain(recast_defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let program = File {
            code: source,
            path: (),
        };
        let at = |found: &str, message: String| position(source, found, message);
        let modules = Loader::new(defs).load(&arena, program).map_err(|errors| {
            let Some((_, error)) = errors.into_iter().next() else {
                return at(source, "the expression does not parse".into());
            };
            match error {
                jaq_core::load::Error::Lex(errors) => match errors.first() {
                    Some((expected, found)) => at(
                        found,
                        format!("expected {}, found {}", expected.as_str(), shown(found)),
                    ),
                    None => at(source, "the expression does not parse".into()),
                },
                jaq_core::load::Error::Parse(errors) => match errors.first() {
                    Some((expected, found)) => at(
                        found,
                        format!("expected {}, found {}", expected.as_str(), shown(found)),
                    ),
                    None => at(source, "the expression does not parse".into()),
                },
                jaq_core::load::Error::Io(errors) => at(
                    source,
                    errors
                        .first()
                        .map_or("cannot load a module".into(), |(_, e)| {
                            format!("modules are not supported ({e})")
                        }),
                ),
            }
        })?;
        let filter = jaq_core::Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let first = errors
                    .into_iter()
                    .next()
                    .and_then(|(_, e)| e.into_iter().next());
                match first {
                    Some((name, undefined)) => {
                        let what = match undefined {
                            jaq_core::compile::Undefined::Filter(arity) => {
                                format!("undefined filter {name}/{arity}")
                            }
                            other => format!("undefined {} {name}", other.as_str()),
                        };
                        at(name, what)
                    }
                    None => at(source, "the expression does not compile".into()),
                }
            })?;
        Ok(JqProgram {
            source: source.to_owned(),
            filter: Arc::new(filter),
        })
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Runs the expression on a record's fields; returns the records it outputs, in
    /// order. The error is jq's runtime error (`cannot use null as iterable`), or says
    /// which output is not an object.
    pub fn run(&self, fields: &Map) -> Result<Vec<Map>, String> {
        let input = object_of(fields);
        // The input's lists and maps, kept alive until every output is converted, so
        // that one an output shares (a value the expression did not touch) is known by
        // its address. Only these: the expression owns the input object itself alone,
        // so that an update (`.topics |= ...`) changes it in place rather than copying.
        let shared: Vec<Option<Val>> = (input.values())
            .map(|value| matches!(value, Val::Arr(_) | Val::Obj(_)).then(|| value.clone()))
            .collect();
        let ctx = Ctx::<JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let mut records = Vec::new();
        for output in self.filter.id.run((ctx, Val::obj(input))) {
            let output = output.map_err(runtime_error)?;
            if let Val::Obj(object) = &output {
                records.push(map_from_object(object, Some((fields, &shared)))?);
                continue;
            }
            let other = value_from_val(&output, None)?;
            return Err(format!(
                "output {} is {} ({}), not an object; a record is an object (use `{{field: ...}}` or `.field = ...`)",
                records.len() + 1,
                other.type_in_words(),
                clipped(&output.to_string())
            ));
        }
        Ok(records)
    }
}

/// Definitions that replace jaq's where it differs from jq in a way that shows in files.
///
/// jaq deletes an object's key by moving its last key into the place (`del(.a)` on
/// `{a, b, c}` gives `{c, b}`); these delete as jq does, keeping the order of the rest,
/// and delete several paths from the last to the first, as jq does, so that `del(.[0, 1])`
/// removes the first two items; an index past the end deletes nothing, as in jq.
/// jaq's `ltrimstr` and `rtrimstr` fail on a value that is not a string, where jq's return
/// it unchanged, so `.tags[] |= ltrimstr("#")` over mixed values works as in jq.
const RECAST_DEFS: &str = r#"
def _recast_delpath($p):
  if $p == [] then null
  elif ($p | length) == 1 and type == "object" then
    with_entries(select(.key != $p[0]))
  elif ($p | length) == 1 and type == "array" and ($p[0] | type) == "number"
    and ($p[0] >= length or $p[0] < -length) then .
  elif ($p | length) == 1 then getpath($p) |= empty
  elif getpath($p[:1]) == null then .
  else .[$p[0]] |= _recast_delpath($p[1:])
  end;
def delpaths($paths): reduce ($paths | unique | reverse)[] as $p (.; _recast_delpath($p));
def del(f): delpaths([path(f)]);
def _jaq_ltrimstr($s): ltrimstr($s);
def _jaq_rtrimstr($s): rtrimstr($s);
def ltrimstr($s): if type == "string" and ($s | type) == "string" then _jaq_ltrimstr($s) else . end;
def rtrimstr($s): if type == "string" and ($s | type) == "string" then _jaq_rtrimstr($s) else . end;
"#;

fn recast_defs() -> impl Iterator<Item = jaq_core::load::parse::Def<&'static str>> {
    jaq_core::load::parse(RECAST_DEFS, |p| p.defs())
        .expect("recast's jq definitions parse")
        .into_iter()
}

/// jq's runtime error as its message: the text of `error("...")` as it is, anything
/// else as JSON. `halt` and `halt_error` end jq, not recast: they fail the record.
fn runtime_error(exception: jaq_core::Exn<Val>) -> String {
    let error = match exception.get_err() {
        Ok(error) => error,
        Err(other) => {
            return match other.get_halt() {
                Ok(code) => format!(
                    "the expression halts (halt or halt_error, exit code {code}); recast takes it as an error on this record"
                ),
                Err(_) => "the expression stopped without an error value".into(),
            };
        }
    };
    // jaq shows an `error("text")` value as JSON (quoted) and its own messages as text.
    let shown = error.to_string();
    match error.into_val() {
        Val::TStr(text) if shown.starts_with('"') => String::from_utf8_lossy(&text).into_owned(),
        // jq creates what a path goes through (`.meta.x = 1` without `meta`); jaq refuses
        // on purpose, with a message that does not say so.
        _ if shown == "cannot use null as iterable (array or object)" => format!(
            "{shown}; if the expression sets a path through a missing field, create it first: \
             jaq, unlike jq, does not (`.meta += {{x: 1}}`, not `.meta.x = 1`)"
        ),
        // jaq's own messages hold whole values (`cannot use {…} as string`), and a
        // record with its body can be pages long: its ends say what went wrong.
        _ => ends_of(&shown),
    }
}

/// The first 160 and last 60 characters of a long message, with `…` between.
fn ends_of(text: &str) -> String {
    let count = text.chars().count();
    if count <= 240 {
        return text.to_owned();
    }
    let head = text
        .char_indices()
        .nth(160)
        .map_or(text.len(), |(at, _)| at);
    let tail = text
        .char_indices()
        .nth(count - 60)
        .map_or(text.len(), |(at, _)| at);
    format!("{}…{}", &text[..head], &text[tail..])
}

/// The 1-based line and column (in characters) where `found`, a slice of `source`,
/// starts; its end when `found` is not within it.
fn position(source: &str, found: &str, message: String) -> JqCompileError {
    let start = source.as_ptr() as usize;
    let offset = (found.as_ptr() as usize)
        .checked_sub(start)
        .filter(|offset| *offset <= source.len())
        .unwrap_or(source.len());
    let before = source.get(..offset).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    JqCompileError {
        line,
        column,
        message,
    }
}

/// What the parser found, for a message: the token, or the end of the expression.
fn shown(found: &str) -> String {
    match found.chars().next() {
        None => "the end of the expression".into(),
        Some(_) => format!("{:?}", clipped(found)),
    }
}

/// At most 40 characters of `text`, for messages.
fn clipped(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A record's fields as a jq object, key for key in the same places.
fn object_of(map: &Map) -> jaq_json::Map {
    map.iter()
        .map(|(key, value)| (Val::utf8_str(key.clone()), value_to_val(value)))
        .collect()
}

fn value_to_val(value: &Value) -> Val {
    match value {
        Value::Null => Val::Null,
        Value::Bool(b) => Val::Bool(*b),
        Value::Number(n) => Val::Num(number_to_num(n)),
        Value::String(s) => Val::utf8_str(s.clone()),
        Value::List(items) => items.iter().map(value_to_val).collect(),
        Value::Map(map) => Val::obj(object_of(map)),
    }
}

/// Integers as jaq's integers (any size); other finite numbers as decimal texts, which
/// jaq keeps as written until it computes with them; `inf` and `nan` as floats.
fn number_to_num(n: &Number) -> Num {
    if let Some(num) = n
        .is_integer()
        .then(|| Num::from_str_radix(n.as_str(), 10))
        .flatten()
    {
        return num;
    }
    match n.is_finite() {
        true => Num::Dec(Rc::new(n.as_str().to_owned())),
        false => Num::Float(n.as_f64()),
    }
}

/// A value of the input at some path: as the record holds it, and, for a list or map
/// at the top, as jaq was given it.
type Original<'a> = (&'a Value, Option<&'a Val>);

/// An output value as a recast value. Where `original` (the record's value at the same
/// path) is equal to it, the original is kept as it is: the same number in the form it
/// was written (`1.0`, `.inf`), the same text, the same list or map (one the expression
/// left alone is the input's own, shared: it is cloned instead of converted again),
/// else each item and entry matched in turn (see the module docs).
fn value_from_val(val: &Val, original: Option<Original<'_>>) -> Result<Value, String> {
    let value = original.map(|(value, _)| value);
    Ok(match (val, value) {
        (Val::Null, _) => Value::Null,
        (Val::Bool(b), _) => Value::Bool(*b),
        (Val::Num(num), Some(Value::Number(n))) if same_number(num, &number_to_num(n)) => {
            Value::Number(n.clone())
        }
        (Val::Num(num), _) => num_to_value(num)?,
        (Val::TStr(bytes) | Val::BStr(bytes), Some(Value::String(s)))
            if bytes.as_ref() == s.as_bytes() =>
        {
            Value::String(s.clone())
        }
        (Val::TStr(bytes) | Val::BStr(bytes), _) => Value::String(text(bytes)),
        (Val::Arr(_) | Val::Obj(_), Some(value))
            if original.is_some_and(|(_, input)| left_alone(val, input)) =>
        {
            value.clone()
        }
        (Val::Arr(items), value) => {
            let originals = match value {
                Some(Value::List(values)) => values.as_slice(),
                _ => &[],
            };
            Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| value_from_val(item, originals.get(i).map(|v| (v, None))))
                    .collect::<Result<_, _>>()?,
            )
        }
        (Val::Obj(object), value) => Value::Map(map_from_object(
            object,
            value.and_then(Value::as_map).map(|map| (map, &[][..])),
        )?),
    })
}

/// Whether an output list or map is the very one jaq was given (the same `Rc`): the
/// expression left it alone, so the record's value stands as it was, without comparing.
fn left_alone(val: &Val, input: Option<&Val>) -> bool {
    match (val, input) {
        (Val::Arr(output), Some(Val::Arr(input))) => Rc::ptr_eq(output, input),
        (Val::Obj(output), Some(Val::Obj(input))) => Rc::ptr_eq(output, input),
        _ => false,
    }
}

/// jq's bytes as text; bytes that are not UTF-8 (which jq can make) get U+FFFD.
fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// An output object as a map, each value matched against the record's value of its
/// key (`originals`: the record's map, in the same place when the expression kept the
/// order, and at the top the input's lists and maps as jaq was given them).
fn map_from_object(
    object: &jaq_json::Map,
    originals: Option<(&Map, &[Option<Val>])>,
) -> Result<Map, String> {
    let mut map = Map::with_capacity_and_hasher(object.len(), Default::default());
    for (i, (key, value)) in object.iter().enumerate() {
        let Val::TStr(name) = key else {
            return Err(format!(
                "an object key is {}, not a string; records have string keys",
                clipped(&key.to_string())
            ));
        };
        let original = originals.and_then(|(values, shared)| {
            let (at, original_key, value) = match values.get_index(i) {
                Some((original_key, value)) if original_key.as_bytes() == name.as_ref() => {
                    (i, original_key, value)
                }
                _ => values.get_full(std::str::from_utf8(name).ok()?)?,
            };
            Some((
                original_key,
                (value, shared.get(at).and_then(Option::as_ref)),
            ))
        });
        let key = match original {
            Some((original_key, _)) => original_key.clone(),
            None => text(name),
        };
        let value = value_from_val(value, original.map(|(_, original)| original))?;
        map.insert(key, value);
    }
    Ok(map)
}

/// Numbers of the same kind and value: integers equal as integers, decimal texts
/// equal as texts, floats equal bit for bit (NaN is NaN).
fn same_number(a: &Num, b: &Num) -> bool {
    match (a, b) {
        (Num::Int(_) | Num::BigInt(_), Num::Int(_) | Num::BigInt(_)) => a == b,
        (Num::Dec(x), Num::Dec(y)) => x == y,
        (Num::Float(x), Num::Float(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        _ => false,
    }
}

/// A jaq number as recast writes it, as jq would print it: integers and decimal texts
/// as they are, computed floats in their shortest form (an integral one without `.0`).
/// A computed infinity or NaN is an error: jaq gives them for `1 / 0`, where jq stops
/// with an error, and no file should receive one in its place.
fn num_to_value(num: &Num) -> Result<Value, String> {
    let text = match num {
        Num::Int(i) => i.to_string(),
        Num::BigInt(i) => i.to_string(),
        Num::Dec(text) => text.to_string(),
        Num::Float(f) if !f.is_finite() => {
            return Err(format!(
                "the expression computed {f} (a division by zero?); a record holds finite numbers"
            ));
        }
        // Integral floats below 2^53 print as integers, as in jq (`10 / 2` is `5`).
        Num::Float(f) if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 => {
            format!("{}", *f as i64)
        }
        Num::Float(f) => return Ok(Value::Number(Number::from_f64(*f))),
    };
    Ok(Number::parse(&text)
        .map(Value::Number)
        .unwrap_or_else(|| Value::Number(Number::from_f64(text.parse().unwrap_or(f64::NAN)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_shared_across_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<JqProgram>();
    }

    fn record(json: &[(&str, Value)]) -> Map {
        json.iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    fn number(text: &str) -> Value {
        Value::Number(Number::parse_yaml(text).unwrap())
    }

    #[test]
    fn untouched_values_keep_their_form() {
        let fields = record(&[
            ("big", number("12345678901234567890123")),
            ("one", number("1.0")),
            ("exp", number("1.5e3")),
            ("inf", number(".inf")),
            ("date", "2021-03-04T10:00:00+02:00".into()),
            ("tags", Value::List(vec!["A".into(), number("2.50")])),
        ]);
        let program = JqProgram::compile(".tags[0] |= ascii_downcase").unwrap();
        let out = program.run(&fields).unwrap();
        let expected = record(&[
            ("big", number("12345678901234567890123")),
            ("one", number("1.0")),
            ("exp", number("1.5e3")),
            ("inf", number(".inf")),
            ("date", "2021-03-04T10:00:00+02:00".into()),
            ("tags", Value::List(vec!["a".into(), number("2.50")])),
        ]);
        assert!(recast_model::strict_eq(
            &Value::Map(out[0].clone()),
            &Value::Map(expected)
        ));
    }

    /// Values the expression leaves are taken back from the record as they were (the
    /// shared input values), and values it moves or computes are converted as ever.
    #[test]
    fn values_left_alone_come_back_as_they_were() {
        let nested = record(&[("x", number("1.0")), ("y", Value::List(vec![]))]);
        let fields = record(&[
            ("a", number("1.0")),
            ("b", number("2")),
            ("big", number("12345678901234567890123")),
            ("inf", number("-.inf")),
            ("text", "Ünïcode and \"quotes\"".into()),
            ("empty", "".into()),
            ("none", Value::Null),
            ("yes", Value::Bool(true)),
            ("nested", Value::Map(nested.clone())),
            ("topics", Value::List(vec!["AI".into(), "Rust".into()])),
            ("body", "Body text.\n".into()),
        ]);
        let run = |e: &str| {
            let out = JqProgram::compile(e).unwrap().run(&fields).unwrap();
            assert_eq!(out.len(), 1, "{e}");
            out.into_iter().next().unwrap()
        };
        let same = |a: &Map, b: &Map| {
            recast_model::strict_eq(&Value::Map(a.clone()), &Value::Map(b.clone()))
        };
        assert!(same(&run("."), &fields));
        assert!(same(&run(".nested |= ."), &fields));
        assert!(same(&run(".text = .text"), &fields));
        let mut lowered = fields.clone();
        lowered["topics"] = Value::List(vec!["ai".into(), "rust".into()]);
        assert!(same(&run(".topics |= map(ascii_downcase)"), &lowered));
        // Swapped values are converted at their new paths: each number as written.
        let swapped = run("{a: .b, b: .a, text: .empty, empty: .text}");
        let shown: Vec<String> = swapped.values().map(Value::to_string).collect();
        assert_eq!(
            shown,
            ["2", "1.0", "\"\"", "\"Ünïcode and \\\"quotes\\\"\""]
        );
        // Equal but computed values come back equal.
        let computed = run(".text |= (. + \"\") | .nested.x |= . + 0");
        assert_eq!(computed["text"], fields["text"]);
        let x = computed["nested"].as_map().map(|m| m["x"].to_string());
        assert_eq!(x.as_deref(), Some("1"));
    }

    #[test]
    fn computed_numbers_print_as_jq_prints_them() {
        let fields = record(&[("n", number("10")), ("x", number("1.0"))]);
        let out = JqProgram::compile(
            "{half: (.n / 2), third: (.n / 4), f: (.x | floor), big: (.n * 12345678901234567890)}",
        )
        .unwrap()
        .run(&fields)
        .unwrap();
        let shown: Vec<String> = out[0].values().map(Value::to_string).collect();
        assert_eq!(shown, ["5", "2.5", "1", "123456789012345678900"]);
    }

    #[test]
    fn outputs_make_records() {
        let fields = record(&[("a", number("1"))]);
        let run = |e: &str| JqProgram::compile(e).unwrap().run(&fields);
        assert_eq!(run("empty").unwrap().len(), 0);
        assert_eq!(run(".,.").unwrap().len(), 2);
        assert!(
            run(".a")
                .unwrap_err()
                .contains("output 1 is an integer (1), not an object")
        );
        assert_eq!(run("error(\"no\")").unwrap_err(), "no");
        assert!(run(".a[]").unwrap_err().contains("cannot"));
        assert!(
            run(".meta.x = 1")
                .unwrap_err()
                .contains("create it first: jaq, unlike jq, does not (`.meta += {x: 1}`")
        );
        assert!(
            run(".a /= 0")
                .unwrap_err()
                .contains("computed inf (a division by zero?)")
        );
        assert!(run("halt_error").unwrap_err().contains("halts"));
    }

    #[test]
    fn runtime_errors_show_the_ends_of_long_values() {
        let body = "é".repeat(10_000);
        let fields = record(&[("a", number("1")), ("body", Value::String(body.clone()))]);
        let run = |e: &str| JqProgram::compile(e).unwrap().run(&fields).unwrap_err();
        let error = run("ascii_downcase");
        assert!(
            error.starts_with("cannot use {\"a\":1,\"body\":\"éé"),
            "{error}"
        );
        assert!(error.ends_with("éé\"} as string"), "{error}");
        assert_eq!(error.chars().count(), 160 + 1 + 60, "{error}");
        // The user's own message stays whole, and a short one as it is.
        assert_eq!(run("error(.body)"), body);
        assert_eq!(run("error({a})"), "{\"a\":1}");
        assert_eq!(run(".a | error"), "1");
    }

    #[test]
    fn deleting_keeps_the_order_of_the_rest() {
        let inner = record(&[("x", number("1")), ("y", number("2")), ("z", number("3"))]);
        let fields = record(&[
            ("a", number("1")),
            (
                "b",
                Value::List(vec![number("1"), number("2"), number("3")]),
            ),
            ("c", Value::Map(inner)),
            ("d", number("4")),
        ]);
        let run = |e: &str| {
            let out = JqProgram::compile(e).unwrap().run(&fields).unwrap();
            json(&Value::Map(out[0].clone()))
        };
        assert_eq!(
            run("del(.a)"),
            r#"{"b":[1,2,3],"c":{"x":1,"y":2,"z":3},"d":4}"#
        );
        assert_eq!(run("del(.a, .b)"), r#"{"c":{"x":1,"y":2,"z":3},"d":4}"#);
        assert_eq!(
            run("del(.c.x)"),
            r#"{"a":1,"b":[1,2,3],"c":{"y":2,"z":3},"d":4}"#
        );
        assert_eq!(
            run("del(.b[0, 1])"),
            r#"{"a":1,"b":[3],"c":{"x":1,"y":2,"z":3},"d":4}"#
        );
        assert_eq!(run("del(.missing.x, .b[5])"), run("."));
        assert_eq!(run("del(.[\"a\", \"c\"])"), r#"{"b":[1,2,3],"d":4}"#);
    }

    /// One-line JSON of a value, keys in order.
    fn json(value: &Value) -> String {
        match value {
            Value::Map(map) => {
                let fields: Vec<String> = map
                    .iter()
                    .map(|(k, v)| format!("{k:?}:{}", json(v)))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }
            Value::List(items) => {
                let items: Vec<String> = items.iter().map(json).collect();
                format!("[{}]", items.join(","))
            }
            other => other.to_string(),
        }
    }

    #[test]
    fn compile_errors_say_where() {
        let error = JqProgram::compile(".a |\n  map(ascii_lower)").unwrap_err();
        assert_eq!((error.line, error.column), (2, 7));
        assert_eq!(error.message, "undefined filter ascii_lower/0");
        let error = JqProgram::compile(".a | )").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1, column 6: expected token, found \")\""
        );
        let error = JqProgram::compile(".a | (+)").unwrap_err();
        assert_eq!(
            error.to_string(),
            "line 1, column 7: expected term, found \"+\""
        );
        let error = JqProgram::compile("if . then 1").unwrap_err();
        assert_eq!(error.column, 12);
        assert!(
            error.message.contains("the end of the expression"),
            "{error}"
        );
        assert!(JqProgram::compile("\"abc").is_err());
        assert!(JqProgram::compile("$x").is_err());
    }
}

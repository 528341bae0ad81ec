//! YAML merge keys: `<<: *defaults` and `<<: [*a, *b]` put the keys of other mappings
//! into this one, as YAML 1.1's merge type says and as yq, PyYAML, Jekyll and Hugo read
//! front matter.
//!
//! - Only a plain, untagged `<<` key merges; `"<<"` quoted is an ordinary key.
//! - Its value is a mapping or a list of mappings (usually aliases); anything else is an
//!   error naming it.
//! - A key written in the mapping itself wins over a merged one, wherever it stands.
//!   Within `[*a, *b]` the earlier mapping wins (the YAML 1.1 rule).
//! - Order: the merged keys take the place of the `<<` entry, in the order of the
//!   mappings merged (yq's `explode` gives the same order); the written keys keep
//!   theirs. `a: 1` / `<<: {b: 2, a: 9}` / `c: 3` reads `{a: 1, b: 2, c: 3}`.
//!
//! An in-place rewrite (`recast_yaml::rewrite`) never sees resolved values: it keeps the
//! anchor, the alias and the `<<` line as written.

use recast_model::{Map, Value};

/// The key that merges, when plain and untagged.
pub(crate) const MERGE_KEY: &str = "<<";

/// True when `value` can follow `<<`: a mapping, or a list of mappings.
pub(crate) fn is_mergeable(value: &Value) -> bool {
    match value {
        Value::Map(_) => true,
        Value::List(items) => items.iter().all(|item| matches!(item, Value::Map(_))),
        _ => false,
    }
}

/// The mapping `written` with the mappings of its `<<` entries merged in; each merge
/// is the index among the written entries where its `<<` stood, and its value.
pub(crate) fn merge(written: Map, merges: Vec<(usize, Value)>) -> Map {
    // What each `<<` adds: the keys not written, nor added by an earlier mapping.
    let mut added: Vec<(usize, Map)> = Vec::with_capacity(merges.len());
    for (at, value) in merges {
        let mut keys = Map::default();
        for source in sources(value) {
            for (key, value) in source {
                let taken = written.contains_key(&key)
                    || keys.contains_key(&key)
                    || added.iter().any(|(_, earlier)| earlier.contains_key(&key));
                if !taken {
                    keys.insert(key, value);
                }
            }
        }
        added.push((at, keys));
    }
    let mut merged = Map::default();
    let mut added = added.into_iter().peekable();
    for (index, (key, value)) in written.into_iter().enumerate() {
        while let Some((_, keys)) = added.next_if(|(at, _)| *at == index) {
            merged.extend(keys);
        }
        merged.insert(key, value);
    }
    for (_, keys) in added {
        merged.extend(keys);
    }
    merged
}

/// The mappings a `<<` value names, earliest first.
fn sources(value: Value) -> Vec<Map> {
    match value {
        Value::Map(map) => vec![map],
        Value::List(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Map(map) => Some(map),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

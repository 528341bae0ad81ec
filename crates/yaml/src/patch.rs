//! A changed front-matter entry rewritten by replacing only the scalars whose values
//! changed, in the text as it stands: `.images[].width += 1` changes the `width:` lines
//! and leaves `url: "https://…"` quoted as the author wrote it, where writing the entry
//! anew would requote it, and a comment on a changed line stays. A replaced scalar is
//! written as the writer writes it, so a patch and the entry written anew agree on every
//! changed value.
//!
//! Only a change of values is patched: the same keys in the same order, lists of the
//! same length, no anchors, tags or block scalars in the entry, each changed scalar on
//! one line and written in the entry itself (not merged into it by `<<: *alias`).
//! Anything else is `None`, and the entry is written anew. The rewrite that uses a
//! patch is checked to read as the new record, like every other.

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
use recast_model::{Value, strict_eq};

use crate::write::one_line_scalar;

/// One step of a path inside an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step<'a> {
    Key(std::borrow::Cow<'a, str>),
    Item(usize),
}

/// The text of the entry `key` (its key's line and the lines of its value: `entry`, a
/// slice of the front matter `front`) with each scalar whose value differs between `old`
/// and `new` replaced; `None` when the change is more than that, or the text is not one
/// this patch can read safely. The whole front matter is read when the entry may hold an
/// alias, which may name an anchor in another entry; else the entry alone.
pub(crate) fn patch_changed_scalars(
    front: &str,
    entry: &str,
    key: &str,
    old: &Value,
    new: &Value,
) -> Option<String> {
    // The entry alone reads as itself unless an alias in it names an anchor elsewhere.
    let front = if entry.contains('*') { front } else { entry };
    let entry_at = (entry.as_ptr() as usize).checked_sub(front.as_ptr() as usize)?;
    let entry_end = entry_at
        .checked_add(entry.len())
        .filter(|end| *end <= front.len())?;
    let mut changed = Vec::new();
    let mut path = vec![Step::Key(key.into())];
    changed_scalars(old, new, &mut path, &mut changed)?;
    if changed.is_empty() {
        return None;
    }
    let mut spans = Vec::with_capacity(changed.len());
    // The collections the parser is in, outermost first.
    let mut open: Vec<Open<'_>> = Vec::new();
    let options = granit_parser::options! { emit_comments: false };
    for next in Parser::new_from_str_with_options(front, options) {
        let (event, span) = next.ok()?;
        // Whether the event is in the entry: the root map is at the entry's key.
        let inside = open
            .first()
            .is_some_and(|root| root.key.as_deref() == Some(key));
        match event {
            Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(..)
            | Event::DocumentEnd => {}
            Event::MappingStart(style, anchor, ref tag)
            | Event::SequenceStart(style, anchor, ref tag) => {
                // An anchor ties this text to an alias elsewhere; a key that is a
                // collection is none this patch can name.
                if inside
                    && (anchor != 0 || tag.is_some() || open.last().is_some_and(Open::wants_key))
                {
                    return None;
                }
                let flow = style == StructureStyle::Flow;
                let is_map = matches!(event, Event::MappingStart(..));
                open.push(Open {
                    key: None,
                    item: 0,
                    is_map,
                    flow,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                open.pop()?;
                completed(&mut open);
            }
            Event::Scalar(text_of, style, anchor, tag) => {
                if inside && (anchor != 0 || tag.is_some()) {
                    return None;
                }
                if let Some(map) = open.last_mut().filter(|o| o.wants_key()) {
                    map.key = Some(text_of);
                    continue;
                }
                let here = || open.iter().filter_map(Open::step);
                if let Some(at) = changed
                    .iter()
                    .position(|(path, _)| path.iter().cloned().eq(here()))
                {
                    let (start, end) = (span.start.byte_offset()?, span.end.byte_offset()?);
                    // A null written as nothing has no place on its key's line to patch.
                    if start == end
                        || start < entry_at
                        || end > entry_end
                        || span.start.line() != span.end.line()
                        || matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                    {
                        return None;
                    }
                    let in_flow = open.iter().any(|o| o.flow);
                    let (_, value) = changed.swap_remove(at);
                    spans.push((start - entry_at, end - entry_at, in_flow, value));
                }
                completed(&mut open);
            }
            // An alias (a merge's `<<: *defaults` among them) is left as written: a
            // changed value behind it is not in this text, and is then not found.
            Event::Alias(_) => completed(&mut open),
            _ => return None,
        }
    }
    if !changed.is_empty() {
        return None;
    }
    spans.sort_by_key(|(start, ..)| *start);
    let mut out = String::with_capacity(entry.len() + 16);
    let mut done = 0;
    for (start, end, in_flow, value) in spans {
        out.push_str(entry.get(done..start)?);
        one_line_scalar(&mut out, value, in_flow);
        done = end;
    }
    out.push_str(entry.get(done..)?);
    Some(out)
}

/// A collection the parser is in.
struct Open<'t> {
    /// A map's current key, once read.
    key: Option<std::borrow::Cow<'t, str>>,
    /// A list's current item.
    item: usize,
    is_map: bool,
    flow: bool,
}

impl<'t> Open<'t> {
    fn wants_key(&self) -> bool {
        self.is_map && self.key.is_none()
    }

    fn step(&self) -> Option<Step<'t>> {
        match self.is_map {
            true => self.key.clone().map(Step::Key),
            false => Some(Step::Item(self.item)),
        }
    }
}

/// A value node ended: its map waits for the next key, its list is at the next item.
fn completed(open: &mut [Open<'_>]) {
    if let Some(parent) = open.last_mut() {
        parent.key = None;
        parent.item += 1;
    }
}

/// The scalars that differ between `old` and `new`, with their paths; `None` when the
/// two differ in shape (a key added, removed or moved, a list longer or shorter, a
/// scalar become a list or map).
fn changed_scalars<'v>(
    old: &'v Value,
    new: &'v Value,
    path: &mut Vec<Step<'v>>,
    out: &mut Vec<(Vec<Step<'v>>, &'v Value)>,
) -> Option<()> {
    match (old, new) {
        (Value::Map(old), Value::Map(new)) => {
            if old.len() != new.len() || old.keys().zip(new.keys()).any(|(a, b)| a != b) {
                return None;
            }
            for ((key, old), new) in old.iter().zip(new.values()) {
                path.push(Step::Key(key.as_str().into()));
                changed_scalars(old, new, path, out)?;
                path.pop();
            }
            Some(())
        }
        (Value::List(old), Value::List(new)) => {
            if old.len() != new.len() {
                return None;
            }
            for (i, (old, new)) in old.iter().zip(new).enumerate() {
                path.push(Step::Item(i));
                changed_scalars(old, new, path, out)?;
                path.pop();
            }
            Some(())
        }
        (Value::Map(_) | Value::List(_), _) | (_, Value::Map(_) | Value::List(_)) => None,
        (old, new) if strict_eq(old, new) => Some(()),
        (_, new) => {
            out.push((path.clone(), new));
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(yaml: &str) -> Value {
        crate::parse_value(yaml, None, 1, &Default::default()).unwrap()
    }

    /// The entry `text` (key `key`) patched to hold `new` (YAML) instead of its value.
    fn patched(text: &str, new: &str) -> Option<String> {
        let Value::Map(old) = value(text) else {
            panic!("an entry is a map")
        };
        let (key, old) = old.into_iter().next().unwrap();
        patch_changed_scalars(text, text, &key, &old, &value(new))
    }

    #[test]
    fn only_the_changed_scalars_are_replaced() {
        let images = "images:\n  - url: \"https://x/a.jpg\"   # the big one\n    width: 945\n    alt: 'it''s'\n  - url: \"https://x/b.jpg\"\n    width: 300\n";
        assert_eq!(
            patched(
                images,
                "[{url: 'https://x/a.jpg', width: 946, alt: 'it is'}, {url: 'https://x/b.jpg', width: 300}]"
            )
            .unwrap(),
            "images:\n  - url: \"https://x/a.jpg\"   # the big one\n    width: 946\n    alt: it is\n  - url: \"https://x/b.jpg\"\n    width: 300\n"
        );
        // Changed values are written as the writer writes them; inside a flow list, a
        // comma cannot be plain.
        assert_eq!(
            patched(
                "tags: [AI, \"Deep Learning\", x]\n",
                "[ai, 'deep learning', 'x, y']"
            )
            .unwrap(),
            "tags: [ai, deep learning, \"x, y\"]\n"
        );
        assert_eq!(
            patched("title: Hi  # as written\n", "'2024'").unwrap(),
            "title: \"2024\"  # as written\n"
        );
        assert_eq!(
            patched("meta:\n  n: '1'\n", "{n: 2}").unwrap(),
            "meta:\n  n: 2\n"
        );
    }

    #[test]
    fn anything_but_a_change_of_values_is_left_to_the_writer() {
        // A key added, a list longer, a scalar become a list.
        assert_eq!(patched("m:\n  a: 1\n", "{a: 1, b: 2}"), None);
        assert_eq!(patched("l:\n  - a\n", "[a, b]"), None);
        assert_eq!(patched("s: a\n", "[a]"), None);
        // No change at all, a block scalar, a null written as nothing, a value over lines.
        assert_eq!(patched("s: a\n", "a"), None);
        assert_eq!(patched("s: |\n  a\n", "b"), None);
        assert_eq!(patched("s:\n", "b"), None);
        assert_eq!(patched("s: \"a\n  b\"\n", "c"), None);
        // Anchors and tags tie or type the text beyond this entry.
        assert_eq!(patched("s: &x a\n", "b"), None);
        assert_eq!(patched("s: !!str 1\n", "'2'"), None);
        assert_eq!(patched("m: &m\n  a: 1\n", "{a: 2}"), None);
    }

    #[test]
    fn a_merge_inside_the_entry_stays_and_only_its_own_keys_are_patched() {
        let front = "defaults: &d {author: Ann, lang: en}\nmeta:\n  <<: *d\n  lang: fr\ntitle: T\n";
        let entry = &front[front.find("meta").unwrap()..front.find("title").unwrap()];
        let Value::Map(old) = value(front) else {
            panic!("a map")
        };
        let new = value("{author: Ann, lang: de}");
        assert_eq!(
            patch_changed_scalars(front, entry, "meta", &old["meta"], &new).unwrap(),
            "meta:\n  <<: *d\n  lang: de\n"
        );
        // A merged value is not in the entry's text: the entry is written anew.
        let merged = value("{author: Bob, lang: fr}");
        assert_eq!(
            patch_changed_scalars(front, entry, "meta", &old["meta"], &merged),
            None
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Front matters whose entry `e` holds nested scalars in every style.
        const FRONTS: [&str; 6] = [
            "a: 1\ne:\n  name: \"Harvard\"   # quoted\n  n: 3\n  tags: [x, 'y z', \"w\"]\nz: 2\n",
            "e:\n  - url: \"https://x/a.jpg\"\n    width: 945\n  - url: 'b'\n    width: 300\n",
            "d: &d {k: v}\ne:\n  <<: *d\n  lang: fr\n  deep:\n    - [1, 2.5, \"3\"]\n",
            "e: {a: 1, b: [c, \"d\"], 'e f': ~}\n",
            "e:\n  # a comment\n  a: plain words here\n  b: -1\n  c: true\n",
            "e: \"scalar\"  # kept\n",
        ];

        /// The `k`-th scalar inside `value` (depth first) set to `new`.
        fn set_leaf(value: &mut Value, k: &mut usize, new: &Value) -> bool {
            match value {
                Value::Map(map) => map.values_mut().any(|v| set_leaf(v, k, new)),
                Value::List(items) => items.iter_mut().any(|v| set_leaf(v, k, new)),
                scalar if *k == 0 => {
                    *scalar = new.clone();
                    true
                }
                _ => {
                    *k -= 1;
                    false
                }
            }
        }

        fn leaf() -> impl Strategy<Value = Value> {
            prop_oneof![
                "[a-z '#:,\\[\\]{}\"&*!|>%@`-]{0,8}".prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<bool>().prop_map(Value::Bool),
                Just(Value::Null),
                Just(Value::from("2020-11-11")),
                Just(Value::from("line\nbreak")),
            ]
        }

        proptest! {
            /// A patch, when there is one, reads as the new value, and changes at most
            /// the lines of the scalars that changed.
            #[test]
            fn a_patch_reads_as_the_new_value_and_changes_only_its_lines(
                front in 0usize..FRONTS.len(),
                changes in proptest::collection::vec((0usize..12, leaf()), 1..4),
            ) {
                let front = FRONTS[front];
                let Value::Map(old) = value(front) else { panic!("a map") };
                let mut new = old.clone();
                for (k, to) in &changes {
                    set_leaf(&mut new["e"], &mut k.clone(), to);
                }
                let start = front.find("e:").or_else(|| front.find("e: ")).unwrap();
                let end = front[start..].find("\nz:").map_or(front.len(), |i| start + i + 1);
                let entry = &front[start..end];
                if let Some(patched) = patch_changed_scalars(front, entry, "e", &old["e"], &new["e"]) {
                    let text = format!("{}{patched}{}", &front[..start], &front[end..]);
                    let read = value(&text);
                    prop_assert!(strict_eq(&read, &Value::Map(new.clone())), "{text:?}");
                    let before: Vec<&str> = entry.lines().collect();
                    let after: Vec<&str> = patched.lines().collect();
                    prop_assert_eq!(before.len(), after.len());
                    let differing = before.iter().zip(&after).filter(|(a, b)| a != b).count();
                    prop_assert!(differing <= changes.len(), "{entry:?} -> {patched:?}");
                }
            }
        }
    }
}

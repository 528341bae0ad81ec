//! Minimal-diff rewriting of Markdown front matter: a migrated record is written back
//! into its file changing only the top-level entries the migration touched, so the
//! git diff of a 10,000-file migration stays readable.
//!
//! The front matter is cut into top-level entries (`cut.rs`: by the fast reader for
//! plain block YAML, else with the positions of granit-parser's events): an entry runs
//! from its key's line to the line before the next top-level key; the blank and comment
//! lines at its end are its *trivia*. Then, for each top-level
//! field of the new record, in its order:
//!
//! - same value as before (strict equality) → the original text, verbatim;
//! - a field renamed with its value unchanged → only the key on its first line changes;
//! - a changed value → that entry alone is written by recast's YAML writer, and keeps
//!   the blank and comment lines that followed it;
//! - a deleted field → its lines go, with its trivia;
//! - an added field → written after the field before it (before that field's trailing
//!   blank line, if the field before is a scalar), with a blank line around a block.
//!
//! Lines before the first key, the `---` lines, a BOM, CRLF line ends and the body stay
//! byte for byte (a changed body is written after one blank line, as the writer does).
//! Anchors, aliases and merge keys (`<<: *defaults`) in values are kept as written: an
//! unchanged entry is verbatim, and the fields a merge gives stay given by it unless
//! their value changes (then the field is written as a key of its own, which wins).
//! A front matter that cannot be cut safely (flow style, anchored or aliased keys,
//! complex keys, keys not at column 0, a file without front matter) is written whole by
//! the writer instead; so is any result that would not read back as the new record (a
//! changed anchored entry that aliases still point to, a merged field deleted).
//!
//! ```
//! use recast_model::Value;
//! use recast_yaml::rewrite::rewrite_markdown;
//! use recast_yaml::read_markdown;
//!
//! let text = "---\ntitle: 'Hello'   # kept as written\ndate: 2020-11-11\ndraft: yes\n---\n\nBody.\n";
//! let old = read_markdown(text.as_bytes(), None)?;
//! let mut new = old.clone();
//! new.fields.insert("draft".into(), Value::Bool(false));
//! let date = new.fields.shift_remove("date").unwrap();
//! new.fields.shift_insert(1, "published".into(), date);
//! assert_eq!(
//!     rewrite_markdown(text, &old, &new),
//!     "---\ntitle: 'Hello'   # kept as written\npublished: 2020-11-11\ndraft: false\n---\n\nBody.\n"
//! );
//! # Ok::<(), recast_model::Error>(())
//! ```

use std::borrow::Cow;

use recast_model::{BODY, Map, Record, Result, Value, strict_eq};

use crate::cut::{Entry, FrontMatter, FrontMatterKeys};
use crate::fence::{self, Fenced, FrontMatterDialect, Split};
use crate::patch::patch_changed_scalars;
use crate::write::{record_fields, to_yaml_string, write_entry, write_flow};

/// Rewrites a Markdown file's text (`original`, read as `old`) so that it reads as
/// `new`, changing as few lines as it can (see the module docs). Returns `original`
/// itself when the records are equal.
pub fn rewrite_markdown(original: &str, old: &Record, new: &Record) -> String {
    rewrite_yaml(
        original,
        fenced(original),
        old,
        new,
        &FrontMatterKeys::default(),
    )
}

/// [`rewrite_markdown`] of a file already cut at its fences (`None`: it has no closed
/// YAML front matter), whose front matter has its entries at `keys` when `old` was read
/// with them.
fn rewrite_yaml(
    original: &str,
    file: Option<Fenced<'_>>,
    old: &Record,
    new: &Record,
    keys: &FrontMatterKeys,
) -> String {
    if old == new {
        return original.to_owned();
    }
    if let Some(parts) = &file
        && let Some((text, order, checked)) = minimal_rewrite(parts, old, new, keys)
        && (checked || reads_as(&text, new, order))
    {
        return text;
    }
    whole_rewrite(original, file.as_ref(), new)
}

/// [`rewrite_markdown`] for a file in any front-matter dialect, which it keeps: YAML as
/// above; TOML edited with toml_edit, so unchanged fields keep their text and comments
/// and an added field is one added line (TOML puts plain keys before `[tables]`, so an
/// added key may come before a table the record lists it after); a JSON object
/// rewritten whole with the indentation it had. The BOM, the fences and the body stay
/// as they were unless the body changed.
///
/// A value the dialect cannot hold (`null` in TOML) is an error naming the field.
///
/// ```
/// use recast_model::Value;
/// use recast_yaml::{read_markdown, rewrite::rewrite_front_matter};
/// let text = "+++\ntitle = 'Hi'  # as written\n\n[taxonomies]\ntags = [\"a\"]\n+++\nBody\n";
/// let old = read_markdown(text.as_bytes(), None)?;
/// let mut new = old.clone();
/// new.fields.insert("x".into(), Value::from(1));
/// assert_eq!(
///     rewrite_front_matter(text, &old, &new)?,
///     "+++\ntitle = 'Hi'  # as written\nx = 1\n\n[taxonomies]\ntags = [\"a\"]\n+++\nBody\n"
/// );
/// # Ok::<(), recast_model::Error>(())
/// ```
pub fn rewrite_front_matter(original: &str, old: &Record, new: &Record) -> Result<String> {
    rewrite_front_matter_keyed(original, old, &FrontMatterKeys::default(), new)
}

/// [`rewrite_front_matter`] of a file read by [`crate::read_markdown_keyed`], which gave
/// `old` and `keys`: the YAML front matter is cut at those keys instead of being read
/// again. `old` must be the record that read gave, unchanged; `keys` are used only
/// when they match the text and the record's keys, else the front matter is read again.
///
/// ```
/// use recast_model::Value;
/// use recast_yaml::{YamlReadOptions, read_markdown_keyed, rewrite::rewrite_front_matter_keyed};
/// let text = "---\ntitle: Hi  # as written\ntags: [a]\n---\nBody\n";
/// let (old, keys) = read_markdown_keyed(text.into(), None, &YamlReadOptions::default())?;
/// let mut new = old.clone();
/// new.fields.insert("title".into(), Value::from("Hello"));
/// // Only the changed value is replaced: its comment stays.
/// assert_eq!(
///     rewrite_front_matter_keyed(text, &old, &keys, &new)?,
///     "---\ntitle: Hello  # as written\ntags: [a]\n---\nBody\n"
/// );
/// # Ok::<(), recast_model::Error>(())
/// ```
pub fn rewrite_front_matter_keyed(
    original: &str,
    old: &Record,
    keys: &FrontMatterKeys,
    new: &Record,
) -> Result<String> {
    let parts = match fence::split(original) {
        Split::Fenced(parts) if parts.dialect != FrontMatterDialect::Yaml => parts,
        Split::Fenced(parts) => return Ok(rewrite_yaml(original, Some(parts), old, new, keys)),
        _ => return Ok(rewrite_yaml(original, None, old, new, keys)),
    };
    if old == new {
        return Ok(original.to_owned());
    }
    let (old_front, old_body) = front_and_body(old);
    let (new_front, new_body) = front_and_body(new);
    let front = match parts.dialect {
        FrontMatterDialect::Toml => {
            let edited = crate::toml::edit_fields(parts.front, &old_front, &new_front, new)?;
            // Plain keys before tables is TOML's order: compare the values, not the order.
            match crate::toml::read_fields(&edited, None, 2) {
                Ok(back) if back == new_front => edited,
                _ => crate::toml::write_fields(&new_front, new)?,
            }
        }
        _ => {
            let indent = crate::json::indentation(parts.front);
            crate::json::write_fields(&new_front, indent, new)?
        }
    };
    let mut out = String::with_capacity(original.len() + 64);
    out.push_str(parts.bom);
    out.push_str(parts.open);
    out.push_str(&with_eol(front, parts.eol));
    push_close_and_body(&mut out, &parts, old_body, new_body);
    Ok(out)
}

/// Whether a Markdown file's text opens with front matter in any dialect: `---` YAML,
/// `+++` TOML or a JSON object. A file without it (a `README.md`, an empty file) must
/// not be given front matter by an edit: `migrate --in-place` leaves such files alone.
///
/// ```
/// use recast_yaml::rewrite::has_front_matter;
/// assert!(has_front_matter("+++\ntitle = \"x\"\n+++\n"));
/// assert!(has_front_matter("{\"title\": \"x\"}\n"));
/// assert!(!has_front_matter("# Readme\n"));
/// ```
pub fn has_front_matter(text: &str) -> bool {
    !matches!(fence::split(text), Split::Plain)
}

/// Whether a Markdown file's text opens with YAML front matter (a `---` line, after a
/// BOM). A file without it (a `README.md`, an empty file, Hugo's TOML `+++`) must not be
/// given YAML front matter by an edit: `migrate --in-place` leaves such files alone.
///
/// ```
/// use recast_yaml::rewrite::has_yaml_front_matter;
/// assert!(has_yaml_front_matter("\u{feff}---\r\ntitle: x\r\n---\r\n"));
/// assert!(!has_yaml_front_matter("+++\ntitle = \"x\"\n+++\n"));
/// assert!(!has_yaml_front_matter("# Readme\n"));
/// assert!(!has_yaml_front_matter(""));
/// ```
pub fn has_yaml_front_matter(text: &str) -> bool {
    match fence::split(text) {
        Split::Fenced(parts) => parts.dialect == FrontMatterDialect::Yaml,
        Split::Unclosed { .. } => true,
        Split::Plain => false,
    }
}

/// The 1-based file line of each top-level front-matter key of a Markdown file, in
/// order (empty when the front matter cannot be cut into entries). For messages that
/// point at a field.
pub fn field_lines(original: &str) -> Vec<(String, u64)> {
    let Some(parts) = fenced(original) else {
        return Vec::new();
    };
    let Some(front) = FrontMatter::parse(parts.front) else {
        return Vec::new();
    };
    // The front matter starts on the line after the opening fence.
    let first = 2;
    front
        .entries
        .into_iter()
        .map(|e| (e.key.into_owned(), e.line + first - 1))
        .collect()
}

/// The file cut at its fences, when it has YAML front matter that is closed.
fn fenced(text: &str) -> Option<Fenced<'_>> {
    match fence::split(text) {
        Split::Fenced(parts) if parts.dialect == FrontMatterDialect::Yaml => Some(parts),
        _ => None,
    }
}

/// Splits a record's fields as a Markdown file holds them: the front-matter fields, and
/// the string body (a non-string `body` stays in the front matter).
fn front_and_body(record: &Record) -> (Map, Option<&str>) {
    let (front, body) = Front::of(record);
    let fields = front.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    (fields, body)
}

/// A record's front-matter fields, borrowed: its fields less a string body, which a
/// Markdown file holds after its front matter. Indices count the front-matter fields.
#[derive(Clone, Copy)]
struct Front<'a> {
    fields: &'a Map,
    /// Where the string body is among `fields`.
    body_at: Option<usize>,
}

impl<'a> Front<'a> {
    /// The front-matter fields of a record, and its string body.
    fn of(record: &'a Record) -> (Front<'a>, Option<&'a str>) {
        let body = record.fields.get_full(BODY).and_then(|(at, _, value)| {
            let body = value.as_str()?;
            Some((at, body))
        });
        let front = Front {
            fields: &record.fields,
            body_at: body.map(|(at, _)| at),
        };
        (front, body.map(|(_, body)| body))
    }

    /// All of `fields`, as front-matter fields.
    fn whole(fields: &'a Map) -> Front<'a> {
        Front {
            fields,
            body_at: None,
        }
    }

    fn len(&self) -> usize {
        self.fields.len() - usize::from(self.body_at.is_some())
    }

    fn iter(&self) -> impl Iterator<Item = (&'a String, &'a Value)> + use<'a> {
        let body_at = self.body_at;
        (self.fields.iter().enumerate())
            .filter(move |(at, _)| Some(*at) != body_at)
            .map(|(_, entry)| entry)
    }

    fn keys(&self) -> impl Iterator<Item = &'a String> + use<'a> {
        self.iter().map(|(key, _)| key)
    }

    fn get_index_of(&self, key: &str) -> Option<usize> {
        let at = self.fields.get_index_of(key)?;
        match self.body_at {
            Some(body) if body == at => None,
            Some(body) if body < at => Some(at - 1),
            _ => Some(at),
        }
    }

    fn get(&self, key: &str) -> Option<&'a Value> {
        self.get_index_of(key).map(|at| self.value(at))
    }

    fn contains_key(&self, key: &str) -> bool {
        self.get_index_of(key).is_some()
    }

    /// The value of the `at`-th front-matter field.
    fn value(&self, at: usize) -> &'a Value {
        let at = match self.body_at {
            Some(body) if body <= at => at + 1,
            _ => at,
        };
        &self.fields[at]
    }
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Map(m) => !m.is_empty(),
        Value::List(l) => !l.is_empty(),
        _ => false,
    }
}

/// One entry written as `key: value` lines by the writer.
fn emit_entry(key: &String, value: &Value, eol: &str) -> String {
    let mut out = String::new();
    write_entry(&mut out, key, value);
    with_eol(out, eol)
}

/// A changed entry in the style it was written in. When the text is not what the
/// writer would write (quotes the author chose, a flow list), only the scalars that
/// changed are replaced in it, where the change is one of values alone; a list or map
/// that was a flow collection on its key's line (`tags: [a, b]`) stays one, on one line
/// while it fits in 100 characters; anything else (an empty `[]` too) is written as the
/// writer writes it. Returns the text and whether it is a block.
fn emit_changed_entry(
    front: &str,
    entry: &Entry<'_>,
    key: &String,
    old: &Value,
    new: &Value,
    eol: &str,
) -> (String, bool) {
    let anew = emit_entry(key, new, eol);
    // Written anew, text in the writer's own layout changes on the changed lines alone;
    // so does other text whose every line in another layout holds a changed value.
    if !changes_no_more_than_a_patch(&emit_entry(key, old, eol), entry.content, &anew)
        && let Some(patched) = patch_changed_scalars(front, entry.content, key, old, new)
    {
        return (patched, is_block(new));
    }
    let (Some(written_key), Some(after_key)) = (
        entry.content.get(..entry.key_len),
        entry.content.get(entry.key_len..),
    ) else {
        return (anew, is_block(new));
    };
    let old_value = after_key.trim_start_matches([' ', '\t']);
    let old_value = old_value.strip_prefix(':').unwrap_or(old_value).trim();
    // `[]` and `{}` are how any writer puts an empty list or map: no style was chosen.
    let was_flow = old_value.starts_with(['[', '{'])
        && !old_value.contains('\n')
        && !matches!(old_value, "[]" | "{}");
    if was_flow && matches!(new, Value::List(_) | Value::Map(_)) {
        let mut line = format!("{written_key}: ");
        write_flow(&mut line, new);
        if line.chars().count() <= 100 {
            line.push_str(eol);
            return (line, false);
        }
    }
    (anew, is_block(new))
}

/// Whether writing an entry anew (`new_anew`) gives what a patch of its changed scalars
/// would, found without parsing: line for line, the `text` is what the writer writes for
/// the old value (`old_anew`), or differs from it only in quotes on a line whose value
/// changes (a patch writes a changed value as the writer does). Most entries are so.
fn changes_no_more_than_a_patch(old_anew: &str, text: &str, new_anew: &str) -> bool {
    if old_anew == text {
        return true;
    }
    let same_but_quotes = |a: &str, b: &str| {
        let not_quote = |c: &char| !matches!(c, '"' | '\'');
        a.chars().filter(not_quote).eq(b.chars().filter(not_quote))
    };
    let count = |s: &str| s.lines().count();
    let lines = count(text);
    count(old_anew) == lines
        && count(new_anew) == lines
        && (old_anew.lines().zip(text.lines()).zip(new_anew.lines()))
            .all(|((old, text), new)| old == text || (old != new && same_but_quotes(old, text)))
}

/// A key as the writer writes it, when it fits on one line.
fn emit_key(key: &str) -> Option<String> {
    let mut map = Map::default();
    map.insert(key.to_owned(), Value::Null);
    let text = to_yaml_string(&Value::Map(map));
    let key = text.strip_suffix(": null\n")?;
    (!key.contains('\n')).then(|| key.to_owned())
}

fn with_eol(text: String, eol: &str) -> String {
    if eol == "\n" {
        text
    } else {
        text.replace('\n', eol)
    }
}

/// A rewritten piece of front matter.
struct Piece<'a> {
    content: Cow<'a, str>,
    trivia: Cow<'a, str>,
    /// The entry's text in the file, when the piece keeps it verbatim.
    kept: Option<&'a str>,
    block: bool,
    /// The value is text ending with a line break: maybe a keep-chomped block scalar
    /// (`|+`), which would take any blank line written right after it as its own.
    ends_with_break: bool,
}

/// Whether a rewrite must read back with the record's top-level key order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyOrder {
    /// Yes: the order is the file's.
    Kept,
    /// No: a merge key (`<<`) puts the fields it gives where it stands, so a merged field
    /// set anew may read back in another place.
    Merged,
}

/// The front matter rewritten entry by entry, how it must read back, and whether that
/// is already known ([`pieces_read_as`]); `None` when it cannot be cut or does not
/// match `old`.
fn minimal_rewrite(
    parts: &Fenced<'_>,
    old: &Record,
    new: &Record,
    keys: &FrontMatterKeys,
) -> Option<(String, KeyOrder, bool)> {
    let (old_front, old_body) = Front::of(old);
    let expected: Vec<(&str, &Value)> = (old_front.iter())
        .map(|(key, value)| (key.as_str(), value))
        .collect();
    let front = FrontMatter::parse_read(parts.front, &expected, keys)?;
    let (new_front, new_body) = Front::of(new);
    let order = match front.entries.iter().any(|e| e.merge) {
        true => KeyOrder::Merged,
        false => KeyOrder::Kept,
    };
    let written = as_written(&front, old_front, new_front)?;
    let (old_front, new_front) = match &written {
        Some((old, new)) => (Front::whole(old), Front::whole(new)),
        None => (old_front, new_front),
    };
    // The cut must match what the reader read, key for key.
    if front.entries.len() != old_front.len()
        || front
            .entries
            .iter()
            .zip(old_front.keys())
            .any(|(e, k)| e.key != *k)
    {
        return None;
    }
    if old_body != parts.body() {
        return None;
    }
    let eol = parts.eol;
    // Which old entry each new field comes from, found in three passes so that a field
    // renamed while its old name is set anew (`--rename a=b --set a=x`) is still a
    // rename: same key and value; then a new key whose value an unclaimed entry holds
    // (a rename, preferring old keys that are gone); then same key, new value.
    #[derive(Clone, Copy)]
    enum Source {
        Verbatim(usize),
        Renamed(usize),
        Changed(usize),
        Added,
    }
    let mut claimed = vec![false; front.entries.len()];
    let mut sources = vec![Source::Added; new_front.len()];
    for (n, (key, value)) in new_front.iter().enumerate() {
        if let Some(i) = old_front.get_index_of(key)
            && strict_eq(old_front.value(i), value)
        {
            claimed[i] = true;
            sources[n] = Source::Verbatim(i);
        }
    }
    for (n, (key, value)) in new_front.iter().enumerate() {
        if old_front.contains_key(key) {
            continue;
        }
        let candidate = |gone: bool| {
            old_front.iter().enumerate().position(|(i, (k, v))| {
                !claimed[i] && new_front.contains_key(k) != gone && strict_eq(v, value)
            })
        };
        if let Some(i) = candidate(true).or_else(|| candidate(false)) {
            claimed[i] = true;
            sources[n] = Source::Renamed(i);
        }
    }
    for (n, key) in new_front.keys().enumerate() {
        if matches!(sources[n], Source::Added)
            && let Some(i) = old_front.get_index_of(key)
            && !claimed[i]
        {
            claimed[i] = true;
            sources[n] = Source::Changed(i);
        }
    }
    let mut pieces: Vec<Piece> = Vec::with_capacity(new_front.len());
    for ((key, value), source) in new_front.iter().zip(sources) {
        let block = is_block(value);
        let ends_with_break = value.as_str().is_some_and(|t| t.ends_with('\n'));
        if let Source::Verbatim(i) | Source::Changed(i) = source {
            let entry = &front.entries[i];
            let (content, kept, block) = match source {
                Source::Verbatim(_) => (Cow::Borrowed(entry.content), Some(entry.content), block),
                _ => {
                    let (content, block) =
                        emit_changed_entry(parts.front, entry, key, old_front.value(i), value, eol);
                    (Cow::Owned(content), None, block)
                }
            };
            pieces.push(Piece {
                content,
                trivia: Cow::Borrowed(entry.trivia),
                kept,
                block,
                ends_with_break,
            });
        } else if let Source::Renamed(i) = source {
            let entry = &front.entries[i];
            let content = match emit_key(key) {
                Some(new_key) => format!("{new_key}{}", entry.content.get(entry.key_len..)?),
                None => emit_entry(key, value, eol),
            };
            pieces.push(Piece {
                content: Cow::Owned(content),
                trivia: Cow::Borrowed(entry.trivia),
                kept: None,
                block,
                ends_with_break,
            });
        } else {
            let emitted = emit_entry(key, value, eol);
            match pieces.last_mut() {
                Some(previous) if !previous.block && !block => {
                    let trivia = std::mem::take(&mut previous.trivia);
                    pieces.push(Piece {
                        content: Cow::Owned(emitted),
                        trivia,
                        kept: None,
                        block,
                        ends_with_break,
                    });
                }
                Some(previous) if block => {
                    let before = if previous.trivia.is_empty() && !previous.ends_with_break {
                        eol
                    } else {
                        ""
                    };
                    pieces.push(Piece {
                        content: Cow::Owned(format!("{before}{emitted}")),
                        trivia: Cow::Borrowed(eol),
                        kept: None,
                        block,
                        ends_with_break,
                    });
                }
                _ => pieces.push(Piece {
                    content: Cow::Owned(emitted),
                    trivia: Cow::Borrowed(if block { eol } else { "" }),
                    kept: None,
                    block,
                    ends_with_break,
                }),
            }
        }
    }
    // A front matter that ended right after its last value still does (deleting the
    // last field must not leave the blank line that stood before it at the end).
    let ended_blank = front
        .entries
        .last()
        .is_none_or(|e| e.trivia.lines().any(|l| l.trim().is_empty()));
    if !ended_blank && let Some(last) = pieces.last_mut() {
        while let Some(stripped) = last
            .trivia
            .strip_suffix(eol)
            .filter(|rest| rest.is_empty() || rest.ends_with('\n'))
        {
            let len = stripped.len();
            last.trivia.to_mut().truncate(len);
        }
        if last.trivia.is_empty() && !last.ends_with_break {
            while last.content.ends_with(&format!("{eol}{eol}")) {
                let len = last.content.len() - eol.len();
                last.content.to_mut().truncate(len);
            }
        }
    }
    let mut out = String::with_capacity(
        parts.bom.len() + parts.open.len() + parts.front.len() + parts.rest.len() + 64,
    );
    out.push_str(parts.bom);
    out.push_str(parts.open);
    out.push_str(front.prefix);
    for piece in &pieces {
        out.push_str(&piece.content);
        out.push_str(&piece.trivia);
    }
    if !out.ends_with('\n') {
        out.push_str(eol);
    }
    push_close_and_body(&mut out, parts, old_body, new_body);
    let checked = written.is_none() && pieces_read_as(&front, &pieces, new_front);
    Some((out, order, checked))
}

/// Whether a minimal rewrite of a front matter the fast reader cut reads as the new
/// fields, found without reading the whole text again; `false` leaves the question to
/// [`reads_as`].
///
/// The fast reader reads a front matter line by line: each top-level entry from its
/// key's line to the next line at column 0, skipping blank and comment lines, and gives
/// up on anything else. So a text made of entries it reads alone, with only blank and
/// comment lines between them, reads as those entries one after the other (distinct
/// keys, and far from its node budget). An entry kept verbatim reads as it did, which
/// is the old record's value if the fast reader read the old text as the old record
/// (the cut's `reads_as_expected`, found while cutting, without building the values);
/// any other entry is read alone. The body and the fences are the rewrite's own: the
/// old body verbatim, or the new one after a blank line; no line the fast reader takes
/// can be a fence.
fn pieces_read_as(front: &FrontMatter<'_>, pieces: &[Piece<'_>], new_front: Front<'_>) -> bool {
    /// Far below the fast reader's million nodes, however the entries are written.
    const MAX_CHECKED_BYTES: usize = 100_000;
    if !front.reads_as_expected {
        return false;
    }
    let size: usize = pieces
        .iter()
        .map(|p| p.content.len() + p.trivia.len())
        .sum();
    if size + front.prefix.len() > MAX_CHECKED_BYTES
        || pieces.len() != new_front.len()
        || !crate::fast::only_blank_and_comment_lines(front.prefix)
        || !(front.prefix.is_empty() || front.prefix.ends_with('\n'))
    {
        return false;
    }
    // Whole lines each, so that no line of one part runs on into the next.
    let whole_lines = |text: &str| text.is_empty() || text.ends_with('\n');
    pieces.iter().zip(new_front.iter()).all(|(piece, field)| {
        let kept = piece.kept == Some(&*piece.content);
        whole_lines(&piece.content)
            && whole_lines(&piece.trivia)
            && crate::fast::only_blank_and_comment_lines(&piece.trivia)
            && (kept || crate::fast::reads_as_fields(&piece.content, &[(field.0, field.1)]))
    })
}

/// The top-level fields as the text writes them, old and new, when the front matter
/// has a merge key (`<<: *defaults`): the fields the merge gives are left out, and `<<`
/// stands as an entry of its own (valued null, so it is kept verbatim). A new field the
/// merge still gives (no written key, the same value) is left out too; one whose value
/// changed is written as a key of its own, which wins over the merged one. `None` when
/// the cut does not match the record. `Some(None)` when there is no merge key: the
/// fields are as the records hold them.
fn as_written(
    front: &FrontMatter<'_>,
    old: Front<'_>,
    new: Front<'_>,
) -> Option<Option<(Map, Map)>> {
    let Some(merge_at) = front.entries.iter().position(|e| e.merge) else {
        return Some(None);
    };
    let merge_key = crate::merge::MERGE_KEY;
    if old.contains_key(merge_key) || new.contains_key(merge_key) {
        return None; // A written "<<" beside the merge: not worth a minimal rewrite.
    }
    let mut old_written = Map::default();
    for entry in &front.entries {
        let value = match entry.merge {
            true => Value::Null,
            false => old.get(entry.key.as_ref())?.clone(),
        };
        old_written.insert(entry.key.to_string(), value);
    }
    let merged = |key: &str| !old_written.contains_key(key) && old.contains_key(key);
    let mut new_written = Map::default();
    let mut merge_placed = false;
    for (key, value) in new.iter() {
        let still_merged = merged(key) && old.get(key).is_some_and(|o| strict_eq(o, value));
        if still_merged {
            if !merge_placed {
                new_written.insert(merge_key.to_owned(), Value::Null);
                merge_placed = true;
            }
            continue;
        }
        new_written.insert(key.clone(), value.clone());
    }
    if !merge_placed {
        // After the written field it followed, if that field is still there.
        let at = match merge_at.checked_sub(1) {
            None => 0,
            Some(before) => new_written
                .get_index_of(front.entries[before].key.as_ref())
                .map_or(new_written.len(), |i| i + 1),
        };
        new_written.shift_insert(at, merge_key.to_owned(), Value::Null);
    }
    Some(Some((old_written, new_written)))
}

/// The closing line and the body: as they were when the body did not change.
fn push_close_and_body(out: &mut String, parts: &Fenced<'_>, old: Option<&str>, new: Option<&str>) {
    out.push_str(parts.close);
    if old == new {
        out.push_str(parts.rest);
        return;
    }
    if let Some(body) = new {
        if !parts.close.ends_with('\n') {
            out.push_str(parts.eol);
        }
        out.push_str(parts.eol);
        out.push_str(body);
    }
}

/// The whole front matter written by the writer (the BOM, line ends, markers and an
/// unchanged body kept when the file had front matter).
fn whole_rewrite(original: &str, parts: Option<&Fenced<'_>>, new: &Record) -> String {
    let (front, new_body) = front_and_body(new);
    let mut fields = String::new();
    if !front.is_empty() {
        record_fields(&mut fields, &front);
    }
    match parts {
        Some(parts) => {
            let mut out = String::new();
            out.push_str(parts.bom);
            out.push_str(parts.open);
            out.push_str(&with_eol(fields, parts.eol));
            push_close_and_body(&mut out, parts, parts.body(), new_body);
            if reads_as(&out, new, KeyOrder::Kept) {
                return out;
            }
            crate::to_markdown_string(new)
        }
        None => {
            let bom = if original.starts_with('\u{FEFF}') {
                "\u{FEFF}"
            } else {
                ""
            };
            format!("{bom}{}", crate::to_markdown_string(new))
        }
    }
}

/// True when `text` reads back as `record`, with its top-level keys in the record's
/// order unless `order` lets them move. A string body is the text after the front
/// matter (both rewrites write it there, never in the front matter).
fn reads_as(text: &str, record: &Record, order: KeyOrder) -> bool {
    let Ok((read, read_body)) = crate::front_matter::read_fields_and_body(text) else {
        return false;
    };
    let (front, body) = Front::of(record);
    if read_body != body || read.len() != front.len() {
        return false;
    }
    let mut expected = front.iter();
    match order {
        KeyOrder::Kept => (read.iter().zip(expected))
            .all(|((key, value), (k, v))| key == k && strict_eq(value, v)),
        KeyOrder::Merged => {
            expected.all(|(key, value)| read.get(key).is_some_and(|v| strict_eq(v, value)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter::read_markdown;

    const SAMPLE: &str = "---\n# an archive record\ncategory: news\ntitle: \"AI revolution\"\npublishedDateTime: 2020-11-11T16:36:00Z\npublished: false\n\nprovider:\n  name: Harvard Medical School\n  domain: harvard.edu\n\ntopics:\n  - AI\n\nsecured: 'x'   # opaque\n---\n\nBody **text**.\n";

    fn read(text: &str) -> Record {
        read_markdown(text.as_bytes(), None).unwrap()
    }

    fn rewrite(text: &str, edit: impl FnOnce(&mut Map)) -> String {
        let old = read(text);
        let mut new = old.clone();
        edit(&mut new.fields);
        let out = rewrite_markdown(text, &old, &new);
        assert!(
            reads_as(&out, &new, KeyOrder::Kept),
            "the rewrite reads back as the new record:\n{out}"
        );
        out
    }

    /// The changed lines: (removed, added).
    fn diff(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
        let a: Vec<&str> = a.lines().collect();
        let b: Vec<&str> = b.lines().collect();
        let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let suffix = a[prefix..]
            .iter()
            .rev()
            .zip(b[prefix..].iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        (
            own(&a[prefix..a.len() - suffix]),
            own(&b[prefix..b.len() - suffix]),
        )
    }

    #[test]
    fn no_change_is_byte_identical() {
        let old = read(SAMPLE);
        assert_eq!(rewrite_markdown(SAMPLE, &old, &old.clone()), SAMPLE);
    }

    #[test]
    fn a_rename_changes_only_the_key() {
        let out = rewrite(SAMPLE, |f| {
            let v = f.shift_remove("title").unwrap();
            f.shift_insert(1, "headline".into(), v);
        });
        assert_eq!(
            diff(SAMPLE, &out),
            (
                vec!["title: \"AI revolution\"".into()],
                vec!["headline: \"AI revolution\"".into()]
            )
        );
    }

    #[test]
    fn a_rename_is_found_when_the_old_name_is_set_anew() {
        let out = rewrite(SAMPLE, |f| {
            let v = f.shift_remove("title").unwrap();
            f.shift_insert(1, "headline".into(), v);
            f.insert("title".into(), "Second".into());
        });
        assert!(
            out.contains("category: news\nheadline: \"AI revolution\"\n"),
            "{out}"
        );
        assert!(
            out.contains("secured: 'x'   # opaque\ntitle: Second\n---"),
            "{out}"
        );
    }

    #[test]
    fn a_set_changes_only_its_line_and_keeps_comments_elsewhere() {
        let out = rewrite(SAMPLE, |f| {
            f.insert("published".into(), Value::Bool(true));
        });
        assert_eq!(
            diff(SAMPLE, &out),
            (
                vec!["published: false".into()],
                vec!["published: true".into()]
            )
        );
        // The date stays unquoted, the comment and the single quotes stay.
        assert!(out.contains("publishedDateTime: 2020-11-11T16:36:00Z\n"));
        assert!(out.contains("secured: 'x'   # opaque\n"));
    }

    #[test]
    fn a_flow_collection_changed_stays_one_line_in_flow_style() {
        const FLOW: &str = "---\ntitle: T\ntags: [Rust, 'YAML']   # kept short\nmeta: {a: 1}\nempty: []\nlong: [a]\n---\nBody\n";
        let list = |items: &[&str]| Value::List(items.iter().map(|s| Value::from(*s)).collect());
        let out = rewrite(FLOW, |f| {
            f.insert(
                "tags".into(),
                list(&["rust", "yaml", "a, b", "2024", "x\ny"]),
            );
            let Some(Value::Map(meta)) = f.get_mut("meta") else {
                panic!("meta is a map")
            };
            meta.insert("b c".into(), list(&["[x]"]));
            f.insert("empty".into(), list(&["e"]));
            f.insert(
                "long".into(),
                list(&["an item of forty characters, about that"; 3]),
            );
        });
        assert_eq!(
            diff(FLOW, &out).1,
            [
                r#"tags: [rust, yaml, "a, b", "2024", "x\ny"]"#,
                r#"meta: {a: 1, b c: ["[x]"]}"#,
                // An empty `[]` was no choice of style; past 100 characters, block style.
                "empty:",
                "  - e",
                "long:",
                "  - an item of forty characters, about that",
                "  - an item of forty characters, about that",
                "  - an item of forty characters, about that",
            ]
        );
    }

    #[test]
    fn a_changed_entry_keeps_its_unchanged_lines_quotes_and_comments() {
        const POST: &str = "---\ntitle: T  # short\nimages:\n  - url: \"https://x/a.jpg\"  # big\n    width: 945\ntopics:\n  - \"Art & Creativity\"\n  - AI\n---\nBody\n";
        let out = rewrite(POST, |f| {
            f.insert("title".into(), "Title".into());
            let Some(Value::List(images)) = f.get_mut("images") else {
                panic!("images")
            };
            let Value::Map(image) = &mut images[0] else {
                panic!("an image")
            };
            image.insert("width".into(), Value::from(946));
            let lower = |s: &str| Value::from(s.to_lowercase());
            f.insert(
                "topics".into(),
                Value::List(vec![lower("Art & Creativity"), lower("AI")]),
            );
        });
        // The url keeps its quotes and comments stay (patched); the topics, which differ
        // from the writer's layout only in quotes on lines that change, are written anew.
        assert_eq!(
            out,
            "---\ntitle: Title  # short\nimages:\n  - url: \"https://x/a.jpg\"  # big\n    width: 946\ntopics:\n  - art & creativity\n  - ai\n---\nBody\n"
        );
    }

    #[test]
    fn a_delete_drops_the_entry_and_its_blank_line() {
        let out = rewrite(SAMPLE, |f| {
            f.shift_remove("provider");
        });
        assert_eq!(
            diff(SAMPLE, &out).0,
            [
                "provider:",
                "  name: Harvard Medical School",
                "  domain: harvard.edu",
                ""
            ]
        );
        assert!(diff(SAMPLE, &out).1.is_empty());
    }

    #[test]
    fn the_issue_plan_moves_a_nested_field_up() {
        // rename provider.name → source (before provider), delete provider.
        let out = rewrite(SAMPLE, |f| {
            let index = f.get_index_of("provider").unwrap();
            f.shift_insert(index, "source".into(), "Harvard Medical School".into());
            f.shift_remove("provider");
        });
        assert_eq!(
            out,
            SAMPLE.replace(
                "published: false\n\nprovider:\n  name: Harvard Medical School\n  domain: harvard.edu\n\n",
                "published: false\nsource: Harvard Medical School\n\n"
            )
        );
    }

    #[test]
    fn deleting_the_last_field_leaves_no_blank_line_at_the_end() {
        let out = rewrite(SAMPLE, |f| {
            f.shift_remove("secured");
        });
        assert!(out.contains("topics:\n  - AI\n---\n"), "{out}");
    }

    #[test]
    fn an_added_block_gets_blank_lines() {
        let out = rewrite(SAMPLE, |f| {
            f.insert("tags".into(), Value::List(vec!["a".into()]));
        });
        assert!(
            out.contains("secured: 'x'   # opaque\n\ntags:\n  - a\n---\n"),
            "{out}"
        );
        let out = rewrite(SAMPLE, |f| {
            f.insert("draft".into(), Value::Bool(true));
        });
        assert!(
            out.contains("secured: 'x'   # opaque\ndraft: true\n---\n"),
            "{out}"
        );
    }

    #[test]
    fn crlf_bom_and_body_are_kept() {
        let text = format!("\u{FEFF}{}", SAMPLE.replace('\n', "\r\n"));
        let out = rewrite(&text, |f| {
            f.insert("category".into(), "science".into());
            f.insert("extra".into(), "new".into());
        });
        assert!(out.starts_with("\u{FEFF}---\r\n# an archive record\r\ncategory: science\r\n"));
        assert!(
            out.contains("secured: 'x'   # opaque\r\nextra: new\r\n---\r\n\r\nBody **text**.\r\n")
        );
        assert!(!out.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn a_changed_body_is_written_after_a_blank_line() {
        let out = rewrite(SAMPLE, |f| {
            f.insert(BODY.into(), "New body.\n".into());
        });
        assert!(out.ends_with("# opaque\n---\n\nNew body.\n"));
        let out = rewrite(SAMPLE, |f| {
            f.shift_remove(BODY);
        });
        assert!(out.ends_with("# opaque\n---\n"));
    }

    #[test]
    fn keep_chomped_block_scalars_keep_their_blank_lines() {
        let text = "---\nnotes: |+\n  keep\n\nb: 1\n---\n";
        let out = rewrite(text, |f| {
            f.insert("notes".into(), "changed\n\n\n".into());
        });
        assert!(out.ends_with("b: 1\n---\n"));
        let out = rewrite(text, |f| {
            f.insert("b".into(), 2i64.into());
        });
        assert_eq!(out, "---\nnotes: |+\n  keep\n\nb: 2\n---\n");
    }

    #[test]
    fn what_cannot_be_cut_is_written_whole() {
        for text in [
            "---\n{title: a, b: 1}\n---\n",
            "---\n? complex\n: 1\n---\n",
            "no front matter\n",
        ] {
            let out = rewrite(text, |f| {
                f.insert("title".into(), "z".into());
            });
            assert!(out.contains("title: z\n"), "{out}");
        }
    }

    /// Anchors, aliases and merge keys stay as written; a set changes one line.
    #[test]
    fn anchors_aliases_and_merge_keys_are_kept() {
        let text = "---\nbase: &x 1\nother: *x\ndefaults: &d\n  layout: post\n  author: Ann\ntitle: Hi\n<<: *d\ndraft: false\n---\nBody\n";
        let changed = |edit: &dyn Fn(&mut Map)| diff(text, &rewrite(text, edit));
        let set = |key: &'static str, value: &'static str| {
            move |f: &mut Map| {
                f.insert(key.into(), value.into());
            }
        };
        assert_eq!(
            changed(&set("title", "Bye")),
            (vec!["title: Hi".into()], vec!["title: Bye".into()])
        );
        // A merged field set anew becomes a written key, which wins over the merge.
        let out = rewrite(text, set("layout", "page"));
        assert_eq!(diff(text, &out), (vec![], vec!["layout: page".into()]));
        assert_eq!(read(&out).fields["layout"], Value::from("page"));
        // An added field and a deleted one around the merge.
        let out = rewrite(text, |f| {
            f.shift_remove("draft");
            f.insert("x".into(), 1i64.into());
        });
        assert_eq!(
            diff(text, &out),
            (vec!["draft: false".into()], vec!["x: 1".into()])
        );
        // Deleting a merged field cannot be written with the merge kept: the whole
        // front matter is written, and reads as the record.
        let out = rewrite(text, |f| {
            f.shift_remove("author");
        });
        assert!(
            !out.contains("<<") && !read(&out).fields.contains_key("author"),
            "{out}"
        );
    }

    /// The rewrite of a front matter the fast reader cut is checked entry by entry when
    /// the entries it writes are plain too, else by reading the whole text back.
    #[test]
    fn plain_rewrites_are_checked_entry_by_entry() {
        let checked = |text: &str, edit: &dyn Fn(&mut Map)| {
            let old = read(text);
            let mut new = old.clone();
            edit(&mut new.fields);
            let parts = fenced(text).unwrap();
            let (out, order, checked) =
                minimal_rewrite(&parts, &old, &new, &FrontMatterKeys::default()).unwrap();
            assert!(reads_as(&out, &new, order), "{out}");
            checked
        };
        let lower = |f: &mut Map| {
            f.insert("topics".into(), Value::List(vec!["ai".into()]));
        };
        assert!(checked(SAMPLE, &lower));
        let rename = |f: &mut Map| {
            let v = f.shift_remove("title").unwrap();
            f.shift_insert(1, "headline".into(), v);
        };
        assert!(checked(SAMPLE, &rename));
        let add = |f: &mut Map| {
            f.insert("tags".into(), Value::List(vec!["a".into()]));
            f.insert("draft".into(), Value::Bool(true));
        };
        assert!(checked(SAMPLE, &add));
        // An entry the fast reader does not take (a block scalar), a CRLF file, a
        // front matter with a flow list: read back whole.
        let text_block = |f: &mut Map| {
            f.insert("published".into(), "two\nlines\n".into());
        };
        assert!(!checked(SAMPLE, &text_block));
        assert!(!checked(&SAMPLE.replace('\n', "\r\n"), &lower));
        let flow = SAMPLE
            .replace("related", "x")
            .replace("secured: 'x'", "flow: [a, b]");
        assert!(!checked(&flow, &lower));
        // An indented root mapping is not cut at all: written whole, reading back.
        let indented = "---\n  a: 1\n  b: 2\n---\n";
        let old = read(indented);
        let mut new = old.clone();
        new.fields.insert("c".into(), 3i64.into());
        assert!(
            minimal_rewrite(
                &fenced(indented).unwrap(),
                &old,
                &new,
                &FrontMatterKeys::default()
            )
            .is_none()
        );
        assert!(reads_as(
            &rewrite_markdown(indented, &old, &new),
            &new,
            KeyOrder::Kept
        ));
    }

    /// `old` must be what the text reads as: a record that is not is caught by the
    /// full check, not trusted entry by entry.
    #[test]
    fn a_record_that_does_not_match_the_text_is_not_trusted() {
        let old = read(SAMPLE);
        let mut claimed = old.clone();
        claimed.fields.insert("category".into(), "other".into());
        let mut new = claimed.clone();
        new.fields.insert("published".into(), Value::Bool(true));
        let parts = fenced(SAMPLE).unwrap();
        let (_, _, checked) =
            minimal_rewrite(&parts, &claimed, &new, &FrontMatterKeys::default()).unwrap();
        assert!(!checked);
        assert_eq!(
            read(&rewrite_markdown(SAMPLE, &claimed, &new)).fields["category"],
            Value::from("other")
        );
    }

    /// Keys handed with another text, or with a record of other keys, are not used:
    /// the rewrite is the one made without them.
    #[test]
    fn keys_of_another_read_are_not_trusted() {
        let options = crate::YamlReadOptions::default();
        let (old, keys) = crate::read_markdown_keyed(SAMPLE.into(), None, &options).unwrap();
        let mut new = old.clone();
        new.fields.insert("published".into(), Value::Bool(true));
        // The same length, the keys elsewhere.
        let shifted = SAMPLE
            .replacen("---\n", "---\n#\n", 1)
            .replacen("\n\n", "\n", 2);
        assert_eq!(shifted.len(), SAMPLE.len());
        let other = read(&shifted);
        let mut new_other = other.clone();
        new_other
            .fields
            .insert("published".into(), Value::Bool(true));
        assert_eq!(
            rewrite_front_matter_keyed(&shifted, &other, &keys, &new_other).unwrap(),
            rewrite_front_matter(&shifted, &other, &new_other).unwrap()
        );
        // A record whose first key is another.
        let mut renamed = Record::default();
        for (i, (key, value)) in old.fields.iter().enumerate() {
            let key = if i == 0 {
                "renamed".to_owned()
            } else {
                key.clone()
            };
            renamed.fields.insert(key, value.clone());
        }
        let parts = fenced(SAMPLE).unwrap();
        assert_eq!(
            minimal_rewrite(&parts, &renamed, &new, &keys),
            minimal_rewrite(&parts, &renamed, &new, &FrontMatterKeys::default())
        );
    }

    #[test]
    fn field_lines_point_at_keys() {
        let lines = field_lines(SAMPLE);
        assert_eq!(lines[0], ("category".into(), 3));
        assert_eq!(lines[5], ("topics".into(), 12));
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Top-level entries in the shapes real front matter has.
        const ENTRIES: [&str; 17] = [
            "title: \"AI revolution\"\n",
            "plain: some words here\n",
            "single: 'quoted # not a comment'\n",
            "date: 2020-11-11T16:36:00Z\n",
            "count: 39\n",
            "empty:\n",
            "flow: [a, b, {c: d}]\n",
            "list:\n  - x\n  - y: 1\n    z: [2]\n",
            "map:\n  name: Harvard\n  inner:\n    deep: true\n",
            "keep: |+\n  kept\n\n",
            "folded: >-\n  one\n  two\n",
            "\"quoted key\": 1\n",
            "multi: \"a\n  b\"\n",
            "tagged: !!str 007\n",
            "commented:\n  # inside\n  a: 1\n  # indented at the end\n",
            "ünïcödé: \"é\"  # trailing comment\n",
            "literal: |\n  line one\n\n  line three\n",
        ];
        /// The key of each entry above.
        const KEYS: [&str; 17] = [
            "title",
            "plain",
            "single",
            "date",
            "count",
            "empty",
            "flow",
            "list",
            "map",
            "keep",
            "folded",
            "quoted key",
            "multi",
            "tagged",
            "commented",
            "ünïcödé",
            "literal",
        ];
        const TRIVIA: [&str; 4] = ["", "\n", "# a comment\n", "\n# comment\n\n"];

        #[derive(Debug, Clone)]
        enum Change {
            Rename(usize, String),
            Delete(usize),
            Set(usize, i64),
            Add(String, bool),
            Body(Option<String>),
        }

        fn change() -> impl Strategy<Value = Change> {
            prop_oneof![
                (0usize..20, "[a-z]{1,6}").prop_map(|(i, k)| Change::Rename(i, k)),
                (0usize..20).prop_map(Change::Delete),
                (0usize..20, any::<i64>()).prop_map(|(i, v)| Change::Set(i, v)),
                ("[a-z]{1,6}", any::<bool>()).prop_map(|(k, block)| Change::Add(k, block)),
                proptest::option::of("[a-z\n-]{0,12}").prop_map(Change::Body),
            ]
        }

        fn apply(fields: &mut Map, change: &Change) {
            let body = fields.shift_remove(BODY);
            let n = fields.len().max(1);
            match change {
                Change::Rename(i, key) => {
                    if !fields.contains_key(key)
                        && let Some((_, value)) = fields.shift_remove_index(i % n)
                    {
                        fields.shift_insert((i % n).min(fields.len()), key.clone(), value);
                    }
                }
                Change::Delete(i) => {
                    fields.shift_remove_index(i % n);
                }
                Change::Set(i, v) => {
                    if let Some((_, value)) = fields.get_index_mut(i % n) {
                        *value = Value::from(*v);
                    }
                }
                Change::Add(key, block) => {
                    let value = if *block {
                        Value::List(vec![Value::from("new")])
                    } else {
                        Value::from("new")
                    };
                    fields.insert(key.clone(), value);
                }
                Change::Body(_) => {}
            }
            match (change, body) {
                (Change::Body(Some(text)), _) => {
                    fields.insert(BODY.into(), Value::String(text.clone()));
                }
                (Change::Body(None), _) => {}
                (_, Some(body)) => {
                    fields.insert(BODY.into(), body);
                }
                (_, None) => {}
            }
        }

        /// A front matter of the `entries` (each once, in the order first given), each
        /// followed by its trivia, after the trivia `prefix`; and the entries it holds.
        fn front_matter_of(entries: &[(usize, usize)], prefix: usize) -> (String, Vec<usize>) {
            let mut front = TRIVIA[prefix].to_owned();
            let mut seen = Vec::new();
            for &(entry, trivia) in entries {
                if !seen.contains(&entry) {
                    seen.push(entry);
                    front.push_str(ENTRIES[entry]);
                    front.push_str(TRIVIA[trivia]);
                }
            }
            (front, seen)
        }

        proptest! {
            /// Whenever a rewrite is checked entry by entry, it does read back.
            #[test]
            fn the_entry_by_entry_check_agrees_with_reading_back(
                entries in proptest::collection::vec((0usize..ENTRIES.len(), 0usize..TRIVIA.len()), 0..8),
                prefix in 0usize..TRIVIA.len(),
                changes in proptest::collection::vec(change(), 1..4),
            ) {
                let (front, _) = front_matter_of(&entries, prefix);
                let text = format!("---\n{front}---\n\nBody\n");
                let Ok(old) = read_markdown(text.as_bytes(), None) else {
                    return Ok(());
                };
                let mut new = old.clone();
                for change in &changes {
                    apply(&mut new.fields, change);
                }
                let parts = fenced(&text).unwrap();
                if let Some((out, order, true)) = minimal_rewrite(&parts, &old, &new, &FrontMatterKeys::default()) {
                    prop_assert!(reads_as(&out, &new, order), "{text:?}\n→\n{out:?}\n{changes:?}");
                }
            }

            /// The keys a read hands over give the rewrite it would make without
            /// them, check included.
            #[test]
            fn a_keyed_rewrite_is_the_rewrite(
                entries in proptest::collection::vec((0usize..ENTRIES.len(), 0usize..TRIVIA.len()), 0..8),
                prefix in 0usize..TRIVIA.len(),
                changes in proptest::collection::vec(change(), 1..4),
            ) {
                let (front, _) = front_matter_of(&entries, prefix);
                let text = format!("---\n{front}---\n\nBody\n");
                let options = crate::YamlReadOptions::default();
                let Ok((old, keys)) = crate::read_markdown_keyed(text.clone().into(), None, &options) else {
                    return Ok(());
                };
                prop_assert_eq!(&old, &read_markdown(text.as_bytes(), None).unwrap());
                let mut new = old.clone();
                for change in &changes {
                    apply(&mut new.fields, change);
                }
                let parts = fenced(&text).unwrap();
                prop_assert_eq!(
                    minimal_rewrite(&parts, &old, &new, &keys),
                    minimal_rewrite(&parts, &old, &new, &FrontMatterKeys::default())
                );
                prop_assert_eq!(
                    rewrite_front_matter_keyed(&text, &old, &keys, &new).unwrap(),
                    rewrite_front_matter(&text, &old, &new).unwrap()
                );
            }

            #[test]
            fn any_edit_reads_back_and_keeps_the_body(
                entries in proptest::collection::vec((0usize..ENTRIES.len(), 0usize..TRIVIA.len()), 0..8),
                prefix in 0usize..TRIVIA.len(),
                crlf in any::<bool>(),
                bom in any::<bool>(),
                body in proptest::option::of("[a-z\n-]{0,20}"),
                changes in proptest::collection::vec(change(), 1..4),
            ) {
                let (front, seen) = front_matter_of(&entries, prefix);
                let mut text = format!("---\n{front}---\n");
                if let Some(body) = &body {
                    text.push('\n');
                    text.push_str(body);
                }
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                if bom {
                    text.insert(0, '\u{FEFF}');
                }
                let Ok(old) = read_markdown(text.as_bytes(), None) else {
                    return Ok(());
                };
                let mut new = old.clone();
                for change in &changes {
                    apply(&mut new.fields, change);
                }
                let out = rewrite_markdown(&text, &old, &new);
                prop_assert!(reads_as(&out, &new, KeyOrder::Kept), "{text:?}\n→\n{out:?}\n{changes:?}");
                prop_assert_eq!(out.starts_with('\u{FEFF}'), bom);
                if old.body() == new.body() && let Some(body) = old.body() {
                    prop_assert!(out.ends_with(body));
                }
                // An entry whose key and value stay keeps its text verbatim.
                let eol = if crlf { "\r\n" } else { "\n" };
                for &entry in &seen {
                    let key = KEYS[entry];
                    if let (Some(a), Some(b)) = (old.fields.get(key), new.fields.get(key))
                        && strict_eq(a, b)
                    {
                        let verbatim = ENTRIES[entry].replace('\n', eol);
                        prop_assert!(out.contains(&verbatim), "{key} not verbatim:\n{out:?}");
                    }
                }
                if old == new {
                    prop_assert_eq!(out, text);
                }
            }
        }
    }
}

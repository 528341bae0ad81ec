//! YAML text → [`Value`]s: granit-parser events built into values without recursion,
//! with the safety budgets of [`YamlReadOptions`].

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use granit_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span};
use recast_model::{BODY, Error, ErrorKind, Location, Map, Origin, Record, Result, Value};

use crate::document::{Document, YamlReadOptions};
use crate::merge::{MERGE_KEY, is_mergeable, merge};
use crate::scalar::resolve_scalar;

/// Parses a YAML text of exactly one document (or none) into its value; an empty text
/// or empty document gives [`Value::Null`].
///
/// `first_line` is the file line the text starts on, so errors name lines of the file.
///
/// ```
/// use recast_yaml::{parse_value, YamlReadOptions};
/// let value = parse_value("a: [1, 2.0, x]\n", None, 1, &YamlReadOptions::default()).unwrap();
/// assert_eq!(value.to_string(), r#"{"a": [1, 2.0, "x"]}"#);
/// ```
pub fn parse_value(
    text: &str,
    file: Option<Arc<Path>>,
    first_line: u64,
    options: &YamlReadOptions,
) -> Result<Value> {
    let mut documents = parse_documents(text, file.as_ref(), first_line, options)?;
    match documents.len() {
        0 => Ok(Value::Null),
        1 => Ok(documents.remove(0).value),
        _ => Err(Error::data(
            Location::new(file, documents[1].line, documents[1].column),
            "expected one YAML document, found a second one",
        )),
    }
}

/// Parses one document of a YAML stream (as [`crate::DocumentSplitter`] yields them) into
/// records: a mapping is one record, a list gives one record per item (each must be a
/// mapping), an empty document none. A text holding several documents gives the records
/// of each, in order.
///
/// ```
/// use recast_yaml::{parse_document, YamlReadOptions};
/// let records = parse_document("- title: a\n- title: b\n", None, 1, &YamlReadOptions::default()).unwrap();
/// assert_eq!(records.len(), 2);
/// assert_eq!(records[1].origin.line, 2);
/// ```
pub fn parse_document(
    text: &str,
    file: Option<Arc<Path>>,
    first_line: u64,
    options: &YamlReadOptions,
) -> Result<Vec<Record>> {
    let documents = parse_documents(text, file.as_ref(), first_line, options)?;
    let mut records = Vec::new();
    for document in documents {
        let at = Location::new(file.clone(), document.line, document.column);
        match document.value {
            Value::Map(fields) => {
                records.push(Record::new(fields, Origin::new(file.clone(), at.line)))
            }
            Value::List(items) => {
                for (i, item) in items.into_iter().enumerate() {
                    let (line, column) = document
                        .items
                        .get(i)
                        .copied()
                        .unwrap_or((at.line, at.column));
                    match item {
                        Value::Map(fields) => {
                            records.push(Record::new(fields, Origin::new(file.clone(), line)))
                        }
                        other => {
                            return Err(Error::data(
                                Location::new(file.clone(), line, column),
                                format!(
                                    "expected each item of a top-level list to be a mapping (a record), found {}",
                                    other.type_in_words()
                                ),
                            ));
                        }
                    }
                }
            }
            other => {
                return Err(Error::data(
                    at,
                    format!(
                        "expected a mapping (a record) or a list of mappings, found {}",
                        other.type_in_words()
                    ),
                ));
            }
        }
    }
    Ok(records)
}

/// Shifts a position inside the text to the file's coordinates.
fn location(file: &Option<Arc<Path>>, first_line: u64, line: u64, column: u64) -> Location {
    Location::new(file.clone(), line + first_line.saturating_sub(1), column)
}

fn marker_position(marker: &Marker) -> (u64, u64) {
    (marker.line() as u64, marker.col() as u64 + 1)
}

/// A collection being built.
struct Frame {
    kind: FrameKind,
    anchor: usize,
    /// The node count when the collection started, to know how many an alias repeats.
    nodes_at_start: usize,
    /// Depth of the deepest child (0 when all are scalars or there are none).
    child_depth: usize,
    line: u64,
    column: u64,
}

enum FrameKind {
    List(Vec<Value>),
    Map {
        map: Map,
        key: Option<String>,
        /// The pending key is a merge key (`<<`, plain): its value merges.
        merging: bool,
        /// The `<<` values, each with the number of written entries before it.
        merges: Vec<(usize, Value)>,
    },
}

/// Aliases may add this share of [`YamlReadOptions::max_nodes`] (a quarter: 250,000 nodes,
/// some 35 MB, by default), so an alias bomb stops well under 100 MB.
const ALIAS_SHARE: usize = 4;

/// A finished anchored node, kept for its aliases.
struct Anchored {
    value: Value,
    /// A scalar's text, so an alias can serve as a mapping key.
    key_text: Option<String>,
    nodes: usize,
    depth: usize,
}

/// The state of one document being built.
struct Builder<'a> {
    /// The document declared `%YAML 1.1`: its booleans include `yes`, `no`, `on`, `off`.
    yaml_1_1: bool,
    file: Option<&'a Arc<Path>>,
    first_line: u64,
    options: &'a YamlReadOptions,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    nodes: usize,
    /// Nodes added by aliases, bounded apart: they are copies, and a few lines of
    /// aliases can ask for the whole node budget (about 140 bytes of memory each).
    alias_nodes: usize,
    root: Option<(Value, u64, u64)>,
    body_key: Option<(u64, u64)>,
    items: Vec<(u64, u64)>,
}

impl Builder<'_> {
    fn error(&self, kind: ErrorKind, (line, column): (u64, u64), message: String) -> Error {
        Error::new(
            kind,
            location(&self.file.cloned(), self.first_line, line, column),
            message,
        )
    }

    fn count(&mut self, nodes: usize, at: (u64, u64)) -> Result<()> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.options.max_nodes {
            return Err(self.error(
                ErrorKind::Limit,
                at,
                format!(
                    "the document expands to more than {} nodes (aliases counted each time they are used); expected a smaller document",
                    self.options.max_nodes
                ),
            ));
        }
        Ok(())
    }

    fn check_depth(&self, depth: usize, at: (u64, u64)) -> Result<()> {
        if depth > self.options.max_depth {
            return Err(self.error(
                ErrorKind::Limit,
                at,
                format!(
                    "lists and maps nest deeper than {} levels; expected shallower data",
                    self.options.max_depth
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, kind: FrameKind, anchor: usize, at: (u64, u64)) -> Result<()> {
        self.check_depth(self.stack.len() + 1, at)?;
        self.count(1, at)?;
        self.stack.push(Frame {
            kind,
            anchor,
            nodes_at_start: self.nodes - 1,
            child_depth: 0,
            line: at.0,
            column: at.1,
        });
        Ok(())
    }

    fn close(&mut self, at: (u64, u64)) -> Result<()> {
        let Some(frame) = self.stack.pop() else {
            return Err(self.error(
                ErrorKind::Syntax,
                at,
                "unbalanced end of a collection; expected a node".into(),
            ));
        };
        let value = match frame.kind {
            FrameKind::List(items) => Value::List(items),
            FrameKind::Map {
                mut map,
                key,
                merges,
                ..
            } => {
                // A key without a value cannot come from the parser, but stay total.
                if let Some(key) = key {
                    map.insert(key, Value::Null);
                }
                match merges.is_empty() {
                    true => Value::Map(map),
                    false => Value::Map(merge(map, merges)),
                }
            }
        };
        let depth = frame.child_depth + 1;
        if frame.anchor != 0 {
            self.anchors.insert(
                frame.anchor,
                Anchored {
                    value: value.clone(),
                    key_text: None,
                    nodes: self.nodes - frame.nodes_at_start,
                    depth,
                },
            );
        }
        self.attach(value, None, depth, (frame.line, frame.column))
    }

    /// Puts a finished node in its parent: a list item, a mapping key or value, the root.
    fn attach(
        &mut self,
        value: Value,
        key_text: Option<String>,
        depth: usize,
        at: (u64, u64),
    ) -> Result<()> {
        let (file, first_line) = (self.file, self.first_line);
        let error = |kind, message: String| {
            Error::new(
                kind,
                location(&file.cloned(), first_line, at.0, at.1),
                message,
            )
        };
        // At depth 1 the parent is the root: a record's fields or a list of records.
        let at_root = self.stack.len() == 1;
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some((value, at.0, at.1));
            return Ok(());
        };
        parent.child_depth = parent.child_depth.max(depth);
        match &mut parent.kind {
            FrameKind::List(items) => {
                if at_root {
                    self.items.push(at);
                }
                items.push(value);
            }
            FrameKind::Map {
                map,
                key,
                merging,
                merges,
            } => match key.take() {
                Some(_) if std::mem::take(merging) => {
                    if !merges.is_empty() {
                        return Err(error(
                            ErrorKind::Data,
                            "a second merge key `<<`; expected one per mapping (`<<: [*a, *b]` merges several)".into(),
                        ));
                    }
                    if !is_mergeable(&value) {
                        return Err(error(
                            ErrorKind::Data,
                            format!(
                                "expected a mapping or a list of mappings to merge after `<<`, found {}",
                                value.type_in_words()
                            ),
                        ));
                    }
                    merges.push((map.len(), value));
                }
                Some(k) => {
                    map.insert(k, value);
                }
                None => {
                    let Some(text) = key_text else {
                        return Err(error(
                            ErrorKind::Data,
                            format!(
                                "expected a scalar mapping key, found {}",
                                value.type_in_words()
                            ),
                        ));
                    };
                    if map.contains_key(&text) {
                        return Err(error(
                            ErrorKind::Data,
                            format!("duplicate key {text:?}; expected each key once per mapping"),
                        ));
                    }
                    if at_root && text == BODY {
                        self.body_key = Some(at);
                    }
                    *key = Some(text);
                }
            },
        }
        Ok(())
    }

    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<()> {
        // A node's position is where its properties start: the tag, if it has one.
        let at = marker_position(span.tag_start.as_ref().unwrap_or(&span.start));
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, at)?;
                let is_key = matches!(
                    self.stack.last(),
                    Some(Frame {
                        kind: FrameKind::Map { key: None, .. },
                        ..
                    })
                );
                if is_key && anchor == 0 {
                    let merge_key =
                        style == ScalarStyle::Plain && tag.is_none() && text == MERGE_KEY;
                    // A key is its text: nothing to resolve, nothing to copy.
                    self.attach(Value::Null, Some(text.into_owned()), 0, at)?;
                    if merge_key
                        && let Some(Frame {
                            kind: FrameKind::Map { merging, .. },
                            ..
                        }) = self.stack.last_mut()
                    {
                        *merging = true;
                    }
                    return Ok(());
                }
                // The text is kept only where it may serve as a key: here, or via an alias.
                let key_text = (is_key || anchor != 0).then(|| text.clone().into_owned());
                let value = resolve_scalar(text, style, tag.as_deref(), self.yaml_1_1)
                    .map_err(|m| self.error(ErrorKind::Data, at, m.0))?;
                if anchor != 0 {
                    self.anchors.insert(
                        anchor,
                        Anchored {
                            value: value.clone(),
                            key_text: key_text.clone(),
                            nodes: 1,
                            depth: 0,
                        },
                    );
                }
                self.attach(value, key_text, 0, at)
            }
            Event::SequenceStart(_, anchor, tag) => {
                if let Some(kind) = tag.as_ref().and_then(|t| t.core_suffix())
                    && kind != "seq"
                {
                    return Err(self.error(
                        ErrorKind::Data,
                        at,
                        format!("expected a {kind} after !!{kind}, found a sequence"),
                    ));
                }
                self.open(FrameKind::List(Vec::new()), anchor, at)
            }
            Event::MappingStart(_, anchor, tag) => {
                if let Some(kind) = tag.as_ref().and_then(|t| t.core_suffix())
                    && kind != "map"
                {
                    return Err(self.error(
                        ErrorKind::Data,
                        at,
                        format!("expected a {kind} after !!{kind}, found a mapping"),
                    ));
                }
                self.open(
                    FrameKind::Map {
                        map: Map::default(),
                        key: None,
                        merging: false,
                        merges: Vec::new(),
                    },
                    anchor,
                    at,
                )
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(at),
            Event::Alias(id) => {
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(self.error(
                        ErrorKind::Data,
                        at,
                        "alias to a node that is not finished (a recursive alias); expected an alias to an earlier, complete node".into(),
                    ));
                };
                let (nodes, depth) = (anchored.nodes, anchored.depth);
                self.check_depth(self.stack.len() + depth, at)?;
                self.alias_nodes = self.alias_nodes.saturating_add(nodes);
                let alias_budget = self.options.max_nodes / ALIAS_SHARE;
                if self.alias_nodes > alias_budget {
                    return Err(self.error(
                        ErrorKind::Limit,
                        at,
                        format!(
                            "aliases expand to more than {alias_budget} nodes (a billion laughs?); expected fewer or smaller aliases"
                        ),
                    ));
                }
                self.count(nodes, at)?;
                let anchored = &self.anchors[&id];
                let (value, key_text) = (anchored.value.clone(), anchored.key_text.clone());
                self.attach(value, key_text, depth, at)
            }
            Event::UnresolvedAlias(name) => Err(self.error(
                ErrorKind::Data,
                at,
                format!(
                    "unknown anchor {name:?}; expected an alias to an anchor defined before it"
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Maps a parser error to recast's, with the file's line and a hint of what was expected.
fn scan_error(error: &ScanError, file: Option<&Arc<Path>>, first_line: u64) -> Error {
    let (line, column) = marker_position(error.marker());
    let kind = match error.kind() {
        granit_parser::ErrorKind::RecursionLimitExceeded => ErrorKind::Limit,
        _ => ErrorKind::Syntax,
    };
    let message = match kind {
        ErrorKind::Limit => "lists and maps nest too deep; expected shallower data".to_owned(),
        _ => format!("invalid YAML: {}", error.info()),
    };
    Error::new(
        kind,
        location(&file.cloned(), first_line, line, column),
        message,
    )
}

/// Parses every document of a YAML text; empty documents (nothing, or only comments or
/// `~`) are left out.
pub(crate) fn parse_documents(
    text: &str,
    file: Option<&Arc<Path>>,
    first_line: u64,
    options: &YamlReadOptions,
) -> Result<Vec<Document>> {
    if let Some(documents) = crate::fast::parse(text, first_line, options) {
        return Ok(documents);
    }
    parse_documents_fully(text, file, first_line, options)
}

/// [`parse_documents`] by the full YAML parser, without the fast path.
pub(crate) fn parse_documents_fully(
    text: &str,
    file: Option<&Arc<Path>>,
    first_line: u64,
    options: &YamlReadOptions,
) -> Result<Vec<Document>> {
    // granit's own nesting limits back ours up; ours counts flow and block together.
    let limit = options.max_depth.saturating_add(1);
    let parser_options = granit_parser::options! {
        emit_comments: false,
        flow_nesting_limit: limit,
        block_nesting_limit: limit,
    };
    let parser = Parser::new_from_str_with_options(text, parser_options);
    let mut documents = Vec::new();
    let mut builder: Option<Builder<'_>> = None;
    for next in parser {
        let (event, span) = next.map_err(|e| scan_error(&e, file, first_line))?;
        match event {
            Event::DocumentStart(_, version) => {
                builder = Some(Builder {
                    yaml_1_1: version.is_some_and(|v| (v.major, v.minor) == (1, 1)),
                    file,
                    first_line,
                    options,
                    stack: Vec::new(),
                    anchors: HashMap::new(),
                    nodes: 0,
                    alias_nodes: 0,
                    root: None,
                    body_key: None,
                    items: Vec::new(),
                });
            }
            Event::DocumentEnd => {
                if let Some(done) = builder.take()
                    && let Some((value, line, column)) = done.root
                    && !value.is_null()
                {
                    let shift = first_line.saturating_sub(1);
                    documents.push(Document {
                        value,
                        line: line + shift,
                        column,
                        body_key: done.body_key.map(|(l, c)| (l + shift, c)),
                        items: done.items.iter().map(|&(l, c)| (l + shift, c)).collect(),
                    });
                }
            }
            Event::StreamStart | Event::StreamEnd => {}
            event => {
                if let Some(b) = builder.as_mut() {
                    b.event(event, &span)?;
                }
            }
        }
    }
    Ok(documents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        parse_value(text, None, 1, &YamlReadOptions::default())
            .unwrap_or_else(|e| panic!("{text:?}: {e}"))
    }

    fn error(text: &str) -> Error {
        parse_value(
            text,
            Some(Path::new("t.yaml").into()),
            1,
            &YamlReadOptions::default(),
        )
        .expect_err(text)
    }

    #[test]
    fn scalars_resolve_by_style_and_tag() {
        let v = value(
            "a: 007\nb: '1'\nc: !!str 123\nd: !!int '42'\ne: !!float 1\nf: ! 12\ng: !custom 5\nh: |\n  x\ni: !!null\nj: !!bool True\n",
        );
        let m = v.as_map().unwrap();
        assert_eq!(m["a"], Value::from("007"));
        assert_eq!(m["b"], Value::from("1"));
        assert_eq!(m["c"], Value::from("123"));
        assert_eq!(m["d"].to_string(), "42");
        assert_eq!(m["e"].to_string(), "1.0");
        assert_eq!(m["f"], Value::from("12"));
        assert_eq!(m["g"].type_name(), "integer");
        assert_eq!(m["h"], Value::from("x\n"));
        assert_eq!(m["i"], Value::Null);
        assert_eq!(m["j"], Value::Bool(true));
    }

    #[test]
    fn yaml_1_1_documents_get_their_booleans() {
        let v = value("%YAML 1.1\n---\na: yes\nb: Off\nc: 007\nd: 'yes'\n");
        assert_eq!(
            v.to_string(),
            r#"{"a": true, "b": false, "c": "007", "d": "yes"}"#
        );
        assert_eq!(value("a: yes\n").to_string(), r#"{"a": "yes"}"#);
    }

    #[test]
    fn keys_are_scalar_texts() {
        let v = value("1: a\nnull: b\ntrue: c\n\"q\": d\n");
        let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["1", "null", "true", "q"]);
    }

    #[test]
    fn aliases_expand_and_scalar_aliases_can_be_keys() {
        let v = value("a: &x [1, 2]\nb: *x\nk: &k name\n*k : v\n");
        assert_eq!(
            v.to_string(),
            r#"{"a": [1, 2], "b": [1, 2], "k": "name", "name": "v"}"#
        );
    }

    #[test]
    fn bad_data_is_located() {
        let e = error("a: 1\nb: 2\na: 3\n");
        assert_eq!(
            (e.kind, e.location.line, e.location.column),
            (ErrorKind::Data, 3, 1)
        );
        assert!(
            e.to_string().starts_with("t.yaml:3:1: duplicate key \"a\""),
            "{e}"
        );
        let e = error("? [a]\n: 1\n");
        assert_eq!(e.kind, ErrorKind::Data);
        assert!(e.message.contains("expected a scalar mapping key"), "{e}");
        let e = error("a: !!int x\n");
        assert_eq!(
            (e.kind, e.location.line, e.location.column),
            (ErrorKind::Data, 1, 4)
        );
        let e = error("a:\n  - b\n  c: d\n");
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert_eq!(e.location.line, 3, "{e}");
    }

    #[test]
    fn nesting_and_expansion_are_bounded() {
        let options = YamlReadOptions {
            max_nodes: 100,
            ..YamlReadOptions::default()
        };
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n";
        let e = parse_value(bomb, None, 1, &options).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit);
        assert_eq!(e.location.line, 2, "{e}");
        // Aliases alone have a quarter of the budget: 2 of 4 alias uses of 11 nodes pass.
        let options = YamlReadOptions {
            max_nodes: 100,
            ..YamlReadOptions::default()
        };
        let aliases = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a]\n";
        assert!(parse_value(aliases, None, 1, &options).is_ok());
        let aliases = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a]\n";
        let e = parse_value(aliases, None, 1, &options).unwrap_err();
        assert!(e.message.contains("aliases expand"), "{e}");
        // Aliases cannot stack depth beyond the limit either.
        let options = YamlReadOptions {
            max_depth: 4,
            ..YamlReadOptions::default()
        };
        let e = parse_value("a: &a [[[1]]]\nb: [*a]\n", None, 1, &options).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Limit, "{e}");
        assert!(parse_value("a: &a [[[1]]]\nb: *a\n", None, 1, &options).is_ok());
    }

    #[test]
    fn recursive_alias_is_an_error() {
        let e = error("a: &a [*a]\n");
        assert_ne!(e.kind, ErrorKind::Limit);
    }

    #[test]
    fn lines_are_shifted_to_the_file() {
        let e = parse_value("a: 1\nb: [\n", None, 10, &YamlReadOptions::default()).unwrap_err();
        assert!(e.location.line >= 11, "{e}");
    }

    #[test]
    fn merge_keys_merge_with_written_keys_winning() {
        let text = "d: &d {layout: post, author: Ann, draft: true}\no: &o {author: Bob, lang: en}\ntitle: Hi\n<<: [*d, *o]\ndraft: false\n";
        // Merged keys stand where `<<` stood; `draft` is written, so it wins; `author`
        // comes from `*d`, the earlier mapping.
        assert_eq!(
            value(text).to_string(),
            r#"{"d": {"layout": "post", "author": "Ann", "draft": true}, "o": {"author": "Bob", "lang": "en"}, "title": "Hi", "layout": "post", "author": "Ann", "lang": "en", "draft": false}"#
        );
        // A written key before `<<` wins too; a mapping written in place merges.
        assert_eq!(
            value("a: 1\n<<:\n  b: 2\n  a: 9\nc: 3\n").to_string(),
            r#"{"a": 1, "b": 2, "c": 3}"#
        );
        // Nested mappings merge; records in a list each merge.
        assert_eq!(
            value("base: &b {x: 1}\nitems:\n  - <<: *b\n    y: 2\n  - {<<: *b, x: 3}\n")
                .to_string(),
            r#"{"base": {"x": 1}, "items": [{"x": 1, "y": 2}, {"x": 3}]}"#
        );
        // Only a plain, untagged `<<` merges.
        assert_eq!(value("\"<<\": {a: 1}\n").to_string(), r#"{"<<": {"a": 1}}"#);
        assert_eq!(
            value("!!str <<: {a: 1}\n").to_string(),
            r#"{"<<": {"a": 1}}"#
        );
    }

    #[test]
    fn bad_merges_are_located_errors() {
        let e = error("a: 1\n<<: 5\n");
        assert_eq!(e.location.line, 2, "{e}");
        assert!(
            e.message.contains(
                "expected a mapping or a list of mappings to merge after `<<`, found an integer"
            ),
            "{e}"
        );
        let e = error("a: &a {x: 1}\n<<: [*a, 2]\n");
        assert!(e.message.contains("found a list"), "{e}");
        let e = error("a: &a {x: 1}\n<<: *a\n<<: *a\n");
        assert!(e.message.contains("a second merge key"), "{e}");
    }

    /// The fast reader leaves merge keys to the full parser, so both read them alike.
    #[test]
    fn the_fast_reader_leaves_merge_keys_alone() {
        let text = "a: 1\n<<:\n  b: 2\n";
        assert!(crate::fast::parse(text, 1, &YamlReadOptions::default()).is_none());
        assert_eq!(value(text).to_string(), r#"{"a": 1, "b": 2}"#);
    }
}

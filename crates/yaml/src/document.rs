//! What the YAML readers share: their budgets, and one parsed document with the
//! positions messages need. Both the full parser (`read.rs`) and the fast reader
//! (`fast.rs`) produce [`Document`]s, so neither needs the other's module for them.

use recast_model::Value;

/// The read options of [`YamlReader`](crate::YamlReader) and
/// [`MarkdownReader`](crate::MarkdownReader): their safety budgets. The defaults suit
/// real archives; hostile input (alias bombs, deep nesting, endless lines) hits them fast
/// with an [`ErrorKind::Limit`](recast_model::ErrorKind::Limit).
///
/// ```
/// use recast_yaml::YamlReadOptions;
/// let mut options = YamlReadOptions::default();
/// options.max_depth = 16;
/// let deep = format!("{}{}", "[".repeat(17), "]".repeat(17));
/// let error = recast_yaml::parse_value(&deep, None, 1, &options).unwrap_err();
/// assert_eq!(error.kind, recast_model::ErrorKind::Limit);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct YamlReadOptions {
    /// Most nodes one document may produce, counting every node an alias expands to.
    /// Default 1,000,000: a billion-laughs document stops after that much work. Nodes
    /// that aliases add may be a quarter of it at most.
    pub max_nodes: usize,
    /// Deepest nesting of lists and maps, aliases expanded. Default 128.
    pub max_depth: usize,
    /// Largest document of a multi-document stream, and largest Markdown file read by
    /// [`crate::MarkdownReader`], in bytes. Default 256 MiB: one record, or one list of
    /// records, never needs more; a stream of any size is fine since it is read document
    /// by document.
    pub max_document_bytes: usize,
}

impl Default for YamlReadOptions {
    fn default() -> Self {
        YamlReadOptions {
            max_nodes: 1_000_000,
            max_depth: 128,
            max_document_bytes: 256 << 20,
        }
    }
}

/// One top-level value of a YAML text and where it starts (1-based line of the file,
/// 1-based column).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    pub(crate) value: Value,
    pub(crate) line: u64,
    pub(crate) column: u64,
    /// Where the root mapping's `body` key is, if it has one (for front-matter messages).
    pub(crate) body_key: Option<(u64, u64)>,
    /// Where each item of a root list starts (file line, column), for records' origins.
    pub(crate) items: Vec<(u64, u64)>,
}

//! recast-yaml: YAML documents, multi-document YAML streams, and Markdown files with YAML,
//! TOML or JSON front matter, read into and written from recast's record model.
//!
//! ```
//! use recast_model::Value;
//! use recast_yaml::{read_markdown, to_markdown_string};
//!
//! let file = b"---\ntitle: \"2024\"\nquality: 39\npublished: false\nzip: 007\n---\n\nHello.\n";
//! let record = read_markdown(file, None)?;
//!
//! // Types are YAML 1.2's, numbers exact; leading-zero numbers and dates stay strings.
//! assert_eq!(record.fields["title"], Value::from("2024"));
//! assert_eq!(record.fields["quality"].type_name(), "integer");
//! assert_eq!(record.fields["published"], Value::Bool(false));
//! assert_eq!(record.fields["zip"], Value::from("007"));
//! assert_eq!(record.body(), Some("Hello.\n"));
//!
//! // Writing quotes whatever another reader could mistype, and gives the body back.
//! assert_eq!(to_markdown_string(&record), "---\ntitle: \"2024\"\nquality: 39\npublished: false\nzip: \"007\"\n---\n\nHello.\n");
//! # Ok::<(), recast_model::Error>(())
//! ```
//!
//! # What is where
//!
//! - [`read_markdown`], [`MarkdownReader`], [`MarkdownWriter`], [`to_markdown_string`]:
//!   one `.md` file is one record; the body is the field `body`.
//! - [`YamlReader`], [`YamlWriter`]: a stream of `---`-separated documents, each a record
//!   (or a list of records). The reader cuts the stream into documents with a
//!   [`DocumentSplitter`] and parses each with [`parse_document`], so memory stays flat
//!   and a caller may parse documents in parallel.
//! - [`parse_value`], [`to_yaml_string`], [`write_value`]: single values.
//! - [`parse_scalar`]: how one plain scalar resolves (`--set draft=false`).
//!
//! # Reading rules
//!
//! YAML 1.2 core schema, with recast's choices (see [`parse_scalar`]): `007` and other
//! leading-zero numbers, `yes`/`no`/`on`/`off` (unless a document declares `%YAML 1.1`),
//! and dates stay strings; numbers keep their exact text. Core tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`) are
//! honoured; other tags are ignored. Anchors and aliases are expanded within a node
//! budget; nesting is bounded ([`YamlReadOptions`]); duplicate keys and non-scalar keys are
//! errors; a plain `<<` key merges mappings (`<<: *defaults`, as yq, Jekyll and Hugo read it;
//! written keys win, merged ones take the place of `<<`). Every error names the
//! file, line and column.
//!
//! | budget ([`YamlReadOptions`]) | default | on excess |
//! |---|---|---|
//! | nodes per document, aliases expanded each time | 1,000,000 | `Limit` error at the alias |
//! | of those, nodes added by aliases (billion laughs stops under 40 MB) | 250,000 | `Limit` error at the alias |
//! | nesting depth of lists and maps, aliases included | 128 | `Limit` error |
//! | bytes per document of a stream | 256 MiB | `Limit` error; the reader goes on after it |
//!
//! # Markdown rules
//!
//! A file is `---`, the front matter (a YAML mapping), a closing `---` or `...` line,
//! then the body: the text after the closing line, byte for byte, less one blank
//! separator line (`\n` or `\r\n`). A UTF-8 BOM is skipped; CRLF is fine. Nothing after
//! the closing line means no `body` field; a blank line only means `body: ""`. The body
//! field comes last. A file that does not start with a `---` line is a record whose only
//! field is `body` (the whole text). A front matter `body` field together with a body
//! is an error. Errors in the front matter name the line in the file.
//!
//! The front matter may also be TOML between `+++` lines (Hugo, Zola) or a JSON object
//! opening the file (Hugo), each read into the same record model ([`FrontMatterDialect`]
//! has the rules of each); [`to_markdown_string_in`] and
//! [`MarkdownWriteOptions::front_matter`] write any of the three.
//!
//! # Writing rules
//!
//! Block style, key order kept, 2-space indent, lists under a key indented
//! (`topics:\n  - AI`), long strings on one line, `[]` and `{}` for empty collections,
//! and in records a blank line around each top-level non-empty map or list, as in the
//! sample archive. A string is plain only when no YAML 1.1 or 1.2 reader could take it
//! for anything else; otherwise it is double-quoted: `"2024"`, `"007"`, `"yes"`, `"~"`,
//! `"1_000"`, `"-5"`, and dates and timestamps (`"2020-11-11T16:36:00Z"`, which YAML 1.1
//! readers would turn into timestamps). Multi-line strings are literal block scalars
//! (`|`, `|-`, `|+`, with an indentation indicator when the text starts with a space)
//! when that keeps every byte, else double-quoted with escapes (`\r`, control
//! characters). Numbers keep their text; `inf`, `-inf`, `nan` are written `.inf`,
//! `-.inf`, `.nan`. Whatever a writer writes, the readers read back equal (strict
//! record equality), which the crate's property tests check.

mod cut;
mod document;
mod fast;
mod fast_check;
mod fence;
mod front_matter;
mod json;
mod merge;
mod patch;
mod read;
pub mod rewrite;
mod scalar;
mod stream;
mod toml;
mod write;

pub use cut::FrontMatterKeys;
#[doc(hidden)]
pub use cut::check_cut_against_full_parser;
pub use document::YamlReadOptions;
#[doc(hidden)]
pub use fast_check::{check_against_full_parser, check_mode_against_build_mode};
pub use fence::FrontMatterDialect;
pub use front_matter::{
    MarkdownReader, MarkdownWriteOptions, MarkdownWriter, check_markdown_size, read_markdown,
    read_markdown_keyed, read_markdown_owned, read_markdown_with, to_markdown_string,
    to_markdown_string_in,
};
pub use read::{parse_document, parse_value};
pub use scalar::parse_scalar;
pub use stream::{DocumentSplitter, DocumentText, YamlReader};
pub use write::{YamlWriteOptions, YamlWriter, to_yaml_string, write_value};

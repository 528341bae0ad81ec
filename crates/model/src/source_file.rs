//! The names of the file a record was read from, as templates see them:
//! `{source.path}`, `{source.stem}`, `{source.slug}`, `{source.dir}`. They come from the
//! record's origin and the input folder it was found in; the record itself never holds
//! them.

use std::path::{Path, PathBuf};

use crate::value::{Map, Value};

/// The template fields of a source file, below the key `source`:
///
/// | placeholder     | `_posts/2016-06-03-title.md` in the folder `site/` |
/// |-----------------|---------------------------------------------------|
/// | `{source.path}` | `_posts/2016-06-03-title` (relative, no extension, `/` separators) |
/// | `{source.stem}` | `2016-06-03-title` |
/// | `{source.slug}` | `title` (the stem without a `YYYY-MM-DD-` or `_` date prefix) |
/// | `{source.dir}`  | `_posts` (empty for a file at the top of the folder) |
///
/// The folder is the input folder (among `roots`) holding the file; a file given by
/// itself (no root holds it) is relative to its own folder.
///
/// ```
/// # use recast_model::source_file::source_fields;
/// # use std::path::{Path, PathBuf};
/// let fields = source_fields(Path::new("site/_posts/2016-06-03-title.md"), &[PathBuf::from("site")]);
/// let source = fields["source"].as_map().unwrap();
/// assert_eq!(source["path"].as_str(), Some("_posts/2016-06-03-title"));
/// assert_eq!(source["stem"].as_str(), Some("2016-06-03-title"));
/// assert_eq!(source["slug"].as_str(), Some("title"));
/// assert_eq!(source["dir"].as_str(), Some("_posts"));
/// ```
pub fn source_fields(file: &Path, roots: &[PathBuf]) -> Map {
    let relative = roots
        .iter()
        .find_map(|root| file.strip_prefix(root).ok())
        .filter(|relative| relative.file_name().is_some())
        .unwrap_or_else(|| file.file_name().map_or(file, Path::new));
    let stem = relative
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = relative.parent().map(slashed).unwrap_or_default();
    let path = if dir.is_empty() {
        stem.clone()
    } else {
        format!("{dir}/{stem}")
    };
    let slug = without_date_prefix(&stem).to_owned();
    let mut source = Map::default();
    source.insert("path".into(), Value::from(path));
    source.insert("stem".into(), Value::from(stem));
    source.insert("slug".into(), Value::from(slug));
    source.insert("dir".into(), Value::from(dir));
    let mut fields = Map::default();
    fields.insert("source".into(), Value::Map(source));
    fields
}

/// A path's components joined with `/`, on every system (templates make URLs).
fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// A file stem without its `YYYY-M(M)-D(D)-` (or `_`) date prefix, Jekyll's and
/// Eleventy's convention; a stem that is only a date stays as it is.
///
/// ```
/// # use recast_model::source_file::without_date_prefix;
/// assert_eq!(without_date_prefix("2016-06-03-title"), "title");
/// assert_eq!(without_date_prefix("2017-2-5_notes"), "notes");
/// assert_eq!(without_date_prefix("2016-06-03"), "2016-06-03");
/// assert_eq!(without_date_prefix("about"), "about");
/// ```
pub fn without_date_prefix(stem: &str) -> &str {
    let digits = |text: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    let mut parts = stem.splitn(4, ['-', '_']);
    let (Some(year), Some(month), Some(day), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return stem;
    };
    let dashes = stem.as_bytes().get(4) == Some(&b'-')
        && stem.as_bytes().get(year.len() + month.len() + 1) == Some(&b'-');
    if dashes
        && digits(year, 4..=4)
        && digits(month, 1..=2)
        && digits(day, 1..=2)
        && !rest.is_empty()
    {
        rest
    } else {
        stem
    }
}

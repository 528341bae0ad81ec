//! A post's date and title from where its file is: the name's `YYYY-MM-DD-` prefix
//! (Jekyll, Eleventy; `2017-2-5-` too, as Jekyll accepts) or `YYYY/MM/DD/` folders give
//! the date, the rest of a Markdown file's name the title. Feeds use them when the front
//! matter has none; the record itself is never changed.

use std::path::Path;

/// The date a source file's path gives, as `YYYY-MM-DD` (a day, without a zone).
///
/// ```
/// # use recast_feed::source_date::date_from_path;
/// # use std::path::Path;
/// assert_eq!(date_from_path(Path::new("_posts/2016-06-03-title.md")).as_deref(), Some("2016-06-03"));
/// assert_eq!(date_from_path(Path::new("2017-2-5_notes.md")).as_deref(), Some("2017-02-05"));
/// assert_eq!(date_from_path(Path::new("blog/2023/12/24/index.md")).as_deref(), Some("2023-12-24"));
/// assert_eq!(date_from_path(Path::new("2023-13-01-no.md")), None);
/// assert_eq!(date_from_path(Path::new("about.md")), None);
/// ```
pub fn date_from_path(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?;
    date_prefix(name).or_else(|| date_folders(path))
}

/// `YYYY-M(M)-D(D)` followed by `-` or `_` at the start of a file name.
fn date_prefix(name: &str) -> Option<String> {
    let mut parts = name.splitn(4, ['-', '_']);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    // A name that is only the date, with no title after it, is not a post's name.
    parts.next()?;
    let separator_after_year = name.as_bytes().get(year.len()).copied();
    (separator_after_year == Some(b'-')).then_some(())?;
    day_text(year, month, day, 4)
}

/// `…/YYYY/MM/DD/…`: three consecutive folders holding a date.
fn date_folders(path: &Path) -> Option<String> {
    let folders: Vec<&str> = path
        .parent()?
        .iter()
        .filter_map(|part| part.to_str())
        .collect();
    folders
        .windows(3)
        .rev()
        .find_map(|w| day_text(w[0], w[1], w[2], 2))
}

/// The day as `YYYY-MM-DD` when it is a real one; month and day have 1 or 2 digits, or
/// exactly `width` (folders are written with 2).
fn day_text(year: &str, month: &str, day: &str, width: usize) -> Option<String> {
    let digits = |text: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
    };
    let short = if width == 2 { 2..=2 } else { 1..=2 };
    if !digits(year, 4..=4) || !digits(month, short.clone()) || !digits(day, short) {
        return None;
    }
    let (year, month, day): (i16, i8, i8) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    jiff::civil::Date::new(year, month, day).ok()?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

/// The title a Markdown post's file name gives, as Jekyll makes it: the name without its
/// date prefix, each `-` a space, each word capitalised (`2017-2-5-i-dont-like-zeroes.md`
/// → `I Dont Like Zeroes`). Only for `.md` and `.markdown` files, which hold one post:
/// the name of a JSON or YAML archive is not its records' title.
///
/// ```
/// # use recast_feed::source_date::title_from_path;
/// # use std::path::Path;
/// assert_eq!(title_from_path(Path::new("_posts/2017-2-5-i-dont-like-zeroes.md")).as_deref(), Some("I Dont Like Zeroes"));
/// assert_eq!(title_from_path(Path::new("about.markdown")).as_deref(), Some("About"));
/// assert_eq!(title_from_path(Path::new("blog/with-assets/index.md")).as_deref(), Some("With Assets"));
/// assert_eq!(title_from_path(Path::new("archive.json")), None);
/// ```
pub fn title_from_path(path: &Path) -> Option<String> {
    let extension = path.extension()?.to_str()?;
    if !matches!(extension, "md" | "markdown") {
        return None;
    }
    let mut stem = path.file_stem()?.to_str()?;
    // A page bundle (`post-name/index.md`) is named by its folder.
    if matches!(stem, "index" | "_index") {
        stem = path.parent()?.file_name()?.to_str()?;
    }
    let slug = recast_model::source_file::without_date_prefix(stem);
    let words: Vec<String> = slug
        .split('-')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + &chars.as_str().to_lowercase()
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

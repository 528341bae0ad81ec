//! Templates that compute text from a record's fields: file names for `--out-dir`
//! (`{publishedDateTime:%Y-%m-%d}-{title|slug}.md`) and computed fields in migrations.
//!
//! A placeholder is `{path}`, `{path:STRFTIME}` (the field read as a date and formatted
//! in its own offset; the format is checked when the template is parsed) or
//! `{path|filter}` with the filters `slug`, `lower`, `upper`, which chain
//! (`{title|lower|slug}`). `{{` and `}}` are literal braces. A missing field, or a date
//! that does not parse, renders as empty text; [`TemplateGaps`] counts those, so that
//! callers can warn (some records) or refuse (no record has the field). A date without a
//! zone formatted with a directive that needs one (`%z`) is an error unless a zone is
//! assumed ([`Template::assume_zone`]). `{source.path}`, `{source.stem}`,
//! `{source.slug}` and `{source.dir}` name the record's file
//! ([`crate::source_file`]) when rendered with [`Template::render_with_source`].
//!
//! ```
//! use recast_model::template::Template;
//! use recast_model::{Map, Value};
//!
//! let mut fields = Map::default();
//! fields.insert("title".into(), Value::from("AI revolution in medicine!"));
//! fields.insert("publishedDateTime".into(), Value::from("2020-11-11T16:36:00Z"));
//! let template = Template::parse("{publishedDateTime:%Y-%m-%d}-{title|slug}.md").unwrap();
//! assert_eq!(template.render(&fields).unwrap(), "2020-11-11-ai-revolution-in-medicine.md");
//! ```

use crate::date::{DateTime, TimeZone, check_format};
use crate::path::FieldPath;
use crate::record::Record;
use crate::value::{Map, Value};

/// A parsed template.
#[derive(Debug, Clone)]
pub struct Template {
    parts: Vec<Part>,
    /// The zone dates without one are formatted in (`--assume-tz`).
    zone: Option<TimeZone>,
}

#[derive(Debug, Clone)]
enum Part {
    Literal(String),
    Field {
        path: FieldPath,
        date_format: Option<String>,
        filters: Vec<Filter>,
        /// The placeholder as written (`{titel|slug}`), for messages.
        source: String,
    },
}

#[derive(Debug, Clone, Copy)]
enum Filter {
    Slug,
    Lower,
    Upper,
}

impl Template {
    /// Parses a template; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") || rest.starts_with("}}") {
                literal.push(c);
                rest = &rest[2..];
            } else if c == '{' {
                let end = rest
                    .find('}')
                    .ok_or_else(|| format!("unclosed '{{' in template {text:?}"))?;
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(parse_placeholder(&rest[1..end])?);
                rest = &rest[end + 1..];
            } else if c == '}' {
                return Err(format!("unmatched '}}' in template {text:?}"));
            } else {
                literal.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        Ok(Template { parts, zone: None })
    }

    /// Formats dates that name no zone in `zone` (`--assume-tz`).
    pub fn assume_zone(mut self, zone: Option<TimeZone>) -> Template {
        self.zone = zone;
        self
    }

    /// The placeholders, as written (`{titel|slug}`), with the field each reads.
    pub fn placeholders(&self) -> impl Iterator<Item = (&str, &FieldPath)> {
        self.parts.iter().filter_map(|part| match part {
            Part::Field { source, path, .. } => Some((source.as_str(), path)),
            Part::Literal(_) => None,
        })
    }

    /// For each placeholder in order, why it renders as empty text for these fields
    /// (`None` when it renders something).
    pub fn gaps(&self, fields: &Map) -> Vec<Option<String>> {
        self.gaps_with_source(fields, None)
    }

    /// [`Template::gaps`] with the `source.*` fields of the record's file
    /// ([`crate::source_file::source_fields`]), which a record field never hides.
    pub fn gaps_with_source(&self, fields: &Map, source: Option<&Map>) -> Vec<Option<String>> {
        let mut gaps = Vec::new();
        for part in &self.parts {
            let Part::Field {
                path, date_format, ..
            } = part
            else {
                continue;
            };
            let gap = match (lookup(path, fields, source), date_format) {
                (None, _) => Some(format!("no field {path}")),
                (Some(value), _) if scalar_text(value).is_none() => {
                    Some(format!("{path} is a {}", value.type_name()))
                }
                (Some(value), Some(_))
                    if scalar_text(value)
                        .and_then(|t| DateTime::parse(&t))
                        .is_none() =>
                {
                    Some(format!("{path} is not a date: {value}"))
                }
                _ if self
                    .render_part(part, fields, source)
                    .is_ok_and(|text| text.is_empty()) =>
                {
                    Some(format!("{path} is empty"))
                }
                _ => None,
            };
            gaps.push(gap);
        }
        gaps
    }

    /// Renders the template with a record's fields; the error names the placeholder of a
    /// date that cannot be formatted (no zone, and the format needs one).
    pub fn render(&self, fields: &Map) -> Result<String, String> {
        self.render_with_source(fields, None)
    }

    /// [`Template::render`] with the `source.*` fields of the record's file
    /// ([`crate::source_file::source_fields`]): `{source.slug}` reads them first.
    pub fn render_with_source(&self, fields: &Map, source: Option<&Map>) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            out.push_str(&self.render_part(part, fields, source)?);
        }
        Ok(out)
    }

    fn render_part(
        &self,
        part: &Part,
        fields: &Map,
        source: Option<&Map>,
    ) -> Result<String, String> {
        let mut out = String::new();
        {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Field {
                    path,
                    date_format,
                    filters,
                    ..
                } => {
                    let value = lookup(path, fields, source);
                    let mut text = match (value, date_format) {
                        (Some(value), Some(format)) => {
                            let text = scalar_text(value).unwrap_or_default();
                            match DateTime::parse(&text) {
                                Some(date) => date
                                    .strftime(format, self.zone.as_ref())
                                    .map_err(|e| format!("{{{path}:{format}}}: {text:?} {e}"))?,
                                None => String::new(),
                            }
                        }
                        (Some(value), None) => scalar_text(value).unwrap_or_default(),
                        (None, _) => String::new(),
                    };
                    for filter in filters {
                        text = match filter {
                            Filter::Slug => slug(&text),
                            Filter::Lower => text.to_lowercase(),
                            Filter::Upper => text.to_uppercase(),
                        };
                    }
                    out.push_str(&text);
                }
            }
        }
        Ok(out)
    }
}

/// A placeholder's value: from the source file's fields when they have it, else from
/// the record's.
fn lookup<'a>(path: &FieldPath, fields: &'a Map, source: Option<&'a Map>) -> Option<&'a Value> {
    source
        .and_then(|source| path.get(source))
        .or_else(|| path.get(fields))
}

fn parse_placeholder(inner: &str) -> Result<Part, String> {
    let mut pieces = inner.split('|');
    let head = pieces.next().unwrap_or_default();
    let (path, date_format) = match head.split_once(':') {
        Some((path, format)) => {
            check_format(format).map_err(|e| format!("{{{inner}}}: {e}"))?;
            (path, Some(format.to_owned()))
        }
        None => (head, None),
    };
    if path.trim().is_empty() {
        return Err(format!("empty field name in placeholder {{{inner}}}"));
    }
    let filters = pieces
        .map(|name| match name.trim() {
            "slug" => Ok(Filter::Slug),
            "lower" => Ok(Filter::Lower),
            "upper" => Ok(Filter::Upper),
            other => Err(format!(
                "unknown filter {other:?} in {{{inner}}}; expected slug, lower or upper"
            )),
        })
        .collect::<Result<_, _>>()?;
    Ok(Part::Field {
        path: FieldPath::parse(path.trim()),
        date_format,
        filters,
        source: format!("{{{inner}}}"),
    })
}

/// The placeholders of a template that found no value, counted over many records:
/// a placeholder no record fills is most likely a misspelt field (`{titel}`), one that
/// some records fill is a gap in the data.
#[derive(Debug, Clone, Default)]
pub struct TemplateGaps {
    /// Records the template was rendered for.
    pub records: u64,
    /// One per placeholder, in the template's order (empty until the first record).
    pub gaps: Vec<Gap>,
}

/// One placeholder's records without a value.
#[derive(Debug, Clone, Default)]
pub struct Gap {
    /// The placeholder as written (`{titel|slug}`).
    pub placeholder: String,
    /// Records it rendered empty for.
    pub records: u64,
    /// Why, for the first such record (`no field titel`), and where it came from.
    pub first: Option<(String, String)>,
    /// The field the placeholder reads.
    pub field: String,
    /// The top-level field names of that first record, for "did you mean".
    pub names_of_first: Vec<String>,
}

impl TemplateGaps {
    /// Counts the placeholders `template` leaves empty for `record`.
    pub fn add(&mut self, template: &Template, record: &Record) {
        self.add_with_source(template, record, None);
    }

    /// [`TemplateGaps::add`] for a template rendered with the record file's `source.*`
    /// fields.
    pub fn add_with_source(&mut self, template: &Template, record: &Record, source: Option<&Map>) {
        if self.gaps.is_empty() {
            self.gaps = template
                .placeholders()
                .map(|(placeholder, path)| Gap {
                    placeholder: placeholder.to_owned(),
                    field: path.to_string(),
                    ..Gap::default()
                })
                .collect();
        }
        self.records += 1;
        for (gap, why) in self
            .gaps
            .iter_mut()
            .zip(template.gaps_with_source(&record.fields, source))
        {
            if let Some(why) = why {
                gap.records += 1;
                if gap.first.is_none() {
                    gap.first = Some((why, record.origin.to_string()));
                    gap.names_of_first = record.fields.keys().cloned().collect();
                }
            }
        }
    }

    /// Adds the counts of later records.
    pub fn merge(&mut self, other: &TemplateGaps) {
        if self.gaps.is_empty() {
            self.gaps = other.gaps.clone();
        } else {
            for (gap, more) in self.gaps.iter_mut().zip(&other.gaps) {
                gap.records += more.records;
                if gap.first.is_none() {
                    gap.first = more.first.clone();
                    gap.names_of_first = more.names_of_first.clone();
                }
            }
        }
        self.records += other.records;
    }

    /// Placeholders that rendered empty for every record (none when there was no record).
    pub fn never_filled(&self) -> impl Iterator<Item = &Gap> {
        self.gaps
            .iter()
            .filter(|gap| self.records > 0 && gap.records == self.records)
    }

    /// Placeholders that rendered empty for some records but not all.
    pub fn sometimes_empty(&self) -> impl Iterator<Item = &Gap> {
        self.gaps
            .iter()
            .filter(|gap| gap.records > 0 && gap.records < self.records)
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The longest slug `slug` returns, in characters; long titles make unwieldy file names.
pub const SLUG_MAX_CHARS: usize = 80;

/// A URL- and file-name-safe form of a text: lowercase letters and digits (any script)
/// joined by single hyphens, at most [`SLUG_MAX_CHARS`] characters, cut at a word end.
/// Empty when the text has no letters or digits.
///
/// ```
/// use recast_model::template::slug;
/// assert_eq!(slug("Q&A: <b>bold</b> claims"), "q-a-b-bold-b-claims");
/// assert_eq!(slug("Ünïcödé façade"), "ünïcödé-façade");
/// assert_eq!(slug("../../etc/passwd"), "etc-passwd");
/// ```
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let word = word.to_lowercase();
        let len = word.chars().count();
        let sep = usize::from(!out.is_empty());
        if chars + sep + len > SLUG_MAX_CHARS {
            if out.is_empty() {
                out.extend(word.chars().take(SLUG_MAX_CHARS));
            }
            break;
        }
        if sep == 1 {
            out.push('-');
        }
        out.push_str(&word);
        chars += sep + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fields_dates_and_filters() {
        let mut fields = Map::default();
        fields.insert("title".into(), "Robots 🤖 in the OR".into());
        fields.insert("date".into(), "2021-05-12T01:00:00+09:00".into());
        let mut provider = Map::default();
        provider.insert("name".into(), "Le Monde".into());
        fields.insert("provider".into(), Value::Map(provider));
        let render = |t: &str| Template::parse(t).unwrap().render(&fields).unwrap();
        assert_eq!(render("{date:%Y-%m-%d}"), "2021-05-12");
        assert_eq!(render("{title|slug}"), "robots-in-the-or");
        assert_eq!(render("{provider.name|upper}"), "LE MONDE");
        assert_eq!(render("{{x}} {missing}."), "{x} .");
        assert_eq!(render("{title:%Y}"), "");
    }

    #[test]
    fn rejects_broken_templates() {
        assert!(Template::parse("{title").is_err());
        assert!(Template::parse("title}").is_err());
        assert!(Template::parse("{title|shout}").is_err());
        assert!(Template::parse("{}").is_err());
        let unknown = Template::parse("{date:%Y-%K}").unwrap_err();
        assert!(unknown.contains("%K"), "{unknown}");
    }

    #[test]
    fn zone_less_dates_need_a_zone_for_offsets() {
        let mut fields = Map::default();
        fields.insert("date".into(), "2021-03-04T10:00:00".into());
        let template = Template::parse("{date:%H:%M%:z}").unwrap();
        let error = template.render(&fields).unwrap_err();
        assert!(
            error.contains("%:z") && error.contains("--assume-tz"),
            "{error}"
        );
        let paris = crate::date::parse_zone("Europe/Paris").unwrap();
        let template = template.assume_zone(Some(paris));
        assert_eq!(template.render(&fields).unwrap(), "10:00+01:00");
        let clock = Template::parse("{date:%Y-%m-%d %H:%M}").unwrap();
        assert_eq!(clock.render(&fields).unwrap(), "2021-03-04 10:00");
    }

    #[test]
    fn slugs_are_bounded() {
        let long = "word ".repeat(100);
        let s = slug(&long);
        assert!(s.chars().count() <= SLUG_MAX_CHARS);
        assert!(!s.ends_with('-'));
        assert_eq!(slug("人工知能が医療を変える"), "人工知能が医療を変える");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn gaps_are_counted_per_placeholder() {
        let template = Template::parse("{date:%Y}-{titel|slug}-{title|slug}").unwrap();
        let mut gaps = TemplateGaps::default();
        for (title, date) in [("A", "2021-01-01"), ("B", "soon")] {
            let mut record = Record::default();
            record.fields.insert("title".into(), title.into());
            record.fields.insert("date".into(), date.into());
            gaps.add(&template, &record);
        }
        let never: Vec<&str> = gaps
            .never_filled()
            .map(|g| g.placeholder.as_str())
            .collect();
        assert_eq!(never, ["{titel|slug}"]);
        let some: Vec<(&str, u64)> = gaps
            .sometimes_empty()
            .map(|g| (g.placeholder.as_str(), g.records))
            .collect();
        assert_eq!(some, [("{date:%Y}", 1)]);
        let first = gaps.gaps[0].first.clone().unwrap();
        assert_eq!(first.0, "date is not a date: \"soon\"");
        assert_eq!(gaps.gaps[1].first.clone().unwrap().0, "no field titel");
    }
}

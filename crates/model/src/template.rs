//! Templates that compute text from a record's fields: file names for `--out-dir`
//! (`{publishedDateTime:%Y-%m-%d}-{title|slug}.md`) and computed fields in migrations.
//!
//! A placeholder is `{path}`, `{path:STRFTIME}` (the field read as a date and formatted
//! in its own offset; the format is checked when the template is parsed) or
//! `{path|filter}` with the filters `slug`, `lower`, `upper`, which chain
//! (`{title|lower|slug}`). `{{` and `}}` are literal braces. A missing field, or a date
//! that does not parse, renders as empty text. A date without a zone formatted with a
//! directive that needs one (`%z`) is an error unless a zone is assumed
//! ([`Template::assume_zone`]).
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

    /// Renders the template with a record's fields; the error names the placeholder of a
    /// date that cannot be formatted (no zone, and the format needs one).
    pub fn render(&self, fields: &Map) -> Result<String, String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => out.push_str(text),
                Part::Field {
                    path,
                    date_format,
                    filters,
                } => {
                    let value = path.get(fields);
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
    })
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
}

//! Resolving relative references (RFC 3986, section 5) against `xml:base`.

/// Resolves `reference` against `base`. A reference with a scheme, or one without a base,
/// is returned as it is; a base without a scheme (`/blog/`) still resolves paths.
///
/// ```
/// # use recast_feed::url::resolve;
/// assert_eq!(resolve(Some("https://x.org/a/b.html"), "c.html"), "https://x.org/a/c.html");
/// assert_eq!(resolve(Some("https://x.org/a/b"), "../d?q#f"), "https://x.org/d?q#f");
/// assert_eq!(resolve(Some("https://x.org/a/"), "/root"), "https://x.org/root");
/// assert_eq!(resolve(Some("https://x.org/a"), "//cdn.org/i.png"), "https://cdn.org/i.png");
/// assert_eq!(resolve(Some("/2025/08/26/"), "post.html"), "/2025/08/26/post.html");
/// assert_eq!(resolve(None, "post.html"), "post.html");
/// assert_eq!(resolve(Some("https://x.org/"), "mailto:a@x.org"), "mailto:a@x.org");
/// ```
pub fn resolve(base: Option<&str>, reference: &str) -> String {
    let Some(base) = base.map(str::trim).filter(|b| !b.is_empty()) else {
        return reference.to_owned();
    };
    if scheme(reference).is_some() {
        return reference.to_owned();
    }
    let (base_scheme, rest) = match scheme(base) {
        Some(s) => (Some(s), &base[s.len() + 1..]),
        None => (None, base),
    };
    let prefix = base_scheme.map(|s| format!("{s}:")).unwrap_or_default();
    let (authority, path_query) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    let path_query = path_query.split('#').next().unwrap_or("");
    let (base_path, base_query) = match path_query.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path_query, None),
    };
    let authority_text = authority.map(|a| format!("//{a}")).unwrap_or_default();
    if reference.starts_with("//") {
        return format!("{prefix}{reference}");
    }
    if reference.is_empty() {
        return base.split('#').next().unwrap_or(base).to_owned();
    }
    if reference.starts_with('#') {
        let query = base_query.map(|q| format!("?{q}")).unwrap_or_default();
        return format!("{prefix}{authority_text}{base_path}{query}{reference}");
    }
    if reference.starts_with('?') {
        return format!("{prefix}{authority_text}{base_path}{reference}");
    }
    let (ref_path, tail) = match reference.find(['?', '#']) {
        Some(at) => reference.split_at(at),
        None => (reference, ""),
    };
    let merged = if ref_path.starts_with('/') {
        ref_path.to_owned()
    } else if authority.is_some() && base_path.is_empty() {
        format!("/{ref_path}")
    } else {
        match base_path.rfind('/') {
            Some(at) => format!("{}{ref_path}", &base_path[..=at]),
            None => ref_path.to_owned(),
        }
    };
    format!(
        "{prefix}{authority_text}{}{tail}",
        remove_dot_segments(&merged)
    )
}

/// Resolves the `href` and `src` attributes of HTML (feed content) against `base`, as
/// feed readers do when a feed sets `xml:base`. Without an absolute base it does nothing.
///
/// ```
/// # use recast_feed::url::resolve_html;
/// let html = r#"<p><img src="IMG_1.jpeg" /> <a href='/about'>about</a> <a href="https://x.org/">x</a></p>"#;
/// assert_eq!(
///     resolve_html(Some("https://numi.st/post/uke/"), html),
///     r#"<p><img src="https://numi.st/post/uke/IMG_1.jpeg" /> <a href='https://numi.st/about'>about</a> <a href="https://x.org/">x</a></p>"#
/// );
/// assert_eq!(resolve_html(None, html), html);
/// ```
pub fn resolve_html(base: Option<&str>, html: &str) -> String {
    let Some(base) = base.filter(|b| scheme(b).is_some()) else {
        return html.to_owned();
    };
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(at) = find_url_attribute(rest) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let quote = after.chars().next().unwrap_or('"');
        let value_start = quote.len_utf8();
        let Some(end) = after[value_start..].find(quote) else {
            out.push_str(after);
            return out;
        };
        let value = &after[value_start..value_start + end];
        out.push(quote);
        if value.contains('&') || value.trim().is_empty() {
            out.push_str(value);
        } else {
            out.push_str(&resolve(Some(base), value.trim()));
        }
        out.push(quote);
        rest = &after[value_start + end + quote.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The offset of the opening quote of the next ` href=` or ` src=` attribute value.
fn find_url_attribute(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(eq) = text[from..].find('=').map(|i| i + from) {
        let name_end = text[..eq].trim_end().len();
        let name_start = text[..name_end]
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(0, |i| i + 1);
        let name = &text[name_start..name_end];
        let mut value = eq + 1;
        while value < bytes.len() && bytes[value].is_ascii_whitespace() {
            value += 1;
        }
        if name_start > 0
            && (name.eq_ignore_ascii_case("href") || name.eq_ignore_ascii_case("src"))
            && matches!(bytes.get(value), Some(b'"' | b'\''))
        {
            return Some(value);
        }
        from = eq + 1;
    }
    None
}

/// The scheme of an absolute URI (`https` of `https://...`), if it has one.
fn scheme(text: &str) -> Option<&str> {
    let end = text.find(':')?;
    let scheme = &text[..end];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

fn remove_dot_segments(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > usize::from(absolute) {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if absolute && !joined.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

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

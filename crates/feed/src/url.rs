//! Resolving relative references (RFC 3986, section 5) against `xml:base`, in links and
//! in the HTML of feed content.

use std::cell::RefCell;
use std::ops::Range;

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

/// `text` with what a URL cannot carry as it is percent-encoded (UTF-8 bytes): spaces,
/// controls, non-ASCII, `"<>\\^`{|}[]`, a `%` that starts no escape, and the `extra`
/// bytes (`#` and `?` in a value that is one path segment's text).
///
/// ```
/// # use recast_feed::url::percent_encode;
/// assert_eq!(percent_encode("/escape-+ %20[]/", b""), "/escape-+%20%20%5B%5D/");
/// assert_eq!(percent_encode("hash-#1", b"#?"), "hash-%231");
/// assert_eq!(percent_encode("/café/", b""), "/caf%C3%A9/");
/// assert_eq!(percent_encode("/plain/", b""), "/plain/");
/// ```
pub fn percent_encode<'a>(text: &'a str, extra: &[u8]) -> std::borrow::Cow<'a, str> {
    let bytes = text.as_bytes();
    let escape_at = |i: usize| {
        bytes.len() > i + 2 && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit()
    };
    let keep = |i: usize, byte: u8| match byte {
        b'%' => escape_at(i),
        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => true,
        b'-' | b'.' | b'_' | b'~' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+'
        | b',' | b';' | b'=' | b':' | b'@' | b'/' | b'?' | b'#' => !extra.contains(&byte),
        _ => false,
    };
    if bytes.iter().enumerate().all(|(i, &b)| keep(i, b)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &byte) in bytes.iter().enumerate() {
        if keep(i, byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A link with the empty segments of its path dropped (`//` → `/`), as a template with
/// an empty placeholder makes them; the `//` of an authority stays.
///
/// ```
/// # use recast_feed::url::without_empty_segments;
/// assert_eq!(without_empty_segments("//post/"), "/post/");
/// assert_eq!(without_empty_segments("/blog//post/?q=a//b"), "/blog/post/?q=a//b");
/// assert_eq!(without_empty_segments("https://x.org//a/"), "https://x.org/a/");
/// ```
pub fn without_empty_segments(link: &str) -> String {
    let path_start = match link.find("://") {
        Some(at) => link[at + 3..]
            .find('/')
            .map_or(link.len(), |slash| at + 3 + slash),
        None => 0,
    };
    let path_end = link[path_start..]
        .find(['?', '#'])
        .map_or(link.len(), |at| path_start + at);
    let mut out = String::with_capacity(link.len());
    out.push_str(&link[..path_start]);
    for c in link[path_start..path_end].chars() {
        if !(c == '/' && out.ends_with('/') && out.len() > path_start) {
            out.push(c);
        }
    }
    out.push_str(&link[path_end..]);
    out
}

/// The HTML attributes whose value is one URL, resolved by [`resolve_html`].
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster"];

/// The HTML attributes whose value is a list of image candidates (`a.png 1x, b.png 2x`),
/// each URL resolved and each descriptor kept.
const SRCSET_ATTRIBUTES: &[&str] = &["srcset"];

/// Resolves the URL attributes (`href`, `src`, `poster`, and each URL of a `srcset`) of
/// HTML (feed content) against `base`, as feed readers do when a feed sets `xml:base`.
/// Without an absolute base it does nothing. A fragment alone (`#notes`) is relative to
/// the page too, so it resolves to the base page's fragment; references with a scheme
/// (`https:`, `mailto:`, `data:`) stay as written.
///
/// The HTML is read by an HTML tokenizer (lol_html), so only real attributes are
/// rewritten, never text that looks like one (an escaped code sample), and only their
/// values change: everything else stays byte for byte (quotes, spacing, entities).
/// Values with character references (`&amp;`) are left as written.
///
/// ```
/// # use recast_feed::url::resolve_html;
/// let html = r#"<p><img src="IMG_1.jpeg" /> <a href='/about'>about</a> <a href="https://x.org/">x</a></p>"#;
/// assert_eq!(
///     resolve_html(Some("https://numi.st/post/uke/"), html),
///     r#"<p><img src="https://numi.st/post/uke/IMG_1.jpeg" /> <a href='https://numi.st/about'>about</a> <a href="https://x.org/">x</a></p>"#
/// );
/// assert_eq!(resolve_html(None, html), html);
/// // An escaped sample is text, not a link.
/// let sample = r#"<code>&lt;a href="x.html"&gt;</code>"#;
/// assert_eq!(resolve_html(Some("https://numi.st/"), sample), sample);
/// ```
pub fn resolve_html(base: Option<&str>, html: &str) -> String {
    resolve_html_owned(base, html.to_owned())
}

/// [`resolve_html`] of HTML the caller owns: returned as it is, without a copy, when it
/// has nothing to resolve (most items link nothing, and skip the tokenizer).
pub(crate) fn resolve_html_owned(base: Option<&str>, html: String) -> String {
    let Some(base) = base.filter(|b| scheme(b).is_some()) else {
        return html;
    };
    if !may_hold_url_attributes(&html) {
        return html;
    }
    rewrite_url_attributes(base, &html).unwrap_or(html)
}

/// The HTML with its URL attributes resolved against `base` (absolute); `None` when
/// the tokenizer fails.
fn rewrite_url_attributes(base: &str, html: &str) -> Option<String> {
    // The byte ranges of the values to replace, with their resolved URLs.
    let edits = RefCell::new(Vec::<(Range<usize>, String)>::new());
    // One selector for every URL attribute: compiling selectors is most of the cost of
    // a short item.
    let selector = URL_ATTRIBUTES
        .iter()
        .chain(SRCSET_ATTRIBUTES)
        .map(|name| format!("[{name}]"))
        .collect::<Vec<_>>()
        .join(",");
    let handler = lol_html::element!(selector, |element| {
        for attribute in element.attributes() {
            let name = attribute.name();
            let is_list = SRCSET_ATTRIBUTES.contains(&name.as_str());
            if !is_list && !URL_ATTRIBUTES.contains(&name.as_str()) {
                continue;
            }
            let Some(at) = attribute.value_source_location() else {
                continue;
            };
            let at = at.bytes();
            let value = &html[at.clone()];
            if value.contains('&') || value.trim().is_empty() {
                continue;
            }
            let mut edits = edits.borrow_mut();
            if is_list {
                for url in srcset_urls(value) {
                    let range = at.start + url.start..at.start + url.end;
                    edits.push((range, resolve(Some(base), &value[url])));
                }
            } else {
                edits.push((at, resolve(Some(base), value.trim())));
            }
        }
        Ok(())
    });
    let settings = lol_html::Settings::new().append_element_content_handler(handler);
    // Only the locations are wanted: the rewriter's own output is dropped.
    let mut tokenizer = lol_html::HtmlRewriter::new(settings, |_: &[u8]| {});
    if tokenizer.write(html.as_bytes()).is_err() || tokenizer.end().is_err() {
        return None;
    }
    let mut edits = edits.into_inner();
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(html.len() + 64);
    let mut copied = 0;
    for (range, resolved) in edits {
        if range.start < copied {
            continue;
        }
        out.push_str(&html[copied..range.start]);
        out.push_str(&resolved);
        copied = range.end;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// Whether `html` may hold a URL attribute: some `=` follows one of their names (any
/// case, white space between). False is certain; true is checked by the tokenizer.
fn may_hold_url_attributes(html: &str) -> bool {
    let bytes = html.as_bytes();
    let names = || URL_ATTRIBUTES.iter().chain(SRCSET_ATTRIBUTES);
    memchr::memchr_iter(b'=', bytes).any(|at| {
        let end = bytes[..at]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |last| last + 1);
        names().any(|name| {
            end >= name.len() && bytes[end - name.len()..end].eq_ignore_ascii_case(name.as_bytes())
        })
    })
}

/// The byte ranges of the URLs in a `srcset` value, as HTML's parsing rules split it:
/// candidates are separated by commas; a candidate is a URL (no white space; commas
/// ending it separate) and optional descriptors (`2x`, `480w`), up to the next comma.
///
/// ```text
/// "a.png 1x, b.png 2x"  →  0..5, 10..15
/// ```
fn srcset_urls(value: &str) -> Vec<Range<usize>> {
    let bytes = value.as_bytes();
    let mut urls = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut end = at;
        while end > start && bytes[end - 1] == b',' {
            end -= 1;
        }
        if end > start {
            urls.push(start..end);
        }
        if end < at {
            // The URL ended with commas: the candidate has no descriptors.
            continue;
        }
        // The descriptors, up to the comma ending the candidate (parentheses may hold
        // commas, as in future descriptors).
        let mut depth = 0usize;
        while at < bytes.len() {
            match bytes[at] {
                b'(' => depth += 1,
                b')' => depth = depth.saturating_sub(1),
                b',' if depth == 0 => break,
                _ => {}
            }
            at += 1;
        }
    }
    urls
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

#[cfg(test)]
mod tests {
    use super::{resolve_html, srcset_urls};

    const BASE: Option<&str> = Some("https://x.org/blog/");

    #[test]
    fn escaped_samples_and_scripts_are_text_not_links() {
        for text in [
            r#"<p>Write <code>&lt;a href="x.html"&gt;</code>.</p>"#,
            r#"<pre>&lt;img src="a.png"&gt;</pre>"#,
            r#"<script>let s = '<a href="x.html">';</script>"#,
            r#"<p>a href="x.html" in prose</p>"#,
        ] {
            assert_eq!(resolve_html(BASE, text), text);
        }
    }

    #[test]
    fn relative_links_resolve_against_the_base() {
        assert_eq!(
            resolve_html(
                BASE,
                r##"<a HREF="post.html">p</a><img alt="" src=../i.png><a href="#top">t</a>"##
            ),
            r##"<a HREF="https://x.org/blog/post.html">p</a><img alt="" src=https://x.org/i.png><a href="https://x.org/blog/#top">t</a>"##
        );
        // Absolute links, and values with references, stay as written.
        let kept = r#"<a href="https://y.org/">y</a><a href="a.html?b=1&amp;c=2">q</a>"#;
        assert_eq!(resolve_html(BASE, kept), kept);
    }

    #[test]
    fn srcset_candidates_and_posters_resolve_keeping_descriptors() {
        assert_eq!(
            resolve_html(
                BASE,
                r#"<img srcset="a.png 1x, b.png 2x"><img srcset="/c.png 1x,d.png 480w"><video poster="p.jpg"></video>"#
            ),
            r#"<img srcset="https://x.org/blog/a.png 1x, https://x.org/blog/b.png 2x"><img srcset="https://x.org/c.png 1x,https://x.org/blog/d.png 480w"><video poster="https://x.org/blog/p.jpg"></video>"#
        );
        let value = "a.png 1x,  b.png (a, b) 2x, https://y.org/c.png";
        let urls: Vec<&str> = srcset_urls(value).into_iter().map(|r| &value[r]).collect();
        assert_eq!(urls, ["a.png", "b.png", "https://y.org/c.png"]);
    }

    #[test]
    fn mail_data_and_absolute_references_stay_as_written() {
        let kept = r#"<a href="mailto:a@x.org">m</a><img src="data:image/png;base64,iVBO"><img srcset="https://y.org/a.png 2x">"#;
        assert_eq!(resolve_html(BASE, kept), kept);
        assert_eq!(
            resolve_html(BASE, "plain text, no tags"),
            "plain text, no tags"
        );
    }

    #[test]
    fn only_html_with_a_url_attribute_is_tokenized() {
        use super::may_hold_url_attributes as may;
        assert!(may(r#"<a HREF = "x">"#) && may("<img srcset=a.png>") && may("<video poster=p>"));
        assert!(!may("<p>a = b, <em>no</em> links</p>") && !may("x=1"));
    }
}

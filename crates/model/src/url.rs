//! The one rule for "an absolute web address", shared by the feed writers (is an item's
//! id its link?), the feed readers (is an Atom id a link?) and `recast validate` (is a
//! `…Url` field a link?), so that they never disagree.

use ::url::{Host, Url};

/// True for an absolute `http` or `https` URL with a host, as the [WHATWG URL
/// standard](https://url.spec.whatwg.org/) parses it (the `url` crate), and stricter on
/// three points where the standard repairs what a person most likely mistyped:
///
/// - no whitespace anywhere (the standard drops tabs and line breaks, and encodes a
///   space in the path);
/// - the host follows `//` at once (`https:///a` is read as host `a` by the standard);
/// - a domain has no empty label (`a..b`, `.a`), though it may end with the root's dot
///   (`x.org.`).
///
/// ```
/// use recast_model::url::is_web_url;
/// assert!(is_web_url("https://x.org/a?b#c"));
/// assert!(is_web_url("HTTP://X.ORG"));
/// assert!(is_web_url("https://[::1]:8080/"));
/// assert!(!is_web_url("https://a..b/"));
/// assert!(!is_web_url("mailto:a@x.org"));
/// assert!(!is_web_url("/2020/post.html"));
/// ```
pub fn is_web_url(text: &str) -> bool {
    if text.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return false;
    }
    if rest.starts_with(['/', '\\']) {
        return false;
    }
    let Ok(url) = Url::parse(text) else {
        return false;
    };
    match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.strip_suffix('.').unwrap_or(domain);
            !domain.is_empty() && domain.split('.').all(|label| !label.is_empty())
        }
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_web_url;

    #[test]
    fn web_urls() {
        for good in [
            "https://x.org",
            "http://x.org/a?b#c",
            "HTTPS://X.ORG/",
            "https://u@h:8080/p",
            "https://[::1]/",
            "https://x.org./",
            "http://192.168.0.1/",
            "https://bücher.example/",
        ] {
            assert!(is_web_url(good), "{good}");
        }
        for bad in [
            "",
            "x.org",
            "/a/b",
            "https://",
            "https:///a",
            "https:\\\\x.org",
            "mailto:a@b.c",
            "https://x y.org",
            "https://x.org/a b",
            "javascript:alert(1)",
            "https://:80/",
            "https://a..b",
            "https://a..b/c",
            "https://.a/",
            "https://a%2e%2eb/",
            "ftp://x.org/",
            "urn:recast:item:0123",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
    }
}

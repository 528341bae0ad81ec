//! XML's references: the five predefined entities and character references resolved,
//! every other entity left as written (never expanded, never fetched).

/// Resolves `&amp;`-style references in an attribute value and normalises its
/// whitespace as XML says; unknown entities stay as written, never expanded. Appends to
/// `out`.
#[inline]
pub(super) fn unescape_into(raw: &str, attribute: bool, out: &mut String) {
    let special = |b: &u8| *b == b'&' || (attribute && matches!(b, b'\t' | b'\n' | b'\r'));
    if !raw.as_bytes().iter().any(special) {
        out.push_str(raw);
        return;
    }
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some(end) = rest[1..].find(';').filter(|&e| e <= 32)
        {
            let name = &rest[1..=end];
            if let Some(resolved) = resolve_reference(name) {
                out.push(resolved);
                rest = &rest[end + 2..];
                continue;
            }
        }
        out.push(if attribute && matches!(c, '\t' | '\n' | '\r') {
            ' '
        } else {
            c
        });
        rest = &rest[c.len_utf8()..];
    }
}

/// The character a predefined entity or character reference stands for.
#[inline]
pub(super) fn resolve_reference(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let code =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_references_but_never_entities() {
        let unescape = |raw: &str, attribute: bool| {
            let mut out = String::new();
            unescape_into(raw, attribute, &mut out);
            out
        };
        assert_eq!(
            unescape("a &amp; b &#233; &#x41; &nbsp; &bogus", false),
            "a & b é A &nbsp; &bogus"
        );
        assert_eq!(unescape("x\ny", true), "x y");
        assert_eq!(unescape("plain", true), "plain");
    }
}

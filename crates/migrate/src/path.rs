//! Field paths as users write them (flags and plan files), checked.

use recast_model::path::FieldPath;

/// A path from user text; empty paths and empty segments are refused.
pub(crate) fn field_path(text: &str) -> Result<FieldPath, String> {
    let text = text.trim();
    let path = FieldPath::parse(text);
    if text.is_empty() || path.segments().iter().any(String::is_empty) {
        return Err(format!(
            "{text:?} is not a field path; expected names like provider.name"
        ));
    }
    Ok(path)
}

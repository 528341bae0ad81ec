//! The lossless number scheme: which numbers go in numeric cells, and the text a
//! numeric cell reads back as.
//!
//! A spreadsheet holds a number as a double and shows at most 15 significant digits;
//! recast keeps a number's text (`1.0` is not `1`, `12345678901234567890123` keeps every
//! digit). So a number goes in a numeric cell only when the cell reads back as exactly
//! its text: [`cell_text`] of the double equals the number's text (in a `:float` column
//! the reader puts back the `.0` a whole float loses), with at most 15 significant
//! digits, so that Excel and LibreOffice saving the sheet again change nothing. Any
//! other number is stored as a text cell holding its exact text, in a column whose
//! header hint (`:number`, `:float`, `:any`) says its text cells are read as CSV cells
//! are (so `12345678901234567890123` is a number there, `'2024` a string).

use recast_model::Number;

/// Doubles below this are whole numbers a double holds exactly (2^53).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// The most significant digits Excel and LibreOffice keep when they save a number.
const SIGNIFICANT_DIGITS: usize = 15;

/// The text of a numeric cell, as recast reads it: whole numbers below 2^53 as
/// integers (`39`), other numbers in their shortest exact form (`0.1`, `1e300`).
pub(crate) fn cell_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < EXACT_INTEGERS {
        // Whole and below 2^53: the cast is exact (`-0.0` reads as `0`).
        format!("{}", value as i64)
    } else {
        ryu::Buffer::new().format(value).to_owned()
    }
}

/// The double for a numeric cell holding `number`, when that cell reads back as exactly
/// the number's text; `None` when the number must be stored as text.
pub(crate) fn exact_cell_value(number: &Number, float_column: bool) -> Option<f64> {
    let text = number.as_str();
    let value: f64 = text.parse().ok().filter(|v: &f64| v.is_finite())?;
    let back = cell_text(value);
    let same = back == text || (float_column && text.strip_suffix(".0") == Some(back.as_str()));
    (same && significant_digits(&back) <= SIGNIFICANT_DIGITS).then_some(value)
}

/// The significant digits of a number's text (`0.00120` has 3, `1e300` has 1).
fn significant_digits(text: &str) -> usize {
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    digits
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len()
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(text: &str, float_column: bool) -> bool {
        exact_cell_value(&Number::parse(text).unwrap(), float_column).is_some()
    }

    #[test]
    fn numbers_a_spreadsheet_holds_exactly_go_in_numeric_cells() {
        for text in [
            "0",
            "39",
            "-7",
            "0.1",
            "2.5",
            "123456789012345",
            "1e300",
            "1.5e-7",
        ] {
            assert!(exact(text, false), "{text}");
        }
        assert!(exact("1.0", true));
        assert!(exact("39.0", true));
    }

    #[test]
    fn numbers_it_would_change_are_kept_as_text() {
        for text in [
            "12345678901234567890123",
            "9007199254740993",
            "1234567890123456",
            "1.0",
            "1.50",
            "-0",
            "1E5",
            "0.30000000000000004",
        ] {
            assert!(!exact(text, false), "{text}");
        }
        assert!(!exact("1.50", true));
    }

    #[test]
    fn cells_read_back_as_their_shortest_text() {
        assert_eq!(cell_text(39.0), "39");
        assert_eq!(cell_text(-0.0), "0");
        assert_eq!(cell_text(0.1), "0.1");
        assert_eq!(cell_text(1e300), "1e300");
    }
}

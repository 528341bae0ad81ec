//! Reading the date strings of records, where a feature needs their meaning (sorting a
//! feed, RFC 822 `pubDate`, reformatting in a migration, the date range in `inspect`).
//!
//! Records keep dates as the strings their source wrote; this module is the one place
//! that interprets them.
//!
//! ```
//! use recast_model::date::DateTime;
//! let date = DateTime::parse("2021-05-12T01:00:00+09:00").unwrap();
//! // Formatting keeps the instant's own offset.
//! assert_eq!(date.strftime("%Y-%m-%d"), "2021-05-12");
//! assert_eq!(date.to_rfc2822(), "Wed, 12 May 2021 01:00:00 +0900");
//! assert_eq!(date.to_rfc3339(), "2021-05-12T01:00:00+09:00");
//! ```

use std::cmp::Ordering;

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::{Offset, TimeZone};

/// An instant with the UTC offset its text was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    pub timestamp: Timestamp,
    pub offset: Offset,
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dates order by instant; the offset only breaks ties so that the order is total.
impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp
            .cmp(&other.timestamp)
            .then(self.offset.seconds().cmp(&other.offset.seconds()))
    }
}

impl DateTime {
    /// Reads the date forms archives and feeds use: RFC 3339 (`2020-11-11T16:36:00Z`,
    /// offsets, fractional seconds, a space for the `T`), a bare date (`2020-11-11`,
    /// taken as midnight UTC), and RFC 2822 (`Wed, 11 Nov 2020 16:36:00 +0000`).
    /// Returns `None` for anything else; callers keep such a string as it is.
    pub fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        if text.as_bytes()[0].is_ascii_digit() {
            if let Some(date) = parse_rfc3339(text) {
                return Some(date);
            }
            if let Ok(date) = text.parse::<civil::Date>() {
                let timestamp = date.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
                return Some(DateTime {
                    timestamp,
                    offset: Offset::UTC,
                });
            }
        }
        let zoned = jiff::fmt::rfc2822::parse(text).ok()?;
        Some(DateTime {
            timestamp: zoned.timestamp(),
            offset: zoned.offset(),
        })
    }

    fn zoned(&self) -> jiff::ZonedDateTime {
        self.timestamp.to_zoned_datetime(TimeZone::fixed(self.offset))
    }

    /// Formats with strftime directives (`%Y-%m-%d`, `%H:%M`, `%z`...) in the date's
    /// own offset.
    pub fn strftime(&self, format: &str) -> String {
        self.zoned().strftime(format).to_string()
    }

    /// RFC 2822 (RSS's RFC 822 dates), in the date's own offset.
    pub fn to_rfc2822(&self) -> String {
        jiff::fmt::rfc2822::to_string(&self.zoned())
            .unwrap_or_else(|_| self.timestamp.to_string())
    }

    /// RFC 3339, in the date's own offset (`Z` for UTC).
    pub fn to_rfc3339(&self) -> String {
        if self.offset == Offset::UTC {
            self.timestamp.to_string()
        } else {
            self.timestamp.display_with_offset(self.offset).to_string()
        }
    }
}

/// RFC 3339 keeping the written offset (jiff's `Timestamp` parser accepts the text but
/// forgets the offset, so it is read back off the end).
fn parse_rfc3339(text: &str) -> Option<DateTime> {
    let timestamp: Timestamp = text.parse().ok()?;
    let offset = if text.ends_with(['Z', 'z']) {
        Offset::UTC
    } else {
        let tail = text.get(text.len().checked_sub(6)?..)?;
        let (sign, hhmm) = tail.split_at(1);
        let (hours, minutes) = hhmm.split_once(':')?;
        let seconds = hours.parse::<i32>().ok()? * 3600 + minutes.parse::<i32>().ok()? * 60;
        let seconds = if sign == "-" { -seconds } else { seconds };
        Offset::from_seconds(seconds).ok()?
    };
    Some(DateTime { timestamp, offset })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_forms_archives_use() {
        let utc = DateTime::parse("2020-11-11T16:36:00Z").unwrap();
        assert_eq!(utc.to_rfc2822(), "Wed, 11 Nov 2020 16:36:00 +0000");
        let india = DateTime::parse("2020-11-11T22:06:00+05:30").unwrap();
        assert_eq!(india.timestamp, utc.timestamp);
        assert_eq!(india.to_rfc3339(), "2020-11-11T22:06:00+05:30");
        let fraction = DateTime::parse("2020-11-11T16:36:00.250Z").unwrap();
        assert!(fraction > utc);
        let day = DateTime::parse("2020-11-11").unwrap();
        assert_eq!(day.to_rfc3339(), "2020-11-11T00:00:00Z");
        let rss = DateTime::parse("Wed, 11 Nov 2020 11:36:00 -0500").unwrap();
        assert_eq!(rss.timestamp, utc.timestamp);
        assert_eq!(rss.strftime("%H:%M %z"), "11:36 -0500");
    }

    #[test]
    fn leaves_other_text_alone() {
        for text in ["", "yesterday", "2020-13-45", "11/11/2020", "2020-11-11T25:00:00Z"] {
            assert_eq!(DateTime::parse(text), None, "{text}");
        }
    }
}

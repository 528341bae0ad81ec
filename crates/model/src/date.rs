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

    /// Reads what [`DateTime::parse`] reads, and the RFC 822 dates real feeds write:
    /// named zones (`EST`, `PDT`, `CET`...; a missing zone is UTC), day and month names
    /// in other languages (`Do, 22 Dez 2016`, `mer, 16 nov 2022`, `Seg, 24 Set 2018`),
    /// two-digit years (`10 Dec 17`: 00–49 are 20xx, 50–99 are 19xx, as RFC 2822 says),
    /// no seconds, extra spaces. Returns `None` for anything else.
    ///
    /// ```
    /// use recast_model::date::DateTime;
    /// let pst = DateTime::parse_lenient("Sun, 10 Dec 17 13:01:36 PST").unwrap();
    /// assert_eq!(pst.to_rfc3339(), "2017-12-10T13:01:36-08:00");
    /// let german = DateTime::parse_lenient("Do, 22 Dez 2016 17:36:00 +0000").unwrap();
    /// assert_eq!(german.to_rfc3339(), "2016-12-22T17:36:00Z");
    /// ```
    pub fn parse_lenient(text: &str) -> Option<DateTime> {
        DateTime::parse(text).or_else(|| parse_loose_rfc822(text))
    }

    fn zoned(&self) -> jiff::ZonedDateTime {
        self.timestamp
            .to_zoned_datetime(TimeZone::fixed(self.offset))
    }

    /// Formats with strftime directives (`%Y-%m-%d`, `%H:%M`, `%z`...) in the date's
    /// own offset.
    pub fn strftime(&self, format: &str) -> String {
        self.zoned().strftime(format).to_string()
    }

    /// RFC 2822 (RSS's RFC 822 dates), in the date's own offset.
    pub fn to_rfc2822(&self) -> String {
        jiff::fmt::rfc2822::to_string(&self.zoned()).unwrap_or_else(|_| self.timestamp.to_string())
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

/// RFC 822 as real feeds write it; see [`DateTime::parse_lenient`].
fn parse_loose_rfc822(text: &str) -> Option<DateTime> {
    let cleaned = text.replace(',', " ");
    let mut tokens: Vec<&str> = cleaned.split_whitespace().collect();
    // A day name in any language: letters (and a dot) before the day of the month.
    if tokens
        .first()
        .is_some_and(|t| t.chars().all(|c| c.is_alphabetic() || c == '.'))
    {
        tokens.remove(0);
    }
    let [day, month, year, time, rest @ ..] = tokens.as_slice() else {
        return None;
    };
    let day: i8 = day.parse().ok()?;
    let month = month_number(month)?;
    let year: i16 = match year.len() {
        2 => match year.parse::<i16>().ok()? {
            y @ 0..=49 => 2000 + y,
            y => 1900 + y,
        },
        3 => 1900 + year.parse::<i16>().ok()?,
        4 => year.parse().ok()?,
        _ => return None,
    };
    let mut clock = time.split(':');
    let hour: i8 = clock.next()?.parse().ok()?;
    let minute: i8 = clock.next()?.parse().ok()?;
    let second: i8 = match clock.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if clock.next().is_some() {
        return None;
    }
    let offset = match rest.first() {
        None => Offset::UTC,
        Some(zone) => zone_offset(zone)?,
    };
    let date = civil::Date::new(year, month, day).ok()?;
    let time = civil::Time::new(hour, minute, second, 0).ok()?;
    let timestamp = civil::DateTime::from_parts(date, time)
        .to_zoned_datetime(TimeZone::fixed(offset))
        .ok()?
        .timestamp();
    Some(DateTime { timestamp, offset })
}

/// A month name or abbreviation in English, German, French, Italian, Spanish or
/// Portuguese.
fn month_number(name: &str) -> Option<i8> {
    let lower = name.trim_end_matches('.').to_lowercase();
    let four: String = lower.chars().take(4).collect();
    match four.as_str() {
        "juin" => return Some(6),
        "juil" => return Some(7),
        _ => {}
    }
    let three: String = lower.chars().take(3).collect();
    Some(match three.as_str() {
        "jan" | "gen" | "ene" => 1,
        "feb" | "fev" | "fév" => 2,
        "mar" | "mär" | "mrz" => 3,
        "apr" | "abr" | "avr" => 4,
        "may" | "mai" | "mag" => 5,
        "jun" | "giu" => 6,
        "jul" | "lug" => 7,
        "aug" | "ago" | "aoû" | "aou" => 8,
        "sep" | "set" => 9,
        "oct" | "okt" | "ott" | "out" => 10,
        "nov" => 11,
        "dec" | "dez" | "dic" | "déc" => 12,
        _ => return None,
    })
}

/// `+0530`, `-05:00`, `Z`, `GMT`, or a North American, European or Asian zone name.
fn zone_offset(zone: &str) -> Option<Offset> {
    let hours = |h: i32| Offset::from_seconds(h * 3600).ok();
    if let Some(sign) = zone.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let h: i32 = digits[..2].parse().ok()?;
        let m: i32 = digits[2..].parse().ok()?;
        let seconds = h * 3600 + m * 60;
        return Offset::from_seconds(if sign == '-' { -seconds } else { seconds }).ok();
    }
    match zone.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => hours(0),
        "EST" => hours(-5),
        "EDT" => hours(-4),
        "CST" => hours(-6),
        "CDT" => hours(-5),
        "MST" => hours(-7),
        "MDT" => hours(-6),
        "PST" => hours(-8),
        "PDT" => hours(-7),
        "AKST" => hours(-9),
        "AKDT" => hours(-8),
        "HST" => hours(-10),
        "BST" | "CET" | "MET" | "WEST" => hours(1),
        "CEST" | "MEST" | "EET" => hours(2),
        "EEST" | "MSK" => hours(3),
        "IST" => Offset::from_seconds(5 * 3600 + 1800).ok(),
        "JST" | "KST" => hours(9),
        "AEST" => hours(10),
        "AEDT" => hours(11),
        _ => None,
    }
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
        for text in [
            "",
            "yesterday",
            "2020-13-45",
            "11/11/2020",
            "2020-11-11T25:00:00Z",
        ] {
            assert_eq!(DateTime::parse(text), None, "{text}");
        }
    }

    #[test]
    fn reads_the_rfc_822_of_real_feeds() {
        let cases = [
            ("Thu, 01 Aug 2019 16:15 EDT", "2019-08-01T16:15:00-04:00"),
            ("Wed, 5 Nov 2025 13:52:10  EST", "2025-11-05T13:52:10-05:00"),
            ("Tue, 15 Nov 2022 20:15:04 Z", "2022-11-15T20:15:04Z"),
            (
                "mer, 16 nov 2022 00:38:15 +0100",
                "2022-11-16T00:38:15+01:00",
            ),
            (
                "Seg, 24 Set 2018 19:42:00 -0300",
                "2018-09-24T19:42:00-03:00",
            ),
            ("Do, 22 Dez 2016 17:36:00 +0000", "2016-12-22T17:36:00Z"),
            ("Sun, 10 Dec 17 13:01:36 -0800", "2017-12-10T13:01:36-08:00"),
            ("10 Dec 99 13:01:36 GMT", "1999-12-10T13:01:36Z"),
            ("Mon, 06 Sep 2010 00:01:00", "2010-09-06T00:01:00Z"),
            (
                "Fri, 13 Jul 2012 10:00:00 +05:30",
                "2012-07-13T10:00:00+05:30",
            ),
        ];
        for (text, rfc3339) in cases {
            let date = DateTime::parse_lenient(text).unwrap_or_else(|| panic!("{text} not read"));
            assert_eq!(date.to_rfc3339(), rfc3339, "{text}");
        }
        for text in [
            "",
            "yesterday",
            "32 Jan 2020 10:00:00 GMT",
            "Mon, 06 Foo 2010 00:01:00",
            "1 Jan 2020 10:00 +5",
        ] {
            assert_eq!(DateTime::parse_lenient(text), None, "{text}");
        }
        assert_eq!(
            DateTime::parse_lenient("2020-11-11T16:36:00Z"),
            DateTime::parse("2020-11-11T16:36:00Z")
        );
    }
}

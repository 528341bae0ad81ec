//! Reading the date strings of records, where a feature needs their meaning (sorting a
//! feed, RFC 822 `pubDate`, reformatting in a migration, `where` comparisons, the date
//! range in `inspect`, `validate`).
//!
//! Records keep dates as the strings their source wrote; this module is the one place
//! that interprets them, with one parser, [`DateTime::parse`], for every feature.
//!
//! A date written without a zone (`2021-03-04T10:00:00`, `2021-03-04`) is a civil
//! (local) date-time: it is read exactly, but it names no instant until a zone is
//! assumed for it ([`DateTime::in_zone`], `--assume-tz`). Formatting it with a
//! directive that needs a zone (`%z`, `%Z`, `%s`...) is an error rather than a guess.
//!
//! ```
//! use recast_model::date::DateTime;
//! let date = DateTime::parse("2021-05-12T01:00:00+09:00").unwrap();
//! // Formatting keeps the instant's own offset.
//! assert_eq!(date.strftime("%Y-%m-%d", None).unwrap(), "2021-05-12");
//! assert_eq!(date.to_rfc2822(), "Wed, 12 May 2021 01:00:00 +0900");
//! assert_eq!(date.to_rfc3339(), "2021-05-12T01:00:00+09:00");
//! // A civil date-time keeps its clock time; an offset needs a zone.
//! let civil = DateTime::parse("2021-03-04 10:00:00").unwrap();
//! assert_eq!(civil.strftime("%H:%M:%S", None).unwrap(), "10:00:00");
//! assert!(civil.strftime("%H:%M %:z", None).is_err());
//! ```

use std::cmp::Ordering;

use jiff::Timestamp;
use jiff::civil;
use jiff::fmt::strtime;
use jiff::fmt::temporal::Pieces;
use jiff::tz::Offset;

pub use jiff::tz::TimeZone;

/// A date as its text gave it: an instant with the UTC offset it was written in, or a
/// civil date-time or date that named no zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    /// The instant; for a zone-less date, its clock time read as UTC (so that zone-less
    /// dates order among themselves by their clock time).
    pub timestamp: Timestamp,
    /// The written offset (UTC for a zone-less date).
    pub offset: Offset,
    /// Whether the text named a zone, and whether it had a time of day.
    pub kind: Kind,
}

/// What a date's text said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A date-time with an offset or zone (`Z`, `+09:00`, `-0500`, `PST`): an instant.
    Instant,
    /// A date-time without a zone (`2021-03-04T10:00:00`): a civil (local) date-time.
    Civil,
    /// A date alone (`2021-03-04`): a civil date, taken as the start of that day.
    Day,
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dates order by instant (a zone-less date by its clock time read as UTC, unless a zone
/// was assumed for it); the offset and kind only break ties so that the order is total.
impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.timestamp
            .cmp(&other.timestamp)
            .then(self.offset.seconds().cmp(&other.offset.seconds()))
            .then(self.kind.cmp(&other.kind))
    }
}

impl DateTime {
    /// Reads every date form recast knows, exactly:
    /// - ISO 8601 / RFC 3339 ([`DateTime::parse_iso`]): `2020-11-11T16:36:00Z`,
    ///   `2021-03-04T10:00:00-0500`, `2021-03-04 10:00:00.25`, Jekyll's
    ///   `2016-06-03 13:21:02 -0700`, a bare `2020-11-11`;
    /// - RFC 822 as real feeds write it: `Wed, 11 Nov 2020 16:36:00 +0000`, named zones
    ///   (`EST`, `PDT`, `CET`...), day and month names in other languages (`Do, 22 Dez
    ///   2016`, `mer, 16 nov 2022`), two-digit years (`10 Dec 17`: 00–49 are 20xx, 50–99
    ///   are 19xx, as RFC 2822 says), no seconds, `8:56 am`, extra spaces.
    ///
    /// A text without a zone gives a zone-less date ([`Kind::Civil`], [`Kind::Day`]).
    /// Returns `None` for anything else; callers keep such a string as it is.
    ///
    /// ```
    /// use recast_model::date::{DateTime, Kind};
    /// let pst = DateTime::parse("Mon, 21 Jan 2008 8:56 am PST").unwrap();
    /// assert_eq!(pst.to_rfc3339(), "2008-01-21T08:56:00-08:00");
    /// let jekyll = DateTime::parse("2016-06-03 13:21:02 -0700").unwrap();
    /// assert_eq!(jekyll.to_rfc3339(), "2016-06-03T13:21:02-07:00");
    /// assert_eq!(DateTime::parse("2021-03-04T10:00:00").unwrap().kind, Kind::Civil);
    /// ```
    pub fn parse(text: &str) -> Option<DateTime> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        DateTime::parse_iso(text).or_else(|| parse_loose_rfc822(text))
    }

    /// Reads the ISO 8601 / RFC 3339 forms of [`DateTime::parse`] only: a date, or a date
    /// and a time (`T` or a space between them; seconds and fractions optional) with an
    /// optional offset (`Z`, `+09:00`, `+0900`, `+09`), which may follow the time after a
    /// space or carry a name (`UTC`, `PST`).
    pub fn parse_iso(text: &str) -> Option<DateTime> {
        let text = text.trim();
        if !text.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        // Jekyll and Ruby write the offset after a space: `2016-06-03 13:21:02 -0700`.
        if let Some((date_time, zone)) = text.rsplit_once(' ')
            && date_time.contains(':')
            && let Some(offset) = zone_offset(zone)
        {
            let pieces = Pieces::parse(date_time).ok()?;
            if pieces.offset().is_some() || pieces.time_zone_annotation().is_some() {
                return None;
            }
            let civil = pieces.date().to_datetime(pieces.time()?);
            return instant(civil, offset);
        }
        let pieces = Pieces::parse(text).ok()?;
        // A bracketed zone name alone (`2025-01-03T16:42[America/Whitehorse]`) is rare in
        // archives; rather than guess with a time zone database, such text is not read.
        if pieces.offset().is_none() && pieces.time_zone_annotation().is_some() {
            return None;
        }
        match (pieces.time(), pieces.offset()) {
            (None, _) => Some(zone_less(
                pieces.date().to_datetime(civil::Time::midnight()),
                Kind::Day,
            )),
            (Some(time), None) => Some(zone_less(pieces.date().to_datetime(time), Kind::Civil)),
            (Some(time), Some(offset)) => {
                instant(pieces.date().to_datetime(time), offset.to_numeric_offset())
            }
        }
    }

    /// True when the text named a zone or offset.
    pub fn has_zone(&self) -> bool {
        self.kind == Kind::Instant
    }

    /// The clock time the text wrote (an instant's in its own offset).
    pub fn civil(&self) -> civil::DateTime {
        self.offset.to_datetime(self.timestamp)
    }

    /// A zone-less date placed in `zone` (its clock time there; a clock time that a
    /// daylight-saving change skips or repeats takes the earlier offset, as jiff's
    /// "compatible" rule does); an instant is returned as it is.
    pub fn in_zone(&self, zone: &TimeZone) -> DateTime {
        if self.has_zone() {
            return *self;
        }
        match self.civil().to_zoned_datetime(zone.clone()) {
            Ok(zoned) => DateTime {
                timestamp: zoned.timestamp(),
                offset: zoned.offset(),
                kind: Kind::Instant,
            },
            // Only at the very ends of the supported years; keep the UTC reading.
            Err(_) => *self,
        }
    }

    /// The date as an instant: in `assume` when it named no zone, else in UTC.
    pub fn instant_or_utc(&self, assume: Option<&TimeZone>) -> DateTime {
        self.in_zone(assume.unwrap_or(&TimeZone::UTC))
    }

    /// Formats with strftime directives (`%Y-%m-%d`, `%H:%M`, `%z`...): an instant in its
    /// own offset; a zone-less date in `assume` when given, else as its clock time, where
    /// a directive that needs a zone (`%z`, `%:z`, `%Z`, `%Q`, `%s`...) is an error that
    /// names it.
    pub fn strftime(&self, format: &str, assume: Option<&TimeZone>) -> Result<String, String> {
        let result = match (self.has_zone(), assume) {
            (true, _) => strtime::format(format, &self.zoned()),
            (false, Some(zone)) => match self.civil().to_zoned_datetime(zone.clone()) {
                Ok(zoned) => strtime::format(format, &zoned),
                Err(e) => Err(e),
            },
            (false, None) => {
                let civil = self.civil();
                if let Some(directive) =
                    directives(format).find(|d| strtime::format(d, civil).is_err())
                {
                    return Err(format!(
                        "has no time zone, and {directive} needs one; give --assume-tz ZONE (an IANA name like Europe/Paris, UTC, or +02:00)"
                    ));
                }
                strtime::format(format, civil)
            }
        };
        result.map_err(|e| format!("cannot be formatted with {format:?}: {e}"))
    }

    fn zoned(&self) -> jiff::ZonedDateTime {
        self.timestamp
            .to_zoned_datetime(TimeZone::fixed(self.offset))
    }

    /// RFC 2822 (RSS's RFC 822 dates), in the date's own offset. A zone-less date is
    /// written as UTC: callers place it with [`DateTime::in_zone`] first.
    pub fn to_rfc2822(&self) -> String {
        jiff::fmt::rfc2822::to_string(&self.zoned()).unwrap_or_else(|_| self.timestamp.to_string())
    }

    /// RFC 3339, in the date's own offset (`Z` for UTC); a zone-less date as its clock
    /// time without an offset (`2021-03-04T10:00:00`, a day as `2021-03-04T00:00:00`).
    pub fn to_rfc3339(&self) -> String {
        match self.kind {
            Kind::Civil | Kind::Day => self.civil().to_string(),
            Kind::Instant if self.offset == Offset::UTC => self.timestamp.to_string(),
            Kind::Instant => self.timestamp.display_with_offset(self.offset).to_string(),
        }
    }
}

/// Checks a strftime format before any record is read: every directive must be one that
/// jiff formats (flags `-_0^#`, a width, `:` for offsets, `%.3f` included); an unknown
/// or unfinished one (`%K`, `%+`, `%Ez`, a lone `%` at the end) is named.
///
/// ```
/// use recast_model::date::check_format;
/// assert!(check_format("%Y-%m-%dT%H:%M:%S%.3f%:z %Z %Q").is_ok());
/// assert_eq!(check_format("%Y-%K").unwrap_err(), "unknown strftime directive %K in \"%Y-%K\"");
/// assert!(check_format("%Y-%").unwrap_err().contains("unfinished"));
/// ```
pub fn check_format(format: &str) -> Result<(), String> {
    // An instant in a named zone, so that every directive jiff knows can be formatted.
    let sample = civil::date(2021, 3, 4)
        .at(10, 0, 0, 0)
        .to_zoned_datetime(TimeZone::fixed(Offset::constant(1)))
        .map_err(|e| e.to_string())?;
    for directive in directives(format) {
        if strtime::format(directive, &sample).is_err() {
            // Only a modifier left at the very end: the directive was cut short.
            let unfinished = format.ends_with(directive)
                && directive
                    .bytes()
                    .last()
                    .is_some_and(|b| b"%_0-^#:.".contains(&b) || b.is_ascii_digit());
            return Err(if unfinished {
                format!("unfinished strftime directive {directive} at the end of {format:?}")
            } else {
                format!("unknown strftime directive {directive} in {format:?}")
            });
        }
    }
    Ok(())
}

/// Reads a `--assume-tz` value: an IANA name (`Europe/Paris`), `UTC`, or a fixed offset
/// (`+02:00`, `-0500`, `Z`).
pub fn parse_zone(text: &str) -> Result<TimeZone, String> {
    let text = text.trim();
    if text.starts_with(['+', '-']) || text.eq_ignore_ascii_case("Z") {
        if let Some(offset) = zone_offset(text) {
            return Ok(TimeZone::fixed(offset));
        }
    } else if text.eq_ignore_ascii_case("UTC") {
        return Ok(TimeZone::UTC);
    } else if let Ok(zone) = TimeZone::get(text) {
        return Ok(zone);
    }
    Err(format!(
        "{text:?} is not a time zone; expected an IANA name like Europe/Paris, UTC, or an offset like +02:00"
    ))
}

/// The directives of a strftime format as written (`%Y`, `%-d`, `%:z`, `%.3f`), in the
/// grammar jiff reads them with; an unfinished one at the end is given as it stands.
fn directives(format: &str) -> impl Iterator<Item = &str> {
    let bytes = format.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes.get(at..)?.iter().position(|&b| b == b'%')?;
        let mut end = start + 1;
        let skip = |end: &mut usize, accept: &dyn Fn(u8) -> bool, most: usize| {
            let mut taken = 0;
            while taken < most && bytes.get(*end).is_some_and(|&b| accept(b)) {
                *end += 1;
                taken += 1;
            }
        };
        skip(&mut end, &|b| b"_0-^#".contains(&b), 1);
        skip(&mut end, &|b| b.is_ascii_digit(), usize::MAX);
        skip(&mut end, &|b| b == b':', 3);
        if bytes.get(end) == Some(&b'.') {
            end += 1;
            skip(&mut end, &|b| b.is_ascii_digit(), usize::MAX);
        }
        // The conversion itself: one character, which may be more than one byte.
        if let Some(c) = format.get(end..).and_then(|rest| rest.chars().next()) {
            end += c.len_utf8();
        }
        at = end;
        Some(&format[start..end])
    })
}

/// A civil date-time at an offset, as an instant.
fn instant(civil: civil::DateTime, offset: Offset) -> Option<DateTime> {
    let timestamp = civil
        .to_zoned_datetime(TimeZone::fixed(offset))
        .ok()?
        .timestamp();
    Some(DateTime {
        timestamp,
        offset,
        kind: Kind::Instant,
    })
}

/// A civil date-time that named no zone: its clock time read as UTC.
fn zone_less(civil: civil::DateTime, kind: Kind) -> DateTime {
    let timestamp = civil
        .to_zoned_datetime(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    DateTime {
        timestamp,
        offset: Offset::UTC,
        kind,
    }
}

/// The dates real feeds write besides ISO 8601, as feedparser reads them; see
/// [`DateTime::parse`]. No zone gives a civil date-time.
/// - RFC 822: `[Mon,] 21 Jan 2008 08:56[:00] [zone]`;
/// - a slashed date (Perforce, some CMSs): `[Fri,] 2006/09/15 [08:19:53] [EDT]`;
/// - C's asctime: `[Sun] Jan 4 16:29:06 [PST] 2004`.
fn parse_loose_rfc822(text: &str) -> Option<DateTime> {
    let cleaned = text.replace(',', " ");
    let tokens: Vec<&str> = cleaned.split_whitespace().collect();
    // A day name in any language (letters, a dot) may come first; so may a month name
    // (asctime), and `mar` is both (Tuesday in Italian and Spanish).
    match tokens.split_first() {
        Some((first, after)) if first.chars().all(|c| c.is_alphabetic() || c == '.') => {
            loose_date(after).or_else(|| loose_date(&tokens))
        }
        _ => loose_date(&tokens),
    }
}

/// The forms of [`parse_loose_rfc822`], from the tokens after the day name.
fn loose_date(tokens: &[&str]) -> Option<DateTime> {
    match tokens {
        [slashed, rest @ ..] if slashed.contains('/') => {
            let mut parts = slashed.split('/');
            let year: i16 = parts.next()?.parse().ok()?;
            let month: i8 = parts.next()?.parse().ok()?;
            let day: i8 = parts.next()?.parse().ok()?;
            if year < 1000 || parts.next().is_some() {
                return None;
            }
            let date = civil::Date::new(year, month, day).ok()?;
            match rest {
                [] => Some(zone_less(
                    date.to_datetime(civil::Time::midnight()),
                    Kind::Day,
                )),
                [time, rest @ ..] => clock_and_zone(date, time, rest),
            }
        }
        [month, day, time, rest @ .., year] if month_number(month).is_some() => {
            let date =
                civil::Date::new(year.parse().ok()?, month_number(month)?, day.parse().ok()?)
                    .ok()?;
            clock_and_zone(date, time, rest)
        }
        [day, month, year, time, rest @ ..] => {
            let year: i16 = match year.len() {
                2 => match year.parse::<i16>().ok()? {
                    y @ 0..=49 => 2000 + y,
                    y => 1900 + y,
                },
                3 => 1900 + year.parse::<i16>().ok()?,
                4 => year.parse().ok()?,
                _ => return None,
            };
            let date = civil::Date::new(year, month_number(month)?, day.parse().ok()?).ok()?;
            clock_and_zone(date, time, rest)
        }
        _ => None,
    }
}

/// A date's clock time (`08:56`, `08:56:00`, `8:56 am`, `8:56pm`) and its zone (none,
/// one token: an offset or a name).
fn clock_and_zone(date: civil::Date, time: &str, rest: &[&str]) -> Option<DateTime> {
    let (time, afternoon, rest) = if let Some((clock, pm)) = meridiem(time) {
        (clock, Some(pm), rest)
    } else if let [next, more @ ..] = rest
        && let Some(("", pm)) = meridiem(next)
    {
        (time, Some(pm), more)
    } else {
        (time, None, rest)
    };
    let mut clock = time.split(':');
    let mut hour: i8 = clock.next()?.parse().ok()?;
    let minute: i8 = clock.next()?.parse().ok()?;
    let second: i8 = match clock.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if clock.next().is_some() {
        return None;
    }
    if let Some(pm) = afternoon {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    let civil = date.to_datetime(civil::Time::new(hour, minute, second, 0).ok()?);
    // What follows the zone (`GMT (Greenwich)`) is a comment, as it was before.
    match rest.first() {
        None => Some(zone_less(civil, Kind::Civil)),
        Some(zone) => instant(civil, zone_offset(zone)?),
    }
}

/// A clock time with `am`/`pm` at its end (`8:56am`, `8:56 p.m.` once joined): the clock
/// and whether it is afternoon.
fn meridiem(text: &str) -> Option<(&str, bool)> {
    let lower = text.to_ascii_lowercase();
    let cut = lower.trim_end_matches('.');
    for (suffix, pm) in [("am", false), ("a.m", false), ("pm", true), ("p.m", true)] {
        if let Some(clock) = cut.strip_suffix(suffix) {
            return Some((&text[..clock.len()], pm));
        }
    }
    None
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
        assert_eq!(day.kind, Kind::Day);
        assert_eq!(day.to_rfc3339(), "2020-11-11T00:00:00");
        let rss = DateTime::parse("Wed, 11 Nov 2020 11:36:00 -0500").unwrap();
        assert_eq!(rss.timestamp, utc.timestamp);
        assert_eq!(rss.strftime("%H:%M %z", None).unwrap(), "11:36 -0500");
    }

    /// Issue 11, case 1: every date-time is read exactly, never as its date alone.
    #[test]
    fn reads_date_times_exactly() {
        let cases = [
            ("2021-03-04T10:00:00", "2021-03-04T10:00:00", Kind::Civil),
            ("2021-03-04 10:00:00", "2021-03-04T10:00:00", Kind::Civil),
            (
                "2021-03-04T10:00:00.125",
                "2021-03-04T10:00:00.125",
                Kind::Civil,
            ),
            ("2021-03-04 10:00", "2021-03-04T10:00:00", Kind::Civil),
            (
                "2021-03-04T10:00:00-0500",
                "2021-03-04T10:00:00-05:00",
                Kind::Instant,
            ),
            (
                "2021-03-04T10:00:00-05",
                "2021-03-04T10:00:00-05:00",
                Kind::Instant,
            ),
            (
                "2021-03-04T10:00:00.5+01:00",
                "2021-03-04T10:00:00.5+01:00",
                Kind::Instant,
            ),
            (
                "2016-06-03 13:21:02 -0700",
                "2016-06-03T13:21:02-07:00",
                Kind::Instant,
            ),
            (
                "2016-06-03 13:21:02.75 +05:30",
                "2016-06-03T13:21:02.75+05:30",
                Kind::Instant,
            ),
            (
                "2016-06-03 13:21:02 UTC",
                "2016-06-03T13:21:02Z",
                Kind::Instant,
            ),
            ("2016-06-03", "2016-06-03T00:00:00", Kind::Day),
        ];
        for (text, rfc3339, kind) in cases {
            let date = DateTime::parse(text).unwrap_or_else(|| panic!("{text} not read"));
            assert_eq!(
                (date.to_rfc3339().as_str(), date.kind),
                (rfc3339, kind),
                "{text}"
            );
        }
        let civil = DateTime::parse("2021-03-04T10:00:00").unwrap();
        assert_eq!(
            civil.strftime("%Y-%m-%dT%H:%M:%S", None).unwrap(),
            "2021-03-04T10:00:00"
        );
        for directive in ["%z", "%:z", "%Z", "%Q", "%s"] {
            let error = civil
                .strftime(&format!("%H {directive}"), None)
                .unwrap_err();
            assert!(error.contains(directive), "{directive}: {error}");
        }
        let paris = parse_zone("Europe/Paris").unwrap();
        assert_eq!(
            civil.strftime("%H:%M:%S%:z %Z", Some(&paris)).unwrap(),
            "10:00:00+01:00 CET"
        );
        let placed = civil.in_zone(&paris);
        assert_eq!(placed.to_rfc3339(), "2021-03-04T10:00:00+01:00");
        assert_eq!(placed.to_rfc2822(), "Thu, 4 Mar 2021 10:00:00 +0100");
        // An instant keeps its own offset whatever zone is assumed.
        let offset = DateTime::parse("2021-03-04T10:00:00-0500").unwrap();
        assert_eq!(offset.in_zone(&paris), offset);
        assert_eq!(
            offset.strftime("%H:%M%z", Some(&paris)).unwrap(),
            "10:00-0500"
        );
        // A day is its first instant; a time later that day is after it.
        let day = DateTime::parse("2021-03-04").unwrap();
        assert!(civil > day);
        assert!(DateTime::parse("2021-03-03T23:59:59").unwrap() < day);
    }

    #[test]
    fn zones_and_formats_are_checked() {
        for zone in ["UTC", "utc", "Europe/Paris", "+02:00", "-0500", "Z"] {
            assert!(parse_zone(zone).is_ok(), "{zone}");
        }
        for zone in ["", "Mars/Olympus", "+99:00", "+2", "CEST2"] {
            assert!(parse_zone(zone).is_err(), "{zone}");
        }
        for format in [
            "%Y-%m-%d",
            "%Y-%m-%dT%H:%M:%S%:z",
            "%-d %B %Y, %I:%M %p %Z",
            "%.3f %3f %::z %:::z %Q %:Q %s %%",
            "%_5Y %^a %#b %e %j %U %V %G",
            "literal only",
            "é %Y ü",
        ] {
            assert_eq!(check_format(format), Ok(()), "{format}");
        }
        for (format, named) in [
            ("%K", "%K"),
            ("%+", "%+"),
            ("%Ez", "%E"),
            ("%Y-%", "%"),
            ("%Y %_", "%_"),
            ("%::::z", "%::::"),
            ("%é", "%é"),
            ("%.3K", "%.3K"),
        ] {
            let error = check_format(format).unwrap_err();
            assert!(
                error.contains(&format!("directive {named} ")),
                "{format}: {error}"
            );
        }
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
            ("Mon, 06 Sep 2010 00:01:00", "2010-09-06T00:01:00"),
            ("Mon, 21 Jan 2008 8:56 am PST", "2008-01-21T08:56:00-08:00"),
            ("Mon, 21 Jan 2008 8:56 pm PST", "2008-01-21T20:56:00-08:00"),
            ("Mon, 21 Jan 2008 12:05am GMT", "2008-01-21T00:05:00Z"),
            (
                "Mon, 21 Jan 2008 12:05 P.M. EST",
                "2008-01-21T12:05:00-05:00",
            ),
            (
                "Fri, 13 Jul 2012 10:00:00 +05:30",
                "2012-07-13T10:00:00+05:30",
            ),
        ];
        for (text, rfc3339) in cases {
            let date = DateTime::parse(text).unwrap_or_else(|| panic!("{text} not read"));
            assert_eq!(date.to_rfc3339(), rfc3339, "{text}");
        }
        for text in [
            "",
            "yesterday",
            "32 Jan 2020 10:00:00 GMT",
            "Mon, 06 Foo 2010 00:01:00",
            "1 Jan 2020 10:00 +5",
            "1 Jan 2020 13:00 pm GMT",
        ] {
            assert_eq!(DateTime::parse(text), None, "{text}");
        }
    }
}

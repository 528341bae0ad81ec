//! What a feed publishes: a post marked `draft: true` or `published: false`, or dated
//! after the moment the feed is written, is left out (counted, with one warning at the
//! end), unless [`FeedWriteOptions::drafts`] or [`FeedWriteOptions::future`] put it back.
//! Only feeds leave posts out: an archive converted to JSON or Markdown keeps them all.

use jiff::Timestamp;
use recast_model::date::DateTime;
use recast_model::{Record, Value};

use crate::FeedWriteOptions;

/// Why a post is not published.
enum Unpublished {
    Draft,
    Future,
}

/// Decides which posts a feed publishes, and counts those it leaves out.
pub struct Publication {
    now: Timestamp,
    drafts: u64,
    future: u64,
}

impl Default for Publication {
    fn default() -> Publication {
        Publication::new()
    }
}

impl Publication {
    /// A publication as of now.
    pub fn new() -> Publication {
        Publication {
            now: Timestamp::now(),
            drafts: 0,
            future: 0,
        }
    }

    /// True when the feed publishes the record; a record left out is counted.
    pub fn admits(&mut self, record: &Record, options: &FeedWriteOptions) -> bool {
        match self.unpublished(record, options) {
            None => true,
            Some(Unpublished::Draft) => {
                self.drafts += 1;
                false
            }
            Some(Unpublished::Future) => {
                self.future += 1;
                false
            }
        }
    }

    fn unpublished(&self, record: &Record, options: &FeedWriteOptions) -> Option<Unpublished> {
        if !options.drafts && is_draft(record) {
            return Some(Unpublished::Draft);
        }
        if !options.future {
            let date = options
                .profile
                .published_text(record)
                .and_then(|text| DateTime::parse(&text))
                .map(|date| date.instant_or_utc(options.assume_tz.as_ref()));
            if date.is_some_and(|date| date.timestamp > self.now) {
                return Some(Unpublished::Future);
            }
        }
        None
    }

    /// The one warning naming what was left out, at the end of a feed.
    pub fn warn_left_out(&mut self) {
        let (drafts, future) = (
            std::mem::take(&mut self.drafts),
            std::mem::take(&mut self.future),
        );
        if drafts > 0 {
            log::warn!(
                "{drafts} draft(s) (draft: true or published: false) left out of the feed; give --drafts to publish them"
            );
        }
        if future > 0 {
            log::warn!(
                "{future} post(s) dated in the future left out of the feed; give --future to publish them"
            );
        }
    }
}

/// `draft: true` (Hugo, Zola, Eleventy) or `published: false` (Jekyll).
fn is_draft(record: &Record) -> bool {
    let flag = |name: &str| match record.fields.get(name) {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    flag("draft") == Some(true) || flag("published") == Some(false)
}

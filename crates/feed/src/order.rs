//! Newest first, keeping at most N items: the order every feed writer emits.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use recast_model::{Channel, Record, Result};

use crate::FeedWriteOptions;
use recast_model::date::DateTime;

/// One item waiting to be written, with its rank.
struct Ranked {
    date: Option<DateTime>,
    /// Arrival order: the tie-breaker that keeps the sort stable.
    seq: u64,
    record: Record,
}

impl Ranked {
    /// `Less` when `self` comes first in the feed: dated before undated, newer before
    /// older, earlier arrival first among equals.
    fn feed_order(&self, other: &Ranked) -> Ordering {
        match (&self.date, &other.date) {
            (Some(a), Some(b)) => b.timestamp.cmp(&a.timestamp),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
        .then(self.seq.cmp(&other.seq))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
/// The heap's greatest element is the one that comes last in the feed, so that with a
/// limit it is the one dropped.
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.feed_order(other)
    }
}

/// Collects records and gives them back newest first; with a limit it never holds more
/// than that many.
pub(crate) struct NewestFirst {
    heap: BinaryHeap<Ranked>,
    limit: Option<usize>,
    seq: u64,
}

impl NewestFirst {
    pub fn new(limit: Option<usize>) -> NewestFirst {
        NewestFirst {
            heap: BinaryHeap::new(),
            limit,
            seq: 0,
        }
    }

    /// Adds a record; its date is the text of its date field, read with
    /// [`DateTime::parse_lenient`] (an unreadable date sorts with the undated, last).
    pub fn push(&mut self, date: Option<&str>, record: Record) {
        self.seq += 1;
        if self.limit == Some(0) {
            return;
        }
        let item = Ranked {
            date: date.and_then(DateTime::parse_lenient),
            seq: self.seq,
            record,
        };
        self.heap.push(item);
        if self.limit.is_some_and(|limit| self.heap.len() > limit) {
            self.heap.pop();
        }
    }

    /// The records in feed order, each with its 1-based arrival number and its date.
    pub fn into_sorted(self) -> Vec<(u64, Option<DateTime>, Record)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|r| (r.seq, r.date, r.record))
            .collect()
    }
}

/// What a feed writer holds until `finish`: the output, the channel, the options and the
/// newest items. Both writers share it; only their channel checks and markup differ.
pub(crate) struct PendingFeed<W> {
    pub output: Option<W>,
    pub channel: Channel,
    pub options: FeedWriteOptions,
    items: NewestFirst,
    checked: bool,
}

impl<W> PendingFeed<W> {
    pub fn new(output: W, channel: Channel, options: FeedWriteOptions) -> PendingFeed<W> {
        PendingFeed {
            output: Some(output),
            items: NewestFirst::new(options.limit),
            channel,
            options,
            checked: false,
        }
    }

    /// Keeps a record under its profile date. `check` runs on the channel at the first
    /// record, so a channel that cannot make a feed fails before a whole archive is read.
    pub fn push(
        &mut self,
        record: &Record,
        check: impl FnOnce(&Channel) -> Result<()>,
    ) -> Result<()> {
        if !self.checked {
            check(&self.channel)?;
            self.checked = true;
        }
        let profile = &self.options.profile;
        let date = profile.text(&profile.published, record);
        self.items.push(date.as_deref(), record.clone());
        Ok(())
    }

    /// Takes the items out, in feed order (see [`NewestFirst::into_sorted`]).
    pub fn take_sorted(&mut self) -> Vec<(u64, Option<DateTime>, Record)> {
        std::mem::replace(&mut self.items, NewestFirst::new(None)).into_sorted()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::Value;

    fn record(title: &str) -> Record {
        let mut r = Record::default();
        r.fields.insert("title".into(), Value::from(title));
        r
    }

    fn titles(sorted: Vec<(u64, Option<DateTime>, Record)>) -> Vec<String> {
        sorted
            .into_iter()
            .map(|(_, _, r)| r.text("title").unwrap_or("").to_owned())
            .collect()
    }

    #[test]
    fn newest_first_undated_last_stable() {
        let mut order = NewestFirst::new(None);
        order.push(None, record("undated 1"));
        order.push(Some("2020-01-01T00:00:00Z"), record("old"));
        order.push(Some("2021-01-01T00:00:00Z"), record("new"));
        order.push(Some("not a date"), record("undated 2"));
        order.push(
            Some("2021-01-01T01:00:00+01:00"),
            record("new, same instant"),
        );
        assert_eq!(
            titles(order.into_sorted()),
            ["new", "new, same instant", "old", "undated 1", "undated 2"]
        );
    }

    #[test]
    fn a_limit_keeps_the_newest() {
        let mut order = NewestFirst::new(Some(2));
        for (i, date) in [
            "2020-01-03",
            "2020-01-01",
            "2020-01-05",
            "2020-01-02",
            "2020-01-04",
        ]
        .iter()
        .enumerate()
        {
            order.push(Some(date), record(&i.to_string()));
            assert!(order.heap.len() <= 2);
        }
        assert_eq!(titles(order.into_sorted()), ["2", "4"]);
    }
}

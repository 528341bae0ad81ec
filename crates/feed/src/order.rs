//! Newest first, keeping at most N items: the order every feed writer emits.
//!
//! The feed is newest first, so every item must be seen before the first is written.
//! Without a limit, each record is written as an item as soon as it arrives (in batches,
//! in parallel) and only its bytes are kept, in memory up to a chunk and then in a
//! temporary file; `finish` sorts a small index and copies the bytes out in order. With a
//! limit, the newest records are held (never more than the limit) and written at the end.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::io::Write;

use rayon::prelude::*;
use recast_model::date::DateTime;
use recast_model::{Channel, Error, Record, Result};

use crate::FeedWriteOptions;
use crate::publish::Publication;
use crate::xml::namespaces::UsedNamespaces;
use crate::xml::write::{WrittenItem, XmlOut};

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
        feed_order(
            (self.date.as_ref(), self.seq),
            (other.date.as_ref(), other.seq),
        )
    }
}

/// Feed order of two items given as (date, arrival number): dated before undated,
/// newer before older, earlier arrival first among equals.
fn feed_order(a: (Option<&DateTime>, u64), b: (Option<&DateTime>, u64)) -> Ordering {
    match (a.0, b.0) {
        (Some(a), Some(b)) => b.timestamp.cmp(&a.timestamp),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then(a.1.cmp(&b.1))
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

    /// Adds a record with the instant of its date field (an unreadable date sorts with
    /// the undated, last).
    pub fn push(&mut self, date: Option<DateTime>, record: Record) {
        self.seq += 1;
        if self.limit == Some(0) {
            return;
        }
        let item = Ranked {
            date,
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

/// One item written ahead of its place, with what the feed's head needs to know of it.
pub(crate) struct RenderedItem {
    pub written: WrittenItem,
    /// Its date for the feed order: the profile's `published`, when it can be read.
    pub rank_date: Option<DateTime>,
    /// Atom: its `updated` (else `published`) date, from which the feed's `updated` comes.
    pub own_date: Option<DateTime>,
    /// Atom: whether it names its provider (else the feed needs an author).
    pub has_provider: bool,
}

/// Writes one record as a feed item, from its options and 1-based arrival number.
pub(crate) type ItemMarkup = fn(&FeedWriteOptions, Option<&str>, u64, &Record) -> RenderedItem;

/// How many records wait before they are written, together, on rayon's pool.
const BATCH: usize = 256;

/// Warnings and an error an item gave, kept until it takes its place. Rare, so boxed.
struct Held {
    warnings: Vec<String>,
    error: Option<Error>,
}

/// An item in the store: where its bytes are, and what the feed needs to know of it.
struct Stored {
    date: Option<DateTime>,
    seq: u64,
    offset: u64,
    len: usize,
    placeholder: Option<usize>,
    own_date: Option<DateTime>,
    has_provider: bool,
    held: Option<Box<Held>>,
}

impl Stored {
    /// The feed order of [`Ranked::feed_order`].
    fn feed_order(&self, other: &Stored) -> Ordering {
        feed_order(
            (self.date.as_ref(), self.seq),
            (other.date.as_ref(), other.seq),
        )
    }
}

/// The bytes of written items, in arrival order: in memory up to a chunk, then in an
/// anonymous temporary file, so that a whole archive's feed never sits in memory.
struct Spill {
    memory: Vec<u8>,
    file: Option<std::fs::File>,
    file_len: u64,
    /// How much stays in memory before it goes to the file: [`SPILL_CHUNK`].
    chunk: usize,
}

impl Default for Spill {
    fn default() -> Spill {
        Spill {
            memory: Vec::new(),
            file: None,
            file_len: 0,
            chunk: SPILL_CHUNK,
        }
    }
}

/// How much written markup stays in memory before it goes to the temporary file.
const SPILL_CHUNK: usize = 4 << 20;

impl Spill {
    /// Adds bytes; returns their offset.
    fn append(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        // Out to the file before the chunk would overflow, so the buffer never doubles.
        if !self.memory.is_empty() && self.memory.len() + bytes.len() > self.chunk {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(tempfile::tempfile()?),
            };
            file.write_all(&self.memory)?;
            self.file_len += self.memory.len() as u64;
            self.memory.clear();
        }
        let offset = self.file_len + self.memory.len() as u64;
        self.memory.extend_from_slice(bytes);
        Ok(offset)
    }

    /// The bytes at `offset`, read into `buffer` when they are in the file. A chunk goes
    /// to the file whole, so an item is all in memory or all in the file.
    fn read<'a>(
        &'a mut self,
        offset: u64,
        len: usize,
        buffer: &'a mut Vec<u8>,
    ) -> std::io::Result<&'a [u8]> {
        if offset >= self.file_len {
            let start = (offset - self.file_len) as usize;
            return Ok(&self.memory[start..start + len]);
        }
        let file = self
            .file
            .as_mut()
            .expect("bytes before memory are in the file");
        buffer.resize(len, 0);
        #[cfg(unix)]
        std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)?;
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            file.seek(SeekFrom::Start(offset))?;
            file.read_exact(buffer)?;
        }
        Ok(buffer)
    }
}

/// Written items waiting for their place, and the records still to write.
#[derive(Default)]
struct WrittenItems {
    batch: Vec<(u64, Record)>,
    spill: Spill,
    index: Vec<Stored>,
    used: UsedNamespaces,
}

impl WrittenItems {
    fn store(&mut self, seq: u64, item: RenderedItem) -> Result<()> {
        let RenderedItem {
            written,
            rank_date,
            own_date,
            has_provider,
        } = item;
        let offset = self
            .spill
            .append(&written.bytes)
            .map_err(|e| Error::io(None, e))?;
        self.used = self.used.union(written.used);
        let held = (!written.warnings.is_empty() || written.error.is_some()).then(|| {
            Box::new(Held {
                warnings: written.warnings,
                error: written.error,
            })
        });
        self.index.push(Stored {
            date: rank_date,
            seq,
            offset,
            len: written.bytes.len(),
            placeholder: written.placeholder,
            own_date,
            has_provider,
            held,
        });
        Ok(())
    }

    /// Writes the waiting records, in parallel, and stores them in arrival order.
    fn write_batch(
        &mut self,
        options: &FeedWriteOptions,
        base: Option<&str>,
        markup: ItemMarkup,
    ) -> Result<()> {
        let batch = std::mem::take(&mut self.batch);
        let rendered: Vec<(u64, RenderedItem)> = batch
            .into_par_iter()
            .map(|(seq, record)| (seq, markup(options, base, seq, &record)))
            .collect();
        for (seq, item) in rendered {
            self.store(seq, item)?;
        }
        Ok(())
    }
}

/// What the writer holds between records: the records themselves when a limit keeps only
/// some (written at the end, so a dropped record costs nothing and says nothing), else
/// every item already written.
enum Holding {
    Records(NewestFirst),
    Written(WrittenItems),
}

/// What a feed writer holds until `finish`: the output, the channel, the options and the
/// newest items. Both writers share it; only their channel checks and markup differ.
pub(crate) struct PendingFeed<W> {
    pub output: W,
    /// `finish` wrote the feed: a second call does nothing.
    pub finished: bool,
    /// The channel, taken out of the options (which every batch of items clones).
    pub channel: Channel,
    pub options: FeedWriteOptions,
    markup: ItemMarkup,
    items: Holding,
    seq: u64,
    checked: bool,
    publication: Publication,
}

impl<W> PendingFeed<W> {
    pub fn new(output: W, mut options: FeedWriteOptions, markup: ItemMarkup) -> PendingFeed<W> {
        let channel = std::mem::take(&mut options.channel);
        let items = match options.limit {
            Some(limit) => Holding::Records(NewestFirst::new(Some(limit))),
            None => Holding::Written(WrittenItems::default()),
        };
        PendingFeed {
            output,
            finished: false,
            items,
            markup,
            channel,
            options,
            seq: 0,
            checked: false,
            publication: Publication::new(),
        }
    }

    /// Takes a record. `check` runs on the channel at the first record, so a channel that
    /// cannot make a feed fails before a whole archive is read.
    pub fn push(
        &mut self,
        record: Record,
        check: impl FnOnce(&Channel) -> Result<()>,
    ) -> Result<()> {
        if !self.checked {
            check(&self.channel)?;
            self.checked = true;
        }
        if !self.publication.admits(&record, &self.options) {
            return Ok(());
        }
        match &mut self.items {
            Holding::Records(newest) => {
                let profile = &self.options.profile;
                // Ranked as its item will be written: an instant, with the zone assumed.
                let date = profile
                    .published_text(&record)
                    .and_then(|text| DateTime::parse(&text))
                    .map(|date| date.instant_or_utc(self.options.assume_tz.as_ref()));
                newest.push(date, record);
            }
            Holding::Written(written) => {
                self.seq += 1;
                written.batch.push((self.seq, record));
                if written.batch.len() >= BATCH {
                    written.write_batch(&self.options, link_base(&self.channel), self.markup)?;
                }
            }
        }
        Ok(())
    }

    /// Takes the items out, written, in feed order (see [`NewestFirst::into_sorted`]).
    pub fn take_items(&mut self) -> Result<FeedItems> {
        let mut written =
            match std::mem::replace(&mut self.items, Holding::Records(NewestFirst::new(None))) {
                Holding::Written(mut written) => {
                    written.write_batch(&self.options, link_base(&self.channel), self.markup)?;
                    written
                }
                Holding::Records(newest) => {
                    let mut written = WrittenItems {
                        batch: newest
                            .into_sorted()
                            .into_iter()
                            .map(|(seq, _, record)| (seq, record))
                            .collect(),
                        ..WrittenItems::default()
                    };
                    written.write_batch(&self.options, link_base(&self.channel), self.markup)?;
                    written
                }
            };
        // Arrival numbers are unique, so the order is total and an unstable sort (which
        // needs no buffer) gives the same order as a stable one.
        written.index.sort_unstable_by(Stored::feed_order);
        // Every item is rendered by now, so the count of zone-less dates is complete.
        self.options.warn_at_end();
        self.publication.warn_left_out();
        Ok(FeedItems {
            spill: written.spill,
            index: written.index,
            used: written.used,
        })
    }
}

/// What relative item links and ids are resolved against: the channel's link, else
/// the feed's own address.
pub(crate) fn link_base(channel: &Channel) -> Option<&str> {
    channel.link.as_deref().or(channel.self_url.as_deref())
}

/// The written items in feed order, ready to take their place.
pub(crate) struct FeedItems {
    spill: Spill,
    index: Vec<Stored>,
    used: UsedNamespaces,
}

impl FeedItems {
    /// The prefixed namespaces the items use.
    pub fn used(&self) -> UsedNamespaces {
        self.used
    }

    /// The date of the first item, the newest (RSS `lastBuildDate`).
    pub fn first_date(&self) -> Option<DateTime> {
        self.index.iter().find_map(|item| item.date)
    }

    /// The latest of the items' own dates (Atom's feed `updated`); among equal instants
    /// the last in feed order, whose offset is the one written.
    pub fn newest_own_date(&self) -> Option<DateTime> {
        self.index
            .iter()
            .filter_map(|item| item.own_date)
            .max_by_key(|date| date.timestamp)
    }

    /// Whether some item does not name its provider.
    pub fn any_without_provider(&self) -> bool {
        self.index.iter().any(|item| !item.has_provider)
    }

    /// Writes every item in its place, `late_text` where an item left a placeholder,
    /// giving each item's warnings as it comes and stopping at the first item that failed.
    pub fn write_to<O: Write>(mut self, out: &mut XmlOut<O>, late_text: &str) -> Result<()> {
        let mut buffer = Vec::new();
        for item in self.index {
            let held = item.held.map(|held| *held);
            if let Some(held) = &held {
                for warning in &held.warnings {
                    log::warn!("{warning}");
                }
            }
            let bytes = self
                .spill
                .read(item.offset, item.len, &mut buffer)
                .map_err(|e| Error::io(None, e))?;
            match item.placeholder {
                Some(at) => {
                    out.raw(&bytes[..at])?;
                    out.raw(late_text.as_bytes())?;
                    out.raw(&bytes[at..])?;
                }
                None => out.raw(bytes)?,
            }
            if let Some(error) = held.and_then(|held| held.error) {
                return Err(error);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use recast_model::{RecordWriter, Value};

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
        let date = |text: &str| DateTime::parse(text);
        order.push(None, record("undated 1"));
        order.push(date("2020-01-01T00:00:00Z"), record("old"));
        order.push(date("2021-01-01T00:00:00Z"), record("new"));
        order.push(date("not a date"), record("undated 2"));
        order.push(
            date("2021-01-01T01:00:00+01:00"),
            record("new, same instant"),
        );
        assert_eq!(
            titles(order.into_sorted()),
            ["new", "new, same instant", "old", "undated 1", "undated 2"]
        );
    }

    #[test]
    fn spilled_items_read_back_whole() {
        let mut spill = Spill {
            chunk: 10,
            ..Spill::default()
        };
        let items: Vec<Vec<u8>> = (0..50u8).map(|n| vec![n; usize::from(n % 7)]).collect();
        let offsets: Vec<u64> = items.iter().map(|i| spill.append(i).unwrap()).collect();
        assert!(spill.file.is_some());
        let mut buffer = Vec::new();
        for (item, offset) in items.iter().zip(offsets).rev() {
            assert_eq!(
                spill.read(offset, item.len(), &mut buffer).unwrap(),
                &item[..]
            );
        }
    }

    /// Records with dates out of order, undated ones, unreadable dates and control
    /// characters (which warn), enough for several batches.
    fn mixed_records() -> Vec<Record> {
        (0..(BATCH * 2 + 17))
            .map(|i| {
                let mut r = record(&format!(
                    "item {i}{}",
                    if i % 97 == 5 { "\u{7}" } else { "" }
                ));
                let date = match i % 11 {
                    0 => None,
                    1 => Some("someday".to_owned()),
                    n => Some(format!(
                        "2020-{:02}-{:02}T10:00:00+0{}:00",
                        n,
                        i % 28 + 1,
                        i % 3
                    )),
                };
                if let Some(date) = date {
                    r.fields
                        .insert("publishedDateTime".into(), Value::from(date));
                }
                if i % 5 != 0 {
                    r.fields.insert("provider".into(), Value::from("Wire"));
                }
                r.set_body(format!("Body *{i}* & <more>\r\n"));
                r
            })
            .collect()
    }

    /// The feed and its warnings, written with the given limit.
    fn write_feed(atom: bool, limit: Option<usize>) -> (String, Vec<String>) {
        let options = FeedWriteOptions {
            limit,
            channel: Channel {
                title: Some("T".into()),
                link: Some("https://example.org/".into()),
                description: Some("D".into()),
                ..Channel::default()
            },
            ..FeedWriteOptions::default()
        };
        fn write_all<W: RecordWriter>(mut writer: W) -> W {
            for r in mixed_records() {
                writer.write_record(&r).unwrap();
            }
            writer.finish().unwrap();
            writer
        }
        let (xml, warnings) = crate::caught_warnings::warnings_of(|| match atom {
            true => write_all(crate::AtomWriter::new(Vec::new(), options)).into_inner(),
            false => write_all(crate::RssWriter::new(Vec::new(), options)).into_inner(),
        });
        (String::from_utf8(xml).unwrap(), warnings)
    }

    /// Items written on arrival (no limit) come out exactly as items written at the end
    /// (a limit that keeps them all): same bytes, same warnings in the same order.
    #[test]
    fn written_ahead_matches_written_at_the_end() {
        for atom in [false, true] {
            let ahead = write_feed(atom, None);
            let at_end = write_feed(atom, Some(usize::MAX));
            assert!(!ahead.1.is_empty());
            assert_eq!(ahead, at_end, "atom: {atom}");
        }
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
            order.push(DateTime::parse(date), record(&i.to_string()));
            assert!(order.heap.len() <= 2);
        }
        assert_eq!(titles(order.into_sorted()), ["2", "4"]);
    }
}

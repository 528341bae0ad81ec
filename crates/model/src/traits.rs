//! The streaming traits every format implements: records go in and out one at a time.

use crate::error::Result;
use crate::record::{Channel, Record};

/// A source of records, read one at a time so that any input size streams.
///
/// Every reader is an iterator of `Result<Record>`; after an error a reader may go on
/// with the next record when it can resynchronise (JSON Lines, a folder's next file),
/// or end.
pub trait RecordReader: Iterator<Item = Result<Record>> {
    /// Feed-level metadata, when the source carries it (a feed's channel). Readers of
    /// formats without one return `None`.
    fn channel(&self) -> Option<&Channel> {
        None
    }
}

/// A sink of records. Records are written one at a time; `finish` completes the
/// output (closes a JSON array, writes a feed's sorted items), **flushes it** and
/// reports any write error, and must be called once, after the last record: a writer
/// dropped without it leaves its output incomplete.
pub trait RecordWriter {
    /// Writes one record (or holds it, for a writer that must see them all first).
    fn write_record(&mut self, record: &Record) -> Result<()>;

    /// [`RecordWriter::write_record`] for a caller that has no further use for the
    /// record: a writer that keeps records (a feed sorting its items, rendering them on
    /// other threads) takes it instead of copying it.
    fn write_owned(&mut self, record: Record) -> Result<()> {
        self.write_record(&record)
    }

    /// Completes and flushes the output; call it once, after the last record.
    fn finish(&mut self) -> Result<()>;
}

impl<W: RecordWriter + ?Sized> RecordWriter for Box<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        (**self).write_record(record)
    }

    fn write_owned(&mut self, record: Record) -> Result<()> {
        (**self).write_owned(record)
    }

    fn finish(&mut self) -> Result<()> {
        (**self).finish()
    }
}

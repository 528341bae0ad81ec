//! Helpers shared by recast's fuzz targets: quiet options, and arbitrary records built
//! from the fuzzer's bytes (by recast-testkit's generator).

use arbitrary::{Result, Unstructured};
use recast_model::{Record, RecordReader, RecordWriter};
use recast_testkit::Shape;

/// Feed read options for the fuzz targets. The feed crate warns through `log`, and no
/// logger is installed here, so nothing floods the fuzzer's output.
pub fn quiet_feed_read() -> recast_feed::FeedReadOptions {
    recast_feed::FeedReadOptions::default()
}

/// Feed write options for the fuzz targets (see [`quiet_feed_read`]).
pub fn quiet_feed_write() -> recast_feed::FeedWriteOptions {
    recast_feed::FeedWriteOptions::default()
}

/// Reads every record (a reader goes on after a bad record, so errors are collected,
/// not fatal). `None` when any record failed.
pub fn read_all(reader: impl RecordReader) -> Option<Vec<Record>> {
    let mut records = Vec::new();
    let mut failed = false;
    for record in reader {
        match record {
            Ok(record) => records.push(record),
            Err(_) => failed = true,
        }
    }
    (!failed).then_some(records)
}

/// Writes `records` with `writer` and finishes it: records that a reader gave must write
/// (`format` names the format in the panic message).
pub fn write_all(mut writer: impl RecordWriter, records: &[Record], format: &str) {
    for record in records {
        if let Err(e) = writer.write_record(record) {
            panic!("a record read from {format} writes: {e}\n{record:?}");
        }
    }
    writer
        .finish()
        .unwrap_or_else(|e| panic!("{format} finishes: {e}"));
}

/// An arbitrary record from the fuzzer's bytes: any keys and text, any values (finite
/// numbers), often a string body. The generator is the property tests' (recast-testkit),
/// reading its choices from the bytes.
pub fn record(u: &mut Unstructured) -> Result<Record> {
    Ok(recast_testkit::generate::record(u, &Shape::fuzz()))
}

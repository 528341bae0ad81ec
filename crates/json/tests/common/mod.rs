//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use recast_json::{
    JsonLinesReader, JsonLinesWriter, JsonReader, JsonWriteOptions, JsonWriter, Spacing,
};
use recast_model::{Record, RecordWriter, Result};

/// The generated fixtures of the workspace (`tests/data/generated`).
pub fn fixture(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Resolve a symlinked crate folder to the real workspace.
    let manifest = manifest
        .canonicalize()
        .unwrap_or_else(|_| manifest.to_owned());
    manifest.join("../../tests/data/generated").join(name)
}

pub fn read_json(bytes: &[u8]) -> Vec<Result<Record>> {
    JsonReader::new(bytes, None).collect()
}

pub fn read_jsonl(bytes: &[u8]) -> Vec<Result<Record>> {
    JsonLinesReader::new(bytes, None).collect()
}

pub fn all_ok(results: Vec<Result<Record>>) -> Vec<Record> {
    results
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("unexpected error: {e}")))
        .collect()
}

pub fn write_json(records: &[Record]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = JsonWriter::new(&mut out, Default::default());
    for record in records {
        writer.write_record(record).expect("writable record");
    }
    writer.finish().expect("finish");
    out
}

pub fn write_jsonl(records: &[Record], spacing: Spacing) -> Vec<u8> {
    let mut out = Vec::new();
    let mut options = JsonWriteOptions::default();
    options.spacing = spacing;
    let mut writer = JsonLinesWriter::new(&mut out, options);
    for record in records {
        writer.write_record(record).expect("writable record");
    }
    writer.finish().expect("finish");
    out
}

pub fn file(name: &str) -> Option<Arc<Path>> {
    Some(Path::new(name).into())
}

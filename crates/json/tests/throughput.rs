//! A rough throughput figure, not a benchmark (those live in `bench/`): run with
//! `cargo test --release -p recast-json --test throughput -- --ignored --nocapture`.

mod common;

use std::time::Instant;

use common::*;
use recast_json::{JsonLinesReader, JsonReader, Spacing};

#[test]
#[ignore = "timing; run in release by hand"]
fn read_and_write_about_50_mb() {
    let lines = std::fs::read(fixture("archive.jsonl")).unwrap();
    let copies = 50_000_000 / lines.len() + 1;
    let big = lines.repeat(copies);
    let mb = big.len() as f64 / 1e6;

    let started = Instant::now();
    let records: Vec<_> = JsonLinesReader::new(&big[..], None)
        .map(Result::unwrap)
        .collect();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "read JSON Lines: {mb:.0} MB, {} records in {secs:.3} s = {:.0} MB/s",
        records.len(),
        mb / secs
    );

    let started = Instant::now();
    let count = JsonLinesReader::new(&big[..], None)
        .filter(|r| r.is_ok())
        .count();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "read JSON Lines, dropping each record: {count} in {secs:.3} s = {:.0} MB/s",
        mb / secs
    );

    let started = Instant::now();
    let pretty = write_json(&records);
    let secs = started.elapsed().as_secs_f64();
    let pmb = pretty.len() as f64 / 1e6;
    println!(
        "write JSON: {pmb:.0} MB in {secs:.3} s = {:.0} MB/s",
        pmb / secs
    );

    let started = Instant::now();
    let count = JsonReader::new(&pretty[..], None)
        .filter(|r| r.is_ok())
        .count();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "read JSON array: {count} records, {pmb:.0} MB in {secs:.3} s = {:.0} MB/s",
        pmb / secs
    );

    let started = Instant::now();
    let out = write_jsonl(&records, Spacing::Spaced);
    let secs = started.elapsed().as_secs_f64();
    println!(
        "write JSON Lines: {mb:.0} MB in {secs:.3} s = {:.0} MB/s",
        mb / secs
    );
    assert!(out == big);
}

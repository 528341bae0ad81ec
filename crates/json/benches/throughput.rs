//! Rough throughput and memory figures for recast-json alone (the whole-program
//! benchmarks live in `bench/`): `cargo bench -p recast-json --bench throughput`.
//! Reads about 50 MB of JSON Lines and streams a made-up 500 MB array, so it is run by
//! hand, never by `cargo test`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;
use recast_json::{JsonLinesReader, JsonReader, Spacing};

fn main() {
    read_and_write_about_50_mb();
    memory_stays_flat_on_a_large_array();
}

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
    assert!(out == big, "JSON Lines written back differ from the input");
}

/// Repeats one record as the elements of a JSON array, made up on the fly.
struct ArrayOf {
    record: &'static [u8],
    left: usize,
    at: usize,
    state: u8,
}

impl std::io::Read for ArrayOf {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let piece: &[u8] = match self.state {
            0 => b"[",
            1 => &self.record[self.at..],
            2 if self.left > 0 => b",\n",
            2 => b"]\n",
            _ => return Ok(0),
        };
        let n = piece.len().min(buf.len());
        buf[..n].copy_from_slice(&piece[..n]);
        match self.state {
            1 if self.at + n < self.record.len() => self.at += n,
            1 => {
                self.at = 0;
                self.left -= 1;
                self.state = 2;
            }
            2 if self.left > 0 => self.state = 1,
            _ => self.state += 1,
        }
        Ok(n)
    }
}

fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Streaming a 500 MB array must not grow the process by more than 20 MB.
fn memory_stays_flat_on_a_large_array() {
    let record: &'static [u8] = br#"{"title": "A title", "body": "Some body text \u00e9 that is not short at all.", "n": [1, 2.5, {"x": null}]}"#;
    let count = 500_000_000 / (record.len() + 2);
    let before = peak_memory_kb();
    let input = std::io::BufReader::new(ArrayOf {
        record,
        left: count,
        at: 0,
        state: 0,
    });
    let started = Instant::now();
    let read = JsonReader::new(input, None).map(Result::unwrap).count();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(read, count);
    println!(
        "streamed {count} records (500 MB) in {secs:.2} s = {:.0} MB/s",
        500.0 / secs
    );
    if let (Some(before), Some(after)) = (before, peak_memory_kb()) {
        println!("peak memory grew by {} kB", after.saturating_sub(before));
        assert!(
            after.saturating_sub(before) < 20_000,
            "{before} kB -> {after} kB"
        );
    }
}

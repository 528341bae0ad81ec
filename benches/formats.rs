//! Micro-benchmarks of every reader and writer on the generated test archive
//! (`tests/data/generated`, 300 records): `cargo bench --bench formats`.
//!
//! Each benchmark handles the whole archive in memory, so it measures the format code
//! alone, without the file system or the CLI pipeline (bench/run.sh measures those).
//! Throughput is reported in records and bytes per second.

use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use recast_model::{Channel, Record, RecordWriter};

fn main() {
    divan::main();
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/generated")
        .join(name)
}

/// The archive's records, read once.
static RECORDS: LazyLock<Vec<Record>> = LazyLock::new(|| {
    let bytes = fs::read(data("archive.jsonl")).expect("tests/data/generated/archive.jsonl");
    recast_json::JsonLinesReader::new(Cursor::new(bytes), None)
        .collect::<recast_model::Result<_>>()
        .expect("the generated archive reads")
});

/// The archive's Markdown files, read once, in name order.
static MARKDOWN: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let mut paths: Vec<PathBuf> = fs::read_dir(data("archive"))
        .expect("tests/data/generated/archive")
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .filter(|path| path.file_name().is_some_and(|n| n != "_index.md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| fs::read(path).expect("readable file"))
        .collect()
});

fn channel() -> Channel {
    Channel {
        title: Some("Benchmark archive".into()),
        link: Some("https://example.org/".into()),
        description: Some("Generated articles".into()),
        ..Channel::default()
    }
}

/// The feed writers' options: the defaults, with [`channel`].
fn feed_options() -> recast_feed::FeedWriteOptions {
    let mut options = recast_feed::FeedWriteOptions::default();
    options.channel = channel();
    options
}

/// Writes every record with `writer` into memory and returns the bytes.
fn write_all<W: RecordWriter>(mut writer: W, records: &[Record]) {
    for record in records {
        writer.write_record(record).expect("the archive writes");
    }
    writer.finish().expect("the archive writes");
}

fn written(format: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let records = &RECORDS[..];
    match format {
        "yaml" => write_all(
            recast_yaml::YamlWriter::new(&mut out, recast_yaml::YamlWriteOptions::default()),
            records,
        ),
        "json" => write_all(
            recast_json::JsonWriter::new(&mut out, Default::default()),
            records,
        ),
        "jsonl" => write_all(
            recast_json::JsonLinesWriter::new(&mut out, Default::default()),
            records,
        ),
        "csv" => write_all(
            recast_csv::CsvWriter::new(&mut out, Default::default()),
            records,
        ),
        "rss" => write_all(
            recast_feed::RssWriter::new(&mut out, feed_options()),
            records,
        ),
        "atom" => write_all(
            recast_feed::AtomWriter::new(&mut out, feed_options()),
            records,
        ),
        other => unreachable!("no writer {other}"),
    }
    out
}

fn count<'a, 'b>(bencher: Bencher<'a, 'b>, bytes: usize) -> Bencher<'a, 'b> {
    bencher
        .counter(ItemsCount::new(RECORDS.len()))
        .counter(BytesCount::new(bytes))
}

mod read {
    use super::*;

    #[divan::bench]
    fn markdown(bencher: Bencher) {
        let files = &*MARKDOWN;
        let bytes = files.iter().map(Vec::len).sum();
        count(bencher, bytes).bench(|| {
            for file in files {
                black_box(recast_yaml::read_markdown(file, None).expect("reads"));
            }
        });
    }

    /// The reader of `format` over bytes in memory.
    fn open<'a>(
        format: &str,
        input: &'a [u8],
    ) -> Box<dyn Iterator<Item = recast_model::Result<Record>> + 'a> {
        let input = Cursor::new(input);
        match format {
            "yaml" => Box::new(recast_yaml::YamlReader::new(input, None)),
            "json" => Box::new(recast_json::JsonReader::new(input, None)),
            "jsonl" => Box::new(recast_json::JsonLinesReader::new(input, None)),
            "csv" => Box::new(recast_csv::CsvReader::new(input, None)),
            "rss" | "atom" => Box::new(recast_feed::FeedReader::new(input, None)),
            other => unreachable!("no reader {other}"),
        }
    }

    fn bench_stream(bencher: Bencher, format: &str) {
        let input = written(format);
        count(bencher, input.len()).bench(|| {
            for record in open(format, &input) {
                black_box(record.expect("reads"));
            }
        });
    }

    #[divan::bench]
    fn yaml_stream(bencher: Bencher) {
        bench_stream(bencher, "yaml");
    }

    #[divan::bench]
    fn json(bencher: Bencher) {
        bench_stream(bencher, "json");
    }

    #[divan::bench]
    fn jsonl(bencher: Bencher) {
        bench_stream(bencher, "jsonl");
    }

    #[divan::bench]
    fn csv(bencher: Bencher) {
        bench_stream(bencher, "csv");
    }

    #[divan::bench]
    fn rss(bencher: Bencher) {
        bench_stream(bencher, "rss");
    }

    #[divan::bench]
    fn atom(bencher: Bencher) {
        bench_stream(bencher, "atom");
    }
}

mod write {
    use super::*;

    #[divan::bench]
    fn markdown(bencher: Bencher) {
        let records = &RECORDS[..];
        let mut out = Vec::with_capacity(4 << 20);
        count(bencher, MARKDOWN.iter().map(Vec::len).sum()).bench_local(|| {
            for record in records {
                out.clear();
                write_all(
                    recast_yaml::MarkdownWriter::new(
                        &mut out,
                        recast_yaml::MarkdownWriteOptions::default(),
                    ),
                    std::slice::from_ref(record),
                );
            }
            black_box(&out);
        });
    }

    fn bench_format(bencher: Bencher, format: &str) {
        let size = written(format).len();
        count(bencher, size).bench(|| black_box(written(format)));
    }

    #[divan::bench]
    fn yaml_stream(bencher: Bencher) {
        bench_format(bencher, "yaml");
    }

    #[divan::bench]
    fn json(bencher: Bencher) {
        bench_format(bencher, "json");
    }

    #[divan::bench]
    fn jsonl(bencher: Bencher) {
        bench_format(bencher, "jsonl");
    }

    #[divan::bench]
    fn csv(bencher: Bencher) {
        bench_format(bencher, "csv");
    }

    #[divan::bench]
    fn rss(bencher: Bencher) {
        bench_format(bencher, "rss");
    }

    #[divan::bench]
    fn atom(bencher: Bencher) {
        bench_format(bencher, "atom");
    }
}

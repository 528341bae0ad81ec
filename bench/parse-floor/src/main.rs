//! The parse-only floor of each benchmark job: `parse-floor FORMAT INPUT [--threads N]`.
//!
//! It reads the input and runs it through the parser recast uses for that format, and
//! builds nothing recast would not also build, so the time it takes is what no
//! converter built on those parsers can beat:
//!
//! - `md`: a folder of Markdown files, each read into a record by recast-yaml (its fast
//!   block-YAML reader, granit-parser where that declines), files in parallel on
//!   `--threads` as recast does. Like the JSON floors it builds the values, since
//!   recast-yaml's reader goes straight from text to values.
//! - `yaml`: a multi-document stream cut at `---` lines, each document read by
//!   recast-yaml (documents in parallel on `--threads`).
//! - `md-granit`, `yaml-granit`: the same through granit-parser's event parser alone,
//!   the general YAML parser recast falls back to (events only, no values).
//! - `jsonl`, `json`: recast-json's readers (its parser is private to the crate; the
//!   readers add only building each record's value).
//! - `csv`: the csv crate's byte records.
//! - `rss`: quick-xml's event reader, text unescaped.
//!
//! Prints how many records (or files) and events it saw, so a run can be checked.

use std::fs;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Fallible<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> Fallible<()> {
    let mut args = std::env::args().skip(1);
    let (Some(format), Some(input)) = (args.next(), args.next()) else {
        return Err(
            "usage: parse-floor md|yaml|md-granit|yaml-granit|json|jsonl|csv|rss INPUT [--threads N]"
                .into(),
        );
    };
    if let (Some(flag), Some(n)) = (args.next(), args.next())
        && flag == "--threads"
    {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.parse()?)
            .build_global()?;
    }
    let input = PathBuf::from(input);
    let (records, events) = match format.as_str() {
        "md" => markdown_folder(&input, Parser::Recast)?,
        "yaml" => yaml_stream(&input, Parser::Recast)?,
        "md-granit" => markdown_folder(&input, Parser::Granit)?,
        "yaml-granit" => yaml_stream(&input, Parser::Granit)?,
        "jsonl" => json(&input, true)?,
        "json" => json(&input, false)?,
        "csv" => csv_rows(&input)?,
        "rss" => xml_events(&input)?,
        other => return Err(format!("unknown format {other}").into()),
    };
    println!("records {records} events {events}");
    Ok(())
}

#[derive(Clone, Copy)]
enum Parser {
    /// recast-yaml's reader: values, fast path first.
    Recast,
    /// granit-parser's events alone.
    Granit,
}

/// Records (recast-yaml) or events (granit) of one Markdown file.
fn markdown_file(bytes: Vec<u8>, parser: Parser) -> Fallible<u64> {
    match parser {
        Parser::Recast => {
            let options = recast_yaml::YamlReadOptions::default();
            let record = recast_yaml::read_markdown_owned(bytes, None, &options)?;
            std::hint::black_box(record);
            Ok(1)
        }
        Parser::Granit => yaml_events(front_matter(std::str::from_utf8(&bytes)?)),
    }
}

/// Records (recast-yaml) or events (granit) of one YAML document.
fn yaml_document(text: &str, parser: Parser) -> Fallible<u64> {
    match parser {
        Parser::Recast => {
            let options = recast_yaml::YamlReadOptions::default();
            Ok(recast_yaml::parse_document(text, None, 1, &options)?.len() as u64)
        }
        Parser::Granit => yaml_events(text),
    }
}

/// Events of one YAML text, with the parser options recast-yaml uses.
fn yaml_events(text: &str) -> Fallible<u64> {
    let options = granit_parser::options! {
        emit_comments: false,
        flow_nesting_limit: 129,
        block_nesting_limit: 129,
    };
    let mut events = 0;
    for event in granit_parser::Parser::new_from_str_with_options(text, options) {
        event?;
        events += 1;
    }
    Ok(events)
}

/// The front matter of a Markdown file: the text between the first `---` line and the
/// next one.
fn front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return "";
    };
    match rest.find("\n---\n").or_else(|| rest.find("\n---")) {
        Some(end) => &rest[..end + 1],
        None => rest,
    }
}

fn markdown_folder(dir: &Path, parser: Parser) -> Fallible<(u64, u64)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.ends_with(".md") && name != "_index.md" {
            files.push(path);
        }
    }
    files.sort();
    let events = AtomicU64::new(0);
    files.par_iter().try_for_each(|path| -> Fallible<()> {
        let bytes = fs::read(path)?;
        events.fetch_add(markdown_file(bytes, parser)?, Ordering::Relaxed);
        Ok(())
    })?;
    Ok((files.len() as u64, events.into_inner()))
}

fn yaml_stream(path: &Path, parser: Parser) -> Fallible<(u64, u64)> {
    let bytes = fs::read(path)?;
    let text = std::str::from_utf8(&bytes)?;
    // Cut at lines that are exactly `---`: each piece is one document.
    let mut documents = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" && at > start {
            documents.push(&text[start..at]);
            start = at;
        }
        at += line.len();
    }
    if at > start {
        documents.push(&text[start..at]);
    }
    let events = documents
        .par_iter()
        .map(|document| yaml_document(document, parser))
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok((documents.len() as u64, events))
}

fn json(path: &Path, lines: bool) -> Fallible<(u64, u64)> {
    let input = BufReader::with_capacity(256 << 10, fs::File::open(path)?);
    let mut records = 0;
    if lines {
        for record in recast_json::JsonLinesReader::new(input, None) {
            record?;
            records += 1;
        }
    } else {
        for record in recast_json::JsonReader::new(input, None) {
            record?;
            records += 1;
        }
    }
    Ok((records, records))
}

fn csv_rows(path: &Path) -> Fallible<(u64, u64)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(BufReader::with_capacity(256 << 10, fs::File::open(path)?));
    let mut record = csv::ByteRecord::new();
    let (mut rows, mut cells) = (0, 0);
    while reader.read_byte_record(&mut record)? {
        rows += 1;
        cells += record.len() as u64;
    }
    Ok((rows, cells))
}

fn xml_events(path: &Path) -> Fallible<(u64, u64)> {
    use quick_xml::events::Event;
    let input = BufReader::with_capacity(256 << 10, fs::File::open(path)?);
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let (mut items, mut events) = (0, 0);
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Eof => break,
            Event::Start(start) if matches!(start.local_name().as_ref(), "item" | "entry") => {
                items += 1
            }
            // Text as recast-feed takes it: line ends normalised (XML 1.0).
            Event::Text(text) => {
                std::hint::black_box(text.xml10_content());
            }
            Event::CData(data) => {
                std::hint::black_box(data.xml10_content());
            }
            _ => {}
        }
        events += 1;
        buf.clear();
    }
    Ok((items, events))
}

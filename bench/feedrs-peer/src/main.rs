//! RSS/Atom → JSON with feed-rs: `feedrs-peer FEED OUT.json`.
//!
//! The hand-written peer of `recast convert archive.rss --to json`: parse the feed with
//! feed-rs and write one JSON object per entry with the fields a user would pick
//! (feed-rs has no serialiser of its own model).

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};

use serde_json::{Map, Value, json};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = args.as_slice() else {
        return Err("usage: feedrs-peer FEED OUT.json".into());
    };
    let feed = feed_rs::parser::parse(BufReader::new(File::open(input)?))?;
    let mut out = BufWriter::new(File::create(output)?);
    out.write_all(b"[\n")?;
    for (i, entry) in feed.entries.iter().enumerate() {
        let mut record = Map::new();
        if let Some(title) = &entry.title {
            record.insert("title".into(), json!(title.content));
        }
        if let Some(summary) = &entry.summary {
            record.insert("excerpt".into(), json!(summary.content));
        }
        if let Some(published) = entry.published {
            record.insert("publishedDateTime".into(), json!(published.to_rfc3339()));
        }
        if let Some(link) = entry.links.first() {
            record.insert("webUrl".into(), json!(link.href));
        }
        record.insert("id".into(), json!(entry.id));
        let topics: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
        record.insert("topics".into(), json!(topics));
        if let Some(body) = entry.content.as_ref().and_then(|c| c.body.as_ref()) {
            record.insert("body".into(), json!(body));
        }
        if i > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut out, &Value::Object(record))?;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(())
}

//! A CSV sheet read back into records: nested fields come back from the dotted columns
//! (`provider.name`), lists from `:list` columns, numbers and booleans as they were.
//!
//! ```text
//! cargo run -p recast --example csv_to_records -- archive.csv
//! ```
//!
//! Without arguments it reads the repository's `samples/archive.csv`.

use std::path::{Path, PathBuf};

use recast::input::Inputs;
use recast::pipeline::{Message, RecordStream};
use recast::{Format, ReadOptions};
use recast_model::Record;

/// Reads every record of the sheet at `path`, in order. The format comes from the
/// extension (`.csv`; `.tsv` for tabs); the delimiter of a `.csv` is sniffed.
pub fn run(path: &Path) -> anyhow::Result<Vec<Record>> {
    // `Inputs` walks folders and tells formats apart; one file is an input list of one.
    let inputs = Inputs::collect(&[path.to_path_buf()], Some(Format::Csv))?;
    let mut records = Vec::new();
    // The stream reads on every core and hands records over in input order.
    for message in RecordStream::new(inputs.files, ReadOptions::default()) {
        if let Message::Records(items) = message {
            for item in items {
                // An error names the file, line and column; stop at the first.
                records.push(item?);
            }
        }
    }
    Ok(records)
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/archive.csv"),
        PathBuf::from,
    );
    for record in run(&path)? {
        let title = record.fields.get("title").and_then(|v| v.as_str());
        let source = recast_model::path::FieldPath::parse("provider.name");
        let source = source.get(&record.fields).and_then(|v| v.as_str());
        println!(
            "line {}: {} ({})",
            record.origin.line,
            title.unwrap_or("untitled"),
            source.unwrap_or("no source")
        );
    }
    Ok(())
}

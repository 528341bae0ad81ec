//! `--split-by FIELD`: one feed per distinct value of a field (a list counts item by
//! item), each named by the value's slug, in an `--out-dir` folder. A record goes in
//! the feed of each of its values; a record without the field goes in none.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use recast_feed::Publication;
use recast_model::path::FieldPath;
use recast_model::template::slug;
use recast_model::{Record, RecordWriter, Value};

use crate::error::usage_bail;
use crate::format::{Format, WriteOptions, open_writer};
use crate::output::OutDir;
use crate::report::Report;

/// The feeds of a split, filled one record at a time and written by [`SplitFeeds::finish`].
pub struct SplitFeeds {
    /// The field as given, for messages.
    field: String,
    /// Where it is: a dotted path reaches into maps (`taxonomies.tags`, Zola's).
    path: FieldPath,
    format: Format,
    out: OutDir,
    /// By file stem (the value's slug), in name order.
    feeds: BTreeMap<String, SplitFeed>,
    /// Drafts and future posts are decided once for every feed, so that they are
    /// counted once (each feed's writer is then told to publish what it gets).
    publication: Publication,
    without_field: u64,
}

/// One value's feed.
struct SplitFeed {
    /// The value as the records write it (for the error about two values sharing a slug).
    value: String,
    writer: Box<dyn RecordWriter>,
    path: PathBuf,
}

impl SplitFeeds {
    /// A split of records by `field` into feeds of `format` (RSS, Atom or JSON Feed) in
    /// the folder `dir` (see [`OutDir::create`] for `force` and `inputs`).
    pub fn new(
        field: &str,
        format: Format,
        dir: &Path,
        force: bool,
        inputs: &[PathBuf],
    ) -> anyhow::Result<SplitFeeds> {
        // Checked before the folder is made, so that a usage error leaves no trace.
        if !format.is_feed() {
            usage_bail!(
                "--split-by writes one feed per value and the output is {}; give --to rss, atom or jsonfeed",
                format.name()
            );
        }
        Ok(SplitFeeds {
            field: field.to_owned(),
            path: FieldPath::parse(field),
            format,
            out: OutDir::create(dir, force, inputs)?,
            feeds: BTreeMap::new(),
            publication: Publication::new(),
            without_field: 0,
        })
    }

    /// Adds `record` to the feed of each of its values.
    pub fn write(&mut self, record: Record, options: &WriteOptions) -> anyhow::Result<()> {
        let mut values = Vec::new();
        values_of(self.path.get(&record.fields), &mut values);
        if values.is_empty() {
            self.without_field += 1;
            return Ok(());
        }
        if !self.publication.admits(&record, &options.feed) {
            return Ok(());
        }
        let mut stems: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            let stem = self.feed_for(&value, options)?;
            // A record that lists a value twice is one item of its feed.
            if stems.contains(&stem) {
                continue;
            }
            let feed = &mut self.feeds.get_mut(&stem).expect("opened above");
            feed.writer
                .write_record(&record)
                .with_context(|| format!("cannot write {}", feed.path.display()))?;
            stems.push(stem);
        }
        Ok(())
    }

    /// The stem of `value`'s feed, opened at its first record.
    fn feed_for(&mut self, value: &str, options: &WriteOptions) -> anyhow::Result<String> {
        let stem = slug(value);
        if stem.is_empty() {
            usage_bail!(
                "--split-by {}: the value {value:?} has no letter or digit to name its feed by",
                self.field
            );
        }
        if let Some(feed) = self.feeds.get(&stem) {
            if feed.value != value {
                usage_bail!(
                    "--split-by {}: the values {:?} and {value:?} would both be written to {stem}.{}; \
                     make them one value (recast migrate) or leave one out (--where); nothing was written",
                    self.field,
                    feed.value,
                    self.format.extension()
                );
            }
            return Ok(stem);
        }
        let file_name = format!("{stem}.{}", self.format.extension());
        let path = self.out.reserve_exact(file_name.clone().into())?;
        let mut options = options.clone();
        options.feed.drafts = true;
        options.feed.future = true;
        let channel = &mut options.channel;
        if let Some(title) = &mut channel.title {
            *title = format!("{title}: {value}");
        }
        // Each feed is its own document: its address (and so Atom's id) is its file
        // name next to the one `--feed-self-url` gives.
        if let Some(self_url) = &mut channel.self_url {
            *self_url = recast_feed::url::resolve(Some(self_url), &file_name);
        }
        let output = OpenOnWrite {
            path: path.clone(),
            file: None,
        };
        let writer = open_writer(self.format, Box::new(output), &options)?;
        self.feeds.insert(
            stem.clone(),
            SplitFeed {
                value: value.to_owned(),
                writer,
                path,
            },
        );
        Ok(stem)
    }

    /// Writes every feed, warns about what no feed holds, and moves the feeds into place.
    pub fn finish(mut self, report: &dyn Report) -> anyhow::Result<()> {
        for (_, mut feed) in std::mem::take(&mut self.feeds) {
            feed.writer
                .finish()
                .with_context(|| format!("cannot write {}", feed.path.display()))?;
            // Dropped here, so that one file at a time is open.
        }
        self.publication.warn_left_out();
        if self.without_field > 0 {
            report.warn(&format!(
                "{} record(s) have no {} and are in no feed",
                self.without_field, self.field
            ));
        }
        self.out.commit()?;
        Ok(())
    }
}

/// The texts of a field's value: a scalar's, or each scalar item of a list. Null,
/// empty text and maps give none.
fn values_of(value: Option<&Value>, texts: &mut Vec<String>) {
    match value {
        Some(Value::String(text)) if !text.trim().is_empty() => texts.push(text.trim().to_owned()),
        Some(Value::Number(number)) => texts.push(number.as_str().to_owned()),
        Some(Value::Bool(flag)) => texts.push(flag.to_string()),
        Some(Value::List(items)) => {
            for item in items.iter().filter(|item| !matches!(item, Value::List(_))) {
                values_of(Some(item), texts);
            }
        }
        _ => {}
    }
}

/// A staged file opened at its first write: a feed writer writes only when it finishes,
/// so a split into thousands of feeds holds no file open before then.
struct OpenOnWrite {
    path: PathBuf,
    file: Option<BufWriter<File>>,
}

impl OpenOnWrite {
    fn file(&mut self) -> io::Result<&mut BufWriter<File>> {
        if self.file.is_none() {
            // Opened, not created: `OutDir::reserve_exact` created it in the staging folder.
            let file = File::options()
                .write(true)
                .truncate(true)
                .open(&self.path)?;
            self.file = Some(BufWriter::new(file));
        }
        Ok(self.file.as_mut().expect("opened above"))
    }
}

impl Write for OpenOnWrite {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.file()?.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

//! The formats recast knows: how each is recognised, and which reader and writer serve it.
//! This is the only module that knows every format crate.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::Arc;

use recast_model::{Channel, Error, RecordReader, RecordWriter, Result};

/// A format name as `--from`/`--to` take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// Markdown files (`.md`, `.markdown`) with YAML, TOML or JSON front matter, one
    /// record each.
    Md,
    /// YAML: one document per record (`---` between them), or a document holding a list.
    Yaml,
    /// A JSON array of objects (or one object).
    Json,
    /// JSON Lines: one object per line.
    Jsonl,
    /// CSV: one row per record, nested fields as dotted columns.
    Csv,
    /// TSV: CSV with tabs between fields.
    Tsv,
    /// RSS 2.0 (RSS 0.90-0.92 and 1.0 are read too).
    Rss,
    /// Atom 1.0.
    Atom,
    /// JSON Feed 1.1 (1.0 is read too).
    #[cfg_attr(feature = "clap", value(name = "jsonfeed"))]
    JsonFeed,
    /// A spreadsheet workbook: xlsx written; xlsx, xlsm, xls and ods read (one row per
    /// record, CSV's columns, typed cells).
    Xlsx,
}

impl Format {
    /// The format a file name's extension stands for.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "md" | "markdown" => Format::Md,
            "yaml" | "yml" => Format::Yaml,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::Jsonl,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "rss" => Format::Rss,
            "atom" => Format::Atom,
            "xlsx" | "xlsm" | "xls" | "ods" => Format::Xlsx,
            _ => return None,
        })
    }

    /// A binary format (xlsx): never written to a terminal, never rewritten in place.
    pub fn is_binary(self) -> bool {
        self == Format::Xlsx
    }

    /// RSS, Atom or JSON Feed: written through the feed profile, with a channel.
    pub fn is_feed(self) -> bool {
        matches!(self, Format::Rss | Format::Atom | Format::JsonFeed)
    }

    /// RSS or Atom: the feeds a `.xml` file can hold.
    pub fn is_xml_feed(self) -> bool {
        matches!(self, Format::Rss | Format::Atom)
    }

    /// The file name that means JSON Feed when written (`-o feed.json`), as Hugo themes,
    /// jekyll-json-feed and micro.blog publish it; any other `.json` is a JSON array.
    pub const JSON_FEED_FILE: &'static str = "feed.json";

    /// Whether a file name's extension is `.xml`: a feed, or some other XML, told apart
    /// by the content ([`Format::sniff`]).
    pub fn is_xml(path: &Path) -> bool {
        path.extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("xml"))
    }

    /// The format to write at an output path when `--to` does not say: the extension's;
    /// for `.xml` (`feed.xml`, `index.xml`, `atom.xml`) a feed: Atom for `atom.xml`, else
    /// the input's format when it is a feed (`input`), else RSS; `-` (standard output)
    /// JSON, as when there is no `-o`; a file named `feed.json` JSON Feed
    /// ([`Format::JSON_FEED_FILE`]).
    pub fn of_output(path: &Path, input: Option<Format>) -> Option<Format> {
        if path.as_os_str() == "-" {
            return Some(Format::Json);
        }
        if path
            .file_name()
            .is_some_and(|name| name.eq_ignore_ascii_case(Format::JSON_FEED_FILE))
        {
            return Some(Format::JsonFeed);
        }
        if Format::is_xml(path) {
            let stem = path.file_stem()?.to_string_lossy().to_ascii_lowercase();
            return Some(match input {
                _ if stem == "atom" => Format::Atom,
                Some(format) if format.is_xml_feed() => format,
                _ => Format::Rss,
            });
        }
        Format::from_extension(path)
    }

    /// The format's name, as `--from` and `--to` spell it (`csv`, `json`, `jsonfeed`).
    pub fn name(self) -> &'static str {
        match self {
            Format::JsonFeed => "jsonfeed",
            other => other.extension(),
        }
    }

    /// The extension files of this format are written with.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Yaml => "yaml",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::JsonFeed => "json",
            Format::Xlsx => "xlsx",
        }
    }

    /// Guesses the format from the first bytes of the content (a BOM and leading
    /// whitespace skipped): `---` is front matter or YAML, `[` JSON, `{` JSON Feed when
    /// it declares a JSON Feed `version`, else JSON or JSON Lines; a zip or OLE2 file a
    /// workbook.
    pub fn sniff(head: &[u8]) -> Option<Format> {
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"\xD0\xCF\x11\xE0") {
            return Some(Format::Xlsx);
        }
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
        let text = &head[start..];
        if text.starts_with(b"---") {
            return Some(if looks_like_front_matter(text) {
                Format::Md
            } else {
                Format::Yaml
            });
        }
        if text.starts_with(b"<") {
            return sniff_feed(text);
        }
        match text[0] {
            b'[' => Some(Format::Json),
            b'{' if recast_feed::jsonfeed::sniff(text) => Some(Format::JsonFeed),
            b'{' => {
                // JSON Lines puts a whole object on the first line; pretty JSON does not.
                let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
                let first_line = first_line.trim_ascii_end();
                let more_lines = text.len() > first_line.len() + 1;
                Some(if first_line.ends_with(b"}") && more_lines {
                    Format::Jsonl
                } else {
                    Format::Json
                })
            }
            _ if text.contains(&b':') => Some(Format::Yaml),
            _ => None,
        }
    }
}

/// A feed by its root element: `<rss` or `<rdf:RDF` is RSS, `<feed` Atom (after the
/// declaration, comments, a DOCTYPE).
fn sniff_feed(text: &[u8]) -> Option<Format> {
    let head = &text[..text.len().min(4096)];
    let find = |needle: &[u8]| head.windows(needle.len()).position(|w| w == needle);
    let rss = [find(b"<rss"), find(b"<rdf:RDF"), find(b"<RDF")]
        .into_iter()
        .flatten()
        .min();
    match (rss, find(b"<feed")) {
        (Some(r), Some(a)) => Some(if r < a { Format::Rss } else { Format::Atom }),
        (Some(_), None) => Some(Format::Rss),
        (None, Some(_)) => Some(Format::Atom),
        (None, None) => None,
    }
}

/// Front matter is one YAML block between `---` lines followed by text that is not
/// another YAML document (a Markdown body), or by nothing.
fn looks_like_front_matter(text: &[u8]) -> bool {
    let mut lines = text.split(|&b| b == b'\n').skip(1);
    if !lines.any(|line| line.trim_ascii_end() == b"---") {
        return false;
    }
    match lines.find(|line| !line.trim_ascii().is_empty()) {
        None => true,
        Some(line) => {
            let line = line.trim_ascii();
            // A YAML stream's next document starts with a key or a list item.
            let key = line.split(|&b| b == b':').next().unwrap_or_default();
            let is_mapping_key = line.contains(&b':')
                && !key.is_empty()
                && key
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'"'));
            !(is_mapping_key || line.starts_with(b"- "))
        }
    }
}

/// What readers need besides their input: the reading flags of a run.
#[derive(Clone, Default)]
pub struct ReadOptions {
    /// JSON pointer to the records inside a JSON document.
    pub select: Option<String>,
    /// `--max-record-size`: the largest record in bytes of input (default: the readers').
    pub max_record_size: Option<u64>,
    /// The CSV/TSV flags.
    pub csv: CsvSettings,
    /// `--sheet`: the sheet of a workbook to read (default: the first).
    pub sheet: Option<String>,
    /// The feed profile (`--map`, `--profile`) and where warnings go.
    pub feed: recast_feed::FeedReadOptions,
}

impl ReadOptions {
    /// The YAML and Markdown readers' budgets, `--max-record-size` bounding a document.
    pub fn yaml(&self) -> recast_yaml::YamlReadOptions {
        let mut yaml = recast_yaml::YamlReadOptions::default();
        if let Some(size) = self.max_record_size {
            yaml.max_document_bytes = usize::try_from(size).unwrap_or(usize::MAX);
        }
        yaml
    }

    /// The JSON and JSON Lines readers' limits, `--max-record-size` bounding a record.
    pub fn json(&self) -> recast_json::JsonReadOptions {
        let mut json = recast_json::JsonReadOptions::default();
        if let Some(size) = self.max_record_size {
            json.max_record_bytes = size;
        }
        json
    }

    /// The spreadsheet reader's options: `--sheet`, `--schema`, `--max-record-size`
    /// bounding a row (and raising the workbook's part and whole-sheet limits when it is
    /// higher).
    pub fn xlsx(&self) -> recast_xlsx::XlsxReadOptions {
        let mut xlsx = recast_xlsx::XlsxReadOptions::default();
        xlsx.sheet = self.sheet.clone();
        xlsx.schema = self.csv.read.schema.clone();
        if let Some(size) = self.max_record_size {
            xlsx.max_record_bytes = size;
            xlsx.max_part_bytes = xlsx.max_part_bytes.max(size);
            xlsx.max_whole_sheet_bytes = xlsx.max_whole_sheet_bytes.max(size);
        }
        xlsx
    }
}

/// Parses a size: bytes, or a number with `K`, `M` or `G` (powers of 1024).
pub fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(format!("{text:?}: expected a number of bytes, K, M or G")),
    };
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{text:?}: expected a size above 0 (`64K`, `30M`, `1G`)"))
}

/// What writers need besides their output: the writing flags of a run.
#[derive(Clone, Default)]
pub struct WriteOptions {
    /// Feed-level metadata (from flags, `_index.md`, or an input feed).
    pub channel: Channel,
    /// The CSV/TSV flags.
    pub csv: CsvSettings,
    /// `--limit`, the feed profile, `--lossless`.
    pub feed: recast_feed::FeedWriteOptions,
    /// `--front-matter`: the dialect Markdown is written in (in place, each file keeps
    /// its own).
    pub front_matter: recast_yaml::FrontMatterDialect,
}

/// The CSV/TSV flags of a run (`--fields`, `--no-sanitize`, `--bom`, `--delimiter`,
/// `--column-types`).
#[derive(Debug, Clone, Default)]
pub struct CsvSettings {
    pub(crate) delimiter: Option<u8>,
    pub(crate) read: recast_csv::CsvReadOptions,
    pub(crate) write: recast_csv::CsvWriteOptions,
}

impl CsvSettings {
    /// Settings from `--delimiter` (`None`: sniffed, or tab for TSV) and the read and
    /// write options of the CSV crate.
    pub fn new(
        delimiter: Option<u8>,
        read: recast_csv::CsvReadOptions,
        write: recast_csv::CsvWriteOptions,
    ) -> CsvSettings {
        CsvSettings {
            delimiter,
            read,
            write,
        }
    }

    /// The columns `--column-types` names (dotted), to check that some record has them.
    pub fn schema_columns(&self) -> Vec<String> {
        self.read
            .schema
            .iter()
            .flat_map(|schema| schema.columns())
            .map(ToString::to_string)
            .collect()
    }

    /// The columns `--fields` names, to check that some record has them.
    pub fn fields(&self) -> Vec<String> {
        self.write
            .fields
            .iter()
            .flatten()
            .map(ToString::to_string)
            .collect()
    }

    fn delimiter_for(&self, format: Format) -> u8 {
        self.delimiter
            .unwrap_or(if format == Format::Tsv { b'\t' } else { b',' })
    }

    /// The writer options that write a sheet back as these settings read it (its
    /// delimiter, its `'` markers): `migrate --in-place` adds the file's BOM and line ends.
    /// How a sheet of this format is read: `--delimiter` wins; `.tsv` says tab (a `sep=`
    /// line may still say otherwise); CSV is sniffed among `,` `;` tab `|`.
    pub fn read_options(&self, format: Format) -> recast_csv::CsvReadOptions {
        let mut read = self.read.clone();
        read.delimiter = self.delimiter_for(format);
        read.delimiter_choice = match (self.delimiter, format) {
            (Some(_), _) => recast_csv::DelimiterChoice::Given,
            (None, Format::Tsv) => recast_csv::DelimiterChoice::SepLineOnly,
            (None, _) => recast_csv::DelimiterChoice::Sniff,
        };
        read
    }

    /// The writer options that write a sheet of `format` back as these settings read it.
    pub fn rewrite_options(&self, format: Format) -> recast_csv::CsvWriteOptions {
        let mut write = self.write.clone();
        write.delimiter = self.delimiter_for(format);
        write.sanitize = self.read.sanitize;
        write
    }
}

/// A reader that can move to a worker thread.
pub type BoxedReader<'a> = Box<dyn RecordReader + Send + 'a>;

/// Builds the reader of `format` over `input`; `file` names it in messages.
pub fn open_reader<'a>(
    format: Format,
    input: Box<dyn BufRead + Send + 'a>,
    file: Option<Arc<Path>>,
    options: &ReadOptions,
) -> Result<BoxedReader<'a>> {
    Ok(match format {
        Format::Md => Box::new(recast_yaml::MarkdownReader::with_options(
            input,
            file,
            options.yaml(),
        )),
        Format::Yaml => Box::new(recast_yaml::YamlReader::with_options(
            input,
            file,
            options.yaml(),
        )),
        Format::Json => {
            let mut json = options.json();
            json.select = options.select.clone();
            Box::new(recast_json::JsonReader::with_options(input, file, json))
        }
        Format::Jsonl => Box::new(recast_json::JsonLinesReader::with_options(
            input,
            file,
            options.json(),
        )),
        Format::Rss | Format::Atom => Box::new(recast_feed::FeedReader::with_options(
            input,
            file,
            options.feed.clone(),
        )),
        Format::JsonFeed => Box::new(recast_feed::JsonFeedReader::with_options(
            input,
            file,
            options.feed.clone(),
        )),
        Format::Csv | Format::Tsv => {
            let mut read = options.csv.read_options(format);
            if let Some(size) = options.max_record_size {
                read.max_record_bytes = size;
            }
            let options = read;
            Box::new(recast_csv::CsvReader::with_options(input, file, options))
        }
        Format::Xlsx => Box::new(recast_xlsx::XlsxReader::with_options(
            input,
            file,
            options.xlsx(),
        )),
    })
}

/// Builds the reader of the workbook file at `path`, read by seeking in the file (a
/// zip's directory is at its end) rather than through a stream held in memory whole.
pub fn open_workbook(path: &Arc<Path>, options: &ReadOptions) -> Result<BoxedReader<'static>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(Some(path.clone()), e))?;
    Ok(Box::new(recast_xlsx::XlsxReader::from_file(
        file,
        Some(path.clone()),
        options.xlsx(),
    )))
}

/// Builds the writer of `format` over `output`.
pub fn open_writer<'a>(
    format: Format,
    output: Box<dyn Write + 'a>,
    options: &WriteOptions,
) -> Result<Box<dyn RecordWriter + 'a>> {
    Ok(match format {
        Format::Md => {
            let mut markdown = recast_yaml::MarkdownWriteOptions::default();
            markdown.front_matter = options.front_matter;
            Box::new(recast_yaml::MarkdownWriter::new(output, markdown))
        }
        Format::Yaml => Box::new(recast_yaml::YamlWriter::new(
            output,
            recast_yaml::YamlWriteOptions::default(),
        )),
        Format::Json => Box::new(recast_json::JsonWriter::new(
            output,
            recast_json::JsonWriteOptions::default(),
        )),
        Format::Jsonl => Box::new(recast_json::JsonLinesWriter::new(
            output,
            recast_json::JsonWriteOptions::default(),
        )),
        Format::Rss | Format::Atom | Format::JsonFeed => {
            let mut feed = options.feed.clone();
            feed.channel = options.channel.clone();
            match format {
                Format::Rss => Box::new(recast_feed::RssWriter::new(output, feed)),
                Format::JsonFeed => Box::new(recast_feed::JsonFeedWriter::new(output, feed)),
                _ => Box::new(recast_feed::AtomWriter::new(output, feed)),
            }
        }
        Format::Csv | Format::Tsv => {
            let csv = &options.csv;
            let mut options = csv.write.clone();
            options.delimiter = csv.delimiter_for(format);
            Box::new(recast_csv::CsvWriter::new(output, options))
        }
        Format::Xlsx => {
            let mut xlsx = recast_xlsx::XlsxWriteOptions::default();
            xlsx.fields = options.csv.write.fields.clone();
            Box::new(recast_xlsx::XlsxWriter::new(output, xlsx))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_format() {
        let md = b"---\ntitle: x\n---\n\nBody text.\n";
        let yaml = b"---\ntitle: x\n---\ntitle: y\n";
        let single_md = b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n";
        assert_eq!(Format::sniff(md), Some(Format::Md));
        assert_eq!(Format::sniff(single_md), Some(Format::Md));
        assert_eq!(Format::sniff(yaml), Some(Format::Yaml));
        assert_eq!(Format::sniff(b"title: x\n"), Some(Format::Yaml));
        assert_eq!(Format::sniff(b"  [\n {}]"), Some(Format::Json));
        assert_eq!(Format::sniff(b"{\n  \"a\": 1\n}\n"), Some(Format::Json));
        assert_eq!(
            Format::sniff(b"{\"a\": 1}\n{\"a\": 2}\n"),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::sniff(b"{\"a\": 1}\n"), Some(Format::Json));
        let json_feed =
            b"{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"items\": []\n}\n";
        assert_eq!(Format::sniff(json_feed), Some(Format::JsonFeed));
        assert_eq!(Format::sniff(b""), None);
        assert_eq!(Format::sniff(b"PK\x03\x04\x14\x00"), Some(Format::Xlsx));
    }

    #[test]
    fn xml_output_is_a_feed_from_the_name_or_the_input() {
        let rss = Some(Format::Rss);
        let atom = Some(Format::Atom);
        let of = |name: &str, input| Format::of_output(Path::new(name), input);
        assert_eq!(of("site/feed.xml", None), rss);
        assert_eq!(of("index.XML", Some(Format::Md)), rss);
        assert_eq!(of("feed.xml", atom), atom);
        assert_eq!(of("atom.xml", rss), atom);
        assert_eq!(of("-", None), Some(Format::Json));
        assert_eq!(of("x.csv", atom), Some(Format::Csv));
        assert_eq!(of("x.docx", None), None);
    }

    #[test]
    fn feed_json_is_json_feed_and_other_json_is_json() {
        let of = |name: &str, input| Format::of_output(Path::new(name), input);
        assert_eq!(of("public/feed.json", None), Some(Format::JsonFeed));
        assert_eq!(of("FEED.JSON", Some(Format::Md)), Some(Format::JsonFeed));
        assert_eq!(of("posts.json", Some(Format::JsonFeed)), Some(Format::Json));
        // A JSON Feed input does not make `.xml` output JSON.
        assert_eq!(of("feed.xml", Some(Format::JsonFeed)), Some(Format::Rss));
        assert_eq!(Format::JsonFeed.name(), "jsonfeed");
        assert_eq!(Format::JsonFeed.extension(), "json");
    }

    #[test]
    fn extensions_name_formats() {
        assert_eq!(
            Format::from_extension(Path::new("a/b.MD")),
            Some(Format::Md)
        );
        assert_eq!(
            Format::from_extension(Path::new("x.ndjson")),
            Some(Format::Jsonl)
        );
        assert_eq!(Format::from_extension(Path::new("x.txt")), None);
    }
}

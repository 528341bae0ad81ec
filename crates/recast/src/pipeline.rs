//! The ordered stream of records from all inputs.
//!
//! `--threads N` is N threads of work in total. With one, everything happens on the
//! caller's thread: read a file, parse it, hand its records over, then the next. With
//! more, the inputs are cut into small batches (a few dozen small files; a few hundred
//! KiB of a YAML stream's documents or of JSON Lines) that run on a pool of N - 1
//! workers, while the caller takes the results in input order and, instead of waiting
//! for a batch that is not ready, parses queued ones itself. A bounded number of batches
//! is in flight, so memory stays flat, and no batch waits for another (no barrier).
//!
//! Files that cannot be cut (feeds, whose channel goes out before their records; large
//! JSON, CSV or Markdown files; standard input in those formats) are read by one reader,
//! on a worker when there is one, and their records travel in chunks.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use recast_model::{Channel, Error, Record, Result};

use crate::format::{BoxedReader, Format, ReadOptions, open_reader, open_workbook};
use crate::input::Input;
use crate::ordered::{Pool, Ticket};
use crate::report::{NoProgress, Progress};

/// Files at most this large are read whole (and parsed in parallel with others);
/// larger ones stream.
const WHOLE_FILE_LIMIT: u64 = 8 << 20;
/// With workers, YAML and JSON Lines files larger than this are cut into batches of
/// documents or lines, so that one file uses every thread.
const SPLIT_LIMIT: u64 = 1 << 20;
/// The most small files one batch reads and parses.
const FILES_PER_BATCH: usize = 64;
/// About how many bytes of input one batch holds (at least one file, document or line).
const BATCH_BYTES: u64 = 256 << 10;
/// How many batches per thread may be in flight, and how many bytes of input in all:
/// enough to keep every thread busy, few enough to keep memory flat.
const BATCHES_PER_THREAD: usize = 4;
const BYTES_IN_FLIGHT: u64 = 32 << 20;
/// How many records of a streamed file travel to the caller together.
const RECORDS_PER_CHUNK: usize = 256;
/// How many chunks of a streamed file may wait for the caller.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The number of threads a record stream uses, the caller's included: `threads`, or
/// every core for `None` or 0.
pub fn threads(threads: Option<usize>) -> usize {
    match threads.unwrap_or(0) {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
}

/// What the stream hands the caller.
pub enum Message {
    /// Records (or errors) in input order.
    Records(Vec<Result<Record>>),
    /// An input's channel, sent before its records.
    Channel(Box<Channel>),
}

/// The ordered stream of records from all inputs.
pub struct RecordStream {
    /// Declared before `pool`, so dropped first: a streamed file's reader blocked on a
    /// full channel sees the channel gone and stops, and the pool's workers can finish.
    slots: VecDeque<Slot>,
    plan: Plan,
    /// Input bytes held by the slots in flight.
    bytes_in_flight: u64,
    window: usize,
    /// Records of the YAML stream being read so far, to number its errors as
    /// [`recast_yaml::YamlReader`] does.
    yaml_records: u64,
    progress: Box<dyn Progress>,
    pool: Pool,
}

impl RecordStream {
    /// Starts reading `inputs` on every core, counting nothing.
    pub fn new(inputs: Vec<Input>, options: ReadOptions) -> RecordStream {
        RecordStream::start(inputs, options, None, Box::new(NoProgress))
    }

    /// Starts reading `inputs` on `threads` threads in total, the caller's included
    /// (`None` or 0: every core); `progress` counts the files read.
    pub fn start(
        inputs: Vec<Input>,
        options: ReadOptions,
        threads: Option<usize>,
        progress: Box<dyn Progress>,
    ) -> RecordStream {
        let threads = self::threads(threads);
        let workers = threads.max(1) - 1;
        let pool = Pool::new(workers);
        // Alone, the caller reads one batch ahead at most: there is no one to share with.
        let window = match workers {
            0 => 1,
            _ => BATCHES_PER_THREAD * threads,
        };
        RecordStream {
            slots: VecDeque::new(),
            plan: Plan {
                inputs: inputs.into(),
                options: Arc::new(Parsing::new(options)),
                split: None,
                cut_files: workers > 0,
            },
            bytes_in_flight: 0,
            window,
            yaml_records: 0,
            progress,
            pool,
        }
    }

    /// Plans batches until the window is full.
    fn fill(&mut self) {
        while self.slots.len() < self.window && self.bytes_in_flight < BYTES_IN_FLIGHT {
            match self.plan.next_slot(&self.pool) {
                Some(slot) => {
                    self.bytes_in_flight += slot.bytes;
                    self.slots.push_back(slot);
                }
                None => break,
            }
        }
    }

    /// Numbers the errors of a batch of YAML documents by the records before them.
    fn number_yaml_errors(&mut self, first: bool, items: &mut [Result<Record>]) {
        if first {
            self.yaml_records = 0;
        }
        for item in items {
            match item {
                Ok(_) => self.yaml_records += 1,
                Err(error) => {
                    error.location.record.get_or_insert(self.yaml_records + 1);
                }
            }
        }
    }
}

impl Drop for RecordStream {
    fn drop(&mut self) {
        self.progress.finish();
    }
}

impl Iterator for RecordStream {
    type Item = Message;

    fn next(&mut self) -> Option<Message> {
        loop {
            self.fill();
            let mut slot = self.slots.pop_front()?;
            let items = match slot.work {
                Work::Batch { ticket, yaml } => {
                    let mut items = ticket.wait(&self.pool);
                    if let Some(first) = yaml {
                        self.number_yaml_errors(first, &mut items);
                    }
                    items
                }
                Work::Ready(items) => items,
                Work::Stream(ref mut stream) => {
                    if let Some(message) = stream.next_message(&self.pool) {
                        self.progress.tick();
                        self.slots.push_front(slot);
                        return Some(message);
                    }
                    Vec::new()
                }
            };
            self.bytes_in_flight -= slot.bytes;
            self.progress.advance(slot.files);
            if !items.is_empty() {
                return Some(Message::Records(items));
            }
        }
    }
}

/// One unit of the stream, in input order.
struct Slot {
    work: Work,
    /// Input bytes it holds, for the in-flight budget.
    bytes: u64,
    /// Files it completes, for the progress bar.
    files: u64,
}

enum Work {
    /// Parsing on the pool. `yaml` is set for a YAML stream's documents (true for the
    /// stream's first batch): their errors are numbered when they arrive in order.
    Batch {
        ticket: Ticket<Vec<Result<Record>>>,
        yaml: Option<bool>,
    },
    /// Known already (an input that cannot be opened).
    Ready(Vec<Result<Record>>),
    /// A file read by one reader.
    Stream(Stream),
}

impl Slot {
    fn ready(items: Vec<Result<Record>>, files: u64) -> Slot {
        Slot {
            work: Work::Ready(items),
            bytes: 0,
            files,
        }
    }
}

/// What every batch needs to parse: the run's reading options, and the YAML and JSON
/// budgets made from them once.
struct Parsing {
    options: ReadOptions,
    yaml: recast_yaml::YamlReadOptions,
    json: recast_json::JsonReadOptions,
}

impl Parsing {
    fn new(options: ReadOptions) -> Parsing {
        Parsing {
            yaml: options.yaml(),
            json: options.json(),
            options,
        }
    }
}

/// Turns the inputs, in order, into slots.
struct Plan {
    inputs: VecDeque<Input>,
    options: Arc<Parsing>,
    /// The YAML stream or JSON Lines file being cut into batches.
    split: Option<Split>,
    /// Whether YAML streams and JSON Lines are cut (there are workers to share them).
    cut_files: bool,
}

impl Plan {
    fn next_slot(&mut self, pool: &Pool) -> Option<Slot> {
        loop {
            if let Some(split) = &mut self.split {
                match split.next_slot(pool, &self.options) {
                    Some(slot) => return Some(slot),
                    None => {
                        self.split = None;
                        return Some(Slot::ready(Vec::new(), 1));
                    }
                }
            }
            let input = self.inputs.pop_front()?;
            if self.read_whole(&input) {
                return Some(self.whole_files(input, pool));
            }
            let (format, source) = match open_stream(&input) {
                Ok(opened) => opened,
                Err(e) => return Some(Slot::ready(vec![Err(e)], 1)),
            };
            let file = input.path.clone();
            if self.cut_files && format == Format::Yaml {
                let options = self.options.yaml.clone();
                self.split = Some(Split::Yaml {
                    documents: recast_yaml::DocumentSplitter::new(source, file.clone(), options),
                    file,
                    first: true,
                });
                continue;
            }
            if self.cut_files && format == Format::Jsonl {
                self.split = Some(Split::Lines(LineSplit::new(source, file, &self.options)));
                continue;
            }
            // A workbook file is read by seeking in it, not through the stream.
            let opened = match &input.path {
                Some(path) if format == Format::Xlsx => open_workbook(path, &self.options.options),
                _ => open_reader(format, source, file, &self.options.options),
            };
            let reader = match opened {
                Ok(reader) => reader,
                Err(e) => return Some(Slot::ready(vec![Err(e)], 1)),
            };
            return Some(Slot {
                work: Work::Stream(Stream::start(reader, Shift::NONE, pool)),
                bytes: 0,
                files: 1,
            });
        }
    }

    /// Small files are read whole; a feed streams, so that its channel goes out before
    /// its records; a large YAML or JSON Lines file is cut when there are workers.
    fn read_whole(&self, input: &Input) -> bool {
        input.size <= WHOLE_FILE_LIMIT
            && !input.format.is_feed()
            && !(self.cut_files
                && matches!(input.format, Format::Yaml | Format::Jsonl)
                && input.size > SPLIT_LIMIT)
    }

    /// A batch of `first` and the small files after it.
    fn whole_files(&mut self, first: Input, pool: &Pool) -> Slot {
        let mut bytes = first.size;
        let mut batch = vec![first];
        while batch.len() < FILES_PER_BATCH
            && bytes < BATCH_BYTES
            && self
                .inputs
                .front()
                .is_some_and(|input| self.read_whole(input))
        {
            let input = self.inputs.pop_front().expect("looked at above");
            bytes += input.size;
            batch.push(input);
        }
        let files = batch.len() as u64;
        let options = Arc::clone(&self.options);
        let ticket = pool.spawn(move || {
            let mut items = Vec::with_capacity(batch.len());
            for input in &batch {
                read_whole(input, &options, &mut items);
            }
            items
        });
        Slot {
            work: Work::Batch { ticket, yaml: None },
            bytes,
            files,
        }
    }
}

/// Reads a small file whole and parses all of it.
fn read_whole(input: &Input, parsing: &Parsing, items: &mut Vec<Result<Record>>) {
    let path = input
        .path
        .as_ref()
        .expect("standard input is never read whole");
    let bytes = match read_file(path, input.size) {
        Ok(bytes) => bytes,
        Err(e) => return items.push(Err(Error::io(Some(path.clone()), e))),
    };
    if input.format == Format::Md && bytes.len() <= parsing.yaml.max_document_bytes {
        // Straight from the bytes, which the body keeps: a reader would copy them.
        items.push(recast_yaml::read_markdown_owned(
            bytes,
            Some(path.clone()),
            &parsing.yaml,
        ));
        return;
    }
    let source = Box::new(Cursor::new(bytes));
    match open_reader(input.format, source, Some(path.clone()), &parsing.options) {
        Ok(reader) => items.extend(reader),
        Err(e) => items.push(Err(e)),
    }
}

/// Reads a file into a buffer of the size the folder walk found: one read for the
/// bytes and one to see the end, no other system call.
fn read_file(path: &Path, size: u64) -> io::Result<Vec<u8>> {
    read_sized(File::open(path)?, size)
}

/// Reads an open file whose size is known (a walk's or its metadata's) into a buffer
/// of that size: one read for the bytes and one to see the end.
pub(crate) fn read_sized(file: File, size: u64) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    // Through `Take`: `File::read_to_end` would ask the system for the size again.
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

type Source = Box<dyn BufRead + Send>;

/// Opens a file or standard input; standard input's format is sniffed from its first
/// bytes unless `--from` named it.
fn open_stream(input: &Input) -> Result<(Format, Source)> {
    const BUFFER: usize = 256 << 10;
    match &input.path {
        Some(path) => {
            let file = File::open(path).map_err(|e| Error::io(Some(path.clone()), e))?;
            Ok((
                input.format,
                Box::new(BufReader::with_capacity(BUFFER, file)),
            ))
        }
        None => {
            let mut stdin = BufReader::with_capacity(BUFFER, io::stdin());
            let head = stdin.fill_buf().map_err(|e| Error::io(None, e))?;
            let format = match input.sniff {
                true => Format::sniff(head).unwrap_or(input.format),
                false => input.format,
            };
            Ok((format, Box::new(stdin)))
        }
    }
}

/// A file read by one reader: on the caller's thread when there are no workers, else on
/// a worker that sends chunks of records.
enum Stream {
    Here {
        reader: BoxedReader<'static>,
        shift: Shift,
        /// The first item, read before the channel was sent.
        first: Option<Result<Record>>,
        started: bool,
    },
    Worker {
        chunks: Receiver<Message>,
        /// Taken when the chunks end: the reader's panic, if it had one.
        done: Option<Ticket<()>>,
    },
}

impl Stream {
    fn start(reader: BoxedReader<'static>, shift: Shift, pool: &Pool) -> Stream {
        if pool.workers() == 0 {
            return Stream::Here {
                reader,
                shift,
                first: None,
                started: false,
            };
        }
        let (sender, chunks) = sync_channel(CHUNKS_IN_FLIGHT);
        let done = pool.spawn_blocking(move || send_stream(reader, shift, &sender));
        Stream::Worker {
            chunks,
            done: Some(done),
        }
    }

    /// The next message of this file; `None` at its end.
    fn next_message(&mut self, pool: &Pool) -> Option<Message> {
        match self {
            Stream::Here {
                reader,
                shift,
                first,
                started,
            } => {
                if !*started {
                    *started = true;
                    *first = reader.next();
                    if let Some(channel) = reader.channel() {
                        return Some(Message::Channel(Box::new(channel.clone())));
                    }
                }
                let mut chunk = Vec::with_capacity(RECORDS_PER_CHUNK);
                chunk.extend(first.take());
                chunk.extend(reader.by_ref().take(RECORDS_PER_CHUNK - chunk.len()));
                shift.apply_all(&mut chunk);
                (!chunk.is_empty()).then_some(Message::Records(chunk))
            }
            Stream::Worker { chunks, done } => match chunks.recv() {
                Ok(message) => Some(message),
                Err(_) => {
                    if let Some(done) = done.take() {
                        done.wait(pool);
                    }
                    None
                }
            },
        }
    }
}

/// A worker's side of a streamed file; stops early when the caller has gone.
fn send_stream(mut reader: BoxedReader<'static>, shift: Shift, sender: &SyncSender<Message>) {
    let first = reader.next();
    if let Some(channel) = reader.channel()
        && sender
            .send(Message::Channel(Box::new(channel.clone())))
            .is_err()
    {
        return;
    }
    let mut chunk = Vec::with_capacity(RECORDS_PER_CHUNK);
    for item in first.into_iter().chain(reader) {
        chunk.push(item);
        if chunk.len() == RECORDS_PER_CHUNK {
            shift.apply_all(&mut chunk);
            if sender
                .send(Message::Records(std::mem::take(&mut chunk)))
                .is_err()
            {
                return;
            }
        }
    }
    shift.apply_all(&mut chunk);
    if !chunk.is_empty() {
        let _ = sender.send(Message::Records(chunk));
    }
}

/// Where a piece of a file starts in the file: its records' lines and its errors'
/// lines and record numbers move by this much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shift {
    lines: u64,
    records: u64,
}

impl From<recast_json::LinesBefore> for Shift {
    fn from(before: recast_json::LinesBefore) -> Shift {
        Shift {
            lines: before.lines,
            records: before.records,
        }
    }
}

impl Shift {
    const NONE: Shift = Shift {
        lines: 0,
        records: 0,
    };

    fn apply_all(self, items: &mut [Result<Record>]) {
        if self == Shift::NONE {
            return;
        }
        for item in items {
            match item {
                Ok(record) if record.origin.line > 0 => record.origin.line += self.lines,
                Ok(_) => {}
                Err(error) => {
                    error.location = std::mem::take(&mut error.location).shifted(self.lines);
                    if let Some(record) = &mut error.location.record {
                        *record += self.records;
                    }
                }
            }
        }
    }
}

/// A file being cut into batches.
enum Split {
    /// A YAML stream, by documents.
    Yaml {
        documents: recast_yaml::DocumentSplitter<Source>,
        file: Option<std::sync::Arc<Path>>,
        first: bool,
    },
    /// JSON Lines, by lines.
    Lines(LineSplit),
}

impl Split {
    fn next_slot(&mut self, pool: &Pool, parsing: &Arc<Parsing>) -> Option<Slot> {
        match self {
            Split::Yaml {
                documents,
                file,
                first,
            } => {
                // The splitter finds document boundaries by looking at line starts only,
                // so the expensive part, parsing, is what the threads share.
                let mut batch = Vec::new();
                let mut bytes = 0;
                for document in documents.by_ref() {
                    bytes += document.as_ref().map_or(0, |d| d.text.len() as u64);
                    batch.push(document);
                    if bytes >= BATCH_BYTES {
                        break;
                    }
                }
                if batch.is_empty() {
                    return None;
                }
                let file = file.clone();
                let options = Arc::clone(parsing);
                let ticket = pool.spawn(move || parse_documents(batch, file, &options.yaml));
                let yaml = Some(std::mem::replace(first, false));
                Some(Slot {
                    work: Work::Batch { ticket, yaml },
                    bytes,
                    files: 0,
                })
            }
            Split::Lines(lines) => lines.next_slot(pool, parsing),
        }
    }
}

/// Parses a batch of a YAML stream's documents, as [`recast_yaml::YamlReader`] would.
fn parse_documents(
    batch: Vec<Result<recast_yaml::DocumentText>>,
    file: Option<Arc<Path>>,
    options: &recast_yaml::YamlReadOptions,
) -> Vec<Result<Record>> {
    let mut items = Vec::with_capacity(batch.len());
    for document in batch {
        let parsed = document.and_then(|document| {
            recast_yaml::parse_document(&document.text, file.clone(), document.first_line, options)
        });
        match parsed {
            Ok(records) => items.extend(records.into_iter().map(Ok)),
            Err(e) => items.push(Err(e)),
        }
    }
    items
}

/// Cuts JSON Lines into batches of whole lines ([`recast_json::LineSplitter`]), each
/// parsed by its own [`recast_json::JsonLinesReader`] whose lines and record numbers
/// are then moved to the file's.
struct LineSplit {
    lines: recast_json::LineSplitter<Source>,
    file: Option<Arc<Path>>,
}

impl LineSplit {
    fn new(source: Source, file: Option<Arc<Path>>, parsing: &Parsing) -> LineSplit {
        // Past the longest line held whole, the rest of the file goes to one reader,
        // which refuses the record without holding it (a line that long is over the
        // record-size limit, or close to it).
        let longest_line = parsing.json.max_record_bytes.saturating_add(64 << 10);
        LineSplit {
            lines: recast_json::LineSplitter::new(source, file.clone(), BATCH_BYTES, longest_line),
            file,
        }
    }

    fn next_slot(&mut self, pool: &Pool, parsing: &Arc<Parsing>) -> Option<Slot> {
        let file = self.file.clone();
        let options = parsing.json.clone();
        Some(match self.lines.next()? {
            Ok(recast_json::LinesPiece::Rest { input, before }) => {
                let reader = recast_json::JsonLinesReader::with_options(
                    Box::new(input) as Source,
                    file,
                    options,
                );
                Slot {
                    work: Work::Stream(Stream::start(Box::new(reader), before.into(), pool)),
                    bytes: 0,
                    files: 0,
                }
            }
            Ok(recast_json::LinesPiece::Lines { text, before }) => {
                let bytes = text.len() as u64;
                let shift = Shift::from(before);
                let ticket = pool.spawn(move || {
                    let reader =
                        recast_json::JsonLinesReader::with_options(&text[..], file, options);
                    let mut items: Vec<Result<Record>> = reader.collect();
                    shift.apply_all(&mut items);
                    items
                });
                Slot {
                    work: Work::Batch { ticket, yaml: None },
                    bytes,
                    files: 0,
                }
            }
            Err(error) => Slot::ready(vec![Err(error)], 0),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const BOM: &[u8] = b"\xEF\xBB\xBF";

    /// Everything a stream hands over, as text: records as JSON with their origin
    /// line, errors as messages.
    fn run(inputs: Vec<Input>, threads: usize, options: ReadOptions) -> Vec<String> {
        let stream = RecordStream::start(inputs, options, Some(threads), Box::new(NoProgress));
        let mut out = Vec::new();
        for message in stream {
            match message {
                Message::Channel(channel) => out.push(format!("channel {:?}", channel.title)),
                Message::Records(items) => {
                    for item in items {
                        out.push(match item {
                            Ok(record) => format!(
                                "{} @{}",
                                recast_json::to_json_string(
                                    &recast_model::Value::Map(record.fields),
                                    false
                                )
                                .unwrap(),
                                record.origin.line
                            ),
                            Err(mut error) => {
                                // Where a reader notices a record over the size limit
                                // depends on how its input arrives; only the line counts.
                                if error.kind == recast_model::ErrorKind::Limit {
                                    error.location.column = 0;
                                }
                                format!("error {error} ({:?})", error.kind)
                            }
                        });
                    }
                }
            }
        }
        out
    }

    fn file_input(path: &Path, format: Format) -> Input {
        Input {
            path: Some(path.into()),
            format,
            size: std::fs::metadata(path).unwrap().len(),
            sniff: false,
        }
    }

    /// The same stream, read on one thread (ordinary readers) and cut into batches on
    /// several, gives the same records and the same errors in the same order.
    fn assert_same_on_any_threads(name: &str, text: &[u8], format: Format, options: ReadOptions) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text)
            .unwrap();
        let one = run(vec![file_input(&path, format)], 1, options.clone());
        assert!(!one.is_empty());
        for threads in [2, 3] {
            let many = run(vec![file_input(&path, format)], threads, options.clone());
            let differ = one.iter().zip(&many).position(|(a, b)| a != b);
            if let Some(at) =
                differ.or((one.len() != many.len()).then_some(one.len().min(many.len())))
            {
                panic!(
                    "{name} on {threads} threads differs at item {at} of {}/{}:\n{:?}\n{:?}",
                    one.len(),
                    many.len(),
                    one.get(at).map(|s| &s[..s.len().min(300)]),
                    many.get(at).map(|s| &s[..s.len().min(300)])
                );
            }
        }
    }

    /// A JSON Lines file over the split limit, with blank lines, bad lines, byte order
    /// marks at the start and in the middle, CRLF, and no final line break.
    fn awkward_jsonl() -> Vec<u8> {
        let mut text = BOM.to_vec();
        let mut i = 0;
        while (text.len() as u64) < 3 * SPLIT_LIMIT {
            let line = match i % 97 {
                0 => "\n".to_owned(),
                1 => "  \t\r\n".to_owned(),
                2 => format!("{{\"id\": {i}, \"bad\": tru}}\n"),
                3 => format!("{{\"id\": {i}, \"id\": 2}}\n"),
                4 => "[1, 2]\n".to_owned(),
                5 => format!("{{\"id\": {i}, \"text\": \"unclosed\n"),
                6 => format!("\u{FEFF}{{\"id\": {i}}}\n"),
                7 => format!("{{\"id\": {i}}}\r\n"),
                _ => format!(
                    "{{\"id\": {i}, \"title\": \"line {i} {}\"}}\n",
                    "x".repeat(i % 300)
                ),
            };
            text.extend_from_slice(line.as_bytes());
            i += 1;
        }
        // Marks at the start of every possible batch.
        let mut marked = Vec::new();
        for (n, line) in text.split_inclusive(|&b| b == b'\n').enumerate() {
            if n % 5 == 0 && n > 0 {
                marked.extend_from_slice(BOM);
            }
            marked.extend_from_slice(line);
        }
        marked.extend_from_slice(b"{\"last\": true}");
        marked
    }

    #[test]
    fn json_lines_cut_into_batches_read_as_one_reader_does() {
        let text = awkward_jsonl();
        let out = run_file_once("a.jsonl", &text, Format::Jsonl, 1);
        assert!(
            out.iter()
                .any(|line| line.contains("error") && line.contains("(record "))
        );
        assert_same_on_any_threads("a.jsonl", &text, Format::Jsonl, ReadOptions::default());
    }

    #[test]
    fn an_overlong_json_line_goes_to_one_reader() {
        let mut text = Vec::new();
        for i in 0..20_000 {
            writeln!(text, "{{\"id\": {i}}}").unwrap();
        }
        writeln!(text, "{{\"big\": \"{}\"}}", "y".repeat(300 << 10)).unwrap();
        for i in 0..20_000 {
            writeln!(text, "{{\"id\": {i}}}").unwrap();
            if i % 1000 == 0 {
                writeln!(text, "\u{FEFF}{{\"big\": \"{}\"}}", "z".repeat(200 << 10)).unwrap();
            }
        }
        let options = ReadOptions {
            max_record_size: Some(128 << 10),
            ..ReadOptions::default()
        };
        let out = run_file_once("b.jsonl", &text, Format::Jsonl, 1);
        assert_eq!(out.len(), 40_000 + 1 + 20);
        assert_same_on_any_threads("b.jsonl", &text, Format::Jsonl, options);
    }

    #[test]
    fn yaml_streams_cut_into_batches_read_as_one_reader_does() {
        let mut text = String::from("\u{FEFF}# a comment\n");
        let mut i = 0;
        while (text.len() as u64) < 3 * SPLIT_LIMIT {
            match i % 53 {
                0 => text.push_str("---\n- title: a\n- title: b\n"),
                1 => text.push_str("---\n"),
                2 => text.push_str("---\ntitle: [unclosed\n"),
                3 => text.push_str("---\na: 1\na: 2\n"),
                4 => text.push_str("--- 5\n"),
                5 => text.push_str("---\ntitle: x\n...\n# between\n"),
                _ => text.push_str(&format!(
                    "---\nid: {i}\ntitle: \"doc {i}\"\ntopics: [a, b]\nbody: |\n  {}\n",
                    "w ".repeat(i % 200)
                )),
            }
            i += 1;
        }
        let mut bytes = text.into_bytes();
        // Bad UTF-8 in one document, and a document over the size limit.
        bytes.extend_from_slice(b"---\ntitle: \xFF\n---\nlast: true\n");
        let options = ReadOptions {
            max_record_size: Some(4 << 10),
            ..ReadOptions::default()
        };
        let mut big = bytes.clone();
        big.extend_from_slice(
            format!("---\nbig: {}\n---\nafter: 1\n", "q".repeat(8 << 10)).as_bytes(),
        );
        assert_same_on_any_threads("c.yaml", &bytes, Format::Yaml, ReadOptions::default());
        assert_same_on_any_threads("d.yaml", &big, Format::Yaml, options);
    }

    #[test]
    fn files_of_a_folder_keep_their_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for i in 0..500 {
            let path = dir.path().join(format!("{i:04}.md"));
            let text = match i % 37 {
                5 => "---\ntitle: [bad\n---\n".to_owned(),
                _ => format!("---\ntitle: t{i}\n---\n\nBody {i}.\n"),
            };
            std::fs::write(&path, text).unwrap();
            inputs.push(file_input(&path, Format::Md));
        }
        inputs.insert(
            100,
            Input {
                path: Some(dir.path().join("missing.md").into()),
                format: Format::Md,
                size: 10,
                sniff: false,
            },
        );
        let one = run(inputs.clone(), 1, ReadOptions::default());
        assert_eq!(one.len(), 501);
        assert!(one[5].starts_with("error"));
        for threads in [2, 4] {
            assert_eq!(one, run(inputs.clone(), threads, ReadOptions::default()));
        }
    }

    fn run_file_once(name: &str, text: &[u8], format: Format, threads: usize) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        run(
            vec![file_input(&path, format)],
            threads,
            ReadOptions::default(),
        )
    }
}

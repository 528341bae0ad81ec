//! [`CsvWriter`]: records in, one row each out, after the column union is known.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::fs::File;

use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use recast_model::{Error, Location, Map, MapHasher, Record, RecordWriter, Result, Value};

use crate::cell::{self, Unwritable};
use crate::header::{ORDER_COLUMN, parse_header, push_key};
use crate::options::CsvWriteOptions;

/// What a column has held, to choose its header hint.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    text: bool,
    integer: bool,
    float: bool,
    boolean: bool,
    /// Anything but the `[]`/`{}` markers (decides whether a marker column can merge
    /// into the list column of the same path).
    not_marker: bool,
}

#[derive(Debug)]
struct Column {
    /// The column's field path in the order graph.
    node: u32,
    /// The header path, escaped (`provider.name`, `a\.b`).
    path: String,
    /// The path's segments, to match `--fields`.
    segments: Vec<String>,
    /// A list of scalars in one cell (`topics:list`).
    list: bool,
    seen: Seen,
}

const ROW_END: u32 = u32::MAX;

/// Writes records as CSV or TSV, one row per record.
///
/// Columns are the union of every record's flattened paths, ordered so that each
/// record's fields come in its own order (a topological sort of "came right before"
/// over all records, ties broken by first sight). When records disagree (one has
/// `a, b`, another `b, a`), an `:order` column lists the columns of the rows that
/// differ from the column order, so their key order still comes back. Because the header comes first but is known only after
/// the last record, rows are kept in a compact form — in memory up to
/// [`CsvWriteOptions::memory_limit`], then in an anonymous temporary file — and written
/// out by [`finish`](RecordWriter::finish): one extra sequential write and read of about
/// the output's size; memory holds only the columns.
pub struct CsvWriter<W: Write> {
    output: W,
    /// `finish` has written the sheet.
    finished: bool,
    options: CsvWriteOptions,
    columns: Vec<Column>,
    /// Looked up for every cell, so hashed with foldhash (as record maps are), not SipHash.
    by_name: HashMap<String, u32, MapHasher>,
    /// Field paths (a path's list cell and its marker cell share one), by first sight.
    nodes: HashMap<String, u32, MapHasher>,
    /// "Path a came right before path b in some record", over `nodes`.
    edges: HashSet<(u32, u32), MapHasher>,
    /// The path sequences already turned into edges (most records repeat one). The
    /// sequences themselves, not their hashes: a hash collision would skip a record's
    /// order and lose it silently (`{a}`, `{b}`, `{b, a}` once came back as `{a, b}`).
    sequences: HashSet<Box<[u32]>, MapHasher>,
    /// This record's column ids, in its order (a buffer reused from record to record).
    sequence: Vec<u32>,
    rows: Vec<u8>,
    spill: Option<BufWriter<File>>,
    records: u64,
    /// Some record had no cell at all (`{}`): its row needs the `:order` cell `[]`,
    /// since readers skip a row of empty cells as a spreadsheet's blank row.
    empty_record: bool,
    /// Scratch for one record: (column id, start, end) into `cell_bytes`.
    cells: Vec<(u32, usize, usize)>,
    cell_bytes: Vec<u8>,
    path: String,
    /// How many segments `path` has.
    depth: usize,
}

impl<W: Write> CsvWriter<W> {
    /// A writer to `output`; nothing is written before [`finish`](RecordWriter::finish).
    pub fn new(output: W, options: CsvWriteOptions) -> Self {
        CsvWriter {
            output,
            finished: false,
            options,
            columns: Vec::new(),
            by_name: HashMap::default(),
            nodes: HashMap::default(),
            edges: HashSet::default(),
            sequences: HashSet::default(),
            sequence: Vec::new(),
            rows: Vec::new(),
            spill: None,
            records: 0,
            empty_record: false,
            cells: Vec::new(),
            cell_bytes: Vec::new(),
            path: String::new(),
            depth: 0,
        }
    }

    /// The output, after [`finish`](RecordWriter::finish) (before it, nothing has been
    /// written to it).
    pub fn into_inner(self) -> W {
        self.output
    }

    fn column_id(&mut self, list: bool) -> u32 {
        let key_len = self.path.len();
        if list {
            self.path.push_str(":list");
        }
        let id = match self.by_name.get(self.path.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.columns.len() as u32;
                self.by_name.insert(self.path.clone(), id);
                let next_node = self.nodes.len() as u32;
                let node = *self
                    .nodes
                    .entry(self.path[..key_len].to_owned())
                    .or_insert(next_node);
                self.columns.push(Column {
                    node,
                    path: self.path[..key_len].to_owned(),
                    // Only new columns pay for their unescaped segments.
                    segments: parse_header(&self.path[..key_len])
                        .segments
                        .into_iter()
                        .map(|(text, _)| text)
                        .collect(),
                    list,
                    seen: Seen::default(),
                });
                id
            }
        };
        self.path.truncate(key_len);
        id
    }

    fn begin_cell(&mut self, list: bool) -> u32 {
        let id = self.column_id(list);
        self.cells
            .push((id, self.cell_bytes.len(), self.cell_bytes.len()));
        id
    }

    fn end_cell(&mut self) {
        if let Some(last) = self.cells.last_mut() {
            last.2 = self.cell_bytes.len();
        }
    }

    /// Runs `f` with the path one segment longer: a key, or a list index.
    fn with_segment<T>(
        &mut self,
        key: Option<&str>,
        index: usize,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        use std::fmt::Write as _;
        let path_len = self.path.len();
        if self.depth > 0 {
            self.path.push('.');
        }
        match key {
            Some(key) => push_key(&mut self.path, key),
            None => {
                let _ = write!(self.path, "{index}");
            }
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        self.path.truncate(path_len);
        out
    }

    /// Flattens a map's fields; returns how many cells they made.
    fn flatten_map(&mut self, map: &Map) -> Result<usize, Unwritable> {
        let mut count = 0;
        for (key, value) in map {
            count += self.with_segment(Some(key), 0, |w| w.flatten_value(value))?;
        }
        Ok(count)
    }

    /// Flattens one value at the current path; returns how many cells it made.
    fn flatten_value(&mut self, value: &Value) -> Result<usize, Unwritable> {
        let sanitize = self.options.sanitize;
        match value {
            Value::Null => Ok(0),
            Value::Map(map) => {
                let count = self.flatten_map(map)?;
                if count == 0 {
                    // `{}` (or only nulls inside): a marker keeps the map.
                    self.marker(b"{}");
                    return Ok(1);
                }
                Ok(count)
            }
            Value::List(items) if items.is_empty() => {
                self.marker(b"[]");
                Ok(1)
            }
            Value::List(items) if items.iter().all(Value::is_scalar) => {
                self.begin_cell(true);
                cell::push_list(&mut self.cell_bytes, items, sanitize)?;
                self.end_cell();
                Ok(1)
            }
            Value::List(items) => {
                let mut count = 0;
                for (i, item) in items.iter().enumerate() {
                    count += self.with_segment(None, i, |w| match item {
                        // An empty cell still makes the column, so the indexes after a
                        // null stay below the column count and read back as a list.
                        Value::Null => {
                            w.begin_cell(false);
                            w.end_cell();
                            Ok(1)
                        }
                        Value::Map(m) if !m.is_empty() => {
                            let n = w.flatten_map(m)?;
                            if n == 0 {
                                w.marker(b"{}");
                                return Ok(1);
                            }
                            Ok(n)
                        }
                        other => w.flatten_value(other),
                    })?;
                }
                Ok(count)
            }
            Value::Bool(_) | Value::Number(_) | Value::String(_) => {
                let id = self.begin_cell(false);
                let seen = &mut self.columns[id as usize].seen;
                seen.not_marker = true;
                match value {
                    Value::Bool(b) => {
                        seen.boolean = true;
                        self.cell_bytes
                            .extend_from_slice(if *b { b"true" } else { b"false" });
                    }
                    Value::Number(n) => {
                        if n.is_integer() {
                            seen.integer = true;
                        } else {
                            seen.float = true;
                        }
                        self.cell_bytes
                            .extend_from_slice(cell::number_text(n)?.as_bytes());
                    }
                    Value::String(s) => {
                        if !cell::needs_marker(s, sanitize) {
                            seen.text = true;
                        }
                        cell::push_string(&mut self.cell_bytes, s, sanitize);
                    }
                    Value::Null | Value::List(_) | Value::Map(_) => {}
                }
                self.end_cell();
                Ok(1)
            }
        }
    }

    fn marker(&mut self, text: &[u8]) {
        self.begin_cell(false);
        self.cell_bytes.extend_from_slice(text);
        self.end_cell();
    }

    /// Records that this record's paths come in this order, for the column order.
    fn note_order(&mut self) {
        self.sequence.clear();
        self.sequence
            .extend(self.cells.iter().map(|&(id, _, _)| id));
        if self.sequences.contains(self.sequence.as_slice()) {
            return;
        }
        self.sequences
            .insert(self.sequence.clone().into_boxed_slice());
        let mut previous: Option<u32> = None;
        for &(id, _, _) in &self.cells {
            let node = self.columns[id as usize].node;
            if let Some(p) = previous
                && p != node
            {
                self.edges.insert((p, node));
            }
            previous = Some(node);
        }
    }

    /// Column ids in column order: the paths sorted so that every record's fields come
    /// in its own order; among paths free to go next, the one sharing most of its path
    /// with the path just placed (so `images.1.url` follows `images.0.isCached`), then
    /// the one seen first; cycles broken by first sight. True when some records
    /// disagree (a cycle), so that rows may need the `:order` column.
    fn column_order(&self) -> (Vec<u32>, bool) {
        let n = self.nodes.len();
        let mut successors = vec![Vec::new(); n];
        let mut indegree = vec![0usize; n];
        for &(a, b) in &self.edges {
            successors[a as usize].push(b);
            indegree[b as usize] += 1;
        }
        // Each path's segments, to keep a list's items and a map's keys together.
        let mut segments: Vec<&[String]> = vec![&[]; n];
        for column in &self.columns {
            if segments[column.node as usize].is_empty() {
                segments[column.node as usize] = &column.segments;
            }
        }
        let shared = |a: u32, b: u32| {
            let (a, b) = (segments[a as usize], segments[b as usize]);
            a.iter().zip(b).take_while(|(x, y)| x == y).count()
        };
        let mut ready: Vec<u32> = (0..n as u32)
            .filter(|&v| indegree[v as usize] == 0)
            .collect();
        let mut done = vec![false; n];
        let mut rank = vec![0usize; n];
        let mut placed = 0;
        let mut last: Option<u32> = None;
        let mut cyclic = false;
        while placed < n {
            let best = ready
                .iter()
                .enumerate()
                .max_by_key(|&(_, &v)| (last.map_or(0, |l| shared(l, v)), Reverse(v)))
                .map(|(i, _)| i);
            let node = match best {
                Some(i) => ready.swap_remove(i),
                None => {
                    // A cycle: records disagree; take the earliest path left.
                    cyclic = true;
                    match (0..n as u32).find(|&v| !done[v as usize]) {
                        Some(v) => v,
                        None => break,
                    }
                }
            };
            if done[node as usize] {
                continue;
            }
            done[node as usize] = true;
            rank[node as usize] = placed;
            placed += 1;
            last = Some(node);
            for &b in &successors[node as usize] {
                indegree[b as usize] = indegree[b as usize].saturating_sub(1);
                if indegree[b as usize] == 0 && !done[b as usize] {
                    ready.push(b);
                }
            }
        }
        let mut ids: Vec<u32> = (0..self.columns.len() as u32).collect();
        ids.sort_by_key(|&id| (rank[self.columns[id as usize].node as usize], id));
        (ids, cyclic)
    }

    fn spill_rows(&mut self) -> std::io::Result<()> {
        if self.spill.is_none() {
            self.spill = Some(BufWriter::new(tempfile::tempfile()?));
        }
        if let Some(spill) = &mut self.spill {
            spill.write_all(&self.rows)?;
        }
        self.rows.clear();
        Ok(())
    }

    fn header_cells(&self, selected: &[std::result::Result<u32, String>]) -> Vec<String> {
        selected
            .iter()
            .map(|entry| {
                let id = match entry {
                    Ok(id) => *id,
                    Err(missing) => return missing.clone(),
                };
                let column = &self.columns[id as usize];
                let seen = column.seen;
                let hint = if column.list {
                    ":list"
                } else {
                    let kinds = [seen.text, seen.integer || seen.float, seen.boolean];
                    if kinds.iter().filter(|&&k| k).count() > 1 {
                        ":any"
                    } else if seen.float && !seen.integer {
                        ":float"
                    } else {
                        ""
                    }
                };
                let mut text = String::new();
                text.push_str(&column.path);
                if text.is_empty() && hint.is_empty() {
                    // The empty key: an empty header cell is an error when reading.
                    text.push('\\');
                }
                text.push_str(hint);
                text
            })
            .collect()
    }

    /// The columns to write, in order (a `--fields` path no record has is `Err` with its
    /// header), and each column id's slot among them.
    fn layout(
        &self,
    ) -> (
        Vec<std::result::Result<u32, String>>,
        Vec<Option<usize>>,
        bool,
    ) {
        // A path that was `[]` in some records and a list of scalars in others: one column.
        let mut target: Vec<u32> = (0..self.columns.len() as u32).collect();
        let list_ids: HashMap<&str, u32> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.list)
            .map(|(id, c)| (c.path.as_str(), id as u32))
            .collect();
        for (id, column) in self.columns.iter().enumerate() {
            if !column.list
                && !column.seen.not_marker
                && let Some(&list_id) = list_ids.get(column.path.as_str())
            {
                target[id] = list_id;
            }
        }
        let (order, cyclic) = self.column_order();
        let mut ordered: Vec<u32> = Vec::new();
        let mut placed = vec![false; self.columns.len()];
        for &id in &order {
            let t = target[id as usize];
            if !placed[t as usize] {
                placed[t as usize] = true;
                ordered.push(t);
            }
        }
        let selected: Vec<std::result::Result<u32, String>> = match &self.options.fields {
            None => ordered.into_iter().map(Ok).collect(),
            Some(fields) => {
                let mut selected = Vec::new();
                for field in fields {
                    let want = field.segments();
                    let mut found = false;
                    for &id in &ordered {
                        let have = &self.columns[id as usize].segments;
                        if have.len() >= want.len() && have[..want.len()] == *want {
                            found = true;
                            if !selected.contains(&Ok(id)) {
                                selected.push(Ok(id));
                            }
                        }
                    }
                    if !found {
                        let mut header = String::new();
                        for (i, segment) in field.segments().iter().enumerate() {
                            if i > 0 {
                                header.push('.');
                            }
                            push_key(&mut header, segment);
                        }
                        selected.push(Err(header));
                    }
                }
                selected
            }
        };
        let mut slot = vec![None; self.columns.len()];
        for (i, entry) in selected.iter().enumerate() {
            if let Ok(id) = entry {
                slot[*id as usize] = Some(i);
            }
        }
        for id in 0..self.columns.len() {
            slot[id] = slot[target[id] as usize];
        }
        // Records without a single field still need a column to have rows at all.
        let no_columns = selected.is_empty() && self.records > 0;
        let order_column =
            ((cyclic || self.empty_record) && self.options.fields.is_none()) || no_columns;
        (selected, slot, order_column)
    }

    fn write_all(&mut self) -> std::io::Result<()> {
        if self.finished {
            return Ok(());
        }
        self.finished = true;
        let (selected, slot, order_column) = self.layout();
        let mut headers = self.header_cells(&selected);
        // Readers take a byte order mark off the start of a sheet, so a first key that
        // starts with U+FEFF is escaped (`\` keeps any character) to keep its own.
        if let Some(first) = headers.first_mut()
            && first.starts_with('\u{feff}')
        {
            first.insert(0, '\\');
        }
        let data_width = headers.len();
        if order_column {
            headers.push(ORDER_COLUMN.to_owned());
        }
        let width = headers.len();
        let terminator = match self.options.crlf {
            true => csv::Terminator::CRLF,
            false => csv::Terminator::Any(b'\n'),
        };
        if self.options.bom {
            self.output.write_all(b"\xEF\xBB\xBF")?;
        }
        let mut csv = csv::WriterBuilder::new()
            .delimiter(self.options.delimiter)
            .terminator(terminator)
            .has_headers(false)
            .from_writer(&mut self.output);
        if width > 0 {
            let sanitize = self.options.sanitize;
            csv.write_record(headers.iter().map(|name| {
                if cell::header_needs_marker(name, sanitize) {
                    format!("'{name}")
                } else {
                    name.clone()
                }
            }))?;
        }
        // The rows are written here, their cells already quoted by `write_record`.
        csv.flush()?;
        let output = csv.into_inner().map_err(|e| e.into_error())?;
        let mut rows_out = RowsOut {
            slot: &slot,
            headers: &headers,
            data_width,
            order_column,
            sanitize: self.options.sanitize,
            delimiter: self.options.delimiter,
            row_end: if self.options.crlf { b"\r\n" } else { b"\n" },
            cells: vec![(0, 0); width],
            row: Vec::new(),
            sequence: Vec::new(),
            out: Vec::with_capacity(OUT_CHUNK + OUT_CHUNK / 4),
        };
        if let Some(spill) = self.spill.take() {
            let mut file = spill.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            rows_out.emit(&mut BufReader::with_capacity(1 << 16, file), output)?;
        }
        rows_out.emit(&mut self.rows.as_slice(), output)?;
        output.write_all(&rows_out.out)?;
        output.flush()
    }
}

/// How much CSV text `RowsOut` gathers before writing it out.
const OUT_CHUNK: usize = 64 << 10;

/// What `write_all` needs to turn the stored rows into CSV rows, and its scratch,
/// reused for every row.
struct RowsOut<'a> {
    /// Each column id's place among the written columns.
    slot: &'a [Option<usize>],
    headers: &'a [String],
    /// The written columns less the `:order` column.
    data_width: usize,
    order_column: bool,
    sanitize: bool,
    delimiter: u8,
    /// `\n`, or `\r\n` with [`CsvWriteOptions::crlf`].
    row_end: &'static [u8],
    /// Each written column's cell in `row`, quoted as CSV needs (empty when the record
    /// has none).
    cells: Vec<(usize, usize)>,
    row: Vec<u8>,
    /// The written columns of the row's cells, in the record's order.
    sequence: Vec<usize>,
    out: Vec<u8>,
}

impl RowsOut<'_> {
    /// Writes every row stored in `source` (see `write_record` for the form).
    fn emit<R: Read, W: Write>(&mut self, source: &mut R, output: &mut W) -> std::io::Result<()> {
        let width = self.cells.len();
        loop {
            self.cells.iter_mut().for_each(|r| *r = (0, 0));
            self.row.clear();
            self.sequence.clear();
            let Some(first) = read_u32(source)? else {
                return Ok(());
            };
            let mut id = first;
            while id != ROW_END {
                let len = read_u32(source)?.ok_or_else(truncated)? as usize;
                let start = self.row.len();
                self.row.resize(start + len, 0);
                source.read_exact(&mut self.row[start..])?;
                if let Some(Some(s)) = self.slot.get(id as usize) {
                    self.cells[*s] = (start, start + len);
                    self.sequence.push(*s);
                }
                id = read_u32(source)?.ok_or_else(truncated)?;
            }
            if self.order_column {
                // This row's fields are not in column order: list its columns.
                let in_order = self.sequence.windows(2).all(|w| w[0] <= w[1]);
                let start = self.row.len();
                if !in_order {
                    let names: Vec<Value> = self
                        .sequence
                        .iter()
                        .map(|&s| Value::String(self.headers[s].clone()))
                        .collect();
                    let mut list = Vec::new();
                    // Header names are strings: nothing here can be unwritable.
                    let _ = cell::push_list(&mut list, &names, self.sanitize);
                    push_csv_field(&mut self.row, &list, self.delimiter);
                } else if self.sequence.is_empty() {
                    // A record without fields: `[]`, so that the row is not blank.
                    self.row.extend_from_slice(b"[]");
                }
                self.cells[self.data_width] = (start, self.row.len());
            }
            if width == 0 {
                continue;
            }
            for (i, &(a, b)) in self.cells.iter().enumerate() {
                if i > 0 {
                    self.out.push(self.delimiter);
                }
                self.out.extend_from_slice(&self.row[a..b]);
            }
            if width == 1 && self.cells[0].0 == self.cells[0].1 {
                // A row of one empty field would be a blank line, which CSV readers
                // skip: it is written `""` (as the csv crate does).
                self.out.extend_from_slice(b"\"\"");
            }
            self.out.extend_from_slice(self.row_end);
            if self.out.len() >= OUT_CHUNK {
                output.write_all(&self.out)?;
                self.out.clear();
            }
        }
    }
}

/// Appends a field as the csv crate writes it (`QuoteStyle::Necessary`, quotes doubled,
/// `\n` rows): in quotes when it holds the delimiter, a quote, CR or LF.
fn push_csv_field(out: &mut Vec<u8>, field: &[u8], delimiter: u8) {
    // Every cell's bytes pass here once, bodies included: memchr looks at many at a
    // time, but costs more than a plain loop to start on the short cells most are.
    let is_special = |b: u8| matches!(b, b'"' | b'\r' | b'\n') || b == delimiter;
    let special = if field.len() < 32 {
        field.iter().any(|&b| is_special(b))
    } else {
        memchr::memchr3(b'"', b'\r', b'\n', field).is_some()
            || memchr::memchr(delimiter, field).is_some()
    };
    if !special {
        out.extend_from_slice(field);
        return;
    }
    out.reserve(field.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for quote in memchr::memchr_iter(b'"', field) {
        out.extend_from_slice(&field[start..=quote]);
        out.push(b'"');
        start = quote + 1;
    }
    out.extend_from_slice(&field[start..]);
    out.push(b'"');
}

fn truncated() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::UnexpectedEof,
        "the temporary row file is truncated",
    )
}

fn read_u32(source: &mut impl Read) -> std::io::Result<Option<u32>> {
    let mut buf = [0u8; 4];
    let mut filled = 0;
    while filled < 4 {
        match source.read(&mut buf[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(truncated()),
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Some(u32::from_le_bytes(buf)))
}

impl<W: Write> RecordWriter for CsvWriter<W> {
    fn write_record(&mut self, record: &Record) -> Result<()> {
        self.records += 1;
        self.cells.clear();
        self.cell_bytes.clear();
        self.path.clear();
        self.depth = 0;
        if let Err(Unwritable(message)) = self.flatten_map(&record.fields) {
            let location = Location {
                file: record.origin.file.clone(),
                line: record.origin.line,
                column: 0,
                record: Some(self.records),
            };
            return Err(Error::data(location, message));
        }
        self.note_order();
        self.empty_record |= self.cells.is_empty();
        // Cells are stored quoted as CSV needs, so that `finish`, which nothing else
        // runs alongside, only has to put them in column order.
        let mark = self.rows.len();
        for &(id, start, end) in &self.cells {
            let at = self.rows.len();
            self.rows.extend_from_slice(&id.to_le_bytes());
            self.rows.extend_from_slice(&[0; 4]);
            push_csv_field(
                &mut self.rows,
                &self.cell_bytes[start..end],
                self.options.delimiter,
            );
            let Ok(len) = u32::try_from(self.rows.len() - at - 8) else {
                self.rows.truncate(mark);
                return Err(Error::limit(
                    Location {
                        record: Some(self.records),
                        ..Location::new(record.origin.file.clone(), record.origin.line, 0)
                    },
                    "a cell is larger than 4 GiB",
                ));
            };
            self.rows[at + 4..at + 8].copy_from_slice(&len.to_le_bytes());
        }
        self.rows.extend_from_slice(&ROW_END.to_le_bytes());
        if self.rows.len() > self.options.memory_limit {
            self.spill_rows().map_err(|e| Error::io(None, e))?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(spill) = &mut self.spill {
            spill.flush().map_err(|e| Error::io(None, e))?;
        }
        self.write_all().map_err(|e| Error::io(None, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows as the csv crate writes them, which `push_csv_field` and `RowsOut`
    /// replace on the hot path.
    fn by_csv_crate(rows: &[Vec<&[u8]>], delimiter: u8) -> Vec<u8> {
        let mut csv = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_writer(Vec::new());
        for row in rows {
            csv.write_record(row).unwrap();
        }
        csv.into_inner().unwrap()
    }

    fn by_push_csv_field(rows: &[Vec<&[u8]>], delimiter: u8) -> Vec<u8> {
        let mut out = Vec::new();
        for row in rows {
            for (i, field) in row.iter().enumerate() {
                if i > 0 {
                    out.push(delimiter);
                }
                push_csv_field(&mut out, field, delimiter);
            }
            if row.len() == 1 && row[0].is_empty() {
                out.extend_from_slice(b"\"\"");
            }
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn fields_are_quoted_exactly_as_the_csv_crate_quotes_them() {
        let fields: [&[u8]; 14] = [
            b"",
            b"plain",
            b"a,b",
            b"a\tb",
            b"say \"hi\"",
            b"\"",
            b"line\nbreak",
            b"cr\r",
            b" padded ",
            b"'quoted'",
            b"#hash",
            "caf\u{e9}".as_bytes(),
            b"\"\"",
            b"a;b\\c",
        ];
        for delimiter in [b',', b'\t', b';'] {
            let mut rows: Vec<Vec<&[u8]>> = fields.iter().map(|f| vec![*f]).collect();
            for a in fields {
                for b in fields {
                    rows.push(vec![a, b]);
                    rows.push(vec![a, b"", b]);
                }
            }
            assert_eq!(
                String::from_utf8_lossy(&by_push_csv_field(&rows, delimiter)),
                String::from_utf8_lossy(&by_csv_crate(&rows, delimiter)),
            );
        }
    }

    #[test]
    fn spilled_rows_come_out_as_rows_kept_in_memory() {
        let mut records = Vec::new();
        for i in 0..300 {
            let mut fields = Map::default();
            fields.insert(
                "title".into(),
                format!("title \"{i}\", with a comma").into(),
            );
            if i % 3 == 0 {
                fields.insert("extra".into(), Value::from(i as i64));
            }
            fields.insert("body".into(), format!("line one\nline {i}").into());
            records.push(Record::new(fields, Default::default()));
        }
        let sheet = |memory_limit: usize| {
            let options = CsvWriteOptions {
                memory_limit,
                ..CsvWriteOptions::default()
            };
            let mut writer = CsvWriter::new(Vec::new(), options);
            for record in &records {
                writer.write_record(record).unwrap();
            }
            writer.finish().unwrap();
            writer.into_inner()
        };
        assert_eq!(sheet(64), sheet(usize::MAX));
    }

    #[test]
    fn crlf_ends_every_row_but_keeps_line_breaks_inside_cells() {
        let mut fields = Map::default();
        fields.insert("title".into(), "a;b".into());
        fields.insert("body".into(), "line one\nline two".into());
        let options = CsvWriteOptions {
            delimiter: b';',
            bom: true,
            crlf: true,
            ..CsvWriteOptions::default()
        };
        let mut writer = CsvWriter::new(Vec::new(), options);
        writer
            .write_record(&Record::new(fields, Default::default()))
            .unwrap();
        writer.finish().unwrap();
        assert_eq!(
            String::from_utf8(writer.into_inner()).unwrap(),
            "\u{feff}title;body\r\n\"a;b\";\"line one\nline two\"\r\n"
        );
    }
}

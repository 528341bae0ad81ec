//! Decoding a feed to UTF-8 as it streams: from its BOM or XML declaration, else as
//! UTF-8, else (undeclared and not UTF-8) as windows-1252; with the line starts that
//! error locations need.

use std::io::{self, BufRead, Read};
use std::path::Path;
use std::sync::Arc;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use recast_model::Location;

/// Decodes the input to UTF-8 as it is read, from its BOM or XML declaration; input
/// that declares nothing and is not UTF-8 is read as windows-1252 (a superset of
/// Latin-1), with a warning.
pub(super) struct Decoded<R> {
    inner: R,
    /// Reading the first kilobyte failed: the first read gives the error.
    opening_error: Option<io::Error>,
    decoder: Option<encoding_rs::Decoder>,
    /// An encoding was declared (BOM or declaration); no guessing then.
    declared: bool,
    pending: Vec<u8>,
    primed: bool,
    finished: bool,
    out: Vec<u8>,
    out_pos: usize,
    decoded: u64,
    /// Byte offsets (in the decoded text) where lines start, for error locations: only
    /// those from the line of the oldest position still asked about, so that memory
    /// stays flat however long the feed.
    line_starts: Vec<u64>,
    /// How many line starts were forgotten before `line_starts[0]`.
    lines_forgotten: u64,
    warned: bool,
    file: Option<Arc<Path>>,
}

impl<R: BufRead> Decoded<R> {
    /// Reads the first kilobyte, to find the encoding. A failure to read it is kept and
    /// given by the first read, so that opening never fails.
    pub(super) fn new(mut inner: R, file: Option<Arc<Path>>) -> Decoded<R> {
        let mut prefix = Vec::with_capacity(1024);
        let opening_error = (&mut inner).take(1024).read_to_end(&mut prefix).err();
        let mut decoder = None;
        let mut declared = false;
        let mut start = 0;
        if prefix.starts_with(b"\xEF\xBB\xBF") {
            start = 3;
            declared = true;
        } else if let Some((encoding, bom)) = Encoding::for_bom(&prefix) {
            decoder = Some(encoding.new_decoder_without_bom_handling());
            start = bom;
            declared = true;
        }
        let mut line_starts = vec![0];
        if decoder.is_none() {
            // Whitespace before the declaration is not well-formed, but common.
            while start < prefix.len() && prefix[start].is_ascii_whitespace() {
                start += 1;
            }
            if let Some(label) = declared_encoding(&prefix[start..]) {
                match Encoding::for_label(label.as_bytes()) {
                    Some(encoding) if encoding == UTF_8 => declared = true,
                    // The declaration itself was read as ASCII, so the bytes are not
                    // UTF-16 whatever they say (a common mislabel): read them as UTF-8.
                    Some(encoding)
                        if encoding == encoding_rs::UTF_16LE
                            || encoding == encoding_rs::UTF_16BE => {}
                    Some(encoding) => {
                        decoder = Some(encoding.new_decoder_without_bom_handling());
                        declared = true;
                    }
                    None => log::warn!(
                        "{}: unknown encoding {label:?} declared; reading as UTF-8",
                        Location::new(file.clone(), 1, 1)
                    ),
                }
            }
            let skipped_lines = prefix[..start].iter().filter(|&&b| b == b'\n').count();
            line_starts.extend(std::iter::repeat_n(0, skipped_lines));
        }
        prefix.drain(..start);
        Decoded {
            inner,
            opening_error,
            decoder,
            declared,
            pending: prefix,
            primed: false,
            finished: false,
            out: Vec::new(),
            out_pos: 0,
            decoded: 0,
            line_starts,
            lines_forgotten: 0,
            warned: false,
            file,
        }
    }

    /// Decodes the next stretch of input into `out`: all that the inner reader has
    /// buffered, so that the decoded chunks are as large as its buffer.
    fn fill(&mut self) -> io::Result<()> {
        if let Some(error) = self.opening_error.take() {
            return Err(error);
        }
        self.out.clear();
        self.out_pos = 0;
        let mut last = false;
        if self.primed {
            let chunk = loop {
                match self.inner.fill_buf() {
                    Ok(chunk) => break chunk,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            let n = chunk.len();
            self.pending.extend_from_slice(chunk);
            self.inner.consume(n);
            last = n == 0;
        }
        self.primed = true;
        self.decode(last);
        if last {
            self.finished = true;
        }
        let decoded = self.decoded + 1;
        self.line_starts
            .extend(memchr::memchr_iter(b'\n', &self.out).map(|i| decoded + i as u64));
        self.decoded += self.out.len() as u64;
        Ok(())
    }

    /// Drops the line starts before the line of `offset`: no position before it will be
    /// asked about again. Cheap enough to call for every event.
    pub(super) fn forget_before(&mut self, offset: u64) {
        if self.line_starts.len() < 4096 {
            return;
        }
        let keep_from = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        self.line_starts.drain(..keep_from);
        self.lines_forgotten += keep_from as u64;
    }

    fn decode(&mut self, last: bool) {
        loop {
            if let Some(decoder) = &mut self.decoder {
                let max = decoder
                    .max_utf8_buffer_length(self.pending.len())
                    .unwrap_or(self.pending.len() * 3 + 16);
                let start = self.out.len();
                self.out.resize(start + max, 0);
                let (_, read, written, _) =
                    decoder.decode_to_utf8(&self.pending, &mut self.out[start..], last);
                self.out.truncate(start + written);
                self.pending.drain(..read);
                return;
            }
            match std::str::from_utf8(&self.pending) {
                Ok(_) if self.out.is_empty() => {
                    // All of it is valid: hand the bytes over without a copy.
                    std::mem::swap(&mut self.out, &mut self.pending);
                    return;
                }
                Ok(_) => {
                    self.out.append(&mut self.pending);
                    return;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    self.out.extend_from_slice(&self.pending[..valid]);
                    self.pending.drain(..valid);
                    match e.error_len() {
                        None if !last => return, // an incomplete character: wait for more
                        _ if !self.declared => {
                            self.warn_once(
                                "is not UTF-8 and declares no encoding; reading it as windows-1252",
                            );
                            self.decoder = Some(WINDOWS_1252.new_decoder_without_bom_handling());
                        }
                        bad => {
                            self.warn_once(
                                "has bytes that are not UTF-8; replaced them with U+FFFD",
                            );
                            self.out.extend_from_slice("\u{FFFD}".as_bytes());
                            let skip = bad.unwrap_or(self.pending.len()).min(self.pending.len());
                            self.pending.drain(..skip);
                        }
                    }
                }
            }
        }
    }

    fn warn_once(&mut self, what: &str) {
        if !self.warned {
            self.warned = true;
            // The lines of this fill's output are not counted yet: count them up to here.
            let mut starts = self.line_starts.clone();
            let decoded = self.decoded + 1;
            starts.extend(memchr::memchr_iter(b'\n', &self.out).map(|i| decoded + i as u64));
            let offset = self.decoded + self.out.len() as u64;
            let (line, column) = line_column(&starts, self.lines_forgotten, offset);
            let at = Location::new(self.file.clone(), line, column);
            log::warn!("{at}: the feed {what}");
        }
    }

    pub(super) fn line_column(&self, offset: u64) -> (u64, u64) {
        line_column(&self.line_starts, self.lines_forgotten, offset)
    }
}

/// The line and column of a byte offset, from the offsets where lines start (less the
/// `forgotten` first ones).
fn line_column(line_starts: &[u64], forgotten: u64, offset: u64) -> (u64, u64) {
    let line = line_starts.partition_point(|&start| start <= offset).max(1);
    let start = line_starts.get(line - 1).copied().unwrap_or(0);
    (forgotten + line as u64, offset.saturating_sub(start) + 1)
}

impl<R: BufRead> BufRead for Decoded<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.out_pos >= self.out.len() && !self.finished {
            self.fill()?;
        }
        Ok(&self.out[self.out_pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.out_pos = (self.out_pos + amount).min(self.out.len());
    }
}

impl<R: BufRead> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = buf.len().min(available.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// The `encoding="..."` of an XML declaration at the start of the bytes.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let rest = bytes.strip_prefix(b"<?xml")?;
    let end = rest.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&rest[..end]).ok()?;
    let at = decl.find("encoding")?;
    let value = decl[at + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(value[..value.find(quote)?].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_declared_encodings() {
        assert_eq!(
            declared_encoding(b"<?xml version='1.0' encoding = \"ISO-8859-1\"?><rss/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?>"), None);
    }

    #[test]
    fn decodes_declared_encodings_and_guesses_undeclared_latin1() {
        let read = |bytes: &[u8]| {
            let mut decoded = Decoded::new(bytes, None);
            let mut text = String::new();
            decoded.read_to_string(&mut text).unwrap();
            text
        };
        assert_eq!(
            read(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\xE9</t>"),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><t>\u{e9}</t>"
        );
        assert_eq!(read(b"\n  <t>caf\xE9</t>"), "<t>caf\u{e9}</t>");
        assert_eq!(read(b"\xEF\xBB\xBF<t>caf\xC3\xA9</t>"), "<t>caf\u{e9}</t>");
        assert_eq!(
            read(b"<?xml version='1.0' encoding='utf-16'?><t>ok</t>"),
            "<?xml version='1.0' encoding='utf-16'?><t>ok</t>"
        );
        assert_eq!(read(b"\xFF\xFE<\x00t\x00/\x00>\x00"), "<t/>");
        assert!(
            read(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?><t>\xCF</t>")
                .ends_with("<t>\u{41F}</t>")
        );
    }

    #[test]
    fn line_starts_are_forgotten_but_lines_still_count() {
        let text = "<a>\n".repeat(10_000);
        let mut decoded = Decoded::new(text.as_bytes(), None);
        let mut sink = Vec::new();
        let mut offset = 0u64;
        loop {
            let chunk = decoded.fill_buf().unwrap();
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len().min(1000);
            sink.extend_from_slice(&chunk[..n]);
            decoded.consume(n);
            offset += n as u64;
            decoded.forget_before(offset - 1);
        }
        assert!(decoded.line_starts.len() < 5000);
        // Line 9,001 starts at byte 36,000; "<a>" is 4 bytes a line.
        assert_eq!(decoded.line_column(36_002), (9_001, 3));
        assert_eq!(sink, text.as_bytes());
    }
}

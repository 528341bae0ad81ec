//! [`ZipWriter`]: a zip container of deflated entries whose data comes compressed
//! already, zip64 where sizes or offsets pass 4 GiB.
//!
//! The `zip` crate compresses the data it is given itself, on one thread; the workbook's
//! sheet is deflated in pieces on several threads (see `deflate.rs`), so the container
//! is written here: a local header, the data, and at the end the central directory,
//! which is all a zip is (APPNOTE.TXT 4.3, 4.5.3 for zip64).

use std::io::{self, Write};

use crate::deflate::deflate_piece;

/// Sizes and offsets from this one on need zip64 fields.
const ZIP64_AT: u64 = 0xFFFF_FFFF;

/// The date in every header: 1980-01-01, the earliest a zip holds, so that the same
/// records always make the same bytes.
const DOS_DATE: u16 = (1 << 5) | 1;

struct Entry {
    name: String,
    crc: u32,
    plain_len: u64,
    packed_len: u64,
    offset: u64,
}

/// Writes a zip of deflated entries to `output`.
pub(crate) struct ZipWriter<W: Write> {
    output: W,
    /// Bytes written so far: the next header's offset.
    offset: u64,
    entries: Vec<Entry>,
    /// `ZIP64_AT`, lower in tests.
    zip64_at: u64,
}

/// The CRC-32 and the sizes of an entry's data, deflated.
pub(crate) struct Packed {
    pub(crate) crc: u32,
    pub(crate) plain_len: u64,
    pub(crate) packed_len: u64,
}

impl<W: Write> ZipWriter<W> {
    pub(crate) fn new(output: W) -> Self {
        ZipWriter {
            output,
            offset: 0,
            entries: Vec::new(),
            zip64_at: ZIP64_AT,
        }
    }

    /// Adds the entry `name` holding `data`, deflated in one piece (a small part).
    pub(crate) fn add_whole(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        let piece = deflate_piece(data, true);
        let packed = Packed {
            crc: piece.crc.finalize(),
            plain_len: piece.plain_len,
            packed_len: piece.packed.len() as u64,
        };
        self.add(name, &packed, |out| out.write_all(&piece.packed))
    }

    /// Adds the entry `name`: `write_data` writes its `packed.packed_len` bytes of raw
    /// deflate data to the writer it is given.
    pub(crate) fn add(
        &mut self,
        name: &str,
        packed: &Packed,
        write_data: impl FnOnce(&mut W) -> io::Result<()>,
    ) -> io::Result<()> {
        let zip64 = packed.plain_len >= self.zip64_at || packed.packed_len >= self.zip64_at;
        let mut header = Vec::with_capacity(64 + name.len());
        put32(&mut header, 0x0403_4b50);
        put16(&mut header, if zip64 { 45 } else { 20 });
        put16(&mut header, 0); // flags
        put16(&mut header, 8); // deflate
        put16(&mut header, 0); // time
        put16(&mut header, DOS_DATE);
        put32(&mut header, packed.crc);
        if zip64 {
            put32(&mut header, u32::MAX);
            put32(&mut header, u32::MAX);
        } else {
            put32(&mut header, packed.packed_len as u32);
            put32(&mut header, packed.plain_len as u32);
        }
        put16(&mut header, name.len() as u16);
        put16(&mut header, if zip64 { 20 } else { 0 });
        header.extend_from_slice(name.as_bytes());
        if zip64 {
            put16(&mut header, 1);
            put16(&mut header, 16);
            put64(&mut header, packed.plain_len);
            put64(&mut header, packed.packed_len);
        }
        self.output.write_all(&header)?;
        write_data(&mut self.output)?;
        self.entries.push(Entry {
            name: name.to_owned(),
            crc: packed.crc,
            plain_len: packed.plain_len,
            packed_len: packed.packed_len,
            offset: self.offset,
        });
        self.offset += header.len() as u64 + packed.packed_len;
        Ok(())
    }

    /// Writes the central directory and returns the output.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let start = self.offset;
        let mut directory = Vec::new();
        for entry in &self.entries {
            // The zip64 extra field holds, in this order, the values too big for theirs.
            let mut extra = Vec::new();
            for value in [entry.plain_len, entry.packed_len, entry.offset] {
                if value >= self.zip64_at {
                    put64(&mut extra, value);
                }
            }
            let narrow = |value| narrow(value, self.zip64_at);
            put32(&mut directory, 0x0201_4b50);
            put16(&mut directory, 45); // made by: the zip64 version
            put16(&mut directory, if extra.is_empty() { 20 } else { 45 });
            put16(&mut directory, 0);
            put16(&mut directory, 8);
            put16(&mut directory, 0);
            put16(&mut directory, DOS_DATE);
            put32(&mut directory, entry.crc);
            put32(&mut directory, narrow(entry.packed_len));
            put32(&mut directory, narrow(entry.plain_len));
            put16(&mut directory, entry.name.len() as u16);
            put16(
                &mut directory,
                if extra.is_empty() {
                    0
                } else {
                    extra.len() as u16 + 4
                },
            );
            put16(&mut directory, 0); // comment
            put16(&mut directory, 0); // disk
            put16(&mut directory, 0); // internal attributes
            put32(&mut directory, 0); // external attributes
            put32(&mut directory, narrow(entry.offset));
            directory.extend_from_slice(entry.name.as_bytes());
            if !extra.is_empty() {
                put16(&mut directory, 1);
                put16(&mut directory, extra.len() as u16);
                directory.extend_from_slice(&extra);
            }
        }
        let size = directory.len() as u64;
        let count = self.entries.len() as u64;
        if start >= self.zip64_at || size >= self.zip64_at || count >= 0xFFFF {
            let record_at = start + size;
            put32(&mut directory, 0x0606_4b50);
            put64(&mut directory, 44);
            put16(&mut directory, 45);
            put16(&mut directory, 45);
            put32(&mut directory, 0);
            put32(&mut directory, 0);
            put64(&mut directory, count);
            put64(&mut directory, count);
            put64(&mut directory, size);
            put64(&mut directory, start);
            put32(&mut directory, 0x0706_4b50);
            put32(&mut directory, 0);
            put64(&mut directory, record_at);
            put32(&mut directory, 1);
        }
        let narrow = |value| narrow(value, self.zip64_at);
        let count16 = u16::try_from(count).unwrap_or(u16::MAX);
        put32(&mut directory, 0x0605_4b50);
        put16(&mut directory, 0);
        put16(&mut directory, 0);
        put16(&mut directory, count16);
        put16(&mut directory, count16);
        put32(&mut directory, narrow(size));
        put32(&mut directory, narrow(start));
        put16(&mut directory, 0);
        self.output.write_all(&directory)?;
        self.output.flush()?;
        Ok(self.output)
    }
}

/// A size or offset in its 32-bit field: `0xFFFFFFFF` when the zip64 field holds it.
fn narrow(value: u64, zip64_at: u64) -> u32 {
    match u32::try_from(value) {
        Ok(v) if value < zip64_at => v,
        _ => u32::MAX,
    }
}

fn put16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(&value.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn zip_of(parts: &[(&str, &[u8])], zip64_at: u64) -> Vec<u8> {
        let mut zip = ZipWriter::new(Vec::new());
        zip.zip64_at = zip64_at;
        for (name, data) in parts {
            zip.add_whole(name, data).unwrap();
        }
        zip.finish().unwrap()
    }

    fn read_back(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut archive = zip::ZipArchive::new(io::Cursor::new(bytes)).unwrap();
        (0..archive.len())
            .map(|i| {
                let mut file = archive.by_index(i).unwrap();
                let mut data = Vec::new();
                file.read_to_end(&mut data).unwrap();
                (file.name().unwrap().into_owned(), data)
            })
            .collect()
    }

    #[test]
    fn entries_read_back_with_the_zip_crate_zip64_or_not() {
        let long = b"<row r=\"1\"/>".repeat(10_000);
        let parts: [(&str, &[u8]); 3] = [("a.xml", b"<a/>"), ("b/long.xml", &long), ("c", b"")];
        // Lowered, the zip64 threshold makes every size and offset past it take zip64.
        for zip64_at in [ZIP64_AT, 10] {
            let back = read_back(&zip_of(&parts, zip64_at));
            let expected: Vec<(String, Vec<u8>)> = parts
                .iter()
                .map(|(name, data)| (name.to_string(), data.to_vec()))
                .collect();
            assert_eq!(back, expected, "zip64 from {zip64_at}");
        }
    }
}

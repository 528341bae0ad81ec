//! [`Workbook`]: a workbook's bytes, read by seeking in them (a zip's directory is at its
//! end), from its file or from a copy of a stream, never held in memory whole when big.
//!
//! A [`Workbook`] can be cloned: each clone has a position of its own (a file is read by
//! position, never through the shared file offset), so that two threads read the same
//! workbook at once.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::sync::Arc;

/// The most bytes of a stream (standard input, a pipe) held in memory; a bigger one is
/// copied to a temporary file (deleted when the last reader of it is gone).
const IN_MEMORY: u64 = 8 << 20;

/// How many bytes calamine reads from a workbook at once.
const READ_BUFFER: usize = 64 << 10;

/// What calamine reads a workbook through: a buffer over its bytes.
pub(crate) type Source = BufReader<Workbook>;

#[derive(Clone)]
enum Bytes {
    File(Arc<File>),
    Memory(Arc<[u8]>),
}

/// A workbook's bytes with a read position of its own.
#[derive(Clone)]
pub(crate) struct Workbook {
    bytes: Bytes,
    len: u64,
    position: u64,
}

/// Why a workbook could not be had: an error reading it, or it is bigger than allowed.
#[derive(Debug)]
pub(crate) enum Unread {
    Io(io::Error),
    TooBig,
}

impl From<io::Error> for Unread {
    fn from(error: io::Error) -> Self {
        Unread::Io(error)
    }
}

impl Workbook {
    /// The workbook in `file`, read from the file itself; a file that is no regular
    /// file (a named pipe, `/dev/stdin`) is read as a stream is.
    pub(crate) fn file(file: File, limit: u64) -> Result<Workbook, Unread> {
        let metadata = file.metadata()?;
        if !metadata.is_file() {
            return Workbook::spool(file, limit);
        }
        let len = metadata.len();
        if len > limit {
            return Err(Unread::TooBig);
        }
        Ok(Workbook {
            bytes: Bytes::File(Arc::new(file)),
            len,
            position: 0,
        })
    }

    /// The workbook `input` streams: kept in memory when small, else copied to a
    /// temporary file.
    pub(crate) fn spool(mut input: impl Read, limit: u64) -> Result<Workbook, Unread> {
        let in_memory = IN_MEMORY.min(limit);
        // Sized once: a vector grown by doubling would take twice the memory.
        let mut head = Vec::with_capacity(in_memory as usize + 1);
        (&mut input)
            .take(in_memory.saturating_add(1))
            .read_to_end(&mut head)?;
        let held = head.len() as u64;
        if held <= in_memory {
            return Ok(Workbook {
                bytes: Bytes::Memory(head.into()),
                len: held,
                position: 0,
            });
        }
        if held > limit {
            return Err(Unread::TooBig);
        }
        let mut file = tempfile::tempfile()?;
        file.write_all(&head)?;
        drop(head);
        let rest = io::copy(&mut input.take((limit - held).saturating_add(1)), &mut file)?;
        if held + rest > limit {
            return Err(Unread::TooBig);
        }
        Workbook::file(file, limit)
    }

    /// A buffered reader of the workbook from its start, for calamine.
    pub(crate) fn source(&self) -> Source {
        let mut workbook = self.clone();
        workbook.position = 0;
        BufReader::with_capacity(READ_BUFFER, workbook)
    }

    /// The workbook's size in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// The workbook's first bytes (fewer when it is shorter).
    pub(crate) fn head(&self, n: usize) -> io::Result<Vec<u8>> {
        let mut head = vec![0; n];
        let mut at = self.clone();
        at.position = 0;
        let mut filled = 0;
        while filled < n {
            match at.read(&mut head[filled..])? {
                0 => break,
                read => filled += read,
            }
        }
        head.truncate(filled);
        Ok(head)
    }
}

impl Read for Workbook {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = match &self.bytes {
            Bytes::Memory(bytes) => {
                let start = self.position.min(self.len) as usize;
                let n = buf.len().min(bytes.len() - start);
                buf[..n].copy_from_slice(&bytes[start..start + n]);
                n
            }
            Bytes::File(file) => read_at(file, buf, self.position)?,
        };
        self.position += read as u64;
        Ok(read)
    }
}

impl Seek for Workbook {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let position = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(n) => self.len.checked_add_signed(n),
            SeekFrom::Current(n) => self.position.checked_add_signed(n),
        };
        self.position = position.ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek to a position before the workbook's start",
            )
        })?;
        Ok(self.position)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], position: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, position)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], position: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, position)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut workbook: Workbook) -> Vec<u8> {
        let mut bytes = Vec::new();
        workbook.read_to_end(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn a_big_stream_is_spooled_to_a_file_and_reads_back_the_same() {
        let bytes: Vec<u8> = (0..IN_MEMORY + 1000).map(|i| i as u8).collect();
        let workbook = Workbook::spool(&bytes[..], u64::MAX).unwrap();
        assert!(matches!(workbook.bytes, Bytes::File(_)));
        let mut clone = workbook.clone();
        clone.seek(SeekFrom::End(-3)).unwrap();
        assert_eq!(all(clone), bytes[bytes.len() - 3..]);
        assert_eq!(all(workbook), bytes);
    }

    #[test]
    fn a_small_stream_stays_in_memory() {
        let workbook = Workbook::spool(&b"PK\x03\x04 small"[..], u64::MAX).unwrap();
        assert!(matches!(workbook.bytes, Bytes::Memory(_)));
        assert_eq!(workbook.head(4).unwrap(), b"PK\x03\x04");
        assert_eq!(all(workbook), b"PK\x03\x04 small");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_opened_as_a_file_is_read_as_a_stream() {
        let (reader, mut writer) = io::pipe().unwrap();
        let writing = std::thread::spawn(move || writer.write_all(b"PK\x03\x04 piped"));
        let file = File::from(std::os::fd::OwnedFd::from(reader));
        let workbook = Workbook::file(file, u64::MAX).unwrap();
        writing.join().unwrap().unwrap();
        assert_eq!(all(workbook), b"PK\x03\x04 piped");
    }

    #[test]
    fn a_stream_past_the_limit_is_refused() {
        assert!(matches!(
            Workbook::spool(&[0u8; 100][..], 99),
            Err(Unread::TooBig)
        ));
        assert!(Workbook::spool(&[0u8; 100][..], 100).is_ok());
    }
}

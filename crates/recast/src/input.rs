//! Finding the inputs: files, folders walked in name order, standard input. Reading
//! them into one ordered stream of records is [`crate::pipeline`]'s job.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use recast_model::Channel;

use crate::format::Format;
use crate::output::FileId;

/// The name of a folder's metadata file (Hugo's convention): its front matter is the
/// channel, and it is not a record.
pub const INDEX_FILE: &str = "_index.md";

/// One input: a file, or standard input when `path` is `None`.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file (`None`: standard input).
    pub path: Option<Arc<Path>>,
    /// Its format: `--from`, else the extension's, else sniffed from the content.
    pub format: Format,
    /// Its size in bytes (`u64::MAX` when not known before reading: standard input, a
    /// file walked by [`Inputs::collect_unmeasured`]).
    pub size: u64,
    /// Standard input without `--from`: the format is sniffed when the stream opens.
    pub sniff: bool,
}

/// The inputs of a run, in order, and the channel of the first folder that has an
/// `_index.md`.
#[derive(Debug, Default)]
pub struct Inputs {
    /// The files to read, in order: arguments as given, folders walked in name order.
    pub files: Vec<Input>,
    /// The `_index.md` files found (a folder's channel, not records).
    pub index_files: Vec<PathBuf>,
    /// Warnings found while walking (skipped links), for the caller to print.
    pub warnings: Vec<String>,
    /// Folders already entered through a symbolic link (canonical paths): each is walked
    /// through a link at most once, so links cannot make a loop or an exponential walk.
    linked_folders: std::collections::HashSet<PathBuf>,
    /// The file this run writes (`-o`), which a folder walk never reads: `convert DIR -o
    /// DIR/feed.rss` run again must not read its last output as input.
    output: Option<FileId>,
}

impl Inputs {
    /// Expands the command line's inputs: `-` (or none) is standard input, a folder is
    /// walked for files of known formats, a file is taken as it is.
    pub fn collect(paths: &[PathBuf], from: Option<Format>) -> anyhow::Result<Inputs> {
        Inputs::collect_shard(paths, from, None)
    }

    /// [`Inputs::collect`], keeping only the files of `shard` (`--shard K/N`).
    pub fn collect_shard(
        paths: &[PathBuf],
        from: Option<Format>,
        shard: Option<Shard>,
    ) -> anyhow::Result<Inputs> {
        Inputs::collect_except(paths, from, shard, None)
    }

    /// [`Inputs::collect_shard`], where folder walks skip `output` (the file `-o` names),
    /// with a warning. A file named on the command line is read even when it is the
    /// output: the output is written to a temporary file and replaces it at the end.
    pub fn collect_except(
        paths: &[PathBuf],
        from: Option<Format>,
        shard: Option<Shard>,
        output: Option<&Path>,
    ) -> anyhow::Result<Inputs> {
        Inputs::collect_sized(paths, from, shard, output, true)
    }

    /// [`Inputs::collect_except`] without asking the size of each walked file (its
    /// `size` is `u64::MAX`, not known), for a caller that reads each file whole and
    /// learns its size then, as a migration does: a `stat` fewer per file.
    pub fn collect_unmeasured(
        paths: &[PathBuf],
        from: Option<Format>,
        shard: Option<Shard>,
        output: Option<&Path>,
    ) -> anyhow::Result<Inputs> {
        Inputs::collect_sized(paths, from, shard, output, false)
    }

    fn collect_sized(
        paths: &[PathBuf],
        from: Option<Format>,
        shard: Option<Shard>,
        output: Option<&Path>,
        measure: bool,
    ) -> anyhow::Result<Inputs> {
        if shard.is_some() && (paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-")) {
            bail!("--shard splits input files; standard input cannot be sharded");
        }
        let mut inputs = Inputs {
            output: output.and_then(FileId::of),
            ..Inputs::default()
        };
        if paths.is_empty() {
            inputs.push_stdin(from)?;
        }
        for path in paths {
            if path.as_os_str() == "-" {
                inputs.push_stdin(from)?;
                continue;
            }
            let meta =
                fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
            if meta.is_dir() {
                let root = fs::canonicalize(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                if path.join(INDEX_FILE).is_file() {
                    inputs.index_files.push(path.join(INDEX_FILE));
                }
                let start = inputs.files.len();
                inputs.walk(path, &root, from)?;
                if measure || inputs.output.is_some() {
                    inputs.measure_walked(start)?;
                }
                if let Some(shard) = shard {
                    let mut walked = inputs.files.split_off(start);
                    walked.retain(|input| {
                        let file = input.path.as_deref().expect("walked files have paths");
                        shard.contains(file.strip_prefix(path).unwrap_or(file))
                    });
                    inputs.files.append(&mut walked);
                }
            } else if path.file_name().is_some_and(|name| name == INDEX_FILE) {
                // Named by a shell glob (`archive/*.md`) or by hand, `_index.md` is still
                // its folder's channel, never a record (issue 11, case 11).
                if !inputs.index_files.contains(path) {
                    inputs.index_files.push(path.clone());
                }
            } else if shard.is_some_and(|shard| !shard.contains(path)) {
                continue;
            } else {
                let format = match from.or_else(|| Format::from_extension(path)) {
                    Some(Format::Json) if from.is_none() => json_or_feed(path)?,
                    Some(format) => format,
                    None => sniff_file(path)?,
                };
                inputs.files.push(Input {
                    path: Some(path.as_path().into()),
                    format,
                    size: meta.len(),
                    sniff: false,
                });
            }
        }
        Ok(inputs)
    }

    fn push_stdin(&mut self, from: Option<Format>) -> anyhow::Result<()> {
        if self.files.iter().any(|input| input.path.is_none()) {
            bail!("standard input (-) is named twice");
        }
        self.files.push(Input {
            path: None,
            format: from.unwrap_or(Format::Json),
            size: u64::MAX,
            sniff: from.is_none(),
        });
        Ok(())
    }

    /// Walks a folder in name order, taking files with a known extension. Hidden
    /// entries are skipped; a symbolic link is followed only when it points inside
    /// `root`, so a walk never leaves the input tree.
    fn walk(&mut self, dir: &Path, root: &Path, from: Option<Format>) -> anyhow::Result<()> {
        let mut entries = fs::read_dir(dir)
            .with_context(|| format!("cannot read folder {}", dir.display()))?
            .collect::<io::Result<Vec<_>>>()
            .with_context(|| format!("cannot read folder {}", dir.display()))?;
        // Cached: `file_name` allocates, and a sort would call it twice per comparison.
        entries.sort_by_cached_key(|entry| entry.file_name());
        for entry in entries {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') || name == INDEX_FILE {
                continue;
            }
            let path = entry.path();
            let mut file_type = entry.file_type()?;
            if file_type.is_symlink() {
                match fs::canonicalize(&path) {
                    Ok(target) if target.starts_with(root) => {
                        file_type = fs::metadata(&target)?.file_type();
                        // A link to a folder that contains it (`loop -> .`) or to one
                        // walked through a link already would read files again, or
                        // forever.
                        if file_type.is_dir()
                            && (fs::canonicalize(dir).is_ok_and(|here| here.starts_with(&target))
                                || !self.linked_folders.insert(target))
                        {
                            self.warnings.push(format!(
                                "{}: skipped: a symbolic link to a folder walked already (a loop)",
                                path.display()
                            ));
                            continue;
                        }
                    }
                    _ => {
                        self.warnings.push(format!(
                            "{}: skipped: a symbolic link that leaves the input folder",
                            path.display()
                        ));
                        continue;
                    }
                }
            }
            if file_type.is_dir() {
                self.walk(&path, root, from)?;
                continue;
            }
            let format = match Format::from_extension(&path) {
                Some(Format::Json) if from.is_none() => json_or_feed(&path)?,
                Some(format) => from.unwrap_or(format),
                // `.xml` is read when its root element makes it a feed (`feed.xml`,
                // `index.xml`); other XML (a sitemap) is skipped like unknown files.
                None if Format::is_xml(&path) && from.is_none_or(Format::is_xml_feed) => {
                    match sniff_feed_file(&path)? {
                        Some(format) => from.unwrap_or(format),
                        None => continue,
                    }
                }
                None => continue,
            };
            // Its size is filled in by `measure_walked`, for all files at once, when the
            // caller asks for it.
            self.files.push(Input {
                path: Some(path.into()),
                format,
                size: u64::MAX,
                sniff: false,
            });
        }
        Ok(())
    }

    /// Gives the files walked from `start` on their sizes, asking for them on every core
    /// (20,000 files: 20,000 `stat`s, which were a tenth of a second of a migration run
    /// on one thread), and leaves out the output of the run (`-o`), with a warning.
    fn measure_walked(&mut self, start: usize) -> anyhow::Result<()> {
        use rayon::prelude::*;
        let metadata: Vec<fs::Metadata> = self.files[start..]
            .par_iter()
            .map(|input| fs::metadata(input.path.as_deref().expect("walked files have paths")))
            .collect::<io::Result<_>>()?;
        let walked = self.files.split_off(start);
        for (mut input, meta) in walked.into_iter().zip(metadata) {
            let path = input.path.as_deref().expect("walked files have paths");
            if self.output.is_some() && FileId::from_metadata(path, &meta) == self.output {
                self.warnings.push(format!(
                    "{}: skipped: it is the output of this run (-o)",
                    path.display()
                ));
                continue;
            }
            input.size = meta.len();
            self.files.push(input);
        }
        Ok(())
    }

    /// The channel of the first walked folder with an `_index.md`.
    pub fn index_channel(&self) -> anyhow::Result<Option<Channel>> {
        let Some(path) = self.index_files.first() else {
            return Ok(None);
        };
        let bytes = fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let record = recast_yaml::read_markdown(&bytes, Some(path.as_path().into()))?;
        Ok(Some(Channel::from_map(record.fields)))
    }
}

/// The first 4 KiB of a file, where [`Format::sniff`] looks.
fn read_head(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(4096);
    fs::File::open(path)
        .and_then(|file| file.take(4096).read_to_end(&mut head))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(head)
}

/// RSS or Atom when the file's content is a feed, else `None`.
fn sniff_feed_file(path: &Path) -> anyhow::Result<Option<Format>> {
    Ok(Format::sniff(&read_head(path)?).filter(|format| format.is_xml_feed()))
}

/// A `.json` file's format: JSON Feed when it declares a JSON Feed `version` at the top,
/// else JSON.
fn json_or_feed(path: &Path) -> anyhow::Result<Format> {
    Ok(match Format::sniff(&read_head(path)?) {
        Some(Format::JsonFeed) => Format::JsonFeed,
        _ => Format::Json,
    })
}

fn sniff_file(path: &Path) -> anyhow::Result<Format> {
    let head = read_head(path)?;
    Format::sniff(&head).with_context(|| {
        format!(
            "{}: cannot tell the format from the extension or the content; use --from",
            path.display()
        )
    })
}

/// `--shard K/N`: shard K (1-based) of N. A file belongs to the shard its path picks
/// through a fixed hash (64-bit FNV-1a of the path below its input folder, `/`-separated),
/// so every run, on any machine and wherever the folder is mounted, agrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Whether the file at `relative` (its path below the input folder) is in this shard.
    pub fn contains(self, relative: &Path) -> bool {
        shard_hash(relative) % self.count == self.index - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Shard, String> {
        let parsed = text
            .split_once('/')
            .and_then(|(k, n)| Some((k.trim().parse().ok()?, n.trim().parse().ok()?)));
        match parsed {
            Some((index, count)) if 1 <= index && index <= count => Ok(Shard { index, count }),
            _ => Err(format!(
                "expected K/N with 1 ≤ K ≤ N (e.g. 1/4), not {text:?}"
            )),
        }
    }
}

/// 64-bit FNV-1a of a relative path's components joined with `/`. Never change it: the
/// shards of runs made with different versions must agree.
fn shard_hash(relative: &Path) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in relative.components().enumerate() {
        let separator: &[u8] = if i > 0 { b"/" } else { b"" };
        for &byte in separator.iter().chain(part.as_os_str().as_encoded_bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod shard_tests {
    use std::collections::BTreeSet;

    use super::*;

    fn names(inputs: &Inputs, root: &Path) -> BTreeSet<PathBuf> {
        let paths = inputs
            .files
            .iter()
            .filter_map(|input| input.path.as_deref());
        paths
            .map(|path| path.strip_prefix(root).unwrap().to_path_buf())
            .collect()
    }

    #[test]
    fn shards_partition_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("2024")).unwrap();
        for i in 0..200 {
            let sub = if i % 3 == 0 { "2024/" } else { "" };
            fs::write(
                dir.path().join(format!("{sub}a-{i:03}.md")),
                "---\nx: 1\n---\n",
            )
            .unwrap();
        }
        fs::write(dir.path().join(INDEX_FILE), "---\ntitle: t\n---\n").unwrap();
        let root = dir.path().to_path_buf();
        let all = names(
            &Inputs::collect(std::slice::from_ref(&root), None).unwrap(),
            &root,
        );
        assert_eq!(all.len(), 200);
        let mut union = BTreeSet::new();
        for k in 1..=3 {
            let shard: Shard = format!("{k}/3").parse().unwrap();
            let inputs =
                Inputs::collect_shard(std::slice::from_ref(&root), None, Some(shard)).unwrap();
            // Every shard keeps the folder's channel, and a fair share of the files.
            assert_eq!(inputs.index_files.len(), 1);
            let part = names(&inputs, &root);
            assert!(
                (40..=95).contains(&part.len()),
                "shard {k}/3 has {}",
                part.len()
            );
            assert!(
                union.is_disjoint(&part),
                "shard {k}/3 overlaps an earlier one"
            );
            union.extend(part);
        }
        assert_eq!(union, all);
        let one = Inputs::collect_shard(
            std::slice::from_ref(&root),
            None,
            Some("1/1".parse().unwrap()),
        );
        assert_eq!(names(&one.unwrap(), &root), all);
    }

    #[test]
    fn shard_hash_is_fixed() {
        // FNV-1a test vectors, and paths hash by components, whatever the mount point.
        assert_eq!(shard_hash(Path::new("")), 0xcbf2_9ce4_8422_2325);
        assert_eq!(shard_hash(Path::new("a")), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(
            shard_hash(Path::new("x/a.md")),
            shard_hash(Path::new("x//a.md"))
        );
    }

    #[test]
    fn shard_flag_is_checked() {
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("a/b".parse::<Shard>().is_err());
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        let stdin = Inputs::collect_shard(&[], None, "1/2".parse().ok());
        assert!(stdin.is_err());
    }
}

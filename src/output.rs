//! Writing output so that nothing is ever half-written: a file is written to a temporary
//! file in the same folder and renamed into place only when the run succeeds; a folder of
//! files is staged in a hidden folder and moved into place at the end.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::Context;
use tempfile::{NamedTempFile, TempDir};

/// A file that appears (or replaces the old one) only on `commit`; dropped without it,
/// the temporary file is removed and an existing file stays as it was.
pub struct AtomicFile {
    target: PathBuf,
    temp: NamedTempFile,
}

impl AtomicFile {
    pub fn create(target: &Path) -> anyhow::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        // Mode 0666 less the umask, as any new file gets (tempfile's default is 0600);
        // `commit` gives a replaced file's own permissions back.
        let mut builder = tempfile::Builder::new();
        builder.prefix(".recast-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a file in {}", dir.display()))?;
        Ok(AtomicFile {
            target: target.to_owned(),
            temp,
        })
    }

    /// A buffered writer into the temporary file.
    pub fn writer(&self) -> anyhow::Result<BufWriter<fs::File>> {
        let file = self
            .temp
            .reopen()
            .context("cannot reopen the temporary file")?;
        Ok(BufWriter::with_capacity(256 << 10, file))
    }

    /// Flushes to disk and renames the file into place, keeping the permissions of the
    /// file it replaces.
    pub fn commit(self) -> anyhow::Result<()> {
        if let Ok(old) = fs::metadata(&self.target) {
            fs::set_permissions(self.temp.path(), old.permissions()).ok();
        }
        self.temp
            .as_file()
            .sync_all()
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        // `PersistError` shows its I/O error and also gives it as its source: keep only
        // the I/O error, so the message says it once.
        self.temp
            .persist(&self.target)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot write {}", self.target.display()))?;
        Ok(())
    }
}

/// One file per record in a folder. Files are staged in a hidden folder inside it and
/// moved into place by `commit`, so a failed run adds nothing to the folder.
pub struct OutDir {
    root: PathBuf,
    staging: TempDir,
    used: HashSet<PathBuf>,
    staged: Vec<PathBuf>,
}

/// The longest file-name component written, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 200;

impl OutDir {
    pub fn create(root: &Path) -> anyhow::Result<OutDir> {
        fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
        let staging = tempfile::Builder::new()
            .prefix(".recast-staging-")
            .tempdir_in(root)
            .with_context(|| format!("cannot create a folder in {}", root.display()))?;
        Ok(OutDir {
            root: root.to_owned(),
            staging,
            used: HashSet::new(),
            staged: Vec::new(),
        })
    }

    /// Reserves a relative path for a rendered name (made safe, numbered if this run
    /// already used it) and returns where to write it in the staging folder.
    pub fn reserve(&mut self, rendered: &str, extension: &str) -> anyhow::Result<PathBuf> {
        let base = safe_relative_path(rendered);
        let stem = base
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut candidate = base.with_file_name(format!("{stem}.{extension}"));
        let mut n = 1;
        while self.used.contains(&candidate) {
            n += 1;
            candidate = base.with_file_name(format!("{stem}-{n}.{extension}"));
        }
        self.reserve_exact(candidate)
    }

    /// Reserves an exact relative path (such as `_index.md`).
    pub fn reserve_exact(&mut self, relative: PathBuf) -> anyhow::Result<PathBuf> {
        let staged = self.staging.path().join(&relative);
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        self.used.insert(relative.clone());
        self.staged.push(relative);
        Ok(staged)
    }

    /// Moves every staged file into place; returns how many were written.
    pub fn commit(self) -> anyhow::Result<usize> {
        for relative in &self.staged {
            let target = self.root.join(relative);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::rename(self.staging.path().join(relative), &target)
                .with_context(|| format!("cannot write {}", target.display()))?;
        }
        Ok(self.staged.len())
    }
}

/// Turns a rendered template into a relative path that stays inside the output folder:
/// `/` separates folders (a template may make them), empty, `.` and `..` components are
/// dropped, characters file systems reject are replaced, and each name is bounded.
fn safe_relative_path(rendered: &str) -> PathBuf {
    let mut path = PathBuf::new();
    for part in rendered.split(['/', '\\']) {
        let cleaned: String = part
            .chars()
            .map(|c| match c {
                '\0'..='\u{1f}' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
                c => c,
            })
            .collect();
        // Hyphens at the ends come from empty placeholders (`{date}-{title}` without a
        // date); dots at the start would hide the file.
        let cleaned = cleaned
            .trim_matches(|c: char| c == '-' || c.is_whitespace())
            .trim_start_matches('.');
        if cleaned.is_empty()
            || !matches!(
                Path::new(cleaned).components().next(),
                Some(Component::Normal(_))
            )
        {
            continue;
        }
        path.push(truncate_bytes(cleaned, MAX_NAME_BYTES));
    }
    if path.as_os_str().is_empty() {
        path.push("untitled");
    }
    path
}

fn truncate_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Standard output, buffered; records are written as they come.
pub fn stdout() -> Box<dyn Write> {
    Box::new(BufWriter::with_capacity(256 << 10, io::stdout()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_leave_the_folder() {
        assert_eq!(
            safe_relative_path("../../etc/passwd"),
            PathBuf::from("etc/passwd")
        );
        assert_eq!(safe_relative_path("/abs/x"), PathBuf::from("abs/x"));
        assert_eq!(safe_relative_path(".."), PathBuf::from("untitled"));
        assert_eq!(safe_relative_path(""), PathBuf::from("untitled"));
        assert_eq!(safe_relative_path(".hidden"), PathBuf::from("hidden"));
        assert_eq!(safe_relative_path("a:b?c"), PathBuf::from("a-b-c"));
        let long = "é".repeat(300);
        let path = safe_relative_path(&long);
        assert!(path.as_os_str().len() <= MAX_NAME_BYTES);
    }

    #[test]
    fn collisions_are_numbered_and_nothing_lands_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutDir::create(dir.path()).unwrap();
        let a = out.reserve("2020-01-01-x", "md").unwrap();
        let b = out.reserve("2020-01-01-x", "md").unwrap();
        fs::write(&a, "a").unwrap();
        fs::write(&b, "b").unwrap();
        assert!(!dir.path().join("2020-01-01-x.md").exists());
        assert_eq!(out.commit().unwrap(), 2);
        assert_eq!(
            fs::read_to_string(dir.path().join("2020-01-01-x.md")).unwrap(),
            "a"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("2020-01-01-x-2.md")).unwrap(),
            "b"
        );
    }
}

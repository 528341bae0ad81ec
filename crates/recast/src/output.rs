//! Writing output so that nothing is ever half-written and nothing already there is
//! destroyed:
//!
//! - a regular file (`-o FILE`, `migrate --in-place`) is written to a temporary file in
//!   the same folder and renamed into place only when the run succeeds ([`AtomicFile`]);
//!   a symbolic link is followed, so its target is replaced and the link stays a link
//!   ([`resolve_target`]);
//! - anything else at the path (a named pipe, a device, `/dev/stdout`, `/dev/fd/N`,
//!   process substitution) is written directly, as a shell's `>>` would: a rename would
//!   replace it instead of writing into it ([`OutputFile`]);
//! - a folder of files (`--out-dir`) is staged in a hidden folder inside it and moved
//!   into place at the end; files already there are replaced only with `--force`, and
//!   the folder may not overlap an input folder ([`OutDir`]).
//!
//! Every temporary file and staging folder is registered while it exists, so that an
//! interrupted run (SIGINT, SIGTERM) removes them before it ends
//! ([`clean_up_after_signal`]).

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};

use anyhow::{Context, bail};
use tempfile::{TempDir, TempPath};

use crate::error::{usage, usage_bail};

/// The temporary files and staging folders that exist right now, and the count of an
/// in-place run's replaced files. Creating, committing and removing them happen under
/// its lock or [`CHANGING_FILES`], so a signal's clean-up sees a consistent state and
/// nothing new is created after it (it ends the process still holding both).
static TEMPORARY: Mutex<Temporary> = Mutex::new(Temporary {
    paths: BTreeMap::new(),
    next: 0,
    in_place: None,
});

struct Temporary {
    /// Each registered path, by the number [`Temporary::register`] gave it (numbers, not
    /// paths, are looked up: a path compares component by component).
    paths: BTreeMap<u64, PathBuf>,
    next: u64,
    /// `migrate --in-place`: files to replace, and how many are replaced already.
    in_place: Option<(usize, usize)>,
}

/// Held shared while a temporary file is created and registered, or renamed into place
/// and counted, and exclusively by the clean-up after a signal: it waits for those in
/// flight to finish, and none starts after it. Doing them under the registry's own
/// lock made the threads of an in-place run take turns for every file.
static CHANGING_FILES: RwLock<()> = RwLock::new(());

fn changing_files() -> RwLockReadGuard<'static, ()> {
    CHANGING_FILES
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Stops the creation and renaming of temporary files until the process ends.
fn stop_changing_files() {
    let guard = CHANGING_FILES
        .write()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    std::mem::forget(guard);
}

impl Temporary {
    /// Registers `path`; it is forgotten when the returned value is dropped.
    fn register(&mut self, path: PathBuf) -> Registered {
        let number = self.next;
        self.next += 1;
        self.paths.insert(number, path);
        Registered(number)
    }
}

fn temporary() -> MutexGuard<'static, Temporary> {
    // A thread that panicked while holding the lock left the set as consistent as it
    // was: each change is one insert or remove.
    TEMPORARY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A registered temporary path; dropping it forgets the path (whoever owns the file or
/// folder removes it, or has renamed it into place).
struct Registered(u64);

impl Drop for Registered {
    fn drop(&mut self) {
        temporary().paths.remove(&self.0);
    }
}

/// Tells the clean-up after a signal that `total` files are about to be replaced in
/// place, so that it can say how many were replaced before the run stopped. Each
/// [`AtomicFile::commit`] after this counts as one.
pub fn count_replacements(total: usize) {
    temporary().in_place = Some((total, 0));
}

/// Removes every registered temporary file and staging folder and returns what to say
/// (`recast: interrupted; removed 3 temporary files`, and for `--in-place` how many
/// files were replaced already); called when SIGINT or SIGTERM arrives. It keeps the
/// lock, so no thread creates or commits anything after it: the caller ends the process.
pub fn clean_up_after_signal() -> String {
    stop_changing_files();
    let guard = temporary();
    let removed = remove_all(&guard);
    let files = if removed == 1 { "file" } else { "files" };
    let mut message = format!("recast: interrupted; removed {removed} temporary {files}");
    if let Some((total, replaced)) = guard.in_place {
        message.push_str(&format!(
            "; {replaced} of {total} files were already replaced, the other {} are as they were",
            total - replaced
        ));
    }
    // The lock stays held until the process ends.
    std::mem::forget(guard);
    message
}

/// Removes every registered temporary path quietly (the run ends because its reader
/// went away); keeps the lock, like [`clean_up_after_signal`].
pub fn clean_up_quietly() {
    stop_changing_files();
    let guard = temporary();
    remove_all(&guard);
    std::mem::forget(guard);
}

/// Removes the registered paths; returns how many files they held.
fn remove_all(temporary: &Temporary) -> usize {
    let mut removed = 0;
    for path in temporary.paths.values() {
        match fs::symlink_metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let files = count_files(path);
                // Another thread may still be adding a file inside: try again.
                if (0..10).any(|_| fs::remove_dir_all(path).is_ok()) {
                    removed += files;
                }
            }
            Ok(_) => removed += usize::from(fs::remove_file(path).is_ok()),
            Err(_) => {}
        }
    }
    removed
}

fn count_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => count_files(&entry.path()),
            _ => 1,
        })
        .sum()
}

/// How many symbolic links [`resolve_target`] follows before giving up (Linux's limit).
const MAX_LINK_HOPS: usize = 40;

/// The file a path names, for writing: symbolic links are followed one by one to the
/// last link's target, which need not exist yet (a dangling link is written through:
/// its target is created). Folders on the way are left as written (not canonicalized),
/// so a relative link resolves against the folder the link is in, as the kernel does.
/// A link in `/proc` (`/dev/stdout` → `/proc/self/fd/1`, `/dev/fd/63`) is not followed:
/// it names an open file (a pipe, or the file standard output was redirected to), not a
/// path, and is returned as it is.
///
/// `-o` and `migrate --in-place` use it, so writing "to a link" replaces the link's
/// target and the link stays a link.
pub fn resolve_target(path: &Path) -> anyhow::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() && !is_in_proc(&current) => {
                let link = fs::read_link(&current)
                    .with_context(|| format!("cannot read the link {}", current.display()))?;
                // `join` with an absolute target gives the target.
                current = match current.parent() {
                    Some(folder) => folder.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    bail!("{}: too many levels of symbolic links", path.display())
}

/// Whether a path lies in `/proc` once its folders are resolved (`/dev/fd/1` does):
/// its links are the kernel's names of open files.
fn is_in_proc(path: &Path) -> bool {
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    fs::canonicalize(folder).is_ok_and(|folder| folder.starts_with("/proc"))
}

/// A file that appears (or replaces the old one) only on `commit`; dropped without it,
/// the temporary file is removed and an existing file stays as it was. A symbolic link
/// at the path is followed: its target is replaced, the link stays.
pub struct AtomicFile {
    target: PathBuf,
    /// The temporary file's path, removed when dropped. No descriptor is held between
    /// writes: an in-place run stages thousands of files before the first rename.
    temp: TempPath,
    registered: Registered,
    /// `mark_synced` said it is on disk, with the target's mode and owner: `commit`
    /// need not sync again.
    synced: bool,
}

impl AtomicFile {
    /// A temporary file beside `target` (the real file when it is a symbolic link),
    /// registered for the signal clean-up.
    pub fn create(target: &Path) -> anyhow::Result<AtomicFile> {
        AtomicFile::beside(resolve_target(target)?, |_| Ok(()))
    }

    /// A temporary file beside `target` that already holds `bytes`, with the
    /// permissions and (when allowed) the owner of `like`, the file it will replace;
    /// not synced: the caller syncs many files at once ([`sync_file_systems`]) and then
    /// says so with [`AtomicFile::mark_synced`], so that a full disk or a failing
    /// device shows before anything is replaced. Written and given its mode through
    /// the descriptor that created it: staging 20,000 files is 20,000 opens, not three
    /// times as many path lookups.
    pub fn with_contents(
        target: &Path,
        bytes: &[u8],
        like: &fs::Metadata,
    ) -> anyhow::Result<AtomicFile> {
        AtomicFile::with_contents_for_file(resolve_target(target)?, bytes, like)
    }

    /// [`AtomicFile::with_contents`] for a `target` known not to be a symbolic link (it
    /// was just opened without following one): its links are not looked for again.
    pub fn with_contents_for_file(
        target: PathBuf,
        bytes: &[u8],
        like: &fs::Metadata,
    ) -> anyhow::Result<AtomicFile> {
        AtomicFile::beside(target, |file| {
            file.write_all(bytes)?;
            give_mode_and_owner(file, like);
            Ok(())
        })
    }

    /// Creates the temporary file beside `target` (its links already followed),
    /// registered while it is created so a signal never leaves it behind, and lets
    /// `fill` write it.
    fn beside(
        target: PathBuf,
        fill: impl FnOnce(&mut fs::File) -> io::Result<()>,
    ) -> anyhow::Result<AtomicFile> {
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        // Mode 0666 less the umask, as any new file gets (tempfile's default is 0600);
        // `commit` (or `with_contents`) gives a replaced file's own permissions back.
        let mut builder = tempfile::Builder::new();
        builder.prefix(".recast-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        // Shared: files are created on many threads at once, registered under the
        // registry's lock only for the insert.
        let changing = changing_files();
        let mut temp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        let registered = temporary().register(temp.path().to_path_buf());
        drop(changing);
        fill(temp.as_file_mut()).with_context(|| {
            format!("cannot write the temporary file {}", temp.path().display())
        })?;
        Ok(AtomicFile {
            target,
            // Closes the descriptor: an in-place run stages thousands of files.
            temp: temp.into_temp_path(),
            registered,
            synced: false,
        })
    }

    /// The file the commit replaces: the path given, or the target of its links.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The temporary file is on disk (a [`sync_file_systems`] covered it): `commit`
    /// renames it without syncing it again.
    pub fn mark_synced(&mut self) {
        self.synced = true;
    }

    /// The temporary file's path.
    pub fn temp_path(&self) -> &Path {
        &self.temp
    }

    /// A buffered writer into the temporary file.
    pub fn writer(&self) -> anyhow::Result<BufWriter<fs::File>> {
        let file = fs::OpenOptions::new()
            .write(true)
            .open(&self.temp)
            .context("cannot reopen the temporary file")?;
        Ok(BufWriter::with_capacity(256 << 10, file))
    }

    /// Flushes to disk and renames the file into place, keeping the permissions (and,
    /// when allowed, the owner) of the file it replaces.
    pub fn commit(self) -> anyhow::Result<()> {
        self.commit_by(|temp, target| fs::rename(temp, target))
    }

    /// [`AtomicFile::commit`], renaming by name in `folder`, the target's folder opened
    /// once for many files: the kernel then looks up one name in it, not each whole
    /// path (twice per file, on the thread that takes a folder's renames in turn).
    #[cfg(target_os = "linux")]
    pub fn commit_in(self, folder: &fs::File) -> anyhow::Result<()> {
        self.commit_by(|temp, target| rename_in(folder, temp, target))
    }

    fn commit_by(self, rename: impl FnOnce(&Path, &Path) -> io::Result<()>) -> anyhow::Result<()> {
        if !self.synced {
            let file = fs::File::open(&self.temp)
                .with_context(|| format!("cannot write {}", self.target.display()))?;
            if let Ok(old) = fs::metadata(&self.target) {
                give_mode_and_owner(&file, &old);
            }
            file.sync_all()
                .with_context(|| format!("cannot write {}", self.target.display()))?;
        }
        let AtomicFile {
            target,
            temp,
            registered,
            ..
        } = self;
        let changing = changing_files();
        if let Err(error) = rename(&temp, &target) {
            // Removed now, before a signal's clean-up can look for it.
            drop(temp);
            return Err(error).with_context(|| format!("cannot write {}", target.display()));
        }
        // It is the target now: nothing to remove.
        let _ = temp.keep();
        let mut registry = temporary();
        registry.paths.remove(&registered.0);
        if let Some((_, replaced)) = &mut registry.in_place {
            *replaced += 1;
        }
        drop(registry);
        drop(changing);
        // Forgotten already: dropping it would take the lock again for nothing.
        std::mem::forget(registered);
        Ok(())
    }
}

/// Renames `from` to `to`, both in `folder`, by their names.
#[cfg(target_os = "linux")]
fn rename_in(folder: &fs::File, from: &Path, to: &Path) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::os::unix::ffi::OsStrExt;
    let name = |path: &Path| {
        let name = path.file_name().ok_or(io::ErrorKind::InvalidInput)?;
        std::ffi::CString::new(name.as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
    };
    let (from, to) = (name(from)?, name(to)?);
    let fd = folder.as_raw_fd();
    // SAFETY: both names are NUL-terminated strings that outlive the call, and `fd` is
    // an open descriptor `folder` owns.
    match unsafe { libc::renameat(fd, from.as_ptr(), fd, to.as_ptr()) } {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// Gives an open file the permissions and (when allowed: root rewriting someone's file
/// leaves it theirs, others cannot chown) the owner of `like`. A new file mostly has
/// them already (the user's own file, the usual umask): one `fstat` then saves a
/// `chown` and a `chmod`. The owner comes first, since a `chown` may clear the set-user
/// and set-group bits.
fn give_mode_and_owner(file: &fs::File, like: &fs::Metadata) {
    let now = file.metadata().ok();
    let mut owner_given = false;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let owner = |meta: &fs::Metadata| (meta.uid(), meta.gid());
        if now.as_ref().is_none_or(|now| owner(now) != owner(like)) {
            let _ = std::os::unix::fs::fchown(file, Some(like.uid()), Some(like.gid()));
            owner_given = true;
        }
    }
    if owner_given || now.is_none_or(|now| now.permissions() != like.permissions()) {
        let _ = file.set_permissions(like.permissions());
    }
}

/// Where one stream of output goes (`-o PATH`): standard output for `-`; a regular
/// file (new, or through symbolic links) atomically; anything else that is there (a
/// named pipe, a device, `/dev/stdout`, `/dev/fd/N`) written directly, since a rename
/// would replace it rather than write into it. A direct write cannot be undone: a
/// failed run leaves what it wrote so far.
pub enum OutputFile {
    /// Standard output.
    Stdout,
    /// A regular file, replaced when committed.
    Atomic(AtomicFile),
    /// Something written into directly (a pipe, a device).
    Direct {
        /// The path given.
        path: PathBuf,
        /// It, open for writing.
        file: fs::File,
    },
}

/// `-o` naming a folder is a usage error, given before anything is read.
pub fn refuse_folder(path: &Path) -> anyhow::Result<()> {
    match resolve_target(path).map(|target| target.is_dir()) {
        Ok(true) => Err(folder_given(path)),
        _ => Ok(()),
    }
}

fn folder_given(path: &Path) -> anyhow::Error {
    usage(format!(
        "-o {}: a folder; -o takes a file (--out-dir DIR writes one file per record)",
        path.display()
    ))
}

impl OutputFile {
    /// Opens the output at `path` (`-`: standard output) the way its kind needs.
    pub fn create(path: &Path) -> anyhow::Result<OutputFile> {
        if path.as_os_str() == "-" {
            return Ok(OutputFile::Stdout);
        }
        let target = resolve_target(path)?;
        match fs::metadata(&target) {
            Ok(meta) if meta.is_dir() => Err(folder_given(path)),
            // `/proc/self/fd/N` may lead to a regular file (standard output redirected
            // to one): written through the open file, appending, as the shell set it up.
            Ok(meta) if !meta.is_file() || is_in_proc(&target) => {
                let file = fs::OpenOptions::new()
                    .append(true)
                    .open(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Ok(OutputFile::Direct {
                    path: path.to_owned(),
                    file,
                })
            }
            _ => Ok(OutputFile::Atomic(AtomicFile::create(&target)?)),
        }
    }

    /// The path written, to name in messages (`None` for standard output).
    pub fn path(&self) -> Option<&Path> {
        match self {
            OutputFile::Stdout => None,
            OutputFile::Atomic(file) => Some(&file.target),
            OutputFile::Direct { path, .. } => Some(path),
        }
    }

    /// A buffered writer to the output.
    pub fn writer(&self) -> anyhow::Result<Box<dyn Write>> {
        Ok(match self {
            OutputFile::Stdout => stdout(),
            OutputFile::Atomic(file) => Box::new(file.writer()?),
            OutputFile::Direct { path, file } => {
                let file = file
                    .try_clone()
                    .with_context(|| format!("cannot write {}", path.display()))?;
                Box::new(BufWriter::with_capacity(256 << 10, file))
            }
        })
    }

    /// Puts a file into place; standard output and direct writes are done already
    /// (their writers flushed when they finished).
    pub fn commit(self) -> anyhow::Result<()> {
        match self {
            OutputFile::Atomic(file) => file.commit(),
            OutputFile::Stdout | OutputFile::Direct { .. } => Ok(()),
        }
    }
}

/// A file's identity (device and inode on Unix, the canonical path elsewhere): two
/// paths name the same file when their identities are equal, whatever links or `..`
/// lead to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

impl FileId {
    /// The identity of the file at `path` (links followed), if it exists.
    pub fn of(path: &Path) -> Option<FileId> {
        let meta = fs::metadata(path).ok()?;
        FileId::from_metadata(path, &meta)
    }

    /// The identity of the file at `path` whose metadata (links followed) is `meta`.
    #[cfg(unix)]
    pub fn from_metadata(_path: &Path, meta: &fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId((meta.dev(), meta.ino())))
    }

    #[cfg(not(unix))]
    pub fn from_metadata(path: &Path, _meta: &fs::Metadata) -> Option<FileId> {
        fs::canonicalize(path).ok().map(FileId)
    }
}

/// Refuses an `--out-dir` that is an input folder, lies inside one, or holds one: the
/// run would read its own output next time, or replace its inputs with rewritten
/// copies (losing their comments, BOM and line ends). `migrate --in-place` is the way to
/// rewrite inputs. A usage error (exit code 2).
pub fn check_out_dir(out_dir: &Path, inputs: &[PathBuf]) -> anyhow::Result<()> {
    let out = planned_canonical(out_dir);
    for input in inputs {
        if input.as_os_str() == "-" || !input.is_dir() {
            continue;
        }
        let Ok(folder) = fs::canonicalize(input) else {
            continue;
        };
        let relation = if out == folder {
            "is"
        } else if out.starts_with(&folder) {
            "is inside"
        } else if folder.starts_with(&out) {
            "holds"
        } else {
            continue;
        };
        usage_bail!(
            "--out-dir {} {relation} the input folder {}: recast never writes into a folder \
             it reads (to rewrite the input files themselves, use `recast migrate … --in-place`)",
            out_dir.display(),
            input.display()
        );
    }
    Ok(())
}

/// The canonical form a path will have once created: its deepest existing ancestor
/// canonicalized, the rest appended.
fn planned_canonical(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut missing = Vec::new();
    let mut existing = absolute.as_path();
    loop {
        if let Ok(canonical) = fs::canonicalize(existing) {
            return missing
                .iter()
                .rev()
                .fold(canonical, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// One file per record in a folder. Files are staged in a hidden folder inside it and
/// moved into place by `commit`, so a failed run adds nothing to the folder; a file
/// already there is replaced only with `force`, and never when it is an input.
pub struct OutDir {
    root: PathBuf,
    staging: TempDir,
    used: HashSet<PathBuf>,
    staged: Vec<PathBuf>,
    force: bool,
    /// The input files named on the command line: never replaced.
    inputs: HashSet<FileId>,
    _registered: Registered,
}

/// The longest file-name component written, in bytes (file systems allow 255).
const MAX_NAME_BYTES: usize = 200;

/// How many files in the way an `--out-dir` error names.
const FILES_NAMED: usize = 5;

impl OutDir {
    /// A folder of output; `force` lets files already there be replaced; `inputs` are
    /// the command line's inputs (see [`check_out_dir`]; files among them are never
    /// replaced).
    pub fn create(root: &Path, force: bool, inputs: &[PathBuf]) -> anyhow::Result<OutDir> {
        check_out_dir(root, inputs)?;
        fs::create_dir_all(root).with_context(|| format!("cannot create {}", root.display()))?;
        let mut registry = temporary();
        let staging = tempfile::Builder::new()
            .prefix(".recast-staging-")
            .tempdir_in(root)
            .with_context(|| format!("cannot create a folder in {}", root.display()))?;
        let registered = registry.register(staging.path().to_owned());
        drop(registry);
        Ok(OutDir {
            root: root.to_owned(),
            staging,
            used: HashSet::new(),
            staged: Vec::new(),
            force,
            inputs: inputs.iter().filter_map(|path| FileId::of(path)).collect(),
            _registered: registered,
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

    /// Reserves an exact relative path (such as `_index.md`) and creates the file, empty,
    /// in the staging folder (under the registry's lock, so that nothing is created in
    /// it once an interrupted run has removed it: writing the returned path then fails).
    pub fn reserve_exact(&mut self, relative: PathBuf) -> anyhow::Result<PathBuf> {
        let staged = self.staging.path().join(&relative);
        let registry = temporary();
        if let Some(parent) = staged.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::File::create(&staged).with_context(|| format!("cannot write {}", staged.display()))?;
        drop(registry);
        self.used.insert(relative.clone());
        self.staged.push(relative);
        Ok(staged)
    }

    /// Moves every staged file into place; returns how many were written. Before the
    /// first is moved, every target is checked: an input file in the way is a usage
    /// error, other files in the way need `force`; then nothing is written.
    pub fn commit(self) -> anyhow::Result<usize> {
        let mut in_the_way = Vec::new();
        let mut targets = Vec::with_capacity(self.staged.len());
        for relative in &self.staged {
            let target = self.root.join(relative);
            if fs::symlink_metadata(&target).is_err() {
                targets.push(target);
                continue;
            }
            if FileId::of(&target).is_some_and(|id| self.inputs.contains(&id)) {
                return Err(usage(format!(
                    "--out-dir {}: {} would replace the input file {}: recast never \
                     overwrites its inputs with an output (to rewrite the input files \
                     themselves, use `recast migrate … --in-place`); nothing was written",
                    self.root.display(),
                    relative.display(),
                    target.display()
                )));
            }
            if !self.force {
                in_the_way.push(target);
                continue;
            }
            // As `-o` does: a link's target is replaced, the link stays.
            let target = resolve_target(&target)?;
            if fs::metadata(&target).is_ok_and(|meta| !meta.is_file()) {
                bail!(
                    "cannot replace {}: not a regular file; nothing was written",
                    target.display()
                );
            }
            targets.push(target);
        }
        if !in_the_way.is_empty() {
            let mut names: Vec<String> = in_the_way
                .iter()
                .take(FILES_NAMED)
                .map(|path| path.display().to_string())
                .collect();
            if in_the_way.len() > FILES_NAMED {
                names.push(format!("and {} more", in_the_way.len() - FILES_NAMED));
            }
            bail!(
                "--out-dir {}: {} file(s) already exist and would be replaced: {}; nothing \
                 was written (give --force to replace them, or choose another folder)",
                self.root.display(),
                in_the_way.len(),
                names.join(", ")
            );
        }
        // Under the registry's lock: an interrupted run waits for the last move, so the
        // folder gets all of its files or none.
        let _registry = temporary();
        for (relative, target) in self.staged.iter().zip(&targets) {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::rename(self.staging.path().join(relative), target)
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

/// Set when a write to standard output found its reader gone (`recast … | head -1`).
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// True when standard output's reader went away: the run ends quietly, as jq does.
pub fn stdout_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// Standard output, buffered; records are written as they come.
pub fn stdout() -> Box<dyn Write> {
    Box::new(BufWriter::with_capacity(256 << 10, Stdout(io::stdout())))
}

/// Standard output, noting a broken pipe (see [`stdout_closed`]).
struct Stdout(io::Stdout);

impl Stdout {
    fn note<T>(result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result
            && error.kind() == io::ErrorKind::BrokenPipe
        {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
        result
    }
}

impl Write for Stdout {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        Stdout::note(self.0.write(bytes))
    }

    fn flush(&mut self) -> io::Result<()> {
        Stdout::note(self.0.flush())
    }
}

/// Syncs the file systems that hold `files` to disk, one `syncfs` each (Linux): for
/// thousands of small files that is one wait on the disk instead of one per file. Files
/// are told apart by folder (a folder's files share its file system), so 20,000 files
/// in one folder cost one `stat`. Returns false where `syncfs` is not available or
/// fails, and the caller syncs file by file.
pub fn sync_file_systems<'a>(files: impl IntoIterator<Item = &'a Path>) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::io::AsRawFd;
        let mut folders = HashSet::new();
        let mut devices = HashSet::new();
        for file in files {
            let folder = match file.parent() {
                Some(folder) if !folder.as_os_str().is_empty() => folder,
                _ => Path::new("."),
            };
            if !folders.insert(folder) {
                continue;
            }
            let Ok(metadata) = fs::metadata(folder) else {
                return false;
            };
            if !devices.insert(metadata.dev()) {
                continue;
            }
            let Ok(opened) = fs::File::open(folder) else {
                return false;
            };
            // SAFETY: `syncfs` takes any open descriptor and touches no memory of ours.
            if unsafe { libc::syncfs(opened.as_raw_fd()) } != 0 {
                return false;
            }
        }
        true
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = files.into_iter();
        false
    }
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

    #[cfg(unix)]
    #[test]
    fn links_resolve_to_their_last_target_relative_to_their_own_folder() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("a/b")).unwrap();
        fs::write(root.join("a/b/real.json"), "x").unwrap();
        symlink("b/real.json", root.join("a/link.json")).unwrap();
        symlink("a/link.json", root.join("top.json")).unwrap();
        symlink("missing/new.json", root.join("dangling.json")).unwrap();
        symlink("loop2", root.join("loop1")).unwrap();
        symlink("loop1", root.join("loop2")).unwrap();
        let resolved = resolve_target(&root.join("top.json")).unwrap();
        assert_eq!(resolved, root.join("a/b/real.json"));
        let plain = root.join("a/b/real.json");
        assert_eq!(resolve_target(&plain).unwrap(), plain);
        let dangling = resolve_target(&root.join("dangling.json")).unwrap();
        assert_eq!(dangling, root.join("missing/new.json"));
        let looping = resolve_target(&root.join("loop1")).unwrap_err();
        assert!(looping.to_string().contains("too many levels"), "{looping}");
        // The kernel's names of open files are not followed.
        assert_eq!(
            resolve_target(Path::new("/dev/stdout")).unwrap(),
            Path::new("/proc/self/fd/1")
        );
    }

    #[test]
    fn an_out_dir_may_not_overlap_an_input_folder() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::create_dir(&input).unwrap();
        let inputs = [input.clone()];
        for (out, refused) in [
            (input.clone(), true),
            (input.join("new/deeper"), true),
            (dir.path().to_path_buf(), true),
            (input.join("../in/x"), true),
            (dir.path().join("out"), false),
            (dir.path().join("in2"), false),
        ] {
            let result = check_out_dir(&out, &inputs);
            assert_eq!(result.is_err(), refused, "{}", out.display());
        }
    }

    #[test]
    fn collisions_are_numbered_and_nothing_lands_before_commit() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutDir::create(dir.path(), false, &[]).unwrap();
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

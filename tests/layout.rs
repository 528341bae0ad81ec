//! The workspace's shape, checked: no source file imports a module that imports it back
//! (issue 12: shared helpers go in a module of their own that both use), and the
//! command line stays flags and glue over the library.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::root;

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The file of module path `parts` below `src` (`format::sniff` → `src/format.rs` or
/// `src/format/sniff.rs`), the longest prefix that is a file.
fn module_file(src: &Path, parts: &[&str]) -> Option<PathBuf> {
    (1..=parts.len()).rev().find_map(|n| {
        let base = parts[..n]
            .iter()
            .fold(src.to_path_buf(), |p, part| p.join(part));
        [base.with_extension("rs"), base.join("mod.rs")]
            .into_iter()
            .find(|candidate| candidate.is_file())
    })
}

/// The module paths a file names through `crate::` (in `use` lines and in code), and
/// its siblings named through `super::`; comments are left out (doc links are no import).
fn imports(file: &Path, src: &Path) -> BTreeSet<PathBuf> {
    let text = fs::read_to_string(file).expect("a source file");
    let mut found = BTreeSet::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for (prefix, base) in [
            ("crate::", src.to_path_buf()),
            ("super::", file.parent().expect("a folder").to_path_buf()),
        ] {
            for (at, _) in line.match_indices(prefix) {
                let rest = &line[at + prefix.len()..];
                // `use crate::{a, b::c}` names several modules.
                let paths: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => group.split('}').next().unwrap_or("").split(',').collect(),
                    None => vec![rest],
                };
                for path in paths {
                    let parts: Vec<&str> = path
                        .trim()
                        .split("::")
                        .map_while(|part| {
                            let name: String = part
                                .chars()
                                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                                .collect();
                            let is_module = !name.is_empty()
                                && name.chars().all(|c| {
                                    c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()
                                });
                            (is_module && name == part.trim()).then_some(part.trim())
                        })
                        .collect();
                    if let Some(target) = module_file(&base, &parts)
                        && target != file
                    {
                        found.insert(target);
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_source_file_imports_a_module_that_imports_it_back() {
    let root = root();
    let mut sources = vec![root.join("src")];
    for entry in fs::read_dir(root.join("crates")).expect("crates/") {
        let src = entry.expect("a crate").path().join("src");
        if src.is_dir() {
            sources.push(src);
        }
    }
    let mut cycles = Vec::new();
    let mut files_seen = 0;
    for src in &sources {
        let graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = rust_files(src)
            .into_iter()
            .map(|file| {
                let found = imports(&file, src);
                (file, found)
            })
            .collect();
        files_seen += graph.len();
        for (file, targets) in &graph {
            for target in targets {
                if file < target && graph.get(target).is_some_and(|back| back.contains(file)) {
                    cycles.push(format!("{} <-> {}", file.display(), target.display()));
                }
            }
        }
    }
    assert!(files_seen > 50, "only {files_seen} source files found");
    assert!(
        cycles.is_empty(),
        "files importing each other:\n{}",
        cycles.join("\n")
    );
}

/// The check above finds a cycle when there is one.
#[test]
fn the_cycle_check_sees_mutual_imports() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    fs::write(dir.path().join("a.rs"), "use crate::b::helper;\n").unwrap();
    fs::write(
        dir.path().join("b.rs"),
        "fn f() { crate::a::thing(); }\n// crate::c in a comment\n",
    )
    .unwrap();
    let a = imports(&dir.path().join("a.rs"), dir.path());
    let b = imports(&dir.path().join("b.rs"), dir.path());
    assert_eq!(a, BTreeSet::from([dir.path().join("b.rs")]));
    assert_eq!(b, BTreeSet::from([dir.path().join("a.rs")]));
}

#[test]
fn the_command_line_is_flags_and_glue() {
    let lines: usize = rust_files(&root().join("src"))
        .iter()
        .map(|file| {
            fs::read_to_string(file)
                .expect("a source file")
                .lines()
                .count()
        })
        .sum();
    assert!(
        lines <= 1_200,
        "src/ has {lines} lines; library work belongs in crates/recast"
    );
}

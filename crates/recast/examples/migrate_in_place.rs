//! A migration plan applied in place: every file of a folder is rewritten in its own
//! format, Markdown entry by entry (only the lines an edit touches change), each file
//! replaced atomically once all of them are ready.
//!
//! ```text
//! cargo run -p recast --example migrate_in_place -- plan.yaml content/posts
//! ```
//!
//! Without arguments it copies the repository's `samples/archive` to a temporary
//! folder and migrates the copy with the plan below.

use std::path::{Path, PathBuf};

use recast::{MigrateOptions, Migration, Report};

/// A plan: a YAML list of edits, applied in order to every record.
pub const PLAN: &str = "\
- rename: {from: provider.name, to: source}
- delete: provider
- date: {field: publishedDateTime, format: \"%Y-%m-%d\"}
";

/// Warnings and skipped files on standard error: the library never prints.
struct Stderr;

impl Report for Stderr {
    fn warn(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    fn skipped(&self, error: &dyn std::fmt::Display) {
        eprintln!("error: {error}");
    }
}

/// Applies the plan file `plan` to every file under `folder`, in place. With
/// `dry_run`, nothing is written and [`Migration::diffs`] shows what would change.
pub fn run(plan: &Path, folder: &Path, dry_run: bool) -> anyhow::Result<Migration> {
    let (plan, labels) = recast::migrate::read_plan(plan)?;
    let mut options = MigrateOptions::default();
    options.inputs = vec![folder.to_path_buf()];
    options.plan = plan;
    // Each edit's name in warnings (`plan.yaml edit 2`).
    options.labels = labels;
    options.in_place = true;
    options.dry_run = dry_run;
    recast::migrate(&options, &Stderr)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (plan, folder) = match (args.next(), args.next()) {
        (Some(plan), Some(folder)) => (plan, folder),
        _ => {
            let work = std::env::temp_dir().join("recast-migrate-example");
            let copy = work.join("archive");
            std::fs::create_dir_all(&copy)?;
            let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/archive");
            for entry in std::fs::read_dir(samples)? {
                let entry = entry?;
                std::fs::copy(entry.path(), copy.join(entry.file_name()))?;
            }
            let plan = work.join("plan.yaml");
            std::fs::write(&plan, PLAN)?;
            (plan, copy)
        }
    };
    let migration = run(&plan, &folder, false)?;
    println!("{}: {}", folder.display(), migration.summary);
    Ok(())
}

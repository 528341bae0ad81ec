//! The cookbook runs: each example's `run` on temporary data, its result checked.

use std::fs;
use std::path::Path;

#[allow(dead_code)]
#[path = "../examples/md_folder_to_rss.rs"]
mod md_folder_to_rss;

#[allow(dead_code)]
#[path = "../examples/csv_to_records.rs"]
mod csv_to_records;

#[allow(dead_code)]
#[path = "../examples/migrate_in_place.rs"]
mod migrate_in_place;

fn samples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples"))
}

#[test]
fn a_folder_of_markdown_becomes_an_rss_feed() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    fs::create_dir(&posts).unwrap();
    fs::write(
        posts.join("first.md"),
        "---\ntitle: First\npublishedDateTime: 2024-01-02T10:00:00Z\nwebUrl: https://example.org/first\n---\n\nHello.\n",
    )
    .unwrap();
    fs::write(
        posts.join("second.md"),
        "---\ntitle: Second\npublishedDateTime: 2024-02-03T10:00:00Z\nwebUrl: https://example.org/second\n---\n\nAgain.\n",
    )
    .unwrap();
    let feed = dir.path().join("feed.xml");
    assert_eq!(md_folder_to_rss::run(&posts, &feed).unwrap(), 0);
    let xml = fs::read_to_string(&feed).unwrap();
    assert!(xml.contains("<rss"), "{xml}");
    assert!(xml.contains("<title>Notes</title>"), "{xml}");
    let (second, first) = (xml.find("Second").unwrap(), xml.find("First").unwrap());
    assert!(second < first, "newest first: {xml}");
}

#[test]
fn a_csv_sheet_reads_back_into_records() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("archive.csv");
    fs::copy(samples().join("archive.csv"), &sheet).unwrap();
    let records = csv_to_records::run(&sheet).unwrap();
    assert_eq!(records.len(), 13);
    let first = &records[0];
    assert_eq!(first.fields["title"], "AI revolution in medicine".into());
    let source = recast_model::path::FieldPath::parse("provider.name");
    assert_eq!(
        source.get(&first.fields),
        Some(&"Harvard Medical School".into())
    );
    assert_eq!(first.fields["quality"], recast_model::Value::from(39));
}

#[test]
fn a_plan_is_applied_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("archive");
    fs::create_dir(&folder).unwrap();
    for entry in fs::read_dir(samples().join("archive")).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    let plan = dir.path().join("plan.yaml");
    fs::write(&plan, migrate_in_place::PLAN).unwrap();
    let post = folder.join("2020-11-11-ai-revolution-in-medicine.md");
    let before = fs::read_to_string(&post).unwrap();

    let dry = migrate_in_place::run(&plan, &folder, true).unwrap();
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        before,
        "a dry run writes nothing"
    );
    assert!(!dry.diffs.is_empty());

    let migration = migrate_in_place::run(&plan, &folder, false).unwrap();
    assert_eq!(migration.skipped, 0);
    assert!(
        migration.summary.starts_with("13 changed"),
        "{}",
        migration.summary
    );
    let after = fs::read_to_string(&post).unwrap();
    assert!(after.contains("source: Harvard Medical School"), "{after}");
    assert!(
        after.contains("publishedDateTime: \"2020-11-11\"\n"),
        "{after}"
    );
    assert!(
        !after.lines().any(|line| line.starts_with("provider:")),
        "{after}"
    );
    // Only the edited entries changed: the body and the other fields are as they were.
    assert!(after.contains("title: \"AI revolution in medicine\""));
    assert_eq!(after.lines().last(), before.lines().last());
}

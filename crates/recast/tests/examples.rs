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

/// Two posts as a site generator keeps them.
const POSTS: [(&str, &str); 2] = [
    (
        "first.md",
        "---\ntitle: \"First\"\npublishedDateTime: 2024-01-02T10:00:00Z\nwebUrl: https://example.org/first\nprovider:\n  name: Example Press\n  domain: example.org\n---\n\nHello.\n",
    ),
    (
        "second.md",
        "---\ntitle: \"Second\"\npublishedDateTime: 2024-02-03T10:00:00Z\nwebUrl: https://example.org/second\nprovider:\n  name: Other Press\n---\n\nAgain.\n",
    ),
];

fn write_posts(folder: &Path) {
    fs::create_dir_all(folder).unwrap();
    for (name, text) in POSTS {
        fs::write(folder.join(name), text).unwrap();
    }
}

#[test]
fn a_folder_of_markdown_becomes_an_rss_feed() {
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    write_posts(&posts);
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
    fs::write(
        &sheet,
        "title,provider.name,quality,published,topics:list\n\
         AI revolution in medicine,Harvard Medical School,39,false,AI Ethics; AI\n\
         Robots learn to sort,MIT Technology Review,81,true,Robotics\n",
    )
    .unwrap();
    let records = csv_to_records::run(&sheet).unwrap();
    assert_eq!(records.len(), 2);
    let first = &records[0];
    assert_eq!(first.fields["title"], "AI revolution in medicine".into());
    let source = recast_model::path::FieldPath::parse("provider.name");
    assert_eq!(
        source.get(&first.fields),
        Some(&"Harvard Medical School".into())
    );
    assert_eq!(first.fields["quality"], recast_model::Value::from(39));
    assert_eq!(first.fields["published"], recast_model::Value::Bool(false));
    assert_eq!(first.fields["topics"].as_list().unwrap().len(), 2);
    assert_eq!(records[1].origin.line, 3);
}

#[test]
fn a_plan_is_applied_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("archive");
    write_posts(&folder);
    let plan = dir.path().join("plan.yaml");
    fs::write(&plan, migrate_in_place::PLAN).unwrap();
    let post = folder.join("first.md");
    let before = fs::read_to_string(&post).unwrap();

    let dry = migrate_in_place::run(&plan, &folder, true).unwrap();
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        before,
        "a dry run writes nothing"
    );
    assert_eq!(dry.diffs.len(), 2);

    let migration = migrate_in_place::run(&plan, &folder, false).unwrap();
    assert_eq!(migration.skipped, 0);
    assert!(
        migration.summary.starts_with("2 changed"),
        "{}",
        migration.summary
    );
    // Only the edited entries changed: the title keeps its quotes, the body is as it was.
    assert_eq!(
        fs::read_to_string(&post).unwrap(),
        "---\ntitle: \"First\"\npublishedDateTime: \"2024-01-02\"\nwebUrl: https://example.org/first\nsource: Example Press\n---\n\nHello.\n"
    );
}

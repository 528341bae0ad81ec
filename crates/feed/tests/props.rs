//! Property test: any record (nested maps and lists, any text including characters XML
//! cannot carry, numbers at the edges, strings that look like numbers, booleans or
//! dates) survives RSS and Atom, compared strictly.

use proptest::prelude::*;
use recast_feed::{AtomWriter, FeedReader, FeedWriteOptions, RssWriter};
use recast_model::{Channel, Record, RecordWriter};
use recast_testkit::{Shape, strategy};

/// Records the lossless feeds carry (the shared generator); `publishedDateTime` is the
/// feed's own field.
fn record() -> impl Strategy<Value = Record> {
    strategy::record(Shape::feed())
}

fn round_trip(atom: bool, records: &[Record]) -> Vec<Record> {
    let channel = Channel {
        title: Some("t".into()),
        link: Some("https://x.example/".into()),
        description: Some("d".into()),
        ..Channel::default()
    };
    let mut options = FeedWriteOptions::default();
    options.lossless = true;
    options.channel = channel;
    let mut out = Vec::new();
    {
        let mut writer: Box<dyn RecordWriter + '_> = if atom {
            Box::new(AtomWriter::new(&mut out, options))
        } else {
            Box::new(RssWriter::new(&mut out, options))
        };
        for record in records {
            writer.write_record(record).expect("writes");
        }
        writer.finish().expect("finishes");
    }
    let reader = FeedReader::new(&out[..], None);
    reader.map(|r| r.expect("reads back")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_records_survive_rss_and_atom(records in proptest::collection::vec(record(), 0..4)) {
        for atom in [false, true] {
            let back = round_trip(atom, &records);
            prop_assert_eq!(back.len(), records.len());
            for (b, r) in back.iter().zip(&records) {
                prop_assert!(b == r, "atom={}\n{:?}\n{:?}", atom, r.fields, b.fields);
            }
        }
    }
}

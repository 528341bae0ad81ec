//! RSS, Atom and JSON Feed: any bytes read without a panic or a hang, entities never
//! expanded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recast_feed::{FeedReader, JsonFeedReader};
use recast_fuzz::{quiet_feed_read, read_all};
use recast_model::RecordReader;

fuzz_target!(|data: &[u8]| {
    let reader = FeedReader::with_options(data, None, quiet_feed_read());
    let _ = reader.channel();
    let _ = reader.kind();
    let _ = read_all(reader);
    let reader = JsonFeedReader::with_options(data, None, quiet_feed_read());
    let _ = reader.channel();
    let _ = read_all(reader);
});

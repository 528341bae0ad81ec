//! Property: any record a CSV sheet carries survives an xlsx workbook strictly (the same
//! generator as recast-csv's: no null in a map, since a sheet merges it with a missing
//! field), and any bytes are read without a panic.

use proptest::prelude::*;
use recast_model::{Record, RecordWriter};
use recast_testkit::{Shape, strategy};
use recast_xlsx::{XlsxReader, XlsxWriteOptions, XlsxWriter};

proptest! {
    // A workbook is a zip written and read whole: fewer cases than CSV's.
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn any_records_survive_xlsx(records in prop::collection::vec(strategy::record(Shape::csv()), 1..5)) {
        let mut writer = XlsxWriter::new(Vec::new(), XlsxWriteOptions::default());
        for record in &records {
            writer.write_record(record).expect("writes");
        }
        writer.finish().expect("finishes");
        let workbook = writer.into_inner();
        let back: Vec<Record> = XlsxReader::new(&workbook[..], None)
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &records);
    }

    #[test]
    fn any_bytes_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        for input in [&bytes[..], &zip[..]] {
            for result in XlsxReader::new(input, None) {
                let _ = result;
            }
        }
    }
}

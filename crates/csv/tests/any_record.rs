//! Property: any record without nulls in maps survives CSV and TSV strictly (null and a
//! missing field are the one thing a sheet may merge, so generated maps hold no null).

use proptest::prelude::*;
use recast_csv::{CsvReadOptions, CsvReader, CsvWriteOptions, CsvWriter};
use recast_model::{Record, RecordWriter};
use recast_testkit::{Shape, strategy};

/// Records a sheet carries (the shared generator): a few colliding column names, no null
/// in a map, lookalikes of numbers, booleans, lists and formulas.
fn record() -> impl Strategy<Value = Record> {
    strategy::record(Shape::csv())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_records_survive_csv_and_tsv(records in prop::collection::vec(record(), 1..5), tsv: bool, sanitize: bool) {
        let delimiter = if tsv { b'\t' } else { b',' };
        let mut writer = CsvWriter::new(Vec::new(), {
            let mut options = CsvWriteOptions::default();
            options.delimiter = delimiter;
            options.sanitize = sanitize;
            options
        });
        for record in &records {
            writer.write_record(record).expect("writes");
        }
        writer.finish().expect("finishes");
        let sheet = writer.into_inner();
        let back: Vec<Record> = CsvReader::with_options(&sheet[..], None, {
            let mut options = CsvReadOptions::default();
            options.delimiter = delimiter;
            options.sanitize = sanitize;
            options
        })
            .collect::<Result<_, _>>()
            .map_err(|e| TestCaseError::fail(format!("{e}\n{}", String::from_utf8_lossy(&sheet))))?;
        prop_assert_eq!(&back, &records, "{}", String::from_utf8_lossy(&sheet));
    }

    #[test]
    fn any_bytes_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        for result in CsvReader::new(&bytes[..], None) {
            let _ = result;
        }
    }
}

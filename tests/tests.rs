//! All of this package's integration tests in one binary (as ripgrep does): one link
//! instead of one per file. Each file below is a module; `support` holds their helpers.

mod support;

mod convert;
mod csv;
mod feed;
mod front_matter_dialects;
mod hostile;
mod inspect;
mod jq;
mod jsonfeed;
mod layout;
mod migrate;
mod migrate_values;
mod publishing;
mod real_input_csv;
mod real_input_dates;
mod real_input_feeds;
mod real_input_inplace;
mod real_input_noop;
mod real_input_outputs;
mod roundtrip_props;
mod schema;
mod site_feeds;
mod site_links;
mod sites;
mod spreadsheets;
mod validate;

//! The fast block-YAML reader against the full parser: wherever the fast reader gives
//! an answer, it must be the full parser's (values, key order, positions), and so must
//! the minimal-diff rewriter's cut of a front matter into its entries, and the fast
//! reader's check mode must answer as its build mode.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        recast_yaml::check_against_full_parser(text);
        recast_yaml::check_cut_against_full_parser(text);
        recast_yaml::check_mode_against_build_mode(text);
    }
});

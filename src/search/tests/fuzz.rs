//! Any text typed into the search box gives results or a typed error: never a panic.

use proptest::prelude::*;

use super::*;
use crate::search::ParsedQuery;

/// Text built from the query language's own pieces, so the parser's paths are hit.
fn query_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("helm".to_string()),
        Just("kube-dns".to_string()),
        Just("v0.6".to_string()),
        Just("AND".to_string()),
        Just("OR".to_string()),
        Just("NOT".to_string()),
        Just("-".to_string()),
        Just("+".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\"".to_string()),
        Just("title:".to_string()),
        Just("status:".to_string()),
        Just("date:".to_string()),
        Just("after:".to_string()),
        Just("2018-01".to_string()),
        Just("..".to_string()),
        Just("the".to_string()),
        Just(" ".to_string()),
        "[a-z:<>=é\u{201c}]{0,4}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parsing_never_panics(q in query_text()) {
        if let Err(e) = ParsedQuery::parse(&q) {
            prop_assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(q in "\\PC{0,60}") {
        let _ = ParsedQuery::parse(&q);
    }
}

#[test]
fn searching_never_panics() {
    let (_d, idx) = fixture();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(200));
    runner
        .run(&query_text(), |q| {
            let req = SearchRequest::new(q);
            let _ = idx.search_incidents(&req);
            let _ = idx.search_actions(&req);
            Ok(())
        })
        .unwrap();
}

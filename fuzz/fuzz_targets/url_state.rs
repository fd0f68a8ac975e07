//! The viewer's URL-state reader: `ViewState::from_query_string` on any
//! query string (a hand-edited, truncated or hostile link). Never a panic
//! or a hang; what it reads writes back (`to_query_string`) to a link that
//! reads without problems and writes the same link again, so a shared link
//! is stable however odd the one it came from.
#![no_main]

use libfuzzer_sys::fuzz_target;
use neo_usage_web::url_state::{describe_problems, ViewState};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = ViewState::from_query_string(&text);
    let _ = describe_problems(&parsed.problems);
    let _ = (parsed.state.page_size(), parsed.state.offset());
    let written = parsed.state.to_query_string();
    let again = ViewState::from_query_string(&written);
    assert!(
        again.problems.is_empty(),
        "{text:?} wrote {written:?}, which reads with problems: {:?}",
        again.problems
    );
    assert_eq!(
        again.state.to_query_string(),
        written,
        "{text:?} is not written back stably"
    );
});

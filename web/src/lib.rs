//! The viewer's pure logic, as a library: URL state, date ranges,
//! formatting, export and the table's rows as HTML. It builds natively (tests, and the `url_state`
//! fuzz target in `fuzz/`) as well as for wasm32, where the viewer's bin
//! (`main.rs`, the Leptos app Trunk builds) uses it.

pub mod export;
pub mod format;
pub mod range;
pub mod table_rows;
pub mod url_state;

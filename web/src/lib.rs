//! The viewer's pure logic, as a library: URL state, date ranges,
//! formatting, export, the table's rows as HTML and the cost chart's SVG. It builds natively (tests, and the `url_state`
//! fuzz target in `fuzz/`) as well as for wasm32, where the viewer's bin
//! (`main.rs`, the Leptos app Trunk builds) uses it.

pub mod export;
pub mod format;
pub mod range;
pub mod svg_markup;
pub mod table_rows;
pub mod url_state;

//! The viewer's components, one per file. Each reads the shared
//! [`crate::app::AppState`] signals from context, or takes signals as props.

pub mod charts;
pub mod connect_form;
pub mod detail_panel;
pub mod error_banner;
pub mod export_buttons;
pub mod filter_bar;
pub mod header;
pub mod import_panel;
pub mod kpi_tiles;
pub mod load_all;
pub mod pagination;
pub mod server_summary;
pub mod status_badge;
pub mod tool_timeline;
pub mod usage_table;

//! Money and credit amounts as exact integers: the core's
//! [`neo_usage::money`], re-exported so the server and the viewer share one
//! definition.

pub use neo_usage::money::*;

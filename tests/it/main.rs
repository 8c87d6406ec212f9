//! The one integration-test binary: every module is a feature area tested at its
//! public boundary.

mod check_files;
mod cli;
mod properties;
mod questions;
mod support;

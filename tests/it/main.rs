//! The one integration-test binary: every module is a feature area tested at its
//! public boundary.
#![recursion_limit = "256"]

mod check_files;
mod cli;
mod discord;
mod discord_limits;
mod fake_discord;
mod openapi;
mod properties;
mod questions;
mod support;

//! The one integration-test binary: every module is a feature area tested at its
//! public boundary.
#![recursion_limit = "256"]

mod attack;
mod check_files;
mod cli;
mod counting_alloc;
mod discord;
mod discord_limits;
mod fake_discord;
mod hostile;
mod openapi;
mod properties;
mod questions;
mod snapshots;
mod sources;
mod support;
mod terms_cache;

#[global_allocator]
static ALLOCATOR: counting_alloc::Counting = counting_alloc::Counting;

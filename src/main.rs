//! normbook: command-line entry point.
mod config;
mod content;
mod error;
fn main() {}

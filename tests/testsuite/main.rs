//! normbook's integration tests: one binary, as mdBook does (tests/testsuite/main.rs).

mod architecture;
mod browser;
mod build;
mod cli;
mod common;
mod corpus;
mod errors;
mod handbook;
mod serve;
mod survey_pages;

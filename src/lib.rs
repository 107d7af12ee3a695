//! normbook: a static-site generator for reference-and-guidance handbooks with
//! printable, fillable questionnaires. The pipeline is in `build`; `main.rs` is the CLI.

pub mod build;
pub mod config;
pub mod content;
pub mod error;
pub mod hash;
pub mod html;
pub mod init;
pub mod links;
pub mod output;
pub mod progress;
pub mod render;
pub mod search;
pub mod serve;
pub mod survey;

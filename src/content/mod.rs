//! Content: the documents of `content/*.md`, as addressable paragraphs, and the library
//! that indexes every paragraph id (`gge-2021:71-g`) for cross-references.
//!
//! Steps: `load` reads and parses each file (front matter, then the paragraph model,
//! `paragraph`); `checks` checks each document on its own (numbering, sub-items,
//! footnotes); `Library::new` (`library`) indexes all documents and checks what spans
//! documents (duplicate ids and symbols, reference scopes); `xref` finds and resolves
//! the references in running text. Nothing here knows of HTML: `render` places and
//! escapes what the library names.

mod checks;
mod document;
pub mod front_matter;
mod library;
mod load;
pub mod paragraph;
pub mod refscan;
pub mod xref;

#[cfg(test)]
pub(crate) mod proptests;

pub use document::{footnote_marks, node_label, texts, write_label, Document, CONTENT_DIR};
pub use library::{Library, Target, TargetId};
pub use load::{load, markdown_files, parse_document, read_all, read_text};

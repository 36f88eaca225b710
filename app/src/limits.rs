//! Sizes the portal accepts.

/// Largest Markdown body of a document.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

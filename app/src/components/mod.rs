//! Building blocks in the NHS.UK design system's markup.

pub mod layout;
pub mod toc;
pub mod ui;

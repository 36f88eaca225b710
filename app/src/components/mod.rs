//! Building blocks in the NHS.UK design system's markup.

pub mod form;
pub mod layout;
pub mod loading;
pub mod toc;
pub mod ui;

/// Escapes text for HTML, for the few places where a library writes strings unescaped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

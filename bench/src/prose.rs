//! English text that nobody here wrote: the documentation Debian packages install under
//! `/usr/share/doc` (READMEs, NEWS files, changelogs, manuals, much of it gzipped), cut into
//! sentences and headings that read as prose. Code, paths, addresses and licence shouting are
//! left out; what is left is the raw material of the corpus.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Files larger than this (after decompression) are read only up to it.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Sentences taken from one file at most, so that a few huge manuals do not make up the corpus.
const MAX_PER_FILE: usize = 600;
/// Sentences taken from one licence file at most: licences repeat across packages.
const MAX_PER_LICENCE: usize = 40;
/// Words a sentence may have.
const SENTENCE_WORDS: std::ops::RangeInclusive<usize> = 6..=45;
/// Words a heading may have.
const HEADING_WORDS: std::ops::RangeInclusive<usize> = 1..=7;
/// Endings of files that hold no prose.
const SKIPPED_ENDINGS: [&str; 24] = [
    ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".css", ".js", ".pdf", ".ps", ".dvi", ".tar",
    ".zip", ".xz", ".bz2", ".woff", ".ttf", ".json", ".xml", ".py", ".pl", ".sh", ".c", ".h",
];
/// Little words that every English sentence has some of.
const FUNCTION_WORDS: [&str; 24] = [
    "the", "a", "an", "and", "or", "of", "to", "in", "is", "are", "for", "with", "this", "that",
    "it", "be", "on", "by", "as", "can", "not", "you", "will", "if",
];

/// Sentences and headings harvested from a documentation tree.
#[derive(Debug, Default)]
pub struct Prose {
    /// Whole sentences, each starting with a capital and ending with a full stop.
    pub sentences: Vec<String>,
    /// Short capitalised lines that were section headings.
    pub headings: Vec<String>,
    /// Files read.
    pub files: usize,
    /// Bytes of text read (after decompression).
    pub bytes: u64,
}

impl Prose {
    /// Words in all the sentences.
    pub fn words(&self) -> usize {
        self.sentences
            .iter()
            .map(|s| s.split_whitespace().count())
            .sum()
    }
}

/// Reads every text file under `root` (gzipped ones too), in path order, and keeps the
/// sentences and headings that look like English prose, each once.
pub fn harvest(root: &Path) -> std::io::Result<Prose> {
    let mut files = Vec::new();
    walk(root, &mut files)?;
    files.sort();
    let mut prose = Prose::default();
    let mut seen = HashSet::new();
    for path in files {
        let Some(text) = read_text(&path) else {
            continue;
        };
        prose.files += 1;
        prose.bytes += text.len() as u64;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let limit = if name.starts_with("copyright") || name.contains("LICENSE") {
            MAX_PER_LICENCE
        } else {
            MAX_PER_FILE
        };
        let text = if name.contains(".htm") {
            strip_html(&text)
        } else {
            text
        };
        let mut taken = 0;
        for block in blocks(&text) {
            if let Some(h) = heading(&block) {
                if seen.insert(h.to_lowercase()) {
                    prose.headings.push(h);
                }
                continue;
            }
            for s in sentences(&block) {
                if taken < limit && english(&s) && seen.insert(s.to_lowercase()) {
                    prose.sentences.push(s);
                    taken += 1;
                }
            }
        }
    }
    Ok(prose)
}

/// Every regular file below `dir`; symbolic links are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            // A folder that cannot be read is passed over, like an unreadable file.
            let _ = walk(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// The text of a file, gunzipped when its name ends in `.gz`; `None` for files that are not
/// text (by name, or because they hold a NUL byte).
fn read_text(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let (inner, gz) = match name.strip_suffix(".gz") {
        Some(inner) => (inner.to_owned(), true),
        None => (name.clone(), false),
    };
    if SKIPPED_ENDINGS.iter().any(|e| inner.ends_with(e)) {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    if gz {
        flate2::read::GzDecoder::new(file)
            .take(MAX_FILE_BYTES)
            .read_to_end(&mut bytes)
            .ok()?;
    } else {
        file.take(MAX_FILE_BYTES).read_to_end(&mut bytes).ok()?;
    }
    if bytes.contains(&0) {
        return None;
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// HTML with scripts, styles and tags taken out and the common entities decoded.
fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let lower: String = after.chars().take(8).collect::<String>().to_lowercase();
        let skip_to = if lower.starts_with("<script") {
            after.find("</script>").map(|i| i + 9)
        } else if lower.starts_with("<style") {
            after.find("</style>").map(|i| i + 8)
        } else {
            after.find('>').map(|i| i + 1)
        };
        let Some(end) = skip_to else {
            rest = "";
            break;
        };
        // Block-level tags separate paragraphs.
        if lower.starts_with("<p")
            || lower.starts_with("</p")
            || lower.starts_with("<h")
            || lower.starts_with("</h")
            || lower.starts_with("<li")
            || lower.starts_with("<br")
            || lower.starts_with("<div")
            || lower.starts_with("<pre")
            || lower.starts_with("</pre")
        {
            out.push_str("\n\n");
        } else {
            out.push(' ');
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Paragraphs and list items: text between blank lines, a new block at each list marker, with
/// the lines of a block joined and markup characters at their starts removed.
fn blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, out: &mut Vec<String>| {
        let block = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !block.is_empty() {
            out.push(block);
        }
        current.clear();
    };
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            flush(&mut current, &mut out);
            continue;
        }
        // An underline (=== or ---) makes the line above a heading of its own.
        let underline =
            |l: &str| l.len() >= 3 && (l.chars().all(|c| c == '=') || l.chars().all(|c| c == '-'));
        if underline(trimmed) {
            flush(&mut current, &mut out);
            continue;
        }
        if lines.get(i + 1).is_some_and(|next| underline(next.trim())) {
            flush(&mut current, &mut out);
            current.push_str(&format!("#{trimmed}"));
            flush(&mut current, &mut out);
            continue;
        }
        let (item, content) = strip_marker(trimmed);
        if item || trimmed.starts_with('#') {
            flush(&mut current, &mut out);
        }
        current.push(' ');
        current.push_str(content);
        if trimmed.starts_with('#') {
            flush(&mut current, &mut out);
        }
    }
    flush(&mut current, &mut out);
    out
}

/// A line without its list marker or quote mark, and whether it had a list marker.
fn strip_marker(line: &str) -> (bool, &str) {
    let line = line.trim_start_matches('>').trim_start();
    for marker in ["* ", "- ", "+ ", "o ", "• "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (true, rest);
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 3 {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (true, rest);
        }
    }
    (false, line)
}

/// A block that is a section heading (`# Title`, or a line that was underlined), cleaned.
fn heading(block: &str) -> Option<String> {
    let text = block.strip_prefix('#')?;
    let text = text.trim_start_matches('#').trim().trim_end_matches(':');
    let words: Vec<&str> = text.split_whitespace().collect();
    let ok = HEADING_WORDS.contains(&words.len())
        && text.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_alphabetic() || c == '-'));
    ok.then(|| words.join(" "))
}

/// The sentences of a block: ends at `.`, `?` or `!` followed by a space and a capital.
fn sentences(block: &str) -> Vec<String> {
    let chars: Vec<char> = block.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let end = matches!(chars[i], '.' | '?' | '!')
            && (i + 1 == chars.len()
                || (chars[i + 1] == ' '
                    && chars.get(i + 2).is_some_and(|c| c.is_ascii_uppercase())));
        if end {
            let s: String = chars[start..=i].iter().collect();
            out.push(s.trim().to_owned());
            start = i + 1;
        }
    }
    out
}

/// Whether a sentence reads as English prose: a sensible length, a capital at the start, only
/// letters, digits and ordinary punctuation, mostly plain words, some little words, and not
/// shouted.
fn english(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if !SENTENCE_WORDS.contains(&words.len())
        || !s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        || !s.ends_with(['.', '?', '!'])
        || s.ends_with("..")
        || !s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ,.;:'\"()-!?".contains(c))
    {
        return false;
    }
    let bare: Vec<&str> = words
        .iter()
        .map(|w| w.trim_matches(|c: char| ",.;:'\"()!?".contains(c)))
        .collect();
    let plain = bare
        .iter()
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic() || c == '-'))
        .count();
    let shouted = bare
        .iter()
        .filter(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()))
        .count();
    let little = bare
        .iter()
        .filter(|w| FUNCTION_WORDS.contains(&w.to_ascii_lowercase().as_str()))
        .count();
    plain * 100 >= words.len() * 85 && shouted * 100 <= words.len() * 20 && little >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_kept_and_code_is_not() {
        assert!(english(
            "This package provides the shared library needed to run the programs."
        ));
        assert!(!english(
            "Run ./configure --prefix=/usr && make install now."
        ));
        assert!(!english(
            "THE SOFTWARE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND."
        ));
        assert!(!english("Too short to count."));
        assert!(!english(
            "See https://example.org for the details of this release."
        ));
    }

    #[test]
    fn blocks_split_at_blank_lines_and_list_items() {
        let text = "Installation\n============\n\nThe program is\ninstalled by the package.\n\n * First item of the list here.\n * Second item of the list here.\n";
        let b = blocks(text);
        assert_eq!(b[0], "#Installation");
        assert_eq!(b[1], "The program is installed by the package.");
        assert_eq!(b.len(), 4);
        assert_eq!(heading(&b[0]).as_deref(), Some("Installation"));
    }

    #[test]
    fn sentences_end_at_a_stop_before_a_capital() {
        let s = sentences("It works well. It is fast, e.g. when busy. Done");
        assert_eq!(s, vec!["It works well.", "It is fast, e.g. when busy."]);
    }

    #[test]
    fn html_keeps_the_text_between_tags() {
        let t = strip_html("<p>Hello <b>there</b> &amp; welcome.</p><script>x()</script>End");
        assert!(t.contains("Hello  there  & welcome."));
        assert!(!t.contains("x()"));
        assert!(t.contains("End"));
    }
}

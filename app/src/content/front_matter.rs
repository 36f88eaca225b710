//! Splitting a Markdown file into its YAML front matter and body, keeping line numbers.

/// The parts of a file with front matter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// The file line on which the YAML starts (1-based).
    pub yaml_first_line: usize,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// The file line on which the body starts.
    pub body_first_line: usize,
}

impl FrontMatter<'_> {
    /// The file line of a top-level field, for error messages.
    pub fn line_of(&self, field: &str) -> Option<usize> {
        self.yaml.lines().enumerate().find_map(|(i, line)| {
            let rest = line.strip_prefix(field)?;
            rest.trim_start()
                .starts_with(':')
                .then_some(i + self.yaml_first_line)
        })
    }
}

/// Splits `text`; the error is a line number and a message.
pub fn split_front_matter(text: &str) -> Result<FrontMatter<'_>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    if first.trim_end() != "---" {
        return Err((
            1,
            "the file must start with a line `---` opening the YAML front matter".into(),
        ));
    }
    let yaml_start = first.len() + line_ending_len(&text[first.len()..]);
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim_end() == "---" {
            let body_start = offset + line.len();
            return Ok(FrontMatter {
                yaml: &text[yaml_start..offset],
                yaml_first_line: 2,
                body: &text[body_start..],
                body_first_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "the front matter opened on line 1 is never closed with a line `---`".into(),
    ))
}

fn line_ending_len(rest: &str) -> usize {
    if rest.starts_with("\r\n") {
        2
    } else if rest.starts_with('\n') {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_line_numbers() {
        let fm = split_front_matter("---\ntitle: A\nnation: x\n---\n# Body\n").unwrap();
        assert_eq!(fm.yaml, "title: A\nnation: x\n");
        assert_eq!(fm.body, "# Body\n");
        assert_eq!(fm.line_of("nation"), Some(3));
        assert_eq!(fm.line_of("missing"), None);
        assert_eq!(fm.body_first_line, 5);
    }

    #[test]
    fn reports_missing_delimiters() {
        assert_eq!(split_front_matter("title: A\n").unwrap_err().0, 1);
        assert!(split_front_matter("---\ntitle: A\n")
            .unwrap_err()
            .1
            .contains("never closed"));
    }

    #[test]
    fn accepts_windows_line_endings() {
        let fm = split_front_matter("---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(fm.yaml, "title: A\r\n");
        assert_eq!(fm.body, "Body\r\n");
    }
}

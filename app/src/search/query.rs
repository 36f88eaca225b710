//! The search language, read leniently: any text is a search, never an error or a panic.
//!
//! - words: all must match (`smart card rollout`);
//! - `"exact phrases"` (an unclosed quote runs to the end);
//! - `-excluded` words and `-"phrases"`;
//! - `name:value` filters for the names the engine knows (`org:`, `kind:`, `tag:`, `nation:`,
//!   `year:`, `drafts:`, and the kinds' own such as `phase:`), values quoted when they have spaces.
//!
//! Anything else is a word; punctuation in words is dropped when the engine splits them (`*`,
//! `(`, a lone `-` or `:` search for nothing). Queries longer than [`MAX_QUERY_CHARS`] are cut,
//! and at most [`MAX_TERMS`] words and phrases are used; both say so in a notice.

use super::model::MAX_QUERY_CHARS;

/// Words and phrases used from one query; the rest are dropped with a notice.
pub const MAX_TERMS: usize = 32;

/// A word or a phrase, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Phrase(String),
}

/// A query as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Words and phrases that must all match, in the order typed.
    pub terms: Vec<Term>,
    /// Words and phrases that must not match.
    pub excluded: Vec<Term>,
    /// `name:value` filters, names lower-cased, in the order typed.
    pub filters: Vec<(String, String)>,
    /// The last thing typed is a word with nothing after it: it may be unfinished, so it also
    /// matches as the start of a longer word.
    pub open_ended: bool,
    /// What was cut or ignored, to tell the person searching.
    pub notices: Vec<String>,
}

/// Reads `input`; `filter_names` are the `name:` prefixes that filter (lower case).
pub fn parse(input: &str, filter_names: &[&str]) -> Parsed {
    let mut parsed = Parsed::default();
    let text: String = if input.chars().count() > MAX_QUERY_CHARS {
        parsed.notices.push(format!(
            "Your search was longer than {MAX_QUERY_CHARS} characters, so only its first {MAX_QUERY_CHARS} were used."
        ));
        input.chars().take(MAX_QUERY_CHARS).collect()
    } else {
        input.to_owned()
    };
    let c: Vec<char> = text.chars().collect();
    let space = |ch: char| ch.is_whitespace() || ch.is_control();
    let mut dropped = false;
    let mut i = 0;
    let mut last_was_open_word = false;
    while i < c.len() {
        if space(c[i]) {
            i += 1;
            continue;
        }
        let negate = c[i] == '-' && c.get(i + 1).is_some_and(|&n| !space(n));
        if negate {
            i += 1;
        }
        let term = if c[i] == '"' {
            let end = (i + 1..c.len()).find(|&k| c[k] == '"').unwrap_or(c.len());
            let phrase: String = c[i + 1..end].iter().collect();
            i = (end + 1).min(c.len());
            last_was_open_word = false;
            Term::Phrase(phrase)
        } else {
            let end = (i..c.len())
                .find(|&k| space(c[k]) || c[k] == '"')
                .unwrap_or(c.len());
            let word: String = c[i..end].iter().collect();
            i = end;
            if let Some((name, value)) = word.split_once(':') {
                let name = name.to_lowercase();
                if !negate && filter_names.contains(&name.as_str()) {
                    let value = if value.is_empty() && c.get(i) == Some(&'"') {
                        let end = (i + 1..c.len()).find(|&k| c[k] == '"').unwrap_or(c.len());
                        let quoted: String = c[i + 1..end].iter().collect();
                        i = (end + 1).min(c.len());
                        quoted
                    } else {
                        value.to_owned()
                    };
                    let value = value.trim().to_owned();
                    if value.is_empty() {
                        parsed.notices.push(format!(
                            "“{name}:” needs a value after the colon, like {}, so it was ignored.",
                            example(&name)
                        ));
                    } else {
                        parsed.filters.push((name, value));
                    }
                    last_was_open_word = false;
                    continue;
                }
            }
            last_was_open_word = !negate;
            Term::Word(word)
        };
        if parsed.terms.len() + parsed.excluded.len() >= MAX_TERMS {
            dropped = true;
            continue;
        }
        if negate {
            parsed.excluded.push(term);
        } else {
            parsed.terms.push(term);
        }
    }
    if dropped {
        parsed.notices.push(format!(
            "Only the first {MAX_TERMS} words and phrases of your search were used."
        ));
    }
    parsed.open_ended =
        last_was_open_word && !dropped && text.chars().last().is_some_and(|ch| !space(ch));
    parsed
}

fn example(name: &str) -> &'static str {
    match name {
        "org" => "org:nhs-fife",
        "kind" => "kind:plan",
        "tag" => "tag:smart-cards",
        "nation" => "nation:wales",
        "year" => "year:2026",
        "drafts" => "drafts:yes",
        _ => "name:value",
    }
}

impl Parsed {
    /// The query written back as text, for a suggestion built from it.
    pub fn render(&self) -> String {
        fn term(t: &Term) -> String {
            match t {
                Term::Word(w) => w.clone(),
                Term::Phrase(p) => format!("\"{}\"", p.replace('"', "")),
            }
        }
        let mut parts: Vec<String> = self.terms.iter().map(term).collect();
        parts.extend(self.excluded.iter().map(|t| format!("-{}", term(t))));
        parts.extend(self.filters.iter().map(|(n, v)| {
            if v.chars().any(char::is_whitespace) {
                format!("{n}:\"{}\"", v.replace('"', ""))
            } else {
                format!("{n}:{v}")
            }
        }));
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NAMES: &[&str] = &["org", "kind", "tag", "nation", "year", "drafts", "phase"];

    fn words(ws: &[&str]) -> Vec<Term> {
        ws.iter().map(|w| Term::Word((*w).to_owned())).collect()
    }

    #[test]
    fn words_phrases_exclusions_and_filters() {
        let p = parse(
            r#"smart card "fast user switching" -citrix -"green screen" org:nhs-fife Kind:plan"#,
            NAMES,
        );
        assert_eq!(
            p.terms,
            [
                Term::Word("smart".into()),
                Term::Word("card".into()),
                Term::Phrase("fast user switching".into())
            ]
        );
        assert_eq!(
            p.excluded,
            [
                Term::Word("citrix".into()),
                Term::Phrase("green screen".into())
            ]
        );
        assert_eq!(
            p.filters,
            [
                ("org".to_owned(), "nhs-fife".to_owned()),
                ("kind".to_owned(), "plan".to_owned())
            ]
        );
        assert!(!p.open_ended);
        assert!(p.notices.is_empty());
    }

    #[test]
    fn the_last_word_is_open_ended_until_a_space_follows() {
        assert!(parse("smart ca", NAMES).open_ended);
        assert!(!parse("smart ca ", NAMES).open_ended);
        assert!(!parse("smart \"card\"", NAMES).open_ended);
        assert!(!parse("smart -card", NAMES).open_ended);
        assert!(!parse("smart org:fife", NAMES).open_ended);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end() {
        let p = parse(r#"rollout "single sign"#, NAMES);
        assert_eq!(
            p.terms,
            [
                Term::Word("rollout".into()),
                Term::Phrase("single sign".into())
            ]
        );
    }

    #[test]
    fn unknown_names_and_operator_soup_are_words() {
        let p = parse("foo:bar - * : ( ) -- AND OR", NAMES);
        assert_eq!(
            p.terms,
            words(&["foo:bar", "-", "*", ":", "(", ")", "AND", "OR"])
        );
        assert_eq!(p.excluded, words(&["-"]));
        assert!(p.filters.is_empty());
    }

    #[test]
    fn a_filter_without_a_value_is_ignored_with_a_notice() {
        let p = parse("sso org:", NAMES);
        assert!(p.filters.is_empty());
        assert!(p.notices[0].contains("org:nhs-fife"), "{:?}", p.notices);
        let p = parse(r#"org:"NHS Fife" sso"#, NAMES);
        assert_eq!(p.filters, [("org".to_owned(), "NHS Fife".to_owned())]);
        assert_eq!(p.terms, words(&["sso"]));
    }

    #[test]
    fn long_queries_are_cut_with_a_notice() {
        let long = "word ".repeat(200);
        let p = parse(&long, NAMES);
        assert_eq!(p.terms.len(), MAX_TERMS);
        assert_eq!(p.notices.len(), 2, "{:?}", p.notices);
        assert!(p.notices[0].contains("256"));
        let p = parse(&"é".repeat(1000), NAMES);
        assert_eq!(p.terms, [Term::Word("é".repeat(MAX_QUERY_CHARS))]);
    }

    #[test]
    fn rendering_reads_back_the_same() {
        let q = r#"smart "fast user" -citrix org:nhs-fife tag:"a b""#;
        let p = parse(q, NAMES);
        let again = parse(&p.render(), NAMES);
        assert_eq!(again.terms, p.terms);
        assert_eq!(again.excluded, p.excluded);
        assert_eq!(again.filters, p.filters);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Any text at all parses, within the limits, and renders to text that parses to the
        /// same terms (when it fits the limit).
        #[test]
        fn any_text_parses(input in "\\PC{0,400}|[-\"*:() a-z]{0,80}") {
            let p = parse(&input, NAMES);
            prop_assert!(p.terms.len() + p.excluded.len() <= MAX_TERMS);
            let rendered = p.render();
            // Quotes added back can push a cut query over the limit again.
            if rendered.chars().count() <= MAX_QUERY_CHARS {
                let again = parse(&rendered, NAMES);
                prop_assert_eq!(again.terms, p.terms);
                prop_assert_eq!(again.excluded, p.excluded);
                prop_assert_eq!(again.filters, p.filters);
            }
        }
    }
}

//! The fixed query set every engine answers, and each query read the way the baselines need it:
//! the words, phrases and filters the portal's own parser finds in it.

use app::search::query::{self, Term};

/// What a query exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Word,
    /// Words in most documents ("NHS", "patient").
    Common,
    TwoWords,
    ThreeWords,
    Phrase,
    Typo,
    /// An unfinished last word.
    Prefix,
    /// `org:`, `kind:`, `tag:`, `nation:`, `phase:` with or without words.
    Filter,
}

impl Category {
    pub fn label(self) -> &'static str {
        match self {
            Category::Word => "single word",
            Category::Common => "very common word",
            Category::TwoWords => "two words",
            Category::ThreeWords => "three words",
            Category::Phrase => "phrase",
            Category::Typo => "typo",
            Category::Prefix => "prefix",
            Category::Filter => "filter",
        }
    }
}

/// The query set: (category, what is typed).
pub const QUERIES: &[(Category, &str)] = &[
    (Category::Word, "backup"),
    (Category::Word, "firewall"),
    (Category::Word, "kerberos"),
    (Category::Word, "enrolment"),
    (Category::Word, "citrix"),
    (Category::Word, "encryption"),
    (Category::Word, "compiler"),
    (Category::Common, "NHS"),
    (Category::Common, "patient"),
    (Category::Common, "NHS patient"),
    (Category::Common, "software"),
    (Category::Common, "file"),
    (Category::TwoWords, "smart card"),
    (Category::TwoWords, "backup policy"),
    (Category::TwoWords, "user switching"),
    (Category::TwoWords, "network access"),
    (Category::TwoWords, "patient safety"),
    (Category::TwoWords, "error message"),
    (Category::ThreeWords, "fast user switching"),
    (Category::ThreeWords, "smart card enrolment"),
    (Category::ThreeWords, "data protection impact"),
    (Category::ThreeWords, "configuration file format"),
    (Category::ThreeWords, "patient administration system"),
    (Category::Phrase, "\"single sign-on\""),
    (Category::Phrase, "\"smart card\""),
    (Category::Phrase, "\"free software\""),
    (Category::Phrase, "\"patient record\""),
    (Category::Phrase, "\"command line\""),
    (Category::Typo, "pasword"),
    (Category::Typo, "enrolmant"),
    (Category::Typo, "kerberso"),
    (Category::Typo, "configuraton"),
    (Category::Typo, "authentcation"),
    (Category::Typo, "certficate"),
    (Category::Prefix, "authen"),
    (Category::Prefix, "config"),
    (Category::Prefix, "enrol"),
    (Category::Prefix, "smart ca"),
    (Category::Prefix, "pati"),
    (Category::Filter, "backup org:nhs-fife"),
    (Category::Filter, "kind:lesson patient"),
    (Category::Filter, "tag:single-sign-on smart card"),
    (Category::Filter, "nation:wales password"),
    (Category::Filter, "kind:plan rollout"),
    (Category::Filter, "phase:pilot"),
    (Category::Filter, "org:nhs-lothian kind:guide"),
    (Category::Filter, "tag:resilience nation:scotland backup"),
];

/// A filter the baselines apply as a SQL condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filter {
    /// Organisation slug.
    Org(String),
    /// Kind code.
    Kind(String),
    Tag(String),
    /// Nation code.
    Nation(String),
    /// Lesson phase code.
    Phase(String),
}

/// One query as the baselines run it.
#[derive(Clone, Debug)]
pub struct Baseline {
    /// Words, each split into the portal's words (a word with a hyphen is a little phrase).
    pub words: Vec<Vec<String>>,
    /// Quoted phrases, split into words.
    pub phrases: Vec<Vec<String>>,
    /// The last word is matched as a prefix (the prefix category only: the baselines have no
    /// notion of a word still being typed).
    pub prefix: bool,
    pub filters: Vec<Filter>,
}

impl Baseline {
    /// Whether there is any text to match (filters alone list the newest documents).
    pub fn has_text(&self) -> bool {
        !self.words.is_empty() || !self.phrases.is_empty()
    }

    /// The words and phrases as one line of text (for `websearch_to_tsquery`): phrases quoted,
    /// without the prefix word.
    pub fn websearch_text(&self) -> String {
        let mut parts = Vec::new();
        let n = self.words.len();
        for (i, w) in self.words.iter().enumerate() {
            if self.prefix && i + 1 == n {
                continue;
            }
            if w.len() == 1 {
                parts.push(w[0].clone());
            } else {
                parts.push(format!("\"{}\"", w.join(" ")));
            }
        }
        for p in &self.phrases {
            parts.push(format!("\"{}\"", p.join(" ")));
        }
        parts.join(" ")
    }

    /// The prefix word, if the query has one.
    pub fn prefix_word(&self) -> Option<&str> {
        if !self.prefix {
            return None;
        }
        self.words.last().and_then(|w| w.last()).map(String::as_str)
    }

    /// An FTS5 match expression: every word and phrase quoted, the prefix word starred.
    pub fn fts5_match(&self) -> String {
        let mut parts = Vec::new();
        let n = self.words.len();
        for (i, w) in self.words.iter().enumerate() {
            let star = if self.prefix && i + 1 == n { "*" } else { "" };
            parts.push(format!("\"{}\"{star}", w.join(" ")));
        }
        for p in &self.phrases {
            parts.push(format!("\"{}\"", p.join(" ")));
        }
        parts.join(" ")
    }
}

/// Lower-cased runs of letters and digits: how the portal splits text into words.
fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Reads a query of the set with the portal's parser. Fails on a filter the baselines do not
/// know, so that every engine answers the same question.
pub fn baseline(category: Category, q: &str) -> Result<Baseline, String> {
    let parsed = query::parse(q, &["org", "kind", "tag", "nation", "phase"]);
    let mut b = Baseline {
        words: Vec::new(),
        phrases: Vec::new(),
        prefix: category == Category::Prefix,
        filters: Vec::new(),
    };
    for term in &parsed.terms {
        match term {
            Term::Word(w) => {
                let words = split_words(w);
                if !words.is_empty() {
                    b.words.push(words);
                }
            }
            Term::Phrase(p) => {
                let words = split_words(p);
                if !words.is_empty() {
                    b.phrases.push(words);
                }
            }
        }
    }
    if !parsed.excluded.is_empty() {
        return Err(format!("{q:?}: excluded words are not in the benchmark"));
    }
    for (name, value) in parsed.filters {
        b.filters.push(match name.as_str() {
            "org" => Filter::Org(value),
            "kind" => Filter::Kind(value),
            "tag" => Filter::Tag(value),
            "nation" => Filter::Nation(value),
            "phase" => Filter::Phase(value),
            other => return Err(format!("{q:?}: no baseline for the filter {other}:")),
        });
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_of_the_set_has_a_baseline_form() {
        for (category, q) in QUERIES {
            let b = baseline(*category, q).unwrap();
            assert!(b.has_text() || !b.filters.is_empty(), "{q}");
        }
    }

    #[test]
    fn queries_become_match_expressions() {
        let b = baseline(Category::Filter, "tag:single-sign-on smart card").unwrap();
        assert_eq!(b.filters, vec![Filter::Tag("single-sign-on".into())]);
        assert_eq!(b.fts5_match(), "\"smart\" \"card\"");
        assert_eq!(b.websearch_text(), "smart card");

        let b = baseline(Category::Prefix, "smart ca").unwrap();
        assert_eq!(b.fts5_match(), "\"smart\" \"ca\"*");
        assert_eq!(b.websearch_text(), "smart");
        assert_eq!(b.prefix_word(), Some("ca"));

        let b = baseline(Category::Phrase, "\"single sign-on\"").unwrap();
        assert_eq!(b.fts5_match(), "\"single sign on\"");
        assert_eq!(b.websearch_text(), "\"single sign on\"");
    }
}

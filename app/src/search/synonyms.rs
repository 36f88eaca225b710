//! The synonym list (`synonyms.txt`, compiled in): groups of words and phrases that mean the
//! same. A search for one entry of a group also finds documents using another. Entries are
//! compared by their stemmed words, so "smart cards" matches the entry "smart card".

use tantivy::tokenizer::TextAnalyzer;

use super::schema::words;

/// The list shipped with the portal.
pub const SYNONYMS: &str = include_str!("synonyms.txt");

/// Synonym groups, each entry as its stemmed words.
#[derive(Clone, Debug, Default)]
pub struct Synonyms {
    groups: Vec<Vec<Vec<String>>>,
}

impl Synonyms {
    /// Reads a list: one group per line, entries separated by commas, `#` comments. A group
    /// with fewer than two different entries is refused, naming its line.
    pub fn parse(text: &str, stem: &mut TextAnalyzer) -> Result<Self, String> {
        let mut groups = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut group: Vec<Vec<String>> = Vec::new();
            for entry in line.split(',') {
                let entry = words(stem, entry);
                if entry.is_empty() {
                    return Err(format!(
                        "synonyms line {}: an entry has no words: {line:?}",
                        n + 1
                    ));
                }
                if !group.contains(&entry) {
                    group.push(entry);
                }
            }
            if group.len() < 2 {
                return Err(format!(
                    "synonyms line {}: a group needs at least two different entries: {line:?}",
                    n + 1
                ));
            }
            groups.push(group);
        }
        Ok(Self { groups })
    }

    /// The longest entry that the words starting at `at` begin with: how many words it covers
    /// and the entries of its groups (all of them, the matched one included, each once).
    pub fn find(&self, stems: &[String], at: usize) -> Option<(usize, Vec<Vec<String>>)> {
        let rest = stems.get(at..)?;
        let len = self
            .groups
            .iter()
            .flatten()
            .filter(|entry| rest.starts_with(entry))
            .map(Vec::len)
            .max()?;
        let mut alternatives: Vec<Vec<String>> = Vec::new();
        for group in &self.groups {
            if group.iter().any(|e| e.len() == len && rest.starts_with(e)) {
                for entry in group {
                    if !alternatives.contains(entry) {
                        alternatives.push(entry.clone());
                    }
                }
            }
        }
        Some((len, alternatives))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::{analyzers, STEM};

    fn stemmer() -> TextAnalyzer {
        analyzers()
            .into_iter()
            .find(|(n, _)| *n == STEM)
            .map(|(_, a)| a)
            .unwrap()
    }

    fn stems(text: &str) -> Vec<String> {
        words(&mut stemmer(), text)
    }

    #[test]
    fn the_shipped_list_reads() {
        let list = Synonyms::parse(SYNONYMS, &mut stemmer()).unwrap();
        assert!(list.groups.len() >= 15, "{} groups", list.groups.len());
    }

    #[test]
    fn an_entry_matches_in_any_form_and_brings_its_group() {
        let list = Synonyms::parse(SYNONYMS, &mut stemmer()).unwrap();
        let (len, alts) = list.find(&stems("smart cards rollout"), 0).unwrap();
        assert_eq!(len, 2);
        assert!(alts.contains(&stems("smartcard")));
        let (len, alts) = list.find(&stems("A&E shared workstations"), 0).unwrap();
        assert_eq!(len, 2, "a&e is two words, a and e");
        assert!(alts.contains(&stems("emergency department")));
        let (_, alts) = list.find(&stems("SSO"), 0).unwrap();
        assert!(alts.contains(&stems("single sign-on")));
        assert!(list.find(&stems("backup policy"), 0).is_none());
    }

    #[test]
    fn a_bad_group_is_refused_with_its_line() {
        let e = Synonyms::parse("# c\nsso, single sign-on\nlonely\n", &mut stemmer()).unwrap_err();
        assert!(e.contains("line 3"), "{e}");
        let e = Synonyms::parse("sso, , x\n", &mut stemmer()).unwrap_err();
        assert!(e.contains("line 1"), "{e}");
    }
}

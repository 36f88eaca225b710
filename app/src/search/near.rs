//! The index words near a word typed in a search: within typo reach of it, or starting with it
//! while it is being typed. Each word's list is read once per field and segment (one pass of
//! its automaton over the term dictionary) and serves both the query, where every word of it
//! matches, and the snippets, which mark the first words of it.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use tantivy::index::SegmentId;
use tantivy::postings::TermInfo;
use tantivy::query::{
    BitSetDocSet, ConstScorer, DfaWrapper, EmptyScorer, EnableScoring, Explanation, Query, Scorer,
    Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, Searcher, SegmentReader, TantivyError};

/// The words one field's dictionaries hold near a typed word, with where their postings are
/// in each segment.
#[derive(Clone, Debug, Default)]
pub(super) struct Near {
    /// Every word found, in dictionary order.
    pub words: BTreeSet<String>,
    /// Per segment, each word it holds and its postings.
    by_segment: HashMap<SegmentId, Vec<(String, TermInfo)>>,
}

impl Near {
    /// The words of `field` that `automaton` accepts.
    pub fn fuzzy(searcher: &Searcher, field: Field, automaton: &DfaWrapper) -> Near {
        Near::collect(searcher, field, Over::Automaton(automaton))
    }

    /// The words of `field` starting with `prefix` (the prefix itself included).
    pub fn prefix(searcher: &Searcher, field: Field, prefix: &str) -> Near {
        Near::collect(searcher, field, Over::Prefix(prefix.as_bytes()))
    }

    fn collect(searcher: &Searcher, field: Field, over: Over<'_>) -> Near {
        let mut near = Near::default();
        for segment in searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let terms = index.terms();
            let stream = match over {
                Over::Automaton(automaton) => terms
                    .search(automaton)
                    .into_stream()
                    .map(Streamed::Automaton),
                Over::Prefix(prefix) => {
                    let range = terms.range().ge(prefix);
                    match prefix_end(prefix) {
                        Some(end) => range.lt(end),
                        None => range,
                    }
                    .into_stream()
                    .map(Streamed::Range)
                }
            };
            let Ok(mut stream) = stream else {
                continue;
            };
            let mut found = Vec::new();
            while let Some((key, info)) = stream.next() {
                if let Ok(word) = std::str::from_utf8(key) {
                    near.words.insert(word.to_owned());
                    found.push((word.to_owned(), info.clone()));
                }
            }
            near.by_segment.insert(segment.segment_id(), found);
        }
        near
    }

    /// Adds the words of `other` (found in the same searcher).
    pub fn extend(&mut self, other: Near) {
        self.words.extend(other.words);
        for (segment, found) in other.by_segment {
            let mine = self.by_segment.entry(segment).or_default();
            for (word, info) in found {
                if !mine.iter().any(|(w, _)| *w == word) {
                    mine.push((word, info));
                }
            }
        }
    }

    /// Keeps only the words `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.words.retain(|w| keep(w));
        for found in self.by_segment.values_mut() {
            found.retain(|(w, _)| self.words.contains(w));
        }
    }

    /// A query matching the documents holding any of the words in `field`, each scoring 1
    /// (boost it for another score).
    pub fn query(&self, field: Field) -> NearQuery {
        NearQuery {
            field,
            by_segment: Arc::new(
                self.by_segment
                    .iter()
                    .map(|(s, found)| (*s, found.iter().map(|(_, i)| i.clone()).collect()))
                    .collect(),
            ),
        }
    }
}

/// The first key after every key starting with `prefix`, if there is one.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < u8::MAX {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// What part of a term dictionary to read.
#[derive(Clone, Copy)]
enum Over<'a> {
    Automaton(&'a DfaWrapper),
    Prefix(&'a [u8]),
}

/// A stream over a term dictionary, through an automaton or over a range of keys.
enum Streamed<'a, 'b> {
    Automaton(tantivy::termdict::TermStreamer<'a, &'b DfaWrapper>),
    Range(tantivy::termdict::TermStreamer<'a>),
}

impl Streamed<'_, '_> {
    fn next(&mut self) -> Option<(&[u8], &TermInfo)> {
        match self {
            Streamed::Automaton(s) => s.next(),
            Streamed::Range(s) => s.next(),
        }
    }
}

/// The documents holding any of a list of words, found in the term dictionaries beforehand
/// (see [`Near`]); every match scores the same.
#[derive(Clone, Debug)]
pub(super) struct NearQuery {
    field: Field,
    by_segment: Arc<HashMap<SegmentId, Vec<TermInfo>>>,
}

impl NearQuery {
    /// Whether no document can match.
    pub fn is_empty(&self) -> bool {
        self.by_segment.values().all(Vec::is_empty)
    }
}

impl Query for NearQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for NearQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(infos) = self
            .by_segment
            .get(&reader.segment_id())
            .filter(|i| !i.is_empty())
        else {
            return Ok(Box::new(EmptyScorer));
        };
        let index = reader.inverted_index(self.field)?;
        let mut docs = BitSet::with_max_value(reader.max_doc());
        for info in infos {
            let mut postings =
                index.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            loop {
                let block = postings.docs();
                if block.is_empty() {
                    break;
                }
                for &doc in block {
                    docs.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new(
                "a word near the one typed",
                scorer.score(),
            ))
        } else {
            Err(TantivyError::InvalidArgument(format!(
                "document {doc} holds no word near the one typed"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_a_prefix_range_is_the_next_key_after_it() {
        assert_eq!(prefix_end(b"abc"), Some(b"abd".to_vec()));
        assert_eq!(prefix_end(b"a\xff"), Some(b"b".to_vec()));
        assert_eq!(prefix_end(b"\xff\xff"), None);
        assert_eq!(prefix_end(b""), None);
    }
}

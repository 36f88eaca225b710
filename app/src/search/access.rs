//! The search form of the read rule: `permissions::AccessFilter` as a query on the access
//! fields the index stores for each document (organisation, visibility, whether readers see
//! it). Every search runs inside it, through [`AccessSets`], which keeps the documents each rule
//! lets through in each segment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::query::{
    AllQuery, BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, TermQuery,
    Weight,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyDocument, Term, TERMINATED};

use super::run::{all, any, exact, filter};
use super::schema::{yes_no, Fields};
use crate::dates::Date;
use crate::permissions::{AccessFilter, DocumentAccess};

/// The read rule as a query on the access fields the index stores (the third form of
/// `permissions::ReadScope`; see [`access_matches`]).
pub(super) fn access_query(f: &Fields, rule: &AccessFilter) -> Box<dyn Query> {
    let q = match rule {
        AccessFilter::Everything => Box::new(AllQuery) as Box<dyn Query>,
        AccessFilter::AnyOf(conditions) => any(conditions
            .iter()
            .map(|c| {
                let mut parts = Vec::new();
                if c.readable_by_readers {
                    parts.push(exact(f.readable, yes_no(true)));
                }
                if let Some(v) = c.visibility {
                    parts.push(exact(f.visibility, v.as_str()));
                }
                if let Some(org) = c.org_id {
                    parts.push(Box::new(TermQuery::new(
                        Term::from_field_u64(f.org_id, org as u64),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>);
                }
                all(parts)
            })
            .collect()),
    };
    filter(q)
}

/// Rule and segment sets kept at most; past this all are dropped (a few MB at 100,000 documents).
const MAX_SETS: usize = 256;

/// The documents each read rule lets through, per segment. A segment never changes once
/// written, so its set stays right as long as the segment lives (deleted documents are left
/// out by the collectors, as for any query). Viewers of one organisation and role share a rule,
/// so most searches find their set here instead of intersecting the access fields' postings.
#[derive(Default)]
pub(super) struct AccessSets {
    sets: Mutex<HashMap<(SegmentId, AccessFilter), Arc<BitSet>>>,
}

impl AccessSets {
    /// The read rule `rule` as a query answered from the kept sets.
    pub(super) fn query(self: &Arc<Self>, f: &Fields, rule: &AccessFilter) -> Box<dyn Query> {
        Box::new(KeptAccess {
            rule: rule.clone(),
            query: access_query(f, rule),
            sets: self.clone(),
        })
    }

    fn set(
        &self,
        segment: &SegmentReader,
        rule: &AccessFilter,
        weight: &dyn Weight,
    ) -> tantivy::Result<Arc<BitSet>> {
        let key = (segment.segment_id(), rule.clone());
        if let Some(set) = self.lock().get(&key) {
            return Ok(set.clone());
        }
        let mut set = BitSet::with_max_value(segment.max_doc());
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            set.insert(doc);
            doc = scorer.advance();
        }
        let set = Arc::new(set);
        let mut sets = self.lock();
        if sets.len() >= MAX_SETS {
            sets.clear();
        }
        sets.insert(key, set.clone());
        Ok(set)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(SegmentId, AccessFilter), Arc<BitSet>>> {
        self.sets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A read rule answered from [`AccessSets`]; scores nothing.
struct KeptAccess {
    rule: AccessFilter,
    /// The rule as a query on the access fields, for segments not seen yet.
    query: Box<dyn Query>,
    sets: Arc<AccessSets>,
}

impl Clone for KeptAccess {
    fn clone(&self) -> Self {
        KeptAccess {
            rule: self.rule.clone(),
            query: self.query.box_clone(),
            sets: self.sets.clone(),
        }
    }
}

impl std::fmt::Debug for KeptAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptAccess")
            .field("rule", &self.rule)
            .finish()
    }
}

impl Query for KeptAccess {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let schema = scoring.schema();
        Ok(Box::new(KeptAccessWeight {
            rule: self.rule.clone(),
            weight: self
                .query
                .weight(EnableScoring::disabled_from_schema(schema))?,
            sets: self.sets.clone(),
        }))
    }
}

struct KeptAccessWeight {
    rule: AccessFilter,
    weight: Box<dyn Weight>,
    sets: Arc<AccessSets>,
}

impl Weight for KeptAccessWeight {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let set = self.sets.set(reader, &self.rule, &*self.weight)?;
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from(BitSet::clone(&set)),
            0.0,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.weight.explain(reader, doc)
    }
}

/// Which of `docs` the read rule `rule` lets through, as the index evaluates it: each document's
/// access fields go into a small index in memory and the rule's query runs over it. The
/// permission module's test checks this against the Rust and SQL forms of the rule.
pub fn access_matches(docs: &[DocumentAccess], rule: &AccessFilter) -> tantivy::Result<Vec<bool>> {
    let (schema, f) = Fields::schema();
    let index = tantivy::Index::create_in_ram(schema);
    super::schema::register(&index);
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    for (i, access) in docs.iter().enumerate() {
        let doc = super::schema::IndexedDoc {
            id: i as i64,
            kind_code: "guide",
            slug: format!("doc-{i}"),
            title: String::new(),
            summary: String::new(),
            topic: String::new(),
            tags: Vec::new(),
            text: Vec::new(),
            org_slug: format!("org-{}", access.org_id),
            org_name: String::new(),
            nation: ("england", "England"),
            access: *access,
            updated: Date::from_time(time::Date::MIN),
            facets: Vec::new(),
        };
        writer.add_document(doc.to_document(&f))?;
    }
    writer.commit()?;
    let searcher = index.reader()?.searcher();
    let found = searcher.search(
        &*access_query(&f, rule),
        &tantivy::collector::DocSetCollector,
    )?;
    let mut allowed = vec![false; docs.len()];
    for addr in found {
        let doc: TantivyDocument = searcher.doc(addr)?;
        if let Some(i) = doc.get_first(f.id).and_then(|v| v.as_u64()) {
            allowed[i as usize] = true;
        }
    }
    Ok(allowed)
}

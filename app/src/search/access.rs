//! The search form of the read rule: `permissions::AccessFilter` as a query on the access
//! fields the index stores for each document (organisation, visibility, whether readers see
//! it). Every search runs inside it.

use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

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

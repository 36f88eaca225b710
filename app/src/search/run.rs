//! Running a search. The parsed query becomes one tantivy query: every word or phrase must
//! match (stemmed, typo-tolerant, the last word also as a prefix, synonyms as alternatives),
//! excluded words must not, filters must hold, and so must the viewer's read rule
//! (`permissions::AccessFilter`). Counts, facets, snippets and suggestions are all taken from
//! documents passing that rule, so none of them tells anything about a document the viewer may
//! not read.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, EnableScoring, FuzzyTermQuery,
    Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::{collapse_overlapped_ranges, SnippetGenerator};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocSet, Order, Searcher, TantivyDocument, TantivyError, Term, TERMINATED,
};

use super::engine::{Engine, SearchError};
use super::model::{
    snippet_html, FacetCount, FacetGroup, PreviewHit, SearchHit, SearchQuery, SearchResults,
    SnippetPart, SortOrder, Suggestion, PER_PAGE, RESERVED_PARAMS,
};
use super::near::Near;
use super::query::{self, Parsed, Term as Typed};
use super::schema::{facet, snippet_analyzer, words, yes_no, Fields, LABEL_SEPARATOR, RAW, STEM};
use crate::dates::Date;
use crate::kinds::DocKind;
use crate::orgs::{Nation, OrgRef};
use crate::permissions::{AccessFilter, DocStatus, Viewer};

/// The facets every document has: name (its address parameter and `name:` filter) and title.
const FIXED_FACETS: [(&str, &str); 4] = [
    ("kind", "Type of document"),
    ("org", "Organisation"),
    ("nation", "Nation"),
    ("tag", "Tag"),
];
/// Listed after the kinds' own facets.
const YEAR: (&str, &str) = ("year", "Year updated");
/// Matches found through a typo or as a prefix weigh this much of an exact match.
const FUZZY_WEIGHT: f32 = 0.3;
/// A word matching as typed (not only by its stem) adds this much again.
const EXACT_WEIGHT: f32 = 0.5;
/// Index words near a typed word marked in snippets, at most, per field.
const MAX_EXPANSIONS: usize = 50;
/// Spelling candidates looked at per word for "did you mean".
const MAX_CANDIDATES: usize = 50;
/// Values shown per facet.
const MAX_FACET_VALUES: usize = 20;
/// Characters of text around the matches in a snippet.
const SNIPPET_CHARS: usize = 220;
/// Words of a phrase that are not marked on their own in snippets (they would be marked
/// everywhere): short words and these.
const UNMARKED: [&str; 12] = [
    "and", "the", "for", "with", "from", "into", "that", "this", "are", "was", "not", "but",
];

/// Notes the words of a phrase to mark in snippets, leaving out the little ones.
fn mark_phrase(marks: &mut BTreeMap<String, f32>, stems: &[String]) {
    if stems.len() == 1 {
        marks.insert(stems[0].clone(), 1.0);
        return;
    }
    for s in stems {
        if s.chars().count() > 2 && !UNMARKED.contains(&s.as_str()) {
            marks.insert(s.clone(), 1.0);
        }
    }
}

/// Every facet: the fixed ones, the kinds' own (a name already taken is left out), the year.
pub(super) fn facet_names() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = FIXED_FACETS.to_vec();
    for kind in DocKind::all() {
        for f in kind.spec().search_facets() {
            if !all.iter().any(|(n, _)| *n == f.name)
                && !RESERVED_PARAMS.contains(&f.name)
                && f.name != YEAR.0
            {
                all.push((f.name, f.title));
            }
        }
    }
    all.push(YEAR);
    all
}

/// A search's results, with the database ids of the documents shown (in the same order).
pub(super) struct Found {
    pub results: SearchResults,
    pub ids: Vec<i64>,
    /// Whether unpublished documents were searched (asked for, and allowed).
    pub drafts: bool,
}

/// Where a filter came from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Source {
    /// An address parameter (a chosen facet value).
    Param(String),
    /// The n-th `name:value` typed in the query.
    Typed(usize),
}

struct Filter {
    /// The facet it restricts, so that facet's counts are taken without it.
    facet: String,
    source: Source,
    query: Box<dyn Query>,
}

/// A filter typed in the query: the facet it restricts, and its query.
type TypedFilter = (String, Box<dyn Query>);

/// A query ready to run.
struct Prepared {
    /// Whether there is anything to search for.
    searched: bool,
    has_words: bool,
    text: Box<dyn Query>,
    excluded: Vec<Box<dyn Query>>,
    filters: Vec<Filter>,
    access: Box<dyn Query>,
    /// Stems to mark in snippets.
    marks: BTreeMap<String, f32>,
    /// Single words typed (index in `Parsed::terms`, word), for spelling suggestions.
    words: Vec<(usize, String)>,
    /// Unpublished documents were asked for and may be shown.
    drafts: bool,
}

/// A word or phrase typed, split into words.
struct Item {
    raw: Vec<String>,
    stems: Vec<String>,
    quoted: bool,
    /// Still being typed: matches as a prefix too.
    open: bool,
}

/// One search against one searcher (a fixed view of the index).
struct Run<'a> {
    engine: &'a Engine,
    searcher: Searcher,
    f: Fields,
    raw: TextAnalyzer,
    stem: TextAnalyzer,
    facets: Vec<(&'static str, &'static str)>,
    /// Stems of the words seen in this search.
    stems: HashMap<String, String>,
}

fn term_q(field: Field, text: &str, weight: f32) -> Box<dyn Query> {
    let q: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ));
    Box::new(BoostQuery::new(q, weight))
}

fn phrase_q(field: Field, words: &[String], weight: f32) -> Box<dyn Query> {
    if words.len() == 1 {
        return term_q(field, &words[0], weight);
    }
    let terms = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    Box::new(BoostQuery::new(Box::new(PhraseQuery::new(terms)), weight))
}

pub(super) fn any(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if clauses.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

pub(super) fn all(clauses: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if clauses.is_empty() {
        return Box::new(AllQuery);
    }
    Box::new(BooleanQuery::new(
        clauses.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

/// A condition that filters without adding to the score.
pub(super) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(super) fn exact(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::Basic,
    ))
}

/// Lower case, spaces as hyphens: how facet values are written.
fn normalise(value: &str) -> String {
    value
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// The edit distance between two words, counting a swap of neighbours as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Whether an error means the index itself is damaged (rather than a bug in a query).
fn damaged(e: &TantivyError) -> bool {
    matches!(
        e,
        TantivyError::DataCorruption(_)
            | TantivyError::IoError(_)
            | TantivyError::OpenReadError(_)
            | TantivyError::OpenDirectoryError(_)
    )
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut} …")
}

/// The snippets of one page of results.
struct Snippets<'a> {
    /// The words to mark, as stems, with their weight.
    marks: &'a BTreeMap<String, f32>,
    /// Splits and stems text as the index does, each distinct word once for the page.
    analyzer: TextAnalyzer,
    /// The stored text field snippets are taken from.
    field: Field,
}

impl Snippets<'_> {
    /// Where the matching words are, in the text or else the summary, marked; the summary when
    /// neither has them.
    fn of(&self, body: &str, summary: &str) -> Vec<SnippetPart> {
        if !self.marks.is_empty() {
            for text in [body, summary] {
                let generator = SnippetGenerator::new(
                    self.marks.clone(),
                    self.analyzer.clone(),
                    self.field,
                    SNIPPET_CHARS,
                );
                let snippet = generator.snippet(text);
                if snippet.highlighted().is_empty() {
                    continue;
                }
                let fragment = snippet.fragment();
                let range = snippet.fragment_range();
                let mut parts = Vec::new();
                let mut push = |text: &str, mark: bool| match parts.last_mut() {
                    _ if text.is_empty() => {}
                    Some(SnippetPart {
                        text: last,
                        mark: false,
                    }) if !mark => last.push_str(text),
                    _ => parts.push(SnippetPart {
                        text: text.to_owned(),
                        mark,
                    }),
                };
                if range.start > 0 {
                    push("… ", false);
                }
                let mut at = 0;
                for r in collapse_overlapped_ranges(snippet.highlighted()) {
                    let (Some(before), Some(marked)) =
                        (fragment.get(at..r.start), fragment.get(r.clone()))
                    else {
                        continue;
                    };
                    push(before, false);
                    push(marked, true);
                    at = r.end;
                }
                push(fragment.get(at..).unwrap_or_default(), false);
                if range.end < text.len() {
                    push(" …", false);
                }
                return parts;
            }
        }
        let text = if summary.trim().is_empty() {
            body
        } else {
            summary
        };
        vec![SnippetPart {
            text: truncate(text.trim(), SNIPPET_CHARS),
            mark: false,
        }]
    }
}

impl Engine {
    /// [`Engine::search`], with the database id of each result.
    pub(super) fn search_with_ids(
        &self,
        viewer: &Viewer,
        query: &SearchQuery,
    ) -> Result<Found, SearchError> {
        let mut run = self.run();
        match run.search(viewer, query) {
            Ok(found) => Ok(found),
            Err(SearchError::Index(e)) if damaged(&e) => {
                self.needs_rebuild(format!("a search found the index damaged: {e}"));
                let mut empty = run.empty(query, Vec::new(), viewer);
                empty.catching_up = true;
                Ok(Found {
                    results: empty,
                    ids: Vec::new(),
                    drafts: false,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Up to `limit` best matches for `q`, cheaply (no counts, facets or snippets), with their
    /// database ids: for search as you type.
    pub(super) fn preview(
        &self,
        viewer: &Viewer,
        q: &str,
        limit: usize,
    ) -> Result<Vec<(i64, PreviewHit)>, SearchError> {
        let mut run = self.run();
        let query = SearchQuery::text(q);
        let mut parsed = query::parse(q, &run.filter_names());
        let mut notices = Vec::new();
        let p = run.prepare(&mut parsed, &query, viewer, &mut notices);
        if !p.searched {
            return Ok(Vec::new());
        }
        let addrs = run.top(
            &run.assemble(&p, None, None),
            &p,
            SortOrder::Relevance,
            0,
            limit,
        )?;
        let mut hits = Vec::new();
        for addr in addrs {
            let doc: TantivyDocument = run.searcher.doc(addr)?;
            let Some(kind) = DocKind::from_code(&text_of(&doc, run.f.kind)) else {
                continue;
            };
            let id = doc
                .get_first(run.f.id)
                .and_then(|v| v.as_u64())
                .unwrap_or(0) as i64;
            hits.push((
                id,
                PreviewHit {
                    kind: kind.label_capitalised(),
                    href: kind.href(&text_of(&doc, run.f.slug)),
                    title: text_of(&doc, run.f.title),
                    org_name: text_of(&doc, run.f.org_name),
                },
            ));
        }
        Ok(hits)
    }

    fn run(&self) -> Run<'_> {
        let analyzer = |name: &str| {
            super::schema::analyzers()
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, a)| a)
                .unwrap_or_default()
        };
        Run {
            engine: self,
            searcher: self.live().reader.searcher(),
            f: self.fields,
            raw: analyzer(RAW),
            stem: analyzer(STEM),
            facets: facet_names(),
            stems: HashMap::new(),
        }
    }
}

impl Run<'_> {
    fn filter_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&str> = self.facets.iter().map(|(n, _)| *n).collect();
        names.push("drafts");
        names
    }

    fn stem_of(&mut self, word: &str) -> String {
        if let Some(stem) = self.stems.get(word) {
            return stem.clone();
        }
        let stem = words(&mut self.stem, word)
            .into_iter()
            .next()
            .unwrap_or_else(|| word.to_owned());
        self.stems.insert(word.to_owned(), stem.clone());
        stem
    }

    /// Marks in snippets the first [`MAX_EXPANSIONS`] words of `near` other than `word`, in
    /// any of their forms.
    fn mark_near(&mut self, marks: &mut BTreeMap<String, f32>, word: &str, near: &Near) {
        for other in near.words.iter().take(MAX_EXPANSIONS) {
            if other != word {
                let s = self.stem_of(other);
                marks.insert(s, 0.5);
            }
        }
    }

    /// Results with nothing found.
    fn empty(&self, query: &SearchQuery, notices: Vec<String>, viewer: &Viewer) -> SearchResults {
        SearchResults {
            query: query.on_page(1),
            searched: false,
            total: 0,
            page: 1,
            pages: 1,
            hits: Vec::new(),
            facets: Vec::new(),
            did_you_mean: None,
            without_filters: Vec::new(),
            notices,
            catching_up: self.engine.catching_up(),
            drafts_allowed: viewer.can_search_unpublished(),
        }
    }

    fn search(&mut self, viewer: &Viewer, query: &SearchQuery) -> Result<Found, SearchError> {
        let mut parsed = query::parse(&query.q, &self.filter_names());
        let mut notices = std::mem::take(&mut parsed.notices);
        let p = self.prepare(&mut parsed, query, viewer, &mut notices);
        if !p.searched {
            if !query.q.trim().is_empty() {
                notices.push(
                    "There were no words to search for: type some words, like smart cards.".into(),
                );
            }
            return Ok(Found {
                results: self.empty(query, notices, viewer),
                ids: Vec::new(),
                drafts: false,
            });
        }

        let main = self.assemble(&p, None, None);
        let mut collector = FacetCollector::for_field("facets");
        let filtered: BTreeSet<&str> = p.filters.iter().map(|f| f.facet.as_str()).collect();
        for (name, _) in &self.facets {
            if !filtered.contains(name) {
                collector.add_facet(facet_root(name));
            }
        }
        // One pass over the matches counts them, counts the facets and takes the page asked
        // for; only a page past the last one needs a second pass, for the last page.
        let asked = query.page.max(1);
        // A page starting past the last document cannot exist, however large the number asked.
        let offset = (asked - 1)
            .checked_mul(PER_PAGE)
            .filter(|o| *o < self.searcher.num_docs() as usize)
            .unwrap_or(0);
        let (total, counts, mut addrs) =
            self.counted_page(&main, &p, query.sort, offset, collector)?;
        let pages = (total as usize).div_ceil(PER_PAGE).max(1);
        let page = asked.min(pages);
        if page != asked {
            addrs = self.top(&main, &p, query.sort, (page - 1) * PER_PAGE, PER_PAGE)?;
        }

        let mut labels: HashMap<(String, String), String> = HashMap::new();
        let mut hits = Vec::new();
        let mut ids = Vec::new();
        let snippets = Snippets {
            analyzer: snippet_analyzer(),
            marks: &p.marks,
            field: self.f.body,
        };
        for addr in addrs {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            for label in doc.get_all(self.f.labels).filter_map(|v| v.as_str()) {
                let mut parts = label.splitn(3, LABEL_SEPARATOR);
                if let (Some(n), Some(v), Some(l)) = (parts.next(), parts.next(), parts.next()) {
                    labels.insert((n.to_owned(), v.to_owned()), l.to_owned());
                }
            }
            if let Some(hit) = self.hit(&doc, &snippets) {
                ids.push(
                    doc.get_first(self.f.id)
                        .and_then(|v| v.as_u64())
                        .unwrap_or(0) as i64,
                );
                hits.push(hit);
            }
        }

        let mut facets = Vec::new();
        for (name, title) in self.facets.clone() {
            let values: Vec<(String, u64)> = if filtered.contains(name) {
                let without = self.assemble(&p, Some(name), None);
                let mut collector = FacetCollector::for_field("facets");
                collector.add_facet(facet_root(name));
                let counts = self.searcher.search(&*without, &collector)?;
                children(&counts, name)
            } else {
                children(&counts, name)
            };
            // Only the values that can be shown need labels: each label may cost a lookup.
            let values = most_counted(values, MAX_FACET_VALUES);
            let mut values: Vec<FacetCount> = values
                .into_iter()
                .map(|(value, count)| {
                    let label = self.label(&p, &mut labels, name, &value)?;
                    Ok(FacetCount {
                        selected: query.filters.get(name) == Some(&value),
                        label,
                        value,
                        count,
                    })
                })
                .collect::<Result<_, SearchError>>()?;
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.label.cmp(&b.label)));
            values.truncate(MAX_FACET_VALUES);
            if !values.is_empty() {
                facets.push(FacetGroup {
                    name: name.to_owned(),
                    title: title.to_owned(),
                    values,
                });
            }
        }

        let (did_you_mean, without_filters) = if total == 0 {
            (
                self.did_you_mean(&parsed, query, viewer, &p)?,
                self.without_filters(&parsed, query, &p, &mut labels)?,
            )
        } else {
            (None, Vec::new())
        };

        Ok(Found {
            results: SearchResults {
                query: query.on_page(page),
                searched: true,
                total,
                page,
                pages,
                hits,
                facets,
                did_you_mean,
                without_filters,
                notices,
                catching_up: self.engine.catching_up(),
                drafts_allowed: viewer.can_search_unpublished(),
            },
            ids,
            drafts: p.drafts,
        })
    }

    /// Builds the query's parts. Filters typed in the query that cannot be used are dropped
    /// with a notice; `parsed` keeps only those used.
    fn prepare(
        &mut self,
        parsed: &mut Parsed,
        query: &SearchQuery,
        viewer: &Viewer,
        notices: &mut Vec<String>,
    ) -> Prepared {
        let f = self.f;
        let mut marks = BTreeMap::new();
        let mut drafts = query.drafts;
        let mut asked_drafts = false;

        // Filters: typed ones first, then chosen facet values.
        let mut filters = Vec::new();
        let typed = std::mem::take(&mut parsed.filters);
        for (name, value) in typed {
            match self.typed_filter(&name, &value, &mut drafts, &mut asked_drafts) {
                Ok(Some((facet_name, q))) => {
                    filters.push(Filter {
                        facet: facet_name,
                        source: Source::Typed(parsed.filters.len()),
                        query: q,
                    });
                    parsed.filters.push((name, value));
                }
                Ok(None) => parsed.filters.push((name, value)),
                Err(message) => notices.push(message),
            }
        }
        for (name, value) in &query.filters {
            if self.facets.iter().any(|(n, _)| n == name) {
                filters.push(Filter {
                    facet: name.clone(),
                    source: Source::Param(name.clone()),
                    query: exact_facet(f.facets, name, value),
                });
            }
        }
        let allowed = viewer.can_search_unpublished();
        if drafts && !allowed {
            notices.push(
                "Drafts are found only by the editors of their organisation, so only published documents are shown."
                    .into(),
            );
        }
        let drafts = drafts && allowed;
        let access = self.access(&viewer.search_filter(drafts));

        // Words and phrases.
        let last = parsed.terms.len().saturating_sub(1);
        let mut items = Vec::new();
        let mut word_refs = Vec::new();
        for (i, term) in parsed.terms.iter().enumerate() {
            let (text, quoted) = match term {
                Typed::Word(w) => (w.as_str(), false),
                Typed::Phrase(p) => (p.as_str(), true),
            };
            let raw = words(&mut self.raw, text);
            if raw.is_empty() {
                continue;
            }
            let stems = raw.iter().map(|w| self.stem_of(w)).collect();
            if !quoted && raw.len() == 1 {
                word_refs.push((i, raw[0].clone()));
            }
            items.push(Item {
                open: parsed.open_ended && i == last && !quoted && raw.len() == 1,
                raw,
                stems,
                quoted,
            });
        }
        let mut units = Vec::new();
        let mut k = 0;
        while k < items.len() {
            if !items[k].quoted {
                let run: Vec<&Item> = items[k..].iter().take_while(|it| !it.quoted).collect();
                let stems: Vec<String> = run.iter().flat_map(|it| it.stems.clone()).collect();
                if let Some((len, alternatives)) = self.engine.synonyms.find(&stems, 0) {
                    let (mut covered, mut m) = (0, 0);
                    while m < run.len() && covered < len {
                        covered += run[m].stems.len();
                        m += 1;
                    }
                    if covered == len {
                        let originals: Vec<Box<dyn Query>> = items[k..k + m]
                            .iter()
                            .map(|it| self.item_query(it, &mut marks))
                            .collect();
                        let mut clauses = vec![all(originals)];
                        for entry in &alternatives {
                            mark_phrase(&mut marks, entry);
                            // The words typed are matched in every field by `originals`
                            // already: as a phrase they only add to the score, where they
                            // weigh most and cost least (not in the long text).
                            let typed = entry.len() > 1 && entry[..] == stems[..len];
                            for tf in f.text_fields() {
                                if tf.stem != tf.raw && !(typed && tf.stem == f.body) {
                                    clauses.push(phrase_q(tf.stem, entry, tf.weight));
                                }
                            }
                        }
                        units.push(any(clauses));
                        k += m;
                        continue;
                    }
                }
            }
            let q = self.item_query(&items[k], &mut marks);
            units.push(q);
            k += 1;
        }

        let mut excluded = Vec::new();
        for term in &parsed.excluded {
            let text = match term {
                Typed::Word(w) | Typed::Phrase(w) => w,
            };
            let raw = words(&mut self.raw, text);
            if raw.is_empty() {
                continue;
            }
            let mut clauses = Vec::new();
            for tf in f.text_fields() {
                clauses.push(phrase_q(tf.raw, &raw, 1.0));
                if raw.len() == 1 && tf.stem != tf.raw {
                    let stem = self.stem_of(&raw[0]);
                    clauses.push(term_q(tf.stem, &stem, 1.0));
                }
            }
            excluded.push(any(clauses));
        }

        let has_words = !units.is_empty();
        Prepared {
            searched: has_words || !excluded.is_empty() || !filters.is_empty() || asked_drafts,
            has_words,
            text: if has_words {
                all(units)
            } else {
                Box::new(AllQuery)
            },
            excluded,
            filters,
            access,
            marks,
            words: word_refs,
            drafts,
        }
    }

    /// A `name:value` typed in the query: the facet it restricts and its query, `None` for
    /// `drafts:`, or why it cannot be used.
    fn typed_filter(
        &mut self,
        name: &str,
        value: &str,
        drafts: &mut bool,
        asked: &mut bool,
    ) -> Result<Option<TypedFilter>, String> {
        let f = self.f;
        let v = normalise(value);
        let facet_q = |v: &str| exact_facet(f.facets, name, v);
        let q: Box<dyn Query> = match name {
            "drafts" => {
                match v.as_str() {
                    "yes" | "true" | "on" | "1" => {
                        *drafts = true;
                        *asked = true;
                    }
                    "no" | "false" | "off" | "0" => *drafts = false,
                    _ => {
                        return Err(format!(
                            "“drafts:{value}” was ignored: write drafts:yes or drafts:no."
                        ))
                    }
                }
                return Ok(None);
            }
            "kind" => {
                let kind = DocKind::all().find(|k| {
                    let n = k.names();
                    v == n.code
                        || v == n.path
                        || v == normalise(n.label)
                        || v == normalise(n.short_plural)
                        || v == normalise(n.plural_title)
                });
                match kind {
                    Some(kind) => facet_q(kind.code()),
                    None => {
                        let codes: Vec<&str> = DocKind::all().map(|k| k.code()).collect();
                        return Err(format!(
                            "“kind:{value}” was ignored: there is no such kind of document. Use one of {}.",
                            codes.join(", ")
                        ));
                    }
                }
            }
            "org" => {
                let name_words = words(&mut self.raw, value);
                let mut clauses = vec![exact(f.org_slug, &v)];
                if !name_words.is_empty() {
                    clauses.push(phrase_q(f.org_name, &name_words, 1.0));
                }
                any(clauses)
            }
            "nation" => {
                let nation = Nation::ALL
                    .iter()
                    .find(|n| v == n.as_str() || v == normalise(n.label()));
                match nation {
                    Some(n) => facet_q(n.as_str()),
                    None => {
                        return Err(format!(
                            "“nation:{value}” was ignored: write england, scotland, wales or northern-ireland."
                        ))
                    }
                }
            }
            "year" => {
                if v.len() == 4 && v.chars().all(|c| c.is_ascii_digit()) {
                    facet_q(&v)
                } else {
                    return Err(format!(
                        "“year:{value}” was ignored: write a year, like year:2026."
                    ));
                }
            }
            _ => facet_q(&v),
        };
        Ok(Some((name.to_owned(), q)))
    }

    /// The query for one word or phrase, noting the stems to mark in snippets.
    fn item_query(&mut self, item: &Item, marks: &mut BTreeMap<String, f32>) -> Box<dyn Query> {
        let f = self.f;
        mark_phrase(marks, &item.stems);
        let mut clauses = Vec::new();
        if item.raw.len() > 1 || item.quoted {
            for tf in f.text_fields() {
                clauses.push(phrase_q(tf.raw, &item.raw, tf.weight));
            }
            return any(clauses);
        }
        let (word, stem) = (&item.raw[0], &item.stems[0]);
        let chars = word.chars().count();
        let fuzzy = if word.chars().any(|c| c.is_numeric()) {
            0
        } else if chars >= 9 {
            2
        } else if chars >= 5 {
            1
        } else {
            0
        };
        let prefix = item.open && chars >= 2;
        // One automaton for the word, run once over each field's dictionaries: the words it
        // finds are both what the query matches and what the snippets mark.
        let automaton = (fuzzy > 0)
            .then(|| {
                FuzzyTermQuery::new(Term::from_field_text(f.title_raw, word), fuzzy, true)
                    .automaton()
                    .ok()
            })
            .flatten();
        for tf in f.text_fields() {
            if tf.stem == tf.raw {
                clauses.push(term_q(tf.raw, word, tf.weight));
            } else {
                clauses.push(term_q(tf.stem, stem, tf.weight));
                clauses.push(term_q(tf.raw, word, tf.weight * EXACT_WEIGHT));
            }
            let mut near = Near::default();
            if let Some(automaton) = &automaton {
                let typos = Near::fuzzy(&self.searcher, tf.raw, automaton);
                self.mark_near(marks, word, &typos);
                near.extend(typos);
            }
            if prefix {
                let longer = Near::prefix(&self.searcher, tf.raw, word);
                self.mark_near(marks, word, &longer);
                near.extend(longer);
            }
            // Every index word within reach matches (no cap, so what is found never depends
            // on documents the viewer cannot read). The word itself and its other forms are
            // found by the clauses above already, so they are left out here: a document
            // holding only a word near the one typed scores this much.
            let typed_stem = (tf.stem != tf.raw).then_some(stem);
            near.retain(|w| w != word && typed_stem.is_none_or(|s| self.stem_of(w) != *s));
            let q = near.query(tf.raw);
            if !q.is_empty() {
                clauses.push(Box::new(BoostQuery::new(
                    Box::new(q),
                    tf.weight * FUZZY_WEIGHT,
                )));
            }
        }
        any(clauses)
    }

    /// The index's words within `distance` edits of `word` (or starting with such a word, for
    /// `prefix`), the word itself first when present, at most `max`.
    fn expand(
        &self,
        field: Field,
        word: &str,
        distance: u8,
        prefix: bool,
        max: usize,
    ) -> Vec<String> {
        let term = Term::from_field_text(field, word);
        let fuzzy = if prefix {
            FuzzyTermQuery::new_prefix(term, distance, true)
        } else {
            FuzzyTermQuery::new(term, distance, true)
        };
        let mut found = BTreeSet::new();
        // One automaton for every segment: building it costs more than most searches of it.
        let Ok(automaton) = fuzzy.automaton() else {
            return Vec::new();
        };
        'segments: for segment in self.searcher.segment_readers() {
            let Ok(index) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = index.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(w) = std::str::from_utf8(stream.key()) {
                    found.insert(w.to_owned());
                    if found.len() >= max {
                        break 'segments;
                    }
                }
            }
        }
        let mut out: Vec<String> = Vec::with_capacity(found.len());
        if found.remove(word) {
            out.push(word.to_owned());
        }
        out.extend(found);
        out
    }

    /// The read rule as a query on the access fields.
    fn access(&self, rule: &AccessFilter) -> Box<dyn Query> {
        self.engine.access_sets.query(&self.f, rule)
    }

    /// The whole query, leaving out the filters of facet `skip_facet` and filter number
    /// `skip_filter`.
    fn assemble(
        &self,
        p: &Prepared,
        skip_facet: Option<&str>,
        skip_filter: Option<usize>,
    ) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, p.text.box_clone()),
            (Occur::Must, p.access.box_clone()),
        ];
        for (i, fl) in p.filters.iter().enumerate() {
            if Some(fl.facet.as_str()) == skip_facet || Some(i) == skip_filter {
                continue;
            }
            clauses.push((Occur::Must, filter(fl.query.box_clone())));
        }
        for ex in &p.excluded {
            clauses.push((Occur::MustNot, ex.box_clone()));
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// One page of results: best first when there are words, else newest first.
    fn top(
        &self,
        q: &dyn Query,
        p: &Prepared,
        sort: SortOrder,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<DocAddress>, SearchError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let top = TopDocs::with_limit(limit).and_offset(offset);
        Ok(if sort == SortOrder::Relevance && p.has_words {
            self.searcher
                .search(q, &top.order_by_score())?
                .into_iter()
                .map(|(_, a)| a)
                .collect()
        } else {
            self.searcher
                .search(q, &top.order_by_fast_field::<i64>("updated", Order::Desc))?
                .into_iter()
                .map(|(_, a)| a)
                .collect()
        })
    }

    /// [`Self::top`] for one page from `offset`, with the number of matches and the facet
    /// counts `facets` collects, in one pass.
    fn counted_page(
        &self,
        q: &dyn Query,
        p: &Prepared,
        sort: SortOrder,
        offset: usize,
        facets: FacetCollector,
    ) -> Result<(u64, FacetCounts, Vec<DocAddress>), SearchError> {
        let top = TopDocs::with_limit(PER_PAGE).and_offset(offset);
        let (total, counts, addrs) = if sort == SortOrder::Relevance && p.has_words {
            let (total, counts, top) = self
                .searcher
                .search(q, &(Count, facets, top.order_by_score()))?;
            (total, counts, top.into_iter().map(|(_, a)| a).collect())
        } else {
            let by_date = top.order_by_fast_field::<i64>("updated", Order::Desc);
            let (total, counts, top) = self.searcher.search(q, &(Count, facets, by_date))?;
            (total, counts, top.into_iter().map(|(_, a)| a).collect())
        };
        Ok((total as u64, counts, addrs))
    }

    fn count(&self, q: &dyn Query) -> Result<u64, SearchError> {
        Ok(self.searcher.search(q, &Count)? as u64)
    }

    /// A stored document as a result.
    fn hit(&self, doc: &TantivyDocument, snippets: &Snippets) -> Option<SearchHit> {
        let f = self.f;
        let kind = DocKind::from_code(&text_of(doc, f.kind))?;
        let slug = text_of(doc, f.slug);
        let snippet = snippets.of(&text_of(doc, f.body), &text_of(doc, f.summary));
        let status = (text_of(doc, f.readable) != yes_no(true))
            .then(|| DocStatus::parse(&text_of(doc, f.status)).ok())
            .flatten();
        Some(SearchHit {
            kind,
            href: kind.href(&slug),
            slug,
            title: text_of(doc, f.title),
            org: OrgRef {
                slug: text_of(doc, f.org_slug),
                name: text_of(doc, f.org_name),
            },
            updated: Date::parse(&text_of(doc, f.updated_day))
                .unwrap_or(Date::from_time(time::Date::MIN)),
            snippet_html: snippet_html(&snippet),
            snippet,
            status,
        })
    }

    /// The label of a facet value, taken from a document the viewer may read.
    fn label(
        &self,
        p: &Prepared,
        known: &mut HashMap<(String, String), String>,
        name: &str,
        value: &str,
    ) -> Result<String, SearchError> {
        match name {
            "kind" => {
                return Ok(DocKind::from_code(value)
                    .map_or(value, |k| k.names().plural_title)
                    .to_owned())
            }
            "nation" => {
                return Ok(Nation::ALL
                    .iter()
                    .find(|n| n.as_str() == value)
                    .map_or(value, |n| n.label())
                    .to_owned())
            }
            "tag" | "year" => return Ok(value.to_owned()),
            _ => {}
        }
        let key = (name.to_owned(), value.to_owned());
        if let Some(label) = known.get(&key) {
            return Ok(label.clone());
        }
        let q = all(vec![
            p.access.box_clone(),
            exact_facet(self.f.facets, name, value),
        ]);
        let mut label = value.to_owned();
        if let Some(addr) = self.first_match(&*q)? {
            let doc: TantivyDocument = self.searcher.doc(addr)?;
            for stored in doc.get_all(self.f.labels).filter_map(|v| v.as_str()) {
                let mut parts = stored.splitn(3, LABEL_SEPARATOR);
                if let (Some(n), Some(v), Some(l)) = (parts.next(), parts.next(), parts.next()) {
                    known.insert((n.to_owned(), v.to_owned()), l.to_owned());
                    if n == name && v == value {
                        label = l.to_owned();
                    }
                }
            }
        }
        Ok(label)
    }

    /// The first document matching `q` in index order, without scoring or visiting the other
    /// matches: any one will do where only the presence of a match matters.
    fn first_match(&self, q: &dyn Query) -> Result<Option<DocAddress>, SearchError> {
        let weight = q.weight(EnableScoring::disabled_from_searcher(&self.searcher))?;
        for (ord, segment) in self.searcher.segment_readers().iter().enumerate() {
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if segment
                    .alive_bitset()
                    .is_none_or(|alive| alive.is_alive(doc))
                {
                    return Ok(Some(DocAddress::new(ord as u32, doc)));
                }
                doc = scorer.advance();
            }
        }
        Ok(None)
    }

    /// With no results: the query with each unknown word replaced by the closest word that
    /// documents the viewer may read contain, if the result finds something.
    fn did_you_mean(
        &mut self,
        parsed: &Parsed,
        query: &SearchQuery,
        viewer: &Viewer,
        p: &Prepared,
    ) -> Result<Option<Suggestion>, SearchError> {
        let mut corrected = parsed.clone();
        let mut changed = false;
        let raw_fields: Vec<Field> = {
            let mut v: Vec<Field> = self.f.text_fields().iter().map(|t| t.raw).collect();
            v.dedup();
            v
        };
        for (index, word) in &p.words {
            let chars = word.chars().count();
            if chars < 3 || word.chars().any(|c| c.is_numeric()) {
                continue;
            }
            // A word that finds something on its own is not the problem.
            let mut marks = BTreeMap::new();
            let item = Item {
                raw: vec![word.clone()],
                stems: vec![self.stem_of(word)],
                quoted: false,
                open: false,
            };
            let alone = self.item_query(&item, &mut marks);
            let mut clauses = vec![alone, p.access.box_clone()];
            clauses.extend(p.filters.iter().map(|fl| filter(fl.query.box_clone())));
            if self.count(&*all(clauses))? > 0 {
                continue;
            }
            let reach = if chars <= 4 { 1 } else { 2 };
            let mut candidates = BTreeSet::new();
            for &field in &raw_fields {
                candidates.extend(self.expand(field, word, reach, false, MAX_CANDIDATES));
            }
            candidates.remove(word);
            let mut ranked: Vec<(usize, String)> = candidates
                .into_iter()
                .map(|c| (distance(word, &c), c))
                .collect();
            ranked.sort();
            ranked.truncate(MAX_CANDIDATES);
            let mut best: Option<(usize, u64, String)> = None;
            for (d, candidate) in ranked {
                if best.as_ref().is_some_and(|(bd, _, _)| d > *bd) {
                    break;
                }
                let mut clauses = vec![
                    any(raw_fields.iter().map(|&fd| exact(fd, &candidate)).collect()),
                    p.access.box_clone(),
                ];
                clauses.extend(p.filters.iter().map(|fl| filter(fl.query.box_clone())));
                let n = self.count(&*all(clauses))?;
                if n > 0 && best.as_ref().is_none_or(|(_, bn, _)| n > *bn) {
                    best = Some((d, n, candidate));
                }
            }
            if let Some((_, _, candidate)) = best {
                corrected.terms[*index] = Typed::Word(candidate);
                changed = true;
            }
        }
        if !changed {
            return Ok(None);
        }
        let text = corrected.render();
        let suggested = SearchQuery {
            q: text.clone(),
            ..query.on_page(1)
        };
        let mut reparsed = query::parse(&text, &self.filter_names());
        let mut ignored = Vec::new();
        let p2 = self.prepare(&mut reparsed, &suggested, viewer, &mut ignored);
        let total = self.count(&*self.assemble(&p2, None, None))?;
        Ok((total > 0).then_some(Suggestion {
            text,
            query: suggested,
            total,
        }))
    }

    /// With no results: the search without each of its filters, when that finds something.
    fn without_filters(
        &self,
        parsed: &Parsed,
        query: &SearchQuery,
        p: &Prepared,
        labels: &mut HashMap<(String, String), String>,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let mut out = Vec::new();
        for (i, fl) in p.filters.iter().enumerate() {
            let total = self.count(&*self.assemble(p, None, Some(i)))?;
            if total == 0 {
                continue;
            }
            let (text, next) = match &fl.source {
                Source::Param(name) => {
                    let value = query.filters.get(name).cloned().unwrap_or_default();
                    let title = self
                        .facets
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or(name.as_str(), |(_, t)| t);
                    let label = self.label(p, labels, name, &value)?;
                    let mut next = query.on_page(1);
                    next.filters.remove(name);
                    (format!("{title}: {label}"), next)
                }
                Source::Typed(n) => {
                    let mut without = parsed.clone();
                    let (name, value) = without.filters.remove(*n);
                    (
                        format!("{name}:{value}"),
                        SearchQuery {
                            q: without.render(),
                            ..query.on_page(1)
                        },
                    )
                }
            };
            out.push(Suggestion {
                text,
                query: next,
                total,
            });
        }
        Ok(out)
    }
}

fn facet_root(name: &str) -> tantivy::schema::Facet {
    tantivy::schema::Facet::from_path([name])
}

fn exact_facet(field: Field, name: &str, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_facet(field, &facet(name, value)),
        IndexRecordOption::Basic,
    ))
}

/// The values with the `max` highest counts, and any tied with the last of them (shown values
/// with equal counts are ordered by label, so ties at the cut are kept for that).
fn most_counted(mut values: Vec<(String, u64)>, max: usize) -> Vec<(String, u64)> {
    values.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    if let Some(&(_, last)) = values.get(max.saturating_sub(1)) {
        values.retain(|(_, count)| *count >= last);
    }
    values
}

/// The values of facet `name` in `counts`, with their counts.
fn children(counts: &FacetCounts, name: &str) -> Vec<(String, u64)> {
    counts
        .get(facet_root(name))
        .filter_map(|(facet, count)| facet.to_path().get(1).map(|v| ((*v).to_owned(), count)))
        .filter(|(_, count)| *count > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert_eq!(distance("smartcard", "smartcrad"), 1);
        assert_eq!(distance("sso", "sso"), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn only_the_most_counted_facet_values_and_ties_with_the_last_are_kept() {
        let values = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
            v.iter().map(|(s, c)| ((*s).to_owned(), *c)).collect()
        };
        let kept = most_counted(
            values(&[("a", 1), ("b", 5), ("c", 3), ("d", 3), ("e", 2)]),
            3,
        );
        assert_eq!(kept, values(&[("b", 5), ("c", 3), ("d", 3)]));
        let kept = most_counted(values(&[("a", 1), ("b", 5), ("c", 3), ("d", 3)]), 2);
        assert_eq!(kept, values(&[("b", 5), ("c", 3), ("d", 3)]));
        assert_eq!(most_counted(values(&[("a", 1)]), 20), values(&[("a", 1)]));
    }

    #[test]
    fn facet_names_do_not_clash_with_address_parameters() {
        let names = facet_names();
        for (name, _) in &names {
            assert!(!RESERVED_PARAMS.contains(name), "{name}");
        }
        assert!(names.iter().any(|(n, _)| *n == "phase"));
    }
}

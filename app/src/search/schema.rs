//! What the index stores for each document: the fields, how their text is split into words, and
//! the tantivy document built from a document as readers see it. Changing anything here changes
//! what an index holds: raise [`SCHEMA_VERSION`], and existing indexes are rebuilt on start.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    STORED, STRING,
};

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, TantivyDocument, Term};

use crate::permissions::{DocumentAccess, Visibility};

/// The version of what an index holds; an index with another version is rebuilt. 2: readers
/// no longer see archived documents that have a newer draft.
pub const SCHEMA_VERSION: u32 = 2;

/// Words split on anything but letters and digits, lower-cased and with accents removed.
pub const RAW: &str = "trustshare_raw";
/// [`RAW`], then reduced to their English stem ("deploying", "deployment" → "deploy").
pub const STEM: &str = "trustshare_stem";

/// Words longer than this are dropped (hashes, base64): nobody searches for them.
const LONGEST_WORD: usize = 40;

/// The fields of the index. Text is indexed twice: stemmed (what words match) and as written
/// (phrases, typos and prefixes); only the stemmed title, summary and text are stored, for
/// snippets.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// The document's id in the database.
    pub id: Field,
    pub kind: Field,
    pub slug: Field,
    pub title: Field,
    pub title_raw: Field,
    pub summary: Field,
    pub summary_raw: Field,
    /// Tags and topic.
    pub tags: Field,
    pub tags_raw: Field,
    /// The Markdown text as plain text, then the kind's own fields.
    pub body: Field,
    pub body_raw: Field,
    pub org_name: Field,
    pub org_slug: Field,
    // What the read rule needs (see `permissions::AccessFilter`).
    pub org_id: Field,
    pub visibility: Field,
    /// "yes" when readers see the document (approved, not archived).
    pub readable: Field,
    pub status: Field,
    /// Days since 1970-01-01 of the last update, for sorting by date.
    pub updated: Field,
    /// The day of the last update, as shown.
    pub updated_day: Field,
    /// `/kind/plan`, `/org/nhs-fife`, `/nation/scotland`, `/tag/…`, `/year/2026`, `/phase/pilot`.
    pub facets: Field,
    /// Labels of facet values this document has: `name`, `value`, `label`, separated by
    /// [`LABEL_SEPARATOR`].
    pub labels: Field,
}

/// Separates the parts of a stored label.
pub const LABEL_SEPARATOR: char = '\u{1f}';

/// The text fields a word is looked for in, stemmed and as written, with their weight.
pub struct TextField {
    pub stem: Field,
    pub raw: Field,
    pub weight: f32,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let text = |tokenizer: &str, stored: bool| {
            let options = TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            );
            if stored {
                options.set_stored()
            } else {
                options
            }
        };
        let fields = Fields {
            id: b.add_u64_field(
                "id",
                NumericOptions::default()
                    .set_indexed()
                    .set_stored()
                    .set_fast(),
            ),
            kind: b.add_text_field("kind", STRING | STORED),
            slug: b.add_text_field("slug", STORED),
            title: b.add_text_field("title", text(STEM, true)),
            title_raw: b.add_text_field("title_raw", text(RAW, false)),
            summary: b.add_text_field("summary", text(STEM, true)),
            summary_raw: b.add_text_field("summary_raw", text(RAW, false)),
            tags: b.add_text_field("tags", text(STEM, false)),
            tags_raw: b.add_text_field("tags_raw", text(RAW, false)),
            body: b.add_text_field("body", text(STEM, true)),
            body_raw: b.add_text_field("body_raw", text(RAW, false)),
            org_name: b.add_text_field("org_name", text(RAW, true)),
            org_slug: b.add_text_field("org_slug", STRING | STORED),
            org_id: b.add_u64_field("org_id", NumericOptions::default().set_indexed()),
            visibility: b.add_text_field("visibility", STRING),
            readable: b.add_text_field("readable", STRING | STORED),
            status: b.add_text_field("status", STRING | STORED),
            updated: b.add_i64_field("updated", NumericOptions::default().set_stored().set_fast()),
            updated_day: b.add_text_field("updated_day", STORED),
            facets: b.add_facet_field("facets", FacetOptions::default()),
            labels: b.add_text_field("labels", STORED),
        };
        (b.build(), fields)
    }

    /// The fields words are looked for in. Title, tags and summary weigh more than the text.
    pub fn text_fields(&self) -> [TextField; 5] {
        let f = |stem, raw, weight| TextField { stem, raw, weight };
        [
            f(self.title, self.title_raw, 3.0),
            f(self.tags, self.tags_raw, 2.0),
            f(self.summary, self.summary_raw, 2.0),
            f(self.body, self.body_raw, 1.0),
            // Organisation names are indexed as written only.
            f(self.org_name, self.org_name, 1.0),
        ]
    }

    /// The term that finds a document by id.
    pub fn id_term(&self, id: i64) -> Term {
        Term::from_field_u64(self.id, id as u64)
    }
}

/// The two ways text is split into words.
pub fn analyzers() -> [(&'static str, TextAnalyzer); 2] {
    let raw = || {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(LONGEST_WORD))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
    };
    [
        (RAW, raw().build()),
        (STEM, raw().filter(Stemmer::new(Language::English)).build()),
    ]
}

/// The [`STEM`] analyzer for the snippets of one page of results: the same words, but each
/// distinct word is stemmed once for the whole page (most words of a text repeat), instead of
/// once for every time it occurs in each result.
pub fn snippet_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RememberedStems {
            stems: Arc::default(),
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        })
        .build()
}

/// See [`snippet_analyzer`]: the stems seen so far, shared by the analyzer's clones.
#[derive(Clone)]
struct RememberedStems {
    stems: Arc<Mutex<HashMap<String, String>>>,
    stemmer: TextAnalyzer,
}

impl TokenFilter for RememberedStems {
    type Tokenizer<T: Tokenizer> = RememberedStemsFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberedStemsFilter<T> {
        RememberedStemsFilter { inner, stems: self }
    }
}

#[derive(Clone)]
struct RememberedStemsFilter<T> {
    inner: T,
    stems: RememberedStems,
}

impl<T: Tokenizer> Tokenizer for RememberedStemsFilter<T> {
    type TokenStream<'a> = RememberedStemsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedStemsStream {
            tail: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

struct RememberedStemsStream<'a, S> {
    tail: S,
    stems: &'a mut RememberedStems,
}

impl<S: TokenStream> TokenStream for RememberedStemsStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let known = self
            .stems
            .stems
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&token.text)
            .cloned();
        let stem = match known {
            Some(stem) => stem,
            None => {
                let mut stream = self.stems.stemmer.token_stream(&token.text);
                let stem = if stream.advance() {
                    std::mem::take(&mut stream.token_mut().text)
                } else {
                    token.text.clone()
                };
                drop(stream);
                self.stems
                    .stems
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(token.text.clone(), stem.clone());
                stem
            }
        };
        token.text = stem;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Registers the analyzers with an index (they are not stored in it).
pub fn register(index: &Index) {
    for (name, analyzer) in analyzers() {
        index.tokenizers().register(name, analyzer);
    }
}

/// The words of `text` as an analyzer splits them.
pub fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// A facet value as the index stores it: `/name/value`.
pub fn facet(name: &str, value: &str) -> tantivy::schema::Facet {
    tantivy::schema::Facet::from_path([name, value])
}

/// Everything the index stores about one document, as readers see it (the document row:
/// approved revision, or the newest for a document never approved).
#[derive(Clone, Debug)]
pub struct IndexedDoc {
    pub id: i64,
    pub kind_code: &'static str,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub topic: String,
    pub tags: Vec<String>,
    /// Plain text of the Markdown body and the kind's fields.
    pub text: Vec<String>,
    pub org_slug: String,
    pub org_name: String,
    pub nation: (&'static str, &'static str),
    pub access: DocumentAccess,
    pub updated: crate::dates::Date,
    /// Facet values beyond the common ones: (name, value, label).
    pub facets: Vec<(String, String, String)>,
}

impl IndexedDoc {
    /// The tantivy document.
    pub fn to_document(&self, f: &Fields) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_u64(f.id, self.id as u64);
        d.add_text(f.kind, self.kind_code);
        d.add_text(f.slug, &self.slug);
        for (stem, raw, text) in [
            (f.title, f.title_raw, &self.title),
            (f.summary, f.summary_raw, &self.summary),
        ] {
            d.add_text(stem, text);
            d.add_text(raw, text);
        }
        for tag in self.tags.iter().chain(std::iter::once(&self.topic)) {
            d.add_text(f.tags, tag);
            d.add_text(f.tags_raw, tag);
        }
        let body = self.text.join("\n");
        d.add_text(f.body, &body);
        d.add_text(f.body_raw, &body);
        d.add_text(f.org_name, &self.org_name);
        d.add_text(f.org_slug, &self.org_slug);
        d.add_u64(f.org_id, self.access.org_id as u64);
        d.add_text(f.visibility, self.access.visibility.as_str());
        d.add_text(f.readable, yes_no(self.access.readable_by_readers()));
        d.add_text(f.status, self.access.status.as_str());
        d.add_i64(f.updated, self.updated.to_time().to_julian_day() as i64);
        d.add_text(f.updated_day, self.updated.to_string());
        let year = self.updated.to_time().year().to_string();
        let mut facets: Vec<(&str, &str, &str)> = vec![
            ("kind", self.kind_code, ""),
            ("org", &self.org_slug, &self.org_name),
            ("nation", self.nation.0, self.nation.1),
            ("year", &year, ""),
        ];
        facets.extend(self.tags.iter().map(|t| ("tag", t.as_str(), "")));
        facets.extend(
            self.facets
                .iter()
                .map(|(n, v, l)| (n.as_str(), v.as_str(), l.as_str())),
        );
        for (name, value, label) in facets {
            if value.is_empty() {
                continue;
            }
            d.add_facet(f.facets, facet(name, value));
            if !label.is_empty() {
                d.add_text(
                    f.labels,
                    format!("{name}{LABEL_SEPARATOR}{value}{LABEL_SEPARATOR}{label}"),
                );
            }
        }
        d
    }
}

/// How the index stores a yes or no.
pub fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// The visibility codes, for the access filter.
pub fn visibility_code(v: Visibility) -> &'static str {
    v.as_str()
}

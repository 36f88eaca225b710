//! What a search asks and what it answers: shared by the page, the server functions and the
//! JSON API (`/api/v1/search`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::dates::Date;
use crate::kinds::DocKind;
use crate::orgs::OrgRef;
use crate::permissions::DocStatus;

/// Results on one page.
pub const PER_PAGE: usize = 10;
/// Results a preview (search as you type) gives at most.
pub const PREVIEW_LIMIT: usize = 8;
/// Characters of a query that are used; the rest is cut, with a notice.
pub const MAX_QUERY_CHARS: usize = 256;

/// Address parameters that are not facet filters.
pub const RESERVED_PARAMS: [&str; 4] = ["q", "sort", "page", "drafts"];

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Best match first.
    #[default]
    Relevance,
    /// Most recently updated first.
    Date,
}

/// A search as its address gives it: `/search?q=…&org=nhs-fife&phase=pilot&sort=date&page=2`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// What was typed, in the search language (see `search::query`).
    #[serde(default)]
    pub q: String,
    /// Chosen facet values by facet name (`kind`, `org`, `nation`, `tag`, `year`, and the
    /// kinds' own, like `phase`).
    #[serde(default)]
    pub filters: BTreeMap<String, String>,
    #[serde(default)]
    pub sort: SortOrder,
    /// From 1.
    #[serde(default)]
    pub page: usize,
    /// Also the drafts, reviews and archived documents the viewer may read (editors, their
    /// own organisation's).
    #[serde(default)]
    pub drafts: bool,
}

impl SearchQuery {
    /// A plain search for `q`.
    pub fn text(q: impl Into<String>) -> Self {
        Self {
            q: q.into(),
            ..Self::default()
        }
    }

    /// Reads an address's parameters; any parameter that is not `q`, `sort`, `page` or `drafts`
    /// is a facet filter (empty values are ignored).
    pub fn from_params<'a>(params: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut query = Self::default();
        for (name, value) in params {
            match name {
                "q" => query.q = value.to_owned(),
                "sort" => {
                    query.sort = if value == "date" {
                        SortOrder::Date
                    } else {
                        SortOrder::Relevance
                    }
                }
                "page" => query.page = value.trim().parse().unwrap_or(1),
                "drafts" => query.drafts = matches!(value, "yes" | "true" | "on" | "1"),
                _ if !value.trim().is_empty() && name.len() <= 40 => {
                    query
                        .filters
                        .insert(name.to_owned(), value.trim().to_owned());
                }
                _ => {}
            }
        }
        query
    }

    /// The address of this search.
    pub fn href(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |name: &str, value: &str| {
            parts.push(format!("{}={}", encode(name), encode(value)));
        };
        if !self.q.is_empty() {
            push("q", &self.q);
        }
        for (name, value) in &self.filters {
            push(name, value);
        }
        if self.sort == SortOrder::Date {
            push("sort", "date");
        }
        if self.drafts {
            push("drafts", "yes");
        }
        if self.page > 1 {
            push("page", &self.page.to_string());
        }
        if parts.is_empty() {
            "/search".to_owned()
        } else {
            format!("/search?{}", parts.join("&"))
        }
    }

    /// This search on another page.
    pub fn on_page(&self, page: usize) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// This search with a facet value chosen (or cleared, when it was chosen), from page 1.
    pub fn toggled(&self, name: &str, value: &str) -> Self {
        let mut next = self.on_page(1);
        if next.filters.get(name).is_some_and(|v| v == value) {
            next.filters.remove(name);
        } else {
            next.filters.insert(name.to_owned(), value.to_owned());
        }
        next
    }
}

/// Percent-encodes a query-string value.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A piece of a snippet: text, and whether it is a matching word.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub mark: bool,
}

/// Snippet pieces as HTML: the text escaped, matching words in `<mark>`.
pub fn snippet_html(parts: &[SnippetPart]) -> String {
    let mut html = String::new();
    for part in parts {
        let text = crate::components::escape_html(&part.text);
        if part.mark {
            html.push_str("<mark>");
            html.push_str(&text);
            html.push_str("</mark>");
        } else {
            html.push_str(&text);
        }
    }
    html
}

/// One result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub kind: DocKind,
    pub slug: String,
    pub href: String,
    pub title: String,
    pub org: OrgRef,
    /// The day it was last updated.
    pub updated: Date,
    /// Where the search words occur, matching words marked.
    pub snippet: Vec<SnippetPart>,
    /// [`Self::snippet`] as HTML: text escaped, matching words in `<mark>`.
    pub snippet_html: String,
    /// Set for a document readers do not see yet (or any more): a draft, a review or an
    /// archived document, in a search that asked for them.
    pub status: Option<DocStatus>,
}

/// How many results have one value of a facet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub selected: bool,
}

/// The counts of one facet ("Organisation"), biggest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetGroup {
    /// Its parameter name (`org`).
    pub name: String,
    pub title: String,
    pub values: Vec<FacetCount>,
}

/// Another search to try: a spelling correction, or the search without one filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What to show: the corrected words, or the filter to remove ("Organisation: NHS Fife").
    pub text: String,
    pub query: SearchQuery,
    /// How many results it gives.
    pub total: u64,
}

/// The answer to a search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: SearchQuery,
    /// Whether there was anything to search for (words or filters); an empty search shows
    /// no results.
    pub searched: bool,
    pub total: u64,
    /// The page shown, from 1.
    pub page: usize,
    /// At least 1.
    pub pages: usize,
    pub hits: Vec<SearchHit>,
    pub facets: Vec<FacetGroup>,
    /// With no results: the search with its words corrected, when that finds something.
    pub did_you_mean: Option<Suggestion>,
    /// With no results: the search without each filter that finds something.
    pub without_filters: Vec<Suggestion>,
    /// What was cut or ignored in the query.
    pub notices: Vec<String>,
    /// The index is being built or is catching up with recent changes: results may be missing.
    pub catching_up: bool,
    /// Whether the viewer may include unpublished documents.
    pub drafts_allowed: bool,
}

/// One result of a preview. The kind is its label, not a `DocKind`: the search field's island
/// then needs none of the kinds' code, which keeps the WebAssembly bundle small.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewHit {
    /// "Deployment plan".
    pub kind: String,
    pub href: String,
    pub title: String,
    pub org_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_back_from_its_address() {
        let mut q = SearchQuery::text("smart & card \"x\"");
        q.filters.insert("org".into(), "nhs-fife".into());
        q.sort = SortOrder::Date;
        q.page = 3;
        q.drafts = true;
        let href = q.href();
        let params: Vec<(String, String)> = form_urlencoded_pairs(href.split_once('?').unwrap().1);
        let back = SearchQuery::from_params(params.iter().map(|(a, b)| (a.as_str(), b.as_str())));
        assert_eq!(back, q);
        assert_eq!(q.toggled("org", "nhs-fife").filters.get("org"), None);
        assert_eq!(q.toggled("org", "nhs-fife").page, 1);
    }

    fn form_urlencoded_pairs(query: &str) -> Vec<(String, String)> {
        query
            .split('&')
            .map(|pair| {
                let (a, b) = pair.split_once('=').unwrap();
                (decode(a), decode(b))
            })
            .collect()
    }

    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn snippets_are_escaped_and_marked() {
        let parts = vec![
            SnippetPart {
                text: "<b>A&E</b> ".into(),
                mark: false,
            },
            SnippetPart {
                text: "sso".into(),
                mark: true,
            },
        ];
        assert_eq!(
            snippet_html(&parts),
            "&lt;b&gt;A&amp;E&lt;/b&gt; <mark>sso</mark>"
        );
    }
}

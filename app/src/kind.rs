//! What every kind of document provides. A kind (guides, deployment plans, lessons learned) is
//! one module implementing [`Kind`]: it owns its fields, the part of the editor that edits them,
//! their front matter, their text in a comparison, how the page shows them, and the checks they
//! must pass before they are saved or imported. `documents` works with any kind through
//! [`DocumentKind`] and never names one; `kinds` registers them.

use std::fmt::Debug;
use std::marker::PhantomData;

use leptos::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::components::form::{Errors, FormError};
use crate::dates::Date;
use crate::permissions::Visibility;

/// The kind's part of the editing form, exactly as posted: the names it declares, each a text or
/// rows of texts. Everything else in the form is common to every kind.
pub type FormPart = serde_json::Map<String, serde_json::Value>;

/// How a kind is named on pages, in addresses and in storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindNames {
    /// Stored in `documents.kind`: "plan".
    pub code: &'static str,
    /// First path segment of its pages and its folder in a content tree: "plans".
    pub path: &'static str,
    /// One of them, in a sentence: "deployment plan".
    pub label: &'static str,
    /// Heading of its list: "Deployment plans".
    pub plural_title: &'static str,
    /// Navigation and breadcrumbs: "Plans".
    pub short_plural: &'static str,
    /// Heading of its section on the home page.
    pub home_heading: &'static str,
}

/// The Markdown text every document has, as this kind uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyUse {
    /// Whether a document of this kind must have text.
    pub required: bool,
    /// Label of the editor's text field.
    pub label: &'static str,
    /// Heading above the text on the page, when the kind's own sections come first.
    pub heading: Option<&'static str>,
    /// Whether the page shows a contents list of the text's headings.
    pub contents_list: bool,
}

/// A link from a document to another, as `{kind path}/{slug}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocLink {
    pub kind_path: String,
    pub slug: String,
    /// The field that holds it, to name in a message when the linked document is missing.
    pub field: &'static str,
}

impl DocLink {
    /// `plans/nhs-fife-sso-rollout`, as written in forms and front matter.
    pub fn as_path(&self) -> String {
        format!("{}/{}", self.kind_path, self.slug)
    }
}

/// A linked document the viewer may read: its address and title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedDoc {
    pub href: String,
    pub title: String,
}

/// A problem with a kind's fields found by [`Kind::check`]; `field` is both the front-matter
/// name and the editor field id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
    /// For a field holding a text of its own (a configuration's YAML), the line of that text
    /// the problem is on, from 1, so an importer can point at the line of the file.
    pub line: Option<usize>,
}

impl Problem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            line: None,
        }
    }

    /// The same problem, on this line of the field's text.
    pub fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

/// What [`Kind::check`] knows about the document besides its fields.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckContext<'a> {
    /// The slug of the organisation the document belongs to, when that is settled.
    pub organisation: Option<&'a str>,
}

/// A file format a kind's documents also come in besides Markdown: the kind's fields alone, in
/// a language of their own (an access-management configuration as YAML or JSON). Readers may
/// download a document in it (`/access/nhs-fife/export.yaml`), `trustshare import` reads files
/// with its extension from the kind's folder, and the editor accepts one as an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileFormat {
    /// The extension of its files and of the export address: `yaml`.
    pub extension: &'static str,
    /// Its media type.
    pub content_type: &'static str,
    /// Its name on download links: "YAML".
    pub label: &'static str,
}

/// What a self-describing kind's fields say about the document they are (see
/// [`Kind::SELF_DESCRIBING`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Described {
    /// The slug of the organisation they belong to, which is also the document's slug.
    pub organisation: String,
    /// Who may read the document once published.
    pub visibility: Visibility,
    /// The day the fields describe, the date of a document imported from a plain file.
    pub as_of: Option<Date>,
}

/// A value a kind's documents are filtered and counted by in search, beyond those every document
/// has (kind, organisation, nation, tags, year): a lesson's phase, say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SearchFacet {
    /// Its name in search addresses and queries (`phase` in `/search?phase=pilot` and
    /// `phase:pilot`).
    pub name: &'static str,
    /// The heading of its counts on the results page.
    pub title: &'static str,
}

/// A kind's fields as search indexes them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchFields {
    /// Their plain text, searched along with the document's text.
    pub text: Vec<String>,
    /// Their values for the kind's [`Kind::SEARCH_FACETS`].
    pub facets: Vec<FacetValue>,
}

/// One facet value of a document: `phase` = `pilot`, shown as "Pilot".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FacetValue {
    pub name: &'static str,
    /// As written in addresses: a code.
    pub value: String,
    pub label: String,
}

/// What [`Kind::complete_page`] may use: the database, who is looking, the document's
/// organisation and the day the page is shown.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
pub struct PageContext<'a> {
    pub db: &'a crate::db::Db,
    pub viewer: &'a crate::permissions::Viewer,
    pub org_id: i64,
    pub org_slug: &'a str,
    pub today: Date,
}

/// The page a kind completes, later.
#[cfg(feature = "ssr")]
pub type PageFuture<'a, T> =
    std::pin::Pin<Box<dyn std::future::Future<Output = crate::error::AppResult<T>> + Send + 'a>>;

/// A kind of document, with typed fields.
pub trait Kind: Send + Sync + 'static {
    /// What a document of this kind has beyond the common fields; stored as JSON and written in
    /// front matter by its serde names.
    type Fields: Serialize + DeserializeOwned + Default + Clone + PartialEq + Debug + Send + Sync;
    /// The kind's part of the editor form, every value as typed.
    type Form: Serialize + DeserializeOwned + Default + Clone + Send + Sync;
    /// What its page shows beyond the common parts.
    type Page: Serialize + DeserializeOwned + Clone + Send + Sync + 'static;

    const NAMES: KindNames;
    const BODY: BodyUse;
    /// What its documents can be filtered and counted by in search, beyond what every document
    /// has.
    const SEARCH_FACETS: &'static [SearchFacet] = &[];
    /// Whether the fields describe their own document: they name its organisation and who may
    /// read it ([`Kind::describe`]). Such a kind has one document per organisation, at the
    /// organisation's slug, and the editor asks for neither a web address nor a visibility.
    const SELF_DESCRIBING: bool = false;
    /// The formats its documents come in besides Markdown (see [`FileFormat`]).
    const FILE_FORMATS: &'static [FileFormat] = &[];

    /// The form of a new document for an organisation (its slug): empty unless the kind offers
    /// a starting point.
    fn new_form(_organisation: &str) -> Self::Form {
        Self::Form::default()
    }
    /// The form filled from stored fields.
    fn to_form(fields: &Self::Fields) -> Self::Form;
    /// Reads the form, adding an error per field that cannot be read (ids as the form shows them).
    fn read_form(form: &Self::Form, errors: &mut Vec<FormError>) -> Self::Fields;
    /// The rules the fields must meet, whether typed in the editor or imported.
    #[cfg(feature = "ssr")]
    fn check(fields: &Self::Fields, cx: CheckContext<'_>) -> Vec<Problem>;
    /// What the fields say about their document, when the kind is [`Kind::SELF_DESCRIBING`]
    /// and they can be read.
    #[cfg(feature = "ssr")]
    fn describe(_fields: &Self::Fields) -> Option<Described> {
        None
    }
    /// The fields of a file in one of [`Kind::FILE_FORMATS`], as given; [`Kind::check`] judges
    /// them.
    #[cfg(feature = "ssr")]
    fn fields_from_file(_text: &str) -> Self::Fields {
        Self::Fields::default()
    }
    /// The fields as a file in one of [`Kind::FILE_FORMATS`].
    #[cfg(feature = "ssr")]
    fn to_file(_fields: &Self::Fields, format: &FileFormat) -> Result<String, String> {
        Err(format!("no {} export", format.label))
    }
    /// The title and summary of a document imported from a plain file, which has no front
    /// matter, given its organisation's name.
    #[cfg(feature = "ssr")]
    fn file_title(_fields: &Self::Fields, organisation_name: &str) -> (String, String) {
        (organisation_name.to_owned(), String::new())
    }
    /// Other documents it links to; each must exist when it is saved.
    fn links(fields: &Self::Fields) -> Vec<DocLink>;
    /// The fields as readable text, in the order the editor shows them, for comparisons.
    fn diff_text(fields: &Self::Fields) -> Vec<(&'static str, String)>;
    /// What the page shows, given the linked documents the viewer may read and the day it is
    /// shown (checks that depend on dates are judged as of then).
    #[cfg(feature = "ssr")]
    fn page(fields: Self::Fields, links: Vec<LinkedDoc>, today: Date) -> Self::Page;
    /// Adds to the page what the kind stores about the document's organisation besides the
    /// document itself, as this viewer may see it (a configuration's waivers); the page as it
    /// is by default. Called on every page and revision shown, never cached.
    #[cfg(feature = "ssr")]
    fn complete_page(page: Self::Page, _cx: PageContext<'_>) -> PageFuture<'_, Self::Page> {
        Box::pin(std::future::ready(Ok(page)))
    }
    /// The fields as search indexes them: their plain text (Markdown rendered to text), and a
    /// value for each of [`Self::SEARCH_FACETS`].
    #[cfg(feature = "ssr")]
    fn search(fields: &Self::Fields) -> SearchFields;
    /// The page's section for this kind.
    fn page_view(page: Self::Page) -> AnyView;
    /// The editor's section for this kind.
    fn form_view(form: Self::Form, errors: Errors) -> AnyView;
}

/// A [`Kind`] as `documents` uses it, without knowing which: fields travel as JSON values that
/// the kind parses into its own types, and a value it cannot parse is an error, never a default.
pub trait DocumentKind: Send + Sync + 'static {
    fn names(&self) -> &'static KindNames;
    fn body(&self) -> BodyUse;
    fn self_describing(&self) -> bool;
    fn file_formats(&self) -> &'static [FileFormat];
    /// The kind's part of a new document's form.
    fn new_form(&self, organisation: &str) -> FormPart;
    /// Stored fields, parsed and checked for shape; `Err` says why they cannot be read.
    fn parse(&self, stored: &serde_json::Value) -> Result<serde_json::Value, String>;
    /// Empty fields, for a new document.
    fn empty(&self) -> serde_json::Value;
    fn form_from(&self, fields: &serde_json::Value) -> Result<FormPart, String>;
    fn read_form(&self, form: &FormPart, errors: &mut Vec<FormError>) -> serde_json::Value;
    /// Fields from the kind's part of a front matter; `Err` names the field and the problem.
    fn read_front_matter(&self, part: FormPart) -> Result<serde_json::Value, Problem>;
    /// The fields as front matter.
    fn front_matter(&self, fields: &serde_json::Value) -> Result<FormPart, String>;
    #[cfg(feature = "ssr")]
    fn check(&self, fields: &serde_json::Value, cx: CheckContext<'_>) -> Vec<Problem>;
    #[cfg(feature = "ssr")]
    fn describe(&self, fields: &serde_json::Value) -> Option<Described>;
    #[cfg(feature = "ssr")]
    fn fields_from_file(&self, text: &str) -> serde_json::Value;
    #[cfg(feature = "ssr")]
    fn to_file(&self, fields: &serde_json::Value, format: &FileFormat) -> Result<String, String>;
    #[cfg(feature = "ssr")]
    fn file_title(
        &self,
        fields: &serde_json::Value,
        organisation_name: &str,
    ) -> Result<(String, String), String>;
    fn links(&self, fields: &serde_json::Value) -> Vec<DocLink>;
    fn diff_text(&self, fields: &serde_json::Value) -> Result<Vec<(&'static str, String)>, String>;
    #[cfg(feature = "ssr")]
    fn page(
        &self,
        fields: &serde_json::Value,
        links: Vec<LinkedDoc>,
        today: Date,
    ) -> Result<serde_json::Value, String>;
    /// See [`Kind::complete_page`].
    #[cfg(feature = "ssr")]
    fn complete_page<'a>(
        &'a self,
        page: serde_json::Value,
        cx: PageContext<'a>,
    ) -> PageFuture<'a, serde_json::Value>;
    fn search_facets(&self) -> &'static [SearchFacet];
    /// The fields as search indexes them; `Err` says why they cannot be read.
    #[cfg(feature = "ssr")]
    fn search(&self, fields: &serde_json::Value) -> Result<SearchFields, String>;
    fn page_view(&self, page: serde_json::Value) -> AnyView;
    fn form_view(&self, form: &FormPart, errors: Errors) -> AnyView;
}

/// Registers a [`Kind`]: `&Registered::<plans::Plans>::KIND` in the list of kinds.
pub struct Registered<K: Kind>(PhantomData<K>);

impl<K: Kind> Registered<K> {
    pub const KIND: Self = Self(PhantomData);
}

fn typed<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

fn value<T: Serialize>(typed: &T) -> serde_json::Value {
    // Serialising our own field types to JSON cannot fail: they have string keys only.
    serde_json::to_value(typed).unwrap_or_default()
}

fn object(value: serde_json::Value) -> FormPart {
    match value {
        serde_json::Value::Object(map) => map,
        _ => FormPart::new(),
    }
}

impl<K: Kind> DocumentKind for Registered<K> {
    fn names(&self) -> &'static KindNames {
        &K::NAMES
    }

    fn body(&self) -> BodyUse {
        K::BODY
    }

    fn self_describing(&self) -> bool {
        K::SELF_DESCRIBING
    }

    fn file_formats(&self) -> &'static [FileFormat] {
        K::FILE_FORMATS
    }

    fn new_form(&self, organisation: &str) -> FormPart {
        object(value(&K::new_form(organisation)))
    }

    fn parse(&self, stored: &serde_json::Value) -> Result<serde_json::Value, String> {
        typed::<K::Fields>(stored).map(|f| value(&f))
    }

    fn empty(&self) -> serde_json::Value {
        value(&K::Fields::default())
    }

    fn form_from(&self, fields: &serde_json::Value) -> Result<FormPart, String> {
        Ok(object(value(&K::to_form(&typed(fields)?))))
    }

    fn read_form(&self, form: &FormPart, errors: &mut Vec<FormError>) -> serde_json::Value {
        // Fields the kind does not declare are ignored; a malformed value reads as empty, and
        // the checks then name what is missing.
        let form: K::Form =
            typed(&serde_json::Value::Object(form.clone())).unwrap_or_else(|_| K::Form::default());
        value(&K::read_form(&form, errors))
    }

    fn read_front_matter(&self, part: FormPart) -> Result<serde_json::Value, Problem> {
        let fields: K::Fields =
            typed(&serde_json::Value::Object(part.clone())).map_err(|message| {
                let field = message
                    .strip_prefix("unknown field `")
                    .or_else(|| message.strip_prefix("missing field `"))
                    .and_then(|rest| rest.split('`').next())
                    .map(str::to_owned)
                    .or_else(|| {
                        (part.len() == 1)
                            .then(|| part.keys().next().cloned())
                            .flatten()
                    })
                    .unwrap_or_default();
                if message.starts_with("unknown field") {
                    Problem::new(
                        field,
                        format!("this field is not used by a {}", K::NAMES.label),
                    )
                } else {
                    Problem::new(field, message)
                }
            })?;
        Ok(value(&fields))
    }

    fn front_matter(&self, fields: &serde_json::Value) -> Result<FormPart, String> {
        Ok(object(value(&typed::<K::Fields>(fields)?)))
    }

    #[cfg(feature = "ssr")]
    fn check(&self, fields: &serde_json::Value, cx: CheckContext<'_>) -> Vec<Problem> {
        match typed::<K::Fields>(fields) {
            Ok(f) => K::check(&f, cx),
            Err(m) => vec![Problem::new("fields", m)],
        }
    }

    #[cfg(feature = "ssr")]
    fn describe(&self, fields: &serde_json::Value) -> Option<Described> {
        K::describe(&typed(fields).ok()?)
    }

    #[cfg(feature = "ssr")]
    fn fields_from_file(&self, text: &str) -> serde_json::Value {
        value(&K::fields_from_file(text))
    }

    #[cfg(feature = "ssr")]
    fn to_file(&self, fields: &serde_json::Value, format: &FileFormat) -> Result<String, String> {
        K::to_file(&typed(fields)?, format)
    }

    #[cfg(feature = "ssr")]
    fn file_title(
        &self,
        fields: &serde_json::Value,
        organisation_name: &str,
    ) -> Result<(String, String), String> {
        Ok(K::file_title(&typed(fields)?, organisation_name))
    }

    fn links(&self, fields: &serde_json::Value) -> Vec<DocLink> {
        typed::<K::Fields>(fields)
            .map(|f| K::links(&f))
            .unwrap_or_default()
    }

    fn diff_text(&self, fields: &serde_json::Value) -> Result<Vec<(&'static str, String)>, String> {
        Ok(K::diff_text(&typed(fields)?))
    }

    #[cfg(feature = "ssr")]
    fn page(
        &self,
        fields: &serde_json::Value,
        links: Vec<LinkedDoc>,
        today: Date,
    ) -> Result<serde_json::Value, String> {
        Ok(value(&K::page(typed(fields)?, links, today)))
    }

    #[cfg(feature = "ssr")]
    fn complete_page<'a>(
        &'a self,
        page: serde_json::Value,
        cx: PageContext<'a>,
    ) -> PageFuture<'a, serde_json::Value> {
        Box::pin(async move {
            let page: K::Page = typed(&page).map_err(|e| {
                tracing::error!(kind = K::NAMES.code, "kind page: {e}");
                crate::error::AppError::Unreadable
            })?;
            Ok(value(&K::complete_page(page, cx).await?))
        })
    }

    fn search_facets(&self) -> &'static [SearchFacet] {
        K::SEARCH_FACETS
    }

    #[cfg(feature = "ssr")]
    fn search(&self, fields: &serde_json::Value) -> Result<SearchFields, String> {
        Ok(K::search(&typed(fields)?))
    }

    fn page_view(&self, page: serde_json::Value) -> AnyView {
        match typed::<K::Page>(&page) {
            Ok(page) => K::page_view(page),
            Err(_) => ().into_any(),
        }
    }

    fn form_view(&self, form: &FormPart, errors: Errors) -> AnyView {
        let form: K::Form =
            typed(&serde_json::Value::Object(form.clone())).unwrap_or_else(|_| K::Form::default());
        K::form_view(form, errors)
    }
}

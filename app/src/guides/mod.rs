//! Best-practice guides: Markdown documents with a summary, tags and a topic.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::toc::TocEntry;
use crate::documents::Visibility;
use crate::error::AppError;
use crate::orgs::OrgRef;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

/// Guides shown on one page of the list.
pub const PER_PAGE: i64 = 10;

/// A guide as listed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuideSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub org: OrgRef,
    pub topic: String,
    /// `YYYY-MM-DD`.
    pub updated: String,
    pub tags: Vec<String>,
}

/// Filters of the guide list, as given in its address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuideQuery {
    pub tag: Option<String>,
    pub org: Option<String>,
    pub q: Option<String>,
    pub page: i64,
}

/// A count of guides sharing a tag or an organisation, for the filter panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Facet {
    pub value: String,
    pub label: String,
    pub count: i64,
}

/// One page of the guide list with its filters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuideList {
    pub items: Vec<GuideSummary>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub tags: Vec<Facet>,
    pub orgs: Vec<Facet>,
}

/// Everything `/guides/{slug}` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GuideDetail {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub org: OrgRef,
    pub owner: Option<String>,
    pub topic: String,
    pub tags: Vec<String>,
    pub visibility: Visibility,
    pub updated: String,
    pub review_by: Option<String>,
    pub review_overdue: bool,
    /// Sanitised HTML of the body.
    pub html: String,
    pub toc: Vec<TocEntry>,
}

/// Published guides the viewer may read, filtered and paginated.
#[server(endpoint = "guides/list")]
pub async fn list_guides(query: GuideQuery) -> Result<GuideList, AppError> {
    let viewer = crate::permissions::viewer().await?;
    let state = crate::state::app_state()?;
    store::list(&state.db, &viewer, &query).await
}

/// One guide, if it exists and the viewer may read it (otherwise "not found", never "forbidden").
#[server(endpoint = "guides/get")]
pub async fn get_guide(slug: String) -> Result<GuideDetail, AppError> {
    let viewer = crate::permissions::viewer().await?;
    let state = crate::state::app_state()?;
    store::detail(&state.db, &viewer, &slug).await
}

/// The most recently updated guides the viewer may read, for the home page.
#[server(endpoint = "guides/recent")]
pub async fn recent_guides() -> Result<Vec<GuideSummary>, AppError> {
    let viewer = crate::permissions::viewer().await?;
    let state = crate::state::app_state()?;
    let list = store::list(&state.db, &viewer, &GuideQuery::default()).await?;
    Ok(list.items.into_iter().take(6).collect())
}

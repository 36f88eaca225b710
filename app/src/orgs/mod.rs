//! Organisations: trusts, health boards, national bodies and suppliers.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::documents::model::DocSummary;
use crate::error::AppError;

pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;

/// The four UK nations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Nation {
    England,
    Scotland,
    Wales,
    NorthernIreland,
}

impl Nation {
    pub const ALL: [Nation; 4] = [
        Nation::England,
        Nation::Scotland,
        Nation::Wales,
        Nation::NorthernIreland,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Nation::England => "england",
            Nation::Scotland => "scotland",
            Nation::Wales => "wales",
            Nation::NorthernIreland => "northern-ireland",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Nation::England => "England",
            Nation::Scotland => "Scotland",
            Nation::Wales => "Wales",
            Nation::NorthernIreland => "Northern Ireland",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// What sort of organisation it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    Trust,
    HealthBoard,
    NationalBody,
    Supplier,
}

impl OrgKind {
    pub const ALL: [OrgKind; 4] = [
        OrgKind::Trust,
        OrgKind::HealthBoard,
        OrgKind::NationalBody,
        OrgKind::Supplier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Trust => "trust",
            OrgKind::HealthBoard => "health-board",
            OrgKind::NationalBody => "national-body",
            OrgKind::Supplier => "supplier",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Trust => "Trust",
            OrgKind::HealthBoard => "Health board",
            OrgKind::NationalBody => "National body",
            OrgKind::Supplier => "Supplier",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A link to an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub slug: String,
    pub name: String,
}

/// An organisation as listed on `/orgs`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgListItem {
    pub slug: String,
    pub name: String,
    pub code: String,
    pub nation: Nation,
    pub kind: OrgKind,
    pub parent: Option<OrgRef>,
    /// Published documents this viewer can read.
    pub document_count: i64,
}

/// A member shown on an organisation's page (signed-in viewers only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub job_title: String,
    pub role: crate::auth::Role,
}

/// Everything `/orgs/{slug}` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrgPage {
    pub slug: String,
    pub name: String,
    pub code: String,
    pub nation: Nation,
    pub kind: OrgKind,
    pub parent: Option<OrgRef>,
    pub children: Vec<OrgRef>,
    /// Sanitised HTML of the description.
    pub description_html: String,
    /// Published documents of every kind the viewer may read.
    pub documents: Vec<DocSummary>,
    /// `None` when the viewer may not see people.
    pub members: Option<Vec<Member>>,
}

/// All organisations, by nation then name.
#[server(endpoint = "orgs/list")]
pub async fn list_orgs() -> Result<Vec<OrgListItem>, AppError> {
    let viewer = crate::permissions::viewer().await?;
    let state = crate::state::app_state()?;
    Ok(store::list(&state.db, &viewer).await?)
}

/// One organisation's page.
#[server(endpoint = "orgs/get")]
pub async fn get_org(slug: String) -> Result<OrgPage, AppError> {
    crate::error::with_status(
        async {
            store::page(
                &crate::state::app_state()?.db,
                &crate::permissions::viewer().await?,
                &slug,
            )
            .await
        }
        .await,
    )
}

//! Organisations: trusts, health boards, national bodies and suppliers. Their pages, which
//! show their documents and people too, are composed in `pages::orgs`.

use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod store;

crate::coded_enum! {
    /// The four UK nations.
    pub enum Nation ("nation") {
        England = "england", "England";
        Scotland = "scotland", "Scotland";
        Wales = "wales", "Wales";
        NorthernIreland = "northern-ireland", "Northern Ireland";
    }
}

crate::coded_enum! {
    /// What sort of organisation it is.
    pub enum OrgKind ("kind") {
        Trust = "trust", "Trust";
        HealthBoard = "health-board", "Health board";
        NationalBody = "national-body", "National body";
        Supplier = "supplier", "Supplier";
    }
}

/// A link to an organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub slug: String,
    pub name: String,
}

impl OrgRef {
    /// The organisation's page.
    pub fn href(&self) -> String {
        format!("/orgs/{}", self.slug)
    }
}

/// An organisation as stored, with its parent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub code: String,
    pub nation: Nation,
    pub kind: OrgKind,
    pub parent: Option<OrgRef>,
    /// Markdown.
    pub description: String,
}

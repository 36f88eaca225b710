//! What the contact pages show and what their forms send: shared by server and browser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ContactRole, ContactVisibility};
use crate::components::form::FormError;
use crate::orgs::OrgRef;

/// Contacts on one page of the directory.
pub const PAGE_SIZE: i64 = 20;

/// The address of a contact's page.
pub fn contact_href(slug: &str) -> String {
    format!("/contacts/{slug}")
}

/// The address of a contact's vCard.
pub fn vcard_href(slug: &str) -> String {
    format!("/contacts/{slug}.vcf")
}

/// A value a list can be filtered by, with its label (as the events' filters have them).
pub use crate::events::model::Choice;

/// Filters of `/contacts` (and of its exports), as given in the address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactQuery {
    /// The slug of the contact's organisation.
    #[serde(default)]
    pub org: Option<String>,
    /// The code of a role.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub initiative: Option<String>,
    /// The code of a nation (of the contact's organisation).
    #[serde(default)]
    pub nation: Option<String>,
    /// Words of the name.
    #[serde(default)]
    pub q: Option<String>,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<String>,
}

impl ContactQuery {
    /// The filters (not the page) as a query string, empty values left out.
    pub fn filters(&self) -> String {
        [
            ("org", &self.org),
            ("role", &self.role),
            ("initiative", &self.initiative),
            ("nation", &self.nation),
            ("q", &self.q),
        ]
        .into_iter()
        .filter_map(|(name, value)| {
            let value = value.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            Some(format!(
                "{name}={}",
                crate::components::layout::encode(value)
            ))
        })
        .collect::<Vec<_>>()
        .join("&")
    }

    /// `base` with these filters and, when given, a page.
    pub fn href(&self, base: &str, page: Option<i64>) -> String {
        let mut query = self.filters();
        if let Some(page) = page.filter(|p| *p > 1) {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("page={page}"));
        }
        if query.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{query}")
        }
    }

    /// The page asked for: 1 when missing or not a number.
    pub fn page_number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<i64>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1)
    }
}

/// A contact in the directory: no email or telephone, which only its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedContact {
    pub slug: String,
    pub name: String,
    pub job_title: String,
    pub org: OrgRef,
    pub roles: Vec<ContactRole>,
    /// The day it was last checked, when that was more than a year ago.
    pub not_verified_since: Option<String>,
    pub archived: bool,
}

impl ListedContact {
    pub fn href(&self) -> String {
        contact_href(&self.slug)
    }
}

/// `/contacts`: one page of the directory with its filters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactList {
    pub items: Vec<ListedContact>,
    /// How many contacts match, over every page.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub orgs: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub initiatives: Vec<String>,
    pub nations: Vec<Choice>,
    /// Whether the viewer may add contacts.
    pub can_add: bool,
    /// Whether the viewer may export contacts (CSV, and the list as vCards) and import them.
    pub can_export: bool,
    /// What the hourly limit allows.
    pub per_hour: u32,
}

/// A deployment plan a contact is linked to, with their part in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedPlan {
    pub href: String,
    pub title: String,
    pub part: String,
}

/// An event of a plan a contact is linked to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedEvent {
    pub href: String,
    pub title: String,
    /// When, as people read it.
    pub when: String,
    pub datetime: String,
}

/// `/contacts/{slug}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub slug: String,
    pub name: String,
    pub job_title: String,
    pub team: String,
    pub org: OrgRef,
    pub roles: Vec<ContactRole>,
    pub email: String,
    pub phone: String,
    pub initiatives: Vec<String>,
    pub visibility: ContactVisibility,
    pub last_verified: String,
    /// Whether it was last checked more than a year ago.
    pub stale: bool,
    pub archived: bool,
    pub plans: Vec<LinkedPlan>,
    pub events: Vec<LinkedEvent>,
    /// Whether the viewer may change or archive it.
    pub can_edit: bool,
    /// Its version, which the archive form sends back.
    pub version: i64,
}

impl ContactView {
    pub fn vcard_href(&self) -> String {
        vcard_href(&self.slug)
    }
}

/// The contact editor's form, every value as typed. Posted to `contacts/save` as `form[…]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    /// The contact being changed; empty for a new one.
    #[serde(default)]
    pub slug: String,
    /// The contact's version when the form was shown.
    #[serde(default)]
    pub version: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub job_title: String,
    /// The slug of the contact's organisation.
    #[serde(default)]
    pub org: String,
    /// Ticked roles by code (`form[roles][it-lead]=yes`).
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub team: String,
    /// One initiative per line.
    #[serde(default)]
    pub initiatives: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub last_verified: String,
    #[serde(default)]
    pub visibility: String,
}

/// `/contacts/new` and `/contacts/{slug}/edit`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactEditor {
    /// The contact being changed; `None` for a new one.
    pub slug: Option<String>,
    pub heading: String,
    pub form: ContactForm,
    pub errors: Vec<FormError>,
    /// The organisations the user may keep contacts for.
    pub orgs: Vec<Choice>,
    pub archived: bool,
    /// Today, for "checked today".
    pub today: String,
}

impl ContactEditor {
    pub fn href(slug: Option<&str>) -> String {
        match slug {
            Some(slug) => format!("/contacts/{slug}/edit"),
            None => "/contacts/new".to_owned(),
        }
    }
}

/// Archives or restores a contact. Posted to `contacts/archive`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub version: i64,
    /// `archive` or `restore`.
    #[serde(default)]
    pub action: String,
}

/// The CSV import form. Posted to `contacts/import` as `form[…]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportForm {
    /// The CSV text, as pasted (or carried from the dry run).
    #[serde(default)]
    pub csv: String,
    /// `check` for the dry run, `import` to write the rows the dry run found valid.
    #[serde(default)]
    pub action: String,
    /// The fingerprint of the text the dry run checked: an import of any other text is a new
    /// dry run.
    #[serde(default)]
    pub checked: String,
}

/// One row of the file as the dry run found it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowReport {
    /// The line of the file where the row starts.
    pub line: u64,
    pub name: String,
    pub organisation: String,
    /// Empty when the row can be imported.
    pub problems: Vec<String>,
}

/// What a dry run found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub rows: Vec<RowReport>,
    /// Problems of the file as a whole (its header, its size): nothing can be imported.
    pub file_problems: Vec<String>,
}

impl ImportReport {
    /// Rows that can be imported.
    pub fn ready(&self) -> usize {
        if !self.file_problems.is_empty() {
            return 0;
        }
        self.rows.iter().filter(|r| r.problems.is_empty()).count()
    }
}

/// `/contacts/import`: the form, and the dry run of the text in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPage {
    pub form: ImportForm,
    pub report: Option<ImportReport>,
    /// The columns a file has, in order.
    pub columns: Vec<String>,
    /// The organisations the user may import contacts for.
    pub orgs: Vec<Choice>,
}

/// A contact of a deployment plan, on the plan's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanContactView {
    pub href: String,
    pub name: String,
    pub job_title: String,
    pub org: OrgRef,
    /// Their part in the plan.
    pub part: String,
}

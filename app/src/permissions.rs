//! The one place that decides who may see and do what. Every read path asks it: single
//! documents through [`Viewer::can_read_document`], lists and counts through
//! [`Viewer::document_filter`], which states the same rule in SQL.

use crate::auth::{CurrentUser, Role};
use crate::documents::{DocStatus, Visibility};
use crate::error::{AppError, AppResult};

/// The person making a request: anonymous, or a signed-in user.
#[derive(Clone, Debug, Default)]
pub struct Viewer {
    pub user: Option<CurrentUser>,
}

/// What the permission rule needs to know about a document.
#[derive(Clone, Copy, Debug)]
pub struct DocumentAccess {
    pub org_id: i64,
    pub visibility: Visibility,
    pub status: DocStatus,
}

impl Viewer {
    pub fn anonymous() -> Self {
        Self { user: None }
    }

    pub fn signed_in(user: CurrentUser) -> Self {
        Self { user: Some(user) }
    }

    pub fn is_admin(&self) -> bool {
        self.user.as_ref().is_some_and(|u| u.role == Role::Admin)
    }

    /// Members who work on their organisation's documents before they are published.
    fn works_on(&self, org_id: i64) -> bool {
        self.user
            .as_ref()
            .is_some_and(|u| u.org_id == org_id && u.role >= Role::Editor)
    }

    /// May this viewer read this document?
    pub fn can_read_document(&self, doc: &DocumentAccess) -> bool {
        if self.is_admin() {
            return true;
        }
        if doc.status != DocStatus::Published {
            return self.works_on(doc.org_id);
        }
        match (doc.visibility, &self.user) {
            (Visibility::Public, _) => true,
            (Visibility::Network, user) => user.is_some(),
            (Visibility::Organisation, Some(u)) => u.org_id == doc.org_id,
            (Visibility::Organisation, None) => false,
        }
    }

    /// The same rule as [`Self::can_read_document`], as a SQL condition on the `documents` row
    /// aliased `alias`. Only integers from the session are written into it, never user input.
    pub fn document_filter(&self, alias: &str) -> String {
        let a = alias;
        match &self.user {
            _ if self.is_admin() => "1 = 1".to_owned(),
            None => format!("({a}.status = 'published' AND {a}.visibility = 'public')"),
            Some(u) => {
                let org = u.org_id;
                let own_unpublished = if u.role >= Role::Editor {
                    format!(" OR {a}.org_id = {org}")
                } else {
                    String::new()
                };
                format!(
                    "(({a}.status = 'published' AND ({a}.visibility IN ('public', 'network') OR {a}.org_id = {org})){own_unpublished})"
                )
            }
        }
    }

    /// Refuses anonymous viewers.
    pub fn require_user(&self) -> AppResult<&CurrentUser> {
        self.user.as_ref().ok_or(AppError::Unauthenticated)
    }

    /// May this viewer see the people of an organisation (names, roles, job titles)?
    /// Personal data stays inside the network of signed-in members.
    pub fn can_see_people(&self) -> bool {
        self.user.is_some()
    }
}

/// The viewer of the current request, from its session.
pub async fn viewer() -> AppResult<Viewer> {
    let user = crate::auth::session::current_user().await?;
    Ok(Viewer { user })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(org_id: i64, role: Role) -> Viewer {
        Viewer::signed_in(CurrentUser {
            id: 1,
            name: "Test".into(),
            email: "t@example.nhs.uk".into(),
            org_id,
            org_slug: "org".into(),
            org_name: "Org".into(),
            role,
        })
    }

    /// The SQL filter and the Rust check must agree for every combination; SQLite in memory
    /// evaluates the SQL.
    #[tokio::test]
    async fn sql_filter_agrees_with_the_rust_rule() {
        let db = crate::db::Db::connect("sqlite::memory:").await.unwrap();
        let viewers = [
            Viewer::anonymous(),
            user(1, Role::Reader),
            user(1, Role::Editor),
            user(1, Role::Publisher),
            user(2, Role::Reader),
            user(2, Role::Editor),
            user(2, Role::Admin),
        ];
        for viewer in &viewers {
            for org_id in [1_i64, 2] {
                for visibility in Visibility::ALL {
                    for status in DocStatus::ALL {
                        let doc = DocumentAccess {
                            org_id,
                            visibility,
                            status,
                        };
                        let sql = format!(
                            "SELECT CASE WHEN {} THEN 1 ELSE 0 END FROM (SELECT {} AS org_id, '{}' AS visibility, '{}' AS status) d",
                            viewer.document_filter("d"),
                            org_id,
                            visibility.as_str(),
                            status.as_str()
                        );
                        let allowed: i64 =
                            sqlx::query_scalar(&sql).fetch_one(db.pool()).await.unwrap();
                        assert_eq!(
                            allowed == 1,
                            viewer.can_read_document(&doc),
                            "viewer {:?} doc {:?}",
                            viewer.user.as_ref().map(|u| (u.org_id, u.role)),
                            doc
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn organisation_documents_are_hidden_from_other_organisations() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Organisation,
            status: DocStatus::Published,
        };
        assert!(user(1, Role::Reader).can_read_document(&doc));
        assert!(!user(2, Role::Publisher).can_read_document(&doc));
        assert!(!Viewer::anonymous().can_read_document(&doc));
    }

    #[test]
    fn drafts_are_visible_only_to_their_organisations_editors() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Public,
            status: DocStatus::Draft,
        };
        assert!(!user(1, Role::Reader).can_read_document(&doc));
        assert!(user(1, Role::Editor).can_read_document(&doc));
        assert!(!user(2, Role::Editor).can_read_document(&doc));
        assert!(user(2, Role::Admin).can_read_document(&doc));
        assert!(!Viewer::anonymous().can_read_document(&doc));
    }
}

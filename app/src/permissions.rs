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
    /// Visibility of the revision readers see.
    pub visibility: Visibility,
    /// Workflow status of the newest revision.
    pub status: DocStatus,
    /// Whether a revision has ever been approved.
    pub has_published: bool,
}

impl DocumentAccess {
    /// Readers see a document once a revision is approved, until it is archived.
    pub fn readable_by_readers(&self) -> bool {
        self.has_published && self.status != DocStatus::Archived
    }
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

    /// May this viewer read this document? Its organisation's editors, publishers and admins
    /// always may (drafts and reviews included); others only its approved revision, as its
    /// visibility allows.
    pub fn can_read_document(&self, doc: &DocumentAccess) -> bool {
        if self.is_admin() || self.works_on(doc.org_id) {
            return true;
        }
        if !doc.readable_by_readers() {
            return false;
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
        let published = readable_by_readers(a);
        match &self.user {
            _ if self.is_admin() => "1 = 1".to_owned(),
            None => format!("({published} AND {a}.visibility = 'public')"),
            Some(u) => {
                let org = u.org_id;
                let own_unpublished = if u.role >= Role::Editor {
                    format!(" OR {a}.org_id = {org}")
                } else {
                    String::new()
                };
                format!(
                    "(({published} AND ({a}.visibility IN ('public', 'network') OR {a}.org_id = {org})){own_unpublished})"
                )
            }
        }
    }

    /// May this viewer create and edit drafts for this organisation?
    pub fn can_edit_for(&self, org_id: i64) -> bool {
        self.is_admin() || self.works_on(org_id)
    }

    /// May this viewer publish, send back and archive this organisation's documents?
    pub fn can_publish_for(&self, org_id: i64) -> bool {
        self.is_admin()
            || self
                .user
                .as_ref()
                .is_some_and(|u| u.org_id == org_id && u.role >= Role::Publisher)
    }

    /// May this viewer approve a revision written by `author_id`? Nobody but an admin approves
    /// their own change.
    pub fn can_approve(&self, org_id: i64, author_id: Option<i64>) -> bool {
        self.is_admin()
            || (self.can_publish_for(org_id) && self.user.as_ref().map(|u| u.id) != author_id)
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

/// [`DocumentAccess::readable_by_readers`] as a SQL condition on the `documents` row aliased
/// `alias`: approved at least once and not archived. Lists show only such documents, to everyone.
pub fn readable_by_readers(alias: &str) -> String {
    format!("{alias}.published_revision_id IS NOT NULL AND {alias}.status <> 'archived'")
}

/// The viewer of a session, for handlers outside Leptos.
pub async fn viewer_of(
    state: &crate::state::AppState,
    session: &tower_sessions::Session,
) -> AppResult<Viewer> {
    Ok(Viewer {
        user: crate::auth::session::user_of(state, session).await?,
    })
}

/// The viewer of the current request, from its session.
pub async fn viewer() -> AppResult<Viewer> {
    let user = crate::auth::session::current_user().await?;
    Ok(Viewer { user })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signed-in member of `org_id`, with id 1.
    fn member(org_id: i64, role: Role) -> Viewer {
        user(1, org_id, role)
    }

    fn user(id: i64, org_id: i64, role: Role) -> Viewer {
        Viewer::signed_in(CurrentUser {
            id,
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
            member(1, Role::Reader),
            member(1, Role::Editor),
            member(1, Role::Publisher),
            member(2, Role::Reader),
            member(2, Role::Editor),
            member(2, Role::Admin),
        ];
        for viewer in &viewers {
            for org_id in [1_i64, 2] {
                for visibility in Visibility::ALL {
                    for (status, has_published) in DocStatus::ALL
                        .into_iter()
                        .flat_map(|s| [(s, false), (s, true)])
                    {
                        let doc = DocumentAccess {
                            org_id,
                            visibility,
                            status,
                            has_published,
                        };
                        let sql = format!(
                            "SELECT CASE WHEN {} THEN 1 ELSE 0 END FROM (SELECT {} AS org_id, '{}' AS visibility, '{}' AS status, {} AS published_revision_id) d",
                            viewer.document_filter("d"),
                            org_id,
                            visibility.as_str(),
                            status.as_str(),
                            if has_published { "7" } else { "NULL" }
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
            has_published: true,
        };
        assert!(member(1, Role::Reader).can_read_document(&doc));
        assert!(!member(2, Role::Publisher).can_read_document(&doc));
        assert!(!Viewer::anonymous().can_read_document(&doc));
    }

    #[test]
    fn drafts_are_visible_only_to_their_organisations_editors() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Public,
            status: DocStatus::Draft,
            has_published: false,
        };
        assert!(!member(1, Role::Reader).can_read_document(&doc));
        assert!(member(1, Role::Editor).can_read_document(&doc));
        assert!(!member(2, Role::Editor).can_read_document(&doc));
        assert!(member(2, Role::Admin).can_read_document(&doc));
        assert!(!Viewer::anonymous().can_read_document(&doc));
    }

    #[test]
    fn a_published_document_with_a_newer_draft_stays_readable() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Network,
            status: DocStatus::Draft,
            has_published: true,
        };
        assert!(user(5, 2, Role::Reader).can_read_document(&doc));
        assert!(!Viewer::anonymous().can_read_document(&doc));
    }

    #[test]
    fn archived_documents_leave_readers_but_not_their_organisation() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Public,
            status: DocStatus::Archived,
            has_published: true,
        };
        assert!(!Viewer::anonymous().can_read_document(&doc));
        assert!(!user(5, 1, Role::Reader).can_read_document(&doc));
        assert!(user(5, 1, Role::Editor).can_read_document(&doc));
    }

    #[test]
    fn only_publishers_of_the_organisation_approve_and_never_their_own_change() {
        assert!(user(1, 1, Role::Publisher).can_approve(1, Some(2)));
        assert!(
            !user(1, 1, Role::Publisher).can_approve(1, Some(1)),
            "own change"
        );
        assert!(!user(1, 1, Role::Editor).can_approve(1, Some(2)));
        assert!(
            !user(1, 2, Role::Publisher).can_approve(1, Some(2)),
            "other organisation"
        );
        assert!(
            user(1, 2, Role::Admin).can_approve(1, Some(1)),
            "admins may"
        );
    }
}

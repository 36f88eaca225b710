//! The one place that decides who may see and do what. The read rule is data, a
//! [`ReadScope`], turned into each form a read path needs: a Rust check for one document
//! ([`ReadScope::allows`]) and a SQL condition for lists and counts ([`ReadScope::sql`]); a test
//! checks that they agree, and a filter on what the search index stores for each document
//! ([`ReadScope::search`]), which the same test checks against a small index. No role is
//! compared anywhere else.

use crate::users::{CurrentUser, Role};

crate::coded_enum! {
    /// Who may read a published document.
    pub enum Visibility ("visibility") {
        /// Anyone, signed in or not.
        Public = "public", "Public";
        /// Every signed-in member of any organisation.
        Network = "network", "All member organisations";
        /// Members of the owning organisation only.
        Organisation = "organisation", "Own organisation only";
    }
}

crate::coded_enum! {
    /// Who sees a stakeholder contact. Never the public: contacts are personal data.
    pub enum ContactVisibility ("contact visibility") {
        /// Every signed-in member of any organisation.
        Network = "network", "All member organisations";
        /// The members of the contact's organisation only.
        Organisation = "organisation", "Own organisation only";
    }
}

crate::coded_enum! {
    /// Where a document's newest revision is in its workflow.
    pub enum DocStatus ("status") {
        Draft = "draft", "Draft";
        InReview = "in_review", "In review";
        Published = "published", "Published";
        Archived = "archived", "Archived";
    }
}

impl DocStatus {
    /// NHS.UK tag colour for the status.
    pub fn tag_class(self) -> &'static str {
        match self {
            DocStatus::Draft => "nhsuk-tag nhsuk-tag--grey",
            DocStatus::InReview => "nhsuk-tag nhsuk-tag--yellow",
            DocStatus::Published => "nhsuk-tag nhsuk-tag--green",
            DocStatus::Archived => "nhsuk-tag nhsuk-tag--red",
        }
    }
}

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
    /// Whether a publisher archived it and no revision has been approved since. A draft saved
    /// or restored after archiving does not bring it back: only an approval does.
    pub archived: bool,
}

impl DocumentAccess {
    /// Readers see a document once a revision is approved, until it is archived, and again
    /// only when a publisher approves a revision after that.
    pub fn readable_by_readers(&self) -> bool {
        self.has_published && !self.archived && self.status != DocStatus::Archived
    }
}

/// What the permission rule needs to know about one revision of a document, besides the
/// document itself.
#[derive(Clone, Copy, Debug)]
pub struct RevisionAccess {
    /// The visibility the revision was saved with: who could read it when it was current.
    pub visibility: Visibility,
    /// Whether it was ever approved (or imported as approved).
    pub approved: bool,
}

/// Whether a published text with this visibility, of a document of `org_id`, is open to a
/// viewer who is a member of `member_of` (`None`: anonymous).
fn visible_to(visibility: Visibility, member_of: Option<i64>, org_id: i64) -> bool {
    match visibility {
        Visibility::Public => true,
        Visibility::Network => member_of.is_some(),
        Visibility::Organisation => member_of == Some(org_id),
    }
}

/// Which documents a viewer may read: the read rule as data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadScope {
    /// Administrators read everything, drafts included.
    Everything,
    /// Everyone else reads published documents as their visibility allows, and the editors of
    /// an organisation also read its unpublished ones.
    Published {
        /// The organisation of a signed-in member (`None` when anonymous).
        member_of: Option<i64>,
        /// The organisation whose drafts and reviews the viewer works on.
        works_on: Option<i64>,
    },
}

impl ReadScope {
    /// The Rust form: may a document with this access be read?
    pub fn allows(&self, doc: &DocumentAccess) -> bool {
        let (member_of, works_on) = match *self {
            ReadScope::Everything => return true,
            ReadScope::Published {
                member_of,
                works_on,
            } => (member_of, works_on),
        };
        if works_on == Some(doc.org_id) {
            return true;
        }
        doc.readable_by_readers() && visible_to(doc.visibility, member_of, doc.org_id)
    }

    /// May one revision of a document be read? Only by those who could read it when it was
    /// current and can read the document now: the organisation's editors, publishers and
    /// admins always; anyone else only an approved revision whose own visibility admits them,
    /// of a document they may read today. A revision saved as organisation-only stays so
    /// after the document is made public; an archived document's revisions leave readers
    /// with it.
    pub fn allows_revision(&self, doc: &DocumentAccess, revision: &RevisionAccess) -> bool {
        match *self {
            ReadScope::Everything => true,
            ReadScope::Published { works_on, .. } if works_on == Some(doc.org_id) => true,
            ReadScope::Published { member_of, .. } => {
                self.allows(doc)
                    && revision.approved
                    && visible_to(revision.visibility, member_of, doc.org_id)
            }
        }
    }

    /// The SQL form: the same rule as a condition on the `documents` row aliased `alias`. Only
    /// integers from the session and fixed codes are written into it, never user input.
    pub fn sql(&self, alias: &str) -> String {
        let a = alias;
        let (member_of, works_on) = match *self {
            ReadScope::Everything => return "1 = 1".to_owned(),
            ReadScope::Published {
                member_of,
                works_on,
            } => (member_of, works_on),
        };
        let published = readable_by_readers(a);
        let public = Visibility::Public.as_str();
        let readable = match member_of {
            None => format!("{a}.visibility = '{public}'"),
            Some(org) => format!(
                "({a}.visibility IN ('{public}', '{}') OR {a}.org_id = {org})",
                Visibility::Network.as_str()
            ),
        };
        let own_unpublished = works_on
            .map(|org| format!(" OR {a}.org_id = {org}"))
            .unwrap_or_default();
        format!("(({published} AND {readable}){own_unpublished})")
    }
}

/// The read rule as a filter on the access fields a search index stores for each document (its
/// organisation, its visibility, and whether readers see it): the third form of [`ReadScope`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AccessFilter {
    /// Every document.
    Everything,
    /// Documents that meet at least one of these (none: no document).
    AnyOf(Vec<AccessCondition>),
}

/// One way a document can be readable; every part that is set must hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct AccessCondition {
    /// Readers see it: approved and not archived ([`DocumentAccess::readable_by_readers`]).
    pub readable_by_readers: bool,
    pub visibility: Option<Visibility>,
    pub org_id: Option<i64>,
}

impl AccessCondition {
    fn holds(&self, doc: &DocumentAccess) -> bool {
        (!self.readable_by_readers || doc.readable_by_readers())
            && self.visibility.is_none_or(|v| v == doc.visibility)
            && self.org_id.is_none_or(|o| o == doc.org_id)
    }
}

impl AccessFilter {
    /// Whether a document with this access passes the filter, evaluated in Rust (the index
    /// evaluates the same data as a query).
    pub fn allows(&self, doc: &DocumentAccess) -> bool {
        match self {
            AccessFilter::Everything => true,
            AccessFilter::AnyOf(conditions) => conditions.iter().any(|c| c.holds(doc)),
        }
    }
}

impl ReadScope {
    /// The search form: which documents a search may return. Searches show what readers see
    /// (approved, not archived) as the visibility allows; with `unpublished`, which searches
    /// ask for explicitly, also the drafts, reviews and archived documents the scope may read.
    /// Equal to `self.allows(doc) && (unpublished || doc.readable_by_readers())`.
    pub fn search(&self, unpublished: bool) -> AccessFilter {
        let readable = |visibility, org_id| AccessCondition {
            readable_by_readers: true,
            visibility: Some(visibility),
            org_id,
        };
        match *self {
            ReadScope::Everything if unpublished => AccessFilter::Everything,
            ReadScope::Everything => AccessFilter::AnyOf(vec![AccessCondition {
                readable_by_readers: true,
                ..AccessCondition::default()
            }]),
            ReadScope::Published {
                member_of,
                works_on,
            } => {
                let mut any = vec![readable(Visibility::Public, None)];
                if let Some(org) = member_of {
                    any.push(readable(Visibility::Network, None));
                    any.push(readable(Visibility::Organisation, Some(org)));
                }
                if let (true, Some(org)) = (unpublished, works_on) {
                    any.push(AccessCondition {
                        org_id: Some(org),
                        ..AccessCondition::default()
                    });
                }
                AccessFilter::AnyOf(any)
            }
        }
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

    /// The organisation whose drafts and reviews this viewer works on, if any.
    fn works_on(&self) -> Option<i64> {
        self.user
            .as_ref()
            .filter(|u| u.role >= Role::Editor)
            .map(|u| u.org_id)
    }

    /// Which documents this viewer may read.
    pub fn read_scope(&self) -> ReadScope {
        if self.is_admin() {
            return ReadScope::Everything;
        }
        ReadScope::Published {
            member_of: self.user.as_ref().map(|u| u.org_id),
            works_on: self.works_on(),
        }
    }

    /// May this viewer read this document? Its organisation's editors, publishers and admins
    /// always may (drafts and reviews included); others only its approved revision, as its
    /// visibility allows.
    pub fn can_read_document(&self, doc: &DocumentAccess) -> bool {
        self.read_scope().allows(doc)
    }

    /// May this viewer read this revision of this document? See [`ReadScope::allows_revision`]:
    /// every revision page, comparison, history line and server function asks this.
    pub fn can_read_revision(&self, doc: &DocumentAccess, revision: &RevisionAccess) -> bool {
        self.read_scope().allows_revision(doc, revision)
    }

    /// [`Self::can_read_document`] as a SQL condition on the `documents` row aliased `alias`.
    pub fn document_filter(&self, alias: &str) -> String {
        self.read_scope().sql(alias)
    }

    /// What this viewer's searches may return; `unpublished` asks for the drafts, reviews and
    /// archived documents they may read as well (see [`ReadScope::search`]).
    pub fn search_filter(&self, unpublished: bool) -> AccessFilter {
        self.read_scope().search(unpublished)
    }

    /// May this viewer ask search for unpublished documents (their organisation's drafts)?
    pub fn can_search_unpublished(&self) -> bool {
        self.can_create_documents()
    }

    /// May this viewer create and edit drafts for this organisation?
    pub fn can_edit_for(&self, org_id: i64) -> bool {
        self.is_admin() || self.works_on() == Some(org_id)
    }

    /// May this viewer start new documents (for their own organisation, or any as an admin)?
    pub fn can_create_documents(&self) -> bool {
        self.is_admin() || self.works_on().is_some()
    }

    /// May this viewer write documents for any organisation, not just their own?
    pub fn writes_for_every_organisation(&self) -> bool {
        self.is_admin()
    }

    /// May this viewer publish, send back and archive this organisation's documents?
    pub fn can_publish_for(&self, org_id: i64) -> bool {
        self.is_admin()
            || self
                .user
                .as_ref()
                .is_some_and(|u| u.org_id == org_id && u.role >= Role::Publisher)
    }

    /// May this viewer waive a failing rule of this organisation's access-management
    /// configuration, and withdraw its waivers? Its publishers (and administrators): the people
    /// who answer for what it publishes, and who may not approve their own change.
    pub fn can_waive_for(&self, org_id: i64) -> bool {
        self.can_publish_for(org_id)
    }

    /// May this viewer approve the newest revision, given the authors of every revision saved
    /// since the last approved one (`None` for the importer)? Nobody but an admin approves a
    /// change they had a hand in: a colleague's small edit on top does not make a publisher's
    /// own text someone else's.
    pub fn can_approve(&self, org_id: i64, authors_since_approval: &[Option<i64>]) -> bool {
        if self.is_admin() {
            return true;
        }
        let me = self.user.as_ref().map(|u| u.id);
        self.can_publish_for(org_id) && !authors_since_approval.contains(&me)
    }

    /// Whose review queue this viewer sees: `None` when they have none, `Some(None)` for every
    /// organisation (admins), `Some(Some(org))` for their own.
    pub fn review_queue_scope(&self) -> Option<Option<i64>> {
        if self.is_admin() {
            Some(None)
        } else {
            self.works_on().map(Some)
        }
    }

    /// Refuses anonymous viewers.
    pub fn require_user(&self) -> crate::error::AppResult<&CurrentUser> {
        self.user
            .as_ref()
            .ok_or(crate::error::AppError::Unauthenticated)
    }

    /// May this viewer see the people of an organisation (names, roles, job titles)?
    /// Personal data stays inside the network of signed-in members.
    pub fn can_see_people(&self) -> bool {
        self.user.is_some()
    }
}

/// What the read rule needs to know about a calendar event. Events have no drafts: what is
/// stored is what readers see, as its visibility allows.
#[derive(Clone, Copy, Debug)]
pub struct EventAccess<'a> {
    /// The organisation that runs it.
    pub org_id: i64,
    /// The organisations taking part besides it.
    pub taking_part: &'a [i64],
    pub visibility: Visibility,
}

impl ReadScope {
    /// May an event with this access be read? Public events by anyone, network events by every
    /// signed-in member, organisation events by the members of the organisation that runs it
    /// and of those taking part (a board's members see the meetings it attends), and
    /// everything by administrators.
    pub fn allows_event(&self, event: &EventAccess<'_>) -> bool {
        match *self {
            ReadScope::Everything => true,
            ReadScope::Published { member_of, .. } => match event.visibility {
                Visibility::Public => true,
                Visibility::Network => member_of.is_some(),
                Visibility::Organisation => {
                    member_of.is_some_and(|m| m == event.org_id || event.taking_part.contains(&m))
                }
            },
        }
    }

    /// [`Self::allows_event`] as a SQL condition on the `events` row aliased `alias`, with the
    /// organisations taking part in `event_organisations`. Only integers from the session and
    /// fixed codes are written into it, never user input.
    pub fn event_sql(&self, alias: &str) -> String {
        let a = alias;
        let member_of = match *self {
            ReadScope::Everything => return "1 = 1".to_owned(),
            ReadScope::Published { member_of, .. } => member_of,
        };
        let public = Visibility::Public.as_str();
        match member_of {
            None => format!("{a}.visibility = '{public}'"),
            Some(org) => format!(
                "({a}.visibility IN ('{public}', '{}') OR {a}.org_id = {org} OR EXISTS \
                 (SELECT 1 FROM event_organisations p WHERE p.event_id = {a}.id AND p.org_id = {org}))",
                Visibility::Network.as_str()
            ),
        }
    }
}

impl Viewer {
    /// May this viewer read this event? Every event page, list and calendar feed asks this
    /// (or its SQL form, [`Self::event_filter`]).
    pub fn can_read_event(&self, event: &EventAccess<'_>) -> bool {
        self.read_scope().allows_event(event)
    }

    /// [`Self::can_read_event`] as a SQL condition on the `events` row aliased `alias`.
    pub fn event_filter(&self, alias: &str) -> String {
        self.read_scope().event_sql(alias)
    }

    /// May this viewer add events (for their own organisation, or any as an admin)? Editors,
    /// publishers and admins.
    pub fn can_add_events(&self) -> bool {
        self.can_create_documents()
    }

    /// May this viewer run events for this organisation: add them, and change or cancel the
    /// events it runs? Its editors, publishers and admins. Organisations taking part do not
    /// change the events they are invited to.
    pub fn can_run_events_for(&self, org_id: i64) -> bool {
        self.can_edit_for(org_id)
    }

    /// May this viewer change this event through the editor? Those who run its organisation's
    /// events; but an event made from a plan's milestone follows the plan's approved revision,
    /// and nobody changes it by hand (a change to the plan changes it).
    pub fn can_edit_event(&self, org_id: i64, from_milestone: bool) -> bool {
        !from_milestone && self.can_run_events_for(org_id)
    }

    /// May this viewer have a secret calendar feed address? Every signed-in member: it reads
    /// with their own read rule, never more.
    pub fn can_have_feed_link(&self) -> bool {
        self.user.is_some()
    }
}

/// What the read rule needs to know about a stakeholder contact. Contacts are personal data:
/// never public.
#[derive(Clone, Copy, Debug)]
pub struct ContactAccess {
    /// The contact's organisation.
    pub org_id: i64,
    pub visibility: ContactVisibility,
    /// Archived: out of the directory, kept for the organisation's editors.
    pub archived: bool,
}

impl ReadScope {
    /// May a contact with this access be read? Nobody anonymous; network contacts by every
    /// signed-in member, organisation contacts by the members of their organisation; archived
    /// contacts only by those who keep the organisation's contacts; everything by administrators.
    pub fn allows_contact(&self, contact: &ContactAccess) -> bool {
        let (member_of, works_on) = match *self {
            ReadScope::Everything => return true,
            ReadScope::Published {
                member_of: None, ..
            } => return false,
            ReadScope::Published {
                member_of: Some(m),
                works_on,
            } => (m, works_on),
        };
        if contact.archived {
            return works_on == Some(contact.org_id);
        }
        match contact.visibility {
            ContactVisibility::Network => true,
            ContactVisibility::Organisation => member_of == contact.org_id,
        }
    }

    /// [`Self::allows_contact`] as a SQL condition on the `contacts` row aliased `alias`. Only
    /// integers from the session and fixed codes are written into it, never user input.
    pub fn contact_sql(&self, alias: &str) -> String {
        let a = alias;
        let (member_of, works_on) = match *self {
            ReadScope::Everything => return "1 = 1".to_owned(),
            ReadScope::Published {
                member_of: None, ..
            } => return "1 = 0".to_owned(),
            ReadScope::Published {
                member_of: Some(m),
                works_on,
            } => (m, works_on),
        };
        let network = ContactVisibility::Network.as_str();
        let archived = works_on
            .map(|org| format!(" OR ({a}.archived_at IS NOT NULL AND {a}.org_id = {org})"))
            .unwrap_or_default();
        format!(
            "(({a}.archived_at IS NULL AND ({a}.visibility = '{network}' OR {a}.org_id = {member_of})){archived})"
        )
    }
}

impl Viewer {
    /// May this viewer use the contact directory at all? Signed-in members only: anonymous
    /// visitors are sent to sign in, and learn nothing, not even how many contacts there are.
    pub fn can_see_contacts(&self) -> bool {
        self.user.is_some()
    }

    /// May this viewer read this contact? Every contact page, list, address card and export
    /// asks this (or its SQL form, [`Self::contact_filter`]).
    pub fn can_read_contact(&self, contact: &ContactAccess) -> bool {
        self.read_scope().allows_contact(contact)
    }

    /// [`Self::can_read_contact`] as a SQL condition on the `contacts` row aliased `alias`.
    pub fn contact_filter(&self, alias: &str) -> String {
        self.read_scope().contact_sql(alias)
    }

    /// May this viewer add, change, archive and restore this organisation's contacts? Its
    /// editors and publishers, and administrators.
    pub fn can_keep_contacts_for(&self, org_id: i64) -> bool {
        self.can_edit_for(org_id)
    }

    /// May this viewer add contacts (for their own organisation, or any as an admin)?
    pub fn can_add_contacts(&self) -> bool {
        self.can_create_documents()
    }

    /// Whose contacts this viewer may export in bulk (CSV, a list as vCards) and import from
    /// CSV: `None` for nobody's, `Some(None)` for every organisation's (administrators),
    /// `Some(Some(org))` for their own organisation's (its publishers).
    pub fn contact_export_scope(&self) -> Option<Option<i64>> {
        if self.is_admin() {
            return Some(None);
        }
        self.user
            .as_ref()
            .filter(|u| u.role >= Role::Publisher)
            .map(|u| Some(u.org_id))
    }

    /// May this viewer export or import this organisation's contacts in bulk?
    pub fn can_export_contacts_of(&self, org_id: i64) -> bool {
        match self.contact_export_scope() {
            Some(None) => true,
            Some(Some(own)) => own == org_id,
            None => false,
        }
    }

    /// Whose contacts not checked for a year this viewer is shown on the review page: the
    /// same people who answer for the organisation's exports, its publishers (and admins).
    pub fn contact_review_scope(&self) -> Option<Option<i64>> {
        self.contact_export_scope()
    }
}

/// [`DocumentAccess::readable_by_readers`] as a SQL condition on the `documents` row aliased
/// `alias`: approved at least once and not archived. Lists show only such documents, to everyone.
pub fn readable_by_readers(alias: &str) -> String {
    format!(
        "{alias}.published_revision_id IS NOT NULL AND {alias}.archived_at IS NULL AND {alias}.status <> '{}'",
        DocStatus::Archived.as_str()
    )
}

#[cfg(test)]
#[cfg(feature = "ssr")]
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

    /// The SQL filter and the search filter must agree with the Rust check for every
    /// combination; SQLite in memory evaluates the SQL, and a small search index in memory the
    /// search filter (one document per combination), with and without unpublished documents.
    #[tokio::test]
    async fn sql_and_search_filters_agree_with_the_rust_rule() {
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
            let mut docs = Vec::new();
            for org_id in [1_i64, 2] {
                for &visibility in Visibility::ALL {
                    for (status, has_published, archived) in DocStatus::ALL
                        .iter()
                        .copied()
                        .flat_map(|s| [(s, false), (s, true)])
                        .flat_map(|(s, p)| [(s, p, false), (s, p, true)])
                    {
                        let doc = DocumentAccess {
                            org_id,
                            visibility,
                            status,
                            has_published,
                            archived,
                        };
                        let sql = format!(
                            "SELECT CASE WHEN {} THEN 1 ELSE 0 END FROM (SELECT {} AS org_id, '{}' AS visibility, '{}' AS status, {} AS published_revision_id, {} AS archived_at) d",
                            viewer.document_filter("d"),
                            org_id,
                            visibility.as_str(),
                            status.as_str(),
                            if has_published { "7" } else { "NULL" },
                            if archived { "'2026-03-01T10:00:00Z'" } else { "NULL" }
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
                        docs.push(doc);
                    }
                }
            }
            for unpublished in [false, true] {
                let rule = viewer.search_filter(unpublished);
                let indexed = crate::search::access_matches(&docs, &rule).unwrap();
                for (doc, found) in docs.iter().zip(indexed) {
                    let expected =
                        viewer.can_read_document(doc) && (unpublished || doc.readable_by_readers());
                    let who = viewer.user.as_ref().map(|u| (u.org_id, u.role));
                    assert_eq!(
                        found, expected,
                        "index: viewer {who:?} unpublished {unpublished} doc {doc:?}"
                    );
                    assert_eq!(
                        rule.allows(doc),
                        expected,
                        "Rust form of the search filter: viewer {who:?} unpublished {unpublished} doc {doc:?}"
                    );
                }
            }
        }
    }

    /// The SQL form of the event rule agrees with the Rust form for every viewer, visibility
    /// and organisation taking part; SQLite in memory evaluates the SQL.
    #[tokio::test]
    async fn event_sql_agrees_with_the_rust_rule() {
        let db = crate::db::Db::connect("sqlite::memory:").await.unwrap();
        let viewers = [
            Viewer::anonymous(),
            member(1, Role::Reader),
            member(1, Role::Editor),
            member(2, Role::Reader),
            member(3, Role::Publisher),
            member(2, Role::Admin),
        ];
        for viewer in &viewers {
            for &visibility in Visibility::ALL {
                for taking_part in [&[][..], &[2][..], &[2, 3][..]] {
                    let event = EventAccess {
                        org_id: 1,
                        taking_part,
                        visibility,
                    };
                    let rows: Vec<String> = taking_part
                        .iter()
                        .map(|o| format!("SELECT 9 AS event_id, {o} AS org_id"))
                        .collect();
                    let organisations = if rows.is_empty() {
                        "SELECT 9 AS event_id, 0 AS org_id WHERE 1 = 0".to_owned()
                    } else {
                        rows.join(" UNION ALL ")
                    };
                    let sql = format!(
                        "WITH event_organisations AS ({organisations}) \
                         SELECT CASE WHEN {} THEN 1 ELSE 0 END FROM (SELECT 9 AS id, 1 AS org_id, '{}' AS visibility) e",
                        viewer.event_filter("e"),
                        visibility.as_str()
                    );
                    let allowed: i64 = sqlx::query_scalar(&sql).fetch_one(db.pool()).await.unwrap();
                    assert_eq!(
                        allowed == 1,
                        viewer.can_read_event(&event),
                        "viewer {:?} event {event:?}",
                        viewer.user.as_ref().map(|u| (u.org_id, u.role)),
                    );
                }
            }
        }
    }

    /// The SQL form of the contact rule agrees with the Rust form for every viewer,
    /// visibility, organisation and archived state; SQLite in memory evaluates the SQL.
    #[tokio::test]
    async fn contact_sql_agrees_with_the_rust_rule() {
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
            for &visibility in ContactVisibility::ALL {
                for org_id in [1_i64, 2] {
                    for archived in [false, true] {
                        let contact = ContactAccess {
                            org_id,
                            visibility,
                            archived,
                        };
                        let sql = format!(
                            "SELECT CASE WHEN {} THEN 1 ELSE 0 END FROM (SELECT {org_id} AS org_id, '{}' AS visibility, {} AS archived_at) c",
                            viewer.contact_filter("c"),
                            visibility.as_str(),
                            if archived { "'2026-03-01T10:00:00Z'" } else { "NULL" }
                        );
                        let allowed: i64 =
                            sqlx::query_scalar(&sql).fetch_one(db.pool()).await.unwrap();
                        assert_eq!(
                            allowed == 1,
                            viewer.can_read_contact(&contact),
                            "viewer {:?} contact {contact:?}",
                            viewer.user.as_ref().map(|u| (u.org_id, u.role)),
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn contacts_are_never_public_and_organisation_contacts_stay_in_their_organisation() {
        let network = ContactAccess {
            org_id: 1,
            visibility: ContactVisibility::Network,
            archived: false,
        };
        let own = ContactAccess {
            visibility: ContactVisibility::Organisation,
            ..network
        };
        let archived = ContactAccess {
            archived: true,
            ..network
        };
        assert!(!Viewer::anonymous().can_read_contact(&network));
        assert!(!Viewer::anonymous().can_see_contacts());
        assert!(member(2, Role::Reader).can_read_contact(&network));
        assert!(!member(2, Role::Publisher).can_read_contact(&own));
        assert!(member(1, Role::Reader).can_read_contact(&own));
        assert!(!member(1, Role::Reader).can_read_contact(&archived));
        assert!(member(1, Role::Editor).can_read_contact(&archived));
        assert!(!member(2, Role::Editor).can_read_contact(&archived));
        assert!(member(2, Role::Admin).can_read_contact(&archived));
    }

    #[test]
    fn contacts_are_kept_by_their_organisations_editors_and_exported_by_its_publishers() {
        assert!(member(1, Role::Editor).can_keep_contacts_for(1));
        assert!(member(1, Role::Publisher).can_keep_contacts_for(1));
        assert!(!member(1, Role::Reader).can_keep_contacts_for(1));
        assert!(!member(2, Role::Editor).can_keep_contacts_for(1));
        assert!(member(2, Role::Admin).can_keep_contacts_for(1));
        assert!(member(1, Role::Publisher).can_export_contacts_of(1));
        assert!(!member(1, Role::Publisher).can_export_contacts_of(2));
        assert!(!member(1, Role::Editor).can_export_contacts_of(1));
        assert!(!member(1, Role::Reader).can_export_contacts_of(1));
        assert!(member(2, Role::Admin).can_export_contacts_of(1));
        assert_eq!(Viewer::anonymous().contact_export_scope(), None);
        assert_eq!(
            member(3, Role::Publisher).contact_review_scope(),
            Some(Some(3))
        );
        assert_eq!(member(3, Role::Admin).contact_review_scope(), Some(None));
    }

    #[test]
    fn organisation_events_are_for_the_organisations_running_them_and_taking_part() {
        let event = EventAccess {
            org_id: 1,
            taking_part: &[2],
            visibility: Visibility::Organisation,
        };
        assert!(member(1, Role::Reader).can_read_event(&event));
        assert!(
            member(2, Role::Reader).can_read_event(&event),
            "taking part"
        );
        assert!(!member(3, Role::Publisher).can_read_event(&event));
        assert!(!Viewer::anonymous().can_read_event(&event));
        assert!(member(3, Role::Admin).can_read_event(&event));
        let network = EventAccess {
            visibility: Visibility::Network,
            ..event
        };
        assert!(member(3, Role::Reader).can_read_event(&network));
        assert!(!Viewer::anonymous().can_read_event(&network));
    }

    #[test]
    fn events_are_changed_by_their_organisations_editors_and_milestones_by_nobody() {
        assert!(member(1, Role::Editor).can_edit_event(1, false));
        assert!(member(1, Role::Publisher).can_edit_event(1, false));
        assert!(!member(1, Role::Reader).can_edit_event(1, false));
        assert!(
            !member(2, Role::Editor).can_edit_event(1, false),
            "another organisation's"
        );
        assert!(member(2, Role::Admin).can_edit_event(1, false));
        assert!(
            !member(1, Role::Editor).can_edit_event(1, true),
            "a milestone follows its plan"
        );
        assert!(!member(2, Role::Admin).can_edit_event(1, true));
        assert!(!Viewer::anonymous().can_add_events());
        assert!(!member(1, Role::Reader).can_add_events());
        assert!(member(1, Role::Editor).can_add_events());
        assert!(!Viewer::anonymous().can_have_feed_link());
        assert!(member(1, Role::Reader).can_have_feed_link());
    }

    #[test]
    fn organisation_documents_are_hidden_from_other_organisations() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Organisation,
            status: DocStatus::Published,
            has_published: true,
            archived: false,
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
            archived: false,
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
            archived: false,
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
            archived: true,
        };
        assert!(!Viewer::anonymous().can_read_document(&doc));
        assert!(!user(5, 1, Role::Reader).can_read_document(&doc));
        assert!(user(5, 1, Role::Editor).can_read_document(&doc));
    }

    #[test]
    fn a_draft_saved_after_archiving_does_not_bring_the_document_back() {
        let doc = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Public,
            status: DocStatus::Draft,
            has_published: true,
            archived: true,
        };
        assert!(!Viewer::anonymous().can_read_document(&doc));
        assert!(!user(5, 1, Role::Reader).can_read_document(&doc));
        assert!(user(5, 1, Role::Editor).can_read_document(&doc));
    }

    #[test]
    fn a_revision_is_read_only_by_those_who_could_read_it_then_and_can_read_the_document_now() {
        let public_now = DocumentAccess {
            org_id: 1,
            visibility: Visibility::Public,
            status: DocStatus::Published,
            has_published: true,
            archived: false,
        };
        let organisation_only = RevisionAccess {
            visibility: Visibility::Organisation,
            approved: true,
        };
        let network = RevisionAccess {
            visibility: Visibility::Network,
            approved: true,
        };
        let public_draft = RevisionAccess {
            visibility: Visibility::Public,
            approved: false,
        };
        let public = RevisionAccess {
            visibility: Visibility::Public,
            approved: true,
        };
        let anonymous = Viewer::anonymous();
        assert!(anonymous.can_read_revision(&public_now, &public));
        assert!(!anonymous.can_read_revision(&public_now, &organisation_only));
        assert!(!anonymous.can_read_revision(&public_now, &network));
        assert!(!anonymous.can_read_revision(&public_now, &public_draft));
        assert!(user(5, 1, Role::Reader).can_read_revision(&public_now, &organisation_only));
        assert!(!user(5, 2, Role::Reader).can_read_revision(&public_now, &organisation_only));
        assert!(user(5, 2, Role::Reader).can_read_revision(&public_now, &network));
        assert!(!user(5, 1, Role::Reader).can_read_revision(&public_now, &public_draft));
        assert!(user(5, 1, Role::Editor).can_read_revision(&public_now, &public_draft));
        assert!(!user(5, 2, Role::Editor).can_read_revision(&public_now, &organisation_only));
        assert!(user(5, 2, Role::Admin).can_read_revision(&public_now, &public_draft));

        // Made organisation-only later: its once-public revisions leave other organisations.
        let organisation_now = DocumentAccess {
            visibility: Visibility::Organisation,
            ..public_now
        };
        assert!(!anonymous.can_read_revision(&organisation_now, &public));
        assert!(!user(5, 2, Role::Reader).can_read_revision(&organisation_now, &public));
        assert!(user(5, 1, Role::Reader).can_read_revision(&organisation_now, &public));

        // Archived: no revision is left for readers, every one for the organisation.
        let archived = DocumentAccess {
            archived: true,
            ..public_now
        };
        assert!(!anonymous.can_read_revision(&archived, &public));
        assert!(!user(5, 1, Role::Reader).can_read_revision(&archived, &public));
        assert!(user(5, 1, Role::Editor).can_read_revision(&archived, &public_draft));
    }

    #[test]
    fn only_publishers_and_admins_waive_rules_and_only_for_their_own_organisation() {
        assert!(member(1, Role::Publisher).can_waive_for(1));
        assert!(!member(1, Role::Publisher).can_waive_for(2));
        assert!(!member(1, Role::Editor).can_waive_for(1));
        assert!(!member(1, Role::Reader).can_waive_for(1));
        assert!(!Viewer::anonymous().can_waive_for(1));
        assert!(member(2, Role::Admin).can_waive_for(1));
    }

    #[test]
    fn only_publishers_of_the_organisation_approve_and_never_their_own_change() {
        assert!(user(1, 1, Role::Publisher).can_approve(1, &[Some(2)]));
        assert!(
            !user(1, 1, Role::Publisher).can_approve(1, &[Some(1)]),
            "own change"
        );
        assert!(!user(1, 1, Role::Editor).can_approve(1, &[Some(2)]));
        assert!(
            !user(1, 2, Role::Publisher).can_approve(1, &[Some(2)]),
            "other organisation"
        );
        assert!(
            user(1, 2, Role::Admin).can_approve(1, &[Some(1)]),
            "admins may"
        );
    }

    #[test]
    fn a_colleagues_edit_on_top_does_not_make_a_publishers_own_text_approvable_by_them() {
        let publisher = user(1, 1, Role::Publisher);
        // Revisions since the last approval: the publisher's, then an editor's small fix.
        assert!(!publisher.can_approve(1, &[Some(1), Some(2)]));
        assert!(!publisher.can_approve(1, &[Some(2), Some(1)]));
        assert!(publisher.can_approve(1, &[Some(2), None]));
    }
}

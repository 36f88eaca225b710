//! Storage for the `contacts`, `contact_roles` and `contact_initiatives` tables. Reads take the
//! viewer's read rule as SQL from the permission module; writes take the [`Recorder`] of the
//! change and return the [`Change`] to record.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::validate::fold;
use super::{ContactRole, ContactVisibility};
use crate::dates::Date;
use crate::db::{Change, Db, Entity, Recorder};
use crate::error::{AppError, AppResult};
use crate::orgs::{Nation, OrgRef};
use crate::permissions::{ContactAccess, Viewer};

/// A contact as it is stored or is to be stored. Two are equal when nothing a reader sees differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactFields {
    pub org_id: i64,
    pub name: String,
    pub job_title: String,
    pub team: String,
    /// Sorted, each once.
    pub roles: Vec<ContactRole>,
    /// Lower case.
    pub email: String,
    pub phone: String,
    /// Sorted, each once.
    pub initiatives: Vec<String>,
    pub last_verified: Date,
    pub visibility: ContactVisibility,
}

/// A stored contact with its organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredContact {
    pub id: i64,
    pub slug: String,
    pub fields: ContactFields,
    pub org: OrgRef,
    pub nation: Nation,
    pub archived_at: Option<String>,
    /// Raised on every change.
    pub version: i64,
    pub updated_at: String,
}

impl StoredContact {
    /// What the read rule needs.
    pub fn access(&self) -> ContactAccess {
        ContactAccess {
            org_id: self.fields.org_id,
            visibility: self.fields.visibility,
            archived: self.archived_at.is_some(),
        }
    }

    /// Whether its details were last checked before `cutoff`.
    pub fn stale(&self, cutoff: Date) -> bool {
        self.fields.last_verified < cutoff
    }
}

#[derive(Clone, Debug, FromRow)]
struct ContactRow {
    id: i64,
    slug: String,
    org_id: i64,
    org_slug: String,
    org_name: String,
    nation: Nation,
    full_name: String,
    job_title: String,
    team: String,
    email: String,
    phone: String,
    visibility: ContactVisibility,
    last_verified: String,
    archived_at: Option<String>,
    version: i64,
    updated_at: String,
}

const CONTACT_SELECT: &str =
    "SELECT c.id, c.slug, c.org_id, o.slug AS org_slug, o.name AS org_name,
        o.nation, c.full_name, c.job_title, c.team, c.email, c.phone, c.visibility, c.last_verified,
        c.archived_at, c.version, c.updated_at
     FROM contacts c JOIN organisations o ON o.id = c.org_id";

/// The contacts these rows are, with their roles and initiatives, read with `conn`.
async fn assemble(
    conn: &mut sqlx::AnyConnection,
    rows: Vec<ContactRow>,
) -> AppResult<Vec<StoredContact>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Ids come from the database as integers: safe to write into the statement.
    let ids = rows
        .iter()
        .map(|r| r.id.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let roles: Vec<(i64, ContactRole)> = sqlx::query_as(&format!(
        "SELECT contact_id, role FROM contact_roles WHERE contact_id IN ({ids})"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let initiatives: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT contact_id, initiative FROM contact_initiatives WHERE contact_id IN ({ids})"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let mut role_map: BTreeMap<i64, Vec<ContactRole>> = BTreeMap::new();
    for (id, role) in roles {
        role_map.entry(id).or_default().push(role);
    }
    let mut initiative_map: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (id, initiative) in initiatives {
        initiative_map.entry(id).or_default().push(initiative);
    }
    rows.into_iter()
        .map(|r| {
            let last_verified = Date::parse(&r.last_verified).map_err(|m| {
                tracing::error!(contact = r.id, "stored last_verified: {m}");
                AppError::Unreadable
            })?;
            let mut roles = role_map.remove(&r.id).unwrap_or_default();
            roles.sort_unstable();
            let mut initiatives = initiative_map.remove(&r.id).unwrap_or_default();
            initiatives.sort();
            Ok(StoredContact {
                id: r.id,
                slug: r.slug,
                org: OrgRef {
                    slug: r.org_slug,
                    name: r.org_name,
                },
                nation: r.nation,
                archived_at: r.archived_at,
                version: r.version,
                updated_at: r.updated_at,
                fields: ContactFields {
                    org_id: r.org_id,
                    name: r.full_name,
                    job_title: r.job_title,
                    team: r.team,
                    roles,
                    email: r.email,
                    phone: r.phone,
                    initiatives,
                    last_verified,
                    visibility: r.visibility,
                },
            })
        })
        .collect()
}

/// One contact by its directory name, whoever asks (callers check permissions).
pub async fn find(db: &Db, slug: &str) -> AppResult<Option<StoredContact>> {
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<ContactRow> = sqlx::query_as(&format!("{CONTACT_SELECT} WHERE c.slug = $1"))
        .bind(slug)
        .fetch_all(&mut *conn)
        .await?;
    Ok(assemble(&mut conn, rows).await?.pop())
}

/// The contact as the write sees it, whoever asks.
pub async fn find_for_update(rec: &mut Recorder, slug: &str) -> AppResult<Option<StoredContact>> {
    let conn: &mut sqlx::AnyConnection = rec.tx();
    let rows: Vec<ContactRow> = sqlx::query_as(&format!("{CONTACT_SELECT} WHERE c.slug = $1"))
        .bind(slug)
        .fetch_all(&mut *conn)
        .await?;
    Ok(assemble(conn, rows).await?.pop())
}

/// The directory name of the contact with this email address, if there is one.
pub async fn slug_of_email(db: &Db, email: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM contacts WHERE email = $1")
        .bind(email)
        .fetch_optional(db.pool())
        .await
}

/// Which contacts a list or export wants, besides what the viewer may read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub org_id: Option<i64>,
    pub role: Option<ContactRole>,
    pub initiative: Option<String>,
    pub nation: Option<Nation>,
    /// Folded words of the name (see [`fold`]).
    pub name: Option<String>,
    /// Leave out archived contacts, even for those who may see them.
    pub current_only: bool,
}

/// The condition for a filter, binding `$1`…`$6`; every filter is always bound, an empty one
/// matches everything.
fn filter_sql(viewer: &Viewer) -> String {
    format!(
        "{}
           AND ($1 = -1 OR c.org_id = $1)
           AND ($2 = '' OR EXISTS (SELECT 1 FROM contact_roles r WHERE r.contact_id = c.id AND r.role = $2))
           AND ($3 = '' OR EXISTS (SELECT 1 FROM contact_initiatives i WHERE i.contact_id = c.id AND i.initiative = $3))
           AND ($4 = '' OR o.nation = $4)
           AND ($5 = '' OR c.name_key LIKE $5)
           AND ($6 = 0 OR c.archived_at IS NULL)",
        viewer.contact_filter("c")
    )
}

fn bind_filter<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    filter: &'q Filter,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    // The folded name has no `%`, `_` or `\`: `fold` keeps letters, digits and spaces only.
    let pattern = filter
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .map(|n| format!("%{n}%"))
        .unwrap_or_default();
    query
        .bind(filter.org_id.unwrap_or(-1))
        .bind(filter.role.map(ContactRole::as_str).unwrap_or_default())
        .bind(filter.initiative.as_deref().unwrap_or_default())
        .bind(filter.nation.map(Nation::as_str).unwrap_or_default())
        .bind(pattern)
        .bind(i64::from(filter.current_only))
}

/// The contacts the viewer may read that match the filter, by name: at most `limit` from
/// `offset`, and how many match in all.
pub async fn matching(
    db: &Db,
    viewer: &Viewer,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<StoredContact>, i64)> {
    let condition = filter_sql(viewer);
    let mut conn = db.pool().acquire().await?;
    let (total,): (i64,) = bind_filter(
        sqlx::query_as(&format!(
            "SELECT COUNT(*) FROM contacts c JOIN organisations o ON o.id = c.org_id WHERE {condition}"
        )),
        filter,
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<ContactRow> = bind_filter(
        sqlx::query_as(&format!(
            "{CONTACT_SELECT} WHERE {condition} ORDER BY c.name_key, c.id LIMIT $7 OFFSET $8"
        )),
        filter,
    )
    .bind(limit)
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok((assemble(&mut conn, rows).await?, total))
}

/// The organisations of contacts the viewer may read, and their initiatives: what the
/// directory can be filtered by.
pub async fn facets(db: &Db, viewer: &Viewer) -> AppResult<(Vec<OrgRef>, Vec<String>)> {
    let condition = viewer.contact_filter("c");
    let orgs: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT o.slug, o.name FROM organisations o WHERE EXISTS (
             SELECT 1 FROM contacts c WHERE c.org_id = o.id AND {condition})
         ORDER BY o.name"
    ))
    .fetch_all(db.pool())
    .await?;
    let initiatives: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT i.initiative FROM contact_initiatives i JOIN contacts c ON c.id = i.contact_id
         WHERE {condition} ORDER BY i.initiative"
    ))
    .fetch_all(db.pool())
    .await?;
    Ok((
        orgs.into_iter()
            .map(|(slug, name)| OrgRef { slug, name })
            .collect(),
        initiatives,
    ))
}

/// The contacts with these directory names that the viewer may read (and are not archived).
pub async fn readable_by_slugs(
    db: &Db,
    viewer: &Viewer,
    slugs: &[String],
) -> AppResult<Vec<StoredContact>> {
    let mut found = Vec::new();
    for slug in slugs {
        if let Some(c) = find(db, slug).await? {
            if c.archived_at.is_none() && viewer.can_read_contact(&c.access()) {
                found.push(c);
            }
        }
    }
    Ok(found)
}

/// Contacts of an organisation (every organisation for `None`), not archived, last checked
/// before `cutoff`, oldest check first.
pub async fn unverified(
    db: &Db,
    org_id: Option<i64>,
    cutoff: Date,
) -> AppResult<Vec<StoredContact>> {
    let mut conn = db.pool().acquire().await?;
    let rows: Vec<ContactRow> = sqlx::query_as(&format!(
        "{CONTACT_SELECT} WHERE c.archived_at IS NULL AND c.last_verified < $1
           AND ($2 = -1 OR c.org_id = $2)
         ORDER BY c.last_verified, c.name_key"
    ))
    .bind(cutoff.to_string())
    .bind(org_id.unwrap_or(-1))
    .fetch_all(&mut *conn)
    .await?;
    assemble(&mut conn, rows).await
}

/// Whether a contact has this directory name.
pub async fn slug_taken(rec: &mut Recorder, slug: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM contacts WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut **rec.tx())
        .await?;
    Ok(found.is_some())
}

/// A directory name for a new contact: `base`, or `base-2`, `base-3`… when taken.
pub async fn free_slug(rec: &mut Recorder, base: &str) -> Result<String, sqlx::Error> {
    let mut slug = base.to_owned();
    let mut n = 2;
    while slug_taken(rec, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Stores a contact: a new one at `slug`, or a change to `previous`, which raises its version.
/// The caller records the returned change.
pub async fn save(
    rec: &mut Recorder,
    slug: &str,
    fields: &ContactFields,
    previous: Option<&StoredContact>,
) -> Result<(i64, Change), sqlx::Error> {
    let at = rec.at().to_owned();
    let f = fields;
    let id = match previous {
        Some(previous) => {
            sqlx::query(
                "UPDATE contacts SET org_id = $1, full_name = $2, name_key = $3, job_title = $4,
                    team = $5, email = $6, phone = $7, visibility = $8, last_verified = $9,
                    version = version + 1, updated_at = $10
                 WHERE id = $11",
            )
            .bind(f.org_id)
            .bind(&f.name)
            .bind(fold(&f.name))
            .bind(&f.job_title)
            .bind(&f.team)
            .bind(&f.email)
            .bind(&f.phone)
            .bind(f.visibility)
            .bind(f.last_verified.to_string())
            .bind(&at)
            .bind(previous.id)
            .execute(&mut **rec.tx())
            .await?;
            for table in ["contact_roles", "contact_initiatives"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE contact_id = $1"))
                    .bind(previous.id)
                    .execute(&mut **rec.tx())
                    .await?;
            }
            previous.id
        }
        None => {
            let row = sqlx::query(
                "INSERT INTO contacts (slug, org_id, full_name, name_key, job_title, team, email,
                    phone, visibility, last_verified, version, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $11) RETURNING id",
            )
            .bind(slug)
            .bind(f.org_id)
            .bind(&f.name)
            .bind(fold(&f.name))
            .bind(&f.job_title)
            .bind(&f.team)
            .bind(&f.email)
            .bind(&f.phone)
            .bind(f.visibility)
            .bind(f.last_verified.to_string())
            .bind(&at)
            .fetch_one(&mut **rec.tx())
            .await?;
            sqlx::Row::try_get::<i64, _>(&row, "id")?
        }
    };
    for role in &f.roles {
        sqlx::query("INSERT INTO contact_roles (contact_id, role) VALUES ($1, $2)")
            .bind(id)
            .bind(*role)
            .execute(&mut **rec.tx())
            .await?;
    }
    for initiative in &f.initiatives {
        sqlx::query("INSERT INTO contact_initiatives (contact_id, initiative) VALUES ($1, $2)")
            .bind(id)
            .bind(initiative)
            .execute(&mut **rec.tx())
            .await?;
    }
    Ok((id, Change::upsert(Entity::Contact, id, Some(f.org_id))))
}

/// Archives a contact (out of the directory) or brings it back, raising its version. The caller
/// records the returned change.
pub async fn set_archived(
    rec: &mut Recorder,
    contact: &StoredContact,
    archived: bool,
) -> Result<Change, sqlx::Error> {
    let at = rec.at().to_owned();
    sqlx::query(
        "UPDATE contacts SET archived_at = $1, version = version + 1, updated_at = $2 WHERE id = $3",
    )
    .bind(archived.then_some(at.as_str()))
    .bind(&at)
    .bind(contact.id)
    .execute(&mut **rec.tx())
    .await?;
    Ok(Change::upsert(
        Entity::Contact,
        contact.id,
        Some(contact.fields.org_id),
    ))
}

/// How many different contacts this user opened (their page or their address card) since
/// `since` (a stored timestamp), as the write sees the audit log: inside the write that records
/// the next opening, so that on SQLite, whose writes queue one at a time, parallel requests
/// cannot all slip under the limit.
pub async fn opened_since(
    rec: &mut Recorder,
    user_id: i64,
    since: &str,
) -> Result<i64, sqlx::Error> {
    use crate::db::Action;
    sqlx::query_scalar(
        "SELECT COUNT(DISTINCT target) FROM audit_log
         WHERE actor_id = $1 AND action IN ($2, $3) AND at > $4",
    )
    .bind(user_id)
    .bind(Action::ContactViewed)
    .bind(Action::ContactCardDownloaded)
    .bind(since)
    .fetch_one(&mut **rec.tx())
    .await
}

/// Whether this user opened this contact since `since`: opening it again costs nothing.
pub async fn opened_already(
    rec: &mut Recorder,
    user_id: i64,
    target: &str,
    since: &str,
) -> Result<bool, sqlx::Error> {
    use crate::db::Action;
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log
         WHERE actor_id = $1 AND action IN ($2, $3) AND at > $4 AND target = $5",
    )
    .bind(user_id)
    .bind(Action::ContactViewed)
    .bind(Action::ContactCardDownloaded)
    .bind(since)
    .bind(target)
    .fetch_one(&mut **rec.tx())
    .await?;
    Ok(n > 0)
}

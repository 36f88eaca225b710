//! Storage for the `organisations` table. Writes take the [`Recorder`] of the change and return
//! the [`Change`] to record.

use sqlx::{Any, Executor, FromRow};

use super::{Nation, OrgKind, OrgRef, Organisation};
use crate::db::{Change, Db, Entity, Recorder};

#[derive(Clone, Debug, FromRow)]
struct OrgRow {
    id: i64,
    slug: String,
    name: String,
    code: String,
    nation: Nation,
    kind: OrgKind,
    description: String,
    parent_slug: Option<String>,
    parent_name: Option<String>,
}

impl From<OrgRow> for Organisation {
    fn from(r: OrgRow) -> Self {
        Organisation {
            parent: match (r.parent_slug, r.parent_name) {
                (Some(slug), Some(name)) => Some(OrgRef { slug, name }),
                _ => None,
            },
            id: r.id,
            slug: r.slug,
            name: r.name,
            code: r.code,
            nation: r.nation,
            kind: r.kind,
            description: r.description,
        }
    }
}

/// Fields of a new or updated organisation.
#[derive(Clone, Debug)]
pub struct OrgFields<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub code: &'a str,
    pub nation: Nation,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub description: &'a str,
}

const ORG_SELECT: &str = "SELECT o.id, o.slug, o.name, o.code, o.nation, o.kind, o.description,
        p.slug AS parent_slug, p.name AS parent_name
     FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id";

/// The id of the organisation with this slug.
pub async fn id_by_slug<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    slug: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT id FROM organisations WHERE slug = $1")
        .bind(slug)
        .fetch_optional(ex)
        .await
}

/// The organisation the first administrator belongs to: a national body if there is one, else
/// the first by name.
pub async fn first_for_administrator(rec: &mut Recorder) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT id FROM organisations ORDER BY CASE WHEN kind = $1 THEN 0 ELSE 1 END, name LIMIT 1",
    )
    .bind(OrgKind::NationalBody)
    .fetch_optional(&mut **rec.tx())
    .await
}

/// Inserts or updates by slug; returns the id, whether it was new, and the change to record.
pub async fn upsert(
    rec: &mut Recorder,
    org: &OrgFields<'_>,
) -> Result<(i64, bool, Change), sqlx::Error> {
    let now = rec.at().to_owned();
    let (id, created) = if let Some(id) = id_by_slug(&mut **rec.tx(), org.slug).await? {
        sqlx::query(
            "UPDATE organisations SET name = $1, code = $2, nation = $3, kind = $4, parent_id = $5,
                 description = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(org.name)
        .bind(org.code)
        .bind(org.nation)
        .bind(org.kind)
        .bind(org.parent_id)
        .bind(org.description)
        .bind(&now)
        .bind(id)
        .execute(&mut **rec.tx())
        .await?;
        (id, false)
    } else {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO organisations (slug, name, code, nation, kind, parent_id, description, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(org.slug)
        .bind(org.name)
        .bind(org.code)
        .bind(org.nation)
        .bind(org.kind)
        .bind(org.parent_id)
        .bind(org.description)
        .bind(&now)
        .fetch_one(&mut **rec.tx())
        .await?;
        (id, true)
    };
    Ok((
        id,
        created,
        Change::upsert(Entity::Organisation, id, Some(id)),
    ))
}

/// Whether an organisation with these exact fields is already stored (import skips it).
pub async fn unchanged(db: &Db, org: &OrgFields<'_>) -> Result<bool, sqlx::Error> {
    let n = sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM organisations WHERE slug = $1 AND name = $2 AND code = $3 AND nation = $4
           AND kind = $5 AND COALESCE(parent_id, -1) = $6 AND description = $7",
    )
    .bind(org.slug)
    .bind(org.name)
    .bind(org.code)
    .bind(org.nation)
    .bind(org.kind)
    .bind(org.parent_id.unwrap_or(-1))
    .bind(org.description)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM organisations")
        .fetch_one(db.pool())
        .await
}

/// Every organisation, by name.
pub async fn all(db: &Db) -> Result<Vec<Organisation>, sqlx::Error> {
    let rows = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} ORDER BY o.name"))
        .fetch_all(db.pool())
        .await?;
    Ok(rows.into_iter().map(Organisation::from).collect())
}

/// All organisations as links, by name (for filters and forms).
pub async fn all_refs(db: &Db) -> Result<Vec<OrgRef>, sqlx::Error> {
    let rows =
        sqlx::query_as::<_, (String, String)>("SELECT slug, name FROM organisations ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name)| OrgRef { slug, name })
        .collect())
}

/// One organisation by slug.
pub async fn find(db: &Db, slug: &str) -> Result<Option<Organisation>, sqlx::Error> {
    let row = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.slug = $1"))
        .bind(slug)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.map(Organisation::from))
}

/// The organisations whose parent this one is, by name.
pub async fn children(db: &Db, org_id: i64) -> Result<Vec<OrgRef>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (String, String)>(
        "SELECT slug, name FROM organisations WHERE parent_id = $1 ORDER BY name",
    )
    .bind(org_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, name)| OrgRef { slug, name })
        .collect())
}

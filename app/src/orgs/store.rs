//! Storage for the `organisations` table.

use sqlx::{Any, Executor, FromRow};

use super::{Member, Nation, OrgKind, OrgListItem, OrgPage, OrgRef};
use crate::auth::Role;
use crate::db::{self, Db};
use crate::error::{AppError, AppResult};
use crate::permissions::Viewer;

#[derive(Clone, Debug, FromRow)]
struct OrgRow {
    id: i64,
    slug: String,
    name: String,
    code: String,
    nation: String,
    kind: String,
    description: String,
    parent_slug: Option<String>,
    parent_name: Option<String>,
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

fn parent(row: &OrgRow) -> Option<OrgRef> {
    match (&row.parent_slug, &row.parent_name) {
        (Some(slug), Some(name)) => Some(OrgRef {
            slug: slug.clone(),
            name: name.clone(),
        }),
        _ => None,
    }
}

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

/// Inserts or updates by slug; returns the id and whether it was new.
pub async fn upsert(tx: &mut db::Tx, org: &OrgFields<'_>) -> Result<(i64, bool), sqlx::Error> {
    let now = db::now();
    if let Some(id) = id_by_slug(&mut **tx, org.slug).await? {
        sqlx::query(
            "UPDATE organisations SET name = $1, code = $2, nation = $3, kind = $4, parent_id = $5,
                 description = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(org.name)
        .bind(org.code)
        .bind(org.nation.as_str())
        .bind(org.kind.as_str())
        .bind(org.parent_id)
        .bind(org.description)
        .bind(&now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok((id, false))
    } else {
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO organisations (slug, name, code, nation, kind, parent_id, description, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind(org.slug)
        .bind(org.name)
        .bind(org.code)
        .bind(org.nation.as_str())
        .bind(org.kind.as_str())
        .bind(org.parent_id)
        .bind(org.description)
        .bind(&now)
        .fetch_one(&mut **tx)
        .await?;
        Ok((id, true))
    }
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
    .bind(org.nation.as_str())
    .bind(org.kind.as_str())
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

/// Every organisation with the number of published documents the viewer can read.
pub async fn list(db: &Db, viewer: &Viewer) -> Result<Vec<OrgListItem>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        slug: String,
        name: String,
        code: String,
        nation: String,
        kind: String,
        parent_slug: Option<String>,
        parent_name: Option<String>,
        document_count: i64,
    }
    let sql = format!(
        "SELECT o.slug, o.name, o.code, o.nation, o.kind, p.slug AS parent_slug, p.name AS parent_name,
            (SELECT COUNT(*) FROM documents d WHERE d.org_id = o.id
                AND {} AND {}) AS document_count
         FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
         ORDER BY o.name",
        crate::permissions::readable_by_readers("d"),
        viewer.document_filter("d")
    );
    let rows = sqlx::query_as::<_, Row>(&sql).fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(OrgListItem {
                nation: Nation::parse(&r.nation)?,
                kind: OrgKind::parse(&r.kind)?,
                parent: match (r.parent_slug, r.parent_name) {
                    (Some(slug), Some(name)) => Some(OrgRef { slug, name }),
                    _ => None,
                },
                slug: r.slug,
                name: r.name,
                code: r.code,
                document_count: r.document_count,
            })
        })
        .collect())
}

/// All organisations as links, by name (for filters and forms).
pub async fn all_refs(db: &Db) -> Result<Vec<OrgRef>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        slug: String,
        name: String,
    }
    let rows = sqlx::query_as::<_, Row>("SELECT slug, name FROM organisations ORDER BY name")
        .fetch_all(db.pool())
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| OrgRef {
            slug: r.slug,
            name: r.name,
        })
        .collect())
}

/// The page of one organisation, with the documents the viewer can read.
pub async fn page(db: &Db, viewer: &Viewer, slug: &str) -> AppResult<OrgPage> {
    let row = sqlx::query_as::<_, OrgRow>(&format!("{ORG_SELECT} WHERE o.slug = $1"))
        .bind(slug)
        .fetch_optional(db.pool())
        .await?
        .ok_or(AppError::NotFound)?;
    let children = sqlx::query_as::<_, (String, String)>(
        "SELECT slug, name FROM organisations WHERE parent_id = $1 ORDER BY name",
    )
    .bind(row.id)
    .fetch_all(db.pool())
    .await?
    .into_iter()
    .map(|(slug, name)| OrgRef { slug, name })
    .collect();
    let documents = crate::documents::store::list_for_org(db, viewer, row.id).await?;
    let members = if viewer.can_see_people() {
        let rows = crate::users::store::list_for_org(db, row.id).await?;
        Some(
            rows.into_iter()
                .map(|u| Member {
                    role: Role::parse(&u.role).unwrap_or(Role::Reader),
                    name: u.name,
                    job_title: u.job_title,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(OrgPage {
        parent: parent(&row),
        nation: Nation::parse(&row.nation).ok_or(AppError::Internal)?,
        kind: OrgKind::parse(&row.kind).ok_or(AppError::Internal)?,
        description_html: crate::markdown::render(&row.description).html,
        slug: row.slug,
        name: row.name,
        code: row.code,
        children,
        documents,
        members,
    })
}

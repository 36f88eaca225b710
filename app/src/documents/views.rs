//! What the document pages show: the current page, one revision, the history, a comparison of
//! two revisions and the review queue. Each asks the permission module before reading.

use std::collections::HashSet;

use super::fields::DocFields;
use super::model::{
    DiffView, DocActions, DocView, EventInfo, ExtraView, HistoryView, LessonView, PendingRevision,
    ReviewQueue, RevisionInfo,
};
use super::store::{self, Content, DocRow};
use super::{DocKind, DocStatus};
use crate::db::{self, Db};
use crate::error::{AppError, AppResult};
use crate::permissions::Viewer;
use crate::users::store as users;

/// What the viewer may do with a document whose head revision was written by `head_author`.
fn actions(viewer: &Viewer, row: &DocRow, head_author: Option<i64>) -> DocActions {
    let status = row.status();
    let edit = viewer.can_edit_for(row.org_id);
    let publish = viewer.can_publish_for(row.org_id);
    DocActions {
        edit,
        submit: edit && status == DocStatus::Draft,
        approve: status == DocStatus::InReview && viewer.can_approve(row.org_id, head_author),
        send_back: publish && status == DocStatus::InReview,
        archive: publish && status != DocStatus::Archived,
        see_drafts: edit,
    }
}

/// A document page: the approved revision (or, for its own organisation, the head of a document
/// never approved), with the viewer's possible actions.
pub async fn view(db: &Db, viewer: &Viewer, kind: DocKind, slug: &str) -> AppResult<DocView> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let head = match row.head_revision_id {
        Some(id) => store::revision_by_id(db.pool(), id).await?,
        None => None,
    };
    let shown_id = row.published_revision_id.or(row.head_revision_id);
    let shown_number = match (shown_id, &head) {
        (Some(id), Some(h)) if h.id == id => h.number,
        (Some(id), _) => store::revision_by_id(db.pool(), id)
            .await?
            .map(|r| r.number)
            .unwrap_or(1),
        _ => 1,
    };
    let content = Content {
        title: row.title.clone(),
        summary: row.summary.clone(),
        body: row.body.clone(),
        topic: row.topic.clone(),
        tags: store::tags_of(db.pool(), row.id).await?,
        owner_id: row.owner_id,
        visibility: row.visibility(),
        review_by: row.review_by.clone(),
        fields: row.fields.clone(),
    };
    let mut page = assemble(
        db,
        viewer,
        &row,
        &content,
        shown_number,
        row.updated_at.clone(),
        head.as_ref().and_then(|h| h.author_id),
    )
    .await?;
    page.revision_id = shown_id.unwrap_or_default();
    page.owner = row.owner_name.clone();
    if page.actions.see_drafts {
        if let (Some(h), Some(published)) = (&head, row.published_revision_id) {
            if h.id != published {
                page.pending = Some(PendingRevision {
                    number: h.number,
                    status: row.status(),
                    author: h.author.clone(),
                });
            }
        }
        page.last_event = store::last_event(db, row.id).await?.map(EventInfo::from);
    }
    Ok(page)
}

/// One revision of a document. Readers may see approved revisions only; the document's own
/// organisation sees them all.
pub async fn revision_view(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
    number: i64,
) -> AppResult<DocView> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let revision = store::revision_by_number(db.pool(), row.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    if !viewer.can_edit_for(row.org_id)
        && !approved_revisions(db, &row).await?.contains(&revision.id)
    {
        return Err(AppError::NotFound);
    }
    let head_author = match row.head_revision_id {
        Some(id) => store::revision_by_id(db.pool(), id)
            .await?
            .and_then(|h| h.author_id),
        None => None,
    };
    let content = revision.content();
    let mut page = assemble(
        db,
        viewer,
        &row,
        &content,
        revision.number,
        revision.created_at.clone(),
        head_author,
    )
    .await?;
    page.viewing_revision = Some(revision.number);
    page.revision_id = revision.id;
    page.owner = match content.owner_id {
        Some(id) => users::find_by_id(db.pool(), id).await?.map(|u| u.name),
        None => None,
    };
    Ok(page)
}

async fn assemble(
    db: &Db,
    viewer: &Viewer,
    row: &DocRow,
    content: &Content,
    number: i64,
    updated: String,
    head_author: Option<i64>,
) -> AppResult<DocView> {
    let kind = DocKind::parse(&row.kind).ok_or(AppError::Internal)?;
    let rendered = crate::markdown::render(&content.body);
    let today: String = db::now().chars().take(10).collect();
    let extra = match DocFields::parse(kind, &content.fields) {
        DocFields::Guide => ExtraView::Guide,
        DocFields::Plan(p) => ExtraView::Plan(p),
        DocFields::Lesson(l) => {
            let wanted: Vec<(DocKind, String)> = l
                .related
                .iter()
                .filter_map(|r| crate::lessons::parse_related(r).ok())
                .collect();
            ExtraView::Lesson(LessonView {
                phase: l.phase,
                sections: l
                    .sections()
                    .iter()
                    .filter(|(_, text)| !text.trim().is_empty())
                    .map(|(heading, text)| {
                        ((*heading).to_owned(), crate::markdown::render(text).html)
                    })
                    .collect(),
                related: store::readable_titles(db, viewer, &wanted).await?,
            })
        }
    };
    Ok(DocView {
        kind,
        slug: row.slug.clone(),
        title: content.title.clone(),
        summary: content.summary.clone(),
        org: row.org(),
        owner: None,
        topic: content.topic.clone(),
        tags: content.tags.clone(),
        visibility: content.visibility,
        status: row.status(),
        published: row.access().readable_by_readers(),
        revision: number,
        revision_id: 0,
        head_revision_id: row.head_revision_id.unwrap_or_default(),
        viewing_revision: None,
        updated: updated.chars().take(10).collect(),
        review_by: content.review_by.clone(),
        review_overdue: content
            .review_by
            .as_deref()
            .is_some_and(|r| r < today.as_str()),
        html: rendered.html,
        toc: rendered.toc,
        extra,
        actions: actions(viewer, row, head_author),
        pending: None,
        last_event: None,
    })
}

/// Ids of the revisions ever approved (or imported as approved).
async fn approved_revisions(db: &Db, row: &DocRow) -> AppResult<HashSet<i64>> {
    let mut ids: HashSet<i64> = store::approved_revision_ids(db, row.id)
        .await?
        .into_iter()
        .collect();
    ids.extend(row.published_revision_id);
    Ok(ids)
}

/// Revisions the viewer may see: all for the document's organisation, approved ones for readers.
async fn visible_revisions(
    db: &Db,
    viewer: &Viewer,
    row: &DocRow,
) -> AppResult<Vec<(store::RevisionRow, bool)>> {
    let approved = approved_revisions(db, row).await?;
    let staff = viewer.can_edit_for(row.org_id);
    Ok(store::revisions(db, row.id)
        .await?
        .into_iter()
        .map(|r| {
            let was = approved.contains(&r.id);
            (r, was)
        })
        .filter(|(_, was)| staff || *was)
        .collect())
}

/// `/{kind}/{slug}/history`.
pub async fn history(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
) -> AppResult<HistoryView> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let staff = viewer.can_edit_for(row.org_id);
    let current = row.published_revision_id.or(row.head_revision_id);
    let revisions = visible_revisions(db, viewer, &row)
        .await?
        .into_iter()
        .map(|(r, published)| RevisionInfo {
            number: r.number,
            author: r.author,
            at: r.created_at,
            comment: r.comment,
            published,
            current: Some(r.id) == current,
        })
        .collect();
    let events = if staff {
        store::events(db, row.id)
            .await?
            .into_iter()
            .map(EventInfo::from)
            .collect()
    } else {
        Vec::new()
    };
    Ok(HistoryView {
        kind,
        slug: row.slug,
        title: row.title,
        revisions,
        events,
        can_restore: staff,
    })
}

/// `/{kind}/{slug}/diff?from=&to=`: both revisions must be visible to the viewer.
pub async fn diff(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    slug: &str,
    from: i64,
    to: i64,
) -> AppResult<DiffView> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let visible = visible_revisions(db, viewer, &row).await?;
    let find = |n: i64| {
        visible
            .iter()
            .find(|(r, _)| r.number == n)
            .map(|(r, _)| r.content())
            .ok_or(AppError::NotFound)
    };
    let (old, new) = (find(from)?, find(to)?);
    let mut numbers: Vec<i64> = visible.iter().map(|(r, _)| r.number).collect();
    numbers.sort_unstable();
    Ok(DiffView {
        kind,
        slug: row.slug,
        title: row.title,
        from,
        to,
        numbers,
        fields: super::diff::compare(kind, &old, &new),
    })
}

/// `/review`: what waits for the viewer's organisation (every organisation for admins).
pub async fn review_queue(db: &Db, viewer: &Viewer) -> AppResult<ReviewQueue> {
    let user = viewer.require_user()?;
    if user.role < crate::auth::Role::Editor {
        return Err(AppError::Forbidden);
    }
    let org = (!viewer.is_admin()).then_some(user.org_id);
    let today: String = db::now().chars().take(10).collect();
    let soon = db::format_timestamp(time::OffsetDateTime::now_utc() + time::Duration::days(30));
    let soon: String = soon.chars().take(10).collect();
    Ok(ReviewQueue {
        awaiting_approval: store::queue(db, org, "d.status = 'in_review'").await?,
        drafts: store::queue(db, org, "d.status = 'draft'").await?,
        due_for_review: store::queue(
            db,
            org,
            &format!(
                "{} AND d.review_by IS NOT NULL AND d.review_by <= '{soon}'",
                crate::permissions::readable_by_readers("d")
            ),
        )
        .await?,
        org_name: if viewer.is_admin() {
            "every organisation".into()
        } else {
            user.org_name.clone()
        },
        today,
    })
}

//! What the document pages show: the current page, one revision, the history, a comparison of
//! two revisions and the review queue. Each asks the permission module before reading.

use std::collections::HashSet;

use super::model::{
    DiffView, DocActions, DocView, HistoryView, PendingRevision, ReviewQueue, RevisionInfo,
};
use super::store::lists::{self, QueueFilter};
use super::store::{self, revisions, steps, DocRow, Readable, RevisionRow, RevisionText};
use crate::dates::Date;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::permissions::{DocStatus, RevisionAccess, Viewer};
use crate::users::store as users;

/// What the viewer may do with a document whose unapproved revisions were written by `authors`.
fn actions(viewer: &Viewer, row: &DocRow, authors: &[Option<i64>]) -> DocActions {
    let status = row.status;
    let edit = viewer.can_edit_for(row.org_id);
    let publish = viewer.can_publish_for(row.org_id);
    DocActions {
        edit,
        submit: edit && status == DocStatus::Draft,
        approve: status == DocStatus::InReview && viewer.can_approve(row.org_id, authors),
        send_back: publish && status == DocStatus::InReview,
        archive: publish && !row.is_archived(),
        see_drafts: edit,
    }
}

/// Who wrote the revisions waiting for approval, for the people who work on the document (and
/// nobody else: readers learn nothing about unapproved revisions).
async fn pending_authors(db: &Db, viewer: &Viewer, row: &DocRow) -> AppResult<Vec<Option<i64>>> {
    if !viewer.can_edit_for(row.org_id) {
        return Ok(Vec::new());
    }
    Ok(revisions::authors_since(db.pool(), row.id, row.published_revision_id).await?)
}

/// A document page: the approved revision (or, for its own organisation, the head of a document
/// never approved), with the viewer's possible actions. Readers are told nothing of newer
/// revisions: no ids, no status but "published", no pending revision.
pub async fn page(db: &Db, viewer: &Viewer, today: Date, doc: Readable) -> AppResult<DocView> {
    let row = doc.into_row();
    let staff = viewer.can_edit_for(row.org_id);
    let shown_id = match row.published_revision_id {
        Some(id) => id,
        None if staff => row.head()?,
        // Only the organisation reads a document never approved.
        None => return Err(AppError::NotFound),
    };
    let shown = revisions::expect(db.pool(), shown_id).await?;
    let text = RevisionText {
        title: row.title.clone(),
        summary: row.summary.clone(),
        body: row.body.clone(),
        topic: row.topic.clone(),
        tags: store::tags_of(db.pool(), row.id).await?,
        owner_id: row.owner_id,
        visibility: row.visibility,
        review_by: row.review_by,
        fields: revisions::parse_fields(row.kind, row.id, &row.fields)?,
    };
    let authors = pending_authors(db, viewer, &row).await?;
    let mut page = assemble(
        db,
        viewer,
        today,
        &row,
        &text,
        shown.number,
        row.updated()?,
        &authors,
    )
    .await?;
    page.owner = row.owner_name.clone();
    if staff {
        let head = revisions::expect(db.pool(), row.head()?).await?;
        page.revision_id = Some(shown_id);
        page.head_revision_id = Some(head.id);
        if head.id != shown_id {
            page.pending = Some(PendingRevision {
                number: head.number,
                status: row.status,
                author: head.author.clone(),
            });
        }
        page.last_step = steps::last(db, row.id).await?;
    }
    Ok(page)
}

/// One revision of a document, for those who may read it (see
/// [`Viewer::can_read_revision`]); "not found" otherwise, exactly like a missing one.
pub async fn revision_page(
    db: &Db,
    viewer: &Viewer,
    today: Date,
    doc: Readable,
    number: i64,
) -> AppResult<DocView> {
    let row = doc.into_row();
    let revision = revisions::by_number(db, row.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let approved = approved_revisions(db, &row).await?;
    if !viewer.can_read_revision(&row.access(), &revision_access(&revision, &approved)) {
        return Err(AppError::NotFound);
    }
    let text = revision.text(row.kind)?;
    let updated = Date::of_timestamp(&revision.created_at).map_err(|_| AppError::Unreadable)?;
    let authors = pending_authors(db, viewer, &row).await?;
    let mut page = assemble(
        db,
        viewer,
        today,
        &row,
        &text,
        revision.number,
        updated,
        &authors,
    )
    .await?;
    page.viewing_revision = Some(revision.number);
    page.owner = match text.owner_id {
        Some(id) => users::find_by_id(db.pool(), id).await?.map(|u| u.name),
        None => None,
    };
    if viewer.can_edit_for(row.org_id) {
        page.revision_id = Some(revision.id);
        page.head_revision_id = Some(row.head()?);
    }
    Ok(page)
}

#[allow(clippy::too_many_arguments)]
async fn assemble(
    db: &Db,
    viewer: &Viewer,
    today: Date,
    row: &DocRow,
    text: &RevisionText,
    number: i64,
    updated: Date,
    authors: &[Option<i64>],
) -> AppResult<DocView> {
    let kind = row.kind;
    let staff = viewer.can_edit_for(row.org_id);
    let rendered = super::hooks::render_for(db, viewer, today, &text.body).await?;
    let links = kind.spec().links(&text.fields);
    let linked = lists::readable_links(db, viewer, &links).await?;
    let kind_page = kind.spec().page(&text.fields, linked, today).map_err(|e| {
        tracing::error!(document = row.id, "kind page: {e}");
        AppError::Unreadable
    })?;
    let cx = crate::kind::PageContext {
        db,
        viewer,
        org_id: row.org_id,
        org_slug: &row.org_slug,
        today,
    };
    let kind_page = kind.spec().complete_page(kind_page, cx).await?;
    Ok(DocView {
        kind,
        slug: row.slug.clone(),
        title: text.title.clone(),
        summary: text.summary.clone(),
        org: row.org(),
        owner: None,
        topic: text.topic.clone(),
        tags: text.tags.clone(),
        visibility: text.visibility,
        // Readers only ever read a published document; its workflow is not theirs to see.
        status: if staff {
            row.status
        } else {
            DocStatus::Published
        },
        published: row.access().readable_by_readers(),
        archived: staff && row.is_archived(),
        revision: number,
        revision_id: None,
        head_revision_id: None,
        viewing_revision: None,
        updated,
        review_by: text.review_by,
        review_overdue: text.review_by.is_some_and(|r| r < today),
        html: rendered.html,
        toc: rendered.toc,
        kind_page,
        actions: actions(viewer, row, authors),
        pending: None,
        last_step: None,
    })
}

/// Ids of the revisions ever approved (or imported as approved).
async fn approved_revisions(db: &Db, row: &DocRow) -> AppResult<HashSet<i64>> {
    let mut ids: HashSet<i64> = steps::approved_revision_ids(db, row.id)
        .await?
        .into_iter()
        .collect();
    ids.extend(row.published_revision_id);
    Ok(ids)
}

/// What the permission rule needs to know about one revision.
fn revision_access(revision: &RevisionRow, approved: &HashSet<i64>) -> RevisionAccess {
    RevisionAccess {
        visibility: revision.visibility,
        approved: approved.contains(&revision.id),
    }
}

/// Revisions the viewer may see (see [`Viewer::can_read_revision`]), each with whether it was
/// ever approved.
async fn visible_revisions(
    db: &Db,
    viewer: &Viewer,
    row: &DocRow,
) -> AppResult<Vec<(RevisionRow, bool)>> {
    let approved = approved_revisions(db, row).await?;
    let access = row.access();
    Ok(revisions::all(db, row.id)
        .await?
        .into_iter()
        .filter(|r| viewer.can_read_revision(&access, &revision_access(r, &approved)))
        .map(|r| {
            let was = approved.contains(&r.id);
            (r, was)
        })
        .collect())
}

/// `/{kind}/{slug}/history`.
pub async fn history(db: &Db, viewer: &Viewer, doc: Readable) -> AppResult<HistoryView> {
    let row = doc.into_row();
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
    let steps = if staff {
        steps::all(db, row.id).await?
    } else {
        Vec::new()
    };
    Ok(HistoryView {
        kind: row.kind,
        slug: row.slug,
        title: row.title,
        revisions,
        steps,
        can_restore: staff,
    })
}

/// `/{kind}/{slug}/diff?from=&to=`: both revisions must be visible to the viewer.
pub async fn diff(
    db: &Db,
    viewer: &Viewer,
    doc: Readable,
    from: i64,
    to: i64,
) -> AppResult<DiffView> {
    let row = doc.into_row();
    let visible = visible_revisions(db, viewer, &row).await?;
    let find = |n: i64| {
        visible
            .iter()
            .find(|(r, _)| r.number == n)
            .ok_or(AppError::NotFound)
            .and_then(|(r, _)| r.text(row.kind))
    };
    let (old, new) = (find(from)?, find(to)?);
    let mut numbers: Vec<i64> = visible.iter().map(|(r, _)| r.number).collect();
    numbers.sort_unstable();
    Ok(DiffView {
        kind: row.kind,
        slug: row.slug,
        title: row.title,
        from,
        to,
        numbers,
        fields: super::diff::compare(row.kind, &old, &new)?,
    })
}

/// `/review`: what waits for the viewer's organisation (every organisation for admins).
pub async fn review_queue(db: &Db, viewer: &Viewer, today: Date) -> AppResult<ReviewQueue> {
    let user = viewer.require_user()?;
    let org = viewer.review_queue_scope().ok_or(AppError::Forbidden)?;
    Ok(ReviewQueue {
        awaiting_approval: lists::queue(db, org, QueueFilter::Status(DocStatus::InReview)).await?,
        drafts: lists::queue(db, org, QueueFilter::Status(DocStatus::Draft)).await?,
        due_for_review: lists::queue(db, org, QueueFilter::ReviewDueBy(today.plus_days(30)))
            .await?,
        org_name: if org.is_none() {
            "every organisation".into()
        } else {
            user.org_name.clone()
        },
        today,
    })
}

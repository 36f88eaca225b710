//! What happens to documents: checking forms, saving revisions (with optimistic concurrency),
//! workflow steps, restoring, importing, and assembling the pages. Every path asks the
//! permission module first.

use tower_sessions::Session;

use super::fields::{DocFields, LessonFields, PlanFields};
use super::model::{
    Conflict, DocActions, DocView, DocumentForm, EditorData, EventInfo, ExtraView, FormError,
    LessonView, PendingRevision,
};
use super::store::{self, Author, Content, DocRow};
use super::{normalise_tag, validate_date, validate_slug, DocKind, DocStatus, Visibility};
use crate::audit::{self, Action, Actor};
use crate::auth::CurrentUser;
use crate::db::{self, Db};
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::limits::MAX_BODY_BYTES;
use crate::orgs::store as orgs;
use crate::permissions::Viewer;
use crate::state::AppState;
use crate::users::store as users;

/// Kind-specific fields from their stored JSON.
pub fn parse_fields(kind: DocKind, json: &str) -> DocFields {
    match kind {
        DocKind::Guide => DocFields::Guide,
        DocKind::Plan => {
            DocFields::Plan(serde_json::from_str::<PlanFields>(json).unwrap_or_default())
        }
        DocKind::Lesson => {
            DocFields::Lesson(serde_json::from_str::<LessonFields>(json).unwrap_or_default())
        }
    }
}

/// Kind-specific fields as stored.
pub fn fields_json(fields: &DocFields) -> String {
    match fields {
        DocFields::Guide => "{}".to_owned(),
        DocFields::Plan(p) => serde_json::to_string(p).unwrap_or_else(|_| "{}".into()),
        DocFields::Lesson(l) => serde_json::to_string(l).unwrap_or_else(|_| "{}".into()),
    }
}

fn author_of(user: &CurrentUser) -> Author {
    Author {
        id: Some(user.id),
        label: user.name.clone(),
    }
}

async fn actor_of(user: &CurrentUser) -> Actor {
    Actor {
        user_id: Some(user.id),
        label: user.email.clone(),
        org_id: Some(user.org_id),
        client_addr: crate::auth::session::client_addr().await,
    }
}

// ---- Pages -------------------------------------------------------------------------------

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
        page.last_event = store::events(db, row.id)
            .await?
            .into_iter()
            .next()
            .map(|e| EventInfo {
                action: e.action,
                actor: e.actor,
                comment: e.comment,
                at: e.at,
            });
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
        && !was_published(db, row.id, revision.id, row.published_revision_id).await?
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

/// Whether a revision was ever the approved one (the current one, or approved in the past).
pub async fn was_published(
    db: &Db,
    document_id: i64,
    revision_id: i64,
    current: Option<i64>,
) -> AppResult<bool> {
    if current == Some(revision_id) {
        return Ok(true);
    }
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM document_events WHERE document_id = $1 AND revision_id = $2 AND action IN ('approved', 'imported')",
    )
    .bind(document_id)
    .bind(revision_id)
    .fetch_one(db.pool())
    .await?;
    Ok(n > 0)
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
    let extra = match parse_fields(kind, &content.fields) {
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

// ---- The editor --------------------------------------------------------------------------

/// What the editor keeps in the session between a refused or previewed post and the page.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct EditorFlash {
    form: DocumentForm,
    errors: Vec<FormError>,
    conflict: Option<Conflict>,
    preview_html: Option<String>,
}

fn flash_key(kind: DocKind, slug: Option<&str>) -> String {
    format!("{}/{}", kind.path(), slug.unwrap_or("new"))
}

/// The address of the editor.
pub fn editor_url(kind: DocKind, slug: Option<&str>) -> String {
    match slug {
        Some(s) => format!("/{}/{s}/edit", kind.path()),
        None => format!("/{}/new", kind.path()),
    }
}

/// The form filled from a stored revision.
async fn form_from(
    db: &Db,
    kind: DocKind,
    row: &DocRow,
    content: &Content,
    base_revision: i64,
) -> AppResult<DocumentForm> {
    let owner = match content.owner_id {
        Some(id) => users::find_by_id(db.pool(), id)
            .await?
            .map(|u| u.email)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut form = DocumentForm {
        kind: kind.as_str().into(),
        slug: row.slug.clone(),
        base_revision,
        org: row.org_slug.clone(),
        title: content.title.clone(),
        summary: content.summary.clone(),
        body: content.body.clone(),
        topic: content.topic.clone(),
        tags: content.tags.join(", "),
        visibility: content.visibility.as_str().into(),
        review_by: content.review_by.clone().unwrap_or_default(),
        owner,
        ..Default::default()
    };
    match parse_fields(kind, &content.fields) {
        DocFields::Guide => {}
        DocFields::Plan(p) => crate::plans::fields_to_form(&p, &mut form),
        DocFields::Lesson(l) => crate::lessons::fields_to_form(&l, &mut form),
    }
    Ok(form)
}

/// The editor for a new document (`slug` `None`) or the head revision of an existing one.
pub async fn editor(
    db: &Db,
    viewer: &Viewer,
    session: &Session,
    kind: DocKind,
    slug: Option<&str>,
) -> AppResult<EditorData> {
    let user = viewer.require_user()?;
    let kept: Option<EditorFlash> = flash::take(session, &flash_key(kind, slug)).await?;
    let (form, status, title) = match slug {
        None => {
            if user.role < crate::auth::Role::Editor {
                return Err(AppError::Forbidden);
            }
            let form = DocumentForm {
                kind: kind.as_str().into(),
                org: user.org_slug.clone(),
                visibility: Visibility::Network.as_str().into(),
                owner: user.email.clone(),
                ..Default::default()
            };
            (form, None, format!("New {}", kind.label()))
        }
        Some(slug) => {
            let row = store::find_readable(db, viewer, kind, slug).await?;
            if !viewer.can_edit_for(row.org_id) {
                return Err(AppError::Forbidden);
            }
            let head_id = row.head_revision_id.ok_or(AppError::Internal)?;
            let head = store::revision_by_id(db.pool(), head_id)
                .await?
                .ok_or(AppError::Internal)?;
            let form = form_from(db, kind, &row, &head.content(), head.id).await?;
            (form, Some(row.status()), format!("Edit: {}", head.title))
        }
    };
    let orgs = if viewer.is_admin() {
        orgs::all_refs(db).await?
    } else {
        vec![crate::orgs::OrgRef {
            slug: user.org_slug.clone(),
            name: user.org_name.clone(),
        }]
    };
    let (form, errors, conflict, preview_html) = match kept {
        Some(k) => (k.form, k.errors, k.conflict, k.preview_html),
        None => (form, Vec::new(), None, None),
    };
    Ok(EditorData {
        kind,
        slug: slug.map(str::to_owned),
        title,
        form,
        errors,
        conflict,
        preview_html,
        orgs,
        status,
        max_body_kib: MAX_BODY_BYTES / 1024,
    })
}

/// A checked form: where the document belongs and what it says.
struct Checked {
    org_id: i64,
    slug: String,
    content: Content,
}

/// Checks every field of the form, naming each problem.
async fn check(
    db: &Db,
    viewer: &Viewer,
    kind: DocKind,
    form: &DocumentForm,
    existing: Option<&DocRow>,
) -> AppResult<Result<Checked, Vec<FormError>>> {
    let mut errors = Vec::new();
    let mut err = |field: &str, message: String| {
        errors.push(FormError {
            field: field.into(),
            message,
        })
    };
    let org_id = match existing {
        Some(row) => row.org_id,
        None => match orgs::id_by_slug(db.pool(), form.org.trim()).await? {
            Some(id) if viewer.can_edit_for(id) => id,
            Some(_) => {
                err(
                    "org",
                    "You can only write documents for your own organisation".into(),
                );
                0
            }
            None => {
                err("org", "Choose an organisation".into());
                0
            }
        },
    };
    let slug = match existing {
        Some(row) => row.slug.clone(),
        None => {
            let wanted = if form.new_slug.trim().is_empty() {
                crate::markdown::slugify(&form.title)
            } else {
                form.new_slug.trim().to_ascii_lowercase()
            };
            match validate_slug(&wanted) {
                Ok(()) if wanted == "new" => {
                    err(
                        "new_slug",
                        "Web address: \"new\" is reserved; choose another".into(),
                    );
                    wanted
                }
                Ok(()) => wanted,
                Err(m) => {
                    err("new_slug", format!("Web address: {m}"));
                    wanted
                }
            }
        }
    };
    let title = form.title.trim();
    if title.is_empty() {
        err("title", "Enter a title".into());
    } else if title.chars().count() > 200 {
        err("title", "The title must be 200 characters or fewer".into());
    }
    let summary = form.summary.trim();
    if summary.is_empty() {
        err("summary", "Enter a summary of one or two sentences".into());
    } else if summary.chars().count() > 400 {
        err(
            "summary",
            "The summary must be 400 characters or fewer".into(),
        );
    }
    if form.body.len() > MAX_BODY_BYTES {
        err(
            "body",
            format!(
                "The text is {} KiB; it must be {} KiB or less",
                form.body.len() / 1024,
                MAX_BODY_BYTES / 1024
            ),
        );
    } else if kind != DocKind::Lesson && form.body.trim().is_empty() {
        err("body", "Enter the text".into());
    }
    let visibility = Visibility::parse(form.visibility.trim()).unwrap_or_else(|| {
        err("visibility", "Choose who can see it".into());
        Visibility::Network
    });
    let review_by = match validate_date(&form.review_by) {
        Ok(d) => Some(d),
        Err(_) if form.review_by.trim().is_empty() => {
            err("review_by", "Enter a review-by date".into());
            None
        }
        Err(m) => {
            err("review_by", format!("Review-by date: {m}"));
            None
        }
    };
    let mut tags = Vec::new();
    for tag in form
        .tags
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        match normalise_tag(tag) {
            Ok(t) => tags.push(t),
            Err(m) => err("tags", format!("Tags: {m}")),
        }
    }
    tags.sort();
    tags.dedup();
    let owner_id = if form.owner.trim().is_empty() {
        err(
            "owner",
            "Enter the email address of the document's owner".into(),
        );
        None
    } else {
        match users::find_by_email(db.pool(), &form.owner).await? {
            Some(u) if u.org_id == org_id => Some(u.id),
            Some(_) => {
                err(
                    "owner",
                    "The owner must be a member of the document's organisation".into(),
                );
                None
            }
            None => {
                err(
                    "owner",
                    format!("No user has the email address {}", form.owner.trim()),
                );
                None
            }
        }
    };
    let fields = match kind {
        DocKind::Guide => DocFields::Guide,
        DocKind::Plan => DocFields::Plan(crate::plans::form_to_fields(form, &mut errors)),
        DocKind::Lesson => {
            let lesson = crate::lessons::form_to_fields(form, &mut errors);
            for link in &lesson.related {
                if let Ok((k, s)) = crate::lessons::parse_related(link) {
                    if store::find(db.pool(), k, &s).await?.is_none() {
                        errors.push(FormError {
                            field: "related".into(),
                            message: format!("There is no {} at /{link}", k.label()),
                        });
                    }
                }
            }
            DocFields::Lesson(lesson)
        }
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    Ok(Ok(Checked {
        org_id,
        slug,
        content: Content {
            title: title.to_owned(),
            summary: summary.to_owned(),
            body: form.body.trim_end().to_owned(),
            topic: form.topic.trim().to_owned(),
            tags,
            owner_id,
            visibility,
            review_by,
            fields: fields_json(&fields),
        },
    }))
}

/// Keeps the refused form and its errors for the editor page, and returns its address.
async fn send_back_to_editor(
    session: &Session,
    key: &str,
    form: DocumentForm,
    errors: Vec<FormError>,
    editor: String,
) -> AppResult<String> {
    let kept = EditorFlash {
        form,
        errors,
        conflict: None,
        preview_html: None,
    };
    flash::keep(session, key, &kept).await?;
    Ok(editor)
}

/// Handles a post of the editor: preview, save as a new revision (refusing to overwrite a newer
/// one), or save and submit for review. Returns where the browser goes next.
pub async fn save(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    mut form: DocumentForm,
) -> AppResult<String> {
    let user = viewer.require_user()?.clone();
    let db = &state.db;
    let kind = DocKind::parse(&form.kind)
        .ok_or_else(|| AppError::Invalid("Unknown kind of document".into()))?;
    let slug = Some(form.slug.trim().to_owned()).filter(|s| !s.is_empty());
    let existing = match &slug {
        Some(s) => {
            let row = store::find_readable(db, viewer, kind, s).await?;
            if !viewer.can_edit_for(row.org_id) {
                return Err(AppError::Forbidden);
            }
            Some(row)
        }
        None => {
            if user.role < crate::auth::Role::Editor {
                return Err(AppError::Forbidden);
            }
            None
        }
    };
    let key = flash_key(kind, slug.as_deref());
    let back = editor_url(kind, slug.as_deref());

    if form.intent == "preview" {
        let preview_html = Some(crate::markdown::render(&form.body).html);
        flash::keep(
            session,
            &key,
            &EditorFlash {
                form,
                errors: Vec::new(),
                conflict: None,
                preview_html,
            },
        )
        .await?;
        return Ok(format!("{back}#preview"));
    }
    let checked = match check(db, viewer, kind, &form, existing.as_ref()).await? {
        Ok(c) => c,
        Err(errors) => return send_back_to_editor(session, &key, form, errors, back).await,
    };
    let submit = form.intent == "submit";
    let author = author_of(&user);
    let actor = actor_of(&user).await;
    let comment = form.comment.trim().to_owned();
    let mut tx = db.begin_write().await?;
    let doc_id = match &existing {
        Some(row) => {
            // Re-read inside the write transaction: nobody can slip a revision in between.
            let current = store::find(&mut *tx, kind, &row.slug)
                .await?
                .ok_or(AppError::NotFound)?;
            let head_id = current.head_revision_id.ok_or(AppError::Internal)?;
            if head_id != form.base_revision {
                let head = store::revision_by_id(&mut *tx, head_id)
                    .await?
                    .ok_or(AppError::Internal)?;
                tx.rollback().await?;
                let fields = super::diff::compare(kind, &head.content(), &checked.content);
                let conflict = Conflict {
                    their_revision: head.number,
                    their_author: head.author.clone(),
                    fields,
                };
                // Keep the author's text; the next save deliberately replaces the newer revision.
                form.base_revision = head.id;
                flash::keep(
                    session,
                    &key,
                    &EditorFlash {
                        form,
                        errors: Vec::new(),
                        conflict: Some(conflict),
                        preview_html: None,
                    },
                )
                .await?;
                return Ok(back);
            }
            let previous = store::revision_by_id(&mut *tx, head_id)
                .await?
                .ok_or(AppError::Internal)?;
            let (revision_id, number) =
                store::append_revision(&mut tx, current.id, &checked.content, &author, &comment)
                    .await?;
            if current.published_revision_id.is_none() {
                store::mirror(&mut tx, current.id, &checked.content, &db::now()).await?;
            }
            store::set_status(&mut tx, current.id, DocStatus::Draft).await?;
            store::record_event(
                &mut tx,
                current.id,
                Some(revision_id),
                "saved",
                &author,
                &comment,
            )
            .await?;
            let target = format!("/{}/{}", kind.path(), current.slug);
            audit::record(
                &mut *tx,
                &actor,
                Action::DocumentEdited,
                &target,
                &format!("revision {number}"),
            )
            .await?;
            if previous.visibility != checked.content.visibility.as_str() {
                let detail = format!(
                    "{} → {} (revision {number})",
                    previous.visibility,
                    checked.content.visibility.as_str()
                );
                audit::record(
                    &mut *tx,
                    &actor,
                    Action::VisibilityChanged,
                    &target,
                    &detail,
                )
                .await?;
            }
            current.id
        }
        None => {
            if store::slug_taken(&mut tx, kind, &checked.slug).await? {
                tx.rollback().await?;
                let errors = vec![FormError {
                    field: "new_slug".into(),
                    message: format!(
                        "There is already a {} at /{}/{}; choose another web address",
                        kind.label(),
                        kind.path(),
                        checked.slug
                    ),
                }];
                return send_back_to_editor(session, &key, form, errors, back).await;
            }
            let now = db::now();
            let id = store::insert_document(
                &mut tx,
                kind,
                &checked.slug,
                checked.org_id,
                &checked.content,
                DocStatus::Draft,
                &now,
            )
            .await?;
            let (revision_id, _) =
                store::append_revision(&mut tx, id, &checked.content, &author, &comment).await?;
            store::record_event(&mut tx, id, Some(revision_id), "created", &author, &comment)
                .await?;
            audit::record(
                &mut *tx,
                &actor,
                Action::DocumentCreated,
                &format!("/{}/{}", kind.path(), checked.slug),
                "",
            )
            .await?;
            id
        }
    };
    if submit {
        store::set_status(&mut tx, doc_id, DocStatus::InReview).await?;
        store::record_event(&mut tx, doc_id, None, "submitted", &author, "").await?;
        audit::record(
            &mut *tx,
            &actor,
            Action::DocumentSubmitted,
            &format!("/{}/{}", kind.path(), checked.slug),
            "",
        )
        .await?;
    }
    tx.commit().await?;
    let message = if submit {
        "Saved and sent for review"
    } else {
        "Draft saved"
    };
    flash::set_notice(session, true, message).await?;
    Ok(format!("/{}/{}", kind.path(), checked.slug))
}

// ---- Workflow ----------------------------------------------------------------------------

/// A workflow step a button asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Submit,
    Approve,
    SendBack,
    Archive,
}

impl Step {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "submit" => Some(Step::Submit),
            "approve" => Some(Step::Approve),
            "send-back" => Some(Step::SendBack),
            "archive" => Some(Step::Archive),
            _ => None,
        }
    }
}

/// A workflow step a user asked for, on the revision they saw.
pub struct StepRequest<'a> {
    pub kind: DocKind,
    pub slug: &'a str,
    pub step: Step,
    pub comment: &'a str,
    /// The head revision's id when the page was shown: nobody approves a text they have not read.
    pub seen_revision: i64,
}

pub async fn step(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    request: StepRequest<'_>,
) -> AppResult<String> {
    let StepRequest {
        kind,
        slug,
        step,
        comment,
        seen_revision,
    } = request;
    let user = viewer.require_user()?.clone();
    let db = &state.db;
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let page = format!("/{}/{}", kind.path(), row.slug);
    let mut tx = db.begin_write().await?;
    let current = store::find(&mut *tx, kind, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let head_id = current.head_revision_id.ok_or(AppError::Internal)?;
    let head = store::revision_by_id(&mut *tx, head_id)
        .await?
        .ok_or(AppError::Internal)?;
    let refuse = |message: &str| (false, message.to_owned());
    let status = current.status();
    let (allowed, refusal) = match step {
        Step::Submit => match (viewer.can_edit_for(current.org_id), status) {
            (false, _) => refuse("Only editors of the organisation can send this for review"),
            (true, DocStatus::Draft) => (true, String::new()),
            (true, _) => refuse("Only a draft can be sent for review"),
        },
        Step::Approve => match (status, viewer.can_approve(current.org_id, head.author_id)) {
            (DocStatus::InReview, true) => (true, String::new()),
            (DocStatus::InReview, false) if viewer.can_publish_for(current.org_id) => {
                refuse("You wrote this revision, so another publisher must approve it")
            }
            (DocStatus::InReview, false) => {
                refuse("Only publishers of the organisation can approve it")
            }
            _ => refuse("Only a revision in review can be approved"),
        },
        Step::SendBack => match (status, viewer.can_publish_for(current.org_id)) {
            (_, false) => refuse("Only publishers of the organisation can send it back"),
            (DocStatus::InReview, true) if comment.trim().is_empty() => {
                refuse("Say what needs to change when you send it back")
            }
            (DocStatus::InReview, true) => (true, String::new()),
            _ => refuse("Only a revision in review can be sent back"),
        },
        Step::Archive => match (status, viewer.can_publish_for(current.org_id)) {
            (_, false) => refuse("Only publishers of the organisation can archive it"),
            (DocStatus::Archived, _) => refuse("It is already archived"),
            _ => (true, String::new()),
        },
    };
    if !allowed {
        tx.rollback().await?;
        if !viewer.can_edit_for(current.org_id) {
            return Err(AppError::Forbidden);
        }
        flash::set_notice(session, false, refusal).await?;
        return Ok(page);
    }
    if head.id != seen_revision {
        tx.rollback().await?;
        flash::set_notice(
            session,
            false,
            format!(
                "Revision {} was saved after you opened the page. Read it, then try again.",
                head.number
            ),
        )
        .await?;
        return Ok(page);
    }
    let author = author_of(&user);
    let actor = actor_of(&user).await;
    let comment = comment.trim();
    let (event, action, message) = match step {
        Step::Submit => {
            store::set_status(&mut tx, current.id, DocStatus::InReview).await?;
            ("submitted", Action::DocumentSubmitted, "Sent for review")
        }
        Step::Approve => {
            store::publish(&mut tx, current.id, head.id, &head.content(), &db::now()).await?;
            ("approved", Action::DocumentApproved, "Published")
        }
        Step::SendBack => {
            store::set_status(&mut tx, current.id, DocStatus::Draft).await?;
            (
                "sent back",
                Action::DocumentSentBack,
                "Sent back to the author",
            )
        }
        Step::Archive => {
            store::set_status(&mut tx, current.id, DocStatus::Archived).await?;
            (
                "archived",
                Action::DocumentArchived,
                "Archived: readers no longer see it",
            )
        }
    };
    store::record_event(&mut tx, current.id, Some(head.id), event, &author, comment).await?;
    audit::record(
        &mut *tx,
        &actor,
        action,
        &page,
        &format!(
            "revision {}{}",
            head.number,
            if comment.is_empty() {
                String::new()
            } else {
                format!(": {comment}")
            }
        ),
    )
    .await?;
    tx.commit().await?;
    flash::set_notice(session, true, message).await?;
    Ok(page)
}

/// Makes an old revision the newest draft.
pub async fn restore(
    state: &AppState,
    viewer: &Viewer,
    session: &Session,
    kind: DocKind,
    slug: &str,
    number: i64,
) -> AppResult<String> {
    let user = viewer.require_user()?.clone();
    let db = &state.db;
    let row = store::find_readable(db, viewer, kind, slug).await?;
    if !viewer.can_edit_for(row.org_id) {
        return Err(AppError::Forbidden);
    }
    let old = store::revision_by_number(db.pool(), row.id, number)
        .await?
        .ok_or(AppError::NotFound)?;
    let author = author_of(&user);
    let comment = format!("Restored revision {number}");
    let mut tx = db.begin_write().await?;
    let (revision_id, new_number) =
        store::append_revision(&mut tx, row.id, &old.content(), &author, &comment).await?;
    if row.published_revision_id.is_none() {
        store::mirror(&mut tx, row.id, &old.content(), &db::now()).await?;
    }
    store::set_status(&mut tx, row.id, DocStatus::Draft).await?;
    store::record_event(
        &mut tx,
        row.id,
        Some(revision_id),
        "restored",
        &author,
        &comment,
    )
    .await?;
    let target = format!("/{}/{}", kind.path(), row.slug);
    audit::record(
        &mut *tx,
        &actor_of(&user).await,
        Action::DocumentRestored,
        &target,
        &format!("revision {number} as {new_number}"),
    )
    .await?;
    tx.commit().await?;
    flash::set_notice(
        session,
        true,
        format!("Revision {number} restored as draft revision {new_number}"),
    )
    .await?;
    Ok(target)
}

// ---- Import ------------------------------------------------------------------------------

/// What an import did with one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Created,
    Updated,
    Unchanged,
}

/// Stores an imported document: a new document, or a new revision when anything differs from
/// what is stored. Imports are approved as they arrive, unless the file says otherwise.
/// A document read from a content file.
pub struct ImportedDocument<'a> {
    pub kind: DocKind,
    pub slug: &'a str,
    pub org_id: i64,
    pub content: &'a Content,
    pub status: DocStatus,
    /// The file's `updated` date as a timestamp, if it gives one.
    pub updated_at: Option<&'a str>,
}

pub async fn import(
    tx: &mut db::Tx,
    document: ImportedDocument<'_>,
    actor: &Actor,
) -> Result<Imported, sqlx::Error> {
    let ImportedDocument {
        kind,
        slug,
        org_id,
        content,
        status,
        updated_at,
    } = document;
    let now = db::now();
    let author = Author {
        id: None,
        label: "import".into(),
    };
    let existing = store::find(&mut **tx, kind, slug).await?;
    let target = format!("/{}/{slug}", kind.path());
    let (doc_id, outcome) = match existing {
        Some(row) => {
            let head = match row.head_revision_id {
                Some(id) => store::revision_by_id(&mut **tx, id).await?,
                None => None,
            };
            let same_content = head.as_ref().is_some_and(|h| h.content() == *content);
            let same_date = updated_at.is_none_or(|u| u == row.updated_at);
            if same_content && row.org_id == org_id && row.status() == status && same_date {
                return Ok(Imported::Unchanged);
            }
            let updated_at = updated_at.unwrap_or(&now);
            if row.org_id != org_id {
                sqlx::query("UPDATE documents SET org_id = $1 WHERE id = $2")
                    .bind(org_id)
                    .bind(row.id)
                    .execute(&mut **tx)
                    .await?;
            }
            let revision_id = match (&head, same_content) {
                (Some(h), true) => h.id,
                _ => {
                    store::append_revision(tx, row.id, content, &author, "Imported")
                        .await?
                        .0
                }
            };
            apply_import_status(
                tx,
                row.id,
                revision_id,
                content,
                status,
                updated_at,
                row.published_revision_id.is_some(),
            )
            .await?;
            (row.id, Imported::Updated)
        }
        None => {
            let updated_at = updated_at.unwrap_or(&now);
            let id =
                store::insert_document(tx, kind, slug, org_id, content, status, updated_at).await?;
            let (revision_id, _) =
                store::append_revision(tx, id, content, &author, "Imported").await?;
            apply_import_status(tx, id, revision_id, content, status, updated_at, false).await?;
            (id, Imported::Created)
        }
    };
    audit::record(
        &mut **tx,
        actor,
        Action::DocumentImported,
        &target,
        &format!("{} {doc_id}", kind.label()),
    )
    .await?;
    Ok(outcome)
}

async fn apply_import_status(
    tx: &mut db::Tx,
    doc_id: i64,
    revision_id: i64,
    content: &Content,
    status: DocStatus,
    updated_at: &str,
    had_published: bool,
) -> Result<(), sqlx::Error> {
    let author = Author {
        id: None,
        label: "import".into(),
    };
    match status {
        DocStatus::Published | DocStatus::Archived => {
            store::publish(tx, doc_id, revision_id, content, updated_at).await?;
            store::record_event(tx, doc_id, Some(revision_id), "imported", &author, "").await?;
            if status == DocStatus::Archived {
                store::set_status(tx, doc_id, DocStatus::Archived).await?;
            }
        }
        DocStatus::Draft | DocStatus::InReview => {
            if !had_published {
                store::mirror(tx, doc_id, content, updated_at).await?;
            }
            store::set_status(tx, doc_id, status).await?;
        }
    }
    Ok(())
}

// ---- History, comparison, queues ---------------------------------------------------------

/// Ids of the revisions ever approved (or imported as approved).
async fn approved_revisions(db: &Db, row: &DocRow) -> AppResult<std::collections::HashSet<i64>> {
    let mut ids: std::collections::HashSet<i64> = sqlx::query_scalar(
        "SELECT revision_id FROM document_events WHERE document_id = $1 AND revision_id IS NOT NULL
           AND action IN ('approved', 'imported')",
    )
    .bind(row.id)
    .fetch_all(db.pool())
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
) -> AppResult<super::model::HistoryView> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let staff = viewer.can_edit_for(row.org_id);
    let current = row.published_revision_id.or(row.head_revision_id);
    let revisions = visible_revisions(db, viewer, &row)
        .await?
        .into_iter()
        .map(|(r, published)| super::model::RevisionInfo {
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
            .map(|e| EventInfo {
                action: e.action,
                actor: e.actor,
                comment: e.comment,
                at: e.at,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(super::model::HistoryView {
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
) -> AppResult<super::model::DiffView> {
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
    Ok(super::model::DiffView {
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
pub async fn review_queue(db: &Db, viewer: &Viewer) -> AppResult<super::model::ReviewQueue> {
    let user = viewer.require_user()?;
    if user.role < crate::auth::Role::Editor {
        return Err(AppError::Forbidden);
    }
    let org = (!viewer.is_admin()).then_some(user.org_id);
    let today: String = db::now().chars().take(10).collect();
    let soon = db::format_timestamp(time::OffsetDateTime::now_utc() + time::Duration::days(30));
    let soon: String = soon.chars().take(10).collect();
    Ok(super::model::ReviewQueue {
        awaiting_approval: store::queue(db, org, "d.status = 'in_review'").await?,
        drafts: store::queue(db, org, "d.status = 'draft'").await?,
        due_for_review: store::queue(
            db,
            org,
            &format!(
                "{} AND d.review_by IS NOT NULL AND d.review_by <= '{soon}'",
                store::PUBLISHED
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

/// The approved revision of a document as a Markdown file, for readers allowed to see it.
pub async fn export(db: &Db, viewer: &Viewer, kind: DocKind, slug: &str) -> AppResult<String> {
    let row = store::find_readable(db, viewer, kind, slug).await?;
    let revision_id = if viewer.can_edit_for(row.org_id) {
        row.published_revision_id.or(row.head_revision_id)
    } else {
        row.published_revision_id
    }
    .ok_or(AppError::NotFound)?;
    let revision = store::revision_by_id(db.pool(), revision_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content = revision.content();
    let owner = match content.owner_id {
        Some(id) => users::find_by_id(db.pool(), id).await?.map(|u| u.email),
        None => None,
    };
    let status =
        if Some(revision_id) == row.published_revision_id && row.status() != DocStatus::Archived {
            DocStatus::Published
        } else {
            row.status()
        };
    let updated: String = row.updated_at.chars().take(10).collect();
    let meta = super::export::ExportMeta {
        kind,
        organisation: &row.org_slug,
        owner_email: owner.as_deref(),
        status,
        updated: &updated,
    };
    Ok(super::export::to_markdown(&meta, &content))
}

//! The editor: the form filled from the newest revision, checking every field, and saving a
//! new revision without overwriting one saved meanwhile.

use tower_sessions::Session;

use super::fields::DocFields;
use super::model::{Conflict, DocumentForm, EditorData, FormError};
use super::store::{self, Author, Content, DocRow};
use super::{normalise_tag, validate_date, validate_slug, DocKind, DocStatus, Visibility};
use crate::audit::{self, Action, Actor};
use crate::db::{self, Db};
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::limits::MAX_BODY_BYTES;
use crate::orgs::store as orgs;
use crate::permissions::Viewer;
use crate::state::AppState;
use crate::users::store as users;

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
    match DocFields::parse(kind, &content.fields) {
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
            fields: fields.to_json(),
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
    let author = Author::of(&user);
    let actor = Actor::of_user(&user).await;
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
            let (_, number) = store::save_draft(
                &mut tx,
                &current,
                &checked.content,
                &author,
                &comment,
                "saved",
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
    store::log_change(&mut tx, doc_id, false).await?;
    tx.commit().await?;
    let message = if submit {
        "Saved and sent for review"
    } else {
        "Draft saved"
    };
    flash::set_notice(session, true, message).await?;
    Ok(format!("/{}/{}", kind.path(), checked.slug))
}

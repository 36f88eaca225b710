//! The editor: the form filled from the newest revision, checking every field, and saving a
//! new revision without overwriting one saved meanwhile.

use tower_sessions::Session;

use super::model::{Conflict, DocumentForm, EditorData, FormError, Intent};
use super::store::steps::{record_step, Step, StepTarget};
use super::store::{self, revisions, Author, DocRow, RevisionText};
use super::validate::{self, Source};
use super::WorkflowStep;
use crate::db::{self, Actor, Change, Db, Entity, Event};
use crate::error::{AppError, AppResult};
use crate::flash;
use crate::kinds::DocKind;
use crate::limits::{self, MAX_BODY_BYTES, MAX_COMMENT_CHARS, MAX_SLUG_CHARS};
use crate::orgs::store as orgs;
use crate::permissions::{DocStatus, Viewer, Visibility};
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
        Some(s) => format!("{}/edit", kind.href(s)),
        None => kind.href("new"),
    }
}

/// The form filled from a stored revision. Fields that cannot be read are an error page: an
/// empty editor would overwrite them on save.
async fn form_from(
    db: &Db,
    row: &DocRow,
    text: &RevisionText,
    base: i64,
) -> AppResult<DocumentForm> {
    let owner = match text.owner_id {
        Some(id) => users::find_by_id(db.pool(), id)
            .await?
            .map(|u| u.email)
            .unwrap_or_default(),
        None => String::new(),
    };
    let fields = row.kind.spec().form_from(&text.fields).map_err(|e| {
        tracing::error!(document = row.id, "fields cannot be edited: {e}");
        AppError::Unreadable
    })?;
    Ok(DocumentForm {
        slug: row.slug.clone(),
        base_revision: base,
        org: row.org_slug.clone(),
        title: text.title.clone(),
        summary: text.summary.clone(),
        body: text.body.clone(),
        topic: text.topic.clone(),
        tags: text.tags.join(", "),
        visibility: text.visibility.as_str().into(),
        review_by: text.review_by.map(|d| d.to_string()).unwrap_or_default(),
        owner,
        fields,
        ..DocumentForm::new(row.kind)
    })
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
    let (form, status, title, archived) = match slug {
        None => {
            if !viewer.can_create_documents() {
                return Err(AppError::Forbidden);
            }
            // A self-describing kind's fields say who may read it; the editor does not ask.
            let visibility = if kind.spec().self_describing() {
                String::new()
            } else {
                Visibility::Network.as_str().into()
            };
            let form = DocumentForm {
                org: user.org_slug.clone(),
                visibility,
                owner: user.email.clone(),
                fields: kind.spec().new_form(&user.org_slug),
                ..DocumentForm::new(kind)
            };
            (form, None, format!("New {}", kind.label()), false)
        }
        Some(slug) => {
            let row = store::find_readable(db, viewer, kind, slug)
                .await?
                .into_row();
            if !viewer.can_edit_for(row.org_id) {
                return Err(AppError::Forbidden);
            }
            let head = revisions::expect(db.pool(), row.head()?).await?;
            let text = head.text(kind)?;
            let form = form_from(db, &row, &text, head.id).await?;
            (
                form,
                Some(row.status),
                format!("Edit: {}", head.title),
                row.is_archived(),
            )
        }
    };
    let orgs = if viewer.writes_for_every_organisation() {
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
        archived,
        max_body_kib: MAX_BODY_BYTES / 1024,
    })
}

/// A checked form: where the document belongs and what it says.
struct Checked {
    org_id: i64,
    slug: String,
    text: RevisionText,
}

/// Checks every field of the form, naming each problem.
async fn check(
    db: &Db,
    viewer: &Viewer,
    form: &DocumentForm,
    existing: Option<&DocRow>,
) -> AppResult<Result<Checked, Vec<FormError>>> {
    let kind = form.kind;
    let mut errors = Vec::new();
    let org_id = match existing {
        Some(row) => Some(row.org_id),
        None if limits::over(form.org.trim(), MAX_SLUG_CHARS) => {
            errors.push(FormError::new("org", "Choose an organisation"));
            None
        }
        None => match orgs::id_by_slug(db.pool(), form.org.trim()).await? {
            Some(id) if viewer.can_edit_for(id) => Some(id),
            Some(_) => {
                errors.push(FormError::new(
                    "org",
                    "You can only write documents for your own organisation",
                ));
                None
            }
            None => {
                errors.push(FormError::new("org", "Choose an organisation"));
                None
            }
        },
    };
    let org_slug = match existing {
        Some(row) => Some(row.org_slug.clone()),
        None => org_id.map(|_| form.org.trim().to_owned()),
    };
    let slug = match existing {
        Some(row) => row.slug.clone(),
        // One per organisation, at the organisation's address.
        None if kind.spec().self_describing() => org_slug.clone().unwrap_or_default(),
        None => {
            let wanted = if form.new_slug.trim().is_empty() {
                crate::markdown::slugify(&form.title)
            } else {
                form.new_slug.trim().to_ascii_lowercase()
            };
            if limits::over(&wanted, MAX_SLUG_CHARS) {
                // Made from a long title, or typed: either way, not echoed back.
                let message = if form.new_slug.trim().is_empty() {
                    format!("Web address: the title is too long to make one from; type one of {MAX_SLUG_CHARS} characters or fewer")
                } else {
                    format!("Web address: it must be {MAX_SLUG_CHARS} characters or fewer")
                };
                errors.push(FormError::new("new_slug", message));
                String::new()
            } else {
                if let Err(m) = crate::slugs::validate_slug(&wanted) {
                    errors.push(FormError::new("new_slug", format!("Web address: {m}")));
                }
                wanted
            }
        }
    };
    if let Some(m) = limits::too_long("What you changed", form.comment.trim(), MAX_COMMENT_CHARS) {
        errors.push(FormError::new("comment", m));
    }
    let fields = kind.spec().read_form(&form.fields, &mut errors);
    let input = validate::Input {
        kind,
        org_id,
        org_slug: org_slug.as_deref(),
        title: &form.title,
        summary: &form.summary,
        body: &form.body,
        topic: &form.topic,
        tags: form.tags.split(',').collect(),
        visibility: &form.visibility,
        review_by: &form.review_by,
        owner: &form.owner,
        fields,
    };
    let checked = validate::check(db, Source::Editor(viewer), input).await?;
    match (checked, org_id) {
        (Ok(text), Some(org_id)) if errors.is_empty() => Ok(Ok(Checked { org_id, slug, text })),
        (checked, _) => {
            if let Err(problems) = checked {
                errors.extend(
                    problems
                        .into_iter()
                        .map(|p| FormError::new(p.field, p.message)),
                );
            }
            Ok(Err(errors))
        }
    }
}

/// Keeps the form with its errors, conflict or preview for the editor page, and returns its
/// address.
async fn back_to_editor(
    session: &Session,
    form: DocumentForm,
    kept: EditorKept,
    anchor: &str,
) -> AppResult<String> {
    let slug = Some(form.slug.trim().to_owned()).filter(|s| !s.is_empty());
    let key = flash_key(form.kind, slug.as_deref());
    let url = editor_url(form.kind, slug.as_deref());
    let (errors, conflict, preview_html) = match kept {
        EditorKept::Errors(e) => (e, None, None),
        EditorKept::Conflict(c) => (Vec::new(), Some(c), None),
        EditorKept::Preview(html) => (Vec::new(), None, Some(html)),
    };
    flash::keep(
        session,
        &key,
        &EditorFlash {
            form,
            errors,
            conflict,
            preview_html,
        },
    )
    .await?;
    Ok(format!("{url}{anchor}"))
}

/// Why the editor is shown again.
enum EditorKept {
    Errors(Vec<FormError>),
    Conflict(Conflict),
    Preview(String),
}

/// The document a post of the editor saves over (`None` for a new one), once the viewer is
/// known to be allowed to write it.
async fn writable(db: &Db, viewer: &Viewer, form: &DocumentForm) -> AppResult<Option<DocRow>> {
    viewer.require_user()?;
    let slug = form.slug.trim();
    if slug.is_empty() {
        return match viewer.can_create_documents() {
            true => Ok(None),
            false => Err(AppError::Forbidden),
        };
    }
    let row = store::find_readable(db, viewer, form.kind, slug)
        .await?
        .into_row();
    if !viewer.can_edit_for(row.org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(Some(row))
}

/// A file uploaded into the editor: its text, none, or why it cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uploaded {
    /// The file's text.
    Text(String),
    /// No file was chosen (or the form was sent with the Enter key, which presses the first
    /// button, the upload one): the form is saved as typed.
    Nothing,
    /// The message for the author: the file is too large, empty, or not text.
    Refused(String),
}

/// Handles an upload into the editor of a kind with formats of its own: the file replaces the
/// kind's fields in the form as posted (the rest is kept as typed), then the form is saved as a
/// draft exactly as by "Save draft", so nothing is stored unless every check passes. A file
/// that cannot be used sends the author back to the editor with the reason, saving nothing.
pub async fn upload(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    mut form: DocumentForm,
    file: Uploaded,
) -> AppResult<String> {
    writable(db, viewer, &form).await?;
    let spec = form.kind.spec();
    if spec.file_formats().is_empty() {
        return Err(AppError::Invalid(format!(
            "A {} cannot be uploaded as a file",
            form.kind.label()
        )));
    }
    match file {
        Uploaded::Text(text) => {
            let part = spec.form_from(&spec.fields_from_file(&text)).map_err(|e| {
                tracing::error!(kind = %form.kind, "uploaded fields cannot be put in the form: {e}");
                AppError::Internal
            })?;
            form.fields.extend(part);
            form.intent = Intent::Save;
            save(db, viewer, actor, session, form).await
        }
        Uploaded::Nothing => {
            form.intent = Intent::Save;
            save(db, viewer, actor, session, form).await
        }
        Uploaded::Refused(message) => {
            let errors = vec![FormError::new("upload", message)];
            back_to_editor(session, form, EditorKept::Errors(errors), "").await
        }
    }
}

/// Handles a post of the editor: preview, save as a new revision (refusing to overwrite a newer
/// one), or save and submit for review. Returns where the browser goes next.
pub async fn save(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    mut form: DocumentForm,
) -> AppResult<String> {
    let user = viewer.require_user()?.clone();
    let kind = form.kind;
    let existing = writable(db, viewer, &form).await?;

    if form.intent == Intent::Preview {
        let today = crate::state::app_state()?.today();
        let html = super::hooks::render_for(db, viewer, today, &form.body)
            .await?
            .html;
        return back_to_editor(session, form, EditorKept::Preview(html), "#preview").await;
    }
    let checked = match check(db, viewer, &form, existing.as_ref()).await? {
        Ok(c) => c,
        Err(errors) => return back_to_editor(session, form, EditorKept::Errors(errors), "").await,
    };
    let author = Author::of(&user);
    let comment = form.comment.trim().to_owned();
    let target = kind.href(&checked.slug);
    let mut rec = db.record(actor).await?;
    let written = match &existing {
        Some(row) => {
            let edit = Edit {
                slug: &row.slug,
                base_revision: form.base_revision,
            };
            save_revision(&mut rec, kind, edit, &checked.text, &author, &comment).await?
        }
        None => create(&mut rec, kind, &checked, &author, &comment).await?,
    };
    let doc = match written {
        Written::Saved(doc) => *doc,
        Written::Conflict { conflict, head_id } => {
            rec.rollback().await?;
            // Keep the author's text; the next save deliberately replaces the newer revision.
            form.base_revision = head_id;
            return back_to_editor(session, form, EditorKept::Conflict(conflict), "").await;
        }
        Written::SlugTaken => {
            rec.rollback().await?;
            let error = if kind.spec().self_describing() {
                FormError::new(
                    "org",
                    format!(
                        "This organisation already has its {} at {target}: edit that one",
                        kind.label()
                    ),
                )
            } else {
                FormError::new(
                    "new_slug",
                    format!(
                        "There is already a {} at {target}; choose another web address",
                        kind.label()
                    ),
                )
            };
            let errors = vec![error];
            return back_to_editor(session, form, EditorKept::Errors(errors), "").await;
        }
    };
    let submit = form.intent == Intent::Submit;
    if submit {
        store::set_status(&mut rec, doc.id, DocStatus::InReview).await?;
        record_step(
            &mut rec,
            StepTarget::from(&doc),
            Step {
                step: WorkflowStep::Submitted,
                revision_id: None,
                author: &author,
                comment: "",
                detail: "",
            },
        )
        .await?;
    }
    rec.commit().await?;
    let message = if submit {
        "Saved and sent for review"
    } else {
        "Draft saved"
    };
    flash::set_notice(session, true, message).await?;
    Ok(target)
}

/// What a save wrote, or why it wrote nothing.
enum Written {
    Saved(Box<DocRow>),
    /// Someone saved a newer revision since the author opened the editor.
    Conflict {
        conflict: Conflict,
        head_id: i64,
    },
    /// Another document took the address first.
    SlugTaken,
}

/// The document an edit saves over, and the revision the author started from.
struct Edit<'a> {
    slug: &'a str,
    base_revision: i64,
}

/// Saves a new revision of an existing document, unless a newer one was saved meanwhile.
async fn save_revision(
    rec: &mut db::Recorder,
    kind: DocKind,
    edit: Edit<'_>,
    text: &RevisionText,
    author: &Author,
    comment: &str,
) -> AppResult<Written> {
    // Re-read inside the write transaction: nobody can slip a revision in between.
    let current = store::find(&mut **rec.tx(), kind, edit.slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let head = revisions::expect(&mut **rec.tx(), current.head()?).await?;
    if head.id != edit.base_revision {
        let conflict = Conflict {
            their_revision: head.number,
            their_author: head.author.clone(),
            fields: super::diff::compare(kind, &head.text(kind)?, text)?,
        };
        return Ok(Written::Conflict {
            conflict,
            head_id: head.id,
        });
    }
    let (revision_id, number) = save_draft(rec, &current, text, author, comment).await?;
    record_step(
        rec,
        StepTarget::from(&current),
        Step {
            step: WorkflowStep::Saved,
            revision_id: Some(revision_id),
            author,
            comment,
            detail: &format!("revision {number}"),
        },
    )
    .await?;
    if head.visibility != text.visibility {
        let detail = format!(
            "{} → {} (revision {number})",
            head.visibility, text.visibility
        );
        rec.record(Event {
            action: db::Action::VisibilityChanged,
            target: &current.href(),
            detail: &detail,
            change: Some(Change::upsert(
                Entity::Document,
                current.id,
                Some(current.org_id),
            )),
        })
        .await?;
    }
    Ok(Written::Saved(Box::new(current)))
}

/// Creates a document with its first revision, unless its address is taken.
async fn create(
    rec: &mut db::Recorder,
    kind: DocKind,
    checked: &Checked,
    author: &Author,
    comment: &str,
) -> AppResult<Written> {
    if store::slug_taken(rec, kind, &checked.slug).await? {
        return Ok(Written::SlugTaken);
    }
    let at = rec.at().to_owned();
    let inserted = store::insert_document(
        rec,
        kind,
        &checked.slug,
        checked.org_id,
        &checked.text,
        DocStatus::Draft,
        &at,
    )
    .await;
    let id = match inserted {
        Ok(id) => id,
        // Another editor took the address between our check and our insert.
        Err(e) if db::is_unique_violation(&e) => return Ok(Written::SlugTaken),
        Err(e) => return Err(e.into()),
    };
    let (revision_id, _) = revisions::append(rec, id, &checked.text, author, comment).await?;
    let row = store::find(&mut **rec.tx(), kind, &checked.slug)
        .await?
        .ok_or(AppError::Internal)?;
    record_step(
        rec,
        StepTarget::from(&row),
        Step {
            step: WorkflowStep::Created,
            revision_id: Some(revision_id),
            author,
            comment,
            detail: "",
        },
    )
    .await?;
    Ok(Written::Saved(Box::new(row)))
}

/// Saves `text` as the newest revision, a draft. A document never approved shows its newest
/// revision, so its row follows the draft. The caller records the step.
pub async fn save_draft(
    rec: &mut db::Recorder,
    document: &DocRow,
    text: &RevisionText,
    author: &Author,
    comment: &str,
) -> AppResult<(i64, i64)> {
    let (revision_id, number) = revisions::append(rec, document.id, text, author, comment).await?;
    if document.published_revision_id.is_none() {
        let at = rec.at().to_owned();
        store::mirror(rec, document.id, text, &at).await?;
    }
    store::set_status(rec, document.id, DocStatus::Draft).await?;
    Ok((revision_id, number))
}

/// Saves a change to a document's own fields made outside the editor (a setting adopted from
/// another organisation's configuration) as a new draft revision on top of its newest one, the
/// rest of its text as it is. The viewer must be allowed to edit it; `change` gets the newest
/// fields and returns the changed ones, which must pass the kind's checks like a save from the
/// editor. Returns the editor's address, or why nothing was saved.
#[allow(clippy::too_many_arguments)]
pub async fn change_fields(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    session: &Session,
    kind: DocKind,
    slug: &str,
    comment: &str,
    change: impl FnOnce(&serde_json::Value) -> Result<serde_json::Value, String>,
) -> AppResult<Result<String, String>> {
    let user = viewer.require_user()?.clone();
    let row = store::find_readable(db, viewer, kind, slug)
        .await?
        .into_row();
    if !viewer.can_edit_for(row.org_id) {
        return Err(AppError::Forbidden);
    }
    let head = revisions::expect(db.pool(), row.head()?).await?;
    let mut text = head.text(kind)?;
    text.fields = match change(&text.fields) {
        Ok(fields) => fields,
        Err(why) => return Ok(Err(why)),
    };
    let cx = crate::kind::CheckContext {
        organisation: Some(&row.org_slug),
    };
    let problems = kind.spec().check(&text.fields, cx);
    if let Some(p) = problems.first() {
        return Ok(Err(p.message.clone()));
    }
    if let Some(described) = kind.spec().describe(&text.fields) {
        text.visibility = described.visibility;
    }
    let author = Author::of(&user);
    let mut rec = db.record(actor).await?;
    let (revision_id, number) = save_draft(&mut rec, &row, &text, &author, comment).await?;
    record_step(
        &mut rec,
        StepTarget::from(&row),
        Step {
            step: WorkflowStep::Saved,
            revision_id: Some(revision_id),
            author: &author,
            comment,
            detail: "",
        },
    )
    .await?;
    rec.commit().await?;
    flash::set_notice(
        session,
        true,
        format!("{comment}: saved as draft revision {number}. Check it, then send it for review."),
    )
    .await?;
    Ok(Ok(editor_url(kind, Some(&row.slug))))
}

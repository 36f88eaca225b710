//! `POST /api/documents/upload`: the editor's form sent as `multipart/form-data` with a file, by
//! the "Upload" button of a kind with formats of its own (an access-management configuration).
//! The button sends the whole editor form, so nothing typed elsewhere is lost; the file replaces
//! the kind's fields and the form is saved as a draft through the same checks as "Save draft".
//! Works without JavaScript: the browser sends the file.

use std::net::SocketAddr;

use axum::extract::multipart::Field;
use axum::extract::{ConnectInfo, Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use app::auth::session::{actor_for, viewer_of};
use app::documents::editing::{self, Uploaded};
use app::documents::model::DocumentForm;
use app::error::{AppError, UNREADABLE_FORM};
use app::limits::MAX_UPLOAD_BYTES;
use app::state::AppState;

use super::ErrorResponse;

/// The address the upload button posts to.
pub const UPLOAD: &str = "/api/documents/upload";

/// The name of the file field.
const FILE_FIELD: &str = "upload";

/// Most text fields read from one upload: the editor sends a few dozen.
const MAX_FIELDS: usize = 200;

/// The editor's fields, named as the save server function reads them (`form[title]`).
#[derive(Deserialize)]
struct Posted {
    form: DocumentForm,
}

/// Reads the form and the file, saves through the editor, and sends the browser on.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    multipart: Multipart,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    viewer.require_user()?;
    let (form, file) = read(multipart).await?;
    let actor = actor_for(viewer.user.as_ref(), Some(addr.ip().to_string()));
    let next = editing::upload(&state.db, &viewer, &actor, &session, form, file).await?;
    Ok(Redirect::to(&next).into_response())
}

/// The posted form, and the file or why it cannot be used.
async fn read(mut multipart: Multipart) -> Result<(DocumentForm, Uploaded), AppError> {
    let unreadable = || AppError::Request(UNREADABLE_FORM.into());
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut file = Uploaded::Nothing;
    let mut fields = 0;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        tracing::warn!(error = %e, "an upload could not be read");
        unreadable()
    })? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == FILE_FIELD {
            file = read_file(field).await?;
            continue;
        }
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(unreadable());
        }
        // Text fields are no longer than the editor's own limits allow, which the request
        // limit bounds; the checks after this name any that are too long.
        let value = field.text().await.map_err(|_| unreadable())?;
        pairs.push((name, value));
    }
    // Decoded exactly as the save server function decodes the same form sent URL-encoded.
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let posted: Posted = serde_qs::Config::new(5, false)
        .deserialize_str(&encoded)
        .map_err(|e| {
            tracing::warn!(error = %e, "an upload's form could not be read");
            unreadable()
        })?;
    Ok((posted.form, file))
}

/// The file's text, read no further than the limit (also the contact import's upload).
pub(crate) async fn read_file(mut field: Field<'_>) -> Result<Uploaded, AppError> {
    // A file input left empty still sends a part, with no file name and nothing in it.
    let named = field.file_name().is_some_and(|n| !n.trim().is_empty());
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|_| AppError::Request(UNREADABLE_FORM.into()))?
    {
        if bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
            return Ok(Uploaded::Refused(format!(
                "The file is larger than {} KiB, too large to upload",
                MAX_UPLOAD_BYTES / 1024
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    if !named && bytes.is_empty() {
        return Ok(Uploaded::Nothing);
    }
    if bytes.is_empty() {
        return Ok(Uploaded::Refused("The file is empty".into()));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Uploaded::Text(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned()),
        Err(e) => Uploaded::Refused(format!(
            "The file is not UTF-8 text (byte {} cannot be read)",
            e.utf8_error().valid_up_to() + 1
        )),
    })
}

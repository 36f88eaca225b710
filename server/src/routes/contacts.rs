//! The contact directory outside Leptos: a contact's vCard (`/contacts/{slug}.vcf`), the
//! filtered list as vCards (`/contacts.vcf`) and as CSV (`/contacts.csv`); and the gate in
//! front of every contact address, which sends anonymous visitors to the sign-in page before
//! anything is looked up, so they learn nothing, not even how many contacts there are.
//!
//! A vCard is an opening like a page view: counted against the member's hourly limit and
//! written to the audit log. The list exports are bulk exports: for administrators and an
//! organisation's publishers (their own organisation's contacts), audited with how many.

use axum::extract::{Multipart, Query, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use app::auth::session::{actor_for, viewer_of};
use app::contacts::model::{ContactQuery, ImportForm};
use app::contacts::{csv, reading, vcard};
use app::documents::editing::Uploaded;
use app::error::AppError;
use app::permissions::Viewer;
use app::state::AppState;

use super::ErrorResponse;

/// The filtered list as vCards.
pub const LIST_VCARD: &str = "/contacts.vcf";
/// The filtered list as CSV.
pub const LIST_CSV: &str = "/contacts.csv";

/// The CSV import's file upload: a plain multipart form, so it works without JavaScript.
pub const UPLOAD: &str = "/api/contacts/upload";

/// Whether a path is one of the directory's: `/contacts`, `/contacts/…`, `/contacts.vcf`,
/// `/contacts.csv`.
fn is_contact_path(path: &str) -> bool {
    path == "/contacts" || path.starts_with("/contacts/") || path == LIST_VCARD || path == LIST_CSV
}

/// The directory name in `/contacts/{slug}.vcf`.
fn card_slug(path: &str) -> Option<&str> {
    let slug = path.strip_prefix("/contacts/")?.strip_suffix(".vcf")?;
    app::slugs::validate_slug(slug).ok()?;
    Some(slug)
}

/// The audit actor of a request outside Leptos: its user and the TCP peer's address.
fn actor_of(viewer: &Viewer, request: &Request) -> app::db::Actor {
    let addr = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    actor_for(viewer.user.as_ref(), addr)
}

/// A text file as an HTTP answer: `inline` or an attachment called `file`.
fn file_answer(content_type: &str, file: &str, text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        text,
    )
        .into_response()
}

/// In front of every contact address (inside the session layer): anonymous GETs go to the
/// sign-in page and come back after it (303); `/contacts/{slug}.vcf`, which the router cannot
/// tell from the page `/contacts/{slug}`, is answered here.
pub async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    let session = request.extensions().get::<Session>().cloned();
    let (true, true, Some(session)) = (reading, is_contact_path(&path), session) else {
        return next.run(request).await;
    };
    let viewer = match viewer_of(&state, &session).await {
        Ok(v) => v,
        Err(e) => return ErrorResponse(e).into_response(),
    };
    if !viewer.can_see_contacts() {
        let next_page = request
            .uri()
            .path_and_query()
            .map_or(path.clone(), |p| p.to_string());
        let login = app::auth::sign_in::login_url("", &[], &next_page);
        return (StatusCode::SEE_OTHER, [(header::LOCATION, login)]).into_response();
    }
    let Some(slug) = card_slug(&path) else {
        return next.run(request).await;
    };
    let actor = actor_of(&viewer, &request);
    let answer = async {
        let contact = reading::readable(&state.db, &viewer, slug).await?;
        reading::open(
            &state.db,
            &viewer,
            &actor,
            state.settings.contacts_per_hour,
            &contact,
            reading::Opening::Card,
        )
        .await?;
        Ok::<_, AppError>(file_answer(
            "text/vcard; charset=utf-8",
            &format!("{slug}.vcf"),
            vcard::card(&contact, &state.settings.public_url),
        ))
    };
    match answer.await {
        Ok(response) => response,
        Err(AppError::TooMany(message)) => (
            StatusCode::TOO_MANY_REQUESTS,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::RETRY_AFTER, "3600"),
            ],
            message,
        )
            .into_response(),
        Err(e) => ErrorResponse(e).into_response(),
    }
}

/// `/contacts.vcf`: the contacts matching the filters that the caller may export, as vCards.
pub async fn list_vcard(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ContactQuery>,
    request: Request,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    let actor = actor_of(&viewer, &request);
    let contacts = reading::export(&state.db, &viewer, &actor, &query, LIST_VCARD).await?;
    Ok(file_answer(
        "text/vcard; charset=utf-8",
        "contacts.vcf",
        vcard::cards(&contacts, &state.settings.public_url),
    ))
}

/// `/contacts.csv`: the contacts matching the filters that the caller may export, as CSV.
pub async fn list_csv(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<ContactQuery>,
    request: Request,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    let actor = actor_of(&viewer, &request);
    let contacts = reading::export(&state.db, &viewer, &actor, &query, LIST_CSV).await?;
    let text = csv::export(&contacts).map_err(|e| {
        tracing::error!(error = %e, "writing contacts as CSV failed");
        ErrorResponse(AppError::Internal)
    })?;
    Ok(file_answer("text/csv; charset=utf-8", "contacts.csv", text))
}

/// `POST /api/contacts/upload`: a CSV file for the import (the `file` field). Its text goes
/// through the same dry run as pasted text and is then shown in the import form, which carries
/// it to the confirmation; nothing is written here.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    axum::extract::ConnectInfo(addr): axum::extract::ConnectInfo<std::net::SocketAddr>,
    mut multipart: Multipart,
) -> Result<Response, ErrorResponse> {
    let viewer = viewer_of(&state, &session).await?;
    viewer.require_user()?;
    if viewer.contact_export_scope().is_none() {
        return Err(AppError::Forbidden.into());
    }
    let actor = actor_for(viewer.user.as_ref(), Some(addr.ip().to_string()));
    let unreadable = || AppError::Request(app::error::UNREADABLE_FORM.into());
    let mut file = Uploaded::Nothing;
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        if field.name() == Some("file") {
            file = super::uploads::read_file(field).await?;
        }
    }
    let next = match file {
        Uploaded::Text(csv) => {
            let form = ImportForm {
                csv,
                action: "check".to_owned(),
                checked: String::new(),
            };
            csv::check_or_import(&state.db, &viewer, &actor, &session, state.today(), form).await?
        }
        Uploaded::Refused(problem) => csv::keep_file_problem(&session, problem).await?,
        Uploaded::Nothing => {
            csv::keep_file_problem(
                &session,
                "Choose a CSV file to upload, or paste its text below".to_owned(),
            )
            .await?
        }
    };
    Ok(Redirect::to(&next).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_directory_name_makes_a_card_address() {
        assert_eq!(
            card_slug("/contacts/sian-ni-bhriain.vcf"),
            Some("sian-ni-bhriain")
        );
        assert_eq!(card_slug("/contacts/sian-ni-bhriain"), None);
        assert_eq!(card_slug("/contacts/.vcf"), None);
        assert_eq!(card_slug("/contacts/a/b.vcf"), None);
        assert_eq!(card_slug("/contacts/Siân.vcf"), None);
    }

    #[test]
    fn the_gate_covers_the_directory_and_its_exports_alone() {
        for path in [
            "/contacts",
            "/contacts/new",
            "/contacts/x.vcf",
            LIST_CSV,
            LIST_VCARD,
        ] {
            assert!(is_contact_path(path), "{path}");
        }
        for path in ["/contactsx", "/api/contacts/list", "/orgs/contacts"] {
            assert!(!is_contact_path(path), "{path}");
        }
    }
}

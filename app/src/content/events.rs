//! Importing `events/*.md`: the front matter is an event as written
//! ([`EventInput`](crate::events::validate::EventInput)), the Markdown text its description.
//! The file name is the slug: the same file updates the same event, raising its sequence, and
//! an unchanged file changes nothing.

use std::path::Path;

use super::documents::located;
use super::{parse, slug_of, ImportError, ImportFailure};
use crate::db::{Action, Actor, Db, Event};
use crate::documents::import::Outcome;
use crate::events::model::event_href;
use crate::events::store;
use crate::events::validate::{self, EventInput};

/// Imports one event file.
pub async fn import(
    db: &Db,
    actor: &Actor,
    path: &Path,
    text: &str,
) -> Result<Result<Outcome, ImportError>, ImportFailure> {
    let slug = match slug_of(path) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let (fm, mut input) = match parse::<EventInput>(path, text) {
        Ok(v) => v,
        Err(e) => return Ok(Err(e)),
    };
    input.description = fm.body.to_owned();
    let fields = match validate::check(db, &input).await? {
        Ok(fields) => fields,
        // A file reports its first problem, with its line, as document files do.
        Err(problems) => {
            let first = problems.into_iter().next().unwrap_or_else(|| {
                crate::kind::Problem::new("title", "the event could not be checked")
            });
            return Ok(Err(located(path, &fm, first)));
        }
    };
    let previous = store::find_by_slug(db, &slug).await?;
    if previous.as_ref().is_some_and(|p| p.fields == fields) {
        return Ok(Ok(Outcome::Unchanged));
    }
    let mut rec = db.record(actor).await?;
    let (id, change) = store::save(
        &mut rec,
        store::Origin {
            slug: &slug,
            milestone: None,
        },
        &fields,
        previous.as_ref(),
    )
    .await?;
    rec.record(Event {
        action: if previous.is_some() {
            Action::EventUpdated
        } else {
            Action::EventCreated
        },
        target: &event_href(id),
        detail: &path.display().to_string(),
        change: Some(change),
    })
    .await?;
    rec.commit().await?;
    Ok(Ok(if previous.is_some() {
        Outcome::Updated
    } else {
        Outcome::Created
    }))
}

//! Reading contacts, always after the permission check: the directory, a contact's page and
//! address card (each counted against the member's hourly limit and written to the audit log),
//! a deployment plan's contacts, and the contacts due for checking on the review page.

use super::model::{
    contact_href, Choice, ContactList, ContactQuery, ContactView, LinkedEvent, LinkedPlan,
    ListedContact, PlanContactView, PAGE_SIZE,
};
use super::store::{self, Filter, StoredContact};
use super::validate::fold;
use super::{ContactRole, VERIFY_EVERY_MONTHS};
use crate::dates::Date;
use crate::db::{Action, Actor, Db, Event};
use crate::error::{AppError, AppResult};
use crate::kind::Kind;
use crate::kinds::DocKind;
use crate::limits::{too_long, MAX_SEARCH_CHARS, MAX_SLUG_CHARS};
use crate::orgs::Nation;
use crate::permissions::Viewer;
use crate::plans::{PlanFields, Plans};

/// The day before which a contact's last check is too old.
pub fn verify_cutoff(today: Date) -> Date {
    today.months_before(VERIFY_EVERY_MONTHS)
}

/// The filter a query asks for; an organisation that does not exist matches nothing, like one
/// with no contacts. Refuses values longer than any the directory offers.
pub async fn filter_of(db: &Db, query: &ContactQuery) -> AppResult<Filter> {
    let text = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    for (what, value, max) in [
        ("The organisation", &query.org, MAX_SLUG_CHARS),
        ("The initiative", &query.initiative, MAX_SEARCH_CHARS),
        ("The name", &query.q, MAX_SEARCH_CHARS),
        ("The role", &query.role, MAX_SLUG_CHARS),
        ("The nation", &query.nation, MAX_SLUG_CHARS),
    ] {
        if let Some(m) = value.as_deref().and_then(|v| too_long(what, v, max)) {
            return Err(AppError::Invalid(m));
        }
    }
    let org_id = match text(&query.org) {
        Some(slug) => Some(
            crate::orgs::store::id_by_slug(db.pool(), &slug)
                .await?
                .unwrap_or(0),
        ),
        None => None,
    };
    let role = match text(&query.role) {
        Some(r) => Some(ContactRole::read(&r).map_err(AppError::Invalid)?),
        None => None,
    };
    let nation = match text(&query.nation) {
        Some(n) => Some(Nation::parse(&n).map_err(AppError::Invalid)?),
        None => None,
    };
    Ok(Filter {
        org_id,
        role,
        initiative: text(&query.initiative),
        nation,
        name: text(&query.q).map(|q| fold(&q)).filter(|q| !q.is_empty()),
        current_only: false,
    })
}

fn listed(contact: StoredContact, cutoff: Date) -> ListedContact {
    let stale = contact.stale(cutoff);
    ListedContact {
        slug: contact.slug,
        name: contact.fields.name,
        job_title: contact.fields.job_title,
        org: contact.org,
        roles: contact.fields.roles,
        not_verified_since: stale.then(|| contact.fields.last_verified.to_string()),
        archived: contact.archived_at.is_some(),
    }
}

/// `/contacts`: one page of the directory. Anonymous viewers are refused before anything is
/// counted.
pub async fn list(
    db: &Db,
    viewer: &Viewer,
    today: Date,
    per_hour: u32,
    query: &ContactQuery,
) -> AppResult<ContactList> {
    viewer.require_user()?;
    let filter = filter_of(db, query).await?;
    let page = query.page_number().min(10_000);
    let (rows, total) =
        store::matching(db, viewer, &filter, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let cutoff = verify_cutoff(today);
    let (orgs, initiatives) = store::facets(db, viewer).await?;
    Ok(ContactList {
        items: rows.into_iter().map(|c| listed(c, cutoff)).collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        orgs: orgs
            .into_iter()
            .map(|o| Choice {
                value: o.slug,
                label: o.name,
            })
            .collect(),
        roles: ContactRole::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: r.label().to_owned(),
            })
            .collect(),
        initiatives,
        nations: Nation::ALL
            .iter()
            .map(|n| Choice {
                value: n.as_str().to_owned(),
                label: n.label().to_owned(),
            })
            .collect(),
        can_add: viewer.can_add_contacts(),
        can_export: viewer.contact_export_scope().is_some(),
        per_hour,
    })
}

/// The contact at `slug` if the viewer may read it; "not found" otherwise, exactly like a
/// missing one. Anonymous viewers are asked to sign in first, whatever the slug.
pub async fn readable(db: &Db, viewer: &Viewer, slug: &str) -> AppResult<StoredContact> {
    viewer.require_user()?;
    if crate::slugs::validate_slug(slug).is_err() {
        return Err(AppError::NotFound);
    }
    let contact = store::find(db, slug).await?.ok_or(AppError::NotFound)?;
    if viewer.can_read_contact(&contact.access()) {
        Ok(contact)
    } else {
        Err(AppError::NotFound)
    }
}

/// How a contact is opened, as the audit log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opening {
    Page,
    Card,
}

/// Counts the opening of a readable contact against the member's hourly limit and writes it
/// to the audit log (who, when, which contact, how). A contact opened again within the hour
/// costs nothing more; beyond the limit the opening is refused (429) with what the limit is.
pub async fn open(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    per_hour: u32,
    contact: &StoredContact,
    how: Opening,
) -> AppResult<()> {
    let user = viewer.require_user()?;
    let target = contact_href(&contact.slug);
    let hour_ago =
        crate::db::format_timestamp(time::OffsetDateTime::now_utc() - time::Duration::hours(1));
    let mut rec = db.record(actor).await?;
    if !store::opened_already(&mut rec, user.id, &target, &hour_ago).await? {
        let opened = store::opened_since(&mut rec, user.id, &hour_ago).await?;
        if opened >= i64::from(per_hour) {
            rec.rollback().await?;
            tracing::warn!(user = user.id, opened, "contact limit reached");
            return Err(AppError::TooMany(format!(
                "You have opened {opened} different contacts in the last hour, the most one member may open in an hour. This keeps the directory useful to members and useless to anyone copying it. Try again later; contacts you opened in the last hour still open. If you need many contacts at once, ask a publisher of their organisation for an export."
            )));
        }
    }
    let (action, detail) = match how {
        Opening::Page => (Action::ContactViewed, "page"),
        Opening::Card => (Action::ContactCardDownloaded, "vCard"),
    };
    rec.record(Event {
        action,
        target: &target,
        detail,
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(())
}

/// The readable, not archived plans naming this contact, with their part in each.
async fn linked_plans(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
) -> AppResult<Vec<(LinkedPlan, String)>> {
    let Some(kind) = DocKind::from_code(Plans::NAMES.code) else {
        return Ok(Vec::new());
    };
    let needle = format!("\"contact\":\"{slug}\"");
    let mut plans = Vec::new();
    for (plan_slug, title, fields) in
        crate::documents::store::lists::mentioning(db, viewer, kind, &needle).await?
    {
        let Ok(fields) = serde_json::from_str::<PlanFields>(&fields) else {
            tracing::error!(plan = %plan_slug, "stored plan fields cannot be read");
            continue;
        };
        if let Some(c) = fields.contacts.iter().find(|c| c.contact == slug) {
            plans.push((
                LinkedPlan {
                    href: kind.href(&plan_slug),
                    title,
                    part: c.role.clone(),
                },
                plan_slug,
            ));
        }
    }
    Ok(plans)
}

/// Most events of linked plans a contact's page lists.
const EVENTS_SHOWN: usize = 10;

/// `/contacts/{slug}`: the contact, with the plans and events it is linked to that the viewer
/// may read. The caller counts and records the opening (see [`open`]).
pub async fn page(
    db: &Db,
    viewer: &Viewer,
    at: time::OffsetDateTime,
    contact: StoredContact,
) -> AppResult<ContactView> {
    let today = Date::from_time(at.date());
    let plans = linked_plans(db, viewer, &contact.slug).await?;
    let now = crate::events::timing::from_time(at);
    let mut events = Vec::new();
    for (_, plan_slug) in &plans {
        let (plan_id, _) = crate::events::reading::readable_plan(db, viewer, plan_slug).await?;
        let filter = crate::events::store::Filter {
            plan_id: Some(plan_id),
            ..crate::events::store::Filter::default()
        };
        let (items, _) =
            crate::events::reading::upcoming(db, viewer, now, filter, EVENTS_SHOWN).await?;
        events.extend(items.into_iter().map(|o| LinkedEvent {
            href: o.href(),
            title: o.title,
            when: o.when.text,
            datetime: o.when.datetime,
        }));
    }
    events.sort_by(|a, b| a.datetime.cmp(&b.datetime));
    events.dedup_by(|a, b| a.href == b.href && a.datetime == b.datetime);
    events.truncate(EVENTS_SHOWN);
    let cutoff = verify_cutoff(today);
    let stale = contact.stale(cutoff);
    let can_edit = viewer.can_keep_contacts_for(contact.fields.org_id);
    let version = contact.version;
    let f = contact.fields;
    Ok(ContactView {
        slug: contact.slug,
        name: f.name,
        job_title: f.job_title,
        team: f.team,
        org: contact.org,
        roles: f.roles,
        email: f.email,
        phone: f.phone,
        initiatives: f.initiatives,
        visibility: f.visibility,
        last_verified: f.last_verified.to_string(),
        stale,
        archived: contact.archived_at.is_some(),
        plans: plans.into_iter().map(|(p, _)| p).collect(),
        events,
        can_edit,
        version,
    })
}

/// The contacts of a deployment plan that the viewer may read, with their part in it; "not
/// found" for a plan they may not read. Anonymous viewers get none: contacts are for members.
pub async fn of_plan(db: &Db, viewer: &Viewer, plan_slug: &str) -> AppResult<Vec<PlanContactView>> {
    let kind = DocKind::from_code(Plans::NAMES.code).ok_or(AppError::Internal)?;
    let plan = crate::documents::store::find_readable(db, viewer, kind, plan_slug).await?;
    if !viewer.can_see_contacts() {
        return Ok(Vec::new());
    }
    let fields: PlanFields = serde_json::from_str(&plan.row().fields).map_err(|e| {
        tracing::error!(plan = %plan_slug, error = %e, "stored plan fields cannot be read");
        AppError::Unreadable
    })?;
    let slugs: Vec<String> = fields.contacts.iter().map(|c| c.contact.clone()).collect();
    let found = store::readable_by_slugs(db, viewer, &slugs).await?;
    Ok(fields
        .contacts
        .iter()
        .filter_map(|c| {
            let contact = found.iter().find(|f| f.slug == c.contact)?;
            Some(PlanContactView {
                href: contact_href(&contact.slug),
                name: contact.fields.name.clone(),
                job_title: contact.fields.job_title.clone(),
                org: contact.org.clone(),
                part: c.role.clone(),
            })
        })
        .collect())
}

/// The contacts not checked for a year that the viewer answers for (their organisation's, as
/// a publisher; every organisation's, as an administrator); none for anyone else.
pub async fn unverified(db: &Db, viewer: &Viewer, today: Date) -> AppResult<Vec<ListedContact>> {
    let Some(scope) = viewer.contact_review_scope() else {
        return Ok(Vec::new());
    };
    let cutoff = verify_cutoff(today);
    Ok(store::unverified(db, scope, cutoff)
        .await?
        .into_iter()
        .map(|c| listed(c, cutoff))
        .collect())
}

/// Most contacts one export holds.
pub const MAX_EXPORTED: i64 = 5000;

/// The contacts a bulk export (CSV, or the list as vCards) holds: those matching the query
/// that the viewer may export, not archived. Administrators export any organisation's, a
/// publisher their own organisation's alone (another organisation named is refused); everyone
/// else is refused. The export is written to the audit log with who, when, how many and the
/// filters; `address` names what was exported (`/contacts.csv`).
pub async fn export(
    db: &Db,
    viewer: &Viewer,
    actor: &Actor,
    query: &ContactQuery,
    address: &str,
) -> AppResult<Vec<StoredContact>> {
    viewer.require_user()?;
    let scope = viewer.contact_export_scope().ok_or(AppError::Forbidden)?;
    let mut filter = filter_of(db, query).await?;
    if let Some(own) = scope {
        match filter.org_id {
            Some(org) if org != own => return Err(AppError::Forbidden),
            _ => filter.org_id = Some(own),
        }
    }
    filter.current_only = true;
    let (contacts, _) = store::matching(db, viewer, &filter, 0, MAX_EXPORTED).await?;
    let mut rec = db.record(actor).await?;
    let filters = query.filters();
    rec.record(Event {
        action: Action::ContactsExported,
        target: address,
        detail: &format!(
            "{} contacts{}",
            contacts.len(),
            if filters.is_empty() {
                String::new()
            } else {
                format!("; {filters}")
            }
        ),
        change: None,
    })
    .await?;
    rec.commit().await?;
    Ok(contacts)
}

//! `/orgs/{slug}/access/waivers`: where an organisation's publishers waive a rule its
//! access-management configuration fails, and withdraw waivers (see
//! [`crate::configurations::waivers`]). A rule can be waived only while it fails on the
//! configuration as its publishers see it; the page, the form and both server functions are
//! for the organisation's publishers (and administrators) alone, whatever a form says.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::components::form::{
    form_name, ErrorSummary, Errors, FormError, Input, Select, TextArea,
};
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, TableHead};
use crate::configurations::waivers::{Waiver, WaiverForm, WaiverState};
use crate::dates::Date;
use crate::error::AppError;
use crate::limits::{MAX_JUSTIFICATION_CHARS, MAX_WAIVER_DAYS};
use crate::orgs::OrgRef;

/// A failing rule that can be waived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waivable {
    pub code: String,
    pub title: String,
    pub severity: String,
}

/// Everything the waivers page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiversPage {
    pub org: OrgRef,
    pub today: Date,
    /// The furthest last day a waiver granted today may have.
    pub latest: Date,
    /// Whether the organisation has a configuration its publishers can read.
    pub has_configuration: bool,
    /// The rules that fail and are not waived.
    pub waivable: Vec<Waivable>,
    /// Every waiver, newest first, with where it stands today.
    pub waivers: Vec<(Waiver, WaiverState)>,
    /// The form as typed last time, or with the rule asked for in the address.
    pub form: WaiverForm,
    pub errors: Vec<FormError>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::access::present::{ScoreLine, Scorecard};
    use crate::configurations::waivers::{self, NewWaiver};
    use crate::configurations::{ConfigurationPage, Configurations};
    use crate::db::{Action, Db, Event};
    use crate::documents::DocKind;
    use crate::error::AppResult;
    use crate::flash;
    use crate::kind::Kind as _;
    use crate::orgs::Organisation;
    use crate::permissions::Viewer;

    /// The flash key of an organisation's waiver form.
    pub fn flash_key(org: &str) -> String {
        format!("waiver.{org}")
    }

    /// The organisation, once the viewer is known to be one of its publishers.
    pub async fn waiving_org(db: &Db, viewer: &Viewer, slug: &str) -> AppResult<Organisation> {
        viewer.require_user()?;
        let org = crate::orgs::store::find(db, slug)
            .await?
            .ok_or(AppError::NotFound)?;
        if !viewer.can_waive_for(org.id) {
            return Err(AppError::Forbidden);
        }
        Ok(org)
    }

    /// The scorecard of the organisation's configuration as the viewer's page shows it today
    /// (waivers noted), or `None` when there is none they can read.
    pub async fn scorecard(
        db: &Db,
        viewer: &Viewer,
        today: Date,
        slug: &str,
    ) -> AppResult<Option<Scorecard>> {
        let kind = DocKind::from_code(Configurations::NAMES.code).ok_or(AppError::Internal)?;
        let doc = match crate::documents::store::find_readable(db, viewer, kind, slug).await {
            Ok(doc) => doc,
            Err(AppError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let page = crate::documents::reading::page(db, viewer, today, doc).await?;
        let page: ConfigurationPage =
            serde_json::from_value(page.kind_page).map_err(|_| AppError::Unreadable)?;
        Ok(match page {
            ConfigurationPage::Readable { scorecard, .. } => Some(scorecard),
            ConfigurationPage::Unreadable { .. } => None,
        })
    }

    fn waivable(line: &ScoreLine) -> bool {
        line.outcome == crate::access::Outcome::Fail && !line.waived()
    }

    pub async fn page(
        db: &Db,
        viewer: &Viewer,
        session: &tower_sessions::Session,
        today: Date,
        slug: &str,
        rule: Option<String>,
    ) -> AppResult<WaiversPage> {
        let org = waiving_org(db, viewer, slug).await?;
        let card = scorecard(db, viewer, today, slug).await?;
        let kept: Option<(WaiverForm, Vec<FormError>)> =
            flash::take(session, &flash_key(slug)).await?;
        let (form, errors) = kept.unwrap_or_else(|| {
            (
                WaiverForm {
                    rule: rule.unwrap_or_default(),
                    ..WaiverForm::default()
                },
                Vec::new(),
            )
        });
        let waivers = waivers::for_org(db, org.id)
            .await?
            .into_iter()
            .map(|w| {
                let state = w.state(today);
                (w, state)
            })
            .collect();
        Ok(WaiversPage {
            org: OrgRef {
                slug: org.slug,
                name: org.name,
            },
            today,
            latest: today.plus_days(MAX_WAIVER_DAYS),
            has_configuration: card.is_some(),
            waivable: card
                .iter()
                .flat_map(|c| c.lines.iter())
                .filter(|l| waivable(l))
                .map(|l| Waivable {
                    code: l.code.clone(),
                    title: l.title.clone(),
                    severity: l.severity.label().to_owned(),
                })
                .collect(),
            waivers,
            form,
            errors,
        })
    }

    /// Grants a waiver, or keeps the form with what is wrong; returns where to go next.
    pub async fn grant(
        db: &Db,
        viewer: &Viewer,
        actor: &crate::db::Actor,
        session: &tower_sessions::Session,
        today: Date,
        slug: &str,
        form: WaiverForm,
    ) -> AppResult<String> {
        let org = waiving_org(db, viewer, slug).await?;
        let user = viewer.require_user()?;
        let back = format!("{}#waive", crate::configurations::waivers_href(slug));
        let checked = match read(db, viewer, today, slug, &form).await? {
            Ok(w) => w,
            Err(errors) => {
                flash::keep(session, &flash_key(slug), &(form, errors)).await?;
                return Ok(back);
            }
        };
        let code = checked.rule.code;
        let mut rec = db.record(actor).await?;
        let (_, change) = waivers::insert(&mut rec, org.id, user.id, &checked).await?;
        let target = format!("/orgs/{slug}/access#rule-{code}");
        let detail = format!("{code} until {}: {}", checked.until, checked.justification);
        rec.record(Event {
            action: Action::WaiverGranted,
            target: &target,
            detail: &detail,
            change: Some(change),
        })
        .await?;
        rec.commit().await?;
        flash::set_notice(
            session,
            true,
            format!("{code} is waived until {}", checked.until),
        )
        .await?;
        Ok(target)
    }

    /// The form read, and the rule checked against the configuration: it must fail, and not be
    /// waived already.
    async fn read(
        db: &Db,
        viewer: &Viewer,
        today: Date,
        slug: &str,
        form: &WaiverForm,
    ) -> AppResult<Result<NewWaiver, Vec<FormError>>> {
        let checked = match waivers::read_form(form, today) {
            Ok(w) => w,
            Err(errors) => return Ok(Err(errors)),
        };
        let code = checked.rule.code;
        let card = scorecard(db, viewer, today, slug).await?;
        let line = card
            .as_ref()
            .and_then(|c| c.lines.iter().find(|l| l.code == code));
        let problem = match line {
            None => Some(format!(
                "There is no configuration to waive {code} for: publish one first"
            )),
            Some(l) if l.waived() => Some(format!(
                "{code} is already waived until {}: withdraw that waiver first to change it",
                l.waiver.as_ref().map(|w| w.until.to_string()).unwrap_or_default()
            )),
            Some(l) if !waivable(l) => Some(format!(
                "{code} does not fail on the configuration (its result is {}): only a failing rule can be waived",
                l.outcome.label()
            )),
            Some(_) => None,
        };
        Ok(match problem {
            Some(m) => Err(vec![FormError::new("waiver-rule", m)]),
            None => Ok(checked),
        })
    }

    /// Withdraws a waiver of the organisation; returns where to go next.
    pub async fn withdraw(
        db: &Db,
        viewer: &Viewer,
        actor: &crate::db::Actor,
        session: &tower_sessions::Session,
        slug: &str,
        id: i64,
    ) -> AppResult<String> {
        let org = waiving_org(db, viewer, slug).await?;
        let user = viewer.require_user()?;
        // The waiver must be this organisation's: an id from a crafted form is checked here.
        let waiver = match waivers::find(db, id).await? {
            Some((org_id, w)) if org_id == org.id => w,
            _ => return Err(AppError::NotFound),
        };
        let mut rec = db.record(actor).await?;
        let message = match waivers::withdraw(&mut rec, id, org.id, user.id).await? {
            Some(change) => {
                let target = format!("/orgs/{slug}/access#rule-{}", waiver.rule);
                let detail = format!("{} (waived until {})", waiver.rule, waiver.until);
                rec.record(Event {
                    action: Action::WaiverWithdrawn,
                    target: &target,
                    detail: &detail,
                    change: Some(change),
                })
                .await?;
                rec.commit().await?;
                format!("The waiver of {} is withdrawn", waiver.rule)
            }
            None => {
                rec.rollback().await?;
                format!("The waiver of {} was already withdrawn", waiver.rule)
            }
        };
        flash::set_notice(session, true, message).await?;
        Ok(crate::configurations::waivers_href(slug))
    }
}

#[cfg(feature = "ssr")]
pub use ssr::scorecard;

/// The waivers page of an organisation, for its publishers.
#[server(endpoint = "waivers/page")]
pub async fn get_waivers(slug: String, rule: Option<String>) -> Result<WaiversPage, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            let session = crate::auth::session::request_session().await?;
            ssr::page(&state.db, &viewer, &session, state.today(), &slug, rule).await
        }
        .await,
    )
}

/// Waives a failing rule of the organisation's configuration.
#[server(endpoint = "waivers/grant")]
pub async fn grant_waiver(org: String, form: WaiverForm) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next = ssr::grant(
                &state.db,
                &caller.viewer,
                &caller.actor,
                &session,
                state.today(),
                &org,
                form,
            )
            .await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// Withdraws one of the organisation's waivers.
#[server(endpoint = "waivers/withdraw")]
pub async fn withdraw_waiver(org: String, id: i64) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            let next =
                ssr::withdraw(&state.db, &caller.viewer, &caller.actor, &session, &org, id).await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// `/orgs/{slug}/access/waivers`.
#[component]
pub fn WaiversPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let args = move || {
        (
            params.read().get("slug").unwrap_or_default(),
            query.read().get("rule"),
        )
    };
    let page = Resource::new(args, |(slug, rule)| get_waivers(slug, rule));
    view! { {when_loaded(page, |page| view! { <Waivers page/> })} }
}

#[component]
fn Waivers(page: WaiversPage) -> impl IntoView {
    let WaiversPage {
        org,
        today,
        latest,
        has_configuration,
        waivable,
        waivers,
        form,
        errors,
    } = page;
    let access = format!("{}/access", org.href());
    let e = Errors(errors.clone());
    let mut options = vec![(String::new(), "Choose a failing rule".to_owned())];
    options.extend(waivable.iter().map(|w| {
        (
            w.code.clone(),
            format!("{} ({}): {}", w.code, w.severity, w.title),
        )
    }));
    let slug = org.slug.clone();
    view! {
        <Title text=format!("Waivers: {}", org.name)/>
        <Breadcrumbs crumbs=vec![
            Crumb::new("/", "Home"),
            Crumb::new("/orgs", "Organisations"),
            Crumb::new(org.href(), org.name.clone()),
            Crumb::new(access.clone(), "Access-management configuration"),
        ]/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors/>
                <h1>{format!("Waivers of access-management rules: {}", org.name)}</h1>
                <p>"A waiver accepts, for a while, that the configuration fails a rule: the scorecard then shows the rule as waived, with your justification and the last day, instead of failing. "
                   "When the last day has passed the waiver lapses by itself and the rule fails again. Waivers and their withdrawal are recorded in the audit log."</p>
                <h2 id="waive">"Waive a failing rule"</h2>
                {if !has_configuration {
                    view! { <p>"There is no configuration to waive rules of yet. "<a href=access.clone()>"See the configuration page"</a>"."</p> }.into_any()
                } else if waivable.is_empty() {
                    view! { <p>"No rule fails without a waiver: there is nothing to waive."</p> }.into_any()
                } else {
                    view! {
                        <form action="/api/waivers/grant" method="post" novalidate>
                            <input type="hidden" name="org" value=slug.clone()/>
                            <Select id="waiver-rule" name=form_name("rule") label="Rule"
                                options selected=form.rule.clone() error=e.get("waiver-rule")/>
                            <TextArea id="waiver-justification" name=form_name("justification") label="Justification"
                                hint=format!("Why the rule is not met for now, and what makes up for it meanwhile. At most {MAX_JUSTIFICATION_CHARS} characters.")
                                value=form.justification.clone() error=e.get("waiver-justification")/>
                            <Input id="waiver-until" name=form_name("until") label="Last day of the waiver"
                                hint=format!("As YYYY-MM-DD: after today ({today}), and at most {MAX_WAIVER_DAYS} days ahead ({latest} at the latest).")
                                value=form.until.clone() error=e.get("waiver-until") class="nhsuk-input nhsuk-input--width-10"
                                spellcheck_off=true/>
                            <button class="nhsuk-button" type="submit">"Waive the rule"</button>
                        </form>
                    }.into_any()
                }}
                <h2>"Waivers"</h2>
                {if waivers.is_empty() {
                    view! { <p>"No rule has been waived."</p> }.into_any()
                } else {
                    view! {
                        <table class="nhsuk-table">
                            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every waiver, newest first"</caption>
                            <TableHead columns=vec!["Rule", "Justification", "Last day", "Granted", "State"]/>
                            <tbody class="nhsuk-table__body">
                                {waivers.into_iter().map(|(w, state)| {
                                    let slug = slug.clone();
                                    let withdrawn = w.withdrawn.clone().map(|(by, on)| format!(" by {by} on {on}"));
                                    view! {
                                        <tr class="nhsuk-table__row" id=format!("waiver-{}", w.id)>
                                            <td class="nhsuk-table__cell"><a href=format!("/orgs/{slug}/access#rule-{}", w.rule)>{w.rule.clone()}</a></td>
                                            <td class="nhsuk-table__cell">{w.justification.clone()}</td>
                                            <td class="nhsuk-table__cell">{w.until.to_string()}</td>
                                            <td class="nhsuk-table__cell">{format!("By {} on {}", w.by, w.granted_on)}</td>
                                            <td class="nhsuk-table__cell">
                                                {format!("{}{}", state.label(), withdrawn.unwrap_or_default())}
                                                {(state == WaiverState::InForce).then(|| view! {
                                                    <form action="/api/waivers/withdraw" method="post" class="ts-inline-form">
                                                        <input type="hidden" name="org" value=slug.clone()/>
                                                        <input type="hidden" name="id" value=w.id.to_string()/>
                                                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
                                                            "Withdraw"<span class="nhsuk-u-visually-hidden">{format!(" the waiver of {}", w.rule)}</span>
                                                        </button>
                                                    </form>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
                <p><a href=access>"Back to the configuration and its scorecard"</a></p>
            </div>
        </div>
    }
}

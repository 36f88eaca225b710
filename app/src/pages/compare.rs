//! `/access/compare?orgs=a,b,c`: access-management configurations side by side (see
//! [`crate::access::compare`]), for the configurations the viewer may read; and "Adopt this
//! setting", which copies another organisation's value of a setting into a new draft of the
//! viewer's own configuration through the document editing path.
//!
//! An organisation asked for whose configuration the viewer may not read is answered exactly
//! like one that does not exist. The medians are over every configuration shared with the
//! viewer (the revision readers see), so they never reveal one the viewer may not read.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::access::compare::{ComparedOrg, Comparison, Numbers, SettingRow, Standing};
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb};
use crate::error::AppError;
use crate::limits::MAX_COMPARED;

/// Everything the comparison page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparePage {
    /// Every organisation with a configuration shared with the viewer, for the form.
    pub available: Vec<ComparedOrg>,
    /// The organisations asked for, as typed (at most [`MAX_COMPARED`]).
    pub asked: Vec<String>,
    /// How many were asked for, when more than [`MAX_COMPARED`].
    pub too_many: Option<usize>,
    /// Those asked for with no configuration shared with the viewer (or no such organisation).
    pub not_found: Vec<String>,
    pub comparison: Option<Comparison>,
    /// The viewer's own organisation, when they may edit its configuration: the settings of
    /// the others can be adopted into it.
    pub adopt_into: Option<String>,
}

/// The organisations asked for in `orgs` (commas or spaces between them), without repeats.
pub fn asked_for(orgs: &[String]) -> Vec<String> {
    let mut asked: Vec<String> = Vec::new();
    for slug in orgs
        .iter()
        .flat_map(|o| o.split([',', ' ']))
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // Echoed on the page: never more than a slug's length.
        let slug: String = slug.chars().take(crate::limits::MAX_SLUG_CHARS).collect();
        if !asked.contains(&slug) {
            asked.push(slug);
        }
    }
    asked
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::access::compare::{compare, Setting};
    use crate::configurations::{Configurations, FIELD};
    use crate::db::Db;
    use crate::documents::DocKind;
    use crate::error::AppResult;
    use crate::kind::Kind as _;
    use crate::permissions::Viewer;

    pub fn kind() -> AppResult<DocKind> {
        DocKind::from_code(Configurations::NAMES.code).ok_or(AppError::Internal)
    }

    pub async fn page(db: &Db, viewer: &Viewer, orgs: Vec<String>) -> AppResult<ComparePage> {
        let shared = crate::documents::store::lists::recent(db, viewer, kind()?, 10_000).await?;
        let mut available: Vec<ComparedOrg> = shared
            .iter()
            .map(|d| ComparedOrg {
                slug: d.slug.clone(),
                name: d.org.name.clone(),
            })
            .collect();
        available.sort_by(|a, b| a.name.cmp(&b.name));
        let mut pool = Vec::new();
        for d in &shared {
            pool.extend(crate::references::readable_configuration(db, viewer, &d.slug).await?);
        }
        let mut asked = asked_for(&orgs);
        let too_many = (asked.len() > MAX_COMPARED).then_some(asked.len());
        asked.truncate(MAX_COMPARED);
        let mut configs = Vec::new();
        let mut not_found = Vec::new();
        for slug in &asked {
            match crate::references::readable_configuration(db, viewer, slug).await? {
                Some(config) => {
                    let name = match available.iter().find(|o| &o.slug == slug) {
                        Some(o) => o.name.clone(),
                        // The viewer's own draft, never published: they may read it.
                        None => crate::orgs::store::find(db, slug)
                            .await?
                            .map_or_else(|| slug.clone(), |o| o.name),
                    };
                    configs.push((
                        ComparedOrg {
                            slug: slug.clone(),
                            name,
                        },
                        config,
                    ));
                }
                None => not_found.push(slug.clone()),
            }
        }
        let adopt_into = viewer
            .user
            .as_ref()
            .filter(|u| viewer.can_edit_for(u.org_id))
            .map(|u| u.org_slug.clone());
        Ok(ComparePage {
            available,
            asked,
            too_many,
            not_found,
            comparison: (!configs.is_empty()).then(|| compare(&configs, &pool)),
            adopt_into,
        })
    }

    /// Copies `from`'s value of `setting` into a new draft of the viewer's own configuration.
    /// Returns where to go next.
    pub async fn adopt(
        db: &Db,
        caller: &crate::auth::session::Caller,
        session: &tower_sessions::Session,
        from: &str,
        setting: &str,
        back: &str,
    ) -> AppResult<String> {
        let viewer = &caller.viewer;
        let user = viewer.require_user()?;
        if !viewer.can_edit_for(user.org_id) {
            return Err(AppError::Forbidden);
        }
        let setting = Setting::find(setting).ok_or(AppError::NotFound)?;
        let source = crate::references::readable_configuration(db, viewer, from)
            .await?
            .ok_or(AppError::NotFound)?;
        let crate::access::compare::Place::At(section, key) = setting.place else {
            return Err(AppError::Invalid(format!(
                "{} is counted, not set: it cannot be adopted",
                setting.label
            )));
        };
        let refused = |why: String| async move {
            crate::flash::set_notice(session, false, why).await?;
            Ok::<_, AppError>(back.to_owned())
        };
        let Some(value) = setting.yaml_value(&source) else {
            return refused(format!(
                "{from} does not record {}, so there is nothing to adopt",
                setting.label.to_lowercase()
            ))
            .await;
        };
        let own = user.org_slug.clone();
        if !crate::documents::store::exists(db, kind()?, &own).await? {
            return refused(
                "Your organisation has no access-management configuration yet: start one at /access/new, then adopt settings into it".to_owned(),
            )
            .await;
        }
        let comment = format!("Adopted {} from {from}", setting.label.to_lowercase());
        let saved = crate::documents::editing::change_fields(
            db,
            viewer,
            &caller.actor,
            session,
            kind()?,
            &own,
            &comment,
            |fields| {
                let yaml = fields[FIELD].as_str().unwrap_or_default();
                let changed = crate::access::locate::set_scalar(yaml, section, key, &value)?;
                let mut fields = fields.clone();
                fields[FIELD] = changed.into();
                Ok(fields)
            },
        )
        .await?;
        match saved {
            Ok(next) => Ok(next),
            Err(why) => {
                refused(format!(
                    "{} could not be adopted into your configuration: {why}",
                    setting.label
                ))
                .await
            }
        }
    }
}

/// The comparison of the organisations in `orgs`.
#[server(endpoint = "access/compare")]
pub async fn get_comparison(orgs: Vec<String>) -> Result<ComparePage, AppError> {
    crate::error::with_status(
        async {
            let db = crate::state::app_state()?.db;
            let viewer = crate::auth::session::viewer().await?;
            ssr::page(&db, &viewer, orgs).await
        }
        .await,
    )
}

/// Adopts `from`'s value of `setting` into a new draft of the viewer's own configuration;
/// `back` is the comparison to return to when it cannot be done.
#[server(endpoint = "access/adopt")]
pub async fn adopt_setting(from: String, setting: String, back: String) -> Result<(), AppError> {
    crate::error::with_status(
        async {
            let db = crate::state::app_state()?.db;
            let caller = crate::auth::session::caller().await?;
            let session = crate::auth::session::request_session().await?;
            // Only a comparison page to return to, never another site.
            let back = if back.starts_with("/access/compare") {
                back
            } else {
                "/access/compare".to_owned()
            };
            let next = ssr::adopt(&db, &caller, &session, &from, &setting, &back).await?;
            leptos_axum::redirect(&next);
            Ok(())
        }
        .await,
    )
}

/// `/access/compare`.
#[component]
pub fn ComparePageView() -> impl IntoView {
    let query = use_query_map();
    let orgs = move || query.read().get_all("orgs").unwrap_or_default();
    let page = Resource::new(orgs, get_comparison);
    view! {
        <Title text="Compare access-management configurations"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/access", "Configurations")]/>
        <h1>"Compare access-management configurations"</h1>
        {when_loaded(page, |page| view! { <Compared page/> })}
    }
}

#[component]
fn Compared(page: ComparePage) -> impl IntoView {
    let ComparePage {
        available,
        asked,
        too_many,
        not_found,
        comparison,
        adopt_into,
    } = page;
    let back = format!("/access/compare?orgs={}", asked.join(","));
    view! {
        {too_many.map(|n| view! {
            <div class="nhsuk-inset-text" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{format!("You chose {n} organisations. At most {MAX_COMPARED} can be compared at once, so the first {MAX_COMPARED} are shown.")}</p>
            </div>
        })}
        {(!not_found.is_empty()).then(|| view! {
            <div class="nhsuk-inset-text" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>"No access-management configuration is shared with you for:"</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    {not_found.into_iter().map(|s| view! { <li><code>{s}</code></li> }).collect_view()}
                </ul>
            </div>
        })}
        <form class="ts-filter" action="/access/compare" method="get">
            <div class="nhsuk-form-group">
                <fieldset class="nhsuk-fieldset" aria-describedby="orgs-hint">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Organisations to compare"</legend>
                    <div class="nhsuk-hint" id="orgs-hint">{format!("Choose up to {MAX_COMPARED}. Only configurations shared with you are listed.")}</div>
                    <div class="nhsuk-checkboxes nhsuk-checkboxes--small">
                        {available.into_iter().map(|o| {
                            let id = format!("orgs-{}", o.slug);
                            let checked = asked.contains(&o.slug);
                            view! {
                                <div class="nhsuk-checkboxes__item">
                                    <input class="nhsuk-checkboxes__input" id=id.clone() name="orgs" type="checkbox" value=o.slug.clone() checked=checked/>
                                    <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{o.name}</label>
                                </div>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Compare"</button>
        </form>
        {comparison.map(|c| view! { <ComparisonView comparison=c adopt_into back/> })}
    }
}

/// A table row, marked when its organisations differ.
fn row_class(differs: bool) -> &'static str {
    if differs {
        "nhsuk-table__row ts-differs-row"
    } else {
        "nhsuk-table__row"
    }
}

/// "Differs", in words: the row's values are also emphasised, never told by colour alone.
fn differs_tag() -> impl IntoView {
    view! { <strong class="nhsuk-tag nhsuk-tag--orange ts-differs">"Differs"</strong> }
}

#[component]
fn ComparisonView(
    comparison: Comparison,
    adopt_into: Option<String>,
    back: String,
) -> impl IntoView {
    let Comparison {
        orgs,
        sections,
        settings,
        pool,
    } = comparison;
    let headers = move |orgs: &[ComparedOrg]| {
        orgs.iter()
            .map(|o| view! { <th class="nhsuk-table__header" scope="col"><a href=format!("/access/{}", o.slug)>{o.name.clone()}</a></th> })
            .collect_view()
    };
    let key_headers = headers(&orgs);
    view! {
        <h2 id="key-settings">"Key settings"</h2>
        <p>{format!("Numbers are shown against the median of the {pool} configurations shared with you; a setting a configuration does not record is left out of its median.")}</p>
        <div class="ts-table-scroll" tabindex="0" role="region" aria-label="Key settings">
            <table class="nhsuk-table ts-compare">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Key settings of each organisation"</caption>
                <thead class="nhsuk-table__head">
                    <tr class="nhsuk-table__row">
                        <th class="nhsuk-table__header" scope="col">"Setting"</th>
                        {key_headers}
                    </tr>
                </thead>
                <tbody class="nhsuk-table__body">
                    {settings.into_iter().map(|row| view! { <SettingLine row orgs=orgs.clone() adopt_into=adopt_into.clone() back=back.clone()/> }).collect_view()}
                </tbody>
            </table>
        </div>
        {sections.into_iter().map(|section| {
            let section_headers = headers(&orgs);
            view! {
                <h2 id=format!("section-{}", section.id)>{section.heading.clone()}</h2>
                <div class="ts-table-scroll" tabindex="0" role="region" aria-label=section.heading.clone()>
                    <table class="nhsuk-table ts-compare">
                        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("{} of each organisation", section.heading)}</caption>
                        <thead class="nhsuk-table__head">
                            <tr class="nhsuk-table__row">
                                <th class="nhsuk-table__header" scope="col">"Fact"</th>
                                {section_headers}
                            </tr>
                        </thead>
                        <tbody class="nhsuk-table__body">
                            {section.rows.into_iter().map(|row| {
                                let differs = row.differs;
                                view! {
                                    <tr class=row_class(differs)>
                                        <th class="nhsuk-table__header" scope="row">{row.label}{differs.then(|| view! { " " {differs_tag()} })}</th>
                                        {row.values.into_iter().map(|v| {
                                            let text = v.unwrap_or_else(|| "Not in this configuration".to_owned());
                                            let lines: Vec<String> = text.lines().map(str::to_owned).collect();
                                            let cell = lines.into_iter().enumerate().map(|(i, l)| view! { {(i > 0).then(|| view! { <br/> })}{l} }).collect_view();
                                            view! {
                                                <td class="nhsuk-table__cell">
                                                    {if differs { view! { <strong>{cell}</strong> }.into_any() } else { cell.into_any() }}
                                                </td>
                                            }
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        }).collect_view()}
    }
}

/// One key setting: each organisation's value, where a number stands against the median with
/// a small bar chart (its words say the same), and "Adopt this setting" for another
/// organisation's value the viewer's own does not have.
#[component]
fn SettingLine(
    row: SettingRow,
    orgs: Vec<ComparedOrg>,
    adopt_into: Option<String>,
    back: String,
) -> impl IntoView {
    let SettingRow {
        id,
        label,
        values,
        differs,
        numbers,
        ..
    } = row;
    let own_value = adopt_into
        .as_ref()
        .and_then(|own| orgs.iter().position(|o| &o.slug == own))
        .and_then(|i| values[i].clone());
    let median = numbers.as_ref().map(|n| n.median);
    let adoptable = crate::access::compare::Setting::find(&id)
        .is_some_and(|s| matches!(s.place, crate::access::compare::Place::At(..)));
    view! {
        <tr class=row_class(differs) id=format!("setting-{id}")>
            <th class="nhsuk-table__header" scope="row">
                {label.clone()}
                {differs.then(|| view! { " " {differs_tag()} })}
                {median.map(|m| view! {
                    <br/><span class="nhsuk-body-s">{match m {
                        Some(m) => format!("Median {}", format_number(m)),
                        None => "No median: no configuration records it".to_owned(),
                    }}</span>
                })}
            </th>
            {values.into_iter().enumerate().map(|(i, value)| {
                let org = orgs[i].clone();
                let number = numbers.as_ref().map(|n| (n.values[i], n.standings[i], n.clone()));
                let offer = adopt_into.as_ref().filter(|own| **own != org.slug && adoptable && value.is_some() && value != own_value).cloned();
                let shown = value.clone().unwrap_or_else(|| "Not recorded".to_owned());
                view! {
                    <td class="nhsuk-table__cell">
                        {if differs { view! { <strong>{shown}</strong> }.into_any() } else { view! { {shown} }.into_any() }}
                        {number.map(|(v, standing, n)| view! { <Bar value=v standing numbers=n/> })}
                        {offer.map(|_| view! {
                            <form action="/api/access/adopt" method="post" class="ts-inline-form">
                                <input type="hidden" name="from" value=org.slug.clone()/>
                                <input type="hidden" name="setting" value=id.clone()/>
                                <input type="hidden" name="back" value=back.clone()/>
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0 ts-small-button" type="submit">
                                    "Adopt this setting"<span class="nhsuk-u-visually-hidden">{format!(": {} from {}", label, org.name)}</span>
                                </button>
                            </form>
                        })}
                    </td>
                }
            }).collect_view()}
        </tr>
    }
}

/// A number as people read it: whole, or with one decimal for a median between two.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

/// A value and the median as two bars, drawn in SVG attributes (no inline style, which the
/// page's security policy forbids), with the same in words beside it.
#[component]
fn Bar(value: Option<i64>, standing: Standing, numbers: Numbers) -> impl IntoView {
    let words = match (value, numbers.median) {
        (Some(_), Some(m)) => format!("{}, median {}", standing.label(), format_number(m)),
        _ => standing.label().to_owned(),
    };
    let width = |v: f64| {
        if numbers.scale > 0.0 {
            format!("{:.1}", (v / numbers.scale * 100.0).max(1.0))
        } else {
            "1".to_owned()
        }
    };
    let bars = value.map(|v| {
        let mine = width(v as f64);
        let median = numbers.median.map(width);
        view! {
            <svg class="ts-bar" viewBox="0 0 100 14" width="120" height="18" aria-hidden="true" focusable="false">
                <rect class="ts-bar__value" x="0" y="1" height="6" width=mine/>
                {median.map(|m| view! { <rect class="ts-bar__median" x="0" y="8" height="5" width=m/> })}
            </svg>
        }
    });
    view! {
        <br/>{bars}
        <span class="nhsuk-body-s ts-standing">{words}</span>
    }
}

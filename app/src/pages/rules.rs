//! `/access/rules`: the rule catalogue that access-management configurations are checked
//! against, and `/access/rules/{code}`: one rule, why it matters, what it rests on, the guide
//! that explains it, the reader's own organisation's result and the lessons learned naming it.
//!
//! The catalogue is public. An organisation's result is shown only to its own members who may
//! read its configuration; the lessons listed are those the viewer may read.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::access::Severity;
use crate::components::loading::when_loaded;
use crate::components::ui::{Breadcrumbs, Crumb, SummaryRow, TableHead};
use crate::documents::model::DocSummary;
use crate::documents::pages::DocCard;
use crate::error::AppError;
use crate::kind::LinkedDoc;

/// The reader's own organisation's result for a rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OwnStatus {
    /// Not signed in.
    SignedOut,
    /// Their organisation has no configuration they may read.
    NoConfiguration { org_name: String },
    /// The result on their organisation's scorecard.
    Result {
        org_name: String,
        /// `/orgs/{slug}/access#rule-{code}`.
        href: String,
        /// The NHS.UK tag's classes and its words.
        tag_class: String,
        tag_words: String,
        observed: String,
        expected: String,
    },
}

/// A rule as the catalogue lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRow {
    pub code: String,
    pub title: String,
    pub severity: Severity,
    pub own: OwnStatus,
}

/// Everything `/access/rules` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub rules: Vec<RuleRow>,
    /// The reader's organisation, when they are signed in.
    pub own_org: Option<String>,
}

/// A threshold of a rule, as people read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamRow {
    pub name: String,
    pub value: String,
    pub meaning: String,
}

/// A source a rule rests on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceRow {
    pub title: String,
    pub url: Option<String>,
}

/// Everything `/access/rules/{code}` shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RulePage {
    pub code: String,
    pub title: String,
    pub severity: Severity,
    pub rationale: String,
    pub params: Vec<ParamRow>,
    pub sources: Vec<SourceRow>,
    /// The guide that explains it, when the viewer may read it.
    pub guide: Option<LinkedDoc>,
    pub own: OwnStatus,
    /// Published lessons naming the rule that the viewer may read, newest first.
    pub lessons: Vec<DocSummary>,
    /// The shortcode that shows this rule in a guide's text.
    pub shortcode: String,
}

#[cfg(feature = "ssr")]
mod ssr {
    use super::*;
    use crate::access::present::Scorecard;
    use crate::access::{Rule, CATALOGUE};
    use crate::configurations::sections::result_tag;
    use crate::db::Db;
    use crate::error::AppResult;
    use crate::kind::DocLink;
    use crate::permissions::Viewer;
    use crate::references::{own_result, OwnResult};

    fn status(own: &OwnResult, code: &str) -> OwnStatus {
        match own {
            OwnResult::SignedOut => OwnStatus::SignedOut,
            OwnResult::NoConfiguration { org_name, .. } => OwnStatus::NoConfiguration {
                org_name: org_name.clone(),
            },
            OwnResult::Configuration {
                org_slug,
                org_name,
                scorecard,
                ..
            } => line_status(scorecard, org_slug, org_name, code),
        }
    }

    fn line_status(scorecard: &Scorecard, org_slug: &str, org_name: &str, code: &str) -> OwnStatus {
        match scorecard.lines.iter().find(|l| l.code == code) {
            Some(line) => {
                let (class, words) = result_tag(line);
                OwnStatus::Result {
                    org_name: org_name.to_owned(),
                    href: format!("/orgs/{org_slug}/access#rule-{code}"),
                    tag_class: class.to_owned(),
                    tag_words: words.to_owned(),
                    observed: line.observed.clone(),
                    expected: line.expected.clone(),
                }
            }
            None => OwnStatus::NoConfiguration {
                org_name: org_name.to_owned(),
            },
        }
    }

    fn own_org(own: &OwnResult) -> Option<String> {
        match own {
            OwnResult::SignedOut => None,
            OwnResult::NoConfiguration { org_name, .. }
            | OwnResult::Configuration { org_name, .. } => Some(org_name.clone()),
        }
    }

    pub async fn catalogue(
        db: &Db,
        viewer: &Viewer,
        today: crate::dates::Date,
    ) -> AppResult<CataloguePage> {
        let own = own_result(db, viewer, today).await?;
        Ok(CataloguePage {
            rules: CATALOGUE
                .iter()
                .map(|r| RuleRow {
                    code: r.code.to_owned(),
                    title: r.title.to_owned(),
                    severity: r.severity,
                    own: status(&own, r.code),
                })
                .collect(),
            own_org: own_org(&own),
        })
    }

    pub async fn rule(
        db: &Db,
        viewer: &Viewer,
        today: crate::dates::Date,
        code: &str,
    ) -> AppResult<RulePage> {
        let rule = Rule::find(code).ok_or(AppError::NotFound)?;
        let own = own_result(db, viewer, today).await?;
        let guide = crate::documents::store::lists::readable_links(
            db,
            viewer,
            &[DocLink {
                kind_path: "guides".into(),
                slug: rule.guide.into(),
                field: "guide",
            }],
        )
        .await?
        .into_iter()
        .next();
        Ok(RulePage {
            code: rule.code.to_owned(),
            title: rule.title.to_owned(),
            severity: rule.severity,
            rationale: rule.rationale.to_owned(),
            params: rule
                .params
                .iter()
                .map(|p| ParamRow {
                    name: p.name.to_owned(),
                    value: p.value.to_string(),
                    meaning: p.meaning.to_owned(),
                })
                .collect(),
            sources: rule
                .sources
                .iter()
                .map(|s| SourceRow {
                    title: s.title.to_owned(),
                    url: s.url.map(str::to_owned),
                })
                .collect(),
            guide,
            own: status(&own, rule.code),
            lessons: crate::references::mentions::lessons_naming(db, viewer, rule.code).await?,
            shortcode: format!("{{{{rule {}}}}}", rule.code),
        })
    }
}

/// The rule catalogue, with the viewer's organisation's result for each rule.
#[server(endpoint = "access/rules")]
pub async fn get_rule_catalogue() -> Result<CataloguePage, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            ssr::catalogue(&state.db, &viewer, state.today()).await
        }
        .await,
    )
}

/// One rule of the catalogue.
#[server(endpoint = "access/rule")]
pub async fn get_rule(code: String) -> Result<RulePage, AppError> {
    crate::error::with_status(
        async {
            let state = crate::state::app_state()?;
            let viewer = crate::auth::session::viewer().await?;
            ssr::rule(&state.db, &viewer, state.today(), &code).await
        }
        .await,
    )
}

fn severity_tag(severity: Severity) -> impl IntoView {
    let (class, words) = match severity {
        Severity::Must => ("nhsuk-tag nhsuk-tag--red", "Must"),
        Severity::Should => ("nhsuk-tag nhsuk-tag--orange", "Should"),
        Severity::Advisory => ("nhsuk-tag nhsuk-tag--grey", "Advisory"),
    };
    view! { <strong class=class>{words}</strong> }
}

fn own_status_view(own: OwnStatus) -> impl IntoView {
    match own {
        OwnStatus::SignedOut => {
            view! { <span>"Sign in to see your organisation's result"</span> }.into_any()
        }
        OwnStatus::NoConfiguration { org_name } => {
            view! { <span>{format!("{org_name} has no configuration on Trustshare yet")}</span> }
                .into_any()
        }
        OwnStatus::Result {
            org_name,
            href,
            tag_class,
            tag_words,
            ..
        } => view! {
            <span><a href=href>{org_name}</a>": "<strong class=tag_class>{tag_words}</strong></span>
        }
        .into_any(),
    }
}

/// `/access/rules`.
#[component]
pub fn RuleCataloguePage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_rule_catalogue());
    view! {
        <Title text="Access-management rules"/>
        <Breadcrumbs crumbs=vec![Crumb::new("/", "Home"), Crumb::new("/access", "Configurations")]/>
        <h1>"Access-management rules"</h1>
        <p class="nhsuk-lede-text">"The best practice every access-management configuration on Trustshare is checked against: NHS England's MFA policy, NCSC guidance and the supplier's own advice."</p>
        <p>"A guide can show a rule with each reader's own organisation's result by writing its shortcode in the text, like "<code>"{{rule MFA-01}}"</code>", or a setting's value, like "<code>"{{setting training-coverage}}"</code>"."</p>
        {when_loaded(page, |page| view! { <Catalogue page/> })}
    }
}

#[component]
fn Catalogue(page: CataloguePage) -> impl IntoView {
    let caption = match &page.own_org {
        Some(org) => format!("Rules of the catalogue, with {org}'s results"),
        None => "Rules of the catalogue".to_owned(),
    };
    view! {
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption">{caption}</caption>
            <TableHead columns=vec!["Rule", "Severity", "Your organisation"]/>
            <tbody class="nhsuk-table__body">
                {page.rules.into_iter().map(|r| view! {
                    <tr class="nhsuk-table__row" id=format!("rule-{}", r.code)>
                        <td class="nhsuk-table__cell">
                            <a href=format!("/access/rules/{}", r.code)>{format!("{} {}", r.code, r.title)}</a>
                        </td>
                        <td class="nhsuk-table__cell">{severity_tag(r.severity)}</td>
                        <td class="nhsuk-table__cell">{own_status_view(r.own)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/access/rules/{code}`.
#[component]
pub fn RulePageView() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let page = Resource::new(code, get_rule);
    view! {
        {when_loaded(page, |page| view! { <RuleDetails page/> })}
    }
}

#[component]
fn RuleDetails(page: RulePage) -> impl IntoView {
    let RulePage {
        code,
        title,
        severity,
        rationale,
        params,
        sources,
        guide,
        own,
        lessons,
        shortcode,
    } = page;
    let heading = format!("{code} {title}");
    let own_details = match &own {
        OwnStatus::Result {
            observed, expected, ..
        } => Some((observed.clone(), expected.clone())),
        _ => None,
    };
    view! {
        <Title text=heading.clone()/>
        <Breadcrumbs crumbs=vec![
            Crumb::new("/", "Home"),
            Crumb::new("/access", "Configurations"),
            Crumb::new("/access/rules", "Rules"),
        ]/>
        <h1>{heading}</h1>
        <p>{severity_tag(severity)}</p>
        <p class="nhsuk-lede-text">{rationale}</p>
        <dl class="nhsuk-summary-list">
            <SummaryRow key="Your organisation">{own_status_view(own)}</SummaryRow>
            {own_details.map(|(observed, expected)| view! {
                <SummaryRow key="Recorded">{observed}</SummaryRow>
                <SummaryRow key="Expected">{expected}</SummaryRow>
            })}
            <SummaryRow key="Explained in">
                {match guide {
                    Some(g) => view! { <a href=g.href>{g.title}</a> }.into_any(),
                    None => view! { <span>"No guide shared with you explains it yet"</span> }.into_any(),
                }}
            </SummaryRow>
            <SummaryRow key="Shortcode"><code>{shortcode}</code></SummaryRow>
        </dl>
        {(!params.is_empty()).then(|| view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption">"Thresholds"</caption>
                <TableHead columns=vec!["Threshold", "Value", "What it limits"]/>
                <tbody class="nhsuk-table__body">
                    {params.into_iter().map(|p| view! {
                        <tr class="nhsuk-table__row">
                            <td class="nhsuk-table__cell"><code>{p.name}</code></td>
                            <td class="nhsuk-table__cell">{p.value}</td>
                            <td class="nhsuk-table__cell">{p.meaning}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
        {(!sources.is_empty()).then(|| view! {
            <h2>"What it rests on"</h2>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {sources.into_iter().map(|s| match s.url {
                    Some(url) => view! { <li><a href=url>{s.title}</a></li> }.into_any(),
                    None => view! { <li>{s.title}</li> }.into_any(),
                }).collect_view()}
            </ul>
        })}
        <h2>"Lessons learned about this rule"</h2>
        {if lessons.is_empty() {
            view! { <p>"No lesson learned shared with you names this rule yet."</p> }.into_any()
        } else {
            view! {
                <ul class="nhsuk-grid-row nhsuk-card-group">
                    {lessons.into_iter().map(|d| view! {
                        <li class="nhsuk-grid-column-one-half nhsuk-card-group__item"><DocCard doc=d/></li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

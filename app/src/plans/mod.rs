//! Deployment plans: a document with an initiative, product, scope, phases with dated
//! milestones, risks and stakeholder contacts.

use leptos::prelude::*;

use crate::components::form::{Errors, FormError};
use crate::kind::{BodyUse, DocLink, Kind, KindNames};
// The checks run on the server only.
#[cfg(feature = "ssr")]
use crate::kind::Problem;
#[cfg(feature = "ssr")]
use crate::limits::{
    self, MAX_LINE_CHARS, MAX_LIST_LINES, MAX_MILESTONES, MAX_NOTE_CHARS, MAX_RISKS, MAX_SLUG_CHARS,
};

pub mod fields;
pub mod form;
pub mod sections;

pub use fields::PlanFields;
use form::PlanForm;

/// Blank rows offered after the filled ones, so more can be added without JavaScript.
pub const SPARE_ROWS: usize = 3;

/// The deployment plan kind.
pub struct Plans;

#[cfg(feature = "ssr")]
/// The size limits of a plan's fields, whether typed or imported. Names are the front-matter
/// names, which are also the editor's field ids (rows are checked cell by cell as they are read
/// from the form, so only imported rows reach the row checks here).
fn check_sizes(p: &PlanFields, problems: &mut Vec<Problem>) {
    let mut line = |field: &str, label: &str, text: &str| {
        if let Some(m) = limits::too_long(label, text, MAX_LINE_CHARS) {
            problems.push(Problem::new(field, m));
        }
    };
    line("initiative", "The initiative", &p.initiative);
    line("product", "The product", &p.product);
    line("product_version", "The version", &p.product_version);
    for (field, label, list) in [
        ("sites", "Sites", &p.scope.sites),
        ("departments", "Departments", &p.scope.departments),
    ] {
        if list.len() > MAX_LIST_LINES {
            problems.push(Problem::new(
                field,
                format!(
                    "{label}: give at most {MAX_LIST_LINES} (you gave {})",
                    list.len()
                ),
            ));
        } else if let Some(i) = list.iter().position(|s| limits::over(s, MAX_LINE_CHARS)) {
            problems.push(Problem::new(
                field,
                format!(
                    "{label}: line {} must be {MAX_LINE_CHARS} characters or fewer",
                    i + 1
                ),
            ));
        }
    }
    let milestones: usize = p.phases.iter().map(|ph| ph.milestones.len()).sum();
    if milestones > MAX_MILESTONES {
        problems.push(Problem::new(
            "phases",
            format!(
                "A plan can have at most {MAX_MILESTONES} milestones (this one has {milestones})"
            ),
        ));
    } else {
        let long = p.phases.iter().any(|ph| {
            limits::over(&ph.name, MAX_LINE_CHARS)
                || ph
                    .milestones
                    .iter()
                    .any(|m| limits::over(&m.name, MAX_LINE_CHARS))
        });
        if long {
            problems.push(Problem::new(
                "phases",
                format!(
                    "Names of phases and milestones must be {MAX_LINE_CHARS} characters or fewer"
                ),
            ));
        }
    }
    if p.risks.len() > MAX_RISKS {
        problems.push(Problem::new(
            "risks",
            format!(
                "A plan can have at most {MAX_RISKS} risks (this one has {})",
                p.risks.len()
            ),
        ));
    } else if let Some(i) = p.risks.iter().position(|r| {
        limits::over(&r.description, MAX_NOTE_CHARS)
            || limits::over(&r.mitigation, MAX_NOTE_CHARS)
            || limits::over(&r.owner, MAX_LINE_CHARS)
    }) {
        problems.push(Problem::new(
            "risks",
            format!(
                "Risk {}: the description and mitigation must be {MAX_NOTE_CHARS} characters or fewer, the owner {MAX_LINE_CHARS}",
                i + 1
            ),
        ));
    }
    if p.contacts.len() > MAX_LIST_LINES {
        problems.push(Problem::new(
            "contacts",
            format!(
                "Stakeholder contacts: give at most {MAX_LIST_LINES} (you gave {})",
                p.contacts.len()
            ),
        ));
    } else if let Some(i) = p.contacts.iter().position(|c| {
        limits::over(&c.contact, MAX_SLUG_CHARS) || limits::over(&c.role, MAX_LINE_CHARS)
    }) {
        problems.push(Problem::new(
            "contacts",
            format!(
                "Stakeholder contact {}: the name must be {MAX_SLUG_CHARS} characters or fewer, the role {MAX_LINE_CHARS}",
                i + 1
            ),
        ));
    }
}

impl Kind for Plans {
    type Fields = PlanFields;
    type Form = PlanForm;
    type Page = PlanFields;

    const NAMES: KindNames = KindNames {
        code: "plan",
        path: "plans",
        label: "deployment plan",
        plural_title: "Deployment plans",
        short_plural: "Plans",
        home_heading: "Deployment plans",
    };
    const BODY: BodyUse = BodyUse {
        required: true,
        label: "Text",
        heading: None,
        contents_list: true,
    };

    fn to_form(fields: &PlanFields) -> PlanForm {
        form::to_form(fields)
    }

    fn read_form(form: &PlanForm, errors: &mut Vec<FormError>) -> PlanFields {
        form::read_form(form, errors)
    }

    #[cfg(feature = "ssr")]
    fn check(fields: &PlanFields, _: crate::kind::CheckContext<'_>) -> Vec<Problem> {
        let mut problems = Vec::new();
        if fields.initiative.trim().is_empty() {
            problems.push(Problem::new(
                "initiative",
                "Enter the initiative, for example \"Single sign-on rollout\"",
            ));
        }
        if fields.product.trim().is_empty() {
            problems.push(Problem::new("product", "Enter the product being deployed"));
        }
        check_sizes(fields, &mut problems);
        for contact in &fields.contacts {
            if limits::over(&contact.contact, MAX_SLUG_CHARS) {
                continue; // Reported by `check_sizes`, not echoed.
            }
            if let Err(m) = form::parse_contact(&contact.contact) {
                problems.push(Problem::new("contacts", m));
            }
        }
        problems
    }

    fn links(_: &PlanFields) -> Vec<DocLink> {
        Vec::new()
    }

    fn diff_text(p: &PlanFields) -> Vec<(&'static str, String)> {
        let milestones: Vec<String> = p
            .phases
            .iter()
            .flat_map(|ph| {
                ph.milestones.iter().map(move |m| {
                    format!(
                        "{} – {}: baseline {}, forecast {} ({})",
                        ph.name,
                        m.name,
                        m.baseline,
                        m.forecast,
                        m.status.label()
                    )
                })
            })
            .collect();
        let risks: Vec<String> = p
            .risks
            .iter()
            .map(|r| {
                format!(
                    "{} (likelihood {}, impact {}; owner {}; mitigation: {})",
                    r.description,
                    r.likelihood.label(),
                    r.impact.label(),
                    r.owner,
                    r.mitigation
                )
            })
            .collect();
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        vec![
            ("Initiative", p.initiative.clone()),
            (
                "Product",
                format!("{} {}", p.product, p.product_version)
                    .trim()
                    .to_owned(),
            ),
            ("Sites", p.scope.sites.join("\n")),
            ("Departments", p.scope.departments.join("\n")),
            ("Users", number(p.scope.users)),
            ("Workstations", number(p.scope.workstations)),
            ("Milestones", milestones.join("\n")),
            ("Risks", risks.join("\n")),
            ("Contacts", form::to_form(p).contacts),
        ]
    }

    #[cfg(feature = "ssr")]
    fn page(
        fields: PlanFields,
        _: Vec<crate::kind::LinkedDoc>,
        _: crate::dates::Date,
    ) -> PlanFields {
        fields
    }

    /// A plan's contacts name people, which is personal data: a visitor who is not signed in
    /// gets the plan without them, not even their directory names in the page's data.
    #[cfg(feature = "ssr")]
    fn complete_page(
        mut page: PlanFields,
        cx: crate::kind::PageContext<'_>,
    ) -> crate::kind::PageFuture<'_, PlanFields> {
        if cx.viewer.user.is_none() {
            page.contacts.clear();
        }
        Box::pin(std::future::ready(Ok(page)))
    }

    #[cfg(feature = "ssr")]
    fn search(p: &PlanFields) -> crate::kind::SearchFields {
        let mut text = vec![
            p.initiative.clone(),
            format!("{} {}", p.product, p.product_version),
        ];
        text.extend(p.scope.sites.iter().cloned());
        text.extend(p.scope.departments.iter().cloned());
        for phase in &p.phases {
            text.push(phase.name.clone());
            text.extend(phase.milestones.iter().map(|m| m.name.clone()));
        }
        for risk in &p.risks {
            text.extend([
                risk.description.clone(),
                risk.owner.clone(),
                risk.mitigation.clone(),
            ]);
        }
        text.extend(p.contacts.iter().map(|c| c.role.clone()));
        text.retain(|t| !t.trim().is_empty());
        crate::kind::SearchFields {
            text,
            facets: Vec::new(),
        }
    }

    fn page_view(plan: PlanFields) -> AnyView {
        view! { <sections::PlanDetails plan/> }.into_any()
    }

    fn form_view(form: PlanForm, errors: Errors) -> AnyView {
        view! { <sections::PlanFormSection form errors/> }.into_any()
    }
}

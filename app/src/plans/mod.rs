//! Deployment plans: a document with an initiative, product, scope, phases with dated
//! milestones, risks and stakeholder contacts.

use leptos::prelude::*;

use crate::components::form::{Errors, FormError};
use crate::kind::{BodyUse, DocLink, Kind, KindNames, Problem};

pub mod fields;
pub mod form;
pub mod sections;

pub use fields::PlanFields;
use form::PlanForm;

/// Blank rows offered after the filled ones, so more can be added without JavaScript.
pub const SPARE_ROWS: usize = 3;

/// The deployment plan kind.
pub struct Plans;

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

    fn check(fields: &PlanFields) -> Vec<Problem> {
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
        for contact in &fields.contacts {
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
    fn page(fields: PlanFields, _: Vec<crate::kind::LinkedDoc>) -> PlanFields {
        fields
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

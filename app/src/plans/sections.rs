//! How a deployment plan looks: scope, a timeline that flags slipped milestones, risks; and the
//! plan part of the editor.

use leptos::prelude::*;

use super::fields::{Level, MilestoneStatus, PlanFields};
use super::form::{MilestoneRow, PlanForm, RiskRow};
use super::SPARE_ROWS;
use crate::coded::Coded;
use crate::components::form::{form_name, Errors, Input, Select, TextArea};
use crate::components::ui::{SummaryRow, TableHead};

/// Scope, timeline and risks of a plan.
#[component]
pub fn PlanDetails(plan: PlanFields) -> impl IntoView {
    let timeline = plan.timeline();
    let slipped = timeline.iter().filter(|(_, m)| m.slipped()).count();
    let scope = plan.scope.clone();
    let number = |n: Option<u32>| {
        n.map(|n| n.to_string())
            .unwrap_or_else(|| "Not stated".into())
    };
    view! {
        <h2 id="scope">"Scope"</h2>
        <dl class="nhsuk-summary-list">
            <SummaryRow key="Initiative">{plan.initiative.clone()}</SummaryRow>
            <SummaryRow key="Product">{format!("{} {}", plan.product, plan.product_version).trim().to_owned()}</SummaryRow>
            <SummaryRow key="Sites">{list_or_none(&scope.sites)}</SummaryRow>
            <SummaryRow key="Departments">{list_or_none(&scope.departments)}</SummaryRow>
            <SummaryRow key="Users">{number(scope.users)}</SummaryRow>
            <SummaryRow key="Workstations">{number(scope.workstations)}</SummaryRow>
        </dl>
        <h2 id="timeline">"Timeline"</h2>
        {(slipped > 0).then(|| view! {
            <div class="nhsuk-card nhsuk-card--warning">
                <div class="nhsuk-card__content">
                    <h3 class="nhsuk-card__heading nhsuk-heading-s"><span class="nhsuk-u-visually-hidden">"Important: "</span>
                        {if slipped == 1 { "1 milestone has slipped".to_owned() } else { format!("{slipped} milestones have slipped") }}
                    </h3>
                    <p class="nhsuk-card__description">"A milestone has slipped when its forecast date is later than the date first agreed (its baseline)."</p>
                </div>
            </div>
        })}
        {if timeline.is_empty() {
            view! { <p>"No milestones yet."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table ts-timeline">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Milestones in forecast order"</caption>
                    <TableHead columns=vec!["Milestone", "Phase", "Baseline", "Forecast", "Status"]/>
                    <tbody class="nhsuk-table__body">
                        {timeline.into_iter().map(|(phase, m)| {
                            let slipped = m.slipped();
                            let row_class = if slipped { "nhsuk-table__row ts-slipped" } else { "nhsuk-table__row" };
                            let status = if slipped && m.status != MilestoneStatus::Slipped { MilestoneStatus::Slipped } else { m.status };
                            view! {
                                <tr class=row_class>
                                    <td class="nhsuk-table__cell">{m.name.clone()}</td>
                                    <td class="nhsuk-table__cell">{phase}</td>
                                    <td class="nhsuk-table__cell"><time datetime=m.baseline.to_string()>{m.baseline.to_string()}</time></td>
                                    <td class="nhsuk-table__cell"><time datetime=m.forecast.to_string()>{m.forecast.to_string()}</time></td>
                                    <td class="nhsuk-table__cell"><strong class=status.tag_class()>{status.label()}</strong></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2 id="risks">"Risks"</h2>
        {if plan.risks.is_empty() {
            view! { <p>"No risks recorded."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Risks"</caption>
                    <TableHead columns=vec!["Risk", "Likelihood", "Impact", "Owner", "Mitigation"]/>
                    <tbody class="nhsuk-table__body">
                        {plan.risks.into_iter().map(|r| view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{r.description}</td>
                                <td class="nhsuk-table__cell">{r.likelihood.label()}</td>
                                <td class="nhsuk-table__cell">{r.impact.label()}</td>
                                <td class="nhsuk-table__cell">{r.owner}</td>
                                <td class="nhsuk-table__cell">{r.mitigation}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "Not stated".into()
    } else {
        items.join(", ")
    }
}

fn options<T: Coded>(label: fn(T) -> &'static str) -> Vec<(String, String)> {
    T::all()
        .iter()
        .map(|v| (v.code().to_owned(), label(*v).to_owned()))
        .collect()
}

/// The plan part of the editor: scope, milestone rows and risk rows, with spare blank rows.
#[component]
pub fn PlanFormSection(form: PlanForm, errors: Errors) -> impl IntoView {
    let e = errors;
    let mut milestones = form.milestones.clone();
    milestones.extend(std::iter::repeat_n(MilestoneRow::default(), SPARE_ROWS));
    let mut risks = form.risks.clone();
    risks.extend(std::iter::repeat_n(RiskRow::default(), SPARE_ROWS));
    let statuses = options(MilestoneStatus::label);
    let levels = options(Level::label);
    view! {
        <h2 class="nhsuk-heading-m">"The plan"</h2>
        <Input id="initiative" name=form_name("initiative") label="Initiative" hint="For example: Single sign-on rollout" value=form.initiative.clone() error=e.get("initiative")/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <Input id="product" name=form_name("product") label="Product" value=form.product.clone() error=e.get("product")/>
            </div>
            <div class="nhsuk-grid-column-one-third">
                <Input id="product_version" name=form_name("product_version") label="Version" value=form.product_version.clone() error=e.get("product_version")/>
            </div>
        </div>
        <TextArea id="sites" name=form_name("sites") label="Sites" hint="One per line" value=form.sites.clone() error=e.get("sites") rows=3/>
        <TextArea id="departments" name=form_name("departments") label="Departments" hint="One per line" value=form.departments.clone() error=e.get("departments") rows=3/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-one-half">
                <Input id="users" name=form_name("users") label="Number of users" value=form.users.clone() error=e.get("users") class="nhsuk-input nhsuk-input--width-10"/>
            </div>
            <div class="nhsuk-grid-column-one-half">
                <Input id="workstations" name=form_name("workstations") label="Number of workstations" value=form.workstations.clone() error=e.get("workstations") class="nhsuk-input nhsuk-input--width-10"/>
            </div>
        </div>
        <fieldset class="nhsuk-fieldset ts-rows">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Milestones"</legend>
            <div class="nhsuk-hint">{format!("Dates as YYYY-MM-DD. Rows left empty are ignored; save to get {SPARE_ROWS} more empty rows.")}</div>
            {milestones.into_iter().enumerate().map(|(i, m)| {
                let n = i + 1;
                let field = move |col: &str| format!("milestones-{i}-{col}");
                let name = move |col: &str| format!("form[milestones][{i}][{col}]");
                view! {
                    <div class="ts-row" role="group" aria-label=format!("Milestone {n}")>
                        <Input id=field("phase") name=name("phase") label=format!("Milestone {n}: phase") value=m.phase error=e.get(&field("phase"))/>
                        <Input id=field("name") name=name("name") label=format!("Milestone {n}: name") value=m.name error=e.get(&field("name"))/>
                        <Input id=field("baseline") name=name("baseline") label=format!("Milestone {n}: baseline date") value=m.baseline error=e.get(&field("baseline")) class="nhsuk-input nhsuk-input--width-10"/>
                        <Input id=field("forecast") name=name("forecast") label=format!("Milestone {n}: forecast date") value=m.forecast error=e.get(&field("forecast")) class="nhsuk-input nhsuk-input--width-10"/>
                        <Select id=field("status") name=name("status") label=format!("Milestone {n}: status") options=statuses.clone() selected=m.status error=e.get(&field("status"))/>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <fieldset class="nhsuk-fieldset ts-rows">
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Risks"</legend>
            <div class="nhsuk-hint">"Rows left empty are ignored."</div>
            {risks.into_iter().enumerate().map(|(i, r)| {
                let n = i + 1;
                let field = move |col: &str| format!("risks-{i}-{col}");
                let name = move |col: &str| format!("form[risks][{i}][{col}]");
                view! {
                    <div class="ts-row" role="group" aria-label=format!("Risk {n}")>
                        <Input id=field("description") name=name("description") label=format!("Risk {n}: description") value=r.description error=e.get(&field("description"))/>
                        <Select id=field("likelihood") name=name("likelihood") label=format!("Risk {n}: likelihood") options=levels.clone() selected=r.likelihood error=e.get(&field("likelihood"))/>
                        <Select id=field("impact") name=name("impact") label=format!("Risk {n}: impact") options=levels.clone() selected=r.impact error=e.get(&field("impact"))/>
                        <Input id=field("owner") name=name("owner") label=format!("Risk {n}: owner") value=r.owner error=e.get(&field("owner"))/>
                        <Input id=field("mitigation") name=name("mitigation") label=format!("Risk {n}: mitigation") value=r.mitigation error=e.get(&field("mitigation"))/>
                    </div>
                }
            }).collect_view()}
        </fieldset>
        <TextArea id="contacts" name=form_name("contacts") label="Stakeholder contacts (optional)" hint="One per line: the contact's name in the directory, a colon and their part in the plan, like morag-testwell: Project lead" value=form.contacts.clone() error=e.get("contacts") rows=3/>
    }
}

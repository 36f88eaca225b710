//! Deployment plans: a document with an initiative, product, scope, phases with dated
//! milestones, and risks. This module turns the plan form into fields and shows them.

use crate::documents::fields::{Level, Milestone, MilestoneStatus, Phase, PlanFields, Risk, Scope};
use crate::documents::model::{DocumentForm, FormError, MilestoneRow, RiskRow};
use crate::documents::validate_date;

pub mod view;

/// Blank rows offered after the filled ones, so more can be added without JavaScript.
pub const SPARE_ROWS: usize = 3;

/// Fills the plan part of the form from stored fields.
pub fn fields_to_form(f: &PlanFields, form: &mut DocumentForm) {
    form.initiative = f.initiative.clone();
    form.product = f.product.clone();
    form.product_version = f.product_version.clone();
    form.sites = f.scope.sites.join("\n");
    form.departments = f.scope.departments.join("\n");
    form.users = f.scope.users.map(|n| n.to_string()).unwrap_or_default();
    form.workstations = f
        .scope
        .workstations
        .map(|n| n.to_string())
        .unwrap_or_default();
    form.milestones = f
        .phases
        .iter()
        .flat_map(|p| {
            p.milestones.iter().map(|m| MilestoneRow {
                phase: p.name.clone(),
                name: m.name.clone(),
                baseline: m.baseline.clone(),
                forecast: m.forecast.clone(),
                status: m.status.as_str().to_owned(),
            })
        })
        .collect();
    form.risks = f
        .risks
        .iter()
        .map(|r| RiskRow {
            description: r.description.clone(),
            likelihood: r.likelihood.as_str().to_owned(),
            impact: r.impact.as_str().to_owned(),
            owner: r.owner.clone(),
            mitigation: r.mitigation.clone(),
        })
        .collect();
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn count(value: &str, field: &str, label: &str, errors: &mut Vec<FormError>) -> Option<i64> {
    let v = value.trim().replace(',', "");
    if v.is_empty() {
        return None;
    }
    match v.parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            errors.push(FormError {
                field: field.into(),
                message: format!("{label} must be a whole number, like 1200"),
            });
            None
        }
    }
}

/// Reads the plan part of the form, adding a message per field that is wrong.
pub fn form_to_fields(form: &DocumentForm, errors: &mut Vec<FormError>) -> PlanFields {
    let mut err = |field: String, message: String| errors.push(FormError { field, message });
    if form.initiative.trim().is_empty() {
        err(
            "initiative".into(),
            "Enter the initiative, for example \"Single sign-on rollout\"".into(),
        );
    }
    if form.product.trim().is_empty() {
        err("product".into(), "Enter the product being deployed".into());
    }
    let mut phases: Vec<Phase> = Vec::new();
    for (i, row) in form.milestones.iter().enumerate() {
        let blank = [&row.phase, &row.name, &row.baseline, &row.forecast]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank {
            continue;
        }
        let n = i + 1;
        if row.phase.trim().is_empty() {
            err(
                format!("milestones-{i}-phase"),
                format!("Enter the phase of milestone {n}"),
            );
        }
        if row.name.trim().is_empty() {
            err(
                format!("milestones-{i}-name"),
                format!("Enter the name of milestone {n}"),
            );
        }
        let mut date = |value: &str, what: &str, field: &str| match validate_date(value) {
            Ok(d) => d,
            Err(_) if value.trim().is_empty() => {
                err(
                    format!("milestones-{i}-{field}"),
                    format!("Enter the {what} date of milestone {n}"),
                );
                String::new()
            }
            Err(m) => {
                err(
                    format!("milestones-{i}-{field}"),
                    format!("The {what} date of milestone {n}: {m}"),
                );
                String::new()
            }
        };
        let baseline = date(&row.baseline, "baseline", "baseline");
        let forecast = date(&row.forecast, "forecast", "forecast");
        let status = if row.status.trim().is_empty() {
            MilestoneStatus::Planned
        } else {
            MilestoneStatus::parse(&row.status).unwrap_or_else(|| {
                err(
                    format!("milestones-{i}-status"),
                    format!("Choose a status for milestone {n}"),
                );
                MilestoneStatus::Planned
            })
        };
        let milestone = Milestone {
            name: row.name.trim().into(),
            baseline,
            forecast,
            status,
        };
        let phase = row.phase.trim();
        match phases.iter_mut().find(|p| p.name == phase) {
            Some(p) => p.milestones.push(milestone),
            None => phases.push(Phase {
                name: phase.into(),
                milestones: vec![milestone],
            }),
        }
    }
    let mut risks = Vec::new();
    for (i, row) in form.risks.iter().enumerate() {
        let blank = [&row.description, &row.owner, &row.mitigation]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank {
            continue;
        }
        let n = i + 1;
        if row.description.trim().is_empty() {
            err(
                format!("risks-{i}-description"),
                format!("Describe risk {n}"),
            );
        }
        let mut level = |value: &str, what: &str, field: &str| {
            if value.trim().is_empty() {
                Level::Medium
            } else {
                Level::parse(value).unwrap_or_else(|| {
                    err(
                        format!("risks-{i}-{field}"),
                        format!("Choose the {what} of risk {n}"),
                    );
                    Level::Medium
                })
            }
        };
        let likelihood = level(&row.likelihood, "likelihood", "likelihood");
        let impact = level(&row.impact, "impact", "impact");
        risks.push(Risk {
            description: row.description.trim().into(),
            likelihood,
            impact,
            owner: row.owner.trim().into(),
            mitigation: row.mitigation.trim().into(),
        });
    }
    let users = count(&form.users, "users", "Number of users", errors);
    let workstations = count(
        &form.workstations,
        "workstations",
        "Number of workstations",
        errors,
    );
    PlanFields {
        initiative: form.initiative.trim().into(),
        product: form.product.trim().into(),
        product_version: form.product_version.trim().into(),
        scope: Scope {
            sites: lines(&form.sites),
            departments: lines(&form.departments),
            users,
            workstations,
        },
        phases,
        risks,
        contacts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> DocumentForm {
        DocumentForm {
            initiative: "Single sign-on rollout".into(),
            product: "OneSign".into(),
            users: "1,200".into(),
            milestones: vec![
                MilestoneRow {
                    phase: "Pilot".into(),
                    name: "Ward".into(),
                    baseline: "2026-01-05".into(),
                    forecast: "2026-01-19".into(),
                    status: "slipped".into(),
                },
                MilestoneRow::default(),
                MilestoneRow {
                    phase: "Pilot".into(),
                    name: "Review".into(),
                    baseline: "2026-02-02".into(),
                    forecast: "2026-02-02".into(),
                    status: String::new(),
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn rows_group_into_phases_and_blank_rows_are_ignored() {
        let mut errors = Vec::new();
        let fields = form_to_fields(&form(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fields.phases.len(), 1);
        assert_eq!(fields.phases[0].milestones.len(), 2);
        assert_eq!(fields.scope.users, Some(1200));
        let mut back = DocumentForm::default();
        fields_to_form(&fields, &mut back);
        assert_eq!(back.milestones.len(), 2);
        assert_eq!(back.milestones[0].status, "slipped");
    }

    #[test]
    fn each_bad_cell_is_named() {
        let mut f = form();
        f.milestones[0].baseline = "2026-02-30".into();
        f.milestones[2].name.clear();
        f.workstations = "lots".into();
        f.product.clear();
        let mut errors = Vec::new();
        form_to_fields(&f, &mut errors);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "product",
                "milestones-0-baseline",
                "milestones-2-name",
                "workstations"
            ]
        );
    }
}

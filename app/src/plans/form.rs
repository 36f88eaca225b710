//! The plan part of the editor: every value as typed, read into [`PlanFields`] with a message
//! per cell that cannot be read.

use serde::{Deserialize, Serialize};

use super::fields::{
    Level, Milestone, MilestoneStatus, Phase, PlanContact, PlanFields, Risk, Scope,
};
use crate::components::form::FormError;
use crate::dates::Date;
use crate::limits::{
    self, MAX_CHOICE_CHARS, MAX_LINE_CHARS, MAX_LIST_LINES, MAX_MILESTONES, MAX_NOTE_CHARS,
    MAX_RISKS, MAX_SLUG_CHARS,
};

/// Longest line of the contacts field: a directory name, a colon and a part in the plan.
const CONTACT_LINE_CHARS: usize = MAX_SLUG_CHARS + 2 + MAX_LINE_CHARS;

/// A milestone row; every value as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneRow {
    pub phase: String,
    pub name: String,
    pub baseline: String,
    pub forecast: String,
    pub status: String,
}

/// A risk row; every value as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskRow {
    pub description: String,
    pub likelihood: String,
    pub impact: String,
    pub owner: String,
    pub mitigation: String,
}

/// The plan part of the editor form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlanForm {
    pub initiative: String,
    pub product: String,
    pub product_version: String,
    /// One per line.
    pub sites: String,
    /// One per line.
    pub departments: String,
    pub users: String,
    pub workstations: String,
    pub milestones: Vec<MilestoneRow>,
    pub risks: Vec<RiskRow>,
    /// One `contact-name: role in the plan` per line.
    pub contacts: String,
}

/// The form filled from stored fields.
pub fn to_form(f: &PlanFields) -> PlanForm {
    PlanForm {
        initiative: f.initiative.clone(),
        product: f.product.clone(),
        product_version: f.product_version.clone(),
        sites: f.scope.sites.join("\n"),
        departments: f.scope.departments.join("\n"),
        users: f.scope.users.map(|n| n.to_string()).unwrap_or_default(),
        workstations: f
            .scope
            .workstations
            .map(|n| n.to_string())
            .unwrap_or_default(),
        milestones: f
            .phases
            .iter()
            .flat_map(|p| {
                p.milestones.iter().map(|m| MilestoneRow {
                    phase: p.name.clone(),
                    name: m.name.clone(),
                    baseline: m.baseline.to_string(),
                    forecast: m.forecast.to_string(),
                    status: m.status.as_str().to_owned(),
                })
            })
            .collect(),
        risks: f
            .risks
            .iter()
            .map(|r| RiskRow {
                description: r.description.clone(),
                likelihood: r.likelihood.as_str().to_owned(),
                impact: r.impact.as_str().to_owned(),
                owner: r.owner.clone(),
                mitigation: r.mitigation.clone(),
            })
            .collect(),
        contacts: f
            .contacts
            .iter()
            .map(|c| format!("{}: {}", c.contact, c.role))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn count(value: &str, field: &str, label: &str, errors: &mut Vec<FormError>) -> Option<u32> {
    let v = value.trim().replace(',', "");
    if v.is_empty() {
        return None;
    }
    if limits::over(&v, MAX_CHOICE_CHARS) {
        errors.push(FormError::new(
            field,
            format!("{label} must be a whole number, like 1200"),
        ));
        return None;
    }
    match v.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FormError::new(
                field,
                format!("{label} must be a whole number, like 1200"),
            ));
            None
        }
    }
}

/// Reads one `contact-name: role` line.
pub fn parse_contact(line: &str) -> Result<PlanContact, String> {
    let (contact, role) = line.split_once(':').unwrap_or((line, ""));
    let contact = contact.trim().to_ascii_lowercase();
    let valid = !contact.is_empty()
        && contact.len() <= MAX_SLUG_CHARS
        && contact
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(format!(
            "{line:?}: write the contact's name in the directory, a colon and their part in the plan, like \"morag-testwell: Project lead\""
        ));
    }
    Ok(PlanContact {
        contact,
        role: role.trim().to_owned(),
    })
}

/// Adds a message for each cell of a row longer than its limit; `true` when all fit. A row with
/// a cell too long is reported and kept out of the fields; the form keeps it as typed.
fn cells_fit(
    cells: &[(&str, &str, usize)],
    row: &str,
    i: usize,
    errors: &mut Vec<FormError>,
) -> bool {
    let mut fit = true;
    for (col, value, max) in cells {
        if limits::over(value.trim(), *max) {
            fit = false;
            errors.push(FormError::new(
                format!("{row}s-{i}-{col}"),
                format!(
                    "The {col} of {row} {} must be {max} characters or fewer",
                    i + 1
                ),
            ));
        }
    }
    fit
}

/// Reads the plan part of the form, adding a message per field that is wrong. Rows left empty
/// are ignored; rows beyond the most a plan may have are refused with one message.
pub fn read_form(form: &PlanForm, errors: &mut Vec<FormError>) -> PlanFields {
    let mut phases: Vec<Phase> = Vec::new();
    let mut milestones = 0;
    for (i, row) in form.milestones.iter().enumerate() {
        let blank = [&row.phase, &row.name, &row.baseline, &row.forecast]
            .iter()
            .all(|v| v.trim().is_empty());
        if blank {
            continue;
        }
        milestones += 1;
        if milestones > MAX_MILESTONES {
            errors.push(FormError::new(
                format!("milestones-{i}-phase"),
                format!("A plan can have at most {MAX_MILESTONES} milestones"),
            ));
            break;
        }
        let fit = cells_fit(
            &[
                ("phase", &row.phase, MAX_LINE_CHARS),
                ("name", &row.name, MAX_LINE_CHARS),
                ("baseline", &row.baseline, MAX_CHOICE_CHARS),
                ("forecast", &row.forecast, MAX_CHOICE_CHARS),
                ("status", &row.status, MAX_CHOICE_CHARS),
            ],
            "milestone",
            i,
            errors,
        );
        if !fit {
            continue;
        }
        let n = i + 1;
        if row.phase.trim().is_empty() {
            errors.push(FormError::new(
                format!("milestones-{i}-phase"),
                format!("Enter the phase of milestone {n}"),
            ));
        }
        if row.name.trim().is_empty() {
            errors.push(FormError::new(
                format!("milestones-{i}-name"),
                format!("Enter the name of milestone {n}"),
            ));
        }
        let mut date = |value: &str, what: &str| match Date::parse(value) {
            Ok(d) => Some(d),
            Err(m) => {
                let message = if value.trim().is_empty() {
                    format!("Enter the {what} date of milestone {n}")
                } else {
                    format!("The {what} date of milestone {n}: {m}")
                };
                errors.push(FormError::new(format!("milestones-{i}-{what}"), message));
                None
            }
        };
        let baseline = date(&row.baseline, "baseline");
        let forecast = date(&row.forecast, "forecast");
        let status = if row.status.trim().is_empty() {
            MilestoneStatus::Planned
        } else {
            MilestoneStatus::parse(&row.status).unwrap_or_else(|_| {
                errors.push(FormError::new(
                    format!("milestones-{i}-status"),
                    format!("Choose a status for milestone {n}"),
                ));
                MilestoneStatus::Planned
            })
        };
        // A row with a bad date is reported above and kept out of the fields; the form keeps it.
        let (Some(baseline), Some(forecast)) = (baseline, forecast) else {
            continue;
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
        if risks.len() == MAX_RISKS {
            errors.push(FormError::new(
                format!("risks-{i}-description"),
                format!("A plan can have at most {MAX_RISKS} risks"),
            ));
            break;
        }
        let fit = cells_fit(
            &[
                ("description", &row.description, MAX_NOTE_CHARS),
                ("likelihood", &row.likelihood, MAX_CHOICE_CHARS),
                ("impact", &row.impact, MAX_CHOICE_CHARS),
                ("owner", &row.owner, MAX_LINE_CHARS),
                ("mitigation", &row.mitigation, MAX_NOTE_CHARS),
            ],
            "risk",
            i,
            errors,
        );
        if !fit {
            continue;
        }
        let n = i + 1;
        if row.description.trim().is_empty() {
            errors.push(FormError::new(
                format!("risks-{i}-description"),
                format!("Describe risk {n}"),
            ));
        }
        let mut level = |value: &str, what: &str| {
            if value.trim().is_empty() {
                Level::Medium
            } else {
                Level::parse(value).unwrap_or_else(|_| {
                    errors.push(FormError::new(
                        format!("risks-{i}-{what}"),
                        format!("Choose the {what} of risk {n}"),
                    ));
                    Level::Medium
                })
            }
        };
        let likelihood = level(&row.likelihood, "likelihood");
        let impact = level(&row.impact, "impact");
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
    let mut contacts = Vec::new();
    let contact_lines = lines(&form.contacts);
    if contact_lines.len() > MAX_LIST_LINES {
        errors.push(FormError::new(
            "contacts",
            format!(
                "Stakeholder contacts: give at most {MAX_LIST_LINES} lines (you gave {})",
                contact_lines.len()
            ),
        ));
    } else {
        for (i, line) in contact_lines.iter().enumerate() {
            if limits::over(line, CONTACT_LINE_CHARS) {
                errors.push(FormError::new(
                    "contacts",
                    format!(
                        "Stakeholder contacts: line {} must be {CONTACT_LINE_CHARS} characters or fewer",
                        i + 1
                    ),
                ));
                continue;
            }
            match parse_contact(line) {
                Ok(c) => contacts.push(c),
                Err(m) => errors.push(FormError::new("contacts", m)),
            }
        }
    }
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
        contacts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> PlanForm {
        PlanForm {
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
            contacts: "morag-testwell: Project lead\n".into(),
            ..Default::default()
        }
    }

    #[test]
    fn rows_group_into_phases_and_blank_rows_are_ignored() {
        let mut errors = Vec::new();
        let fields = read_form(&form(), &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(fields.phases.len(), 1);
        assert_eq!(fields.phases[0].milestones.len(), 2);
        assert_eq!(fields.scope.users, Some(1200));
        assert_eq!(fields.contacts[0].role, "Project lead");
        let back = to_form(&fields);
        assert_eq!(back.milestones.len(), 2);
        assert_eq!(back.milestones[0].status, "slipped");
        assert_eq!(back.contacts, "morag-testwell: Project lead");
    }

    #[test]
    fn each_bad_cell_is_named() {
        let mut f = form();
        f.milestones[0].baseline = "2026-02-30".into();
        f.milestones[2].name.clear();
        f.workstations = "lots".into();
        f.contacts = "Morag Testwell".into();
        let mut errors = Vec::new();
        read_form(&f, &mut errors);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "milestones-0-baseline",
                "milestones-2-name",
                "workstations",
                "contacts"
            ]
        );
    }
}

//! A deployment plan's own fields: scope, phases with dated milestones, risks and stakeholder
//! contacts. Stored as JSON and written in front matter by these names.

use serde::{Deserialize, Serialize};

use crate::dates::Date;

crate::coded_enum! {
    /// Progress of a milestone.
    #[derive(Default)]
    pub enum MilestoneStatus ("milestone status") {
        #[default]
        Planned = "planned", "Planned";
        OnTrack = "on-track", "On track";
        AtRisk = "at-risk", "At risk";
        Done = "done", "Done";
        Slipped = "slipped", "Slipped";
    }
}

impl MilestoneStatus {
    /// NHS.UK tag colour for the status.
    pub fn tag_class(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "nhsuk-tag nhsuk-tag--grey",
            MilestoneStatus::OnTrack => "nhsuk-tag nhsuk-tag--blue",
            MilestoneStatus::AtRisk => "nhsuk-tag nhsuk-tag--orange",
            MilestoneStatus::Done => "nhsuk-tag nhsuk-tag--green",
            MilestoneStatus::Slipped => "nhsuk-tag nhsuk-tag--red",
        }
    }
}

crate::coded_enum! {
    /// Low, medium or high: a risk's likelihood or impact.
    #[derive(Default)]
    pub enum Level ("level") {
        Low = "low", "Low";
        #[default]
        Medium = "medium", "Medium";
        High = "high", "High";
    }
}

/// The sites, departments and numbers a plan covers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    #[serde(default)]
    pub sites: Vec<String>,
    #[serde(default)]
    pub departments: Vec<String>,
    #[serde(default)]
    pub users: Option<u32>,
    #[serde(default)]
    pub workstations: Option<u32>,
}

/// A dated step of a phase.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub name: String,
    /// The date first agreed.
    pub baseline: Date,
    /// The date now expected.
    pub forecast: Date,
    #[serde(default)]
    pub status: MilestoneStatus,
}

impl Milestone {
    /// Slipped: marked so, or forecast later than the baseline and not yet done.
    pub fn slipped(&self) -> bool {
        self.status == MilestoneStatus::Slipped
            || (self.status != MilestoneStatus::Done && self.forecast > self.baseline)
    }
}

/// A phase of a plan with its milestones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub name: String,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
}

/// A risk to a plan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    pub description: String,
    #[serde(default)]
    pub likelihood: Level,
    #[serde(default)]
    pub impact: Level,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub mitigation: String,
}

/// A stakeholder of a plan: who they are in the contact directory, and their part in this plan.
/// Written in front matter as `contacts: [{contact: morag-testwell, role: Project lead}]` and in
/// the editor as one `morag-testwell: Project lead` per line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanContact {
    /// The contact's name in the directory (`/contacts/{contact}`): lower-case letters, digits
    /// and hyphens.
    pub contact: String,
    /// Their part in the plan, like "Clinical safety officer".
    #[serde(default)]
    pub role: String,
}

/// What a deployment plan has beyond the common fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFields {
    #[serde(default)]
    pub initiative: String,
    #[serde(default)]
    pub product: String,
    #[serde(default)]
    pub product_version: String,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub risks: Vec<Risk>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<PlanContact>,
}

impl PlanFields {
    /// Every milestone with its phase, in forecast order: the plan's timeline.
    pub fn timeline(&self) -> Vec<(String, Milestone)> {
        let mut all: Vec<(String, Milestone)> = self
            .phases
            .iter()
            .flat_map(|p| p.milestones.iter().map(|m| (p.name.clone(), m.clone())))
            .collect();
        all.sort_by(|a, b| {
            a.1.forecast
                .cmp(&b.1.forecast)
                .then(a.1.name.cmp(&b.1.name))
        });
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn milestone(name: &str, baseline: &str, forecast: &str) -> Milestone {
        Milestone {
            name: name.into(),
            baseline: date(baseline),
            forecast: date(forecast),
            status: MilestoneStatus::Planned,
        }
    }

    #[test]
    fn a_milestone_slips_when_its_forecast_passes_the_baseline() {
        let mut m = milestone("Go-live", "2026-03-01", "2026-03-01");
        m.status = MilestoneStatus::OnTrack;
        assert!(!m.slipped());
        m.forecast = date("2026-04-01");
        assert!(m.slipped());
        m.status = MilestoneStatus::Done;
        assert!(!m.slipped(), "done late is done");
        m.status = MilestoneStatus::Slipped;
        assert!(m.slipped());
    }

    #[test]
    fn the_timeline_runs_in_forecast_order_across_phases() {
        let plan = PlanFields {
            phases: vec![
                Phase {
                    name: "Rollout".into(),
                    milestones: vec![milestone("Wave 1", "2026-06-01", "2026-06-01")],
                },
                Phase {
                    name: "Pilot".into(),
                    milestones: vec![milestone("Ward", "2026-01-01", "2026-02-01")],
                },
            ],
            ..Default::default()
        };
        let names: Vec<_> = plan.timeline().into_iter().map(|(_, m)| m.name).collect();
        assert_eq!(names, ["Ward", "Wave 1"]);
    }

    #[test]
    fn stored_fields_with_a_bad_date_do_not_parse() {
        let json = r#"{"phases":[{"name":"P","milestones":[{"name":"M","baseline":"2026-02-30","forecast":"2026-03-01"}]}]}"#;
        assert!(serde_json::from_str::<PlanFields>(json)
            .unwrap_err()
            .to_string()
            .contains("not a real date"));
    }
}

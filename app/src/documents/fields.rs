//! Fields that only some kinds of document have: a deployment plan's scope, phases, milestones
//! and risks; a lesson's phase, structured account and links.

use serde::{Deserialize, Serialize};

/// Progress of a milestone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MilestoneStatus {
    #[default]
    Planned,
    OnTrack,
    AtRisk,
    Done,
    Slipped,
}

impl MilestoneStatus {
    pub const ALL: [MilestoneStatus; 5] = [
        MilestoneStatus::Planned,
        MilestoneStatus::OnTrack,
        MilestoneStatus::AtRisk,
        MilestoneStatus::Done,
        MilestoneStatus::Slipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "planned",
            MilestoneStatus::OnTrack => "on-track",
            MilestoneStatus::AtRisk => "at-risk",
            MilestoneStatus::Done => "done",
            MilestoneStatus::Slipped => "slipped",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "Planned",
            MilestoneStatus::OnTrack => "On track",
            MilestoneStatus::AtRisk => "At risk",
            MilestoneStatus::Done => "Done",
            MilestoneStatus::Slipped => "Slipped",
        }
    }

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

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }
}

/// Low, medium or high: a risk's likelihood or impact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Low,
    #[default]
    Medium,
    High,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Low, Level::Medium, Level::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Low => "Low",
            Level::Medium => "Medium",
            Level::High => "High",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
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
    pub users: Option<i64>,
    #[serde(default)]
    pub workstations: Option<i64>,
}

/// A dated step of a phase.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub name: String,
    /// `YYYY-MM-DD`, the date first agreed.
    pub baseline: String,
    /// `YYYY-MM-DD`, the date now expected.
    pub forecast: String,
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
    /// Linked stakeholder contacts, once the contact directory exists.
    #[serde(default)]
    pub contacts: Vec<String>,
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

/// Where in a programme a lesson was learned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LessonPhase {
    Procurement,
    Pilot,
    #[default]
    Rollout,
    BusinessAsUsual,
}

impl LessonPhase {
    pub const ALL: [LessonPhase; 4] = [
        LessonPhase::Procurement,
        LessonPhase::Pilot,
        LessonPhase::Rollout,
        LessonPhase::BusinessAsUsual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LessonPhase::Procurement => "procurement",
            LessonPhase::Pilot => "pilot",
            LessonPhase::Rollout => "rollout",
            LessonPhase::BusinessAsUsual => "business-as-usual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LessonPhase::Procurement => "Procurement",
            LessonPhase::Pilot => "Pilot",
            LessonPhase::Rollout => "Rollout",
            LessonPhase::BusinessAsUsual => "Business as usual",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }
}

/// What a lesson learned has beyond the common fields. The texts are Markdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFields {
    #[serde(default)]
    pub phase: LessonPhase,
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub what_happened: String,
    #[serde(default)]
    pub what_worked: String,
    #[serde(default)]
    pub do_differently: String,
    #[serde(default)]
    pub recommendation: String,
    /// Links to the plans and guides it concerns, as `guides/slug` or `plans/slug`.
    #[serde(default)]
    pub related: Vec<String>,
}

impl LessonFields {
    /// The structured account as (heading, Markdown) pairs, in reading order.
    pub fn sections(&self) -> [(&'static str, &str); 5] {
        [
            ("Context", &self.context),
            ("What happened", &self.what_happened),
            ("What worked", &self.what_worked),
            ("What we would do differently", &self.do_differently),
            ("Recommendation", &self.recommendation),
        ]
    }
}

/// Kind-specific fields of one document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocFields {
    Guide,
    Plan(PlanFields),
    Lesson(LessonFields),
}

#[cfg(feature = "ssr")]
impl DocFields {
    /// The fields of a `kind` of document from their stored JSON.
    pub fn parse(kind: super::DocKind, json: &str) -> Self {
        use super::DocKind;
        match kind {
            DocKind::Guide => DocFields::Guide,
            DocKind::Plan => DocFields::Plan(serde_json::from_str(json).unwrap_or_default()),
            DocKind::Lesson => DocFields::Lesson(serde_json::from_str(json).unwrap_or_default()),
        }
    }

    /// The fields as stored.
    pub fn to_json(&self) -> String {
        let json = match self {
            DocFields::Guide => Ok("{}".to_owned()),
            DocFields::Plan(p) => serde_json::to_string(p),
            DocFields::Lesson(l) => serde_json::to_string(l),
        };
        json.unwrap_or_else(|_| "{}".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_milestone_slips_when_its_forecast_passes_the_baseline() {
        let mut m = Milestone {
            name: "Go-live".into(),
            baseline: "2026-03-01".into(),
            forecast: "2026-03-01".into(),
            status: MilestoneStatus::OnTrack,
        };
        assert!(!m.slipped());
        m.forecast = "2026-04-01".into();
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
                    milestones: vec![Milestone {
                        name: "Wave 1".into(),
                        baseline: "2026-06-01".into(),
                        forecast: "2026-06-01".into(),
                        ..Default::default()
                    }],
                },
                Phase {
                    name: "Pilot".into(),
                    milestones: vec![Milestone {
                        name: "Ward".into(),
                        baseline: "2026-01-01".into(),
                        forecast: "2026-02-01".into(),
                        ..Default::default()
                    }],
                },
            ],
            ..Default::default()
        };
        let names: Vec<_> = plan.timeline().into_iter().map(|(_, m)| m.name).collect();
        assert_eq!(names, ["Ward", "Wave 1"]);
    }
}

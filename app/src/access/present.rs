//! A configuration and its scorecard as people read them: sections of labelled facts and
//! tables in plain words, never raw YAML. A fact left out reads "Not recorded", which is not the
//! same as "No" or "0". Made on the server and sent to pages as data.

use serde::{Deserialize, Serialize};

use super::findings::{Evaluation, Outcome};
use super::model::{
    ApplicationProfile, ComputerPolicy, Configuration, FactorPair, Lockout, Overrides,
    RemoteAccessSystem, SecondFactor, UserPolicy,
};
use super::rules::Severity;
use crate::dates::Date;

/// What a fact left out says.
pub const NOT_RECORDED: &str = "Not recorded";

/// A labelled value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// A part of a section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Block {
    /// A summary list, with a heading when the section holds several (one per policy).
    Facts {
        heading: Option<String>,
        facts: Vec<Fact>,
    },
    /// A table: one row per item (appliance, application, remote access system).
    Table {
        caption: String,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A sentence, for a section with nothing to list.
    Note(String),
}

/// One section of a configuration: deployment, user policies, ...
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Its anchor on the page.
    pub id: String,
    pub heading: String,
    pub blocks: Vec<Block>,
}

/// One rule's result as the scorecard shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreLine {
    pub code: String,
    pub title: String,
    pub severity: Severity,
    pub outcome: Outcome,
    pub observed: String,
    pub expected: String,
    pub rationale: String,
    /// The slug of the guide that explains the rule.
    pub guide: String,
    /// The organisation's newest waiver of the rule, for a rule that fails.
    #[serde(default)]
    pub waiver: Option<WaiverNote>,
}

impl ScoreLine {
    /// Whether the rule fails but a waiver in force accepts that for now.
    pub fn waived(&self) -> bool {
        self.outcome == Outcome::Fail && self.waiver.as_ref().is_some_and(|w| !w.lapsed)
    }
}

/// A publisher's waiver of a failing rule, as the scorecard shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverNote {
    /// The last day it holds.
    pub until: Date,
    /// Who granted it.
    pub by: String,
    pub justification: String,
    /// Its last day has passed, so the rule counts as failing again.
    pub lapsed: bool,
}

/// Every rule's result, with the counts a summary gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The day the rules were checked as of.
    pub checked_on: Date,
    pub lines: Vec<ScoreLine>,
    /// Where the viewer manages the organisation's waivers, when they may grant them.
    #[serde(default)]
    pub waivers_href: Option<String>,
}

impl Scorecard {
    /// The scorecard of an evaluation.
    pub fn of(evaluation: &Evaluation) -> Self {
        Self {
            checked_on: evaluation.today,
            lines: evaluation
                .findings
                .iter()
                .map(|f| ScoreLine {
                    code: f.rule.code.to_owned(),
                    title: f.rule.title.to_owned(),
                    severity: f.rule.severity,
                    outcome: f.outcome,
                    observed: f.observed.clone(),
                    expected: f.expected.clone(),
                    rationale: f.rule.rationale.to_owned(),
                    guide: f.rule.guide.to_owned(),
                    waiver: None,
                })
                .collect(),
            waivers_href: None,
        }
    }

    /// Notes each failing rule's newest waiver (`waivers` gives it by rule code); a waiver of a
    /// rule that no longer fails is not shown.
    pub fn note_waivers(&mut self, mut newest: impl FnMut(&str) -> Option<WaiverNote>) {
        for line in &mut self.lines {
            line.waiver = if line.outcome == Outcome::Fail {
                newest(&line.code)
            } else {
                None
            };
        }
    }

    /// How many lines have this outcome; a failing rule under a waiver in force is counted as
    /// waived ([`Self::waived`]), not as failing.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.lines
            .iter()
            .filter(|l| l.outcome == outcome && !l.waived())
            .count()
    }

    /// How many failing rules a waiver in force accepts for now.
    pub fn waived(&self) -> usize {
        self.lines.iter().filter(|l| l.waived()).count()
    }

    /// The codes of the `must` rules with this outcome, leaving out those waived.
    pub fn must(&self, outcome: Outcome) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|l| l.severity == Severity::Must && l.outcome == outcome && !l.waived())
            .map(|l| l.code.as_str())
            .collect()
    }
}

fn fact(label: &str, value: impl Into<String>) -> Fact {
    Fact {
        label: label.to_owned(),
        value: value.into(),
    }
}

fn or_unknown<T>(value: Option<T>, show: impl FnOnce(T) -> String) -> String {
    value.map_or_else(|| NOT_RECORDED.to_owned(), show)
}

fn yes_no(value: Option<bool>) -> String {
    or_unknown(value, |b| if b { "Yes" } else { "No" }.to_owned())
}

fn text(value: Option<impl ToString>) -> String {
    or_unknown(value, |v| v.to_string())
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

/// A list that may be left out: `None` is not known, empty says there are none.
fn list_or<T>(items: Option<&[T]>, none: &str, rows: impl Fn(&[T]) -> Block) -> Block {
    match items {
        None => Block::Note(format!("{NOT_RECORDED}.")),
        Some([]) => Block::Note(none.to_owned()),
        Some(items) => rows(items),
    }
}

fn days(n: u16) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}

fn factor_pairs(pairs: &[FactorPair]) -> String {
    let pair = |p: &FactorPair| {
        let seconds: Vec<&str> = p
            .second
            .iter()
            .map(|s| match s {
                SecondFactor::None => "nothing else",
                other => other.label(),
            })
            .collect();
        format!(
            "{}, then {}",
            capitalised(p.first.label()),
            seconds.join(" or ")
        )
    };
    pairs.iter().map(pair).collect::<Vec<_>>().join("; ")
}

fn lockout(l: &Lockout) -> String {
    let failures = text(l.max_failures);
    let window = or_unknown(l.window_s, |w| format!("within {w}"));
    let duration = or_unknown(l.duration_s, |d| {
        if d.get() == 0 {
            "until an administrator unlocks it".to_owned()
        } else {
            format!("for {d}")
        }
    });
    format!("After {failures} failures {window}; locked {duration}")
}

fn user_policy(p: &UserPolicy) -> Block {
    let mut facts = vec![
        fact(
            "Staff",
            or_unknown(p.population, |x| capitalised(x.label())),
        ),
        fact("Users", text(p.user_count)),
        fact(
            "Ways to sign in",
            or_unknown(p.factor_pairs.as_deref(), |pairs| {
                if pairs.is_empty() {
                    "None".to_owned()
                } else {
                    factor_pairs(pairs)
                }
            }),
        ),
        fact("Two factors required", yes_no(p.two_factor_required)),
        fact(
            "Offline authentication",
            or_unknown(p.offline_authentication.as_ref(), |o| {
                match (o.enabled, o.max_days) {
                    (false, _) => "Not allowed".to_owned(),
                    (true, Some(n)) => format!("Allowed, for up to {}", days(n)),
                    (true, None) => "Allowed, for how long not recorded".to_owned(),
                }
            }),
        ),
        fact("Account lockout", or_unknown(p.lockout.as_ref(), lockout)),
        fact(
            "Security questions",
            or_unknown(p.security_questions.as_ref(), |q| {
                if !q.enabled {
                    return "Not allowed".to_owned();
                }
                let mut parts = vec!["Allowed".to_owned()];
                if let (Some(e), Some(a)) = (q.enrolled, q.answered) {
                    parts.push(format!("{a} of {e} enrolled questions asked"));
                }
                if let Some(m) = q.max_uses_per_month {
                    parts.push(format!("at most {m} uses a month"));
                }
                parts.join(", ")
            }),
        ),
        fact(
            "Self-service reset",
            or_unknown(p.self_service_reset.as_ref(), |r| {
                if !r.enabled {
                    "Not allowed".to_owned()
                } else if r.methods.is_empty() {
                    "Allowed".to_owned()
                } else {
                    let methods: Vec<&str> = r.methods.iter().map(|m| m.label()).collect();
                    format!("Allowed, by {}", methods.join(" or "))
                }
            }),
        ),
    ];
    if let Some(sso) = &p.sso {
        facts.extend([
            fact("Single sign-on", yes_no(sso.enabled)),
            fact("Single sign-on bypass allowed", yes_no(sso.allow_bypass)),
            fact(
                "Offline single sign-on",
                match (sso.offline_sso, sso.offline_sso_max_days) {
                    (Some(true), Some(n)) => format!("Yes, for up to {}", days(n)),
                    (other, _) => yes_no(other),
                },
            ),
        ]);
    } else {
        facts.push(fact("Single sign-on", NOT_RECORDED));
    }
    facts.push(fact("Spine Combined Workflow", yes_no(p.spine)));
    Block::Facts {
        heading: Some(if p.default {
            format!("{} (default policy)", p.name)
        } else {
            p.name.clone()
        }),
        facts,
    }
}

fn overrides(o: &Overrides) -> String {
    let mut parts = Vec::new();
    if o.require_two_factors == Some(true) {
        parts.push("two factors required".to_owned());
    }
    if o.disallow_offline_authentication == Some(true) {
        parts.push("no offline authentication".to_owned());
    }
    if o.disallow_security_questions == Some(true) {
        parts.push("no security questions".to_owned());
    }
    match o.allow_sso_bypass {
        Some(true) => parts.push("single sign-on bypass allowed".to_owned()),
        Some(false) => parts.push("no single sign-on bypass".to_owned()),
        None => {}
    }
    if let Some(n) = o.offline_sso_max_days {
        parts.push(format!("offline single sign-on for up to {}", days(n)));
    }
    if parts.is_empty() {
        "None".to_owned()
    } else {
        capitalised(&parts.join("; "))
    }
}

fn computer_policy(p: &ComputerPolicy) -> Block {
    let seconds_or_never = |value: Option<super::values::Seconds>, never: &str| {
        or_unknown(value, |s| {
            if s.get() == 0 {
                never.to_owned()
            } else {
                format!("After {s}")
            }
        })
    };
    let mut facts = vec![
        fact(
            "Workstation type",
            or_unknown(p.workstation, |w| capitalised(w.label())),
        ),
        fact(
            "Location",
            or_unknown(p.location, |l| capitalised(l.label())),
        ),
        fact("Computers", text(p.computer_count)),
        fact(
            "Locks when idle",
            seconds_or_never(p.inactivity_lock_s, "Never"),
        ),
        fact(
            "Warning before the lock",
            match (p.lock_warning_s, p.warning_type) {
                (Some(s), _) if s.get() == 0 => "None".to_owned(),
                (Some(s), Some(t)) => format!("{s} before, as a {}", t.label()),
                (Some(s), None) => format!("{s} before"),
                (None, _) => NOT_RECORDED.to_owned(),
            },
        ),
        fact(
            "Shows who is signed in",
            seconds_or_never(p.show_current_user_after_s, "Never"),
        ),
        fact("Tap to lock", yes_no(p.tap_to_lock)),
    ];
    if let Some(k) = &p.kiosk {
        facts.extend([
            fact("Fast user switching", yes_no(k.fast_user_switching)),
            fact(
                "Generic account per device",
                yes_no(k.generic_account_per_device),
            ),
            fact(
                "Generic passwords managed",
                yes_no(k.generic_password_managed),
            ),
            fact(
                "Citrix client shut down on switching",
                yes_no(k.shut_down_citrix_on_switch),
            ),
        ]);
    }
    if let Some(o) = &p.overrides {
        facts.push(fact("Overrides of user policies", overrides(o)));
    }
    Block::Facts {
        heading: Some(if p.default {
            format!("{} (default policy)", p.name)
        } else {
            p.name.clone()
        }),
        facts,
    }
}

fn applications(apps: &[ApplicationProfile]) -> Block {
    Block::Table {
        caption: "Applications enrolled for single sign-on".to_owned(),
        columns: [
            "Application",
            "Kind",
            "Deployed to",
            "Bypass allowed",
            "Works in several sessions",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: apps
            .iter()
            .map(|a| {
                vec![
                    a.application.clone(),
                    or_unknown(a.kind, |k| capitalised(k.label())),
                    or_unknown(a.scope, |s| capitalised(s.label())),
                    yes_no(a.bypass_allowed),
                    yes_no(a.multi_session_capable),
                ]
            })
            .collect(),
    }
}

fn remote(systems: &[RemoteAccessSystem]) -> Block {
    Block::Table {
        caption: "Remote access systems".to_owned(),
        columns: [
            "System",
            "Multi-factor authentication enforced",
            "Privileged access",
            "Hosted outside",
        ]
        .map(str::to_owned)
        .to_vec(),
        rows: systems
            .iter()
            .map(|r| {
                vec![
                    r.name.clone(),
                    yes_no(r.mfa_enforced),
                    yes_no(r.privileged),
                    yes_no(r.externally_hosted),
                ]
            })
            .collect(),
    }
}

fn not_recorded() -> Vec<Block> {
    vec![Block::Note(format!("{NOT_RECORDED}."))]
}

/// A section of facts, one summary list, or "Not recorded" when the section is left out.
fn facts_of<T>(value: Option<&T>, facts: impl FnOnce(&T) -> Vec<Fact>) -> Vec<Block> {
    match value {
        None => not_recorded(),
        Some(v) => vec![Block::Facts {
            heading: None,
            facts: facts(v),
        }],
    }
}

/// A section of policies, one summary list each; `none` says there are none.
fn policies<T>(items: Option<&[T]>, none: &str, each: fn(&T) -> Block) -> Vec<Block> {
    match items {
        None => not_recorded(),
        Some([]) => vec![Block::Note(none.to_owned())],
        Some(items) => items.iter().map(each).collect(),
    }
}

/// The configuration's sections, in the order of the format.
pub fn sections(config: &Configuration) -> Vec<Section> {
    let section = |id: &str, heading: &str, blocks: Vec<Block>| Section {
        id: id.to_owned(),
        heading: heading.to_owned(),
        blocks,
    };
    let deployment = match &config.deployment {
        None => not_recorded(),
        Some(d) => vec![
            Block::Facts {
                heading: None,
                facts: vec![
                    fact("Product", or_unknown(d.product, |p| p.label().to_owned())),
                    fact("Version", text(d.product_version.as_ref())),
                    fact(
                        "Environment",
                        or_unknown(d.environment, |e| capitalised(e.label())),
                    ),
                    fact("Went live", text(d.go_live)),
                    fact(
                        "Certificate issued by",
                        or_unknown(d.certificate_issuer, |c| capitalised(c.label())),
                    ),
                ],
            },
            list_or(
                d.appliances.as_deref(),
                "No appliances of its own: a hosted service.",
                |appliances| Block::Table {
                    caption: "Appliances".to_owned(),
                    columns: ["Appliance", "Site", "Network placement"]
                        .map(str::to_owned)
                        .to_vec(),
                    rows: appliances
                        .iter()
                        .map(|a| {
                            vec![
                                a.name.clone(),
                                text(a.site.as_ref()),
                                or_unknown(a.placement, |p| capitalised(p.label())),
                            ]
                        })
                        .collect(),
                },
            ),
        ],
    };
    let spine = match &config.spine {
        Some(s) if !s.enabled => vec![Block::Note(
            "The Spine Combined Workflow is not in use.".to_owned(),
        )],
        other => facts_of(other.as_ref(), |s| {
            vec![
                fact("Spine Combined Workflow", "In use"),
                fact(
                    "Smartcards",
                    or_unknown(s.card_type, |c| capitalised(c.label())),
                ),
                fact(
                    "Identity Agent version",
                    text(s.identity_agent_version.as_ref()),
                ),
                fact(
                    "Credential Manager version",
                    text(s.credential_manager_version.as_ref()),
                ),
                fact(
                    "Spine environment",
                    or_unknown(s.environment, |e| capitalised(e.label())),
                ),
                fact("Grace period", text(s.grace_period_s)),
            ]
        }),
    };
    let admins = facts_of(config.administrators.as_ref(), |a| {
        vec![
            fact(
                "Separate administrator accounts",
                yes_no(a.separate_admin_accounts),
            ),
            fact(
                "Multi-factor authentication for administrators",
                yes_no(a.admin_mfa),
            ),
            fact(
                "Consoles only from workstations without internet or email",
                yes_no(a.consoles_only_from_workstations_without_internet),
            ),
            fact("Super administrators", text(a.super_administrators)),
            fact(
                "Administrator list last reviewed",
                or_unknown(a.admin_list_reviewed, |d| capitalised(&d.to_string())),
            ),
        ]
    });
    let operations = facts_of(config.operations.as_ref(), |o| {
        vec![
            fact(
                "Restore from backup last tested",
                or_unknown(o.backup_last_tested, |d| capitalised(&d.to_string())),
            ),
            fact(
                "Staff trained in security in the last 12 months",
                text(o.training_coverage_percent),
            ),
            fact(
                "IT and operational technology networks",
                or_unknown(o.it_ot_separation, |s| capitalised(s.label())),
            ),
            fact(
                "Supplier due diligence last done",
                or_unknown(o.supplier_due_diligence, |d| capitalised(&d.to_string())),
            ),
        ]
    });
    vec![
        section("deployment", "Deployment", deployment),
        section(
            "user-policies",
            "User policies",
            policies(
                config.user_policies.as_deref(),
                "No user policies.",
                user_policy,
            ),
        ),
        section(
            "computer-policies",
            "Computer policies",
            policies(
                config.computer_policies.as_deref(),
                "No computer policies.",
                computer_policy,
            ),
        ),
        section(
            "applications",
            "Application single sign-on",
            vec![list_or(
                config.application_profiles.as_deref(),
                "No applications enrolled.",
                applications,
            )],
        ),
        section("spine", "Smartcards and Spine", spine),
        section("administrators", "Administrator access", admins),
        section(
            "remote-access",
            "Remote access",
            vec![list_or(
                config.remote_access.as_deref(),
                "No remote access systems.",
                remote,
            )],
        ),
        section("operations", "Operations", operations),
    ]
}

/// The sections as plain lines of text, for search.
pub fn plain_text(sections: &[Section]) -> Vec<String> {
    let mut lines = Vec::new();
    for s in sections {
        lines.push(s.heading.clone());
        for block in &s.blocks {
            match block {
                Block::Facts { heading, facts } => {
                    lines.extend(heading.clone());
                    lines.extend(facts.iter().map(|f| format!("{}: {}", f.label, f.value)));
                }
                Block::Table { columns, rows, .. } => {
                    lines.extend(rows.iter().map(|row| {
                        columns
                            .iter()
                            .zip(row)
                            .map(|(c, v)| format!("{c}: {v}"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    }));
                }
                Block::Note(note) => lines.push(note.clone()),
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::model::{Deployment, Operations};
    use crate::access::values::{LastDone, Percent};

    #[test]
    fn facts_left_out_read_not_recorded_and_empty_lists_say_none() {
        let config = Configuration {
            schema_version: 1,
            organisation: "nhs-fife".into(),
            deployment: Some(Deployment {
                appliances: Some(Vec::new()),
                ..Default::default()
            }),
            remote_access: Some(Vec::new()),
            operations: Some(Operations {
                backup_last_tested: Some(LastDone::Never),
                training_coverage_percent: Percent::new(93),
                ..Default::default()
            }),
            ..Default::default()
        };
        let sections = sections(&config);
        let text = plain_text(&sections).join("\n");
        assert!(text.contains("Product: Not recorded"), "{text}");
        assert!(text.contains("No appliances of its own"), "{text}");
        assert!(text.contains("No remote access systems."), "{text}");
        assert!(
            text.contains("Restore from backup last tested: Never"),
            "{text}"
        );
        assert!(
            text.contains("Staff trained in security in the last 12 months: 93 %"),
            "{text}"
        );
        assert!(
            text.contains("IT and operational technology networks: Not recorded"),
            "{text}"
        );
        let users = sections.iter().find(|s| s.id == "user-policies").unwrap();
        assert_eq!(users.blocks, [Block::Note("Not recorded.".into())]);
    }
}

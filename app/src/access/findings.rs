//! The result of checking a configuration against the rule catalogue: for each rule, pass, fail,
//! unknown (facts missing) or not applicable, with what was observed and what was expected.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::model::Configuration;
use super::rules::{Rule, Severity, CATALOGUE};
use crate::dates::Date;

/// What a check is evaluated against: dates are judged relative to `today`, never the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Context {
    /// The day the check is made.
    pub today: Date,
}

/// One rule's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The configuration does what the rule asks.
    Pass,
    /// It does not.
    Fail,
    /// A fact the rule needs is not recorded.
    Unknown,
    /// Nothing the rule is about exists here.
    NotApplicable,
}

impl Outcome {
    /// Every outcome, in the order a summary lists them.
    pub const ALL: [Outcome; 4] = [
        Outcome::Pass,
        Outcome::Fail,
        Outcome::Unknown,
        Outcome::NotApplicable,
    ];

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Unknown => "unknown",
            Outcome::NotApplicable => "not applicable",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What a rule's check returns, before it is tied to the rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// The verdict.
    pub outcome: Outcome,
    /// What the configuration says, as display text.
    pub observed: String,
    /// What the rule asks for, as display text.
    pub expected: String,
}

/// One rule's result on one configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: &'static Rule,
    /// The verdict.
    pub outcome: Outcome,
    /// What the configuration says.
    pub observed: String,
    /// What the rule asks for.
    pub expected: String,
}

/// Every rule's result on one configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    /// The day it was evaluated for.
    pub today: Date,
    /// One finding per rule, in catalogue order.
    pub findings: Vec<Finding>,
}

impl Evaluation {
    /// How many findings have this outcome.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.findings
            .iter()
            .filter(|f| f.outcome == outcome)
            .count()
    }

    /// The findings of `must` rules that fail: a configuration with any is not acceptable.
    pub fn must_failures(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.rule.severity == Severity::Must && f.outcome == Outcome::Fail)
    }

    /// The finding for a rule code.
    pub fn finding(&self, code: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.rule.code == code)
    }
}

/// Checks a configuration against every rule of the catalogue.
pub fn evaluate(config: &Configuration, today: Date) -> Evaluation {
    let cx = Context { today };
    let findings = CATALOGUE
        .iter()
        .map(|rule| {
            let Check {
                outcome,
                observed,
                expected,
            } = rule.check(config, &cx);
            Finding {
                rule,
                outcome,
                observed,
                expected,
            }
        })
        .collect();
    Evaluation { today, findings }
}

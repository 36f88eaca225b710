//! Live references from documents to the rule catalogue and to configuration settings.
//!
//! A guide's text may say `{{rule MFA-01}}` or `{{setting training-coverage}}`: each reader sees
//! the rule (or setting) with their own organisation's result (or value) from its configuration,
//! as far as they may read that configuration. A shortcode that names no rule or setting is a
//! problem the editor and the importer report with its line. Lessons learned name the rules
//! they concern (`mentions`), and each rule's page lists them.
//!
//! `documents` sits below and must not name configurations, so `crate::install_hooks` hands it
//! [`hooks`] and [`mentions::follow_lessons`].

use crate::access::compare::{Setting, SETTINGS};
use crate::access::Rule;
use crate::markdown::Shortcode;

pub mod mentions;
mod resolve;

pub use resolve::{own_result, readable_configuration, OwnResult};

/// The shortcode that shows a rule with the reader's organisation's result.
pub const RULE: &str = "rule";
/// The shortcode that shows a setting with the reader's organisation's value.
pub const SETTING: &str = "setting";

/// What a shortcode refers to.
#[derive(Clone, Copy, Debug)]
pub enum Reference {
    Rule(&'static Rule),
    Setting(&'static Setting),
}

impl Reference {
    /// The rule or setting a shortcode names; `Err` says why it names none.
    pub fn of(code: &Shortcode) -> Result<Self, String> {
        match code.name.as_str() {
            RULE => Rule::find(&code.argument).map(Reference::Rule).ok_or_else(|| {
                format!(
                    "there is no rule {} in the catalogue (rules are written like MFA-01; the list is at /access/rules)",
                    code.argument
                )
            }),
            SETTING => Setting::find(&code.argument)
                .map(Reference::Setting)
                .ok_or_else(|| {
                    let known: Vec<&str> = SETTINGS.iter().map(|s| s.id).collect();
                    format!(
                        "there is no setting {}; the settings are {}",
                        code.argument,
                        known.join(", ")
                    )
                }),
            other => Err(format!("{other} is not a kind of reference")),
        }
    }
}

/// What `documents` is handed: the shortcode names, their check and their resolution.
pub fn hooks() -> crate::documents::hooks::References {
    crate::documents::hooks::References {
        names: &[RULE, SETTING],
        check: |code| Reference::of(code).map(|_| ()),
        resolve: resolve::resolve,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(name: &str, argument: &str) -> Shortcode {
        Shortcode {
            name: name.into(),
            argument: argument.into(),
        }
    }

    #[test]
    fn a_shortcode_must_name_a_rule_of_the_catalogue_or_a_compared_setting() {
        assert!(matches!(
            Reference::of(&code("rule", "MFA-01")),
            Ok(Reference::Rule(r)) if r.code == "MFA-01"
        ));
        assert!(matches!(
            Reference::of(&code("setting", "training-coverage")),
            Ok(Reference::Setting(s)) if s.id == "training-coverage"
        ));
        let why = Reference::of(&code("rule", "MFA-99")).unwrap_err();
        assert!(why.contains("no rule MFA-99"), "{why}");
        let why = Reference::of(&code("setting", "colour")).unwrap_err();
        assert!(why.contains("training-coverage"), "{why}");
    }
}

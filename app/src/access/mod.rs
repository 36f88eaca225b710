//! Access-management configuration: each organisation's set-up of single sign-on and access
//! management as structured data, checked against a catalogue of best-practice rules.
//!
//! - [`model`]: the configuration as Rust types; [`values`]: the typed values in it.
//! - [`rules`]: the rule catalogue; [`checks`]: how each rule is checked; [`findings`]: the
//!   results; [`present`]: a configuration and its results in plain words, for pages.
//! - With `ssr`: `schema`, the JSON Schema derived from the types; `parse`, reading YAML with
//!   every error located by line, column and field (`locate`).

pub mod checks;
pub mod compare;
pub mod findings;
#[cfg(feature = "ssr")]
pub mod locate;
pub mod model;
#[cfg(feature = "ssr")]
pub mod parse;
pub mod present;
#[cfg(test)]
mod rule_cases;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod schema;
pub mod values;

pub use findings::{evaluate, Evaluation, Finding, Outcome};
pub use model::Configuration;
#[cfg(feature = "ssr")]
pub use parse::{parse, ConfigError};
pub use rules::{Rule, Severity, CATALOGUE};

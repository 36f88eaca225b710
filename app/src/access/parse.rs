//! Reading a configuration from YAML: the text is checked against the published JSON Schema
//! first, so that every mistake is reported at once (not just the first, as deserialising
//! alone would), each with its line, column, field path and reason; then it is read into the
//! Rust types and checked for consistency across fields.

use std::fmt;
use std::sync::OnceLock;

use boon::{ErrorKind, InstanceToken, Type, ValidationError};
use serde_json::Value;

use super::locate::{locate, FieldPath, Position, Step, Target};
use super::model::Configuration;
use super::schema::schema;
use super::values::{LastDone, Version};

/// One thing wrong with a configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// Where in the text, when it can be told.
    pub position: Option<Position>,
    /// The field, like `deployment.appliances[0].placement`; empty for the whole document.
    pub path: String,
    /// What is wrong and, where it helps, how to write it.
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.position {
            write!(f, "{}:{}: ", p.line, p.column)?;
        }
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.reason)
    }
}

/// Reads a configuration; on failure, every error found, in the order they appear in the text.
pub fn parse(yaml: &str) -> Result<Configuration, Vec<ConfigError>> {
    let value: Value = yaml_serde::from_str(yaml).map_err(|e| vec![from_yaml(&e)])?;
    let mut errors = validate(yaml, &value);
    if errors.is_empty() {
        let config: Configuration = yaml_serde::from_str(yaml).map_err(|e| vec![from_yaml(&e)])?;
        errors = consistency(yaml, &config);
        if errors.is_empty() {
            return Ok(config);
        }
    }
    errors.sort_by_key(|e| (e.position, e.path.clone()));
    errors.dedup();
    Err(errors)
}

/// A YAML or deserialisation error: its location, and its message split into path and reason.
fn from_yaml(e: &yaml_serde::Error) -> ConfigError {
    let position = e.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    });
    let text = e.to_string();
    // The message ends " at line N column M", which the position already says.
    let text = match text.rfind(" at line ") {
        Some(i) if position.is_some() => text[..i].to_owned(),
        _ => text,
    };
    // Deserialisation messages start with the field path (`spine.environment: ...`).
    let (path, reason) = match text.split_once(": ") {
        Some((path, reason)) if !path.contains(char::is_whitespace) => {
            (path.to_owned(), reason.to_owned())
        }
        _ => (String::new(), text),
    };
    ConfigError {
        position,
        path,
        reason,
    }
}

/// The compiled schema, once per process.
fn validator() -> &'static (boon::Schemas, boon::SchemaIndex) {
    static VALIDATOR: OnceLock<(boon::Schemas, boon::SchemaIndex)> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        const URL: &str = "urn:trustshare:access-configuration";
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        // The schema is derived from our own types; failing to compile it is a programming
        // error that every test of this module would show.
        compiler
            .add_resource(URL, schema().clone())
            .expect("the derived schema is valid JSON Schema");
        let index = compiler
            .compile(URL, &mut schemas)
            .expect("the derived schema compiles");
        (schemas, index)
    })
}

/// Every schema violation, located in the text.
fn validate(yaml: &str, value: &Value) -> Vec<ConfigError> {
    let (schemas, index) = validator();
    let Err(error) = schemas.validate(value, *index) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    leaves(&error, &mut found);
    found
        .into_iter()
        .map(|(path, target, reason)| ConfigError {
            position: locate(yaml, &path, target).or_else(|| {
                // A missing field: point at the mapping it belongs in.
                let parent = FieldPath(path.0[..path.0.len().saturating_sub(1)].to_vec());
                locate(yaml, &parent, Target::Value)
            }),
            path: path.to_string(),
            reason,
        })
        .collect()
}

fn path_of(error: &ValidationError) -> FieldPath {
    FieldPath(
        error
            .instance_location
            .tokens
            .iter()
            .map(|t| match t {
                InstanceToken::Prop(p) => Step::Key(p.to_string()),
                InstanceToken::Item(i) => Step::Index(*i),
            })
            .collect(),
    )
}

/// The errors people can act on: the leaves of boon's error tree, in plain words.
fn leaves(error: &ValidationError, out: &mut Vec<(FieldPath, Target, String)>) {
    let path = path_of(error);
    match &error.kind {
        ErrorKind::AnyOf | ErrorKind::OneOf(None) => alternatives(error, &path, out),
        ErrorKind::AdditionalProperties { got } => {
            let allowed = allowed_fields(error.schema_url);
            for name in got {
                out.push((
                    path.child(Step::Key(name.to_string())),
                    Target::Key,
                    format!("unknown field `{name}`; the fields here are {allowed}"),
                ));
            }
        }
        ErrorKind::Required { want } => {
            for name in want {
                out.push((
                    path.child(Step::Key((*name).to_owned())),
                    Target::Value,
                    format!("missing field `{name}`"),
                ));
            }
        }
        _ if !error.causes.is_empty() => {
            for cause in &error.causes {
                leaves(cause, out);
            }
        }
        kind => out.push((path, Target::Value, reason(kind))),
    }
}

/// An `anyOf` or `oneOf`: the schema says "this or null" for every optional section, and lists
/// each choice as a `const` when choices are documented. Name the real problem, not the tree.
fn alternatives(
    error: &ValidationError,
    path: &FieldPath,
    out: &mut Vec<(FieldPath, Target, String)>,
) {
    let real: Vec<&ValidationError> = error
        .causes
        .iter()
        .filter(
            |c| !matches!(&c.kind, ErrorKind::Type { want, .. } if want.iter().eq([Type::Null])),
        )
        .collect();
    if let [only] = real[..] {
        return leaves(only, out);
    }
    let consts: Option<Vec<String>> = real
        .iter()
        .map(|c| match &c.kind {
            ErrorKind::Const { want } => Some(literal(want)),
            _ => None,
        })
        .collect();
    let message = match consts {
        Some(choices) if !choices.is_empty() => format!("must be one of {}", choices.join(", ")),
        _ => {
            let mut reasons = Vec::new();
            for cause in real {
                let mut inner = Vec::new();
                leaves(cause, &mut inner);
                reasons.extend(inner.into_iter().map(|(_, _, r)| r));
            }
            reasons.dedup();
            reasons.join(", or ")
        }
    };
    out.push((path.clone(), Target::Value, message));
}

/// The fields a mapping in the schema allows, for "unknown field" messages.
fn allowed_fields(schema_url: &str) -> String {
    let pointer = schema_url.split_once('#').map_or("", |(_, p)| p);
    let pointer = pointer.trim_end_matches("/additionalProperties");
    let names: Vec<String> = schema()
        .pointer(pointer)
        .and_then(|s| s.get("properties"))
        .and_then(Value::as_object)
        .map(|props| props.keys().map(|k| format!("`{k}`")).collect())
        .unwrap_or_default();
    if names.is_empty() {
        "listed in the schema".to_owned()
    } else {
        names.join(", ")
    }
}

fn literal(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn type_name(t: Type) -> &'static str {
    match t {
        Type::Null => "nothing (null)",
        Type::Boolean => "true or false",
        Type::Number => "a number",
        Type::Integer => "a whole number",
        Type::String => "text",
        Type::Array => "a list",
        Type::Object => "a mapping of fields",
    }
}

/// One violation in plain words.
fn reason(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::Type { got, want } => {
            let want: Vec<&str> = want
                .iter()
                .filter(|t| *t != Type::Null)
                .map(type_name)
                .collect();
            let hint = if want == ["text"] && matches!(got, Type::Number) {
                " (put version numbers in quotes, like \"24.2\")"
            } else {
                ""
            };
            format!(
                "expected {}, found {}{hint}",
                want.join(" or "),
                type_name(*got)
            )
        }
        ErrorKind::Enum { want } => {
            let choices: Vec<String> = want.iter().map(literal).collect();
            format!("must be one of {}", choices.join(", "))
        }
        ErrorKind::Const { want } => format!("must be {}", literal(want)),
        ErrorKind::Format { got, want, .. } if *want == "date" => {
            let text = literal(got);
            crate::dates::Date::parse(&text)
                .err()
                .unwrap_or_else(|| format!("{text:?} is not a real date"))
        }
        ErrorKind::Pattern { got, want } => {
            let text = got.to_string();
            if *want == Version::PATTERN {
                Version::parse(&text).err()
            } else if *want == LastDone::PATTERN {
                Some(format!(
                    "{text:?} is not a date: write it as YYYY-MM-DD, like 2025-03-31, or write never"
                ))
            } else {
                crate::slugs::validate_slug(&text).err()
            }
            .unwrap_or_else(|| format!("{text:?} does not match the pattern {want}"))
        }
        ErrorKind::Minimum { got, want } => format!("must be at least {want}, found {got}"),
        ErrorKind::Maximum { got, want } => format!("must be at most {want}, found {got}"),
        other => other.to_string(),
    }
}

/// Checks across fields that a schema cannot express.
fn consistency(yaml: &str, config: &Configuration) -> Vec<ConfigError> {
    let mut errors = Vec::new();
    let mut error = |path: FieldPath, target: Target, reason: String| {
        errors.push(ConfigError {
            position: locate(yaml, &path, target),
            path: path.to_string(),
            reason,
        })
    };
    let key = |k: &str| Step::Key(k.to_owned());

    let user_policies = config.user_policies.as_deref().unwrap_or_default();
    let computer_policies = config.computer_policies.as_deref().unwrap_or_default();
    let names = [
        (
            "user_policies",
            user_policies
                .iter()
                .map(|p| (p.name.as_str(), p.default))
                .collect::<Vec<_>>(),
        ),
        (
            "computer_policies",
            computer_policies
                .iter()
                .map(|p| (p.name.as_str(), p.default))
                .collect(),
        ),
    ];
    for (section, policies) in names {
        let base = FieldPath(vec![key(section)]);
        for (i, (name, default)) in policies.iter().enumerate() {
            let item = base.child(Step::Index(i));
            if let Some(first) = policies[..i].iter().position(|(n, _)| n == name) {
                error(
                    item.child(key("name")),
                    Target::Value,
                    format!("the name {name:?} is already used by {section}[{first}]"),
                );
            }
            if *default && policies[..i].iter().any(|(_, d)| *d) {
                error(
                    item.child(key("default")),
                    Target::Value,
                    "only one policy can be the default".to_owned(),
                );
            }
        }
    }

    for (i, policy) in user_policies.iter().enumerate() {
        for (j, pair) in policy.factor_pairs.iter().flatten().enumerate() {
            let allowed = pair.first.allowed_second_factors();
            for (k, second) in pair.second.iter().enumerate() {
                if !allowed.contains(second) {
                    let names: Vec<&str> = allowed.iter().map(|s| s.as_str()).collect();
                    error(
                        FieldPath(vec![
                            key("user_policies"),
                            Step::Index(i),
                            key("factor_pairs"),
                            Step::Index(j),
                            key("second"),
                            Step::Index(k),
                        ]),
                        Target::Value,
                        format!(
                            "{} cannot follow {}: the second factors offered after it are {}",
                            second.as_str(),
                            pair.first.label(),
                            names.join(", ")
                        ),
                    );
                }
            }
        }
    }

    for (i, policy) in computer_policies.iter().enumerate() {
        if let (Some(lock), Some(warning)) = (policy.inactivity_lock_s, policy.lock_warning_s) {
            if lock.get() > 0 && warning > lock {
                error(
                    FieldPath(vec![
                        key("computer_policies"),
                        Step::Index(i),
                        key("lock_warning_s"),
                    ]),
                    Target::Value,
                    format!(
                        "the warning ({warning}) cannot be longer than the time before the lock ({lock})"
                    ),
                );
            }
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::locate::Position;

    fn errors(yaml: &str) -> Vec<ConfigError> {
        parse(yaml).expect_err("should be refused")
    }

    fn at(line: usize, column: usize) -> Option<Position> {
        Some(Position { line, column })
    }

    /// Where each error is and which field it names.
    fn places(found: &[ConfigError]) -> Vec<(Option<Position>, &str)> {
        found
            .iter()
            .map(|e| (e.position, e.path.as_str()))
            .collect()
    }

    const MINIMAL: &str = "schema_version: 1\norganisation: nhs-fife\n";

    #[test]
    fn a_minimal_configuration_is_valid_and_knows_nothing_else() {
        let config = parse(MINIMAL).unwrap();
        assert_eq!(config.organisation, "nhs-fife");
        assert_eq!(config.remote_access, None);
        // Null is the same answer as leaving the field out: not known.
        let config = parse(&format!("{MINIMAL}remote_access: null\noperations: ~\n")).unwrap();
        assert_eq!((config.remote_access, config.operations), (None, None));
        // An empty list is an answer: there are none.
        let config = parse(&format!("{MINIMAL}remote_access: []\n")).unwrap();
        assert_eq!(config.remote_access, Some(vec![]));
    }

    #[test]
    fn every_error_is_reported_with_line_column_field_and_reason() {
        let yaml = "\
schema_version: 1
organisation: nhs-fife
deployment:
  product: imprivata-eam
  enviroment: production
  appliances:
    - name: a
      placement: outside
computer_policies:
  - name: Wards
    inactivity_lock_s: five minutes
    tap_to_lock: yes please
operations:
  training_coverage_percent: 120
  backup_last_tested: last spring
";
        let found = errors(yaml);
        assert_eq!(
            places(&found),
            [
                (at(5, 3), "deployment.enviroment"),
                (at(8, 18), "deployment.appliances[0].placement"),
                (at(11, 24), "computer_policies[0].inactivity_lock_s"),
                (at(12, 18), "computer_policies[0].tap_to_lock"),
                (at(14, 30), "operations.training_coverage_percent"),
                (at(15, 23), "operations.backup_last_tested"),
            ],
            "{found:#?}"
        );
        let reason = |path: &str| {
            found
                .iter()
                .find(|e| e.path == path)
                .map(|e| e.reason.clone())
                .unwrap()
        };
        let unknown = reason("deployment.enviroment");
        assert!(
            unknown.starts_with("unknown field `enviroment`"),
            "{unknown}"
        );
        assert!(unknown.contains("`environment`"), "{unknown}");
        assert_eq!(
            reason("deployment.appliances[0].placement"),
            "must be one of internal, dmz, internet-facing"
        );
        assert_eq!(
            reason("computer_policies[0].inactivity_lock_s"),
            "expected a whole number, found text"
        );
        assert_eq!(
            reason("computer_policies[0].tap_to_lock"),
            "expected true or false, found text"
        );
        assert_eq!(
            reason("operations.training_coverage_percent"),
            "must be at most 100, found 120"
        );
        assert!(reason("operations.backup_last_tested").contains("or write never"));
        assert_eq!(
            found[0].to_string(),
            format!("5:3: deployment.enviroment: {unknown}")
        );
    }

    #[test]
    fn missing_fields_point_at_the_mapping_they_belong_in() {
        let found = errors("organisation: nhs-fife\nremote_access:\n  - mfa_enforced: true\n");
        let summary: Vec<(Option<Position>, &str, &str)> = found
            .iter()
            .map(|e| (e.position, e.path.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (at(1, 1), "schema_version", "missing field `schema_version`"),
                (at(3, 5), "remote_access[0].name", "missing field `name`"),
            ]
        );
    }

    #[test]
    fn dates_versions_and_slugs_are_checked_with_advice() {
        let found = errors(
            "schema_version: 1\norganisation: NHS Fife\nas_of: 2026-02-30\nspine:\n  enabled: true\n  identity_agent_version: 2.4\n",
        );
        let reasons: Vec<(&str, &str)> = found
            .iter()
            .map(|e| (e.path.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(reasons.len(), 3, "{reasons:?}");
        assert!(reasons[0].0 == "organisation" && reasons[0].1.contains("not a valid slug"));
        assert_eq!(reasons[1].0, "as_of");
        assert!(reasons[1].1.contains("not a real date"), "{}", reasons[1].1);
        assert_eq!(reasons[2].0, "spine.identity_agent_version");
        assert!(reasons[2].1.contains("in quotes"), "{}", reasons[2].1);
    }

    #[test]
    fn broken_yaml_is_one_located_error() {
        let found = errors("schema_version: 1\norganisation: [nhs-fife\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].position.is_some(), "{found:?}");
        let empty = errors("");
        assert_eq!(empty.len(), 1, "{empty:?}");
        assert!(empty[0].reason.contains("a mapping of fields"), "{empty:?}");
    }

    #[test]
    fn checks_across_fields_are_located_too() {
        let yaml = "\
schema_version: 1
organisation: nhs-fife
user_policies:
  - name: Clinical
    default: true
    factor_pairs:
      - first: proximity-card
        second: [pin, card-pin]
  - name: Clinical
    default: true
computer_policies:
  - name: Wards
    inactivity_lock_s: 60
    lock_warning_s: 120
";
        let found = errors(yaml);
        assert_eq!(
            places(&found),
            [
                (at(8, 23), "user_policies[0].factor_pairs[0].second[1]"),
                (at(9, 11), "user_policies[1].name"),
                (at(10, 14), "user_policies[1].default"),
                (at(14, 21), "computer_policies[0].lock_warning_s"),
            ],
            "{found:#?}"
        );
        assert!(found[0]
            .reason
            .contains("card-pin cannot follow proximity card"));
    }

    #[test]
    fn every_demo_configuration_is_valid_and_names_an_existing_organisation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = root.join("content/access");
        let mut checked = 0;
        let mut organisations = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let config = parse(&text).unwrap_or_else(|errors| {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("{}:\n{}", path.display(), lines.join("\n"))
            });
            let stem = path.file_stem().unwrap().to_str().unwrap();
            assert_eq!(config.organisation, stem, "{}", path.display());
            let org = root.join(format!("content/organisations/{stem}.md"));
            assert!(org.is_file(), "{} names no organisation", path.display());
            organisations.insert(stem.to_owned());
            checked += 1;
        }
        assert!(checked >= 5, "only {checked} demo configurations");
        assert_eq!(organisations.len(), checked);
    }

    #[test]
    fn the_demo_configurations_tell_different_stories() {
        use crate::access::{evaluate, Outcome};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/access");
        let today = crate::dates::Date::parse("2026-03-15").unwrap();
        let check = |slug: &str| {
            let text = std::fs::read_to_string(root.join(format!("{slug}.yaml"))).unwrap();
            evaluate(&parse(&text).unwrap(), today)
        };
        let failing = |slug: &str| -> Vec<&'static str> {
            check(slug).must_failures().map(|f| f.rule.code).collect()
        };
        // The pilot board is ahead on everything.
        let fife = check("nhs-fife");
        assert_eq!(fife.count(Outcome::Fail) + fife.count(Outcome::Unknown), 0);
        // A trust with a remote-access gap.
        assert_eq!(failing("leeds-teaching-hospitals"), ["MFA-01"]);
        // A board that never tested its backups.
        assert_eq!(failing("nhs-lothian"), ["BAK-01"]);
        // Every must rule passes, some should rules fail.
        let nnuh = check("norfolk-and-norwich-university-hospitals");
        assert_eq!(nnuh.must_failures().count(), 0);
        assert!(nnuh.finding("APL-03").unwrap().outcome == Outcome::Fail);
        // A first draft: much not recorded yet.
        let newcastle = check("newcastle-upon-tyne-hospitals");
        assert!(newcastle.count(Outcome::Unknown) >= 8);
        assert_eq!(newcastle.must_failures().count(), 0);
    }
}

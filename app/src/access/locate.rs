//! Finding where a field sits in YAML text, so that an error found on the parsed value (by the
//! schema validator, or a check across fields) can name the line and column to fix.
//!
//! The YAML parser knows positions but builds no tree that keeps them; instead the text is read
//! again, walking down the path and skipping everything else, and a deliberate error is raised
//! at the node sought: the parser stamps its position on the error.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// One step of a path: a field of a mapping or an item of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A field.
    Key(String),
    /// An item, counted from 0.
    Index(usize),
}

/// A path from the top of the document, shown as `deployment.appliances[0].placement`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Step>);

impl FieldPath {
    /// This path with one more step.
    pub fn child(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        Self(steps)
    }

    /// Whether this is the whole document.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => f.write_str(k)?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Which part of the last step to point at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// The value (for a wrong value, or a mapping missing a field).
    Value,
    /// The field's name (for a field that should not be there).
    Key,
}

/// A line and column, both from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1.
    pub column: usize,
}

/// Where `path` is in `yaml`; `None` when the text does not contain it.
pub fn locate(yaml: &str, path: &FieldPath, target: Target) -> Option<Position> {
    let seed = Seek {
        rest: &path.0,
        target,
    };
    let error = seed
        .deserialize(yaml_serde::Deserializer::from_str(yaml))
        .err()?;
    // Only the error raised on purpose locates the node; a parse error elsewhere does not.
    if !error.to_string().contains(MARKER) {
        return None;
    }
    error.location().map(|l| Position {
        line: l.line(),
        column: l.column(),
    })
}

const MARKER: &str = "located here";

/// Walks down the remaining steps.
struct Seek<'a> {
    rest: &'a [Step],
    target: Target,
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.rest.split_first() else {
            return Err(de::Error::custom(MARKER));
        };
        let Step::Key(wanted) = first else {
            return drain_map(map);
        };
        let key_is_target = rest.is_empty() && self.target == Target::Key;
        while let Some(found) = map.next_key_seed(KeySeek {
            wanted,
            raise: key_is_target,
        })? {
            if found {
                return map.next_value_seed(Seek {
                    rest,
                    target: self.target,
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.rest.split_first() else {
            return Err(de::Error::custom(MARKER));
        };
        let Step::Index(wanted) = *first else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return Ok(());
        };
        for _ in 0..wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
        }
        seq.next_element_seed(Seek {
            rest,
            target: self.target,
        })?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }
}

impl Seek<'_> {
    /// A scalar is the node sought when no steps remain; otherwise the path goes nowhere.
    fn scalar<E: de::Error>(self) -> Result<(), E> {
        if self.rest.is_empty() {
            Err(E::custom(MARKER))
        } else {
            Ok(())
        }
    }
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Reads one key: whether it is the one wanted, raising the marker on it when asked.
struct KeySeek<'a> {
    wanted: &'a str,
    raise: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeek<'_> {
    type Value = bool;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeek<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<bool, E> {
        match key == self.wanted {
            true if self.raise => Err(E::custom(MARKER)),
            found => Ok(found),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }
}

/// The YAML text with the value of `section.key`, a top-level mapping's field, set to `value`
/// (a YAML scalar), everything else kept as written, comments included: the value replaced on
/// its line (a comment after it kept), or the field added as the section's first, or the
/// section added at the end. `Err` says why it cannot be done by hand-free editing (the section
/// written inline, `operations: {}`); the caller checks the result like any text.
pub fn set_scalar(yaml: &str, section: &str, key: &str, value: &str) -> Result<String, String> {
    let mut lines: Vec<String> = yaml.lines().map(str::to_owned).collect();
    let field = FieldPath(vec![
        Step::Key(section.to_owned()),
        Step::Key(key.to_owned()),
    ]);
    if let Some(at) = locate(yaml, &field, Target::Value) {
        let line = lines
            .get_mut(at.line - 1)
            .ok_or("the value is not where it was found")?;
        let start = line
            .char_indices()
            .nth(at.column - 1)
            .map(|(i, _)| i)
            .ok_or("the value is not where it was found")?;
        if !line[..start].trim_end().ends_with(':') {
            return Err(format!("{section}.{key} is not written on one line"));
        }
        // A comment after the value stays, with the space before it.
        let rest = &line[start..];
        let comment = rest
            .find(" #")
            .map(|i| rest[rest[..=i].trim_end().len()..].to_owned())
            .unwrap_or_default();
        *line = format!("{}{value}{comment}", &line[..start]);
    } else if let Some(at) = locate(
        yaml,
        &FieldPath(vec![Step::Key(section.to_owned())]),
        Target::Key,
    ) {
        let header = &lines[at.line - 1];
        let after = header
            .split_once(':')
            .map(|(_, rest)| rest.trim())
            .unwrap_or_default();
        if !(after.is_empty() || after.starts_with('#')) {
            return Err(format!(
                "{section} is written on one line; write {key} in it by hand"
            ));
        }
        let own = header.len() - header.trim_start().len();
        let indent = lines[at.line..]
            .iter()
            .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .map(|l| l.len() - l.trim_start().len())
            .filter(|n| *n > own)
            .unwrap_or(own + 2);
        lines.insert(at.line, format!("{}{key}: {value}", " ".repeat(indent)));
    } else {
        lines.push(format!("{section}:"));
        lines.push(format!("  {key}: {value}"));
    }
    Ok(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(steps: &[Step]) -> FieldPath {
        FieldPath(steps.to_vec())
    }
    fn key(k: &str) -> Step {
        Step::Key(k.to_owned())
    }

    const YAML: &str = "\
organisation: nhs-fife
deployment:
  appliances:
    - name: one
      placement: internal
    - name: two
      placement: dmz
remote_access: []
";

    #[test]
    fn finds_values_keys_and_list_items() {
        let at = |line, column| Some(Position { line, column });
        assert_eq!(
            locate(YAML, &path(&[key("organisation")]), Target::Value),
            at(1, 15)
        );
        let placement = path(&[
            key("deployment"),
            key("appliances"),
            Step::Index(1),
            key("placement"),
        ]);
        assert_eq!(locate(YAML, &placement, Target::Value), at(7, 18));
        assert_eq!(locate(YAML, &placement, Target::Key), at(7, 7));
        let second = path(&[key("deployment"), key("appliances"), Step::Index(1)]);
        assert_eq!(locate(YAML, &second, Target::Value), at(6, 7));
        assert_eq!(
            locate(YAML, &path(&[key("remote_access")]), Target::Value),
            at(8, 16)
        );
        assert_eq!(locate(YAML, &path(&[]), Target::Value), at(1, 1));
    }

    #[test]
    fn a_path_that_is_not_there_has_no_position() {
        assert_eq!(locate(YAML, &path(&[key("spine")]), Target::Value), None);
        let beyond = path(&[key("deployment"), key("appliances"), Step::Index(5)]);
        assert_eq!(locate(YAML, &beyond, Target::Value), None);
    }

    #[test]
    fn paths_print_as_fields_and_indexes() {
        let p = path(&[key("user_policies"), Step::Index(2), key("lockout")]);
        assert_eq!(p.to_string(), "user_policies[2].lockout");
    }

    #[test]
    fn a_scalar_is_set_in_place_added_to_its_section_or_with_its_section() {
        let yaml = "schema_version: 1\norganisation: x\noperations:\n    # trained\n    training_coverage_percent: 80  # last audit\n    it_ot_separation: none\n";
        assert_eq!(
            set_scalar(yaml, "operations", "training_coverage_percent", "93").unwrap(),
            "schema_version: 1\norganisation: x\noperations:\n    # trained\n    training_coverage_percent: 93  # last audit\n    it_ot_separation: none\n"
        );
        assert_eq!(
            set_scalar(yaml, "operations", "backup_last_tested", "\"2026-01-10\"").unwrap(),
            "schema_version: 1\norganisation: x\noperations:\n    backup_last_tested: \"2026-01-10\"\n    # trained\n    training_coverage_percent: 80  # last audit\n    it_ot_separation: none\n"
        );
        assert_eq!(
            set_scalar(yaml, "spine", "grace_period_s", "300").unwrap(),
            format!("{yaml}spine:\n  grace_period_s: 300\n")
        );
        assert!(set_scalar("operations: {}\n", "operations", "it_ot_separation", "none").is_err());
    }
}

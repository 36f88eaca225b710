//! The JSON Schema of a configuration, derived from the Rust types so the two cannot drift, and
//! published at `/access/schema.json` for editors and other tools.

use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::model::Configuration;

/// The schema as JSON, generated once per process.
pub fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let generator = SchemaSettings::draft2020_12().into_generator();
        let mut value = generator.into_root_schema_for::<Configuration>().to_value();
        if let Some(root) = value.as_object_mut() {
            root.insert(
                "title".into(),
                "Trustshare access-management configuration".into(),
            );
        }
        value
    })
}

/// The schema as pretty-printed JSON text, as served.
pub fn schema_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        // Serialising a `Value` cannot fail: its keys are strings.
        serde_json::to_string_pretty(schema()).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_refuses_unknown_fields_everywhere() {
        let s = schema();
        assert_eq!(s["additionalProperties"], Value::Bool(false));
        let defs = s["$defs"].as_object().expect("definitions");
        for (name, def) in defs {
            if def.get("properties").is_some() {
                assert_eq!(
                    def["additionalProperties"],
                    Value::Bool(false),
                    "{name} must refuse unknown fields"
                );
            }
        }
    }

    #[test]
    fn schema_names_the_sections_and_requires_identity() {
        let s = schema();
        let props = s["properties"].as_object().unwrap();
        for section in [
            "deployment",
            "user_policies",
            "computer_policies",
            "application_profiles",
            "spine",
            "administrators",
            "remote_access",
            "operations",
        ] {
            assert!(props.contains_key(section), "{section} missing");
        }
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(required, ["schema_version", "organisation"]);
        assert!(schema_text().contains("\"$schema\""));
    }
}

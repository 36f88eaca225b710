//! Access-management configurations as documents: each organisation's set-up of single sign-on
//! and access management (see [`crate::access`]), with revisions, review, history, visibility,
//! export and import like every kind. Its one field is the YAML text, kept as written (comments
//! and all); nothing is saved unless it reads as a configuration. Its page shows the
//! configuration in plain words with its scorecard.
//!
//! A configuration describes its own document: it names its organisation (one configuration per
//! organisation, at `/access/{organisation}`) and who may read it (`visibility:` in the YAML,
//! the organisation alone unless it says `network`; never public).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::access::present::{Scorecard, Section};
use crate::components::form::{Errors, FormError};
use crate::kind::{BodyUse, DocLink, FileFormat, Kind, KindNames};

pub mod sections;
pub mod waivers;

/// The configuration as YAML, its only format; a JSON file is YAML too.
pub const YAML: FileFormat = FileFormat {
    extension: "yaml",
    content_type: "application/yaml",
    label: "YAML",
};

/// The configuration as JSON, in the shape of the published schema.
pub const JSON: FileFormat = FileFormat {
    extension: "json",
    content_type: "application/json",
    label: "JSON",
};

/// The editor field (and front-matter name) of the YAML text.
pub const FIELD: &str = "configuration";

/// A configuration document's own field: the YAML text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigurationFields {
    #[serde(default)]
    pub configuration: String,
}

/// What a configuration's page shows beyond the common parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConfigurationPage {
    /// The configuration in plain words, and each rule's result.
    Readable {
        /// The day the facts were true, as the configuration says.
        as_of: Option<crate::dates::Date>,
        scorecard: Scorecard,
        sections: Vec<Section>,
    },
    /// Stored text this version cannot read (a newer format): why, and the text as it is.
    Unreadable { errors: Vec<String>, text: String },
}

/// The access-management configuration kind.
pub struct Configurations;

/// Where an organisation's publishers grant and withdraw waivers.
pub fn waivers_href(org_slug: &str) -> String {
    format!("/orgs/{org_slug}/access/waivers")
}

/// The text as kept: line endings as `\n`, no byte-order mark, one final newline.
fn normalise(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let text = text.trim_end();
    if text.trim().is_empty() {
        String::new()
    } else {
        format!("{text}\n")
    }
}

impl Kind for Configurations {
    type Fields = ConfigurationFields;
    type Form = ConfigurationFields;
    type Page = ConfigurationPage;

    const NAMES: KindNames = KindNames {
        code: "access",
        path: "access",
        label: "access-management configuration",
        plural_title: "Access-management configurations",
        short_plural: "Configurations",
        home_heading: "Access-management configurations",
    };
    const BODY: BodyUse = BodyUse {
        required: false,
        label: "Notes (optional)",
        heading: Some("Notes"),
        contents_list: false,
    };
    const SELF_DESCRIBING: bool = true;
    const FILE_FORMATS: &'static [FileFormat] = &[YAML, JSON];

    fn new_form(organisation: &str) -> ConfigurationFields {
        ConfigurationFields {
            configuration: format!(
                "# The access-management configuration of {organisation}; the format is the\n\
                 # JSON Schema at /access/schema.json. Leave out what is not known: the\n\
                 # scorecard shows it as unknown. Durations are in seconds.\n\
                 schema_version: 1\n\
                 organisation: {organisation}\n\
                 # visibility: network   # to share it with every member organisation\n"
            ),
        }
    }

    fn to_form(fields: &ConfigurationFields) -> ConfigurationFields {
        fields.clone()
    }

    fn read_form(form: &ConfigurationFields, _: &mut Vec<FormError>) -> ConfigurationFields {
        ConfigurationFields {
            configuration: normalise(&form.configuration),
        }
    }

    #[cfg(feature = "ssr")]
    fn check(
        fields: &ConfigurationFields,
        cx: crate::kind::CheckContext<'_>,
    ) -> Vec<crate::kind::Problem> {
        server::check(&fields.configuration, cx.organisation)
    }

    #[cfg(feature = "ssr")]
    fn describe(fields: &ConfigurationFields) -> Option<crate::kind::Described> {
        let config = crate::access::parse(&fields.configuration).ok()?;
        Some(crate::kind::Described {
            visibility: server::visibility(config.sharing()),
            as_of: config.as_of,
            organisation: config.organisation,
        })
    }

    #[cfg(feature = "ssr")]
    fn fields_from_file(text: &str) -> ConfigurationFields {
        ConfigurationFields {
            configuration: normalise(text),
        }
    }

    #[cfg(feature = "ssr")]
    fn to_file(fields: &ConfigurationFields, format: &FileFormat) -> Result<String, String> {
        server::to_file(&fields.configuration, format)
    }

    #[cfg(feature = "ssr")]
    fn file_title(fields: &ConfigurationFields, organisation_name: &str) -> (String, String) {
        server::title(&fields.configuration, organisation_name)
    }

    fn links(_: &ConfigurationFields) -> Vec<DocLink> {
        Vec::new()
    }

    fn diff_text(fields: &ConfigurationFields) -> Vec<(&'static str, String)> {
        vec![("Configuration", fields.configuration.clone())]
    }

    #[cfg(feature = "ssr")]
    fn page(
        fields: ConfigurationFields,
        _: Vec<crate::kind::LinkedDoc>,
        today: crate::dates::Date,
    ) -> ConfigurationPage {
        server::page(fields.configuration, today)
    }

    /// The organisation's waivers on the scorecard, judged as of the page's day, and where its
    /// publishers manage them.
    #[cfg(feature = "ssr")]
    fn complete_page(
        mut page: ConfigurationPage,
        cx: crate::kind::PageContext<'_>,
    ) -> crate::kind::PageFuture<'_, ConfigurationPage> {
        Box::pin(async move {
            if let ConfigurationPage::Readable { scorecard, .. } = &mut page {
                let all = waivers::for_org(cx.db, cx.org_id).await?;
                scorecard.note_waivers(|code| waivers::newest_note(&all, code, cx.today));
                if cx.viewer.can_waive_for(cx.org_id) {
                    scorecard.waivers_href = Some(waivers_href(cx.org_slug));
                }
            }
            Ok(page)
        })
    }

    #[cfg(feature = "ssr")]
    fn search(fields: &ConfigurationFields) -> crate::kind::SearchFields {
        let text = match crate::access::parse(&fields.configuration) {
            Ok(config) => {
                crate::access::present::plain_text(&crate::access::present::sections(&config))
            }
            // Stored text this version cannot read is still found by its words.
            Err(_) => vec![fields.configuration.clone()],
        };
        crate::kind::SearchFields {
            text,
            facets: Vec::new(),
        }
    }

    fn page_view(page: ConfigurationPage) -> AnyView {
        view! { <sections::ConfigurationDetails page/> }.into_any()
    }

    fn form_view(form: ConfigurationFields, errors: Errors) -> AnyView {
        view! { <sections::ConfigurationFormSection form errors/> }.into_any()
    }
}

/// The parts that read configurations, which only the server does.
#[cfg(feature = "ssr")]
mod server {
    use super::{ConfigurationPage, FIELD, JSON, YAML};
    use crate::access::locate::{locate, FieldPath, Step, Target};
    use crate::access::model::Sharing;
    use crate::access::present::{sections, Scorecard};
    use crate::access::{evaluate, parse, ConfigError};
    use crate::dates::Date;
    use crate::kind::{FileFormat, Problem};
    use crate::limits::MAX_CONFIGURATION_BYTES;
    use crate::permissions::Visibility;

    /// Who may read a configuration, as the document's visibility.
    pub fn visibility(sharing: Sharing) -> Visibility {
        match sharing {
            Sharing::Organisation => Visibility::Organisation,
            Sharing::Network => Visibility::Network,
        }
    }

    /// An error as the editor shows it: where, which field, and why.
    fn message(e: &ConfigError) -> String {
        let mut m = match e.position {
            Some(p) => format!("Line {}, column {}", p.line, p.column),
            None => "The configuration".to_owned(),
        };
        if !e.path.is_empty() {
            m.push_str(&format!(", {}", e.path));
        }
        m.push_str(&format!(": {}", e.reason));
        m
    }

    /// Every problem with the text, each with its line; and a configuration must be about the
    /// organisation its document belongs to.
    pub fn check(yaml: &str, organisation: Option<&str>) -> Vec<Problem> {
        if yaml.trim().is_empty() {
            return vec![Problem::new(
                FIELD,
                "Enter the configuration as YAML, or upload a file",
            )];
        }
        if yaml.len() > MAX_CONFIGURATION_BYTES {
            return vec![Problem::new(
                FIELD,
                format!(
                    "The configuration is {} KiB; it can be at most {} KiB",
                    yaml.len().div_ceil(1024),
                    MAX_CONFIGURATION_BYTES / 1024
                ),
            )];
        }
        let config = match parse(yaml) {
            Ok(config) => config,
            Err(errors) => {
                return errors
                    .iter()
                    .map(|e| {
                        let problem = Problem::new(FIELD, message(e));
                        match e.position {
                            Some(p) => problem.on_line(p.line),
                            None => problem,
                        }
                    })
                    .collect();
            }
        };
        match organisation {
            Some(org) if config.organisation != org => {
                let path = FieldPath(vec![Step::Key("organisation".into())]);
                let e = ConfigError {
                    position: locate(yaml, &path, Target::Value),
                    path: "organisation".into(),
                    reason: format!(
                        "this configuration is {:?}'s, but it is saved as {org:?}'s: write organisation: {org}",
                        config.organisation
                    ),
                };
                let problem = Problem::new(FIELD, message(&e));
                vec![match e.position {
                    Some(p) => problem.on_line(p.line),
                    None => problem,
                }]
            }
            _ => Vec::new(),
        }
    }

    /// The text in a format of the kind: YAML as written, or JSON in the schema's shape.
    pub fn to_file(yaml: &str, format: &FileFormat) -> Result<String, String> {
        if *format == YAML {
            return Ok(yaml.to_owned());
        }
        if *format == JSON {
            let config = parse(yaml)
                .map_err(|errors| errors.first().map_or_else(String::new, |e| e.to_string()))?;
            let json = serde_json::to_string_pretty(&config).map_err(|e| e.to_string())?;
            return Ok(format!("{json}\n"));
        }
        Err(format!("no {} export", format.label))
    }

    /// The title and summary of an imported configuration.
    pub fn title(yaml: &str, organisation_name: &str) -> (String, String) {
        let title = format!("Access-management configuration: {organisation_name}");
        let count = |n: Option<usize>, one: &str, many: &str| match n {
            Some(1) => format!("1 {one}"),
            Some(n) => format!("{n} {many}"),
            None => format!("{many} not recorded"),
        };
        let summary = match parse(yaml) {
            Ok(c) => {
                let as_of = c.as_of.map(|d| format!(" as of {d}")).unwrap_or_default();
                format!(
                    "How {organisation_name} has set up single sign-on and access management{as_of}: {}, {} and {}, checked against best practice.",
                    count(c.user_policies.as_ref().map(Vec::len), "user policy", "user policies"),
                    count(c.computer_policies.as_ref().map(Vec::len), "computer policy", "computer policies"),
                    count(c.application_profiles.as_ref().map(Vec::len), "application enrolled for single sign-on", "applications enrolled for single sign-on"),
                )
            }
            Err(_) => {
                format!("How {organisation_name} has set up single sign-on and access management.")
            }
        };
        (title, summary)
    }

    /// The page: the configuration in plain words and its scorecard as of `today`.
    pub fn page(yaml: String, today: Date) -> ConfigurationPage {
        match parse(&yaml) {
            Ok(config) => ConfigurationPage::Readable {
                as_of: config.as_of,
                scorecard: Scorecard::of(&evaluate(&config, today)),
                sections: sections(&config),
            },
            Err(errors) => {
                tracing::error!(
                    errors = errors.len(),
                    "a stored configuration cannot be read"
                );
                ConfigurationPage::Unreadable {
                    errors: errors.iter().map(message).collect(),
                    text: yaml,
                }
            }
        }
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::kind::CheckContext;

    const FIFE: &str = "schema_version: 1\norganisation: nhs-fife\nvisibility: network\n";

    #[test]
    fn text_is_kept_with_unix_line_endings_and_one_final_newline() {
        assert_eq!(normalise("a: 1\r\nb: 2\r\n\r\n  "), "a: 1\nb: 2\n");
        assert_eq!(normalise("\u{feff}a: 1"), "a: 1\n");
        assert_eq!(normalise(" \n\t"), "");
    }

    #[test]
    fn each_error_names_line_column_and_field() {
        let fields = ConfigurationFields {
            configuration:
                "schema_version: 1\norganisation: nhs-fife\noperations:\n  backup_last_tesetd: 2025-01-01\n"
                    .into(),
        };
        let problems = Configurations::check(&fields, CheckContext::default());
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "configuration");
        assert_eq!(problems[0].line, Some(4));
        assert!(
            problems[0]
                .message
                .starts_with("Line 4, column 3, operations.backup_last_tesetd: unknown field"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn a_configuration_must_be_about_its_documents_organisation() {
        let fields = ConfigurationFields {
            configuration: FIFE.into(),
        };
        let own = CheckContext {
            organisation: Some("nhs-fife"),
        };
        assert!(Configurations::check(&fields, own).is_empty());
        let other = CheckContext {
            organisation: Some("nhs-tayside"),
        };
        let problems = Configurations::check(&fields, other);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(2));
        assert!(problems[0].message.contains("organisation: nhs-tayside"));
    }

    #[test]
    fn it_says_who_may_read_it_and_is_never_public() {
        let network = Configurations::describe(&ConfigurationFields {
            configuration: FIFE.into(),
        })
        .unwrap();
        assert_eq!(network.visibility, crate::permissions::Visibility::Network);
        assert_eq!(network.organisation, "nhs-fife");
        let default = Configurations::describe(&ConfigurationFields {
            configuration: "schema_version: 1\norganisation: nhs-fife\n".into(),
        })
        .unwrap();
        assert_eq!(
            default.visibility,
            crate::permissions::Visibility::Organisation
        );
        let public = ConfigurationFields {
            configuration: "schema_version: 1\norganisation: nhs-fife\nvisibility: public\n".into(),
        };
        assert!(Configurations::describe(&public).is_none());
        assert!(Configurations::check(&public, CheckContext::default())[0]
            .message
            .contains("must be one of organisation, network"));
    }

    #[test]
    fn the_starting_text_is_a_valid_configuration() {
        let form = Configurations::new_form("nhs-fife");
        let fields = Configurations::read_form(&form, &mut Vec::new());
        let own = CheckContext {
            organisation: Some("nhs-fife"),
        };
        assert!(Configurations::check(&fields, own).is_empty());
    }

    #[test]
    fn json_exports_read_back_as_the_same_configuration() {
        let yaml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../content/access/nhs-fife.yaml"
        ))
        .unwrap();
        let fields = ConfigurationFields {
            configuration: yaml.clone(),
        };
        let json = Configurations::to_file(&fields, &JSON).unwrap();
        let back = crate::access::parse(&json).unwrap();
        assert_eq!(back, crate::access::parse(&yaml).unwrap());
        assert_eq!(Configurations::to_file(&fields, &YAML).unwrap(), yaml);
    }
}

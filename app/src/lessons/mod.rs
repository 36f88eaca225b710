//! Lessons learned: what an organisation learned in a phase of its programme, told in a fixed
//! structure, with links to the plans and guides it concerns and the codes of the access-management
//! rules it is about (each rule's page lists the lessons naming it).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::components::form::{Errors, FormError};
use crate::kind::{BodyUse, DocLink, Kind, KindNames, LinkedDoc, SearchFacet};
use crate::limits::{self, MAX_RELATED, MAX_SLUG_CHARS};

pub mod sections;

crate::coded_enum! {
    /// Where in a programme a lesson was learned.
    #[derive(Default)]
    pub enum LessonPhase ("phase") {
        Procurement = "procurement", "Procurement";
        Pilot = "pilot", "Pilot";
        #[default]
        Rollout = "rollout", "Rollout";
        BusinessAsUsual = "business-as-usual", "Business as usual";
    }
}

/// What a lesson learned has beyond the common fields. The texts are Markdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFields {
    /// Required: every lesson says where in the programme it was learned.
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
    /// The codes of the rules of the access-management catalogue it concerns (`MFA-01`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
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

/// The lesson part of the editor form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LessonForm {
    pub phase: String,
    pub context: String,
    pub what_happened: String,
    pub what_worked: String,
    pub do_differently: String,
    pub recommendation: String,
    /// One `guides/slug` or `plans/slug` per line.
    pub related: String,
    /// Rule codes separated by commas or spaces.
    pub rules: String,
}

/// What a lesson's page shows beyond the common parts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonPage {
    pub phase: LessonPhase,
    /// (heading, sanitised HTML) in reading order; empty sections left out.
    pub sections: Vec<(String, String)>,
    /// The plans and guides it concerns that the viewer may read.
    pub related: Vec<LinkedDoc>,
    /// The rules it concerns, each with its title and page.
    #[serde(default)]
    pub rules: Vec<LinkedDoc>,
}

/// Most rules a lesson names.
pub const MAX_RULES: usize = 20;

/// The rules a lesson names, as typed (commas, spaces or lines between codes), each a code of
/// the catalogue; `Err` says which is not and why.
pub fn parse_rules(typed: &str) -> Result<Vec<String>, String> {
    let codes: Vec<&str> = typed
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .collect();
    if codes.len() > MAX_RULES {
        return Err(format!(
            "Rules this lesson concerns: name at most {MAX_RULES} (you named {})",
            codes.len()
        ));
    }
    let mut rules: Vec<String> = Vec::new();
    for code in codes {
        let code = code.to_ascii_uppercase();
        check_rule(&code)?;
        if !rules.contains(&code) {
            rules.push(code);
        }
    }
    Ok(rules)
}

/// `Err` when `code` is not a rule of the catalogue.
fn check_rule(code: &str) -> Result<(), String> {
    if crate::access::Rule::find(code).is_some() {
        return Ok(());
    }
    let shown: String = code.chars().take(12).collect();
    Err(format!(
        "Rules this lesson concerns: {shown} is not a rule of the catalogue (codes look like MFA-01; the list is at /access/rules)"
    ))
}

/// A rule a lesson names, as its page links it.
#[cfg(feature = "ssr")]
fn rule_link(code: &str) -> LinkedDoc {
    match crate::access::Rule::find(code) {
        Some(rule) => LinkedDoc {
            href: rule.href(),
            title: format!("{code} {}", rule.title),
        },
        // A rule withdrawn from the catalogue after the lesson was approved.
        None => LinkedDoc {
            href: "/access/rules".into(),
            title: code.to_owned(),
        },
    }
}

/// The kinds a lesson may link to, by path.
const LINKABLE: [&str; 2] = ["guides", "plans"];

/// Longest related link: `/`, a kind's path, `/` and a slug.
const RELATED_CHARS: usize = MAX_SLUG_CHARS + 10;

/// The field names of [`LessonFields::sections`], in the same order.
#[cfg(feature = "ssr")]
const SECTION_FIELDS: [&str; 5] = [
    "context",
    "what_happened",
    "what_worked",
    "do_differently",
    "recommendation",
];

/// A link to a plan or guide, written `plans/slug` or `guides/slug` (a leading `/` is allowed).
pub fn parse_related(value: &str) -> Result<DocLink, String> {
    let v = value.trim().trim_start_matches('/');
    let (kind_path, slug) = v.split_once('/').ok_or_else(|| {
        format!("{value:?} should look like guides/fast-user-switching or plans/nhs-fife-rollout")
    })?;
    if !LINKABLE.contains(&kind_path) {
        return Err(format!(
            "{value:?}: a lesson can link to guides/… or plans/… only"
        ));
    }
    crate::slugs::validate_slug(slug).map_err(|m| format!("{value:?}: {m}"))?;
    Ok(DocLink {
        kind_path: kind_path.to_owned(),
        slug: slug.to_owned(),
        field: "related",
    })
}

/// The lesson kind.
pub struct Lessons;

impl Kind for Lessons {
    type Fields = LessonFields;
    type Form = LessonForm;
    type Page = LessonPage;

    const NAMES: KindNames = KindNames {
        code: "lesson",
        path: "lessons",
        label: "lesson learned",
        plural_title: "Lessons learned",
        short_plural: "Lessons",
        home_heading: "Lessons learned",
    };
    const BODY: BodyUse = BodyUse {
        required: false,
        label: "Further notes (optional)",
        heading: Some("Further notes"),
        contents_list: false,
    };
    const SEARCH_FACETS: &'static [SearchFacet] = &[SearchFacet {
        name: "phase",
        title: "Lesson phase",
    }];

    fn to_form(f: &LessonFields) -> LessonForm {
        LessonForm {
            phase: f.phase.as_str().to_owned(),
            context: f.context.clone(),
            what_happened: f.what_happened.clone(),
            what_worked: f.what_worked.clone(),
            do_differently: f.do_differently.clone(),
            recommendation: f.recommendation.clone(),
            related: f.related.join("\n"),
            rules: f.rules.join(", "),
        }
    }

    fn read_form(form: &LessonForm, errors: &mut Vec<FormError>) -> LessonFields {
        let phase = LessonPhase::parse(&form.phase).unwrap_or_else(|_| {
            errors.push(FormError::new(
                "phase",
                "Choose the phase in which the lesson was learned",
            ));
            LessonPhase::default()
        });
        let mut related = Vec::new();
        let lines: Vec<&str> = form
            .related
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.len() > MAX_RELATED {
            errors.push(FormError::new(
                "related",
                format!(
                    "Related plans and guides: give at most {MAX_RELATED} (you gave {})",
                    lines.len()
                ),
            ));
        } else {
            for (i, line) in lines.into_iter().enumerate() {
                if limits::over(line, RELATED_CHARS) {
                    errors.push(FormError::new(
                        "related",
                        format!(
                            "Related plans and guides: line {} must be {RELATED_CHARS} characters or fewer",
                            i + 1
                        ),
                    ));
                    continue;
                }
                match parse_related(line) {
                    Ok(link) => related.push(link.as_path()),
                    Err(m) => errors.push(FormError::new("related", m)),
                }
            }
        }
        let rules = parse_rules(&form.rules).unwrap_or_else(|m| {
            errors.push(FormError::new("rules", m));
            Vec::new()
        });
        LessonFields {
            rules,
            phase,
            context: form.context.trim().into(),
            what_happened: form.what_happened.trim().into(),
            what_worked: form.what_worked.trim().into(),
            do_differently: form.do_differently.trim().into(),
            recommendation: form.recommendation.trim().into(),
            related,
        }
    }

    #[cfg(feature = "ssr")]
    fn check(fields: &LessonFields, _: crate::kind::CheckContext<'_>) -> Vec<crate::kind::Problem> {
        use crate::kind::Problem;
        use crate::limits::MAX_SECTION_CHARS;
        let mut problems = Vec::new();
        for (field, text, message) in [
            ("context", &fields.context, "Describe the context"),
            (
                "what_happened",
                &fields.what_happened,
                "Describe what happened",
            ),
            (
                "recommendation",
                &fields.recommendation,
                "Enter your recommendation for other organisations",
            ),
        ] {
            if text.trim().is_empty() {
                problems.push(Problem::new(field, message));
            }
        }
        for (field, (heading, text)) in SECTION_FIELDS.iter().zip(fields.sections()) {
            if let Some(m) = limits::too_long(heading, text, MAX_SECTION_CHARS) {
                problems.push(Problem::new(*field, m));
            }
        }
        if fields.rules.len() > MAX_RULES {
            problems.push(Problem::new(
                "rules",
                format!(
                    "Rules this lesson concerns: name at most {MAX_RULES} (you named {})",
                    fields.rules.len()
                ),
            ));
        } else if let Some(m) = fields.rules.iter().find_map(|c| check_rule(c).err()) {
            problems.push(Problem::new("rules", m));
        }
        if fields.related.len() > MAX_RELATED {
            problems.push(Problem::new(
                "related",
                format!(
                    "Related plans and guides: give at most {MAX_RELATED} (you gave {})",
                    fields.related.len()
                ),
            ));
            return problems;
        }
        for (i, link) in fields.related.iter().enumerate() {
            if limits::over(link, RELATED_CHARS) {
                problems.push(Problem::new(
                    "related",
                    format!(
                        "Related plans and guides: link {} must be {RELATED_CHARS} characters or fewer",
                        i + 1
                    ),
                ));
            } else if let Err(m) = parse_related(link) {
                problems.push(Problem::new("related", m));
            }
        }
        problems
    }

    fn links(fields: &LessonFields) -> Vec<DocLink> {
        fields
            .related
            .iter()
            .filter_map(|r| parse_related(r).ok())
            .collect()
    }

    fn diff_text(l: &LessonFields) -> Vec<(&'static str, String)> {
        let mut text = vec![("Phase", l.phase.label().to_owned())];
        for (heading, body) in l.sections() {
            text.push((heading, body.to_owned()));
        }
        text.push(("Related", l.related.join("\n")));
        text.push(("Rules", l.rules.join(", ")));
        text
    }

    #[cfg(feature = "ssr")]
    fn page(fields: LessonFields, links: Vec<LinkedDoc>, _: crate::dates::Date) -> LessonPage {
        LessonPage {
            phase: fields.phase,
            sections: fields
                .sections()
                .iter()
                .filter(|(_, text)| !text.trim().is_empty())
                .map(|(heading, text)| ((*heading).to_owned(), crate::markdown::render(text).html))
                .collect(),
            related: links,
            rules: fields.rules.iter().map(|c| rule_link(c)).collect(),
        }
    }

    #[cfg(feature = "ssr")]
    fn search(fields: &LessonFields) -> crate::kind::SearchFields {
        crate::kind::SearchFields {
            text: fields
                .sections()
                .iter()
                .map(|(_, text)| crate::markdown::plain_text(text))
                .chain(fields.rules.iter().map(|c| rule_link(c).title))
                .filter(|t| !t.is_empty())
                .collect(),
            facets: vec![crate::kind::FacetValue {
                name: "phase",
                value: fields.phase.as_str().to_owned(),
                label: fields.phase.label().to_owned(),
            }],
        }
    }

    fn page_view(lesson: LessonPage) -> AnyView {
        view! { <sections::LessonDetails lesson/> }.into_any()
    }

    fn form_view(form: LessonForm, errors: Errors) -> AnyView {
        view! { <sections::LessonFormSection form errors/> }.into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_links_name_a_guide_or_plan() {
        let link = parse_related("/guides/fast-user-switching").unwrap();
        assert_eq!(link.as_path(), "guides/fast-user-switching");
        assert!(parse_related("lessons/x").is_err());
        assert!(parse_related("guides/Bad Slug").is_err());
        assert!(parse_related("nonsense").is_err());
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn required_parts_of_the_account_are_named() {
        let mut errors = Vec::new();
        let fields = Lessons::read_form(
            &LessonForm {
                phase: "pilot".into(),
                ..Default::default()
            },
            &mut errors,
        );
        assert!(errors.is_empty());
        let problems: Vec<_> = Lessons::check(&fields, Default::default())
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(problems, ["context", "what_happened", "recommendation"]);
    }
}

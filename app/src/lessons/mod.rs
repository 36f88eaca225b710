//! Lessons learned: what an organisation learned in a phase of its programme, told in a fixed
//! structure, with links to the plans and guides it concerns.

use crate::documents::fields::{LessonFields, LessonPhase};
use crate::documents::model::{DocumentForm, FormError};
use crate::documents::{validate_slug, DocKind};

pub mod view;

/// Fills the lesson part of the form from stored fields.
pub fn fields_to_form(f: &LessonFields, form: &mut DocumentForm) {
    form.phase = f.phase.as_str().to_owned();
    form.context = f.context.clone();
    form.what_happened = f.what_happened.clone();
    form.what_worked = f.what_worked.clone();
    form.do_differently = f.do_differently.clone();
    form.recommendation = f.recommendation.clone();
    form.related = f.related.join("\n");
}

/// A link to a plan or guide, written `plans/slug` or `guides/slug` (a leading `/` is allowed).
pub fn parse_related(value: &str) -> Result<(DocKind, String), String> {
    let v = value.trim().trim_start_matches('/');
    let (kind, slug) = v.split_once('/').ok_or_else(|| {
        format!("{value:?} should look like guides/fast-user-switching or plans/nhs-fife-rollout")
    })?;
    let kind = match DocKind::parse(kind) {
        Some(k @ (DocKind::Guide | DocKind::Plan)) => k,
        _ => {
            return Err(format!(
                "{value:?}: a lesson can link to guides/… or plans/… only"
            ))
        }
    };
    validate_slug(slug).map_err(|m| format!("{value:?}: {m}"))?;
    Ok((kind, slug.to_owned()))
}

/// Reads the lesson part of the form, adding a message per field that is wrong.
pub fn form_to_fields(form: &DocumentForm, errors: &mut Vec<FormError>) -> LessonFields {
    let mut err = |field: &str, message: String| {
        errors.push(FormError {
            field: field.into(),
            message,
        })
    };
    let phase = LessonPhase::parse(&form.phase).unwrap_or_else(|| {
        err(
            "phase",
            "Choose the phase in which the lesson was learned".into(),
        );
        LessonPhase::default()
    });
    for (field, label) in [
        ("context", "Describe the context"),
        ("what_happened", "Describe what happened"),
        (
            "recommendation",
            "Enter your recommendation for other organisations",
        ),
    ] {
        if form_value(form, field).trim().is_empty() {
            err(field, label.into());
        }
    }
    let mut related = Vec::new();
    for line in form
        .related
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        match parse_related(line) {
            Ok((kind, slug)) => related.push(format!("{}/{slug}", kind.path())),
            Err(m) => err("related", m),
        }
    }
    LessonFields {
        phase,
        context: form.context.trim().into(),
        what_happened: form.what_happened.trim().into(),
        what_worked: form.what_worked.trim().into(),
        do_differently: form.do_differently.trim().into(),
        recommendation: form.recommendation.trim().into(),
        related,
    }
}

fn form_value<'a>(form: &'a DocumentForm, field: &str) -> &'a str {
    match field {
        "context" => &form.context,
        "what_happened" => &form.what_happened,
        _ => &form.recommendation,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn related_links_name_a_guide_or_plan() {
        assert_eq!(
            parse_related("/guides/fast-user-switching").unwrap(),
            (DocKind::Guide, "fast-user-switching".into())
        );
        assert!(parse_related("lessons/x").is_err());
        assert!(parse_related("guides/Bad Slug").is_err());
        assert!(parse_related("nonsense").is_err());
    }

    #[test]
    fn required_parts_of_the_account_are_named() {
        let mut errors = Vec::new();
        form_to_fields(
            &DocumentForm {
                phase: "pilot".into(),
                ..Default::default()
            },
            &mut errors,
        );
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["context", "what_happened", "recommendation"]);
    }
}

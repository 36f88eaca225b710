//! How a lesson learned looks, and the lesson part of the editor.

use leptos::prelude::*;

use super::{LessonForm, LessonPage, LessonPhase};
use crate::components::form::{form_name, Errors, Input, Select, TextArea};

/// The phase, the structured account and the related plans and guides.
#[component]
pub fn LessonDetails(lesson: LessonPage) -> impl IntoView {
    view! {
        <p><strong class="nhsuk-tag nhsuk-tag--purple">{format!("Phase: {}", lesson.phase.label())}</strong></p>
        {lesson.sections.into_iter().map(|(heading, html)| view! {
            <h2>{heading}</h2>
            <div class="ts-prose" inner_html=html></div>
        }).collect_view()}
        {(!lesson.related.is_empty()).then(|| view! {
            <h2>"Related plans and guides"</h2>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {lesson.related.into_iter().map(|link| view! { <li><a href=link.href>{link.title}</a></li> }).collect_view()}
            </ul>
        })}
        {(!lesson.rules.is_empty()).then(|| view! {
            <h2>"Rules this lesson concerns"</h2>
            <ul class="nhsuk-list nhsuk-list--bullet">
                {lesson.rules.into_iter().map(|link| view! { <li><a href=link.href>{link.title}</a></li> }).collect_view()}
            </ul>
        })}
    }
}

/// The lesson part of the editor.
#[component]
pub fn LessonFormSection(form: LessonForm, errors: Errors) -> impl IntoView {
    let e = errors;
    let mut phases = vec![(String::new(), "Choose a phase".to_owned())];
    phases.extend(
        LessonPhase::ALL
            .iter()
            .map(|p| (p.as_str().to_owned(), p.label().to_owned())),
    );
    view! {
        <h2 class="nhsuk-heading-m">"The lesson"</h2>
        <Select id="phase" name=form_name("phase") label="Phase" hint="Where in the programme the lesson was learned" options=phases selected=form.phase.clone() error=e.get("phase")/>
        <TextArea id="context" name=form_name("context") label="Context" hint="Markdown. The situation: where, when, what you were doing." value=form.context.clone() error=e.get("context")/>
        <TextArea id="what_happened" name=form_name("what_happened") label="What happened" value=form.what_happened.clone() error=e.get("what_happened")/>
        <TextArea id="what_worked" name=form_name("what_worked") label="What worked (optional)" value=form.what_worked.clone() error=e.get("what_worked")/>
        <TextArea id="do_differently" name=form_name("do_differently") label="What we would do differently (optional)" value=form.do_differently.clone() error=e.get("do_differently")/>
        <TextArea id="recommendation" name=form_name("recommendation") label="Recommendation" hint="What other organisations should do, in a sentence or two." value=form.recommendation.clone() error=e.get("recommendation") rows=3/>
        <TextArea id="related" name=form_name("related") label="Related plans and guides (optional)" hint="One per line, like guides/fast-user-switching-shared-ae-workstations or plans/nhs-fife-sso-rollout" value=form.related.clone() error=e.get("related") rows=3/>
        <Input id="rules" name=form_name("rules") label="Rules this lesson concerns (optional)" hint="Codes from the rule catalogue at /access/rules, separated by commas, like MFA-01, ADM-02" value=form.rules.clone() error=e.get("rules") spellcheck_off=true/>
    }
}

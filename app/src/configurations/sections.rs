//! How a configuration looks: its scorecard (each rule's result as a tag with its words, never
//! by colour alone, with what was observed and expected and the guide that explains it) and the
//! configuration in plain words; and the configuration part of the editor, a YAML text area
//! with each error beside it and a file upload, both working without JavaScript.

use leptos::prelude::*;

use super::{ConfigurationFields, ConfigurationPage, FIELD};
use crate::access::present::{Block, ScoreLine, Scorecard, Section};
use crate::access::{Outcome, Severity};
use crate::components::form::{form_name, Errors};
use crate::components::ui::TableHead;

/// The NHS.UK tag of an outcome, and its words.
fn outcome_tag(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Pass => ("nhsuk-tag nhsuk-tag--green", "Pass"),
        Outcome::Fail => ("nhsuk-tag nhsuk-tag--red", "Fail"),
        Outcome::Unknown => ("nhsuk-tag nhsuk-tag--yellow", "Unknown"),
        Outcome::NotApplicable => ("nhsuk-tag nhsuk-tag--grey", "Not applicable"),
    }
}

/// The tag of a failing rule that a waiver in force accepts for now.
const WAIVED_TAG: (&str, &str) = ("nhsuk-tag nhsuk-tag--blue", "Waived");

/// The NHS.UK tag of a rule's result on a scorecard, and its words: waived, or its outcome.
pub fn result_tag(line: &ScoreLine) -> (&'static str, &'static str) {
    if line.waived() {
        WAIVED_TAG
    } else {
        outcome_tag(line.outcome)
    }
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Must => "Must",
        Severity::Should => "Should",
        Severity::Advisory => "Advisory",
    }
}

/// The scorecard and the configuration, or why the stored text cannot be read.
#[component]
pub fn ConfigurationDetails(page: ConfigurationPage) -> impl IntoView {
    match page {
        ConfigurationPage::Unreadable { errors, text } => view! {
            <div class="nhsuk-card nhsuk-card--warning">
                <div class="nhsuk-card__content">
                    <h2 class="nhsuk-card__heading nhsuk-heading-s"><span class="nhsuk-u-visually-hidden">"Important: "</span>"This configuration cannot be read"</h2>
                    <p class="nhsuk-card__description">"It was saved in a form this version of Trustshare does not read, so it cannot be checked. Its text is shown as it is."</p>
                    <ul class="nhsuk-list nhsuk-list--bullet">
                        {errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                    </ul>
                </div>
            </div>
            <pre class="ts-markdown">{text}</pre>
        }
        .into_any(),
        ConfigurationPage::Readable {
            as_of,
            scorecard,
            sections,
        } => {
            let contents: Vec<(String, String)> = std::iter::once(("scorecard".to_owned(), "Scorecard".to_owned()))
                .chain(sections.iter().map(|s| (s.id.clone(), s.heading.clone())))
                .collect();
            view! {
                <nav class="nhsuk-contents-list" aria-label="On this page">
                    <h2 class="nhsuk-u-visually-hidden">"On this page"</h2>
                    <ol class="nhsuk-contents-list__list">
                        {contents.into_iter().map(|(id, heading)| view! {
                            <li class="nhsuk-contents-list__item"><a class="nhsuk-contents-list__link" href=format!("#{id}")>{heading}</a></li>
                        }).collect_view()}
                    </ol>
                </nav>
                {as_of.map(|d| view! { <p>"These are the facts as of "<time datetime=d.to_string()>{d.to_string()}</time>"."</p> })}
                <ScorecardView scorecard/>
                {sections.into_iter().map(|section| view! { <SectionView section/> }).collect_view()}
            }
            .into_any()
        }
    }
}

/// Each rule's result, with a summary of the counts and of the `must` rules not met.
#[component]
fn ScorecardView(scorecard: Scorecard) -> impl IntoView {
    let total = scorecard.lines.len();
    let mut counts: Vec<((&str, &str), usize)> = Outcome::ALL
        .iter()
        .map(|o| (outcome_tag(*o), scorecard.count(*o)))
        .collect();
    let waived = scorecard.waived();
    if waived > 0 {
        counts.insert(2, (WAIVED_TAG, waived));
    }
    let waivers_href = scorecard.waivers_href.clone();
    let failing = scorecard
        .must(Outcome::Fail)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let unknown = scorecard
        .must(Outcome::Unknown)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let rules = |n: usize| if n == 1 { "rule" } else { "rules" };
    let checked_on = scorecard.checked_on.to_string();
    view! {
        <h2 id="scorecard">"Scorecard"</h2>
        <p>{format!("Checked against {total} best-practice rules as of ")}<time datetime=checked_on.clone()>{checked_on.clone()}</time>"."</p>
        <ul class="nhsuk-list ts-score-counts" aria-label="Results">
            {counts.into_iter().map(|((class, label), n)| {
                view! { <li><strong class=class>{label}</strong>" "{format!("{n} {}", rules(n))}</li> }
            }).collect_view()}
        </ul>
        {(!failing.is_empty()).then(|| view! {
            <div class="nhsuk-card nhsuk-card--warning">
                <div class="nhsuk-card__content">
                    <h3 class="nhsuk-card__heading nhsuk-heading-s"><span class="nhsuk-u-visually-hidden">"Important: "</span>
                        {format!("{} must {} not met: {}", failing.len(), rules(failing.len()), failing.join(", "))}
                    </h3>
                    <p class="nhsuk-card__description">"A must rule is required by policy. Each is explained in the guide linked from its row below."</p>
                </div>
            </div>
        })}
        {(!unknown.is_empty()).then(|| view! {
            <div class="nhsuk-inset-text">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{format!("{} must {} cannot be checked because facts are missing: {}. Add them to the configuration.", unknown.len(), rules(unknown.len()), unknown.join(", "))}</p>
            </div>
        })}
        {waivers_href.clone().map(|href| view! {
            <p><a href=href>"Waive a failing rule or withdraw a waiver"</a></p>
        })}
        <table class="nhsuk-table ts-scorecard">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Each rule's result"</caption>
            <TableHead columns=vec!["Rule", "Severity", "Result", "Observed", "Expected"]/>
            <tbody class="nhsuk-table__body">
                {scorecard.lines.into_iter().map(|line| {
                    let (class, label) = result_tag(&line);
                    let guide = format!("/guides/{}", line.guide);
                    let waive = (line.outcome == Outcome::Fail && !line.waived())
                        .then(|| waivers_href.clone())
                        .flatten()
                        .map(|href| view! {
                            <br/><a href=format!("{href}?rule={}#waive", line.code)>"Waive this rule"<span class="nhsuk-u-visually-hidden">{format!(" ({})", line.code)}</span></a>
                        });
                    let waiver = line.waiver.clone().map(|w| {
                        let text = if w.lapsed {
                            format!("A waiver by {} lapsed after {}: {}", w.by, w.until, w.justification)
                        } else {
                            format!("Waived until {} by {}: {}", w.until, w.by, w.justification)
                        };
                        view! { <p class="nhsuk-body-s ts-waiver">{text}</p> }
                    });
                    view! {
                        <tr class="nhsuk-table__row" id=format!("rule-{}", line.code)>
                            <td class="nhsuk-table__cell">
                                <strong>{line.code.clone()}</strong>" "{line.title}
                                <br/><a href=guide>"Read the guide"<span class="nhsuk-u-visually-hidden">{format!(" for {}", line.code)}</span></a>
                                {waive}
                            </td>
                            <td class="nhsuk-table__cell">{severity_label(line.severity)}</td>
                            <td class="nhsuk-table__cell"><strong class=class>{label}</strong>{waiver}</td>
                            <td class="nhsuk-table__cell">{line.observed}</td>
                            <td class="nhsuk-table__cell">{line.expected}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// One section of the configuration: summary lists, tables and notes.
#[component]
fn SectionView(section: Section) -> impl IntoView {
    view! {
        <h2 id=section.id>{section.heading}</h2>
        {section.blocks.into_iter().map(|block| match block {
            Block::Facts { heading, facts } => view! {
                {heading.map(|h| view! { <h3>{h}</h3> })}
                <dl class="nhsuk-summary-list">
                    {facts.into_iter().map(|f| view! {
                        <div class="nhsuk-summary-list__row">
                            <dt class="nhsuk-summary-list__key">{f.label}</dt>
                            <dd class="nhsuk-summary-list__value">{f.value}</dd>
                        </div>
                    }).collect_view()}
                </dl>
            }.into_any(),
            Block::Table { caption, columns, rows } => view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption">{caption}</caption>
                    <thead class="nhsuk-table__head">
                        <tr class="nhsuk-table__row">
                            {columns.into_iter().map(|c| view! { <th class="nhsuk-table__header" scope="col">{c}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">
                        {rows.into_iter().map(|row| view! {
                            <tr class="nhsuk-table__row">
                                {row.into_iter().map(|cell| view! { <td class="nhsuk-table__cell">{cell}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
            Block::Note(text) => view! { <p>{text}</p> }.into_any(),
        }).collect_view()}
    }
}

/// The configuration part of the editor: the YAML, with every error listed beside it, and a
/// file to upload instead. The upload button sends the whole form (as multipart) to the upload
/// address, so what was typed elsewhere is kept.
#[component]
pub fn ConfigurationFormSection(form: ConfigurationFields, errors: Errors) -> impl IntoView {
    let messages: Vec<String> = errors
        .0
        .iter()
        .filter(|e| e.field == FIELD)
        .map(|e| e.message.clone())
        .collect();
    let upload_error = errors.get("upload");
    let has_errors = !messages.is_empty();
    let group = if has_errors {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let class = if has_errors {
        "nhsuk-textarea nhsuk-textarea--error ts-markdown"
    } else {
        "nhsuk-textarea ts-markdown"
    };
    let described = if has_errors {
        "configuration-hint configuration-error"
    } else {
        "configuration-hint"
    };
    let upload_group = if upload_error.is_some() {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    };
    let upload_described = if upload_error.is_some() {
        "upload-hint upload-error"
    } else {
        "upload-hint"
    };
    view! {
        <h2 class="nhsuk-heading-m">"The configuration"</h2>
        <div class=group>
            <label class="nhsuk-label" for=FIELD>"Configuration (YAML)"</label>
            <div class="nhsuk-hint" id="configuration-hint">
                "Written in the format of the "<a href="/access/schema.json">"configuration schema"</a>". "
                "Leave out what you do not know: the scorecard shows it as unknown, which is not the same as no or 0. "
                "Durations are in seconds. Only your organisation sees it once published, unless it says "<code>"visibility: network"</code>"."
            </div>
            {has_errors.then(|| view! {
                <div class="nhsuk-error-message" id="configuration-error">
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>
                    {if messages.len() == 1 {
                        "The configuration has a problem:".to_owned()
                    } else {
                        format!("The configuration has {} problems:", messages.len())
                    }}
                    <ul class="nhsuk-list nhsuk-list--bullet">
                        {messages.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                    </ul>
                </div>
            })}
            <textarea class=class id=FIELD name=form_name(FIELD) rows="24" spellcheck="false" aria-describedby=described>
                {form.configuration}
            </textarea>
        </div>
        <div class=upload_group>
            <label class="nhsuk-label" for="upload">"Or upload a file (optional)"</label>
            <div class="nhsuk-hint" id="upload-hint">"A .yaml or .json file, such as one you checked with trustshare access check. It replaces the text above, and is saved as a draft if it is valid; with no file chosen, the button saves the text as typed."</div>
            {upload_error.map(|e| view! {
                <span class="nhsuk-error-message" id="upload-error"><span class="nhsuk-u-visually-hidden">"Error: "</span>{e}</span>
            })}
            <input class="nhsuk-file-upload" id="upload" name="upload" type="file" accept=".yaml,.yml,.json,application/yaml,application/json" aria-describedby=upload_described/>
        </div>
        <button class="nhsuk-button nhsuk-button--secondary" type="submit" name=form_name("intent") value="save"
            formaction="/api/documents/upload" formenctype="multipart/form-data" formmethod="post">
            "Upload file and save draft"
        </button>
    }
}

//! Shortcodes resolved for one reader: their organisation's configuration, as far as they may
//! read it, checked as of the day with its waivers.

use std::collections::HashMap;

use super::Reference;
use crate::access::compare::Setting;
use crate::access::present::{ScoreLine, Scorecard};
use crate::access::{evaluate, Configuration, Rule};
use crate::components::escape_html as esc;
use crate::configurations::sections::result_tag;
use crate::configurations::{waivers, Configurations, YAML};
use crate::dates::Date;
use crate::db::Db;
use crate::documents::hooks::ResolveFuture;
use crate::documents::DocKind;
use crate::error::{AppError, AppResult};
use crate::kind::Kind as _;
use crate::markdown::{Resolved, Shortcode};
use crate::permissions::Viewer;

/// The configuration of the organisation at `slug` as the viewer may read it, or `None` when
/// they may not (or there is none, or it cannot be read): the same answer for each.
pub async fn readable_configuration(
    db: &Db,
    viewer: &Viewer,
    slug: &str,
) -> AppResult<Option<Configuration>> {
    let kind = DocKind::from_code(Configurations::NAMES.code).ok_or(AppError::Internal)?;
    match crate::documents::export::export_file(db, viewer, kind, slug, &YAML).await {
        Ok(yaml) => Ok(crate::access::parse(&yaml).ok()),
        Err(AppError::NotFound | AppError::Invalid(_) | AppError::Unreadable) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What a reader's own organisation has to show for references.
pub enum OwnResult {
    /// Not signed in: no organisation of their own.
    SignedOut,
    /// Their organisation has no configuration they may read.
    NoConfiguration { org_slug: String, org_name: String },
    /// Their organisation's configuration and its scorecard (waivers noted) as of the day.
    Configuration {
        org_slug: String,
        org_name: String,
        config: Box<Configuration>,
        scorecard: Scorecard,
    },
}

/// The reader's own organisation's configuration and scorecard as of `today`.
pub async fn own_result(db: &Db, viewer: &Viewer, today: Date) -> AppResult<OwnResult> {
    let Some(user) = &viewer.user else {
        return Ok(OwnResult::SignedOut);
    };
    let (org_slug, org_name) = (user.org_slug.clone(), user.org_name.clone());
    let Some(config) = readable_configuration(db, viewer, &org_slug).await? else {
        return Ok(OwnResult::NoConfiguration { org_slug, org_name });
    };
    let mut scorecard = Scorecard::of(&evaluate(&config, today));
    let all = waivers::for_org(db, user.org_id).await?;
    scorecard.note_waivers(|code| waivers::newest_note(&all, code, today));
    Ok(OwnResult::Configuration {
        org_slug,
        org_name,
        config: Box::new(config),
        scorecard,
    })
}

/// The HTML of each shortcode for this viewer.
pub fn resolve<'a>(
    db: &'a Db,
    viewer: &'a Viewer,
    today: Date,
    codes: &'a [Shortcode],
) -> ResolveFuture<'a> {
    Box::pin(async move {
        let own = own_result(db, viewer, today).await?;
        let mut resolved = HashMap::new();
        for code in codes {
            // A text saved before a rule was withdrawn keeps its shortcode as typed.
            if let Ok(reference) = Reference::of(code) {
                resolved.insert(code.clone(), html(reference, &own));
            }
        }
        Ok(Resolved(resolved))
    })
}

/// One reference as HTML: the rule or setting, then the reader's organisation's result or
/// value, in words (a tag's colour only repeats them).
fn html(reference: Reference, own: &OwnResult) -> String {
    match reference {
        Reference::Rule(rule) => {
            let line = match own {
                OwnResult::Configuration { scorecard, .. } => {
                    scorecard.lines.iter().find(|l| l.code == rule.code)
                }
                _ => None,
            };
            format!(
                "<a href=\"{}\">{} {}</a> ({})",
                rule.href(),
                esc(rule.code),
                esc(rule.title),
                rule_result(rule, line, own)
            )
        }
        Reference::Setting(setting) => {
            format!("{} ({})", esc(setting.label), setting_value(setting, own))
        }
    }
}

/// `NHS Fife: <tag>Pass</tag>`, or why there is no result to show.
fn rule_result(rule: &Rule, line: Option<&ScoreLine>, own: &OwnResult) -> String {
    match (own, line) {
        (OwnResult::SignedOut, _) => "sign in to see your organisation's result".into(),
        (OwnResult::NoConfiguration { org_name, .. }, _) => {
            format!("{} has no configuration on Trustshare yet", esc(org_name))
        }
        (
            OwnResult::Configuration {
                org_slug, org_name, ..
            },
            Some(line),
        ) => {
            let (class, words) = result_tag(line);
            format!(
                "<a href=\"/orgs/{}/access#rule-{}\">{}</a>: <strong class=\"{class}\">{words}</strong>",
                esc(org_slug),
                esc(rule.code),
                esc(org_name)
            )
        }
        // Every rule of the catalogue is on every scorecard; kept safe all the same.
        (OwnResult::Configuration { org_name, .. }, None) => {
            format!("not checked for {}", esc(org_name))
        }
    }
}

/// `NHS Fife: 92 %`, or why there is no value to show.
fn setting_value(setting: &Setting, own: &OwnResult) -> String {
    match own {
        OwnResult::SignedOut => "sign in to see your organisation's value".into(),
        OwnResult::NoConfiguration { org_name, .. } => {
            format!("{} has no configuration on Trustshare yet", esc(org_name))
        }
        OwnResult::Configuration {
            org_slug,
            org_name,
            config,
            ..
        } => {
            let value = setting.text(config).map_or_else(
                || "not recorded".to_owned(),
                |v| format!("<strong>{}</strong>", esc(&v)),
            );
            format!(
                "<a href=\"/orgs/{}/access\">{}</a>: {value}",
                esc(org_slug),
                esc(org_name)
            )
        }
    }
}

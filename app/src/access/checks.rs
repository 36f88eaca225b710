//! How each rule of the catalogue is checked against a configuration. A rule about many things
//! (every remote access system, every shared workstation policy) fails when one of them fails,
//! is unknown when none fails but one is not recorded, passes when all that apply pass, and is
//! not applicable when nothing it is about exists.

use super::findings::{Check, Context, Outcome};
use super::model::{
    CertificateIssuer, ComputerPolicy, Configuration, Environment, Location, NetworkSeparation,
    Placement, Population, RemoteAccessSystem, SpineEnvironment, SpineIntegration, UserPolicy,
    WarningType, Workstation,
};
use super::values::{LastDone, Percent, Seconds, Version};
use crate::dates::Date;

/// The longest a shared workstation in a clinical or public area may stay unlocked.
pub const MAX_LOCK_CLINICAL: Seconds = Seconds(300);
/// The longest a shared workstation in an office may stay unlocked.
pub const MAX_LOCK_OFFICE: Seconds = Seconds(600);
/// The longest idle time before a shared kiosk shows who is signed in.
pub const MAX_SHOW_CURRENT_USER: Seconds = Seconds(60);
/// The most people who may hold the super administrator role.
pub const MAX_SUPER_ADMINISTRATORS: u16 = 2;
/// The fewest appliances a deployment should have.
pub const MIN_APPLIANCES: usize = 2;
/// The accepted range of failed attempts before an account locks.
pub const LOCKOUT_FAILURES: (u16, u16) = (3, 10);
/// Security questions: the fewest enrolled, the fewest asked, the most uses a month.
pub const QUESTIONS_ENROLLED: u8 = 5;
/// See [`QUESTIONS_ENROLLED`].
pub const QUESTIONS_ANSWERED: u8 = 3;
/// See [`QUESTIONS_ENROLLED`].
pub const QUESTIONS_MAX_USES: u8 = 2;
/// The longest offline single sign-on data may live, in days.
pub const MAX_OFFLINE_SSO_DAYS: u16 = 7;
/// The oldest NHS Identity Agent and Credential Manager releases pinned for EAM 24.2 HF2 on.
pub const MIN_IDENTITY_AGENT: &str = "2.4.6.0";
/// See [`MIN_IDENTITY_AGENT`].
pub const MIN_CREDENTIAL_MANAGER: &str = "1.4.2.0";
/// How many months old a backup test, administrator review or supplier check may be.
pub const MAX_AGE_MONTHS: u32 = 12;
/// The share of staff who must have completed security training.
pub const MIN_TRAINING: Percent = match Percent::new(90) {
    Some(p) => p,
    None => panic!("90 is a percentage"),
};

/// Collects the verdict on each thing a rule is about, with what was observed of it.
#[derive(Default)]
struct Tally {
    passes: Vec<String>,
    fails: Vec<String>,
    unknowns: Vec<String>,
}

impl Tally {
    /// One thing: `Some(true)` passes, `Some(false)` fails, `None` is not recorded.
    fn item(&mut self, verdict: Option<bool>, observed: String) {
        match verdict {
            Some(true) => self.passes.push(observed),
            Some(false) => self.fails.push(observed),
            None => self.unknowns.push(observed),
        }
    }

    /// The rule's result; `nothing` says what was observed when nothing applied.
    fn finish(self, expected: impl Into<String>, nothing: &str) -> Check {
        let (outcome, observed) = if !self.fails.is_empty() {
            (Outcome::Fail, self.fails)
        } else if !self.unknowns.is_empty() {
            (Outcome::Unknown, self.unknowns)
        } else if !self.passes.is_empty() {
            (Outcome::Pass, self.passes)
        } else {
            (Outcome::NotApplicable, vec![nothing.to_owned()])
        };
        Check {
            outcome,
            observed: observed.join("; "),
            expected: expected.into(),
        }
    }
}

fn check(outcome: Outcome, observed: impl Into<String>, expected: impl Into<String>) -> Check {
    Check {
        outcome,
        observed: observed.into(),
        expected: expected.into(),
    }
}

fn unknown(observed: &str, expected: impl Into<String>) -> Check {
    check(Outcome::Unknown, observed, expected)
}

/// "yes", "no" or "not recorded".
fn yes_no(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not recorded",
    }
}

fn or_unrecorded<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "not recorded".to_owned(), |v| v.to_string())
}

// Remote access.

fn remote_access_rule(
    c: &Configuration,
    expected: &str,
    in_scope: impl Fn(&RemoteAccessSystem) -> Option<bool>,
    nothing: &str,
) -> Check {
    let missing = "remote access systems not recorded";
    each_of(
        c.remote_access.as_ref(),
        missing,
        expected,
        nothing,
        |s, tally| match in_scope(s) {
            Some(false) => {}
            Some(true) => tally.item(
                s.mfa_enforced,
                format!("{}: MFA enforced {}", s.name, yes_no(s.mfa_enforced)),
            ),
            None => tally.item(
                None,
                format!(
                    "{}: privileged {}, externally hosted {}",
                    s.name,
                    yes_no(s.privileged),
                    yes_no(s.externally_hosted)
                ),
            ),
        },
    )
}

/// Whether a system is privileged and hosted as asked: known when either fact rules it out.
fn privileged_and_hosted(s: &RemoteAccessSystem, externally: bool) -> Option<bool> {
    match (s.privileged, s.externally_hosted) {
        (Some(false), _) => Some(false),
        (_, Some(hosted)) if hosted != externally => Some(false),
        (Some(true), Some(_)) => Some(true),
        _ => None,
    }
}

pub(super) fn mfa_01(c: &Configuration, _: &Context) -> Check {
    remote_access_rule(
        c,
        "MFA enforced on every remote access system",
        |_| Some(true),
        "no remote access systems",
    )
}

pub(super) fn mfa_02(c: &Configuration, _: &Context) -> Check {
    remote_access_rule(
        c,
        "MFA enforced on privileged access to externally hosted systems",
        |s| privileged_and_hosted(s, true),
        "no privileged access to externally hosted systems",
    )
}

pub(super) fn mfa_03(c: &Configuration, _: &Context) -> Check {
    remote_access_rule(
        c,
        "MFA enforced on privileged access to systems hosted in-house",
        |s| privileged_and_hosted(s, false),
        "no privileged remote access to systems hosted in-house",
    )
}

// Administrators.

/// Whether `last` is no older than [`MAX_AGE_MONTHS`] before `today`: `None` when not recorded
/// or after today (a date in the future cannot be trusted).
fn recent(last: Option<LastDone>, today: Date) -> (Option<bool>, String) {
    match last {
        None => (None, "not recorded".to_owned()),
        Some(LastDone::Never) => (Some(false), "never".to_owned()),
        Some(LastDone::On(day)) if day > today => (None, format!("{day}, after today ({today})")),
        Some(LastDone::On(day)) => {
            let since = today.months_before(MAX_AGE_MONTHS);
            (Some(day >= since), day.to_string())
        }
    }
}

fn within_months() -> String {
    format!("within the last {MAX_AGE_MONTHS} months")
}

pub(super) fn adm_01(c: &Configuration, _: &Context) -> Check {
    let expected = "admin consoles reached only from workstations with no internet or email";
    let value = c
        .administrators
        .as_ref()
        .and_then(|a| a.consoles_only_from_workstations_without_internet);
    let mut tally = Tally::default();
    tally.item(
        value,
        format!(
            "consoles only from workstations without internet: {}",
            yes_no(value)
        ),
    );
    tally.finish(expected, "")
}

pub(super) fn adm_02(c: &Configuration, _: &Context) -> Check {
    let expected = "separate administrator accounts, with MFA";
    let a = c.administrators.clone().unwrap_or_default();
    let mut tally = Tally::default();
    tally.item(
        a.separate_admin_accounts,
        format!("separate accounts: {}", yes_no(a.separate_admin_accounts)),
    );
    tally.item(a.admin_mfa, format!("admin MFA: {}", yes_no(a.admin_mfa)));
    tally.finish(expected, "")
}

pub(super) fn adm_03(c: &Configuration, cx: &Context) -> Check {
    let expected = format!(
        "at most {MAX_SUPER_ADMINISTRATORS} super administrators; list reviewed {}",
        within_months()
    );
    let a = c.administrators.clone().unwrap_or_default();
    let mut tally = Tally::default();
    tally.item(
        a.super_administrators
            .map(|n| n <= MAX_SUPER_ADMINISTRATORS),
        format!(
            "super administrators: {}",
            or_unrecorded(a.super_administrators)
        ),
    );
    let (verdict, observed) = recent(a.admin_list_reviewed, cx.today);
    tally.item(verdict, format!("list reviewed: {observed}"));
    tally.finish(expected, "")
}

// Appliances.

pub(super) fn apl_01(c: &Configuration, _: &Context) -> Check {
    let expected = "every appliance on the internal network, none internet-facing or in a DMZ";
    each_of(
        c.deployment.as_ref().and_then(|d| d.appliances.as_ref()),
        "appliances not recorded",
        expected,
        "no appliances of its own (hosted service)",
        |a, tally| {
            tally.item(
                a.placement.map(|p| p == Placement::Internal),
                format!(
                    "{}: {}",
                    a.name,
                    or_unrecorded(a.placement.map(Placement::label))
                ),
            )
        },
    )
}

pub(super) fn apl_02(c: &Configuration, _: &Context) -> Check {
    let expected = "a certificate from a certificate authority, not self-signed";
    let deployment = c.deployment.clone().unwrap_or_default();
    if deployment.appliances.as_ref().is_some_and(Vec::is_empty) {
        return check(
            Outcome::NotApplicable,
            "no appliances of its own (hosted service)",
            expected,
        );
    }
    let issuer = deployment.certificate_issuer;
    let mut tally = Tally::default();
    tally.item(
        issuer.map(|i| i != CertificateIssuer::SelfSigned),
        format!(
            "certificate: {}",
            or_unrecorded(issuer.map(CertificateIssuer::label))
        ),
    );
    tally.finish(expected, "")
}

pub(super) fn apl_03(c: &Configuration, _: &Context) -> Check {
    let expected = format!("at least {MIN_APPLIANCES} appliances");
    match c.deployment.as_ref().and_then(|d| d.appliances.as_ref()) {
        None => unknown("appliances not recorded", expected),
        Some(list) if list.is_empty() => check(
            Outcome::NotApplicable,
            "no appliances of its own (hosted service)",
            expected,
        ),
        Some(list) => {
            let outcome = if list.len() >= MIN_APPLIANCES {
                Outcome::Pass
            } else {
                Outcome::Fail
            };
            let noun = if list.len() == 1 {
                "appliance"
            } else {
                "appliances"
            };
            check(outcome, format!("{} {noun}", list.len()), expected)
        }
    }
}

// User policies.

/// A rule about each item of a list: unknown when the list is not recorded (`missing` says
/// which), not applicable when nothing in it is in scope.
fn each_of<T>(
    items: Option<&Vec<T>>,
    missing: &str,
    expected: &str,
    nothing: &str,
    each: impl Fn(&T, &mut Tally),
) -> Check {
    let Some(items) = items else {
        return unknown(missing, expected);
    };
    let mut tally = Tally::default();
    for item in items {
        each(item, &mut tally);
    }
    tally.finish(expected, nothing)
}

fn user_policy_rule(
    c: &Configuration,
    expected: &str,
    nothing: &str,
    each: impl Fn(&UserPolicy, &mut Tally),
) -> Check {
    let missing = "user policies not recorded";
    each_of(c.user_policies.as_ref(), missing, expected, nothing, each)
}

fn two_factors_observed(p: &UserPolicy) -> String {
    format!(
        "{}: two factors required {}",
        p.name,
        yes_no(p.requires_two_factors())
    )
}

pub(super) fn aut_01(c: &Configuration, _: &Context) -> Check {
    user_policy_rule(
        c,
        "two factors required in every user policy for clinical staff",
        "no user policies for clinical staff",
        |p, tally| match p.population {
            Some(Population::Clinical | Population::Mixed) => {
                tally.item(p.requires_two_factors(), two_factors_observed(p))
            }
            Some(_) => {}
            None => tally.item(None, format!("{}: population not recorded", p.name)),
        },
    )
}

pub(super) fn aut_02(c: &Configuration, _: &Context) -> Check {
    let spine_on = c.spine.as_ref().map(|s| s.enabled);
    user_policy_rule(
        c,
        "two factors required in every user policy with Spine integration",
        "no user policies with Spine integration",
        |p, tally| match (p.spine, spine_on) {
            (Some(true), _) => tally.item(p.requires_two_factors(), two_factors_observed(p)),
            (Some(false), _) | (None, Some(false)) => {}
            (None, _) => tally.item(
                None,
                format!("{}: whether it uses Spine is not recorded", p.name),
            ),
        },
    )
}

pub(super) fn aut_03(c: &Configuration, _: &Context) -> Check {
    let (low, high) = LOCKOUT_FAILURES;
    user_policy_rule(
        c,
        &format!("accounts lock after {low} to {high} failed attempts"),
        "no user policies",
        |p, tally| {
            let failures = p.lockout.as_ref().and_then(|l| l.max_failures);
            tally.item(
                failures.map(|n| (low..=high).contains(&n)),
                format!(
                    "{}: locks after {} failures",
                    p.name,
                    or_unrecorded(failures)
                ),
            );
        },
    )
}

pub(super) fn aut_04(c: &Configuration, _: &Context) -> Check {
    user_policy_rule(
        c,
        &format!(
            "where security questions are on: at least {QUESTIONS_ENROLLED} enrolled, \
             {QUESTIONS_ANSWERED} asked, at most {QUESTIONS_MAX_USES} uses a month"
        ),
        "security questions switched off in every user policy",
        |p, tally| match &p.security_questions {
            None => tally.item(None, format!("{}: security questions not recorded", p.name)),
            Some(q) if !q.enabled => {}
            Some(q) => {
                let verdict = match (q.enrolled, q.answered, q.max_uses_per_month) {
                    (Some(e), Some(a), Some(m)) => Some(
                        e >= QUESTIONS_ENROLLED
                            && a >= QUESTIONS_ANSWERED
                            && m <= QUESTIONS_MAX_USES,
                    ),
                    (e, a, m) => {
                        // One known setting out of bounds is enough to fail.
                        let bad = e.is_some_and(|e| e < QUESTIONS_ENROLLED)
                            || a.is_some_and(|a| a < QUESTIONS_ANSWERED)
                            || m.is_some_and(|m| m > QUESTIONS_MAX_USES);
                        bad.then_some(false)
                    }
                };
                tally.item(
                    verdict,
                    format!(
                        "{}: {} enrolled, {} asked, {} uses a month",
                        p.name,
                        or_unrecorded(q.enrolled),
                        or_unrecorded(q.answered),
                        or_unrecorded(q.max_uses_per_month)
                    ),
                );
            }
        },
    )
}

pub(super) fn sso_01(c: &Configuration, _: &Context) -> Check {
    let expected =
        "single sign-on bypass only in service desk policies; no application profile allows it";
    let (Some(policies), Some(profiles)) = (&c.user_policies, &c.application_profiles) else {
        return unknown(
            "user policies or application profiles not recorded",
            expected,
        );
    };
    let mut tally = Tally::default();
    for p in policies {
        let bypass = p.sso.as_ref().and_then(|s| s.allow_bypass);
        let helpdesk = p.population.map(|pop| pop == Population::Helpdesk);
        let verdict = match (bypass, helpdesk) {
            (Some(false), _) | (_, Some(true)) => Some(true),
            (Some(true), Some(false)) => Some(false),
            _ => None,
        };
        tally.item(
            verdict,
            format!(
                "{} ({}): bypass {}",
                p.name,
                or_unrecorded(p.population.map(Population::label)),
                yes_no(bypass)
            ),
        );
    }
    for a in profiles {
        tally.item(
            a.bypass_allowed.map(|b| !b),
            format!("{}: bypass {}", a.application, yes_no(a.bypass_allowed)),
        );
    }
    tally.finish(expected, "no user policies or application profiles")
}

pub(super) fn sso_02(c: &Configuration, _: &Context) -> Check {
    user_policy_rule(
        c,
        &format!("offline single sign-on data kept at most {MAX_OFFLINE_SSO_DAYS} days"),
        "offline single sign-on switched off in every user policy",
        |p, tally| match p.sso.as_ref().and_then(|s| s.offline_sso) {
            Some(false) => {}
            None => tally.item(
                None,
                format!("{}: offline single sign-on not recorded", p.name),
            ),
            Some(true) => {
                let days = p.sso.as_ref().and_then(|s| s.offline_sso_max_days);
                tally.item(
                    days.map(|d| d <= MAX_OFFLINE_SSO_DAYS),
                    format!("{}: kept {} days", p.name, or_unrecorded(days)),
                );
            }
        },
    )
}

// Computer policies.

fn computer_policy_rule(
    c: &Configuration,
    expected: &str,
    applies: impl Fn(Workstation) -> bool,
    nothing: &str,
    each: impl Fn(&ComputerPolicy, &mut Tally),
) -> Check {
    let missing = "computer policies not recorded";
    each_of(
        c.computer_policies.as_ref(),
        missing,
        expected,
        nothing,
        |p, tally| match p.workstation {
            Some(w) if applies(w) => each(p, tally),
            Some(_) => {}
            None => tally.item(None, format!("{}: workstation type not recorded", p.name)),
        },
    )
}

fn is_kiosk(w: Workstation) -> bool {
    w == Workstation::SharedKiosk
}

pub(super) fn aut_05(c: &Configuration, _: &Context) -> Check {
    computer_policy_rule(
        c,
        "offline authentication refused on shared kiosks",
        is_kiosk,
        "no shared kiosks",
        |p, tally| {
            let refused = p
                .overrides
                .as_ref()
                .and_then(|o| o.disallow_offline_authentication);
            tally.item(
                refused,
                format!(
                    "{}: offline authentication refused {}",
                    p.name,
                    yes_no(refused)
                ),
            );
        },
    )
}

pub(super) fn ws_01(c: &Configuration, _: &Context) -> Check {
    let expected = format!(
        "shared workstations lock within {MAX_LOCK_CLINICAL} in clinical and public areas, \
         {MAX_LOCK_OFFICE} in offices, after a warning"
    );
    computer_policy_rule(
        c,
        &expected,
        Workstation::is_shared,
        "no shared workstations",
        |p, tally| {
            let limit = match p.location {
                Some(l) if !l.is_clinical_or_public() => Some(MAX_LOCK_OFFICE),
                Some(_) => Some(MAX_LOCK_CLINICAL),
                // The strictest limit decides when the place is not recorded.
                None if p.inactivity_lock_s.is_some_and(|s| s <= MAX_LOCK_CLINICAL) => {
                    Some(MAX_LOCK_CLINICAL)
                }
                None => None,
            };
            let lock_ok = match (p.inactivity_lock_s, limit) {
                (Some(Seconds(0)), _) => Some(false),
                (Some(lock), Some(limit)) => Some(lock <= limit),
                (Some(lock), None) if lock > MAX_LOCK_OFFICE => Some(false),
                _ => None,
            };
            let warned = match (p.lock_warning_s, p.warning_type) {
                (Some(Seconds(0)), _) | (_, Some(WarningType::None)) => Some(false),
                (Some(_), _) => Some(true),
                (None, _) => None,
            };
            let verdict = match (lock_ok, warned) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            let lock = match p.inactivity_lock_s {
                Some(Seconds(0)) => "never locks".to_owned(),
                other => format!("locks after {}", or_unrecorded(other)),
            };
            tally.item(
                verdict,
                format!(
                    "{} ({}): {lock}, warning {}",
                    p.name,
                    or_unrecorded(p.location.map(Location::label)),
                    or_unrecorded(p.lock_warning_s)
                ),
            );
        },
    )
}

pub(super) fn ws_02(c: &Configuration, _: &Context) -> Check {
    computer_policy_rule(
        c,
        &format!(
            "shared kiosks show who is signed in after at most {MAX_SHOW_CURRENT_USER} idle, \
             and lock with a tap"
        ),
        is_kiosk,
        "no shared kiosks",
        |p, tally| {
            let notice = p
                .show_current_user_after_s
                .map(|s| s.get() > 0 && s <= MAX_SHOW_CURRENT_USER);
            let verdict = match (notice, p.tap_to_lock) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            };
            tally.item(
                verdict,
                format!(
                    "{}: current user shown after {}, tap to lock {}",
                    p.name,
                    or_unrecorded(p.show_current_user_after_s),
                    yes_no(p.tap_to_lock)
                ),
            );
        },
    )
}

pub(super) fn ws_03(c: &Configuration, _: &Context) -> Check {
    computer_policy_rule(
        c,
        "shared kiosks use fast user switching, with a generic account per device whose password is managed",
        is_kiosk,
        "no shared kiosks",
        |p, tally| {
            let k = p.kiosk.clone().unwrap_or_default();
            let parts = [
                k.fast_user_switching,
                k.generic_account_per_device,
                k.generic_password_managed,
            ];
            let verdict = if parts.contains(&Some(false)) {
                Some(false)
            } else if parts.iter().all(Option::is_some) {
                Some(true)
            } else {
                None
            };
            tally.item(
                verdict,
                format!(
                    "{}: fast user switching {}, account per device {}, managed password {}",
                    p.name,
                    yes_no(k.fast_user_switching),
                    yes_no(k.generic_account_per_device),
                    yes_no(k.generic_password_managed)
                ),
            );
        },
    )
}

pub(super) fn ws_04(c: &Configuration, _: &Context) -> Check {
    let expected = "with multiple desktops, every enrolled application runs in several sessions";
    let Some(policies) = &c.computer_policies else {
        return unknown("computer policies not recorded", expected);
    };
    let multi = policies
        .iter()
        .any(|p| p.workstation == Some(Workstation::FastUserSwitching));
    let unsure = policies.iter().any(|p| p.workstation.is_none());
    if !multi {
        return if unsure {
            unknown("workstation type not recorded for every policy", expected)
        } else {
            check(
                Outcome::NotApplicable,
                "no multiple-desktop workstations",
                expected,
            )
        };
    }
    let Some(profiles) = &c.application_profiles else {
        return unknown("application profiles not recorded", expected);
    };
    let mut tally = Tally::default();
    for a in profiles {
        tally.item(
            a.multi_session_capable,
            format!(
                "{}: runs in several sessions {}",
                a.application,
                yes_no(a.multi_session_capable)
            ),
        );
    }
    tally.finish(expected, "no applications enrolled")
}

// Spine.

/// The Spine integration when it is in use; otherwise the answer: unknown when not recorded,
/// not applicable when switched off.
fn spine_in_use<'c>(c: &'c Configuration, expected: &str) -> Result<&'c SpineIntegration, Check> {
    match &c.spine {
        None => Err(unknown("Spine integration not recorded", expected)),
        Some(spine) if !spine.enabled => Err(check(
            Outcome::NotApplicable,
            "Spine integration not in use",
            expected,
        )),
        Some(spine) => Ok(spine),
    }
}

pub(super) fn spn_01(c: &Configuration, _: &Context) -> Check {
    let expected = format!(
        "Identity Agent {MIN_IDENTITY_AGENT} or later and Credential Manager {MIN_CREDENTIAL_MANAGER} or later"
    );
    let spine = match spine_in_use(c, &expected) {
        Ok(spine) => spine,
        Err(answer) => return answer,
    };
    let at_least = |v: &Option<Version>, min: &str| {
        let min = Version::parse(min).ok()?;
        v.as_ref().map(|v| *v >= min)
    };
    let mut tally = Tally::default();
    tally.item(
        at_least(&spine.identity_agent_version, MIN_IDENTITY_AGENT),
        format!(
            "Identity Agent {}",
            or_unrecorded(spine.identity_agent_version.as_ref())
        ),
    );
    tally.item(
        at_least(&spine.credential_manager_version, MIN_CREDENTIAL_MANAGER),
        format!(
            "Credential Manager {}",
            or_unrecorded(spine.credential_manager_version.as_ref())
        ),
    );
    tally.finish(expected, "")
}

pub(super) fn spn_02(c: &Configuration, _: &Context) -> Check {
    let expected = "the production Spine environment on a production deployment";
    let spine = match spine_in_use(c, expected) {
        Ok(spine) => spine,
        Err(answer) => return answer,
    };
    let deployment = c.deployment.as_ref().and_then(|d| d.environment);
    if deployment == Some(Environment::Test) {
        return check(Outcome::NotApplicable, "a test deployment", expected);
    }
    let mut tally = Tally::default();
    let env_ok = spine.environment.map(|e| e == SpineEnvironment::Production);
    // Unknown deployment environment: a non-production Spine environment still needs a look.
    let verdict = match deployment {
        Some(_) => env_ok,
        None => env_ok.and_then(|ok| if ok { None } else { Some(false) }),
    };
    tally.item(
        verdict,
        format!(
            "Spine {} on a {} deployment",
            or_unrecorded(spine.environment.map(SpineEnvironment::label)),
            or_unrecorded(deployment.map(Environment::label))
        ),
    );
    tally.finish(expected, "")
}

// Operations.

fn operations_date_rule(value: Option<LastDone>, what: &str, cx: &Context) -> Check {
    let (verdict, observed) = recent(value, cx.today);
    let mut tally = Tally::default();
    tally.item(verdict, format!("{what}: {observed}"));
    tally.finish(format!("{what} {}", within_months()), "")
}

pub(super) fn bak_01(c: &Configuration, cx: &Context) -> Check {
    let value = c.operations.as_ref().and_then(|o| o.backup_last_tested);
    operations_date_rule(value, "restore from backup tested", cx)
}

pub(super) fn sup_01(c: &Configuration, cx: &Context) -> Check {
    let value = c.operations.as_ref().and_then(|o| o.supplier_due_diligence);
    operations_date_rule(value, "supplier due diligence done", cx)
}

pub(super) fn trn_01(c: &Configuration, _: &Context) -> Check {
    let value = c
        .operations
        .as_ref()
        .and_then(|o| o.training_coverage_percent);
    let mut tally = Tally::default();
    tally.item(
        value.map(|v| v >= MIN_TRAINING),
        format!("staff trained: {}", or_unrecorded(value)),
    );
    tally.finish(
        format!("at least {MIN_TRAINING} of staff trained in the last {MAX_AGE_MONTHS} months"),
        "",
    )
}

pub(super) fn net_01(c: &Configuration, _: &Context) -> Check {
    let expected = "clinical IT and operational technology on separate networks";
    let value = c.operations.as_ref().and_then(|o| o.it_ot_separation);
    if value == Some(NetworkSeparation::NoOtNetwork) {
        return check(
            Outcome::NotApplicable,
            "no operational technology on the network",
            expected,
        );
    }
    let mut tally = Tally::default();
    tally.item(
        value.map(|v| v == NetworkSeparation::Separated),
        format!(
            "IT and OT: {}",
            or_unrecorded(value.map(NetworkSeparation::label))
        ),
    );
    tally.finish(expected, "")
}

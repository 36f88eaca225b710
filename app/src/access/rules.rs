//! The rule catalogue: best practice an access-management configuration is checked against.
//! Each rule has a stable code (`MFA-01`), a severity, the reason for it, the guide in the
//! library that explains it, the thresholds it applies and the sources it rests on.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::checks::{self, *};
use super::findings::{Check, Context};
use super::model::Configuration;
use super::values::Seconds;

/// How much a rule matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Required by policy: a configuration failing it is not acceptable.
    Must,
    /// Best practice: depart from it only for a recorded reason.
    Should,
    /// Worth considering.
    Advisory,
}

impl Severity {
    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Must => "must",
            Severity::Should => "should",
            Severity::Advisory => "advisory",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A threshold a rule applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// A duration.
    Seconds(Seconds),
    /// A number of things.
    Count(u32),
    /// A number of days.
    Days(u16),
    /// A number of months.
    Months(u32),
    /// A whole percentage.
    Percent(u8),
    /// A version number.
    Version(&'static str),
}

impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Seconds(s) => s.fmt(f),
            ParamValue::Count(n) => n.fmt(f),
            ParamValue::Days(n) => write!(f, "{n} days"),
            ParamValue::Months(n) => write!(f, "{n} months"),
            ParamValue::Percent(n) => write!(f, "{n} %"),
            ParamValue::Version(v) => f.write_str(v),
        }
    }
}

/// A named threshold of a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// Its name, stable like the rule code.
    pub name: &'static str,
    /// Its value.
    pub value: ParamValue,
    /// What it limits.
    pub meaning: &'static str,
}

/// Where a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// The document or policy.
    pub title: &'static str,
    /// Where to read it, when it has a stable public address.
    pub url: Option<&'static str>,
}

/// One rule of the catalogue.
pub struct Rule {
    /// The stable code: 2 to 4 capitals, a hyphen, two digits.
    pub code: &'static str,
    /// What the rule asks, in a line.
    pub title: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// Why.
    pub rationale: &'static str,
    /// The slug of the guide (in the guides library) that explains it.
    pub guide: &'static str,
    /// The thresholds it applies.
    pub params: &'static [Param],
    /// What it rests on.
    pub sources: &'static [Source],
    check: fn(&Configuration, &Context) -> Check,
}

impl Rule {
    /// Checks a configuration against this rule.
    pub fn check(&self, config: &Configuration, cx: &Context) -> Check {
        (self.check)(config, cx)
    }

    /// The address of its page.
    pub fn href(&self) -> String {
        format!("/access/rules/{}", self.code)
    }

    /// The rule with this code.
    pub fn find(code: &str) -> Option<&'static Rule> {
        CATALOGUE.iter().find(|r| r.code == code)
    }
}

// Rules are identified by their code; the check function is part of the rule, not its identity.
impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule")
            .field("code", &self.code)
            .field("severity", &self.severity)
            .finish_non_exhaustive()
    }
}

const MFA_POLICY: Source = Source {
    title: "NHS England multi-factor authentication policy (DSPT news item 134)",
    url: Some("https://dsptoolkit.nhs.uk/News/134"),
};
const MFA_POLICY_SUMMARY: Source = Source {
    title: "Imprivata: multi-factor authentication now a requirement in the NHS",
    url: Some(
        "https://www.imprivata.com/uk/company/press/multi-factor-authentication-now-requirement-nhs",
    ),
};
const NCSC_ADMIN: Source = Source {
    title: "NCSC: systems administration architectures",
    url: Some("https://www.ncsc.gov.uk/guidance/systems-administration-architectures"),
};
const IMPRIVATA_ARCHITECTURE: Source = Source {
    title: "Imprivata: architecture best practices (appliances internal, never internet-facing)",
    url: Some("https://docs.imprivata.com/supported/content/topics/security/bestpractices_architecture.html"),
};
const IMPRIVATA_SECURITY_SETTINGS: Source = Source {
    title: "Imprivata: appliance security settings (replace the self-signed certificate)",
    url: Some("https://imprivatadocs.com/confirmid/243/content/topics/imprivataplatform/appliance/reference/securitysettings.html"),
};
const IMPRIVATA_ENTERPRISE: Source = Source {
    title: "Imprivata: establishing an enterprise (add a second appliance immediately)",
    url: Some("https://docs.imprivata.com/onesign/242/content/topics/imprivataplatform/enterprisesandsites/establishenterprise.html"),
};
const IMPRIVATA_LEAST_PRIVILEGE: Source = Source {
    title: "Imprivata: security considerations (least privilege, record privileged users)",
    url: Some(
        "https://docs.imprivata.com/supported/content/topics/security/securityconsiderations.html",
    ),
};
const IMPRIVATA_AUTH: Source = Source {
    title: "Imprivata: authentication best practices",
    url: Some("https://docs.imprivata.com/supported/content/topics/security/bestpractices_authentication.html"),
};
const IMPRIVATA_AUTH_RULES: Source = Source {
    title: "Imprivata: user policy authentication rules and lockout",
    url: Some("https://docs.imprivata.com/onesign/content/topics/imprivataplatform/policies/userpolicies/userpolicies_authrules.html"),
};
const IMPRIVATA_OVERRIDES: Source = Source {
    title: "Imprivata: computer policies overriding user policies",
    url: Some("https://imprivatadocs.com/confirmid/243/content/topics/imprivataplatform/policies/computerpolicies/computerpolicies_overridinguserpolicies.html"),
};
const IMPRIVATA_SSO: Source = Source {
    title: "Imprivata: user policy single sign-on settings (bypass, offline SSO lifespan)",
    url: Some("https://imprivatadocs.com/confirmid/243/content/topics/imprivataplatform/policies/userpolicies/userpolicies_sso.html"),
};
const IMPRIVATA_WALK_AWAY: Source = Source {
    title: "Imprivata: walk-away security (inactivity lock, warning, current-user notice, tap to lock)",
    url: Some("https://imprivatadocs.com/confirmid/243/content/topics/imprivataplatform/policies/computerpolicies/computerpolicies_walkawaysecurity.html"),
};
const IMPRIVATA_KIOSK: Source = Source {
    title: "Imprivata: enabling shared kiosk workstations",
    url: Some("https://imprivatadocs.com/confirmid/243/content/topics/imprivataplatform/policies/computerpolicies/computerpolicies_enablingkioskworkstations.html"),
};
const IMPRIVATA_MULTI_DESKTOP: Source = Source {
    title: "Imprivata: enabling multiple Windows desktops (fast user switching)",
    url: Some("https://imprivatadocs.com/confirmid/243/content/topics/imprivataplatform/policies/computerpolicies/computerpolicies_enablingmultipleworkstations.html"),
};
const IMPRIVATA_SPINE: Source = Source {
    title: "Imprivata: NHS Spine Combined Workflow with physical smartcards",
    url: Some("https://docs.imprivata.com/onesign/243/content/topics/onesign/authentication_management/spine.html"),
};
const NCSC_BACKUPS: Source = Source {
    title: "NCSC guidance on offline backups and principles for ransomware-resistant backups",
    url: Some("https://www.ncsc.gov.uk"),
};
const NCSC_STAFF_TRAINING: Source = Source {
    title: "NCSC: Top Tips for Staff e-learning",
    url: Some("https://www.ncsc.gov.uk/training/top-tips-for-staff-web"),
};
const DSPT_TRAINING: Source = Source {
    title: "Data Security and Protection Toolkit: annual data security training (England)",
    url: None,
};
const IEC_80001: Source = Source {
    title: "IEC 80001-1: risk management of IT networks that include medical devices",
    url: None,
};
const NCSC_SUPPLY_CHAIN: Source = Source {
    title: "NCSC: supply chain security guidance",
    url: Some("https://www.ncsc.gov.uk/collection/supply-chain-security"),
};
const NDG_SUPPLIERS: Source = Source {
    title: "National Data Guardian standard 10: accountable suppliers (Data Security and Protection Toolkit, England)",
    url: None,
};
const DCB0160: Source = Source {
    title: "DCB0160: clinical risk management in the deployment of health IT (England)",
    url: None,
};

/// Every rule, in the order a scorecard lists them.
pub static CATALOGUE: &[Rule] = &[
    Rule {
        code: "MFA-01",
        title: "Multi-factor authentication on all remote access",
        severity: Severity::Must,
        rationale: "Remote access is the route most attacks take into a network; NHS England policy requires multi-factor authentication on every remote access system.",
        guide: "supplier-assurance-checks",
        params: &[],
        sources: &[MFA_POLICY, MFA_POLICY_SUMMARY],
        check: checks::mfa_01,
    },
    Rule {
        code: "MFA-02",
        title: "Multi-factor authentication on privileged access to externally hosted systems",
        severity: Severity::Must,
        rationale: "An administrator account on a hosted service can be used from anywhere; the same policy makes multi-factor authentication a must for it.",
        guide: "supplier-assurance-checks",
        params: &[],
        sources: &[MFA_POLICY, MFA_POLICY_SUMMARY],
        check: checks::mfa_02,
    },
    Rule {
        code: "MFA-03",
        title: "Multi-factor authentication on other privileged access",
        severity: Severity::Should,
        rationale: "Privileged access to systems hosted in-house reaches the same data; the policy says it should use multi-factor authentication too.",
        guide: "privileged-access-workstations-without-internet",
        params: &[],
        sources: &[MFA_POLICY],
        check: checks::mfa_03,
    },
    Rule {
        code: "ADM-01",
        title: "Admin consoles only from workstations without internet or email",
        severity: Severity::Should,
        rationale: "A workstation that browses the web or reads email can be compromised by it; administering from it hands the attacker the admin console.",
        guide: "privileged-access-workstations-without-internet",
        params: &[],
        sources: &[NCSC_ADMIN],
        check: checks::adm_01,
    },
    Rule {
        code: "ADM-02",
        title: "Administrators use separate accounts with multi-factor authentication",
        severity: Severity::Must,
        rationale: "An everyday account is exposed to phishing; separate administrator accounts with multi-factor authentication keep a stolen password from becoming control of the platform.",
        guide: "privileged-access-workstations-without-internet",
        params: &[],
        sources: &[NCSC_ADMIN, MFA_POLICY],
        check: checks::adm_02,
    },
    Rule {
        code: "ADM-03",
        title: "Few super administrators, and the list of administrators reviewed yearly",
        severity: Severity::Should,
        rationale: "The super administrator role cannot be limited; least privilege means few holders and a recorded list that is kept current.",
        guide: "privileged-access-workstations-without-internet",
        params: &[
            Param {
                name: "max_super_administrators",
                value: ParamValue::Count(MAX_SUPER_ADMINISTRATORS as u32),
                meaning: "the most people holding the super administrator role",
            },
            Param {
                name: "max_review_age",
                value: ParamValue::Months(MAX_AGE_MONTHS),
                meaning: "how old the last review of the administrator list may be",
            },
        ],
        sources: &[IMPRIVATA_LEAST_PRIVILEGE],
        check: checks::adm_03,
    },
    Rule {
        code: "APL-01",
        title: "Appliances are never internet-facing",
        severity: Severity::Must,
        rationale: "The appliances hold every user's credentials and enrolments; the vendor designs them for the internal network only.",
        guide: "pilot-board-sso-smart-card-blueprint",
        params: &[],
        sources: &[IMPRIVATA_ARCHITECTURE],
        check: checks::apl_01,
    },
    Rule {
        code: "APL-02",
        title: "Appliance certificates come from a certificate authority",
        severity: Severity::Should,
        rationale: "Agents that accept a self-signed certificate cannot tell the real appliance from an impostor.",
        guide: "pilot-board-sso-smart-card-blueprint",
        params: &[],
        sources: &[IMPRIVATA_SECURITY_SETTINGS],
        check: checks::apl_02,
    },
    Rule {
        code: "APL-03",
        title: "At least two appliances",
        severity: Severity::Should,
        rationale: "With one appliance, its failure stops sign-in across the organisation; the vendor advises adding a second immediately.",
        guide: "pilot-board-sso-smart-card-blueprint",
        params: &[Param {
            name: "min_appliances",
            value: ParamValue::Count(MIN_APPLIANCES as u32),
            meaning: "the fewest appliances",
        }],
        sources: &[IMPRIVATA_ENTERPRISE],
        check: checks::apl_03,
    },
    Rule {
        code: "AUT-01",
        title: "Clinical staff sign in with two factors",
        severity: Severity::Should,
        rationale: "A password alone is shared, guessed and phished; two factors at the desktop protect patient records on shared workstations.",
        guide: "pilot-board-sso-smart-card-blueprint",
        params: &[],
        sources: &[IMPRIVATA_AUTH],
        check: checks::aut_01,
    },
    Rule {
        code: "AUT-02",
        title: "Spine integration requires two-factor authentication",
        severity: Severity::Must,
        rationale: "NHS guidelines require two-factor authentication for users of the Spine Combined Workflow.",
        guide: "integrating-sso-with-smartcards-and-spine",
        params: &[],
        sources: &[IMPRIVATA_SPINE],
        check: checks::aut_02,
    },
    Rule {
        code: "AUT-03",
        title: "Accounts lock after a few failed attempts",
        severity: Severity::Should,
        rationale: "Lockout covers passwords, security questions and self-service reset; too few attempts locks staff out of care, too many lets guessing succeed.",
        guide: "emergency-access-security-questions-policy",
        params: &[
            Param {
                name: "min_failures",
                value: ParamValue::Count(LOCKOUT_FAILURES.0 as u32),
                meaning: "the fewest failed attempts before lockout",
            },
            Param {
                name: "max_failures",
                value: ParamValue::Count(LOCKOUT_FAILURES.1 as u32),
                meaning: "the most failed attempts before lockout",
            },
        ],
        sources: &[IMPRIVATA_AUTH_RULES],
        check: checks::aut_03,
    },
    Rule {
        code: "AUT-04",
        title: "Security questions are limited",
        severity: Severity::Should,
        rationale: "Security questions are a single, guessable factor for emergencies; enough questions, several asked and few uses keep them an exception.",
        guide: "emergency-access-security-questions-policy",
        params: &[
            Param {
                name: "min_enrolled",
                value: ParamValue::Count(QUESTIONS_ENROLLED as u32),
                meaning: "the fewest questions each user enrols",
            },
            Param {
                name: "min_answered",
                value: ParamValue::Count(QUESTIONS_ANSWERED as u32),
                meaning: "the fewest questions asked at sign-in",
            },
            Param {
                name: "max_uses_per_month",
                value: ParamValue::Count(QUESTIONS_MAX_USES as u32),
                meaning: "the most sign-ins with questions per user per month",
            },
        ],
        sources: &[IMPRIVATA_AUTH],
        check: checks::aut_04,
    },
    Rule {
        code: "AUT-05",
        title: "Shared kiosks refuse offline authentication",
        severity: Severity::Should,
        rationale: "Offline authentication accepts cached credentials without the appliance; on a shared kiosk that widens who can sign in as whom.",
        guide: "emergency-access-security-questions-policy",
        params: &[],
        sources: &[IMPRIVATA_AUTH, IMPRIVATA_OVERRIDES],
        check: checks::aut_05,
    },
    Rule {
        code: "SSO-01",
        title: "Single sign-on bypass only for the service desk",
        severity: Severity::Should,
        rationale: "Bypass lets users type credentials themselves, which defeats single sign-on auditing; it is meant for service desk staff.",
        guide: "application-sso-profile-testing",
        params: &[],
        sources: &[IMPRIVATA_SSO],
        check: checks::sso_01,
    },
    Rule {
        code: "SSO-02",
        title: "Offline single sign-on data is short-lived",
        severity: Severity::Advisory,
        rationale: "Offline single sign-on keeps credentials on the workstation; limiting how long they live limits what a stolen device gives away.",
        guide: "application-sso-profile-testing",
        params: &[Param {
            name: "max_offline_sso_days",
            value: ParamValue::Days(MAX_OFFLINE_SSO_DAYS),
            meaning: "the longest offline single sign-on data may live",
        }],
        sources: &[IMPRIVATA_SSO],
        check: checks::sso_02,
    },
    Rule {
        code: "WS-01",
        title: "Shared clinical workstations lock quickly, after a warning",
        severity: Severity::Must,
        rationale: "An unlocked shared workstation shows one clinician's patient records to whoever passes and records the next person's actions under the wrong name.",
        guide: "walk-away-security-inactivity-timeouts",
        params: &[
            Param {
                name: "max_lock_clinical",
                value: ParamValue::Seconds(MAX_LOCK_CLINICAL),
                meaning: "the longest a shared workstation in a clinical or public area stays unlocked",
            },
            Param {
                name: "max_lock_office",
                value: ParamValue::Seconds(MAX_LOCK_OFFICE),
                meaning: "the longest a shared workstation in an office stays unlocked",
            },
        ],
        sources: &[IMPRIVATA_WALK_AWAY],
        check: checks::ws_01,
    },
    Rule {
        code: "WS-02",
        title: "Shared kiosks show who is signed in and lock with a tap",
        severity: Severity::Should,
        rationale: "A notice of who is signed in stops the next person working under someone else's name; tap to lock makes locking as quick as signing in.",
        guide: "walk-away-security-inactivity-timeouts",
        params: &[Param {
            name: "max_show_current_user",
            value: ParamValue::Seconds(MAX_SHOW_CURRENT_USER),
            meaning: "the longest idle time before the current user is shown",
        }],
        sources: &[IMPRIVATA_WALK_AWAY],
        check: checks::ws_02,
    },
    Rule {
        code: "WS-03",
        title: "Kiosks use fast user switching with per-device generic accounts",
        severity: Severity::Should,
        rationale: "A generic Windows account shared by many kiosks, with one known password, is an audit finding; one managed account per device limits the damage, and fast user switching keeps each clinician's applications their own.",
        guide: "fast-user-switching-shared-ae-workstations",
        params: &[],
        sources: &[IMPRIVATA_KIOSK],
        check: checks::ws_03,
    },
    Rule {
        code: "WS-04",
        title: "Applications on multiple-desktop workstations run in several sessions",
        severity: Severity::Advisory,
        rationale: "With multiple Windows desktops each user gets a private session; an application that cannot run twice breaks when the second clinician taps in.",
        guide: "fast-user-switching-shared-ae-workstations",
        params: &[],
        sources: &[IMPRIVATA_MULTI_DESKTOP],
        check: checks::ws_04,
    },
    Rule {
        code: "SPN-01",
        title: "NHS Identity Agent and Credential Manager at the pinned versions",
        severity: Severity::Must,
        rationale: "The Spine Combined Workflow works only with the Identity Agent and Credential Manager releases the vendor pins for its version.",
        guide: "integrating-sso-with-smartcards-and-spine",
        params: &[
            Param {
                name: "min_identity_agent",
                value: ParamValue::Version(MIN_IDENTITY_AGENT),
                meaning: "the oldest Identity Agent release (for EAM 24.2 HF2 and later)",
            },
            Param {
                name: "min_credential_manager",
                value: ParamValue::Version(MIN_CREDENTIAL_MANAGER),
                meaning: "the oldest Credential Manager release (for EAM 24.2 HF2 and later)",
            },
        ],
        sources: &[IMPRIVATA_SPINE],
        check: checks::spn_01,
    },
    Rule {
        code: "SPN-02",
        title: "Production deployments use the production Spine environment",
        severity: Severity::Must,
        rationale: "The Spine environment must match the Identity Agent's; a production deployment pointed elsewhere fails clinicians at sign-in.",
        guide: "integrating-sso-with-smartcards-and-spine",
        params: &[],
        sources: &[IMPRIVATA_SPINE],
        check: checks::spn_02,
    },
    Rule {
        code: "BAK-01",
        title: "Backups restored in a test within the last 12 months",
        severity: Severity::Must,
        rationale: "A backup never restored is a hope, not a plan; ransomware recovery depends on restores that have been shown to work.",
        guide: "testing-the-backup-policy",
        params: &[Param {
            name: "max_test_age",
            value: ParamValue::Months(MAX_AGE_MONTHS),
            meaning: "how old the last restore test may be",
        }],
        sources: &[NCSC_BACKUPS],
        check: checks::bak_01,
    },
    Rule {
        code: "TRN-01",
        title: "Staff security training coverage of at least 90 %",
        severity: Severity::Should,
        rationale: "Most incidents start with a person deceived; training reaches them only if it reaches nearly everyone.",
        guide: "cyber-basics-training-for-all-staff",
        params: &[Param {
            name: "min_coverage",
            value: ParamValue::Percent(MIN_TRAINING.get()),
            meaning: "the smallest share of staff trained in the last 12 months",
        }],
        sources: &[NCSC_STAFF_TRAINING, DSPT_TRAINING],
        check: checks::trn_01,
    },
    Rule {
        code: "NET-01",
        title: "IT and OT networks are separated",
        severity: Severity::Should,
        rationale: "Medical devices and building systems often cannot be patched; on a flat network one compromised workstation reaches them all.",
        guide: "separating-it-and-ot-networks",
        params: &[],
        sources: &[IEC_80001, DCB0160],
        check: checks::net_01,
    },
    Rule {
        code: "SUP-01",
        title: "Supplier due diligence within the last 12 months",
        severity: Severity::Should,
        rationale: "The access-management supplier sits in front of every clinical system; its assurance evidence goes stale and needs a yearly look.",
        guide: "supplier-assurance-checks",
        params: &[Param {
            name: "max_check_age",
            value: ParamValue::Months(MAX_AGE_MONTHS),
            meaning: "how old the last due diligence may be",
        }],
        sources: &[NCSC_SUPPLY_CHAIN, NDG_SUPPLIERS],
        check: checks::sup_01,
    },
];

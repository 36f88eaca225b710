//! An organisation's access-management configuration as Rust types: the deployment, user and
//! computer policies, application single sign-on profiles, Spine integration, administrator
//! access, remote access and the operational fundamentals around them.
//!
//! Every fact is optional: a field left out (or `null`) means "not known", which the rules
//! report as unknown rather than mistaking it for zero or false. Unknown fields are refused, so a
//! misspelt setting is an error instead of a silently missing fact. The JSON Schema published at
//! `/access/schema.json` is derived from these types.

use serde::{Deserialize, Serialize};

use super::values::{LastDone, Percent, Seconds, Version};
use crate::dates::Date;

/// The version of this format; only 1 exists.
pub const SCHEMA_VERSION: u8 = 1;

/// One organisation's access-management configuration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// The version of this format: 1.
    #[cfg_attr(feature = "ssr", schemars(range(min = 1, max = 1)))]
    pub schema_version: u8,
    /// The organisation's slug, as in its address (`/orgs/nhs-fife`).
    #[cfg_attr(
        feature = "ssr",
        schemars(regex(pattern = r"^[a-z0-9]+(-[a-z0-9]+)*$"))
    )]
    pub organisation: String,
    /// Who may read it on Trustshare once published: `organisation` (the default: the
    /// organisation's own members) or `network` (every member organisation). Never public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Sharing>,
    /// The day these facts were true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Date>,
    /// The product, its version and its appliances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<Deployment>,
    /// User policies: how each group of staff authenticates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_policies: Option<Vec<UserPolicy>>,
    /// Computer policies: how each kind of workstation locks and switches users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computer_policies: Option<Vec<ComputerPolicy>>,
    /// Applications enrolled for single sign-on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_profiles: Option<Vec<ApplicationProfile>>,
    /// NHS smartcard and Spine integration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spine: Option<SpineIntegration>,
    /// How administrators of the platform are kept apart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administrators: Option<AdministratorAccess>,
    /// Every system through which staff or suppliers reach the network from outside. An empty
    /// list says there are none; leaving it out says it is not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_access: Option<Vec<RemoteAccessSystem>>,
    /// Backups, training, network separation and supplier checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operations: Option<Operations>,
}

crate::coded_enum! {
    /// Who may read a configuration once published. A configuration says how an organisation
    /// is defended, so it is never public.
    #[derive(Default)]
    pub enum Sharing ("visibility") {
        /// The organisation's own members.
        #[default]
        Organisation = "organisation", "own organisation only";
        /// Every signed-in member of any organisation.
        Network = "network", "all member organisations";
    }
}

impl Configuration {
    /// Who may read it: as it says, or the organisation alone.
    pub fn sharing(&self) -> Sharing {
        self.visibility.unwrap_or_default()
    }
}

crate::coded_enum! {
    /// The access-management product.
    pub enum Product ("product") {
        ImprivataEam = "imprivata-eam", "Imprivata Enterprise Access Management";
        ImprivataOneSign = "imprivata-onesign", "Imprivata OneSign";
        Other = "other", "another product";
    }
}

crate::coded_enum! {
    /// Whether a deployment serves real users.
    pub enum Environment ("deployment environment") {
        Production = "production", "production";
        Test = "test", "test";
    }
}

crate::coded_enum! {
    /// Who issued the appliances' TLS certificate.
    pub enum CertificateIssuer ("certificate issuer") {
        SelfSigned = "self-signed", "self-signed";
        InternalCa = "internal-ca", "the organisation's certificate authority";
        PublicCa = "public-ca", "a public certificate authority";
    }
}

crate::coded_enum! {
    /// Where an appliance sits on the network.
    pub enum Placement ("placement") {
        Internal = "internal", "internal network";
        Dmz = "dmz", "DMZ";
        InternetFacing = "internet-facing", "internet-facing";
    }
}

/// The product, its version and its appliances.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Deployment {
    /// The product in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<Product>,
    /// Its version, in quotes ("24.2").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_version: Option<Version>,
    /// Production or test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<Environment>,
    /// The day the first users went live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub go_live: Option<Date>,
    /// Who issued the appliances' TLS certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_issuer: Option<CertificateIssuer>,
    /// The appliances. An empty list says the product runs none of its own (a hosted service).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appliances: Option<Vec<Appliance>>,
}

/// One appliance (server) of the deployment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Appliance {
    /// Its name.
    pub name: String,
    /// The site or data centre it is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Where it sits on the network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
}

crate::coded_enum! {
    /// The staff a user policy is for.
    pub enum Population ("population") {
        Clinical = "clinical", "clinical staff";
        NonClinical = "non-clinical", "non-clinical staff";
        Helpdesk = "helpdesk", "service desk";
        Administrators = "administrators", "platform administrators";
        Mixed = "mixed", "mixed clinical and non-clinical staff";
    }
}

crate::coded_enum! {
    /// A first authentication factor.
    pub enum Factor ("first factor") {
        Password = "password", "password";
        Fingerprint = "fingerprint", "fingerprint";
        ProximityCard = "proximity-card", "proximity card";
        FidoKey = "fido-key", "FIDO key";
        SmartCard = "smart-card", "smart card";
        OtpToken = "otp-token", "one-time password token";
        SecurityQuestions = "security-questions", "security questions";
    }
}

crate::coded_enum! {
    /// A second authentication factor; `none` allows the first factor alone.
    pub enum SecondFactor ("second factor") {
        None = "none", "none";
        Password = "password", "password";
        Pin = "pin", "PIN";
        Fingerprint = "fingerprint", "fingerprint";
        ImprivataId = "imprivata-id", "Imprivata ID";
        CardPin = "card-pin", "card PIN";
        TokenPin = "token-pin", "token PIN";
    }
}

impl Factor {
    /// The second factors the product offers after this first one.
    pub fn allowed_second_factors(self) -> &'static [SecondFactor] {
        use SecondFactor as S;
        match self {
            Factor::Password => &[S::None, S::ImprivataId],
            Factor::Fingerprint => &[S::None, S::Password, S::Pin],
            Factor::ProximityCard | Factor::FidoKey => {
                &[S::None, S::Password, S::Pin, S::Fingerprint]
            }
            Factor::SmartCard => &[S::CardPin],
            Factor::OtpToken => &[S::TokenPin, S::Password],
            Factor::SecurityQuestions => &[S::None],
        }
    }
}

/// A first factor and the second factors allowed with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FactorPair {
    /// The first factor.
    pub first: Factor,
    /// The second factors allowed with it; `[none]` allows the first factor alone.
    pub second: Vec<SecondFactor>,
}

impl FactorPair {
    /// Whether every way through this pair takes two factors.
    pub fn is_two_factor(&self) -> bool {
        !self.second.is_empty() && !self.second.contains(&SecondFactor::None)
    }
}

/// Offline authentication with cached credentials, when the appliance cannot be reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OfflineAuthentication {
    /// Whether it is allowed.
    pub enabled: bool,
    /// For how many days cached credentials are accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days: Option<u16>,
}

/// Locking an account after failed attempts (passwords, questions and self-service reset).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Lockout {
    /// Failed attempts that lock the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_failures: Option<u16>,
    /// The window in which failures are counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_s: Option<Seconds>,
    /// How long the account stays locked; 0 means until an administrator unlocks it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_s: Option<Seconds>,
}

/// Security questions for emergency access.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityQuestions {
    /// Whether staff may sign in with them.
    pub enabled: bool,
    /// Questions each user enrols.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrolled: Option<u8>,
    /// Questions asked at sign-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered: Option<u8>,
    /// Sign-ins with questions allowed per user per month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_uses_per_month: Option<u8>,
}

crate::coded_enum! {
    /// A way to prove who one is when resetting a password or PIN.
    pub enum ResetMethod ("reset method") {
        SecurityQuestions = "security-questions", "security questions";
        ImprivataId = "imprivata-id", "Imprivata ID";
        ServiceDesk = "service-desk", "service desk call";
    }
}

/// Self-service password and PIN reset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SelfServiceReset {
    /// Whether staff may reset their own password or PIN.
    pub enabled: bool,
    /// How they prove who they are.
    #[serde(default)]
    pub methods: Vec<ResetMethod>,
}

/// The single sign-on settings of a user policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SsoSettings {
    /// Whether single sign-on is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Whether users may bypass single sign-on and type credentials themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_bypass: Option<bool>,
    /// Whether single sign-on works while the appliance cannot be reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_sso: Option<bool>,
    /// For how many days offline single sign-on data is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_sso_max_days: Option<u16>,
}

/// How one group of staff authenticates.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct UserPolicy {
    /// The policy's name.
    pub name: String,
    /// Whether this is the default policy, for users given no other.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// The staff it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<Population>,
    /// How many users have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_count: Option<u32>,
    /// The first and second factors allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor_pairs: Option<Vec<FactorPair>>,
    /// Whether two factors are required at the desktop.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_factor_required: Option<bool>,
    /// Offline authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_authentication: Option<OfflineAuthentication>,
    /// Account lockout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout: Option<Lockout>,
    /// Security questions for emergency access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_questions: Option<SecurityQuestions>,
    /// Self-service password and PIN reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_service_reset: Option<SelfServiceReset>,
    /// Single sign-on and bypass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso: Option<SsoSettings>,
    /// Whether these users reach Spine applications through the Spine Combined Workflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spine: Option<bool>,
}

impl UserPolicy {
    /// Whether two factors are required: as stated, or else as the factor pairs imply.
    pub fn requires_two_factors(&self) -> Option<bool> {
        self.two_factor_required.or_else(|| {
            let pairs = self.factor_pairs.as_ref()?;
            (!pairs.is_empty()).then(|| pairs.iter().all(FactorPair::is_two_factor))
        })
    }
}

crate::coded_enum! {
    /// The kind of workstation a computer policy is for.
    pub enum Workstation ("workstation type") {
        SingleUser = "single-user", "single-user workstation";
        SharedKiosk = "shared-kiosk", "shared kiosk";
        FastUserSwitching = "fast-user-switching", "multiple desktops (fast user switching)";
        TerminalServer = "terminal-server", "terminal server";
        ThinClient = "thin-client", "thin client";
    }
}

impl Workstation {
    /// Whether several people use the same device in turn.
    pub fn is_shared(self) -> bool {
        self != Workstation::SingleUser
    }
}

crate::coded_enum! {
    /// Where the workstations stand.
    pub enum Location ("location") {
        ClinicalArea = "clinical-area", "clinical area";
        EmergencyDepartment = "emergency-department", "emergency department";
        Theatre = "theatre", "theatre";
        Office = "office", "office";
        PublicArea = "public-area", "public area";
    }
}

impl Location {
    /// Whether patients or the public can see the screen: every place except an office.
    pub fn is_clinical_or_public(self) -> bool {
        self != Location::Office
    }
}

crate::coded_enum! {
    /// How a workstation warns before it locks.
    pub enum WarningType ("warning type") {
        None = "none", "no warning";
        Balloon = "balloon", "balloon";
        Screensaver = "screensaver", "screensaver";
    }
}

/// Settings of shared kiosks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KioskSettings {
    /// Whether a tap switches straight to the next user's applications.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fast_user_switching: Option<bool>,
    /// Whether each device has its own generic Windows account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic_account_per_device: Option<bool>,
    /// Whether the generic accounts' passwords are managed (long, random, rotated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic_password_managed: Option<bool>,
    /// Whether the Citrix client shuts down when the user switches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shut_down_citrix_on_switch: Option<bool>,
}

/// What a computer policy overrides in the user policies of those who sign in there.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Requires two factors here whatever the user policy allows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_two_factors: Option<bool>,
    /// Refuses offline authentication here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disallow_offline_authentication: Option<bool>,
    /// Refuses security questions here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disallow_security_questions: Option<bool>,
    /// Allows or denies single sign-on bypass here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_sso_bypass: Option<bool>,
    /// Days offline single sign-on data is kept here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_sso_max_days: Option<u16>,
}

/// How one kind of workstation locks and switches users.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ComputerPolicy {
    /// The policy's name.
    pub name: String,
    /// Whether this is the default policy, for computers given no other.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// The kind of workstation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workstation: Option<Workstation>,
    /// Where the workstations stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// How many computers have it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computer_count: Option<u32>,
    /// Keyboard and mouse inactivity before the workstation locks; 0 means it never locks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactivity_lock_s: Option<Seconds>,
    /// How long before the lock a warning shows; 0 means no warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_warning_s: Option<Seconds>,
    /// How the warning shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning_type: Option<WarningType>,
    /// Idle time after which a notice shows who is signed in; 0 means never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_current_user_after_s: Option<Seconds>,
    /// Whether tapping a proximity card locks the workstation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tap_to_lock: Option<bool>,
    /// Shared kiosk settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk: Option<KioskSettings>,
    /// Overrides of the user policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Overrides>,
}

crate::coded_enum! {
    /// How an application is signed into.
    pub enum AppKind ("application kind") {
        Windows = "windows", "Windows application";
        Web = "web", "web application";
        Java = "java", "Java application";
        Terminal = "terminal", "terminal emulator";
        Saml = "saml", "SAML single sign-on";
    }
}

crate::coded_enum! {
    /// Who an application profile is deployed to.
    pub enum Scope ("deployment scope") {
        AllUsers = "all-users", "all users";
        Groups = "groups", "selected groups";
    }
}

/// One application enrolled for single sign-on.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicationProfile {
    /// The application.
    pub application: String,
    /// How it is signed into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AppKind>,
    /// Who the profile is deployed to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Whether users may bypass single sign-on for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bypass_allowed: Option<bool>,
    /// Whether it runs correctly in several Windows sessions at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_session_capable: Option<bool>,
}

crate::coded_enum! {
    /// The kind of NHS smartcard.
    pub enum CardType ("card type") {
        Physical = "physical", "physical smartcard";
        Virtual = "virtual", "virtual smartcard";
    }
}

crate::coded_enum! {
    /// The Spine environment the Identity Agent talks to.
    pub enum SpineEnvironment ("Spine environment") {
        Production = "production", "production";
        Integration = "integration", "integration";
        Development = "development", "development";
    }
}

/// NHS smartcard and Spine integration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpineIntegration {
    /// Whether the Spine Combined Workflow is in use.
    pub enabled: bool,
    /// Physical or virtual smartcards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_type: Option<CardType>,
    /// The NHS Identity Agent version, in quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_agent_version: Option<Version>,
    /// The NHS Credential Manager version, in quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_manager_version: Option<Version>,
    /// The Spine environment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<SpineEnvironment>,
    /// How long the appliance keeps a Spine session alive without re-authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_period_s: Option<Seconds>,
}

/// How administrators of the platform are kept apart.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AdministratorAccess {
    /// Whether administrators use accounts separate from their everyday ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub separate_admin_accounts: Option<bool>,
    /// Whether administrator accounts require multi-factor authentication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_mfa: Option<bool>,
    /// Whether admin consoles are reached only from workstations with no internet or email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consoles_only_from_workstations_without_internet: Option<bool>,
    /// How many people hold the super administrator role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub super_administrators: Option<u16>,
    /// The day the list of administrators was last reviewed, or never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_list_reviewed: Option<LastDone>,
}

/// A system through which staff or suppliers reach the network from outside.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RemoteAccessSystem {
    /// Its name.
    pub name: String,
    /// Whether it enforces multi-factor authentication for every user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_enforced: Option<bool>,
    /// Whether it gives privileged (administrative) access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
    /// Whether it is hosted outside the organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub externally_hosted: Option<bool>,
}

crate::coded_enum! {
    /// How far clinical IT is separated from operational technology.
    pub enum NetworkSeparation ("network separation") {
        Separated = "separated", "separated";
        Partial = "partial", "partly separated";
        None = "none", "not separated";
        NoOtNetwork = "no-ot-network", "no operational technology on the network";
    }
}

/// Backups, training, network separation and supplier checks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Operations {
    /// The day a restore from backup was last tested, or never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_last_tested: Option<LastDone>,
    /// The share of staff who completed security training in the last 12 months.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training_coverage_percent: Option<Percent>,
    /// How far clinical IT is separated from operational technology.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub it_ot_separation: Option<NetworkSeparation>,
    /// The day due diligence on the access-management supplier was last done, or never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier_due_diligence: Option<LastDone>,
}

//! Stakeholder contacts: whom to call at another organisation (its project manager, clinical
//! lead, IT lead, registration authority manager, supplier contact…). Contacts are personal
//! data: only signed-in members see them, as each contact's visibility allows; every page view,
//! address card and export is written to the audit log; a member may open only so many contacts
//! an hour; bulk exports are for administrators and the organisation's publishers alone.
//!
//! - `model`: what the pages show and the forms send, shared by server and browser;
//! - `validate`: the rules a contact meets, typed, imported from a file or from CSV;
//! - `store`: the `contacts`, `contact_roles` and `contact_initiatives` tables;
//! - `reading`: the directory, a contact's page (counted and audited), a plan's contacts and
//!   the contacts due for checking, after the permission check;
//! - `editing`: the contact editor and archiving;
//! - `csv`: CSV export and the import's dry run and confirmation;
//! - `vcard`: vCard 4.0 (RFC 6350) address cards;
//! - `api`, `pages`, `edit_page`: server functions and pages.

pub mod api;
#[cfg(feature = "ssr")]
pub mod csv;
pub mod edit_page;
#[cfg(feature = "ssr")]
pub mod editing;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reading;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod validate;
#[cfg(feature = "ssr")]
pub mod vcard;

crate::coded_enum! {
    /// A contact's part in deployments, as the directory filters by it.
    pub enum ContactRole ("contact role") {
        ProjectManager = "project-manager", "Project manager";
        ProgrammeLead = "programme-lead", "Programme lead";
        ClinicalLead = "clinical-lead", "Clinical lead";
        ItLead = "it-lead", "IT lead";
        InformationGovernanceLead = "information-governance-lead", "Information governance lead";
        RegistrationAuthorityManager = "registration-authority-manager", "Registration authority manager";
        ClinicalSafetyOfficer = "clinical-safety-officer", "Clinical safety officer";
        CyberSecurityLead = "cyber-security-lead", "Cyber security lead";
        Trainer = "trainer", "Trainer";
        ServiceDeskLead = "service-desk-lead", "Service desk lead";
        SupplierContact = "supplier-contact", "Supplier contact";
    }
}

impl ContactRole {
    /// A role written by its code or its label, in any case ("IT lead", "it-lead").
    pub fn read(text: &str) -> Result<Self, String> {
        let text = text.trim();
        Self::ALL
            .iter()
            .copied()
            .find(|r| r.as_str().eq_ignore_ascii_case(text) || r.label().eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                let labels: Vec<&str> = Self::ALL.iter().map(|r| r.label()).collect();
                format!(
                    "unknown role {text:?}: expected one of {}",
                    labels.join(", ")
                )
            })
    }
}

/// Who sees a contact (decided in `permissions`, which sits below this module).
pub use crate::permissions::ContactVisibility;

/// How long a contact's details are trusted before they are flagged for checking.
pub const VERIFY_EVERY_MONTHS: u32 = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_read_by_code_or_label_in_any_case() {
        assert_eq!(ContactRole::read("IT lead"), Ok(ContactRole::ItLead));
        assert_eq!(
            ContactRole::read(" clinical-lead "),
            Ok(ContactRole::ClinicalLead)
        );
        assert_eq!(
            ContactRole::read("REGISTRATION AUTHORITY MANAGER"),
            Ok(ContactRole::RegistrationAuthorityManager)
        );
        let refused = ContactRole::read("Chief cook").unwrap_err();
        assert!(refused.contains("unknown role \"Chief cook\""), "{refused}");
        assert!(refused.contains("Supplier contact"), "{refused}");
    }
}

//! The vocabulary of the append-only audit log: what was done ([`Action`]) and by whom
//! ([`Actor`]). Entries are written only by the recorder in [`crate::db::recorder`], in the same
//! transaction as the change they describe; the tables' triggers refuse updates and deletes.

crate::coded_enum! {
    /// The kinds of event recorded. Later features add their own.
    pub enum Action ("audit action") {
        SignIn = "sign-in", "Signed in";
        SignInFailed = "sign-in-failed", "Sign-in failed";
        SignInLocked = "sign-in-locked", "Sign-in refused: locked out";
        SignOut = "sign-out", "Signed out";
        AccountUnlocked = "account-unlocked", "Account unlocked";
        SessionsEnded = "sessions-ended", "Signed out everywhere";
        UserCreated = "user-created", "User created";
        UserUpdated = "user-updated", "User updated";
        PasswordSet = "password-set", "Password set";
        OrganisationCreated = "organisation-created", "Organisation created";
        OrganisationUpdated = "organisation-updated", "Organisation updated";
        DocumentImported = "document-imported", "Document imported";
        DocumentCreated = "document-created", "Document created";
        DocumentEdited = "document-edited", "Document edited";
        DocumentSubmitted = "document-submitted", "Sent for review";
        DocumentApproved = "document-approved", "Approved and published";
        DocumentSentBack = "document-sent-back", "Sent back to the author";
        DocumentArchived = "document-archived", "Archived";
        DocumentRestored = "document-restored", "Revision restored";
        VisibilityChanged = "visibility-changed", "Visibility changed";
        EventCreated = "event-created", "Event created";
        EventUpdated = "event-updated", "Event updated";
        WaiverGranted = "waiver-granted", "Rule waived";
        WaiverWithdrawn = "waiver-withdrawn", "Waiver withdrawn";
        EventRemoved = "event-removed", "Event removed";
        FeedLinkMade = "feed-link-made", "Calendar feed link made";
        ContactCreated = "contact-created", "Contact added";
        ContactUpdated = "contact-updated", "Contact changed";
        ContactArchived = "contact-archived", "Contact archived";
        ContactRestored = "contact-restored", "Contact restored";
        ContactViewed = "contact-viewed", "Contact page viewed";
        ContactCardDownloaded = "contact-card-downloaded", "Contact's vCard downloaded";
        ContactsExported = "contacts-exported", "Contacts exported";
        ContactsImported = "contacts-imported", "Contacts imported";
    }
}

/// Who acted: a signed-in user, or the system (command line, first start, import).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// The user's email, or what the system was doing ("import").
    pub label: String,
    pub org_id: Option<i64>,
    pub client_addr: Option<String>,
}

impl Actor {
    /// The portal itself, acting from the command line or at start-up.
    pub fn system(label: &str) -> Self {
        Self {
            user_id: None,
            label: label.to_owned(),
            org_id: None,
            client_addr: None,
        }
    }
}

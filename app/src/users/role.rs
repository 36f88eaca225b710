crate::coded_enum! {
    /// What a member of an organisation may do. Each role includes the ones before it; the
    /// permission module alone decides what each role allows.
    pub enum Role ("role") {
        /// Reads what their organisation and the network share.
        Reader = "reader", "Reader";
        /// Also writes drafts for their organisation.
        Editor = "editor", "Editor";
        /// Also approves and publishes their organisation's documents.
        Publisher = "publisher", "Publisher";
        /// Runs the portal: every organisation, user and document.
        Admin = "admin", "Administrator";
    }
}

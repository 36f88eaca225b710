//! The steps of a document's workflow, stored as stable codes in `workflow_steps` and shown in
//! its history.

#[cfg(feature = "ssr")]
use crate::audit::Action;

crate::coded_enum! {
    /// A step in a document's life. Labels are what the history shows.
    pub enum WorkflowStep ("workflow step") {
        Created = "created", "created";
        Saved = "saved", "saved";
        Submitted = "submitted", "submitted";
        Approved = "approved", "approved";
        SentBack = "sent_back", "sent back";
        Archived = "archived", "archived";
        Restored = "restored", "restored";
        Imported = "imported", "imported";
    }
}

impl WorkflowStep {
    /// Steps after which a revision is one readers may have seen.
    pub const APPROVING: [WorkflowStep; 2] = [WorkflowStep::Approved, WorkflowStep::Imported];

    /// The audit entry the step writes.
    #[cfg(feature = "ssr")]
    pub fn action(self) -> Action {
        match self {
            WorkflowStep::Created => Action::DocumentCreated,
            WorkflowStep::Saved => Action::DocumentEdited,
            WorkflowStep::Submitted => Action::DocumentSubmitted,
            WorkflowStep::Approved => Action::DocumentApproved,
            WorkflowStep::SentBack => Action::DocumentSentBack,
            WorkflowStep::Archived => Action::DocumentArchived,
            WorkflowStep::Restored => Action::DocumentRestored,
            WorkflowStep::Imported => Action::DocumentImported,
        }
    }
}

crate::coded_enum! {
    /// A transition a workflow button asks for.
    pub enum Transition ("workflow step") {
        Submit = "submit", "Send for review";
        Approve = "approve", "Approve and publish";
        SendBack = "send-back", "Send back to the author";
        Archive = "archive", "Archive";
    }
}

impl Transition {
    /// The step it records.
    pub fn step(self) -> WorkflowStep {
        match self {
            Transition::Submit => WorkflowStep::Submitted,
            Transition::Approve => WorkflowStep::Approved,
            Transition::SendBack => WorkflowStep::SentBack,
            Transition::Archive => WorkflowStep::Archived,
        }
    }
}

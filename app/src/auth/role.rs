use serde::{Deserialize, Serialize};

/// What a member of an organisation may do. Each role includes the ones before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Reads what their organisation and the network share.
    Reader,
    /// Also writes drafts for their organisation.
    Editor,
    /// Also approves and publishes their organisation's documents.
    Publisher,
    /// Runs the portal: every organisation, user and document.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Editor, Role::Publisher, Role::Admin];

    /// The stored and command-line name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Publisher => "publisher",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Reader => "Reader",
            Role::Editor => "Editor",
            Role::Publisher => "Publisher",
            Role::Admin => "Administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_ascii_lowercase())
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

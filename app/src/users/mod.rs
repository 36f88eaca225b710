//! People who sign in: each belongs to one organisation and holds one role.

use serde::{Deserialize, Serialize};

mod role;
pub use role::Role;

#[cfg(feature = "ssr")]
pub mod store;

/// The signed-in user, as pages and permission checks see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub org_id: i64,
    pub org_slug: String,
    pub org_name: String,
    pub role: Role,
}

/// Checks an email address well enough to catch typing mistakes; delivery is not attempted.
pub fn validate_email(email: &str) -> Result<String, String> {
    let email = email.trim().to_ascii_lowercase();
    if email.is_empty() {
        return Err("Enter an email address".into());
    }
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if valid {
        Ok(email)
    } else {
        Err(format!(
            "Enter an email address in the correct format, like name@example.nhs.uk (got {email:?})"
        ))
    }
}

/// Parses a role name, naming the allowed values when it is not one.
pub fn parse_role(role: &str) -> Result<Role, String> {
    Role::parse(&role.trim().to_ascii_lowercase()).map_err(|_| {
        format!("unknown role {role:?}: expected one of reader, editor, publisher, admin")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            validate_email(" A.B@Fife.NHS.example ").unwrap(),
            "a.b@fife.nhs.example"
        );
        assert!(validate_email("no-at-sign").is_err());
        assert!(validate_email("a@b").is_err());
        assert!(validate_email("a b@c.d").is_err());
        assert!(validate_email("").is_err());
    }

    #[test]
    fn roles_parse_by_name_only() {
        assert_eq!(parse_role("Publisher").unwrap(), Role::Publisher);
        assert!(parse_role("owner").unwrap_err().contains("reader, editor"));
    }
}

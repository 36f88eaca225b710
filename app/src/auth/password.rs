//! Password hashing (argon2id) and generation.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;

/// Hashes a password with argon2id and a random salt (PHC string format).
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// Spends the same effort as a real check, so an unknown email takes as long as a wrong password.
pub fn verify_against_nothing(password: &str) {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy =
        DUMMY.get_or_init(|| hash("not a real password, only for timing").unwrap_or_default());
    let _ = verify(password, dummy);
}

/// A random password of 20 characters from an alphabet without look-alike characters.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..20)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// Refuses passwords that are too short or obviously weak, saying why.
pub fn check_strength(password: &str, email: &str) -> Result<(), String> {
    if password.chars().count() < MIN_LENGTH {
        return Err(format!(
            "The password must be at least {MIN_LENGTH} characters long"
        ));
    }
    if password.chars().count() > super::MAX_PASSWORD_CHARS {
        return Err(format!(
            "The password must be at most {} characters long",
            super::MAX_PASSWORD_CHARS
        ));
    }
    if password.chars().all(|c| password.starts_with(c)) {
        return Err("The password must not be one character repeated".into());
    }
    let local = email.split('@').next().unwrap_or_default();
    if local.len() >= 3 && password.to_lowercase().contains(&local.to_lowercase()) {
        return Err("The password must not contain the email address".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_only_its_password() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &h));
        assert!(!verify("wrong horse battery", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_long_and_different() {
        let a = generate();
        assert_eq!(a.len(), 20);
        assert_ne!(a, generate());
        assert!(check_strength(&a, "x@y.z").is_ok());
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert!(check_strength("short", "a@b.c")
            .unwrap_err()
            .contains("12 characters"));
        assert!(check_strength("aaaaaaaaaaaaaaaa", "a@b.c").is_err());
        assert!(check_strength(&"correct horse ".repeat(80), "a@b.c")
            .unwrap_err()
            .contains("at most 1024 characters"));
        assert!(check_strength("morag.testwell-2026", "morag.testwell@x.y").is_err());
    }
}

//! Password hashing (argon2id) and generation.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// The hash an unknown email is checked against, so that it costs exactly what a real check
/// costs (the same parameters as [`hash`]). A hash of a random string nobody knows.
const NOBODY: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$XMtTaNq0xWz8Jt8btEr1yw$0n4WNRojwuyzZs6qJdZzUpu3fHRww1xJbdQg8hzOvus";

/// The memory of an argon2 check (19 MiB with our parameters), kept and reused from check to
/// check by the thread that does them. Allocating it afresh for every check, on whichever thread
/// runs it, left the freed 19 MiB blocks with the allocator's per-thread arenas: a burst of
/// checks kept hundreds of MB resident for good.
#[derive(Default)]
pub struct WorkArea(Vec<Block>);

/// Allocations larger than this always get pages of their own from glibc's malloc, whatever
/// its dynamic threshold (`DEFAULT_MMAP_THRESHOLD_MAX` on 64-bit systems).
const MMAP_ALWAYS: usize = 32 * 1024 * 1024;

impl WorkArea {
    /// Checks a password against a stored hash in this work area, exactly as [`verify`] does;
    /// a malformed hash never matches. The area is wiped afterwards.
    pub fn verify(&mut self, password: &str, stored: &str) -> bool {
        let matches = self.compute(password, stored).unwrap_or(false);
        self.0.fill(Block::default());
        matches
    }

    /// The same work as [`WorkArea::verify`] against a hash nobody's password matches, so that
    /// an unknown email takes as long as a wrong password.
    pub fn verify_against_nothing(&mut self, password: &str) {
        let _ = self.verify(password, NOBODY);
    }

    fn compute(&mut self, password: &str, stored: &str) -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let expected = parsed.hash?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = match parsed.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&parsed).ok()?;
        let mut salt = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
        let blocks = params.block_count();
        if self.0.len() < blocks {
            // Reserved above glibc's largest mmap threshold (32 MiB), the area always gets pages
            // of its own, which go straight back to the system when it is dropped; only the
            // blocks used are ever touched, so only they are resident.
            let reserve = blocks.max(MMAP_ALWAYS / std::mem::size_of::<Block>() + 1);
            let mut area = Vec::with_capacity(reserve);
            area.resize(blocks, Block::default());
            self.0 = area;
        }
        let mut out = vec![0u8; expected.len()];
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt,
                &mut out,
                &mut self.0[..blocks],
            )
            .ok()?;
        // Output compares in constant time.
        Some(Output::new(&out).ok()? == expected)
    }
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
    fn a_reused_work_area_checks_exactly_as_argon2_does() {
        let h = hash("correct horse battery").unwrap();
        let mut area = WorkArea::default();
        for _ in 0..2 {
            assert!(area.verify("correct horse battery", &h));
            assert!(!area.verify("wrong horse battery", &h));
        }
        assert!(!area.verify("anything", "not a hash"));
        assert!(!area.verify("anything", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ"));
        // The stand-in for unknown emails is a real hash with the same parameters.
        let nobody = PasswordHash::new(NOBODY).unwrap();
        let ours = PasswordHash::new(&h).unwrap();
        assert_eq!(nobody.params, ours.params);
        assert_eq!(nobody.algorithm, ours.algorithm);
        assert!(!verify("", NOBODY));
        assert!(
            area.0.iter().all(|b| b.as_ref().iter().all(|w| *w == 0)),
            "wiped"
        );
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

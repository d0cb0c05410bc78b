//! Credentials. Passwords are stored as argon2id hashes (OWASP's parameters: 19 MiB, 2 passes,
//! 1 lane); every other secret (session ids, reset links, API tokens, invitations) is a random
//! token of 256 bits given to its owner once and stored only as its SHA-256.

pub mod totp;

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

const MIN_PASSWORD: usize = 10;
const MAX_PASSWORD: usize = 1000;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Whether a new password is acceptable; the message names the rule.
pub fn check_new_password(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(format!("must be at least {MIN_PASSWORD} characters"));
    }
    if n > MAX_PASSWORD {
        return Err(format!("must be at most {MAX_PASSWORD} characters"));
    }
    if password.chars().all(|c| c == password.chars().next().unwrap_or(' ')) {
        return Err("must not be one character repeated".into());
    }
    Ok(())
}

/// The PHC string of an argon2id hash of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    argon2().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| format!("hashing the password failed: {e}"))
}

/// Whether `password` matches `hash`. A malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    password.len() <= 4 * MAX_PASSWORD && argon2().verify_password(password.as_bytes(), hash).is_ok()
}

/// A hash to verify against when the account does not exist, so that the answer takes as long.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such account, but it costs the same").unwrap_or_default())
}

/// A new random token: 256 bits as 64 hex characters.
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// What is stored for a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A password to print once (for `loket staff add` without standard input): 20 characters
/// from an alphabet without look-alikes.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..20).map(|_| ALPHABET[rand::random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterY", &a));
        assert!(!verify_password("anything", "not a hash"));
        assert!(!verify_password("anything", dummy_hash()));
    }

    #[test]
    fn password_rules() {
        assert!(check_new_password("short").unwrap_err().contains("at least 10"));
        assert!(check_new_password("aaaaaaaaaaaa").is_err());
        assert!(check_new_password("a perfectly fine pass").is_ok());
        assert!(check_new_password(&generate_password()).is_ok());
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, new_token());
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}

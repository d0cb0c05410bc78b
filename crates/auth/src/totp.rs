//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as every
//! authenticator app makes them, and single-use recovery codes.

use hmac::{Hmac, Mac};
use sha1::Sha1;

pub const STEP_SECONDS: u64 = 30;
pub const DIGITS: u32 = 6;

/// A new random secret of 160 bits (as RFC 4226 recommends).
pub fn new_secret() -> Vec<u8> {
    rand::random::<[u8; 20]>().to_vec()
}

/// The code for time step `step`.
pub fn code_at_step(secret: &[u8], step: u64) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[19] & 0x0f) as usize;
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    binary % 10u32.pow(DIGITS)
}

pub fn step_of(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// Checks `code` at `unix_seconds`, allowing one step of clock drift either way. Returns the
/// step it matched, which must be later than `last_used_step` (a code works once).
pub fn verify(secret: &[u8], code: &str, unix_seconds: u64, last_used_step: Option<u64>) -> Option<u64> {
    let code = code.trim().replace(' ', "");
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let wanted: u32 = code.parse().ok()?;
    let now = step_of(unix_seconds);
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|s| last_used_step.is_none_or(|last| *s > last))
        .find(|s| code_at_step(secret, *s) == wanted)
}

/// RFC 4648 base32 without padding: how authenticator apps take the secret.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for b in bytes {
        buffer = (buffer << 8) | u32::from(*b);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The `otpauth://` address an authenticator app reads (from a QR code or pasted).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// Ten recovery codes (`xxxx-xxxx-xxxx`), each usable once in place of a TOTP code.
pub fn new_recovery_codes() -> Vec<String> {
    (0..10)
        .map(|_| {
            let raw = hex::encode(rand::random::<[u8; 6]>());
            format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
        })
        .collect()
}

/// How a recovery code is stored (and compared): SHA-256 of its normalised form.
pub fn recovery_code_hash(code: &str) -> String {
    let normalised: String = code.trim().to_ascii_lowercase().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    crate::token_hash(&normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6238 appendix B vectors for SHA-1, cut to 6 digits.
    #[test]
    fn rfc6238_vectors() {
        let secret = b"12345678901234567890";
        for (t, want) in
            [(59u64, 287082u32), (1111111109, 81804), (1111111111, 50471), (1234567890, 5924), (2000000000, 279037), (20000000000, 353130)]
        {
            assert_eq!(code_at_step(secret, step_of(t)), want, "t={t}");
        }
    }

    #[test]
    fn verify_allows_one_step_of_drift_and_no_replay() {
        let secret = b"12345678901234567890";
        let t = 1111111111;
        let code = format!("{:06}", code_at_step(secret, step_of(t)));
        assert_eq!(verify(secret, &code, t, None), Some(step_of(t)));
        assert_eq!(verify(secret, &code, t + 30, None), Some(step_of(t)), "one step late");
        assert_eq!(verify(secret, &code, t + 90, None), None, "three steps late");
        assert_eq!(verify(secret, &code, t, Some(step_of(t))), None, "used already");
        assert_eq!(verify(secret, "12345", t, None), None);
        assert_eq!(verify(secret, "abcdef", t, None), None);
    }

    #[test]
    fn base32_matches_rfc4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn recovery_codes() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(recovery_code_hash(&codes[0].to_uppercase().replace('-', " ")), recovery_code_hash(&codes[0]));
        assert!(
            otpauth_uri("Loket Demo", "a@b.nl", b"12345678901234567890").starts_with("otpauth://totp/Loket%20Demo:a@b.nl?secret=GEZDG")
        );
    }
}

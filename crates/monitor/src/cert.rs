//! A certificate's notAfter, read by walking its DER far enough to reach the validity, and dates
//! for people.
//!
//! Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber
//! INTEGER, signature AlgorithmIdentifier, issuer Name, validity SEQUENCE { notBefore Time,
//! notAfter Time }, … }, … }, Time being UTCTime (YYMMDDHHMMSSZ) or GeneralizedTime
//! (YYYYMMDDHHMMSSZ) — the only forms DER allows (RFC 5280 4.1.2.5). Anything else reads as
//! `None`. rustls has verified the certificate before this reads it; this only needs the date.

use jiff::Timestamp;
use jiff::tz::TimeZone;

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const VERSION: u8 = 0xa0;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;

/// Unix seconds of the notAfter of a DER-encoded X.509 certificate.
pub(crate) fn not_after(der: &[u8]) -> Option<i64> {
    let (tag, cert, _) = element(der)?;
    if tag != SEQUENCE {
        return None;
    }
    let (tag, tbs, _) = element(cert)?;
    if tag != SEQUENCE {
        return None;
    }
    let mut rest = tbs;
    if rest.first() == Some(&VERSION) {
        rest = element(rest)?.2;
    }
    for expected in [INTEGER, SEQUENCE, SEQUENCE] {
        let (tag, _, after) = element(rest)?;
        if tag != expected {
            return None;
        }
        rest = after;
    }
    let (tag, validity, _) = element(rest)?;
    if tag != SEQUENCE {
        return None;
    }
    let (_, _, after_not_before) = element(validity)?;
    let (tag, time, _) = element(after_not_before)?;
    parse_time(tag, time)
}

/// One DER element: its tag, its contents and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    if tag & 0x1f == 0x1f {
        return None; // a multi-byte tag: none in the part of a certificate read here
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

fn parse_time(tag: u8, text: &[u8]) -> Option<i64> {
    let digits = |s: &[u8]| -> Option<i64> { s.iter().try_fold(0i64, |acc, b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))) };
    let (year, rest) = match (tag, text.len()) {
        (UTC_TIME, 13) => {
            let yy = digits(&text[..2])?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &text[2..])
        }
        (GENERALIZED_TIME, 15) => (digits(&text[..4])?, &text[4..]),
        _ => return None,
    };
    if rest[10] != b'Z' {
        return None;
    }
    let field = |i: usize| digits(&rest[i..i + 2]);
    let (month, day, hour, minute, second) = (field(0)?, field(2)?, field(4)?, field(6)?, field(8)?);
    let dt =
        jiff::civil::DateTime::new(i16::try_from(year).ok()?, month as i8, day as i8, hour as i8, minute as i8, second as i8, 0).ok()?;
    Some(dt.to_zoned(TimeZone::UTC).ok()?.timestamp().as_second())
}

/// The UTC date of a unix time: `2026-12-03`.
pub(crate) fn date(unix: i64) -> String {
    match Timestamp::from_second(unix) {
        Ok(ts) => ts.to_zoned(TimeZone::UTC).date().to_string(),
        Err(_) => format!("@{unix}"),
    }
}

pub(crate) fn now() -> i64 {
    Timestamp::now().as_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if contents.len() < 0x80 {
            out.push(contents.len() as u8);
        } else {
            out.push(0x82);
            out.extend_from_slice(&(contents.len() as u16).to_be_bytes());
        }
        out.extend_from_slice(contents);
        out
    }

    /// A certificate with only the fields walked over: enough for `not_after`.
    fn skeleton(version: bool, not_before: (u8, &str), not_after: (u8, &str), padding: usize) -> Vec<u8> {
        let mut tbs = Vec::new();
        if version {
            tbs.extend(tlv(VERSION, &tlv(INTEGER, &[2])));
        }
        tbs.extend(tlv(INTEGER, &[0x01, 0x23]));
        tbs.extend(tlv(SEQUENCE, &tlv(0x06, &[0x2a, 0x86, 0x48])));
        tbs.extend(tlv(SEQUENCE, &vec![0u8; padding]));
        let mut validity = tlv(not_before.0, not_before.1.as_bytes());
        validity.extend(tlv(not_after.0, not_after.1.as_bytes()));
        tbs.extend(tlv(SEQUENCE, &validity));
        let mut cert = tlv(SEQUENCE, &tbs);
        cert.extend(tlv(SEQUENCE, &[]));
        tlv(SEQUENCE, &cert)
    }

    #[test]
    fn utc_and_generalized_times() {
        let c = skeleton(true, (UTC_TIME, "250101000000Z"), (UTC_TIME, "261203120000Z"), 10);
        assert_eq!(not_after(&c), Some(1_796_299_200));
        assert_eq!(date(1_796_299_200), "2026-12-03");
        let c = skeleton(false, (UTC_TIME, "991231235959Z"), (GENERALIZED_TIME, "20510101000000Z"), 300);
        assert_eq!(not_after(&c), Some(2_556_144_000));
        // Two-digit years of 50 and more are the 1900s.
        let c = skeleton(true, (UTC_TIME, "500101000000Z"), (UTC_TIME, "500102000000Z"), 0);
        assert_eq!(not_after(&c), Some(-631_065_600));
    }

    #[test]
    fn anything_else_is_none() {
        assert_eq!(not_after(&[]), None);
        assert_eq!(not_after(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
        let good = skeleton(true, (UTC_TIME, "250101000000Z"), (UTC_TIME, "261203120000Z"), 10);
        for cut in 0..good.len() {
            assert_eq!(not_after(&good[..cut]), None, "cut at {cut}");
        }
        for bad in ["261203120000", "2612031200Z0", "261303120000Z", "26120312000aZ", "261203120000+0100"] {
            let c = skeleton(true, (UTC_TIME, "250101000000Z"), (UTC_TIME, bad), 0);
            assert_eq!(not_after(&c), None, "{bad}");
        }
        let c = skeleton(true, (UTC_TIME, "250101000000Z"), (0x04, "261203120000Z"), 0);
        assert_eq!(not_after(&c), None);
    }

    #[test]
    fn flipped_bytes_never_panic() {
        let good = skeleton(true, (UTC_TIME, "250101000000Z"), (GENERALIZED_TIME, "20261203120000Z"), 200);
        for i in 0..good.len() {
            for v in [0x00, 0x1f, 0x7f, 0x80, 0x81, 0x84, 0xff] {
                let mut c = good.clone();
                c[i] = v;
                let _ = not_after(&c);
            }
        }
    }

    #[cfg(feature = "testing")]
    #[test]
    fn real_certificates() {
        let pki = crate::testing::TestPki::new(3);
        assert_eq!(not_after(&pki.chain[0]), Some(pki.not_after));
        assert!(not_after(&pki.ca).unwrap() > now() + 365 * 86_400);
    }
}

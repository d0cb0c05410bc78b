//! The small values both formats share: amounts in minor units, currencies, IBANs, BICs, RF
//! creditor references, and turning a file's bytes into text.

use std::borrow::Cow;

/// Digits after the decimal point (ISO 4217). Currencies not listed have two.
pub(crate) fn exponent(currency: &str) -> u32 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND" | "VUV" | "XAF" | "XOF"
        | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        "CLF" | "UYW" => 4,
        _ => 2,
    }
}

pub(crate) fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountError {
    Malformed,
    /// A non-zero digit beyond the currency's decimals: the amount cannot be booked exactly.
    TooPrecise,
    TooLarge,
}

impl AmountError {
    /// The problem in words, for an error message: `amount "8.855" EUR …`.
    pub(crate) fn explain(self, text: &str, currency: &str) -> String {
        let text = sample(text);
        match self {
            AmountError::Malformed => format!("\"{text}\" is not an amount"),
            AmountError::TooPrecise => format!(
                "amount {text} {currency} has more decimals than {currency} has ({}), so it cannot be booked exactly",
                exponent(currency)
            ),
            AmountError::TooLarge => format!("amount {text} {currency} is too large"),
        }
    }
}

/// Parses an unsigned decimal (`8.85`, `8.850`, `0,`, `000000001000,00`, `500`) into minor units of
/// `currency`. Extra decimals are accepted only as zeros: `8.850` EUR is 885, `8.855` EUR is an error.
pub(crate) fn parse_amount(text: &str, separator: char, currency: &str) -> Result<i64, AmountError> {
    let t = text.trim();
    let (whole, frac) = t.split_once(separator).unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(frac) || (whole.is_empty() && frac.is_empty()) {
        return Err(AmountError::Malformed);
    }
    let exp = exponent(currency) as usize;
    let (kept, extra) = frac.split_at(frac.len().min(exp));
    if extra.bytes().any(|b| b != b'0') {
        return Err(AmountError::TooPrecise);
    }
    let whole = whole.trim_start_matches('0');
    if whole.len() > 15 {
        return Err(AmountError::TooLarge);
    }
    let mut minor: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| AmountError::Malformed)? };
    for i in 0..exp {
        let d = kept.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        minor = minor.checked_mul(10).and_then(|m| m.checked_add(d)).ok_or(AmountError::TooLarge)?;
    }
    Ok(minor)
}

/// `-1234.56`, `2700` (JPY): minor units as a decimal, for messages and for the writer.
pub(crate) fn format_amount(minor: i64, currency: &str) -> String {
    let exp = exponent(currency);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let scale = 10u64.pow(exp);
    format!("{sign}{}.{:0width$}", abs / scale, abs % scale, width = exp as usize)
}

/// At most 40 characters of `text`, for quoting what a file says in a message.
pub(crate) fn sample(text: &str) -> String {
    sample_n(text, 40)
}

/// At most `n` characters of `text`.
pub(crate) fn sample_n(text: &str, n: usize) -> String {
    let mut s: String = text.chars().take(n).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// Remainder modulo 97 of alphanumeric parts read one after the other as ISO 7064 digits
/// (A = 10 … Z = 35): the check of IBANs and RF references.
pub(crate) fn mod97(parts: &[&str]) -> Option<u32> {
    let mut rem = 0u32;
    for c in parts.iter().flat_map(|p| p.chars()) {
        let v = c.to_digit(36)?;
        rem = if v < 10 { (rem * 10 + v) % 97 } else { (rem * 100 + v) % 97 };
    }
    Some(rem)
}

/// `NL91 abna 0417 1643 00` → `NL91ABNA0417164300` when it has an IBAN's shape (country letters,
/// two check digits, 11 to 30 letters and digits). The check digits are not verified here.
pub(crate) fn iban_shape(text: &str) -> Option<String> {
    let len = text.bytes().filter(|b| !b.is_ascii_whitespace()).count();
    let mut b = text.bytes().filter(|b| !b.is_ascii_whitespace());
    let ok = (15..=34).contains(&len)
        && b.by_ref().take(2).all(|c| c.is_ascii_alphabetic())
        && b.by_ref().take(2).all(|c| c.is_ascii_digit())
        && b.all(|c| c.is_ascii_alphanumeric());
    ok.then(|| {
        let mut s = String::with_capacity(len);
        s.extend(text.bytes().filter(|b| !b.is_ascii_whitespace()).map(|b| char::from(b.to_ascii_uppercase())));
        s
    })
}

/// Whether an IBAN (already in [`iban_shape`] form) has correct check digits.
pub(crate) fn iban_checks(iban: &str) -> bool {
    iban.len() > 4 && iban.is_char_boundary(4) && mod97(&[&iban[4..], &iban[..4]]) == Some(1)
}

/// A BIC: four letters (bank), two letters (country), two letters or digits (location), and
/// optionally three more (branch).
pub(crate) fn bic_shape(text: &str) -> Option<String> {
    let s = text.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    let ok = (b.len() == 8 || b.len() == 11) && b[..6].iter().all(u8::is_ascii_uppercase) && b[6..].iter().all(u8::is_ascii_alphanumeric);
    ok.then_some(s)
}

/// An ISO 11649 creditor reference (`RF18539007547034`) with correct check digits.
pub(crate) fn rf_checks(s: &str) -> bool {
    let b = s.as_bytes();
    (5..=25).contains(&b.len())
        && s.starts_with("RF")
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b[4..].iter().all(u8::is_ascii_alphanumeric)
        && mod97(&[&s[4..], &s[..4]]) == Some(1)
}

/// The first RF creditor reference in free text, also when written in groups (`RF18 5390 0754 7034`):
/// the longest run of space-separated groups (each with a digit) after a word-initial `RF` whose
/// check digits are right.
pub(crate) fn find_rf(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !word_start || !bytes[i].eq_ignore_ascii_case(&b'R') || !bytes[i + 1].eq_ignore_ascii_case(&b'F') {
            continue;
        }
        let mut candidate = String::new();
        let mut best = None;
        for (g, group) in text[i..].split(' ').enumerate() {
            // Printed references come in groups of four; a following word without digits is text.
            if group.is_empty() || candidate.len() + group.len() > 25 || (g > 0 && !group.bytes().any(|b| b.is_ascii_digit())) {
                break;
            }
            let alnum_len = group.bytes().take_while(u8::is_ascii_alphanumeric).count();
            candidate.push_str(&group[..alnum_len].to_ascii_uppercase());
            if rf_checks(&candidate) {
                best = Some(candidate.clone());
            }
            if alnum_len < group.len() {
                break;
            }
        }
        if best.is_some() {
            return best;
        }
    }
    None
}

/// Windows-1252 for the bytes 0x80–0x9F (the rest of the byte range is Latin-1); the five bytes
/// Windows-1252 leaves undefined keep their Latin-1 control meaning.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–',
    '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| if (0x80..0xA0).contains(&b) { CP1252_HIGH[usize::from(b - 0x80)] } else { char::from(b) }).collect()
}

/// The file as text: a byte-order mark decides (UTF-8, UTF-16), else UTF-8 when it is valid.
/// `Err(offset)` is the first byte that is not UTF-8, for the caller to decide on a fallback.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, usize> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest).map(Cow::Borrowed).map_err(|e| e.valid_up_to() + 3);
    }
    let utf16 = |rest: &[u8], be: bool| {
        let units = rest.chunks(2).map(|c| {
            if c.len() == 2 { if be { u16::from_be_bytes([c[0], c[1]]) } else { u16::from_le_bytes([c[0], c[1]]) } } else { 0xFFFD }
        });
        char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect::<String>()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Ok(Cow::Owned(utf16(rest, false)));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Ok(Cow::Owned(utf16(rest, true)));
    }
    std::str::from_utf8(bytes).map(Cow::Borrowed).map_err(|e| e.valid_up_to())
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_or_refused() {
        assert_eq!(parse_amount("8.85", '.', "EUR"), Ok(885));
        assert_eq!(parse_amount("8.850", '.', "EUR"), Ok(885));
        assert_eq!(parse_amount("5442.09000", '.', "RON"), Ok(544209));
        assert_eq!(parse_amount("8.855", '.', "EUR"), Err(AmountError::TooPrecise));
        assert_eq!(parse_amount("2700", '.', "JPY"), Ok(2700));
        assert_eq!(parse_amount("2700.5", '.', "JPY"), Err(AmountError::TooPrecise));
        assert_eq!(parse_amount("0,", ',', "EUR"), Ok(0));
        assert_eq!(parse_amount("000000001000,00", ',', "EUR"), Ok(100000));
        assert_eq!(parse_amount("1125250,4", ',', "EUR"), Ok(112525040));
        assert_eq!(parse_amount("1.234", '.', "KWD"), Ok(1234));
        assert_eq!(parse_amount("", '.', "EUR"), Err(AmountError::Malformed));
        assert_eq!(parse_amount("1.2.3", '.', "EUR"), Err(AmountError::Malformed));
        assert_eq!(parse_amount("-1", '.', "EUR"), Err(AmountError::Malformed));
        assert_eq!(parse_amount("9999999999999999", '.', "EUR"), Err(AmountError::TooLarge));
        assert_eq!(format_amount(-123456, "EUR"), "-1234.56");
        assert_eq!(format_amount(5, "EUR"), "0.05");
        assert_eq!(format_amount(2700, "JPY"), "2700");
    }

    #[test]
    fn ibans_bics_and_creditor_references() {
        assert_eq!(iban_shape("nl91 abna 0417 1643 00").as_deref(), Some("NL91ABNA0417164300"));
        assert!(iban_checks("NL91ABNA0417164300"));
        assert!(!iban_checks("NL92ABNA0417164300"));
        assert!(iban_shape("517852257").is_none());
        assert_eq!(bic_shape("ingbnl2a").as_deref(), Some("INGBNL2A"));
        assert!(bic_shape("50880050").is_none());
        assert!(rf_checks("RF18539007547034"));
        assert!(!rf_checks("RF19539007547034"));
        assert_eq!(find_rf("Factuur 2024-001 RF18 5390 0754 7034 dank u").as_deref(), Some("RF18539007547034"));
        assert_eq!(find_rf("ref:RF18539007547034.").as_deref(), Some("RF18539007547034"));
        assert_eq!(find_rf("SURF18539007547034"), None);
        assert_eq!(find_rf("RF19539007547034"), None);
    }

    #[test]
    fn text_decoding() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        assert_eq!(decode(b"\xFF\xFEa\0b\0").unwrap(), "ab");
        assert_eq!(decode(b"ab\x80c"), Err(2));
        assert_eq!(windows_1252(b"\x80 \xe9"), "€ é");
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
    }
}

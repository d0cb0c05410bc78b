//! Tax identifiers by country, checked by format and, where the country defines one, by check
//! digit: VAT numbers of every EU member state, the Dutch KvK number, the Italian codice fiscale
//! and the Spanish NIF/NIE/CIF.

use crate::Country;

/// Normalises a VAT number: upper case, without spaces, dots and dashes, with its country prefix
/// (`EL` for Greece). Returns the normalised number or a message naming the rule it breaks.
pub fn vat_number(value: &str) -> Result<String, String> {
    let v: String = value.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect::<String>().to_ascii_uppercase();
    if v.len() < 4 || !v.is_ascii() {
        return Err(format!("`{value}` is not a VAT number: a country prefix and digits, e.g. NL123456789B13"));
    }
    let (prefix, number) = v.split_at(2);
    let bad = |rule: &str| Err(format!("`{value}` is not a valid {prefix} VAT number: {rule}"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let n = number.len();
    let ok = match prefix {
        "NL" => return nl_vat(&v, value),
        "IT" => {
            if !(n == 11 && digits(number)) {
                return bad("11 digits");
            }
            if !luhn_it(number) {
                return bad("wrong check digit");
            }
            true
        }
        "BE" => {
            if !(n == 10 && digits(number) && (number.starts_with('0') || number.starts_with('1'))) {
                return bad("10 digits starting with 0 or 1");
            }
            let body: u64 = number[..8].parse().unwrap_or(0);
            let check: u64 = number[8..].parse().unwrap_or(0);
            if 97 - body % 97 != check {
                return bad("wrong check digits");
            }
            true
        }
        "ES" => {
            if nif(number).is_err() && cif(number).is_err() {
                return bad("a NIF, NIE or CIF with a correct control character");
            }
            true
        }
        "DE" => {
            if !(n == 9 && digits(number)) {
                return bad("9 digits");
            }
            if !de_check(number) {
                return bad("wrong check digit");
            }
            true
        }
        "AT" => number.starts_with('U') && number.len() == 9 && digits(&number[1..]),
        "BG" => (n == 9 || n == 10) && digits(number),
        "CY" => n == 9 && digits(&number[..8]) && number.as_bytes()[8].is_ascii_uppercase(),
        "CZ" => (8..=10).contains(&n) && digits(number),
        "DK" | "FI" | "HU" | "LU" | "MT" | "SI" => n == 8 && digits(number),
        "EE" | "EL" | "PT" => n == 9 && digits(number),
        "FR" => n == 11 && number[..2].bytes().all(|b| b.is_ascii_alphanumeric()) && digits(&number[2..]),
        "HR" | "LV" => n == 11 && digits(number),
        "IE" => (8..=9).contains(&n) && number.bytes().all(|b| b.is_ascii_alphanumeric()),
        "LT" => (n == 9 || n == 12) && digits(number),
        "PL" | "SK" => n == 10 && digits(number),
        "RO" => (2..=10).contains(&n) && digits(number),
        "SE" => n == 12 && digits(number) && number.ends_with("01"),
        "GR" => return Err(format!("`{value}`: Greek VAT numbers start with EL, not GR")),
        _ => return Err(format!("`{value}`: `{prefix}` is not an EU VAT country prefix")),
    };
    if ok { Ok(v) } else { bad("wrong length or characters") }
}

/// The country a VAT number belongs to (`EL` is Greece).
pub fn vat_country(normalised: &str) -> Option<Country> {
    let prefix = normalised.get(..2)?;
    if prefix == "EL" { "GR".parse().ok() } else { prefix.parse().ok() }
}

/// NL: `NL` + 9 digits + `B` + 2 digits; valid by the mod-97 test (btw-id, since 2020) or, for
/// older numbers, the 11-test on the 9 digits.
fn nl_vat(v: &str, original: &str) -> Result<String, String> {
    let b = v.as_bytes();
    let shape = v.len() == 14 && b[2..11].iter().all(u8::is_ascii_digit) && b[11] == b'B' && b[12..].iter().all(u8::is_ascii_digit);
    if !shape {
        return Err(format!("`{original}` is not a valid NL VAT number: NL, 9 digits, B and 2 digits, e.g. NL123456789B13"));
    }
    let mod97 = {
        let mut rem: u32 = 0;
        for c in v.chars() {
            let s = if c.is_ascii_alphabetic() { (c as u32 - 'A' as u32 + 10).to_string() } else { c.to_string() };
            for d in s.chars() {
                rem = (rem * 10 + d.to_digit(10).unwrap_or(0)) % 97;
            }
        }
        rem == 1
    };
    let mod11 = {
        let d: Vec<i64> = b[2..11].iter().map(|c| i64::from(c - b'0')).collect();
        let sum: i64 = (0..8).map(|i| d[i] * (9 - i as i64)).sum::<i64>() - d[8];
        sum % 11 == 0
    };
    if mod97 || mod11 { Ok(v.to_string()) } else { Err(format!("`{original}` is not a valid NL VAT number: wrong check digits")) }
}

/// The Italian partita IVA check digit (a Luhn variant over 11 digits).
fn luhn_it(d: &str) -> bool {
    let b = d.as_bytes();
    let mut sum = 0;
    for (i, c) in b[..10].iter().enumerate() {
        let mut n = u32::from(c - b'0');
        if i % 2 == 1 {
            n *= 2;
            if n > 9 {
                n -= 9;
            }
        }
        sum += n;
    }
    (10 - sum % 10) % 10 == u32::from(b[10] - b'0')
}

/// German USt-IdNr.: ISO 7064 MOD 11,10.
fn de_check(d: &str) -> bool {
    let b = d.as_bytes();
    let mut product = 10;
    for c in &b[..8] {
        let mut sum = (u32::from(c - b'0') + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = (11 - product) % 10;
    check == u32::from(b[8] - b'0')
}

const NIF_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spanish NIF (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter).
pub fn nif(value: &str) -> Result<String, String> {
    let v = value.trim().to_ascii_uppercase().replace(['-', ' '], "");
    let b = v.as_bytes();
    let bad = || Err(format!("`{value}` is not a valid NIF/NIE: 8 digits (or X, Y, Z and 7 digits) and the right control letter"));
    if b.len() != 9 || !v.is_ascii() {
        return bad();
    }
    let digits: String = match b[0] {
        b'X' => format!("0{}", &v[1..8]),
        b'Y' => format!("1{}", &v[1..8]),
        b'Z' => format!("2{}", &v[1..8]),
        _ => v[..8].to_string(),
    };
    let Ok(n) = digits.parse::<u32>() else { return bad() };
    if !digits.bytes().all(|c| c.is_ascii_digit()) || NIF_LETTERS[(n % 23) as usize] != b[8] {
        return bad();
    }
    Ok(v)
}

/// Spanish CIF (companies): letter + 7 digits + control digit or letter.
pub fn cif(value: &str) -> Result<String, String> {
    let v = value.trim().to_ascii_uppercase().replace(['-', ' '], "");
    let b = v.as_bytes();
    let bad = || Err(format!("`{value}` is not a valid CIF"));
    if b.len() != 9 || !b"ABCDEFGHJNPQRSUVW".contains(&b[0]) || !b[1..8].iter().all(u8::is_ascii_digit) {
        return bad();
    }
    let mut sum = 0;
    for (i, c) in b[1..8].iter().enumerate() {
        let n = u32::from(c - b'0');
        sum += if i % 2 == 0 { (n * 2) / 10 + (n * 2) % 10 } else { n };
    }
    let digit = (10 - sum % 10) % 10;
    let letter = b"JABCDEFGHI"[digit as usize];
    let ok = match b[0] {
        b'P' | b'Q' | b'R' | b'S' | b'W' | b'N' => b[8] == letter,
        b'A' | b'B' | b'E' | b'H' => u32::from(b[8].wrapping_sub(b'0')) == digit,
        _ => b[8] == letter || u32::from(b[8].wrapping_sub(b'0')) == digit,
    };
    if ok { Ok(v) } else { bad() }
}

/// Dutch chamber-of-commerce (KvK) number: 8 digits.
pub fn kvk(value: &str) -> Result<String, String> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) { Ok(v) } else { Err(format!("`{value}` is not a KvK number: 8 digits")) }
}

/// Italian codice fiscale: 16 characters with a control letter (persons), or 11 digits with
/// the partita IVA check digit (companies).
pub fn codice_fiscale(value: &str) -> Result<String, String> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let b = v.as_bytes();
    if b.len() == 11 && b.iter().all(u8::is_ascii_digit) {
        return if luhn_it(&v) { Ok(v) } else { Err(format!("`{value}` is not a valid codice fiscale: wrong check digit")) };
    }
    if b.len() != 16 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return Err(format!("`{value}` is not a codice fiscale: 16 letters and digits (or 11 digits for a company)"));
    }
    const ODD: [u32; 26] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let mut sum = 0;
    for (i, c) in b[..15].iter().enumerate() {
        let idx = if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') };
        // Positions 1, 3, 5, … (1-based) are "odd".
        sum += if i % 2 == 0 { ODD[idx as usize] } else { idx };
    }
    if u32::from(b[15].wrapping_sub(b'A')) == sum % 26 {
        Ok(v)
    } else {
        Err(format!("`{value}` is not a valid codice fiscale: wrong control letter"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dutch_vat_numbers() {
        assert_eq!(vat_number("nl 0000.99998.B57"), Ok("NL000099998B57".into()));
        assert!(vat_number("NL123456789B13").is_ok());
        assert!(vat_number("NL004495445B01").is_ok(), "an older number passing the 11-test");
        assert!(vat_number("NL123456789B01").unwrap_err().contains("wrong check digits"));
        assert!(vat_number("NL12345678B01").unwrap_err().contains("NL, 9 digits, B and 2 digits"));
    }

    #[test]
    fn other_countries() {
        assert!(vat_number("IT01234567897").is_ok());
        assert!(vat_number("IT01234567890").unwrap_err().contains("check digit"));
        assert!(vat_number("BE0403170701").is_ok());
        assert!(vat_number("BE0403170702").is_err());
        assert!(vat_number("DE136695976").is_ok());
        assert!(vat_number("DE136695977").is_err());
        assert!(vat_number("ESB58378431").is_ok());
        assert!(vat_number("ES12345678Z").is_ok());
        assert!(vat_number("ES12345678A").is_err());
        assert!(vat_number("ATU13585627").is_ok());
        assert!(vat_number("FRXX123456789").is_ok());
        assert!(vat_number("GR123456789").unwrap_err().contains("EL"));
        assert!(vat_number("US123456789").unwrap_err().contains("not an EU VAT country prefix"));
        assert_eq!(vat_country("EL123456789"), "GR".parse().ok());
    }

    #[test]
    fn spanish_nif_nie_cif() {
        assert!(nif("12345678Z").is_ok());
        assert!(nif("X1234567L").is_ok());
        assert!(nif("12345678A").is_err());
        assert!(cif("B58378431").is_ok());
        assert!(cif("Q2826000H").is_ok());
        assert!(cif("B58378432").is_err());
    }

    #[test]
    fn italian_codice_fiscale() {
        assert!(codice_fiscale("RSSMRA85T10A562S").is_ok());
        assert!(codice_fiscale("RSSMRA85T10A562T").unwrap_err().contains("control letter"));
        assert!(codice_fiscale("00743110157").is_ok(), "a company's codice fiscale is its partita IVA");
        assert!(codice_fiscale("ABC").is_err());
    }

    #[test]
    fn kvk_numbers() {
        assert_eq!(kvk("3412 3456"), Ok("34123456".into()));
        assert!(kvk("1234567").is_err());
    }

    proptest! {
        /// Changing any one digit of a valid number breaks its check (where a check exists).
        #[test]
        fn one_changed_digit_is_caught(body in 0u64..1_000_000_000, pos in 2usize..11, delta in 1u8..10) {
            // A valid NL number for this body: find its mod-97 suffix.
            let base = format!("{body:09}");
            let valid = (0..100).map(|s| format!("NL{base}B{s:02}")).find(|v| vat_number(v).is_ok());
            if let Some(v) = valid {
                let mut bytes = v.clone().into_bytes();
                bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
                let changed = String::from_utf8(bytes).unwrap();
                // The 11-test may accept the changed number by itself; the mod-97 form may not.
                let mod97_ok = nl_vat(&changed, &changed).is_ok();
                prop_assert!(!mod97_ok || vat_number(&changed).is_ok());
            }
            let it10 = format!("{:010}", body);
            let check = (0..10).map(|c| format!("{it10}{c}")).find(|d| luhn_it(d)).unwrap();
            let mut bytes = check.clone().into_bytes();
            let p = pos - 1;
            bytes[p] = b'0' + (bytes[p] - b'0' + delta) % 10;
            prop_assert!(!luhn_it(&String::from_utf8(bytes).unwrap()), "{check}");
        }

        #[test]
        fn never_panics_on_any_input(s in "\\PC{0,20}") {
            let _ = vat_number(&s);
            let _ = codice_fiscale(&s);
            let _ = nif(&s);
            let _ = cif(&s);
        }
    }
}

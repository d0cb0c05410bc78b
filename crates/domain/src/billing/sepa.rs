//! SEPA Core direct debit, the rules without the file: a mandate checked field by field, the
//! sequence type of a collection (also after the debtor moved account), the creditor identifier's
//! check digits, when an unused mandate expires, on which TARGET2 day a collection can fall at the
//! earliest, and when the debtor must have been told. Writing the pain.008 file is
//! `loket_bank::pain008`'s part; the caller maps these decisions onto it.

use iban::IbanLike;
use jiff::civil::{Date, Weekday};

use super::calendar::{easter_sunday, plus_days, plus_months};
use crate::FieldError;
use crate::provider::check;

mod collection;
pub use collection::*;

/// The longest mandate reference (`MndtId`, Max35Text).
pub const MAX_MANDATE_REFERENCE: usize = 35;
/// The longest debtor name the EPC guidelines allow (`Dbtr/Nm`).
pub const MAX_DEBTOR_NAME: usize = 70;
/// Months without a collection after which a mandate is no longer valid (SDD Core rulebook).
pub const EXPIRY_MONTHS: i64 = 36;
/// Calendar days before the collection by which the debtor is told of it, unless the creditor
/// and the debtor agreed on fewer (the provider's terms may say so).
pub const DEFAULT_PRE_NOTIFICATION_DAYS: u8 = 14;

/// A mandate as it arrives from a form, the API or an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MandateInput {
    pub mandate_reference: String,
    pub debtor_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub signed_on: Option<Date>,
}

/// A mandate whose every field is valid: normalised (IBAN and BIC upper case, no spaces; texts
/// trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    pub mandate_reference: String,
    pub debtor_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub signed_on: Date,
}

impl MandateInput {
    /// Checks every field on `today` (a mandate cannot be signed later than that); returns the
    /// mandate or every problem at once, each naming its field.
    pub fn validate(&self, today: Date) -> Result<Mandate, Vec<FieldError>> {
        let mut errors = Vec::new();
        let named = |name: &'static str| move |message: String| FieldError::new(name, message);
        let mandate_reference = keep(&mut errors, mandate_reference(&self.mandate_reference).map_err(named("mandate_reference")));
        let debtor_name = keep(&mut errors, crate::input::text("debtor_name", &self.debtor_name, MAX_DEBTOR_NAME));
        let iban = if self.iban.trim().is_empty() { Err("fill this in".to_string()) } else { check::iban(&self.iban) };
        let iban = keep(&mut errors, iban.map_err(named("iban")));
        let bic = match self.bic.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(b) => keep(&mut errors, check::bic(b).map_err(named("bic"))).map(Some),
            None => Some(None),
        };
        let signed_on = keep(&mut errors, signature_date(self.signed_on, today));
        match (mandate_reference, debtor_name, iban, bic, signed_on) {
            (Some(mandate_reference), Some(debtor_name), Some(iban), Some(bic), Some(signed_on)) => {
                Ok(Mandate { mandate_reference, debtor_name, iban, bic, signed_on })
            }
            _ => Err(errors),
        }
    }
}

fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// A signature date: given, not after `today`, within the dates Loket accepts.
fn signature_date(signed_on: Option<Date>, today: Date) -> Result<Date, FieldError> {
    match signed_on {
        None => Err(FieldError::new("signed_on", "fill this in")),
        Some(d) if d > today => {
            Err(FieldError::new("signed_on", format!("{d} is in the future: a mandate is signed on or before today ({today})")))
        }
        Some(d) => crate::input::bounded_date("signed_on", d),
    }
}

/// Whether `c` is in the SEPA Latin character set every bank accepts.
pub fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/-?:().,'+ ".contains(c)
}

/// A mandate reference (`MndtId`), trimmed: 1 to 35 characters of the SEPA set, not starting or
/// ending with `/` and without `//` (the EPC rule for references).
pub fn mandate_reference(value: &str) -> Result<String, String> {
    let v = value.trim();
    let shown = crate::input::sample(value);
    if v.is_empty() {
        return Err("fill this in".into());
    }
    let count = v.chars().count();
    if count > MAX_MANDATE_REFERENCE {
        return Err(format!("at most {MAX_MANDATE_REFERENCE} characters ({count} given)"));
    }
    if let Some(c) = v.chars().find(|c| !is_sepa_char(*c)) {
        return Err(format!("`{shown}` contains `{c}`: a mandate reference has letters A–Z, digits, spaces and / - ? : ( ) . , ' + only"));
    }
    if v.starts_with('/') || v.ends_with('/') || v.contains("//") {
        return Err(format!("`{shown}` starts or ends with / or contains //, which SEPA references may not"));
    }
    Ok(v.to_string())
}

/// Where a collection stands in its mandate's series (`SeqTp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SequenceType {
    First,
    Recurring,
    Final,
    OneOff,
}

impl SequenceType {
    /// The ISO 20022 code.
    pub fn code(self) -> &'static str {
        match self {
            SequenceType::First => "FRST",
            SequenceType::Recurring => "RCUR",
            SequenceType::Final => "FNAL",
            SequenceType::OneOff => "OOFF",
        }
    }

    pub fn parse(code: &str) -> Option<SequenceType> {
        [SequenceType::First, SequenceType::Recurring, SequenceType::Final, SequenceType::OneOff].into_iter().find(|s| s.code() == code)
    }
}

/// The next collection of a recurrent mandate: the first is `FRST`, every later one `RCUR`.
pub fn sequence_for(mandate_used_before: bool) -> SequenceType {
    if mandate_used_before { SequenceType::Recurring } else { SequenceType::First }
}

/// What changed in a mandate since its last collection: its reference, or the debtor's account
/// (the IBAN collected from before). `None` is unchanged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amendment {
    pub original_mandate_reference: Option<String>,
    pub original_iban: Option<String>,
}

/// What a collection tells the debtor's bank about the account the mandate was used on before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginalAccount {
    /// A new account at the same bank: `OrgnlDbtrAcct/Id/IBAN` with the old IBAN.
    Iban(String),
    /// A new account at another bank, or one that cannot be told apart from that: the code
    /// `SMNDA` in `OrgnlDbtrAcct/Id/Othr/Id`. Until 20 November 2016 it meant "same mandate, new
    /// debtor agent"; since then "same mandate, new debtor account", because with IBAN-only a
    /// creditor cannot always see whether the bank changed.
    NewAccount,
}

impl OriginalAccount {
    /// The code written for [`OriginalAccount::NewAccount`].
    pub const SMNDA: &'static str = "SMNDA";
}

/// How the next collection of an amended mandate is presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmendedCollection {
    pub sequence: SequenceType,
    /// `AmdmntInd`: true when the collection carries amendment details.
    pub amended: bool,
    /// `OrgnlMndtId`, when the reference changed.
    pub original_mandate_reference: Option<String>,
    /// `OrgnlDbtrAcct`, when the account changed.
    pub original_account: Option<OriginalAccount>,
}

/// The first collection after `amendment` on a mandate now referenced `reference` and collected
/// from `iban`. A mandate never collected on is collected as `FRST` with its current details and
/// no amendment: the debtor's bank has nothing to link it to. Otherwise:
/// - the account moved to another bank (or the IBANs do not say which bank, e.g. a country whose
///   IBAN has no bank code): `FRST`, amended, `SMNDA` — the new bank sees the mandate for the
///   first time;
/// - the account moved within the same bank (same country and bank code in both IBANs): `RCUR`,
///   amended, with the old IBAN;
/// - only the reference changed: `RCUR`, amended, with the old reference;
/// - nothing changed: `RCUR`, not amended.
///
/// The amendment is told once, with the first collection after it; the caller forgets it then.
pub fn after_amendment(amendment: &Amendment, reference: &str, iban: &str, mandate_used_before: bool) -> AmendedCollection {
    if !mandate_used_before {
        return AmendedCollection {
            sequence: SequenceType::First,
            amended: false,
            original_mandate_reference: None,
            original_account: None,
        };
    }
    let original_mandate_reference = amendment
        .original_mandate_reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty() && *r != reference.trim())
        .map(str::to_string);
    let (new, old) = (compact(iban), amendment.original_iban.as_deref().map(compact).filter(|o| !o.is_empty()));
    let (sequence, original_account) = match old {
        Some(old) if old != new => {
            if same_bank(&old, &new) {
                (SequenceType::Recurring, Some(OriginalAccount::Iban(old)))
            } else {
                (SequenceType::First, Some(OriginalAccount::NewAccount))
            }
        }
        _ => (SequenceType::Recurring, None),
    };
    let amended = original_mandate_reference.is_some() || original_account.is_some();
    AmendedCollection { sequence, amended, original_mandate_reference, original_account }
}

fn compact(iban: &str) -> String {
    iban.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase()
}

/// Both IBANs valid, of one country, with the same bank code where their country's IBAN has one.
fn same_bank(a: &str, b: &str) -> bool {
    let (Ok(a), Ok(b)) = (a.parse::<iban::Iban>(), b.parse::<iban::Iban>()) else { return false };
    a.country_code() == b.country_code() && a.bank_identifier().is_some() && a.bank_identifier() == b.bank_identifier()
}

/// A SEPA creditor identifier, upper case without spaces: country code, two check digits, a
/// three-character business code the check ignores (`ZZZ` unless the creditor uses several) and
/// the national identifier (in the Netherlands the KvK number and four digits). The check digits
/// are ISO 7064 MOD 97-10 over the national identifier, the country code and `00`, letters
/// counting A = 10 … Z = 35, as in an IBAN.
pub fn check_creditor_id(value: &str) -> Result<String, String> {
    let v: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let shown = crate::input::sample(value);
    let b = v.as_bytes();
    let shape = (8..=35).contains(&b.len())
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..4].iter().all(u8::is_ascii_digit)
        && b.iter().all(u8::is_ascii_alphanumeric);
    if !shape {
        return Err(format!(
            "`{shown}` is not a creditor identifier: a country code, two check digits, a business code and the national identifier, e.g. NL42ZZZ123456780001"
        ));
    }
    if creditor_id_check_digits(&v[..2], &v[7..]) != Some(v[2..4].to_string()) {
        return Err(format!("`{shown}` is not a creditor identifier: its check digits are wrong"));
    }
    Ok(v)
}

/// The two check digits of a creditor identifier of `country` with `national_id` (both upper case
/// letters and digits), or `None` for any other character.
pub fn creditor_id_check_digits(country: &str, national_id: &str) -> Option<String> {
    let mut rest: u32 = 0;
    for c in national_id.chars().chain(country.chars()).chain("00".chars()) {
        let n = c.to_digit(36)?;
        if c.is_ascii_lowercase() {
            return None;
        }
        rest = (rest * if n < 10 { 10 } else { 100 } + n) % 97;
    }
    Some(format!("{:02}", 98 - rest))
}

/// Whether a mandate last collected on (or, never collected, signed on) `last_used_or_signed` has
/// expired on `today`: 36 months without a collection end it, and a new mandate is needed.
pub fn mandate_expired(last_used_or_signed: Date, today: Date) -> bool {
    today >= plus_months(last_used_or_signed, EXPIRY_MONTHS)
}

/// Whether TARGET2 settles on `d`: every weekday but New Year's Day, Good Friday, Easter Monday,
/// 1 May, 25 and 26 December. SEPA collections fall on these days only.
pub fn is_target_day(d: Date) -> bool {
    if matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
        return false;
    }
    if matches!((d.month(), d.day()), (1, 1) | (5, 1) | (12, 25) | (12, 26)) {
        return false;
    }
    let easter = easter_sunday(d.year());
    d != plus_days(easter, -2) && d != plus_days(easter, 1)
}

/// The first TARGET day after `d` (`d` itself not counted).
pub fn next_target_day(d: Date) -> Date {
    let mut day = d;
    loop {
        let next = plus_days(day, 1);
        // At the end of the calendar the date stops moving: stop with it.
        if next == day || is_target_day(next) {
            return next;
        }
        day = next;
    }
}

/// The earliest collection date for a file handed to the bank on `submitted_on`: the
/// `lead_business_days`-th TARGET day after it. SEPA Core needs one day (D-1) for every sequence
/// type since November 2016; banks ask for more by their cut-off times, so the lead comes from the
/// provider's settings. Fewer than one is taken as one, the scheme's minimum.
pub fn earliest_collection_date(submitted_on: Date, lead_business_days: u8) -> Date {
    let mut d = submitted_on;
    for _ in 0..lead_business_days.max(1) {
        d = next_target_day(d);
    }
    d
}

/// Whether a collection on `requested` can be asked for in a file handed in on `submitted_on`
/// with `lead_business_days`: it must be a TARGET day, and not before the earliest date.
pub fn collection_date_ok(submitted_on: Date, requested: Date, lead_business_days: u8) -> Result<(), String> {
    let earliest = earliest_collection_date(submitted_on, lead_business_days);
    if requested < earliest {
        return Err(format!(
            "a collection handed in on {submitted_on} can fall on {earliest} at the earliest ({} TARGET days later), not on {requested}",
            lead_business_days.max(1)
        ));
    }
    if !is_target_day(requested) {
        return Err(format!(
            "{requested} is not a TARGET2 business day (a weekend or a TARGET2 holiday): the next one is {}",
            next_target_day(requested)
        ));
    }
    Ok(())
}

/// The day by which the debtor must have been told of a collection on `collection`:
/// `days_before` calendar days earlier ([`DEFAULT_PRE_NOTIFICATION_DAYS`] unless agreed).
pub fn pre_notification_due(collection: Date, days_before: u8) -> Date {
    plus_days(collection, -i64::from(days_before))
}

#[cfg(test)]
mod tests;

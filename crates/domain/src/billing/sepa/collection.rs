//! The provider's collections under its mandates: which invoices a file collects, the
//! identifiers Loket gives a file, its payments and each collection, whether a collection date
//! leaves the debtors their pre-notification, what a return's reason code means, and how long
//! dunning waits for a collection under way. Pure, like the rest of [`super`].

use jiff::civil::Date;

use super::{MAX_MANDATE_REFERENCE, SequenceType, is_sepa_char, pre_notification_due};
use crate::billing::calendar::plus_days;

/// The version of the mandate's wording Loket shows and stores with every mandate: the SEPA
/// Core recurrent mandate text of the EPC (the debtor's authorisation and the right to a refund
/// within eight weeks), with the creditor's name, identifier and the mandate's reference.
pub const MANDATE_WORDING_VERSION: &str = "sepa-core-recurrent-1";

/// Every message id Loket writes starts with this; a bank credit naming it is a collection's.
pub const MESSAGE_ID_PREFIX: &str = "LOKET-DD-";

/// Every collection's end-to-end id starts with this.
pub const END_TO_END_PREFIX: &str = "DD-";

/// Days after its collection date during which an invoice being collected is not dunned: the
/// bank's credit (or the return) normally shows on a statement within a few TARGET days.
pub const DUNNING_HOLD_DAYS: i64 = 14;

/// Which open invoices a file collects (`sepa.collect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CollectRule {
    /// Those due on or before the collection date (the default): the debtor keeps the payment
    /// term the invoice gives.
    #[default]
    Due,
    /// Every invoice issued on or before the collection date, whatever its due date.
    Issued,
}

impl CollectRule {
    pub fn name(self) -> &'static str {
        match self {
            CollectRule::Due => "due",
            CollectRule::Issued => "issued",
        }
    }

    pub fn parse(s: &str) -> Result<CollectRule, String> {
        match s.trim() {
            "due" => Ok(CollectRule::Due),
            "issued" => Ok(CollectRule::Issued),
            other => Err(format!(
                "`{}` is not a collect rule: write \"due\" (invoices due on or before the collection date) or \"issued\" (every open invoice issued by then)",
                crate::input::sample(other)
            )),
        }
    }

    /// Whether an open invoice issued on `issued` and due on `due` is collected on `collection`.
    pub fn collects(self, issued: Date, due: Date, collection: Date) -> bool {
        match self {
            CollectRule::Due => due <= collection,
            CollectRule::Issued => issued <= collection,
        }
    }

    /// The date the store compares with: the due date or the issue date.
    pub fn column(self) -> &'static str {
        match self {
            CollectRule::Due => "due_date",
            CollectRule::Issued => "issue_date",
        }
    }
}

/// A file's message id: `LOKET-DD-` + its collection date + the batch's number, unique for the
/// provider (the number is).
pub fn message_id(collection: Date, batch_number: i64) -> String {
    format!("{MESSAGE_ID_PREFIX}{}-{batch_number:06}", collection.strftime("%Y%m%d"))
}

/// A payment's id in a file: the message id and its sequence type (`…-FRST`).
pub fn payment_info_id(message_id: &str, sequence: SequenceType) -> String {
    format!("{message_id}-{}", sequence.code())
}

/// A collection's end-to-end id: `DD-`, the invoice's number and the attempt (`DD-F2027-00001-1`),
/// or the invoice's id when its number does not fit the SEPA character set or 35 characters.
pub fn end_to_end_id(invoice_number: &str, invoice_id: i64, attempt: i64) -> String {
    let id = format!("{END_TO_END_PREFIX}{invoice_number}-{attempt}");
    let fits = id.chars().count() <= 35 && id.chars().all(is_sepa_char) && !id.contains("//") && !id.ends_with('/');
    if fits { id } else { format!("{END_TO_END_PREFIX}I{invoice_id}-{attempt}") }
}

/// Whether `token` (a reference, an end-to-end id, a word of a remittance text) may name one of
/// Loket's files, payments or collections.
pub fn names_a_collection(token: &str) -> bool {
    let t = token.trim();
    t.len() <= 35 && (t.starts_with(MESSAGE_ID_PREFIX) || t.starts_with(END_TO_END_PREFIX))
}

/// The words of a remittance text that may name one of Loket's files or payments.
pub fn collection_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';').map(str::trim).filter(|t| names_a_collection(t))
}

/// The reference Loket gives the `n`-th mandate of a customer: its customer number and `-M{n}`
/// (`C000001-M1`); a number outside the SEPA character set gives `M{customer id}-{n}`.
pub fn mandate_reference_for(customer_number: &str, customer_id: i64, n: i64) -> String {
    let r = format!("{customer_number}-M{n}");
    if super::mandate_reference(&r).is_ok_and(|v| v == r) && r.chars().count() <= MAX_MANDATE_REFERENCE {
        r
    } else {
        format!("M{customer_id}-{n}")
    }
}

/// Whether the box "I give this mandate" was ticked, as a form sends it.
pub fn consent_given(value: &str) -> bool {
    matches!(value.trim(), "on" | "yes" | "true" | "1")
}

/// What a form says when the box was not ticked.
pub const CONSENT_MISSING: &str = "tick the box to give the mandate: without your consent nothing is collected";

/// Whether a file handed in on `today` leaves the debtors `days` calendar days of
/// pre-notification before `collection`; the message says by when the file had to be made.
pub fn pre_notification_ok(today: Date, collection: Date, days: u8) -> Result<(), String> {
    let by = pre_notification_due(collection, days);
    if today <= by {
        return Ok(());
    }
    Err(format!(
        "the debtors are told {days} days before a collection (sepa.pre_notification_days): a collection on {collection} must be announced by {by}, and today is {today}; choose {} or later",
        plus_days(today, i64::from(days))
    ))
}

/// The first collection date a file made on `today` can ask for: `lead_days` TARGET days ahead
/// and `pre_notification_days` calendar days ahead, on a TARGET day.
pub fn first_collection_date(today: Date, lead_days: u8, pre_notification_days: u8) -> Date {
    let earliest = super::earliest_collection_date(today, lead_days);
    let notified = plus_days(today, i64::from(pre_notification_days));
    if notified <= earliest {
        return earliest;
    }
    if super::is_target_day(notified) { notified } else { super::next_target_day(notified) }
}

/// The ISO 20022 return reason codes a provider meets most with SEPA Core direct debits, each
/// with a translated text (`sepa-reason-<CODE>`); others are shown as their code.
pub const RETURN_REASONS: [&str; 12] = ["AC01", "AC04", "AC06", "AG01", "AM04", "AM05", "MD01", "MD06", "MD07", "MS02", "MS03", "SL01"];

/// A return reason as stored: upper case, at most 35 characters of letters and digits, or empty.
pub fn return_reason(code: Option<&str>) -> String {
    code.map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| c.len() <= 35 && c.chars().all(|ch| ch.is_ascii_alphanumeric()))
        .unwrap_or_default()
}

/// Whether an overdue invoice whose collection on `collection` was asked of the bank and not yet
/// credited waits on `today` instead of being dunned.
pub fn dunning_on_hold(collection: Date, today: Date) -> bool {
    today <= plus_days(collection, DUNNING_HOLD_DAYS)
}

/// An IBAN shortened for a mail or a page a customer reads: country and check digits, then the
/// last four characters (`NL91 … 4300`).
pub fn short_iban(iban: &str) -> String {
    let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 9 || !compact.is_ascii() {
        return compact;
    }
    format!("{} … {}", &compact[..4], &compact[compact.len() - 4..])
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn identifiers_fit_the_sepa_rules() {
        assert_eq!(message_id(date(2027, 1, 15), 42), "LOKET-DD-20270115-000042");
        assert_eq!(payment_info_id("LOKET-DD-20270115-000042", SequenceType::First), "LOKET-DD-20270115-000042-FRST");
        assert_eq!(end_to_end_id("F2027-00001", 7, 1), "DD-F2027-00001-1");
        assert_eq!(end_to_end_id("F2027_00001", 7, 2), "DD-I7-2", "an underscore is not in the SEPA set");
        assert_eq!(end_to_end_id(&"9".repeat(40), 7, 1), "DD-I7-1");
        assert_eq!(mandate_reference_for("C000001", 1, 1), "C000001-M1");
        assert_eq!(mandate_reference_for("C#1", 9, 2), "M9-2");
        assert!(names_a_collection("LOKET-DD-20270115-000042-RCUR") && names_a_collection("DD-F2027-00001-1"));
        assert!(!names_a_collection("RF18539007547034"));
        let words: Vec<&str> = collection_tokens("Incasso LOKET-DD-20270115-000042, batch").collect();
        assert_eq!(words, ["LOKET-DD-20270115-000042"]);
    }

    #[test]
    fn which_invoices_a_file_collects() {
        let (issued, due) = (date(2027, 1, 1), date(2027, 1, 15));
        assert!(CollectRule::Due.collects(issued, due, date(2027, 1, 15)));
        assert!(!CollectRule::Due.collects(issued, due, date(2027, 1, 14)));
        assert!(CollectRule::Issued.collects(issued, due, date(2027, 1, 4)));
        assert_eq!(CollectRule::parse("issued"), Ok(CollectRule::Issued));
        assert!(CollectRule::parse("always").unwrap_err().contains("due"));
    }

    #[test]
    fn the_pre_notification_and_the_first_date() {
        // Tuesday 1 December 2026: 14 days ahead is Tuesday 15 December, a TARGET day.
        assert_eq!(first_collection_date(date(2026, 12, 1), 2, 14), date(2026, 12, 15));
        assert!(pre_notification_ok(date(2026, 12, 1), date(2026, 12, 15), 14).is_ok());
        let e = pre_notification_ok(date(2026, 12, 2), date(2026, 12, 15), 14).unwrap_err();
        assert!(e.contains("14 days") && e.contains("2026-12-01") && e.contains("2026-12-16"), "{e}");
        // Five days ahead falls on Sunday 6 December: the Monday after. Two TARGET days ahead
        // with no pre-notification: Thursday 3 December.
        assert_eq!(first_collection_date(date(2026, 12, 1), 2, 5), date(2026, 12, 7));
        assert_eq!(first_collection_date(date(2026, 12, 1), 2, 0), date(2026, 12, 3));
        // Christmas: 25 and 26 December are TARGET holidays.
        assert_eq!(first_collection_date(date(2026, 12, 11), 2, 14), date(2026, 12, 28));
    }

    #[test]
    fn returns_and_dunning() {
        assert_eq!(return_reason(Some(" md06 ")), "MD06");
        assert_eq!(return_reason(Some("<x>")), "");
        assert_eq!(return_reason(None), "");
        assert!(dunning_on_hold(date(2027, 1, 15), date(2027, 1, 29)));
        assert!(!dunning_on_hold(date(2027, 1, 15), date(2027, 1, 30)));
        assert_eq!(short_iban("NL91ABNA0417164300"), "NL91 … 4300");
        assert_eq!(short_iban("NL91"), "NL91");
        assert!(consent_given("on") && !consent_given(""));
    }
}

//! What the billing engine tells a customer: one typed notice per event, stored with the
//! customer's notifications, mailed once, and shown in the panel. Amounts are in minor units of
//! the provider's currency; dates are calendar dates in the provider's time zone; an end date
//! is exclusive and `last_day` is the day before it.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::document::DocKind;

/// An invoice, credit note or pro forma was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentIssued {
    pub number: String,
    pub kind: DocKind,
    pub amount: i64,
    /// What is left to pay after credit was used.
    pub open: i64,
    pub due_date: Date,
    pub invoice_id: i64,
    /// On a credit note: the number of the invoice it credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<String>,
}

/// A payment was booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentReceived {
    pub amount: i64,
    pub received: Date,
    /// Which documents it paid, and how much of each.
    pub applied: Vec<Applied>,
    /// What was left over and kept as credit.
    pub to_credit: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub number: String,
    pub amount: i64,
}

/// A payment reminder for an overdue invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub number: String,
    pub amount: i64,
    pub due_date: Date,
    /// 1 for the first reminder.
    pub reminder: u32,
    pub invoice_id: i64,
}

/// Services were suspended or terminated because `number` stayed unpaid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dunned {
    pub number: String,
    pub amount: i64,
}

/// A suspension was lifted; a reactivation fee was invoiced if `fee_invoice` names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reactivated {
    pub fee_invoice: Option<String>,
}

/// A cancellation was received and takes effect on `effective`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationConfirmed {
    pub subscription: String,
    pub plan: String,
    pub received: Date,
    pub effective: Date,
    pub last_day: Date,
    /// Received within the notice period for the current term.
    pub in_time: bool,
    /// Too late for the current term: the last day it could have been received.
    pub missed_deadline: Option<Date>,
}

/// A private customer is asked whether to renew: the service ends on `until` unless they
/// accept through the link with `token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenewalOffer {
    pub subscription: String,
    pub plan: String,
    pub until: Date,
    pub last_day: Date,
    pub next_end: Date,
    pub next_last_day: Date,
    pub amount: i64,
    pub vat_included: bool,
    pub token: String,
}

/// A service now runs until `until` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewed {
    pub subscription: String,
    pub plan: String,
    pub until: Date,
    pub last_day: Date,
}

/// A service ended on `ended` (exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceEnded {
    pub subscription: String,
    pub plan: String,
    pub ended: Date,
    pub last_day: Date,
}

/// An invoice is coming on `date` for the period `from`–`to` (both inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpcomingInvoice {
    pub subscription: String,
    pub plan: String,
    pub date: Date,
    pub amount: i64,
    pub vat_included: bool,
    pub from: Date,
    pub to: Date,
}

/// A SEPA direct-debit mandate was given (or its account changed): what the debtor agreed to,
/// with the creditor's name and identifier the mandate's wording names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateGiven {
    pub reference: String,
    pub debtor_name: String,
    /// The account collected from, shortened for mail (`NL91 … 4300`).
    pub iban: String,
    pub signed_on: Date,
    pub creditor_name: String,
    pub creditor_id: String,
    /// Only the account changed (an amendment of a mandate given before).
    pub amended: bool,
}

/// A mandate ended: `reason` is `revoked` (by the customer or staff) or `expired` (36 months
/// without a collection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateEnded {
    pub reference: String,
    pub ended: Date,
    pub reason: String,
}

/// The pre-notification: what will be collected from the debtor's account, when, under which
/// mandate and creditor identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectDebitAnnounced {
    /// All collections of this file from the debtor together.
    pub amount: i64,
    pub collection_date: Date,
    pub mandate_reference: String,
    pub creditor_id: String,
    /// The account, shortened for mail.
    pub iban: String,
    /// The invoices collected, each with its amount.
    pub invoices: Vec<Applied>,
}

/// The debtor's bank returned (or the debtor had refunded) a direct debit: the invoice is open
/// again. `reason` is the ISO 20022 return reason code (`MD06`, `AM04`, …) or empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectDebitReturned {
    pub number: String,
    pub amount: i64,
    pub reason: String,
    pub returned: Date,
    pub invoice_id: i64,
}

/// One notice to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    InvoiceIssued(DocumentIssued),
    PaymentReceived(PaymentReceived),
    Reminder(Reminder),
    Suspended(Dunned),
    Terminated(Dunned),
    Reactivated(Reactivated),
    CancellationConfirmed(CancellationConfirmed),
    RenewalOffer(RenewalOffer),
    Renewed(Renewed),
    Lapsed(ServiceEnded),
    UpcomingInvoice(UpcomingInvoice),
    Ended(ServiceEnded),
    MandateGiven(MandateGiven),
    MandateEnded(MandateEnded),
    DirectDebitAnnounced(DirectDebitAnnounced),
    DirectDebitReturned(DirectDebitReturned),
}

/// The kinds of [`Notice`], each with the one name it is stored, mailed and translated by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    InvoiceIssued,
    PaymentReceived,
    Reminder,
    Suspended,
    Terminated,
    Reactivated,
    CancellationConfirmed,
    RenewalOffer,
    Renewed,
    Lapsed,
    UpcomingInvoice,
    Ended,
    MandateGiven,
    MandateEnded,
    DirectDebitAnnounced,
    DirectDebitReturned,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 16] = [
        NoticeKind::InvoiceIssued,
        NoticeKind::PaymentReceived,
        NoticeKind::Reminder,
        NoticeKind::Suspended,
        NoticeKind::Terminated,
        NoticeKind::Reactivated,
        NoticeKind::CancellationConfirmed,
        NoticeKind::RenewalOffer,
        NoticeKind::Renewed,
        NoticeKind::Lapsed,
        NoticeKind::UpcomingInvoice,
        NoticeKind::Ended,
        NoticeKind::MandateGiven,
        NoticeKind::MandateEnded,
        NoticeKind::DirectDebitAnnounced,
        NoticeKind::DirectDebitReturned,
    ];

    pub fn name(self) -> &'static str {
        match self {
            NoticeKind::InvoiceIssued => "invoice_issued",
            NoticeKind::PaymentReceived => "payment_received",
            NoticeKind::Reminder => "reminder",
            NoticeKind::Suspended => "suspended",
            NoticeKind::Terminated => "terminated",
            NoticeKind::Reactivated => "reactivated",
            NoticeKind::CancellationConfirmed => "cancellation_confirmed",
            NoticeKind::RenewalOffer => "renewal_offer",
            NoticeKind::Renewed => "renewed",
            NoticeKind::Lapsed => "lapsed",
            NoticeKind::UpcomingInvoice => "upcoming_invoice",
            NoticeKind::Ended => "ended",
            NoticeKind::MandateGiven => "mandate_given",
            NoticeKind::MandateEnded => "mandate_ended",
            NoticeKind::DirectDebitAnnounced => "direct_debit_announced",
            NoticeKind::DirectDebitReturned => "direct_debit_returned",
        }
    }

    pub fn parse(s: &str) -> Option<NoticeKind> {
        NoticeKind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// Whether a card may choose not to get it by e-mail: only notices that ask nothing of the
    /// customer and change nothing they must act on (an invoice, a reminder, a suspension, a
    /// cancellation's confirmation, a renewal offer are always mailed).
    pub fn mail_optional(self) -> bool {
        matches!(
            self,
            NoticeKind::PaymentReceived | NoticeKind::Renewed | NoticeKind::UpcomingInvoice | NoticeKind::Ended | NoticeKind::Lapsed
        )
    }

    /// Mailed to the customer's invoice address rather than its general one.
    pub fn to_invoice_address(self) -> bool {
        matches!(
            self,
            NoticeKind::InvoiceIssued
                | NoticeKind::Reminder
                | NoticeKind::MandateGiven
                | NoticeKind::MandateEnded
                | NoticeKind::DirectDebitAnnounced
                | NoticeKind::DirectDebitReturned
        )
    }
}

/// A notice's stored data, as a JSON value or as its text.
trait StoredData {
    fn de<T: serde::de::DeserializeOwned>(self) -> Result<T, String>;
}

impl StoredData for serde_json::Value {
    fn de<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        serde_json::from_value(self).map_err(|e| e.to_string())
    }
}

impl StoredData for &str {
    fn de<T: serde::de::DeserializeOwned>(self) -> Result<T, String> {
        serde_json::from_str(self).map_err(|e| e.to_string())
    }
}

/// A stored notice that does not read back as its kind says.
#[derive(Debug, thiserror::Error)]
#[error("notice {kind}: {reason}")]
pub struct BadNotice {
    pub kind: String,
    pub reason: String,
}

impl Notice {
    pub fn kind(&self) -> NoticeKind {
        match self {
            Notice::InvoiceIssued(_) => NoticeKind::InvoiceIssued,
            Notice::PaymentReceived(_) => NoticeKind::PaymentReceived,
            Notice::Reminder(_) => NoticeKind::Reminder,
            Notice::Suspended(_) => NoticeKind::Suspended,
            Notice::Terminated(_) => NoticeKind::Terminated,
            Notice::Reactivated(_) => NoticeKind::Reactivated,
            Notice::CancellationConfirmed(_) => NoticeKind::CancellationConfirmed,
            Notice::RenewalOffer(_) => NoticeKind::RenewalOffer,
            Notice::Renewed(_) => NoticeKind::Renewed,
            Notice::Lapsed(_) => NoticeKind::Lapsed,
            Notice::UpcomingInvoice(_) => NoticeKind::UpcomingInvoice,
            Notice::Ended(_) => NoticeKind::Ended,
            Notice::MandateGiven(_) => NoticeKind::MandateGiven,
            Notice::MandateEnded(_) => NoticeKind::MandateEnded,
            Notice::DirectDebitAnnounced(_) => NoticeKind::DirectDebitAnnounced,
            Notice::DirectDebitReturned(_) => NoticeKind::DirectDebitReturned,
        }
    }

    /// Its fields as a JSON object (stored, and given to the mail templates).
    pub fn data(&self) -> serde_json::Value {
        let value = match self {
            Notice::InvoiceIssued(d) => serde_json::to_value(d),
            Notice::PaymentReceived(d) => serde_json::to_value(d),
            Notice::Reminder(d) => serde_json::to_value(d),
            Notice::Suspended(d) | Notice::Terminated(d) => serde_json::to_value(d),
            Notice::Reactivated(d) => serde_json::to_value(d),
            Notice::CancellationConfirmed(d) => serde_json::to_value(d),
            Notice::RenewalOffer(d) => serde_json::to_value(d),
            Notice::Renewed(d) => serde_json::to_value(d),
            Notice::Lapsed(d) | Notice::Ended(d) => serde_json::to_value(d),
            Notice::UpcomingInvoice(d) => serde_json::to_value(d),
            Notice::MandateGiven(d) => serde_json::to_value(d),
            Notice::MandateEnded(d) => serde_json::to_value(d),
            Notice::DirectDebitAnnounced(d) => serde_json::to_value(d),
            Notice::DirectDebitReturned(d) => serde_json::to_value(d),
        };
        // Plain structs of strings, numbers and dates always serialise.
        value.unwrap_or(serde_json::Value::Null)
    }

    /// Reads a stored notice back: `kind` as [`NoticeKind::name`], `data` as [`Notice::data`].
    pub fn read(kind: &str, data: serde_json::Value) -> Result<Notice, BadNotice> {
        Notice::read_from(kind, data)
    }

    /// [`Notice::read`] from the stored JSON text itself, without building its value first (a
    /// dashboard reads a card's latest notices on every visit).
    pub fn read_json(kind: &str, data: &str) -> Result<Notice, BadNotice> {
        Notice::read_from(kind, data)
    }

    fn read_from(kind: &str, data: impl StoredData) -> Result<Notice, BadNotice> {
        let bad = |reason: String| BadNotice { kind: kind.to_string(), reason };
        let k = NoticeKind::parse(kind).ok_or_else(|| bad("unknown kind".into()))?;
        fn de<T: serde::de::DeserializeOwned>(data: impl StoredData) -> Result<T, String> {
            data.de()
        }
        let notice = match k {
            NoticeKind::InvoiceIssued => de(data).map(Notice::InvoiceIssued),
            NoticeKind::PaymentReceived => de(data).map(Notice::PaymentReceived),
            NoticeKind::Reminder => de(data).map(Notice::Reminder),
            NoticeKind::Suspended => de(data).map(Notice::Suspended),
            NoticeKind::Terminated => de(data).map(Notice::Terminated),
            NoticeKind::Reactivated => de(data).map(Notice::Reactivated),
            NoticeKind::CancellationConfirmed => de(data).map(Notice::CancellationConfirmed),
            NoticeKind::RenewalOffer => de(data).map(Notice::RenewalOffer),
            NoticeKind::Renewed => de(data).map(Notice::Renewed),
            NoticeKind::Lapsed => de(data).map(Notice::Lapsed),
            NoticeKind::UpcomingInvoice => de(data).map(Notice::UpcomingInvoice),
            NoticeKind::Ended => de(data).map(Notice::Ended),
            NoticeKind::MandateGiven => de(data).map(Notice::MandateGiven),
            NoticeKind::MandateEnded => de(data).map(Notice::MandateEnded),
            NoticeKind::DirectDebitAnnounced => de(data).map(Notice::DirectDebitAnnounced),
            NoticeKind::DirectDebitReturned => de(data).map(Notice::DirectDebitReturned),
        };
        notice.map_err(bad)
    }

    /// The document it is about, if any (the panel links to it).
    pub fn invoice_id(&self) -> Option<i64> {
        match self {
            Notice::InvoiceIssued(d) => Some(d.invoice_id),
            Notice::Reminder(d) => Some(d.invoice_id),
            Notice::DirectDebitReturned(d) => Some(d.invoice_id),
            _ => None,
        }
    }
}

/// One example of every kind, in the order of [`NoticeKind::ALL`]: for previews of the mails
/// and pages that show notices, and their tests.
pub fn examples() -> Vec<Notice> {
    fn d(s: &str) -> Date {
        s.parse().unwrap_or(Date::constant(2026, 1, 1))
    }
    {
        let ended =
            ServiceEnded { subscription: "example.nl".into(), plan: "Hosting".into(), ended: d("2027-01-01"), last_day: d("2026-12-31") };
        vec![
            Notice::InvoiceIssued(DocumentIssued {
                number: "C2026-00001".into(),
                kind: DocKind::CreditNote,
                amount: 1210,
                open: 0,
                due_date: d("2026-12-01"),
                invoice_id: 7,
                credits: Some("F2026-00003".into()),
            }),
            Notice::PaymentReceived(PaymentReceived {
                amount: 5000,
                received: d("2026-11-30"),
                applied: vec![Applied { number: "F2026-00003".into(), amount: 4000 }],
                to_credit: 1000,
            }),
            Notice::Reminder(Reminder {
                number: "F2026-00003".into(),
                amount: 4000,
                due_date: d("2026-11-15"),
                reminder: 2,
                invoice_id: 3,
            }),
            Notice::Suspended(Dunned { number: "F2026-00003".into(), amount: 4000 }),
            Notice::Terminated(Dunned { number: "F2026-00003".into(), amount: 4000 }),
            Notice::Reactivated(Reactivated { fee_invoice: None }),
            Notice::CancellationConfirmed(CancellationConfirmed {
                subscription: "vps-1".into(),
                plan: "VPS".into(),
                received: d("2026-11-30"),
                effective: d("2027-01-01"),
                last_day: d("2026-12-31"),
                in_time: false,
                missed_deadline: Some(d("2026-11-30")),
            }),
            Notice::RenewalOffer(RenewalOffer {
                subscription: "jansen.nl".into(),
                plan: "Domain".into(),
                until: d("2027-01-01"),
                last_day: d("2026-12-31"),
                next_end: d("2028-01-01"),
                next_last_day: d("2027-12-31"),
                amount: 1500,
                vat_included: true,
                token: "t".into(),
            }),
            Notice::Renewed(Renewed {
                subscription: "jansen.nl".into(),
                plan: "Domain".into(),
                until: d("2028-01-01"),
                last_day: d("2027-12-31"),
            }),
            Notice::Lapsed(ended.clone()),
            Notice::UpcomingInvoice(UpcomingInvoice {
                subscription: "jansen.nl".into(),
                plan: "Domain".into(),
                date: d("2026-12-15"),
                amount: 1500,
                vat_included: true,
                from: d("2027-01-01"),
                to: d("2027-12-31"),
            }),
            Notice::Ended(ended),
            Notice::MandateGiven(MandateGiven {
                reference: "C000001-M1".into(),
                debtor_name: "Bakkerij De Korenaar B.V.".into(),
                iban: "NL91 … 4300".into(),
                signed_on: d("2026-11-30"),
                creditor_name: "Loket Demo Hosting B.V.".into(),
                creditor_id: "NL42ZZZ123456780001".into(),
                amended: false,
            }),
            Notice::MandateEnded(MandateEnded { reference: "C000001-M1".into(), ended: d("2026-12-01"), reason: "revoked".into() }),
            Notice::DirectDebitAnnounced(DirectDebitAnnounced {
                amount: 3612,
                collection_date: d("2026-12-15"),
                mandate_reference: "C000001-M1".into(),
                creditor_id: "NL42ZZZ123456780001".into(),
                iban: "NL91 … 4300".into(),
                invoices: vec![Applied { number: "F2026-00003".into(), amount: 3612 }],
            }),
            Notice::DirectDebitReturned(DirectDebitReturned {
                number: "F2026-00003".into(),
                amount: 3612,
                reason: "MD06".into(),
                returned: d("2026-12-18"),
                invoice_id: 3,
            }),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_as_written_and_every_kind_has_one_name() {
        let all = examples();
        assert_eq!(all.iter().map(Notice::kind).collect::<Vec<_>>(), NoticeKind::ALL);
        for n in all {
            let kind = n.kind();
            assert_eq!(NoticeKind::parse(kind.name()), Some(kind));
            assert_eq!(Notice::read(kind.name(), n.data()).unwrap(), n);
            // As stored: the text of its data, read without building the value first.
            assert_eq!(Notice::read_json(kind.name(), &n.data().to_string()).unwrap(), n);
        }
    }

    #[test]
    fn dates_are_stored_as_iso_text_and_bad_rows_are_named() {
        let n = Notice::Suspended(Dunned { number: "F1".into(), amount: 1 });
        assert_eq!(n.data(), serde_json::json!({"number": "F1", "amount": 1}));
        let e = Notice::read("suspended", serde_json::json!({"number": "F1"})).unwrap_err();
        assert!(e.to_string().starts_with("notice suspended: missing field `amount`"), "{e}");
        assert!(Notice::read("party", serde_json::json!({})).is_err());
        let e = Notice::read_json("suspended", r#"{"number": "F1"}"#).unwrap_err();
        assert!(e.to_string().starts_with("notice suspended: missing field `amount`"), "{e}");
        assert!(Notice::read_json("suspended", r#"{"number": "F1", "amount": 1"#).is_err(), "cut-off text");
        let r = examples().remove(2);
        assert_eq!(r.data()["due_date"], "2026-11-15");
    }
}

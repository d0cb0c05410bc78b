//! The provider-neutral model: what Loket asks a payment provider for and what it gets back.
//! Names follow Mollie's (payment, refund, chargeback, method, checkout URL), which are also the
//! words most providers use. Amounts are integer minor units ("cents") with their currency.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A payment to create at the provider. `Default` gives an empty one-off payment, so a caller
/// writes only what it means (`NewPayment { amount_cents, …, ..Default::default() }`) and the
/// recurring fields stay unset for an ordinary checkout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewPayment {
    /// What the customer pays, in minor units of `currency`; must be positive.
    pub amount_cents: i64,
    /// ISO 4217 code, e.g. `"EUR"`.
    pub currency: String,
    /// Shown on the checkout page and, where the method allows, on the bank statement.
    pub description: String,
    /// Where the customer's browser returns after the checkout, whatever the outcome. Sent only
    /// when not empty: a [`SequenceType::Recurring`] payment has no checkout and needs none.
    pub redirect_url: String,
    /// Where the provider reports a change. `None` where the provider cannot reach Loket (a
    /// laptop), in which case only polling [`crate::PaymentProvider::get_payment`] tells.
    pub webhook_url: Option<String>,
    /// Loket's own references (invoice id, card id); stored by the provider and given back.
    /// `Value::Null` sends none. Mollie keeps at most 1 KB of it.
    pub metadata: serde_json::Value,
    /// A method to go straight to (`"ideal"`); `None` lets the customer choose.
    pub method: Option<String>,
    /// The checkout page's language: `nl_NL`, `it_IT`, `en_US`; `None` lets the provider guess.
    pub locale: Option<String>,
    /// Sent as `Idempotency-Key`: the same key with the same request gives the same payment, so a
    /// request whose answer was lost can be repeated without charging twice.
    pub idempotency_key: String,
    /// One-off (the default), the first payment of a customer that gives a mandate, or a
    /// recurring payment collected with that mandate without the customer's presence.
    pub sequence_type: SequenceType,
    /// The provider's customer (`cst_…`), required for first and recurring payments; a one-off
    /// payment may name one too.
    pub customer_id: Option<String>,
    /// The mandate (`mdt_…`) a recurring payment is collected with; `None` lets the provider take
    /// the customer's most recent valid mandate.
    pub mandate_id: Option<String>,
}

/// Where a payment stands in a recurring sequence, in Mollie's words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SequenceType {
    /// An ordinary payment through the checkout.
    #[default]
    OneOff,
    /// Paid through the checkout like a one-off payment; once paid, the customer's account or
    /// card is a mandate that later payments are collected with.
    First,
    /// Collected with a mandate, in the background: no checkout, no customer present.
    Recurring,
}

impl SequenceType {
    pub const ALL: [SequenceType; 3] = [SequenceType::OneOff, SequenceType::First, SequenceType::Recurring];

    /// The name Mollie uses on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            SequenceType::OneOff => "oneoff",
            SequenceType::First => "first",
            SequenceType::Recurring => "recurring",
        }
    }

    pub fn parse(s: &str) -> Option<SequenceType> {
        SequenceType::ALL.into_iter().find(|sequence| sequence.as_str() == s)
    }
}

/// A refund to create on a paid payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRefund {
    /// Minor units of `currency`, at most what remains refundable.
    pub amount_cents: i64,
    /// Must be the payment's currency.
    pub currency: String,
    /// Shown to the customer by their bank where the method allows.
    pub description: String,
    /// As for [`NewPayment::idempotency_key`]: a repeated refund must not pay out twice.
    pub idempotency_key: String,
}

/// A payment's status, in Mollie's words. Only `Paid` means the money arrived; `Authorized` means
/// it is reserved and must still be captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PaymentStatus {
    Open,
    Pending,
    Authorized,
    Paid,
    Canceled,
    Expired,
    Failed,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 7] = [
        PaymentStatus::Open,
        PaymentStatus::Pending,
        PaymentStatus::Authorized,
        PaymentStatus::Paid,
        PaymentStatus::Canceled,
        PaymentStatus::Expired,
        PaymentStatus::Failed,
    ];

    /// The name Mollie uses on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Open => "open",
            PaymentStatus::Pending => "pending",
            PaymentStatus::Authorized => "authorized",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Canceled => "canceled",
            PaymentStatus::Expired => "expired",
            PaymentStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<PaymentStatus> {
        PaymentStatus::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Whether the payment can still change by the customer's doing (Mollie: open, pending).
    /// Paid payments still gain refunds and chargebacks, which are separate objects.
    pub fn is_final(self) -> bool {
        !matches!(self, PaymentStatus::Open | PaymentStatus::Pending | PaymentStatus::Authorized)
    }
}

/// A payment as the provider has it now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payment {
    /// The provider's id, `tr_…` at Mollie.
    pub id: String,
    pub status: PaymentStatus,
    pub amount_cents: i64,
    pub currency: String,
    /// Refunds created so far (in the payment's currency); 0 when none.
    pub amount_refunded_cents: i64,
    /// Charged back by the customer's bank so far; 0 when none.
    pub amount_charged_back_cents: i64,
    /// The method used, once the customer chose one.
    pub method: Option<String>,
    /// Where to send the customer to pay; present while the payment can be paid.
    pub checkout_url: Option<String>,
    /// What was given as [`NewPayment::metadata`].
    pub metadata: serde_json::Value,
    pub paid_at: Option<Timestamp>,
    pub sequence_type: SequenceType,
    /// The customer the payment was made for, if one was named.
    pub customer_id: Option<String>,
    /// For a recurring payment the mandate it is collected with; for a first payment the mandate
    /// it created, once it is paid.
    pub mandate_id: Option<String>,
}

/// A payment method the customer may choose for a given amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Method {
    /// Mollie's id: `ideal`, `creditcard`, `bancontact`, `paypal`, `directdebit`, …
    pub id: String,
    /// The name in the locale asked for, e.g. "iDEAL | Wero".
    pub description: String,
    /// The method's logo as a scalable image.
    pub image_svg_url: String,
}

/// A refund's status, in Mollie's words. `Refunded` is the end of the road; until `Processing`
/// a refund may still be canceled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RefundStatus {
    Queued,
    Pending,
    Processing,
    Refunded,
    Failed,
    Canceled,
}

impl RefundStatus {
    pub const ALL: [RefundStatus; 6] = [
        RefundStatus::Queued,
        RefundStatus::Pending,
        RefundStatus::Processing,
        RefundStatus::Refunded,
        RefundStatus::Failed,
        RefundStatus::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Queued => "queued",
            RefundStatus::Pending => "pending",
            RefundStatus::Processing => "processing",
            RefundStatus::Refunded => "refunded",
            RefundStatus::Failed => "failed",
            RefundStatus::Canceled => "canceled",
        }
    }

    pub fn parse(s: &str) -> Option<RefundStatus> {
        RefundStatus::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Whether the refund still counts against what can be refunded (everything but a failed or
    /// canceled refund).
    pub fn counts(self) -> bool {
        !matches!(self, RefundStatus::Failed | RefundStatus::Canceled)
    }
}

/// Money returned to the customer at Loket's request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refund {
    /// `re_…` at Mollie.
    pub id: String,
    pub payment_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub status: RefundStatus,
    pub created_at: Timestamp,
}

/// Money taken back by the customer's bank or card issuer without Loket's say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chargeback {
    /// `chb_…` at Mollie.
    pub id: String,
    pub payment_id: String,
    pub amount_cents: i64,
    pub currency: String,
    /// The bank's reason, "description (code)", where the bank gives one (SEPA Direct Debit).
    pub reason: Option<String>,
    pub created_at: Timestamp,
    /// Set when the chargeback was reversed and the money came back.
    pub reversed_at: Option<Timestamp>,
}

/// A customer to create at the provider: the one whose mandates recurring payments use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NewCustomer {
    /// Shown in the provider's dashboard; sent only when not empty.
    pub name: String,
    /// Sent only when not empty.
    pub email: String,
    /// The language of the provider's pages for this customer: `nl_NL`, `en_US`, …
    pub locale: Option<String>,
    /// Loket's own references (the customer card's id); `Value::Null` sends none.
    pub metadata: serde_json::Value,
    /// As for [`NewPayment::idempotency_key`]: a repeated request must not make two customers.
    pub idempotency_key: String,
}

/// A customer as the provider has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// `cst_…` at Mollie.
    pub id: String,
    /// Empty when none was given.
    pub name: String,
    /// Empty when none was given.
    pub email: String,
}

/// A mandate's status, in Mollie's words. Only a `Valid` mandate can be collected with;
/// `Pending` waits for the first payment (or the bank), `Invalid` will never be usable again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MandateStatus {
    Valid,
    Pending,
    Invalid,
}

impl MandateStatus {
    pub const ALL: [MandateStatus; 3] = [MandateStatus::Valid, MandateStatus::Pending, MandateStatus::Invalid];

    pub fn as_str(self) -> &'static str {
        match self {
            MandateStatus::Valid => "valid",
            MandateStatus::Pending => "pending",
            MandateStatus::Invalid => "invalid",
        }
    }

    pub fn parse(s: &str) -> Option<MandateStatus> {
        MandateStatus::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// A customer's permission to be charged without being present: a SEPA Direct Debit mandate, a
/// stored card or a PayPal billing agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mandate {
    /// `mdt_…` at Mollie.
    pub id: String,
    /// `cst_…`: the customer the mandate belongs to.
    pub customer_id: String,
    pub status: MandateStatus,
    /// `directdebit`, `creditcard` or `paypal` at Mollie.
    pub method: String,
    /// The account holder, card holder or PayPal account's name.
    pub consumer_name: Option<String>,
    /// The IBAN for direct debit, the card's last four digits, or the PayPal account's email.
    pub consumer_account: Option<String>,
    /// The bank's BIC, for direct debit only.
    pub consumer_bic: Option<String>,
    /// The day the customer signed (for a first payment: the day it was paid).
    pub signature_date: Option<Date>,
    /// The reference the bank shows the customer with each collection, where there is one.
    pub mandate_reference: Option<String>,
    pub created_at: Timestamp,
}

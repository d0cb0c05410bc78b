//! What can go wrong talking to a payment provider, in three kinds that call for three different
//! reactions: try again later ([`ProviderError::Unavailable`]), fix the request or tell the
//! customer it was refused ([`ProviderError::Rejected`]), or treat the provider's answer as a bug
//! to report ([`ProviderError::Invalid`]).

/// A provider call that did not give the answer asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// The provider could not be reached or did not answer in time: a connection error, a
    /// time-out, a 5xx, or 429 (too many requests — Mollie's rate limit, which passes). Retrying
    /// later may succeed; a POST retried must carry the same idempotency key.
    #[error("the payment provider cannot be reached: {reason}")]
    Unavailable { reason: String },
    /// The provider answered 4xx: the request was understood and refused. For Mollie, `title`,
    /// `detail` and `field` (the parameter at fault, when there is one) come from its
    /// `application/hal+json` error body.
    #[error("the payment provider refused the request ({status} {title}): {detail}")]
    Rejected { status: u16, title: String, detail: String, field: Option<String> },
    /// The provider answered, but not with something this crate can read: malformed JSON, a
    /// missing field, an amount that is not an amount, an unknown status. Also a request this
    /// crate cannot even send (a header value with a line break).
    #[error("the payment provider's answer could not be read: {0}")]
    Invalid(String),
}

impl ProviderError {
    /// Whether the same call may succeed later unchanged.
    pub fn is_temporary(&self) -> bool {
        matches!(self, ProviderError::Unavailable { .. })
    }

    /// The English sentence a customer may be shown; the details stay in the logs. Callers with a
    /// translation pick their text by variant instead.
    pub fn customer_message(&self) -> &'static str {
        match self {
            ProviderError::Unavailable { .. } => "the payment provider cannot be reached",
            ProviderError::Rejected { .. } => "the payment provider refused the payment",
            ProviderError::Invalid(_) => "the payment provider gave an answer we could not understand",
        }
    }

    /// A refusal as Mollie would give it for `field`, used where this crate refuses a request
    /// before sending it (an identifier that is not one) so callers see one kind of answer.
    pub(crate) fn not_found(what: &str, id: &str) -> Self {
        let id: String = id.chars().take(40).collect();
        ProviderError::Rejected {
            status: 404,
            title: "Not Found".into(),
            detail: format!("No {what} exists with token {id:?}."),
            field: None,
        }
    }
}

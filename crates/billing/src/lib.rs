//! The billing engine around the pure rules of `loket_domain::billing`: the daily billing run
//! ([`run`]), what staff and customers do to subscriptions ([`ops`]) and money ([`money`]), the billing
//! file that configures a provider ([`file`]) and the notifications job ([`notify`]).
//!
//! Every operation is one transaction on the store; those that issue documents hold the issuing
//! lock ([`loket_store::billing::lock_issuing`]) so numbers stay gap-free with several nodes.

pub mod file;
pub mod money;
pub mod notify;
pub mod ops;
pub mod overview;
pub mod run;
mod snapshot;

use loket_domain::{FieldError, ProviderIdentity};
use loket_store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// Wrong input, every problem named by field.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request is valid but not now (e.g. a cancelled subscription cannot be upgraded).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub fn invalid(field: &str, message: impl Into<String>) -> BillingError {
    BillingError::Invalid(vec![FieldError::new(field, message)])
}

/// What the engine needs: the database and who the provider is.
#[derive(Clone)]
pub struct Billing {
    pub store: Store,
    pub provider: ProviderIdentity,
}

impl Billing {
    pub fn new(store: Store, provider: ProviderIdentity) -> Self {
        Billing { store, provider }
    }

    /// Today in the provider's time zone.
    pub fn today(&self) -> jiff::civil::Date {
        let tz = jiff::tz::TimeZone::get(&self.provider.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        jiff::Timestamp::now().to_zoned(tz).date()
    }
}

//! The billing engine around the pure rules of `loket_domain::billing`: the daily billing run
//! ([`run`]) with dunning ([`dunning`]), what staff and customers do to subscriptions ([`ops`])
//! and money ([`money`]), what is settled when a contract ends early or changes price
//! ([`settle`]), the catalog and the billing file that configure a provider ([`catalog`],
//! [`file`]) and the notifications job ([`notify`]).
//!
//! Every operation is one transaction on the store; those that issue documents hold the issuing
//! lock ([`loket_store::billing::lock_issuing`]) so numbers stay gap-free with several nodes.
//! Every read inside an operation goes through its transaction.

pub mod bank;
pub mod catalog;
mod due;
pub mod dunning;
pub mod extras;
pub mod file;
pub mod money;
pub mod notify;
pub mod ops;
pub mod overview;
pub mod run;
pub mod sepa;
pub mod settle;
pub(crate) mod snapshot;
mod texts;

use jiff::civil::Date;
use loket_domain::billing::{RenewalMode, Terms};
use loket_domain::{Money, ProviderIdentity};

pub use crate::{AppError, invalid};
use loket_store::billing::catalog::{Catalog, PlanRow};
use loket_store::billing::subscriptions::Subscription;
use loket_store::{Conn, Store, Tx};

/// What the engine needs: the database and who the provider is.
#[derive(Clone)]
pub struct Billing {
    pub store: Store,
    pub provider: ProviderIdentity,
    pub clock: crate::Clock,
    /// One-off lines are invoiced now even without another invoice to go on (staff's
    /// "invoice now"); otherwise they wait for the next invoice or the 1st of the month.
    items_now: bool,
    /// Direct debit: the creditor identifier, the bank's file version and the dates' rules.
    sepa: std::sync::Arc<sepa::SepaSettings>,
}

impl Billing {
    pub fn new(store: Store, provider: ProviderIdentity) -> Self {
        Billing { store, provider, clock: crate::Clock::system(), items_now: false, sepa: Default::default() }
    }

    pub fn with_clock(mut self, clock: crate::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Today in the provider's time zone.
    pub fn today(&self) -> Date {
        self.clock.today(&self.provider.tz())
    }

    /// A write transaction that may issue documents (holds the issuing lock).
    pub(crate) async fn begin_issuing(&self) -> Result<Tx, AppError> {
        let mut tx = self.store.begin().await?;
        loket_store::billing::lock_issuing(&mut tx, self.store.backend()).await?;
        Ok(tx)
    }

    /// The catalog, read in the caller's transaction.
    pub(crate) async fn catalog(&self, conn: &mut Conn) -> Result<Catalog, AppError> {
        Ok(loket_store::billing::catalog::load_catalog(conn, self.provider.currency).await?)
    }
}

/// The terms that apply to a subscription: its own, or its plan's.
pub fn terms_of<'a>(catalog: &'a Catalog, s: &Subscription) -> Option<(&'a Terms, &'a PlanRow)> {
    let plan = catalog.plans.get(&s.plan_id)?;
    let terms = catalog.terms.get(&s.terms_id.unwrap_or(plan.terms_id))?;
    Some((&terms.terms, plan))
}

/// The net price of one billing period of a subscription.
pub fn price_of(s: &Subscription, terms: &Terms, plan: &PlanRow) -> Option<Money> {
    match s.price {
        Some(p) => Some(Money::new(p, plan.currency)),
        None => plan.price_for(terms.billing_period),
    }
}

/// `net` with the VAT `customer` pays on a product of `category` (the net amount where no rate
/// is known): what a private customer is shown.
pub fn with_vat(
    seller: loket_domain::Country,
    customer: &loket_store::customers::Customer,
    category: loket_domain::vat::VatCategory,
    net: Money,
) -> Money {
    use loket_domain::vat;
    vat::treatment(seller, snapshot::buyer(customer), category)
        .ok()
        .and_then(|t| vat::totals(&[vat::Line { quantity_milli: 1000, unit_price: net, treatment: t }], net.currency).ok())
        .map(|t| t.gross)
        .unwrap_or(net)
}

/// The date the billing of a subscription stops (exclusive), if any: its end, or for an opt-in
/// renewal the end of the last confirmed term.
pub fn billing_end(s: &Subscription, terms: &Terms, consumer: bool) -> Option<Date> {
    let confirmed = if terms.renewal_mode(consumer) == RenewalMode::OptIn { s.renewed_until } else { None };
    match (s.ends_on, confirmed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A service as people name it: "Plan — label", or the plan alone.
pub(crate) fn texts_service(plan: &str, label: &str) -> String {
    texts::service(plan, label)
}

//! What a customer (and staff) see of a card's billing: each subscription with its current
//! term, the next invoice (date and amount) and the notice deadline ("cancel on or before …"),
//! the credit balance and whether the customer counts as repeatedly late. Prices are given net
//! and with VAT; private customers are shown the price with VAT.

use jiff::civil::Date;
use loket_domain::Money;
use loket_domain::billing::lifecycle::{Event, Phase};
use loket_domain::billing::plan::{Schedule, first_period_due, periods_due};
use loket_domain::billing::{RenewalMode, Term, Terms};
use loket_domain::customer::CustomerKind;
use loket_domain::vat::{self, Line};
use loket_store::billing::catalog::{Catalog, PlanRow};
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, Subscription};
use loket_store::customers::Customer;
use serde::Serialize;

use crate::billing::{AppError, Billing, billing_end, price_of, snapshot, terms_of};

#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionOverview {
    pub id: i64,
    pub label: String,
    pub plan: String,
    pub plan_code: String,
    /// The product's kind (`hosting`, `domain`, …): a domain has registry contacts.
    pub product_kind: &'static str,
    pub state: &'static str,
    pub start_date: Date,
    /// Net price per billing period, minor units.
    pub price: i64,
    /// The same with VAT, minor units.
    pub price_gross: i64,
    /// `month`, `quarter`, `year`, `6 months`, `30 days`, …
    pub billing_period: String,
    /// The current contract term (end exclusive).
    pub term_start: Option<Date>,
    pub term_end: Option<Date>,
    /// Cancel on or before this day …
    pub cancel_before: Option<Date>,
    /// … to end the service here (exclusive): the current term's end while its deadline has not
    /// passed, else a later term's.
    pub ends_if_cancelled: Option<Date>,
    pub next_invoice_date: Option<Date>,
    /// Net amount of the next invoice for this subscription, minor units.
    pub next_invoice_amount: Option<i64>,
    /// The same with VAT.
    pub next_invoice_gross: Option<i64>,
    /// The end of the service (exclusive), once known.
    pub ends_on: Option<Date>,
    /// Its last day (inclusive), as people read it.
    pub last_day: Option<Date>,
    /// Opt-in renewal (Wet Van Dam): the customer renews; otherwise it ends on `renewed_until`.
    pub opt_in: bool,
    pub renewed_until: Option<Date>,
    /// The customer may renew now (an opt-in subscription whose next term is not confirmed).
    pub renewable: bool,
    /// A cancellation can be recorded now.
    pub cancellable: bool,
    /// The service this one is an add-on to (invoiced with it, ending with it).
    pub add_on_to: Option<i64>,
    pub suspended_since: Option<Date>,
    pub cancellation_channels: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub customer_id: i64,
    /// Private customers see prices with VAT.
    pub consumer: bool,
    pub credit_balance: i64,
    pub repeatedly_late: bool,
    pub subscriptions: Vec<SubscriptionOverview>,
    /// One-off lines (extra work, support hours, fees, credits) waiting for the next invoice.
    pub pending: Vec<PendingLine>,
}

/// A one-off line waiting for the next invoice: its amount without VAT, and with it (what a
/// private customer reads).
#[derive(Debug, Clone, Serialize)]
pub struct PendingLine {
    pub description: String,
    pub created_on: Date,
    pub quantity_milli: i64,
    pub net: i64,
    pub gross: i64,
}

/// What a card's dashboard tells of a service: what it is, its state and its term, without its
/// prices, next invoice and cancellation (see [`Billing::services`]).
#[derive(Debug, Clone, Serialize)]
pub struct ServiceBrief {
    pub id: i64,
    pub label: String,
    pub plan: String,
    /// The product's kind (`hosting`, `domain`, …).
    pub product_kind: &'static str,
    pub state: &'static str,
    /// The current contract term's end (exclusive), while the service runs.
    pub term_end: Option<Date>,
    /// The end of the service (exclusive), once known.
    pub ends_on: Option<Date>,
    /// Opt-in renewal (Wet Van Dam): the customer renews; otherwise it ends on `renewed_until`.
    pub opt_in: bool,
    pub renewed_until: Option<Date>,
    /// The customer may renew now (an opt-in subscription whose next term is not confirmed).
    pub renewable: bool,
    pub suspended_since: Option<Date>,
}

/// One service as its page shows it: see [`Billing::service`].
#[derive(Debug, Clone)]
pub struct Service {
    pub subscription: Subscription,
    pub overview: Option<SubscriptionOverview>,
    /// Its usage points over the page's range, oldest first.
    pub usage: Vec<loket_domain::usage::UsagePoint>,
}

impl Billing {
    pub async fn overview(&self, customer_id: i64, today: Date) -> Result<Overview, AppError> {
        let mut conn = self.store.acquire().await?;
        let customer = loket_store::customers::customer(&mut conn, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let (subscriptions, stamp) = subs::customer_subscriptions_stamped(&mut conn, customer_id).await?;
        let catalog = match stamp {
            Some(stamp) => self.store.catalog_at(&mut conn, stamp, self.provider.currency).await?,
            None => self.store.catalog_shared(&mut conn, self.provider.currency).await?,
        };
        let list = subscriptions.iter().filter_map(|s| self.overview_of(&catalog, &customer, s, today)).collect();
        let settings = catalog.settings(self.provider.currency);
        let history = payments::payment_history(&mut conn, customer_id).await?;
        Ok(Overview {
            customer_id,
            consumer: customer.card.kind == CustomerKind::Consumer,
            credit_balance: payments::credit_balance(&mut conn, customer_id).await?,
            repeatedly_late: settings.dunning.repeatedly_late(&history, today),
            subscriptions: list,
            pending: loket_store::billing::items::pending_items(&mut conn, customer_id)
                .await?
                .into_iter()
                .map(|i| {
                    let line = Line {
                        quantity_milli: i.quantity_milli,
                        unit_price: Money::new(i.unit_price, i.currency),
                        treatment: loket_domain::vat::Treatment::Charged(0),
                    };
                    let net = line.net().map(|m| m.minor).unwrap_or(0);
                    let category =
                        loket_domain::billing::catalog::parse_vat_category(&i.vat_category).unwrap_or(vat::VatCategory::Standard);
                    let gross = super::with_vat(self.provider.address.country, &customer, category, Money::new(net, i.currency)).minor;
                    PendingLine { description: i.description, created_on: i.created_on, quantity_milli: i.quantity_milli, net, gross }
                })
                .collect(),
        })
    }

    /// A card's services as its dashboard tells them on `today`: each one's state and term,
    /// without what prices and the next invoice take to work out.
    ///
    /// The subscriptions and the catalog's stamp are one statement: a page with the catalog
    /// cached makes one round trip for them.
    pub async fn services(&self, customer: &Customer, today: Date) -> Result<Vec<ServiceBrief>, AppError> {
        let (list, stamp) = self.store.card_subscriptions_stamped(customer.id).await?;
        let Some(stamp) = stamp else { return Ok(Vec::new()) };
        let catalog = self.store.catalog_stamped(stamp, self.provider.currency).await?;
        let consumer = customer.card.kind == CustomerKind::Consumer;
        Ok(list.iter().filter_map(|s| brief_of(&catalog, consumer, s, today).map(|(brief, _)| brief)).collect())
    }

    /// Subscription `id` of `customer` as its page shows it on `today`, without reading the
    /// card's other services, with its usage points since `usage_from`: `None` when it is not
    /// this customer's; its overview is `None` when its plan is not in the catalog. One round
    /// trip with the catalog cached.
    pub async fn service(&self, customer: &Customer, id: i64, today: Date, usage_from: Date) -> Result<Option<Service>, AppError> {
        let Some(found) = self.store.service_stamped(id, usage_from, today).await?.filter(|f| f.subscription.customer_id == customer.id)
        else {
            return Ok(None);
        };
        let catalog = self.store.catalog_stamped(found.catalog_stamp, self.provider.currency).await?;
        let overview = self.overview_of(&catalog, customer, &found.subscription, today);
        Ok(Some(Service { subscription: found.subscription, overview, usage: found.usage }))
    }

    fn overview_of(&self, catalog: &Catalog, customer: &Customer, s: &Subscription, today: Date) -> Option<SubscriptionOverview> {
        let consumer = customer.card.kind == CustomerKind::Consumer;
        let (brief, Known { terms, plan, category, live, term }) = brief_of(catalog, consumer, s, today)?;
        let buyer = snapshot::buyer(customer);
        let gross = |net: Money| -> i64 {
            vat::treatment(self.provider.address.country, buyer, category)
                .ok()
                .and_then(|t| vat::totals(&[Line { quantity_milli: 1000, unit_price: net, treatment: t }], net.currency).ok())
                .map(|t| t.gross.minor)
                .unwrap_or(net.minor)
        };
        let price = price_of(s, terms, plan);
        let life = s.life();
        let mut next = None;
        if live
            && life.phase != Phase::PendingPayment
            && let Some(price) = price
        {
            let schedule = Schedule {
                terms,
                start: s.start_date,
                ends: billing_end(s, terms, consumer),
                ordered: s.ordered_on,
                price,
                aligned_to: s.aligned_to,
            };
            // The first period not yet invoiced (looking up to about two years ahead), with all
            // the run invoices with it that day: an add-on's first days come with its main
            // service's next period.
            next = first_period_due(&schedule, s.invoiced_until, loket_domain::billing::plus_days(today, 800)).and_then(|first| {
                let on = first.planned.max(today);
                let total = periods_due(&schedule, s.invoiced_until, on).iter().try_fold(0i64, |t, p| t.checked_add(p.amount.minor))?;
                Some((on, Money::new(total, first.amount.currency)))
            });
        }
        // What a cancellation today would do (any accepted channel: the deadline is the same).
        let cancellation = match (life.phase, terms.channels.first()) {
            (Phase::Active | Phase::RenewalOffered, Some(ch)) if !brief.opt_in => {
                terms.cancel(s.start_date, today.max(s.start_date), *ch, consumer).ok()
            }
            _ => None,
        };
        let ServiceBrief {
            id,
            label,
            plan: plan_name,
            product_kind,
            state,
            term_end,
            ends_on,
            opt_in,
            renewed_until,
            renewable,
            suspended_since,
        } = brief;
        Some(SubscriptionOverview {
            id,
            label,
            plan: plan_name,
            plan_code: plan.code.clone(),
            product_kind,
            state,
            start_date: s.start_date,
            price: price.map(|p| p.minor).unwrap_or(0),
            price_gross: price.map(gross).unwrap_or(0),
            billing_period: terms.billing_period.to_string(),
            term_start: term.map(|t| t.start),
            term_end,
            cancel_before: cancellation.map(|c| c.deadline),
            ends_if_cancelled: cancellation.map(|c| c.effective),
            next_invoice_date: next.map(|n| n.0),
            next_invoice_amount: next.map(|n| n.1.minor),
            next_invoice_gross: next.map(|n| gross(n.1)),
            ends_on,
            last_day: ends_on.map(|e| e.yesterday().unwrap_or(e)),
            opt_in,
            renewed_until,
            renewable,
            cancellable: life.apply(Event::RequestCancellation { received: today, effective: today }).is_ok(),
            add_on_to: s.parent_id,
            suspended_since,
            cancellation_channels: terms.channels.iter().map(|c| c.name()).collect(),
        })
    }
}

/// What [`brief_of`] found on the way, for the overview built on it.
struct Known<'a> {
    terms: &'a Terms,
    plan: &'a PlanRow,
    category: vat::VatCategory,
    /// Not ended (by its phase, or by its end date even when no run has yet marked it so).
    live: bool,
    term: Option<Term>,
}

/// Subscription `s` of a card (a private customer's when `consumer`) as its dashboard tells it
/// on `today`; `None` when its plan is not in `catalog`.
fn brief_of<'a>(catalog: &'a Catalog, consumer: bool, s: &Subscription, today: Date) -> Option<(ServiceBrief, Known<'a>)> {
    let (terms, plan) = terms_of(catalog, s)?;
    let product = catalog.products.get(&plan.product_id).map(|p| &p.product);
    let life = s.life();
    // Ended by its end date even when no run has yet marked it so: no term, no next invoice.
    let live = !life.is_final() && s.ends_on.is_none_or(|e| e > today);
    let term = live.then(|| terms.term_at(s.start_date, today.max(s.start_date)));
    let opt_in = terms.renewal_mode(consumer) == RenewalMode::OptIn;
    let renewable = opt_in
        && s.ends_on.is_none()
        && s.renewed_until.is_some()
        && !life.renewal_taken()
        && matches!(life.phase, Phase::Active | Phase::RenewalOffered);
    let brief = ServiceBrief {
        id: s.id,
        label: s.label.clone(),
        plan: plan.name.clone(),
        product_kind: product.map(|p| p.kind.name()).unwrap_or("add_on"),
        state: life.state().name(),
        term_end: term.map(|t| t.end),
        ends_on: s.ends_on,
        opt_in,
        renewed_until: s.renewed_until,
        renewable,
        suspended_since: s.suspended_since,
    };
    let category = product.map(|p| p.vat_category).unwrap_or(vat::VatCategory::Standard);
    Some((brief, Known { terms, plan, category, live, term }))
}

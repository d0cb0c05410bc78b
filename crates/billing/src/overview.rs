//! What a customer (and staff) see of a card's billing: each subscription with its current
//! term, the next invoice (date and amount) and the notice deadline ("cancel before …"), the
//! credit balance and whether the customer counts as repeatedly late.

use jiff::civil::Date;
use loket_domain::billing::lifecycle::SubscriptionState;
use loket_domain::billing::plan::{Schedule, periods_due};
use loket_domain::customer::CustomerKind;
use loket_store::billing::catalog::load_catalog;
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, state_name};
use serde::Serialize;

use crate::run::{billing_end, price_of, terms_of};
use crate::{Billing, BillingError};

#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionOverview {
    pub id: i64,
    pub label: String,
    pub plan: String,
    pub plan_code: String,
    pub state: &'static str,
    pub start_date: Date,
    /// Net price per billing period, minor units.
    pub price: i64,
    pub billing_period: String,
    /// The current contract term (end exclusive).
    pub term_start: Option<Date>,
    pub term_end: Option<Date>,
    /// Cancel on or before this day to end at `term_end`.
    pub cancel_before: Option<Date>,
    pub next_invoice_date: Option<Date>,
    /// Net amount of the next invoice for this subscription, minor units.
    pub next_invoice_amount: Option<i64>,
    pub ends_on: Option<Date>,
    /// Opt-in renewal (Wet Van Dam): the customer renews; otherwise it ends on `renewed_until`.
    pub opt_in: bool,
    pub renewed_until: Option<Date>,
    pub cancellation_channels: Vec<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub customer_id: i64,
    pub credit_balance: i64,
    pub repeatedly_late: bool,
    pub subscriptions: Vec<SubscriptionOverview>,
}

impl Billing {
    pub async fn overview(&self, customer_id: i64, today: Date) -> Result<Overview, BillingError> {
        let customer = self.store.customer(customer_id).await?.ok_or(BillingError::NotFound("customer"))?;
        let consumer = customer.card.kind == CustomerKind::Consumer;
        let mut conn = self.store.acquire().await?;
        let catalog = load_catalog(&mut conn, self.provider.currency).await?;
        let settings = catalog.settings(self.provider.currency);
        let mut list = Vec::new();
        for s in subs::customer_subscriptions(&mut conn, customer_id).await? {
            let Some((terms, plan)) = terms_of(&catalog, &s) else { continue };
            let price = price_of(&s, terms, plan);
            let live = !s.state.is_final();
            let term = live.then(|| terms.term_at(s.start_date, today.max(s.start_date)));
            let mut next = None;
            if live
                && s.state != SubscriptionState::PendingPayment
                && let Some(price) = price
            {
                let schedule =
                    Schedule { terms, start: s.start_date, ends: billing_end(&s, terms, consumer), ordered: s.ordered_on, price };
                // The first period not yet invoiced (looking up to about two years ahead).
                next = periods_due(&schedule, s.invoiced_until, today.checked_add(jiff::Span::new().days(800)).unwrap_or(today))
                    .into_iter()
                    .next()
                    .map(|p| (p.planned.max(today), p.amount.minor));
            }
            let opt_in = terms.renewal_mode(consumer) == loket_domain::billing::RenewalMode::OptIn;
            let cancel_before = match (s.state, term) {
                (SubscriptionState::Active | SubscriptionState::Suspended, Some(t)) if !opt_in => Some(terms.notice_deadline(t.end)),
                _ => None,
            };
            list.push(SubscriptionOverview {
                id: s.id,
                label: s.label.clone(),
                plan: plan.name.clone(),
                plan_code: plan.code.clone(),
                state: state_name(s.state),
                start_date: s.start_date,
                price: price.map(|p| p.minor).unwrap_or(0),
                billing_period: format!("{:?}", terms.billing_period),
                term_start: term.map(|t| t.start),
                term_end: term.map(|t| t.end),
                cancel_before,
                next_invoice_date: next.map(|n| n.0),
                next_invoice_amount: next.map(|n| n.1),
                ends_on: s.ends_on,
                opt_in,
                renewed_until: s.renewed_until,
                cancellation_channels: terms.channels.iter().map(|c| c.name()).collect(),
            });
        }
        let history = payments::payment_history(&mut conn, customer_id).await?;
        Ok(Overview {
            customer_id,
            credit_balance: payments::credit_balance(&mut conn, customer_id).await?,
            repeatedly_late: settings.dunning.repeatedly_late(&history, today),
            subscriptions: list,
        })
    }
}

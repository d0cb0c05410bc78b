//! Ordering a service from the panel (seed 001: "order e.g. an extra hosting package or a
//! domain name"). A business's service starts the day it is ordered. A private customer ordering
//! at a distance has 14 days to withdraw: the service starts at once only when they expressly
//! ask for that (and accept that they lose the right once it is fully performed); otherwise it
//! starts after the 14 days. Products that are paid first get a payment request from the billing
//! run, and start once it is paid.

use jiff::civil::Date;
use loket_domain::customer::CustomerKind;
use loket_store::accounts::User;
use loket_store::audit::Actor;
use loket_store::customers::Customer;
use serde::Serialize;

use crate::billing::ops::SubscriptionInput;
use crate::{AppError, Services, audit, customer_entity, invalid};

/// Days a private customer may withdraw from a distance contract (EU 2011/83, art. 9).
pub const WITHDRAWAL_DAYS: i64 = 14;

#[derive(Debug, Clone, Serialize)]
pub struct Ordered {
    pub subscription_id: i64,
    pub start_date: Date,
    /// The product is paid before it starts.
    pub pay_first: bool,
}

/// The day a service ordered today starts: today, or for a private customer who did not ask
/// for an immediate start, after the withdrawal period.
pub fn start_date(today: Date, consumer: bool, start_now: bool) -> Date {
    if consumer && !start_now { loket_domain::billing::plus_days(today, WITHDRAWAL_DAYS) } else { today }
}

/// Refusal of an order that does not say what it is for.
pub const LABEL_MISSING: &str = "say what the service is for: a domain name or a site";
/// Refusal of a plan, or of the service an add-on is for, that the order form did not offer.
pub const CHOOSE_SERVICE: &str = "choose a service from the list";
/// Refusal of an order confirmed with a key no review page gave this card.
pub const KEY_UNKNOWN: &str = "is not the key of an order form: open the order form again";

/// A new key for the order confirmed on one review page (see [`order`]).
pub fn new_order_key() -> String {
    loket_auth::new_token()
}

/// `user` orders `plan` for `label` on `customer`'s card; an add-on names the card's service
/// it is for (`parent`), and is invoiced with it. `key`, the review page's, places one order
/// however often the confirmation is sent: again, it answers with the order placed.
#[allow(clippy::too_many_arguments)]
pub async fn order(
    app: &Services,
    actor: &Actor,
    user: &User,
    customer: &Customer,
    plan: &str,
    label: &str,
    parent: Option<i64>,
    start_now: bool,
    key: Option<&str>,
) -> Result<Ordered, AppError> {
    let today = app.today();
    let consumer = customer.card.kind == CustomerKind::Consumer;
    if label.trim().is_empty() {
        return Err(invalid("label", LABEL_MISSING));
    }
    let key = key.map(str::trim).filter(|k| !k.is_empty());
    if key.is_some_and(|k| k.len() > 100 || !k.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return Err(invalid("order_key", KEY_UNKNOWN));
    }
    let billing = app.billing();
    let mut tx = app.store.begin().await?;
    let catalog = billing.catalog(&mut tx).await?;
    let Some(plan_row) = catalog.plan_by_code(plan.trim()) else {
        return Err(invalid("plan", CHOOSE_SERVICE));
    };
    let pay_first = catalog.products.get(&plan_row.product_id).is_some_and(|p| p.product.requires_prepayment);
    if let Some(key) = key
        && !loket_store::orders::claim_key(&mut tx, key, customer.id).await?
    {
        // Placed already (by this confirmation sent before): the same answer, nothing new.
        let placed = loket_store::orders::by_key(&mut tx, key).await?;
        drop(tx);
        let Some((owner, Some(id))) = placed else { return Err(AppError::Conflict("the order is being placed".into())) };
        if owner != customer.id {
            return Err(invalid("order_key", KEY_UNKNOWN));
        }
        let service = app.store.subscription(id).await?.ok_or(AppError::NotFound("subscription"))?;
        return Ok(Ordered { subscription_id: id, start_date: service.start_date, pay_first });
    }
    let mut start = start_date(today, consumer, start_now);
    if let Some(parent) = parent {
        // The form offers the card's running services; an add-on for one that has not started
        // yet (a private customer's, in its withdrawal period) starts with it.
        match loket_store::billing::subscriptions::subscription(&mut tx, parent).await? {
            Some(p) if p.customer_id == customer.id && p.takes_add_ons() => start = start.max(p.start_date),
            _ => return Err(invalid("parent_id", CHOOSE_SERVICE)),
        }
    }
    let input = SubscriptionInput {
        customer_id: customer.id,
        plan: plan_row.code.clone(),
        label: label.to_string(),
        start_date: start.to_string(),
        ordered_on: Some(today.to_string()),
        parent_id: parent,
        ..SubscriptionInput::default()
    };
    let id = billing.subscribe_in(&mut tx, actor, &input).await?;
    if let Some(key) = key {
        loket_store::orders::placed(&mut tx, key, id).await?;
    }
    let after = serde_json::json!({
        "subscription": id, "plan": plan_row.code, "label": label.trim(), "start_date": start, "by": user.email, "add_on_to": parent,
        "consumer": consumer, "withdrawal_waived": consumer && start_now,
    });
    audit(&mut tx, actor, "order.place", customer_entity(customer.id), None, Some(after)).await?;
    let lang = customer.card.language;
    let data = serde_json::json!({
        "service": crate::billing::texts_service(&plan_row.name, label.trim()),
        "start_text": loket_i18n::format_date(lang, start),
        "consumer": consumer,
        "withdrawal_waived": consumer && start_now,
        "pay_first": pay_first,
        "customer": customer.card.legal_name,
        "customer_number": customer.number,
        "url": format!("{}/customers/{}/billing", app.public_url.trim_end_matches('/'), customer.id),
    });
    app.mail(&mut tx, "order-confirmed", lang, &customer.card.email, data).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(Ordered { subscription_id: id, start_date: start, pay_first })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_customer_starts_after_the_withdrawal_period_unless_they_ask_to_start_now() {
        let today: Date = "2026-11-30".parse().unwrap();
        assert_eq!(start_date(today, false, false), today, "a business starts at once");
        assert_eq!(start_date(today, true, true), today);
        assert_eq!(start_date(today, true, false).to_string(), "2026-12-14");
    }
}

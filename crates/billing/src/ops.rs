//! What staff, customers and the API do with subscriptions: order one, cancel it, renew it
//! (opt-in), change its plan; add one-off lines and projects. Money (payments, refunds, credit
//! notes) is in [`crate::money`]. Each is one audited transaction.

use jiff::civil::Date;
use loket_domain::FieldError;
use loket_domain::billing::catalog::{parse_channel, parse_vat_category};
use loket_domain::billing::lifecycle::{Event, SubscriptionState, next};
use loket_domain::billing::plan::settle_change;
use loket_domain::billing::{Cancellation, RenewalMode};
use loket_domain::customer::CustomerKind;
use loket_store::audit::{self, Actor, Change};
use loket_store::billing::catalog::load_catalog;
use loket_store::billing::documents::{self as docs, NewItem};
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, NewSubscription, StateChange, Subscription};
use loket_store::{Conn, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::run::{price_of, terms_of};
use crate::{Billing, BillingError, invalid};

pub(crate) async fn audit(
    tx: &mut Conn,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    after: serde_json::Value,
) -> Result<(), BillingError> {
    audit::record(
        tx,
        &Change { actor, action, entity, entity_id: Some(id.to_string()), before: None, after: Some(after), request_id: None },
    )
    .await?;
    Ok(())
}

pub(crate) fn parse_date(field: &str, s: &str, e: &mut Vec<FieldError>) -> Option<Date> {
    s.trim().parse::<Date>().map_err(|_| e.push(FieldError::new(field, format!("`{s}` is not a date: write YYYY-MM-DD")))).ok()
}

/// A new subscription as it arrives.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionInput {
    pub customer_id: i64,
    /// The plan's code.
    pub plan: String,
    /// Terms (code) that replace the plan's for this subscription.
    #[serde(default)]
    pub terms: Option<String>,
    /// What it is for: a domain name, a site.
    #[serde(default)]
    pub label: String,
    /// YYYY-MM-DD: the start, registration or transfer date.
    pub start_date: String,
    /// YYYY-MM-DD; default: the start date.
    #[serde(default)]
    pub ordered_on: Option<String>,
    /// A price per billing period that replaces the plan's, e.g. "25.00".
    #[serde(default)]
    pub price: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cancelled {
    pub subscription_id: i64,
    pub received_on: Date,
    pub channel: String,
    #[serde(flatten)]
    pub cancellation: Cancellation,
}

impl Billing {
    pub(crate) async fn begin_issuing(&self) -> Result<Tx, BillingError> {
        let mut tx = self.store.begin().await?;
        loket_store::billing::lock_issuing(&mut tx, self.store.backend()).await?;
        Ok(tx)
    }

    pub async fn subscribe(&self, actor: &Actor, input: &SubscriptionInput) -> Result<i64, BillingError> {
        let mut e = Vec::new();
        let start = parse_date("start_date", &input.start_date, &mut e);
        let ordered = match &input.ordered_on {
            Some(s) => parse_date("ordered_on", s, &mut e),
            None => start,
        };
        let label = input.label.trim().to_string();
        if label.chars().count() > 200 {
            e.push(FieldError::new("label", "at most 200 characters"));
        }
        let mut tx = self.store.begin().await?;
        let catalog = load_catalog(&mut tx, self.provider.currency).await?;
        let plan = catalog.plan_by_code(input.plan.trim());
        if plan.is_none() {
            e.push(FieldError::new("plan", format!("no plan with the code `{}`", input.plan)));
        }
        let terms_override = match input.terms.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(code) => match catalog.terms_by_code(code) {
                Some(t) => Some(t),
                None => {
                    e.push(FieldError::new("terms", format!("no terms with the code `{code}`")));
                    None
                }
            },
            None => None,
        };
        let price = input
            .price
            .as_deref()
            .and_then(|p| loket_domain::billing::catalog::parse_price("price", p, self.provider.currency, &mut e).map(|m| m.minor));
        let customer = self.store.customer(input.customer_id).await?;
        match &customer {
            None => e.push(FieldError::new("customer_id", format!("no customer card {}", input.customer_id))),
            Some(c) if c.replaced_by.is_some() => e.push(FieldError::new("customer_id", "this card was replaced: use the new card")),
            _ => {}
        }
        let (Some(plan), Some(start), Some(ordered), Some(customer), true) = (plan, start, ordered, customer, e.is_empty()) else {
            return Err(BillingError::Invalid(e));
        };
        let terms = terms_override.unwrap_or_else(|| &catalog.terms[&plan.terms_id]);
        if price.is_none() && plan.price_for(terms.terms.billing_period).is_none() {
            return Err(invalid("terms", format!("plan {} has no price for the billing period of terms {}", plan.code, terms.code)));
        }
        let product = &catalog.products[&plan.product_id];
        let consumer = customer.card.kind == CustomerKind::Consumer;
        let renewed_until = (terms.terms.renewal_mode(consumer) == RenewalMode::OptIn).then(|| terms.terms.term_end(start, 0));
        let state = if product.product.requires_prepayment { SubscriptionState::PendingPayment } else { SubscriptionState::Active };
        let id = subs::create_subscription(
            &mut tx,
            &NewSubscription {
                customer_id: customer.id,
                plan_id: plan.id,
                terms_id: terms_override.map(|t| t.id),
                label: label.clone(),
                price,
                state,
                start_date: start,
                ordered_on: ordered,
                renewed_until,
                parent_id: None,
            },
        )
        .await?;
        audit(
            &mut tx,
            actor,
            "subscription.create",
            "subscription",
            id,
            json!({"customer": customer.number, "plan": plan.code, "label": label,
            "start_date": start.to_string(), "terms": terms.code, "price": price}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    /// Records a cancellation received on `received_on` by `channel`; returns when it takes effect.
    pub async fn cancel(&self, actor: &Actor, id: i64, received_on: &str, channel: &str) -> Result<Cancelled, BillingError> {
        let mut e = Vec::new();
        let received = parse_date("received_on", received_on, &mut e);
        let ch = parse_channel(channel);
        if ch.is_none() {
            e.push(FieldError::new("channel", format!("`{channel}`: use email, portal, letter, registered_letter or phone")));
        }
        let (Some(received), Some(ch)) = (received, ch) else { return Err(BillingError::Invalid(e)) };
        let mut tx = self.store.begin().await?;
        let s = subs::subscription(&mut tx, id).await?.ok_or(BillingError::NotFound("subscription"))?;
        let catalog = load_catalog(&mut tx, self.provider.currency).await?;
        let (terms, plan) = terms_of(&catalog, &s).ok_or(BillingError::NotFound("plan"))?;
        let customer = self.store.customer(s.customer_id).await?.ok_or(BillingError::NotFound("customer"))?;
        let consumer = customer.card.kind == CustomerKind::Consumer;
        let new_state = next(s.state, Event::RequestCancellation)
            .map_err(|_| BillingError::Conflict(format!("subscription {id} is {} and cannot be cancelled", subs::state_name(s.state))))?;
        let c = terms.cancel(s.start_date, received, ch, consumer).map_err(|err| {
            let field = if matches!(err, loket_domain::billing::CancelError::BeforeStart { .. }) { "received_on" } else { "channel" };
            invalid(field, err.to_string())
        })?;
        if s.state == SubscriptionState::PendingPayment {
            subs::change_state(&mut tx, &StateChange { id, state: SubscriptionState::Ended, ends_on: Some(received), ..keep(&s) }).await?;
        } else {
            subs::record_cancellation(&mut tx, id, received, ch.name(), c.effective, new_state).await?;
        }
        payments::notify(
            &mut tx,
            &[(
                s.customer_id,
                "cancellation_confirmed",
                json!({"subscription": s.label, "plan": plan.name, "received": received.to_string(),
                "effective": c.effective.to_string(), "in_time": c.in_time_for_current_term}),
            )],
        )
        .await?;
        audit(
            &mut tx,
            actor,
            "subscription.cancel",
            "subscription",
            id,
            json!({"received_on": received.to_string(), "channel": ch.name(),
            "effective": c.effective.to_string(), "deadline": c.deadline.to_string()}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(Cancelled { subscription_id: id, received_on: received, channel: ch.name().into(), cancellation: c })
    }

    /// Renews an opt-in subscription for one more term (the customer's "renew" link or staff).
    pub async fn renew(&self, actor: &Actor, id: i64) -> Result<Date, BillingError> {
        let mut tx = self.store.begin().await?;
        let s = subs::subscription(&mut tx, id).await?.ok_or(BillingError::NotFound("subscription"))?;
        let catalog = load_catalog(&mut tx, self.provider.currency).await?;
        let (terms, plan) = terms_of(&catalog, &s).ok_or(BillingError::NotFound("plan"))?;
        let Some(until) = s.renewed_until.filter(|_| matches!(s.state, SubscriptionState::Active | SubscriptionState::RenewalOffered))
        else {
            return Err(BillingError::Conflict(format!(
                "subscription {id} renews by itself or has ended ({}): nothing to renew",
                subs::state_name(s.state)
            )));
        };
        let new_until = terms.term_at(s.start_date, until).end;
        subs::change_state(
            &mut tx,
            &StateChange {
                id,
                state: SubscriptionState::Active,
                ends_on: s.ends_on,
                renewed_until: Some(new_until),
                renewal_offered_for: None,
            },
        )
        .await?;
        subs::set_renewal_token(&mut tx, id, None).await?;
        payments::notify(
            &mut tx,
            &[(s.customer_id, "renewed", json!({"subscription": s.label, "plan": plan.name, "until": new_until.to_string()}))],
        )
        .await?;
        audit(&mut tx, actor, "subscription.renew", "subscription", id, json!({"until": new_until.to_string()})).await?;
        loket_store::commit(tx).await?;
        Ok(new_until)
    }

    /// The subscription a renewal link is for.
    pub async fn subscription_by_renewal_token(&self, token: &str) -> Result<Option<Subscription>, BillingError> {
        let mut conn = self.store.acquire().await?;
        Ok(subs::subscription_by_renewal_token(&mut conn, &loket_auth::token_hash(token)).await?)
    }

    /// Moves a subscription to another plan from `on`; the difference for the part of the
    /// period already invoiced is settled to the day on the next invoice (when the terms say so).
    pub async fn change_plan(&self, actor: &Actor, id: i64, plan_code: &str, on: &str) -> Result<Option<i64>, BillingError> {
        let mut e = Vec::new();
        let on = parse_date("on", on, &mut e);
        let mut tx = self.store.begin().await?;
        let s = subs::subscription(&mut tx, id).await?.ok_or(BillingError::NotFound("subscription"))?;
        let catalog = load_catalog(&mut tx, self.provider.currency).await?;
        let new_plan = catalog.plan_by_code(plan_code.trim());
        if new_plan.is_none() {
            e.push(FieldError::new("plan", format!("no plan with the code `{plan_code}`")));
        }
        let (Some(on), Some(new_plan)) = (on, new_plan) else { return Err(BillingError::Invalid(e)) };
        if !s.state.is_running() && s.state != SubscriptionState::Suspended {
            return Err(BillingError::Conflict(format!("subscription {id} is {}: its plan cannot change", subs::state_name(s.state))));
        }
        if on < s.start_date {
            return Err(invalid("on", format!("the change is dated {on}, before the subscription began on {}", s.start_date)));
        }
        let (terms, old_plan) = terms_of(&catalog, &s).ok_or(BillingError::NotFound("plan"))?;
        let old_price = price_of(&s, terms, old_plan).ok_or(BillingError::NotFound("price"))?;
        let new_price = new_plan
            .price_for(terms.billing_period)
            .ok_or_else(|| invalid("plan", format!("plan {} has no price for this subscription's billing period", new_plan.code)))?;
        let mut item = None;
        if terms.prorate_changes
            && let Some(until) = s.invoiced_until
            && until > on
        {
            let (from, to) = terms.billing_period_at(s.start_date, on);
            let to = to.min(until);
            let amount = settle_change(old_price, new_price, from, to, on);
            if amount.minor != 0 {
                let product = &catalog.products[&new_plan.product_id];
                item = Some(
                    docs::create_item(
                        &mut tx,
                        &NewItem {
                            customer_id: s.customer_id,
                            subscription_id: Some(id),
                            description: format!("{} → {} — {}", old_plan.name, new_plan.name, s.label),
                            quantity_milli: 1000,
                            unit_price: amount.minor,
                            currency: amount.currency,
                            vat_category: loket_domain::billing::catalog::vat_category_name(product.product.vat_category).into(),
                            period: Some((on, to)),
                            source: "change".into(),
                            created_on: on,
                        },
                    )
                    .await?,
                );
            }
        }
        subs::set_plan(&mut tx, id, new_plan.id, None).await?;
        audit(
            &mut tx,
            actor,
            "subscription.change_plan",
            "subscription",
            id,
            json!({"from": old_plan.code, "to": new_plan.code, "on": on.to_string(),
            "settlement_item": item}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(item)
    }

    /// A one-off line for the customer's next invoice (extra work at the hourly rate, a fee).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_item(
        &self,
        actor: &Actor,
        customer_id: i64,
        description: &str,
        quantity: &str,
        unit_price: &str,
        vat_category: Option<&str>,
        on: Date,
        source: &str,
    ) -> Result<i64, BillingError> {
        let mut e = Vec::new();
        if description.trim().is_empty() || description.chars().count() > 300 {
            e.push(FieldError::new("description", "describe the line in 1 to 300 characters"));
        }
        let qty = parse_quantity(quantity).map_err(|m| e.push(FieldError::new("quantity", m))).ok();
        let price = loket_domain::billing::catalog::parse_price("unit_price", unit_price, self.provider.currency, &mut e);
        let category = vat_category.unwrap_or("standard");
        if parse_vat_category(category).is_none() {
            e.push(FieldError::new("vat_category", "use standard, reduced, super_reduced, zero or exempt"));
        }
        if self.store.customer(customer_id).await?.is_none() {
            e.push(FieldError::new("customer_id", format!("no customer card {customer_id}")));
        }
        let (Some(qty), Some(price), true) = (qty, price, e.is_empty()) else { return Err(BillingError::Invalid(e)) };
        let mut tx = self.store.begin().await?;
        let id = docs::create_item(
            &mut tx,
            &NewItem {
                customer_id,
                subscription_id: None,
                description: description.trim().into(),
                quantity_milli: qty,
                unit_price: price.minor,
                currency: price.currency,
                vat_category: category.into(),
                period: None,
                source: source.into(),
                created_on: on,
            },
        )
        .await?;
        audit(
            &mut tx,
            actor,
            "billing.item",
            "billable_item",
            id,
            json!({"customer_id": customer_id, "description": description,
            "quantity_milli": qty, "unit_price": price.minor}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn create_project(
        &self,
        actor: &Actor,
        customer_id: i64,
        description: &str,
        total: &str,
        deposit_percent: u32,
        vat_category: Option<&str>,
        signed_on: &str,
    ) -> Result<i64, BillingError> {
        let mut e = Vec::new();
        if description.trim().is_empty() {
            e.push(FieldError::new("description", "describe the project"));
        }
        let total = loket_domain::billing::catalog::parse_price("total", total, self.provider.currency, &mut e);
        if deposit_percent > 100 {
            e.push(FieldError::new("deposit_percent", "0 to 100"));
        }
        let category = vat_category.unwrap_or("standard");
        if parse_vat_category(category).is_none() {
            e.push(FieldError::new("vat_category", "use standard, reduced, super_reduced, zero or exempt"));
        }
        let signed = parse_date("signed_on", signed_on, &mut e);
        if self.store.customer(customer_id).await?.is_none() {
            e.push(FieldError::new("customer_id", format!("no customer card {customer_id}")));
        }
        let (Some(total), Some(signed), true) = (total, signed, e.is_empty()) else { return Err(BillingError::Invalid(e)) };
        let mut tx = self.store.begin().await?;
        let id =
            docs::create_project(&mut tx, customer_id, description.trim(), total.minor, total.currency, deposit_percent, category, signed)
                .await?;
        audit(
            &mut tx,
            actor,
            "project.create",
            "project",
            id,
            json!({"customer_id": customer_id, "total": total.minor,
            "deposit_percent": deposit_percent, "signed_on": signed.to_string()}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    pub async fn deliver_project(&self, actor: &Actor, id: i64, on: &str) -> Result<(), BillingError> {
        let mut e = Vec::new();
        let Some(on) = parse_date("delivered_on", on, &mut e) else { return Err(BillingError::Invalid(e)) };
        let mut tx = self.store.begin().await?;
        let p = docs::project(&mut tx, id).await?.ok_or(BillingError::NotFound("project"))?;
        if on < p.signed_on {
            return Err(invalid("delivered_on", format!("delivery dated {on}, before signing on {}", p.signed_on)));
        }
        if p.balance_invoice_id.is_some() {
            return Err(BillingError::Conflict("the balance of this project is already invoiced".into()));
        }
        docs::set_project_delivered(&mut tx, id, on).await?;
        audit(&mut tx, actor, "project.deliver", "project", id, json!({"delivered_on": on.to_string()})).await?;
        loket_store::commit(tx).await?;
        Ok(())
    }
}

pub(crate) fn keep(s: &Subscription) -> StateChange {
    StateChange { id: s.id, state: s.state, ends_on: s.ends_on, renewed_until: s.renewed_until, renewal_offered_for: s.renewal_offered_for }
}

/// `1`, `1.5`, `0.25` → thousandths; more than three decimals is an error.
pub fn parse_quantity(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}` is not a quantity: write e.g. 1 or 1.5 (at most 3 decimals), more than zero");
    let t = s.trim();
    let (w, f) = t.split_once('.').unwrap_or((t, ""));
    if w.is_empty() || !w.bytes().all(|b| b.is_ascii_digit()) || !f.bytes().all(|b| b.is_ascii_digit()) || f.len() > 3 {
        return Err(bad());
    }
    let whole: i64 = w.parse().map_err(|_| bad())?;
    let frac: i64 = if f.is_empty() { 0 } else { format!("{f:0<3}").parse().map_err(|_| bad())? };
    let q = whole.checked_mul(1000).and_then(|v| v.checked_add(frac)).ok_or_else(bad)?;
    if q <= 0 || q > 1_000_000_000 { Err(bad()) } else { Ok(q) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity("1"), Ok(1000));
        assert_eq!(parse_quantity("1.5"), Ok(1500));
        assert_eq!(parse_quantity("0.25"), Ok(250));
        for bad in ["", "0", "-1", "1.2345", "x", "1,5"] {
            assert!(parse_quantity(bad).is_err(), "{bad}");
        }
    }
}

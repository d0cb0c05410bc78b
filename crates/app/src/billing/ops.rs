//! What staff, customers and the API do with subscriptions: order one, cancel it, renew it
//! (opt-in), change its plan, end it at once. Every change of a subscription's life goes through
//! the pure life-cycle rules ([`Life::apply`]); what was invoiced ahead of a new end or price is
//! settled in the same transaction ([`crate::billing::settle`]). One-off lines and projects are in
//! [`crate::billing::extras`]; money in [`crate::billing::money`].

use jiff::civil::Date;
use loket_domain::FieldError;
use loket_domain::billing::catalog::parse_channel;
use loket_domain::billing::lifecycle::{Event, Life};
use loket_domain::billing::notice::{CancellationConfirmed, Notice, Renewed, ServiceEnded};
use loket_domain::billing::settlement::Ending;
use loket_domain::billing::{Cancellation, RenewalMode};
use loket_domain::customer::CustomerKind;
use loket_domain::input;
use loket_store::audit::Actor;
use loket_store::billing::catalog::Catalog;
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, NewSubscription, Subscription};
use loket_store::customers::{self, Customer};
use loket_store::{Conn, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::billing::{AppError, Billing, invalid, price_of, terms_of, texts};

/// The billing engine's entries: an entity with a numeric id and what it became.
pub(crate) async fn audit(
    tx: &mut Conn,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    after: serde_json::Value,
) -> Result<(), AppError> {
    crate::audit(tx, actor, action, (entity, Some(id.to_string())), None, Some(after)).await
}

/// A date field, bounded (see [`input::date`]); a problem is added to `e`.
pub(crate) fn parse_date(field: &str, s: &str, e: &mut Vec<FieldError>) -> Option<Date> {
    input::date(field, s).map_err(|err| e.push(err)).ok()
}

/// A new subscription as it arrives.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// The service on the same card this one is an add-on to (an extra mailbox on a hosting
    /// package): it is invoiced with it, period for period; its first days, up to that
    /// service's next period, are on its next invoice where the terms settle changes there.
    #[serde(default)]
    pub parent_id: Option<i64>,
}

/// A recorded cancellation and when it takes effect.
#[derive(Debug, Clone, Serialize)]
pub struct Cancelled {
    pub subscription_id: i64,
    pub received_on: Date,
    pub channel: String,
    #[serde(flatten)]
    pub cancellation: Cancellation,
    /// The last day of service (the day before `effective`).
    pub last_day: Date,
    /// Credit notes for what was invoiced beyond the end.
    pub credit_notes: Vec<String>,
}

/// A subscription ended at once by staff.
#[derive(Debug, Clone, Serialize)]
pub struct Ended {
    pub subscription_id: i64,
    /// The service ends here (exclusive).
    pub ends_on: Date,
    pub last_day: Date,
    pub credit_notes: Vec<String>,
}

/// The customer card `id`, read in the transaction; a replaced card is refused for new work.
pub(crate) async fn card(tx: &mut Conn, id: i64) -> Result<Customer, AppError> {
    customers::customer(tx, id).await?.ok_or(AppError::NotFound("customer"))
}

async fn subscription(tx: &mut Conn, id: i64) -> Result<Subscription, AppError> {
    subs::subscription(tx, id).await?.ok_or(AppError::NotFound("subscription"))
}

/// The service `id` a new add-on on card `customer` is part of, checked: on the same card, not
/// ended, not an add-on itself, and started by the add-on's `start`.
async fn add_on_parent(
    tx: &mut Conn,
    id: i64,
    customer: i64,
    start: Option<Date>,
    e: &mut Vec<FieldError>,
) -> Result<Option<Subscription>, AppError> {
    let problem = match subs::subscription(tx, id).await? {
        Some(p) if p.customer_id == customer => {
            if p.phase.is_final() {
                Some(format!("subscription {id} is {}: an add-on needs a running service", p.state().name()))
            } else if p.parent_id.is_some() {
                Some(format!("subscription {id} is an add-on itself: name the service it is part of"))
            } else if start.is_some_and(|s| s < p.start_date) {
                Some(format!("subscription {id} starts on {}: an add-on cannot start before it", p.start_date))
            } else {
                return Ok(Some(p));
            }
        }
        _ => Some(format!("no subscription {id} on this card")),
    };
    e.extend(problem.map(|m| FieldError::new("parent_id", m)));
    Ok(None)
}

fn refused(s: &Subscription, what: &str) -> AppError {
    AppError::Conflict(format!("subscription {} is {} and cannot be {what}", s.id, s.state().name()))
}

impl Billing {
    pub async fn subscribe(&self, actor: &Actor, input: &SubscriptionInput) -> Result<i64, AppError> {
        let mut tx = self.store.begin().await?;
        let id = self.subscribe_in(&mut tx, actor, input).await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }

    /// [`Billing::subscribe`] within the caller's transaction (an accepted quote makes all its
    /// subscriptions in one).
    pub(crate) async fn subscribe_in(&self, tx: &mut Conn, actor: &Actor, input: &SubscriptionInput) -> Result<i64, AppError> {
        let mut e = Vec::new();
        let start = parse_date("start_date", &input.start_date, &mut e);
        let ordered = match &input.ordered_on {
            Some(s) => parse_date("ordered_on", s, &mut e),
            None => start,
        };
        let label = if input.label.trim().is_empty() {
            String::new()
        } else {
            input::text("label", &input.label, 200).map_err(|err| e.push(err)).ok().unwrap_or_default()
        };
        let catalog = self.catalog(&mut *tx).await?;
        let plan = catalog.plan_by_code(input.plan.trim());
        if plan.is_none() {
            e.push(FieldError::new("plan", format!("no plan with the code `{}`", input::sample(&input.plan))));
        }
        let terms_override = match input.terms.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(code) => match catalog.terms_by_code(code) {
                Some(t) => Some(t),
                None => {
                    e.push(FieldError::new("terms", format!("no terms with the code `{}`", input::sample(code))));
                    None
                }
            },
            None => None,
        };
        let price = input
            .price
            .as_deref()
            .and_then(|p| loket_domain::billing::catalog::parse_price("price", p, self.provider.currency, &mut e).map(|m| m.minor));
        let customer = customers::customer(&mut *tx, input.customer_id).await?;
        match &customer {
            None => e.push(FieldError::new("customer_id", format!("no customer card {}", input.customer_id))),
            Some(c) if c.replaced_by.is_some() => e.push(FieldError::new("customer_id", "this card was replaced: use the new card")),
            _ => {}
        }
        let parent = match input.parent_id {
            Some(id) => add_on_parent(&mut *tx, id, input.customer_id, start, &mut e).await?,
            None => None,
        };
        let (Some(plan), Some(start), Some(ordered), Some(customer), true) = (plan, start, ordered, customer, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        let terms = match terms_override {
            Some(t) => t,
            None => catalog.terms.get(&plan.terms_id).ok_or(AppError::NotFound("terms"))?,
        };
        if price.is_none() && plan.price_for(terms.terms.billing_period).is_none() {
            return Err(invalid("terms", format!("plan {} has no price for the billing period of terms {}", plan.code, terms.code)));
        }
        let product = catalog.products.get(&plan.product_id).ok_or(AppError::NotFound("product"))?;
        let consumer = customer.card.kind == CustomerKind::Consumer;
        let renewed_until = (terms.terms.renewal_mode(consumer) == RenewalMode::OptIn).then(|| terms.terms.term_end(start, 0));
        let id = subs::create_subscription(
            &mut *tx,
            &NewSubscription {
                customer_id: customer.id,
                plan_id: plan.id,
                terms_id: terms_override.map(|t| t.id),
                label: label.clone(),
                price,
                life: Life::new(product.product.requires_prepayment, renewed_until),
                start_date: start,
                ordered_on: ordered,
                parent_id: parent.as_ref().map(|p| p.id),
                aligned_to: parent.as_ref().map(|p| p.start_date),
            },
        )
        .await?;
        audit(
            &mut *tx,
            actor,
            "subscription.create",
            "subscription",
            id,
            json!({"customer": customer.number, "plan": plan.code, "label": label,
            "start_date": start.to_string(), "terms": terms.code, "price": price, "parent_id": input.parent_id}),
        )
        .await?;
        Ok(id)
    }

    /// Records a cancellation received on `received_on` by `channel`; returns when it takes
    /// effect. What was invoiced beyond that day is credited at once.
    /// Records a cancellation of subscription `id` received on `received_on` through
    /// `channel`; `sent_on` is the day a letter was sent (its postmark), which meets the notice
    /// deadline instead when the terms count from sending.
    pub async fn cancel(
        &self,
        actor: &Actor,
        id: i64,
        received_on: &str,
        channel: &str,
        sent_on: Option<&str>,
    ) -> Result<Cancelled, AppError> {
        let mut e = Vec::new();
        let received = parse_date("received_on", received_on, &mut e);
        let sent = match sent_on.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => parse_date("sent_on", s, &mut e),
            None => None,
        };
        if let (Some(sent), Some(received)) = (sent, received)
            && sent > received
        {
            e.push(FieldError::new("sent_on", format!("a letter sent on {sent} cannot have arrived on {received}")));
        }
        let ch = parse_channel(channel);
        if ch.is_none() {
            e.push(FieldError::new(
                "channel",
                format!("`{}`: use email, portal, letter, registered_letter or phone", input::sample(channel)),
            ));
        }
        let (Some(received), Some(ch), true) = (received, ch, e.is_empty()) else { return Err(AppError::Invalid(e)) };
        let mut tx = self.begin_issuing().await?;
        let s = subscription(&mut tx, id).await?;
        let catalog = self.catalog(&mut tx).await?;
        let (terms, plan) = terms_of(&catalog, &s).ok_or(AppError::NotFound("plan"))?;
        let customer = card(&mut tx, s.customer_id).await?;
        let consumer = customer.card.kind == CustomerKind::Consumer;
        let c = terms.cancel(s.start_date, terms.notice_day(received, sent, ch), ch, consumer).map_err(|err| {
            let field = if matches!(err, loket_domain::billing::CancelError::BeforeStart { .. }) { "received_on" } else { "channel" };
            invalid(field, err.to_string())
        })?;
        let before = s.life();
        let life = before.apply(Event::RequestCancellation { received, effective: c.effective }).map_err(|_| refused(&s, "cancelled"))?;
        subs::record_cancellation(&mut tx, id, received, ch.name(), &life).await?;
        let end = life.ends_on.unwrap_or(c.effective);
        let ending = Ending::after(before.phase, Ending::Own);
        let mut credit_notes = self.settle_end(&mut tx, &catalog, &s, terms, end, received, ending, customer.card.language, actor).await?;
        let event = Event::MainEnds { received, effective: end };
        let add_ons =
            self.end_add_ons(&mut tx, &catalog, &s, event, received, Some(ch.name()), &customer, actor, &mut credit_notes).await?;
        let last_day = end.yesterday().unwrap_or(end);
        payments::notify(
            &mut tx,
            &[(
                s.customer_id,
                Notice::CancellationConfirmed(CancellationConfirmed {
                    subscription: s.label.clone(),
                    plan: plan.name.clone(),
                    received,
                    effective: end,
                    last_day,
                    in_time: c.in_time_for_current_term,
                    missed_deadline: c.missed_deadline,
                }),
            )],
        )
        .await?;
        audit(
            &mut tx,
            actor,
            "subscription.cancel",
            "subscription",
            id,
            json!({"received_on": received.to_string(), "sent_on": sent.map(|d| d.to_string()), "channel": ch.name(),
            "effective": end.to_string(), "deadline": c.deadline.to_string(), "credit_notes": credit_notes, "add_ons_ended": add_ons}),
        )
        .await?;
        loket_store::commit(tx).await?;
        let cancellation = Cancellation { effective: end, ..c };
        Ok(Cancelled { subscription_id: id, received_on: received, channel: ch.name().into(), cancellation, last_day, credit_notes })
    }

    /// Ends a subscription at once on `on` (staff: the provider interrupts the service). What
    /// was invoiced beyond is credited as the terms say: the unused rest of the term only with
    /// `refund_on_early_cancellation = "pro_rata"`, what lies after the term always.
    pub async fn end_now(&self, actor: &Actor, id: i64, on: &str) -> Result<Ended, AppError> {
        let on = input::date("on", on)?;
        let mut tx = self.begin_issuing().await?;
        let s = subscription(&mut tx, id).await?;
        if on < s.start_date {
            return Err(invalid("on", format!("{on} is before the subscription began on {}", s.start_date)));
        }
        let catalog = self.catalog(&mut tx).await?;
        let (terms, plan) = terms_of(&catalog, &s).ok_or(AppError::NotFound("plan"))?;
        let customer = card(&mut tx, s.customer_id).await?;
        let before = s.life();
        let life = before.apply(Event::Terminate { on }).map_err(|_| refused(&s, "ended"))?;
        subs::save_life(&mut tx, id, &life).await?;
        let end = life.ends_on.unwrap_or(on);
        let ending = Ending::after(before.phase, Ending::Own);
        let mut credit_notes = self.settle_end(&mut tx, &catalog, &s, terms, end, on, ending, customer.card.language, actor).await?;
        let add_ons =
            self.end_add_ons(&mut tx, &catalog, &s, Event::Terminate { on }, on, None, &customer, actor, &mut credit_notes).await?;
        let last_day = end.yesterday().unwrap_or(end);
        payments::notify(
            &mut tx,
            &[(
                s.customer_id,
                Notice::Ended(ServiceEnded { subscription: s.label.clone(), plan: plan.name.clone(), ended: end, last_day }),
            )],
        )
        .await?;
        audit(
            &mut tx,
            actor,
            "subscription.end",
            "subscription",
            id,
            json!({"ends_on": end.to_string(), "credit_notes": credit_notes, "add_ons_ended": add_ons}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(Ended { subscription_id: id, ends_on: end, last_day, credit_notes })
    }

    /// Ends the add-ons of `main` with it (`event`: its cancellation or its end), each credited
    /// for what was invoiced beyond its end and confirmed to the customer; `channel` is the
    /// cancellation's, recorded on each. Returns the add-ons it ended; their credit notes are
    /// added to `credit_notes`.
    #[allow(clippy::too_many_arguments)]
    async fn end_add_ons(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        main: &Subscription,
        event: Event,
        on: Date,
        channel: Option<&str>,
        customer: &Customer,
        actor: &Actor,
        credit_notes: &mut Vec<String>,
    ) -> Result<Vec<i64>, AppError> {
        let mut ended = Vec::new();
        for a in subs::live_add_ons(tx, main.id).await? {
            let before = a.life();
            let (Some((terms, plan)), Ok(life)) = (terms_of(catalog, &a), before.apply(event)) else { continue };
            if life == before {
                continue;
            }
            match channel {
                Some(ch) => subs::record_cancellation(tx, a.id, on, ch, &life).await?,
                None => subs::save_life(tx, a.id, &life).await?,
            }
            let end = life.ends_on.unwrap_or(on);
            let ending = Ending::after(before.phase, Ending::WithMain);
            credit_notes.extend(self.settle_end(tx, catalog, &a, terms, end, on, ending, customer.card.language, actor).await?);
            let last_day = end.yesterday().unwrap_or(end);
            let notice = match channel {
                Some(_) => Notice::CancellationConfirmed(CancellationConfirmed {
                    subscription: a.label.clone(),
                    plan: plan.name.clone(),
                    received: on,
                    effective: end,
                    last_day,
                    in_time: true,
                    missed_deadline: None,
                }),
                None => Notice::Ended(ServiceEnded { subscription: a.label.clone(), plan: plan.name.clone(), ended: end, last_day }),
            };
            payments::notify(tx, &[(a.customer_id, notice)]).await?;
            ended.push(a.id);
        }
        Ok(ended)
    }

    /// Renews an opt-in subscription for one more term (the customer's renew link or button, or
    /// staff). A renewal sent again changes nothing — the answer is the same date — so a form
    /// sent twice renews once; the next term's offer can be taken when it comes.
    pub async fn renew(&self, actor: &Actor, id: i64) -> Result<Date, AppError> {
        let mut tx = self.store.begin().await?;
        let s = subscription(&mut tx, id).await?;
        let catalog = self.catalog(&mut tx).await?;
        let (terms, plan) = terms_of(&catalog, &s).ok_or(AppError::NotFound("plan"))?;
        let Some(until) = s.renewed_until.filter(|_| !s.life().is_final() && s.ends_on.is_none()) else {
            return Err(AppError::Conflict(format!(
                "subscription {id} renews by itself or has ended ({}): nothing to renew",
                s.state().name()
            )));
        };
        if s.life().renewal_taken() {
            // This term's renewal was taken already.
            return Ok(until);
        }
        let new_until = terms.term_at(s.start_date, until).end;
        let life = s.life().apply(Event::Renew { until: new_until }).map_err(|_| refused(&s, "renewed"))?;
        subs::save_life(&mut tx, id, &life).await?;
        subs::set_renewal_token(&mut tx, id, None).await?;
        payments::notify(
            &mut tx,
            &[(
                s.customer_id,
                Notice::Renewed(Renewed {
                    subscription: s.label.clone(),
                    plan: plan.name.clone(),
                    until: new_until,
                    last_day: new_until.yesterday().unwrap_or(new_until),
                }),
            )],
        )
        .await?;
        audit(&mut tx, actor, "subscription.renew", "subscription", id, json!({"until": new_until.to_string()})).await?;
        loket_store::commit(tx).await?;
        Ok(new_until)
    }

    /// The subscription a renewal link is for.
    pub async fn subscription_by_renewal_token(&self, token: &str) -> Result<Option<Subscription>, AppError> {
        let mut conn = self.store.acquire().await?;
        Ok(subs::subscription_by_renewal_token(&mut conn, &loket_auth::token_hash(token)).await?)
    }

    /// Moves a subscription to another plan from `on`. For the part of the service already
    /// invoiced (when the terms settle changes), a dearer plan adds the difference to the next
    /// invoice and a cheaper one credits it at once.
    pub async fn change_plan(&self, actor: &Actor, id: i64, plan_code: &str, on: &str) -> Result<PlanChanged, AppError> {
        let mut e = Vec::new();
        let on = parse_date("on", on, &mut e);
        let mut tx: Tx = self.begin_issuing().await?;
        let s = subscription(&mut tx, id).await?;
        let catalog = self.catalog(&mut tx).await?;
        let new_plan = catalog.plan_by_code(plan_code.trim());
        if new_plan.is_none() {
            e.push(FieldError::new("plan", format!("no plan with the code `{}`", input::sample(plan_code))));
        }
        let (Some(on), Some(new_plan)) = (on, new_plan) else { return Err(AppError::Invalid(e)) };
        if s.life().is_final() || s.ends_on.is_some_and(|end| end <= on) {
            return Err(refused(&s, "changed to another plan"));
        }
        if on < s.start_date {
            return Err(invalid("on", format!("the change is dated {on}, before the subscription began on {}", s.start_date)));
        }
        if let Some(last) = s.plan_changed_on.filter(|last| on < *last) {
            return Err(invalid("on", format!("the change is dated {on}, before the last change of plan on {last}")));
        }
        let (terms, old_plan) = terms_of(&catalog, &s).ok_or(AppError::NotFound("plan"))?;
        let old_price = price_of(&s, terms, old_plan).ok_or(AppError::NotFound("price"))?;
        let new_price = new_plan
            .price_for(terms.billing_period)
            .ok_or_else(|| invalid("plan", format!("plan {} has no price for this subscription's billing period", new_plan.code)))?;
        let customer = card(&mut tx, s.customer_id).await?;
        let product = catalog.products.get(&new_plan.product_id).ok_or(AppError::NotFound("product"))?;
        let category = loket_domain::billing::catalog::vat_category_name(product.product.vat_category);
        let (items, credit_notes) = if terms.prorate_changes {
            let text = texts::change(&old_plan.name, &new_plan.name, &s.label);
            self.settle_price_change(
                &mut tx,
                &catalog,
                &s,
                new_price,
                old_price,
                (&text, &new_plan.name),
                category,
                on,
                customer.card.language,
                actor,
            )
            .await?
        } else {
            (Vec::new(), Vec::new())
        };
        subs::set_plan(&mut tx, id, new_plan.id, None, on).await?;
        audit(
            &mut tx,
            actor,
            "subscription.change_plan",
            "subscription",
            id,
            json!({"from": old_plan.code, "to": new_plan.code, "on": on.to_string(),
            "settlement_items": items, "credit_notes": credit_notes}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(PlanChanged { settlement_item: items.first().copied(), settlement_items: items, credit_notes })
    }
}

/// What a change of plan settled.
#[derive(Debug, Clone, Serialize)]
pub struct PlanChanged {
    /// The first line added to the next invoice (the difference for the invoiced rest), if any.
    pub settlement_item: Option<i64>,
    pub settlement_items: Vec<i64>,
    /// Credit notes for a cheaper plan's difference.
    pub credit_notes: Vec<String>,
}

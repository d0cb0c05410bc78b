//! What staff, customers and the API do: order a subscription, cancel it, renew it (opt-in),
//! change its plan, add one-off lines and projects, record payments and refunds, credit an
//! invoice. Each is one audited transaction.

use jiff::civil::Date;
use loket_domain::billing::catalog::{parse_channel, parse_vat_category};
use loket_domain::billing::lifecycle::{Event, SubscriptionState, next};
use loket_domain::billing::plan::settle_change;
use loket_domain::billing::{Cancellation, RenewalMode};
use loket_domain::customer::CustomerKind;
use loket_domain::vat::{self, Line};
use loket_domain::{FieldError, Money};
use loket_store::audit::{self, Actor, Change};
use loket_store::billing::catalog::load_catalog;
use loket_store::billing::documents::{self as docs, DocKind, Document, NewDocument, NewItem, NewLine};
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, NewSubscription, StateChange, Subscription};
use loket_store::{Conn, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::run::{price_of, terms_of};
use crate::{Billing, BillingError, invalid, snapshot};

async fn audit(tx: &mut Conn, actor: &Actor, action: &str, entity: &str, id: i64, after: serde_json::Value) -> Result<(), BillingError> {
    audit::record(
        tx,
        &Change { actor, action, entity, entity_id: Some(id.to_string()), before: None, after: Some(after), request_id: None },
    )
    .await?;
    Ok(())
}

fn parse_date(field: &str, s: &str, e: &mut Vec<FieldError>) -> Option<Date> {
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

#[derive(Debug, Clone, Serialize)]
pub struct PaymentResult {
    pub payment_id: i64,
    /// Documents the payment went to: (number, amount).
    pub applied: Vec<(String, i64)>,
    /// What went to the credit balance.
    pub to_credit: i64,
    /// Invoices made from pro formas this payment completed.
    pub converted: Vec<String>,
    pub reactivated: bool,
    /// The reactivation-fee invoice, when one was issued.
    pub fee_invoice: Option<String>,
}

impl Billing {
    async fn begin_issuing(&self) -> Result<Tx, BillingError> {
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

    /// Records money received. With an invoice it pays that one; without, the oldest open
    /// documents; what is left goes to the credit balance. A fully paid pro forma becomes an
    /// invoice (with the customer's data of today) and its services are activated; a customer
    /// with nothing overdue left gets suspended services back, with the reactivation fee.
    #[allow(clippy::too_many_arguments)]
    pub async fn record_payment(
        &self,
        actor: &Actor,
        customer_id: Option<i64>,
        invoice_id: Option<i64>,
        amount: &str,
        method: &str,
        received_on: &str,
        reference: Option<&str>,
    ) -> Result<PaymentResult, BillingError> {
        let mut e = Vec::new();
        let amount = match Money::parse(amount, self.provider.currency) {
            Ok(m) if m.minor > 0 => Some(m),
            Ok(_) => {
                e.push(FieldError::new("amount", "a payment is more than zero; record money paid back as a refund"));
                None
            }
            Err(err) => {
                e.push(FieldError::new("amount", err.to_string()));
                None
            }
        };
        if !["bank_transfer", "direct_debit", "online", "credit"].contains(&method) {
            e.push(FieldError::new("method", format!("`{method}`: use bank_transfer, direct_debit, online or credit")));
        }
        let received = parse_date("received_on", received_on, &mut e);
        let mut tx = self.begin_issuing().await?;
        let invoice = match invoice_id {
            Some(id) => docs::document(&mut tx, id).await?,
            None => None,
        };
        if invoice_id.is_some() && invoice.is_none() {
            e.push(FieldError::new("invoice_id", "no such invoice"));
        }
        if let Some(inv) = &invoice {
            if inv.kind == DocKind::CreditNote {
                e.push(FieldError::new("invoice_id", format!("{} is a credit note: a payment goes to an invoice", inv.number)));
            }
            if inv.state != "open" {
                e.push(FieldError::new("invoice_id", format!("{} is {}: nothing is open on it", inv.number, inv.state)));
            }
            if customer_id.is_some_and(|c| c != inv.customer_id) {
                e.push(FieldError::new("customer_id", format!("{} belongs to another customer", inv.number)));
            }
        }
        let customer_id = customer_id.or(invoice.as_ref().map(|i| i.customer_id));
        let customer = match customer_id {
            Some(id) => self.store.customer(id).await?,
            None => None,
        };
        if customer.is_none() {
            e.push(FieldError::new("customer_id", "name the customer or the invoice"));
        }
        let (Some(amount), Some(received), Some(customer), true) = (amount, received, customer, e.is_empty()) else {
            return Err(BillingError::Invalid(e));
        };
        let payment_id =
            payments::insert_payment(&mut tx, customer.id, invoice_id, amount.minor, amount.currency, method, received, reference).await?;
        let targets: Vec<Document> = match invoice {
            Some(inv) => vec![inv],
            None => docs::open_documents(&mut tx, customer.id).await?.into_iter().filter(|d| d.kind != DocKind::CreditNote).collect(),
        };
        let mut left = amount.minor;
        let mut result =
            PaymentResult { payment_id, applied: Vec::new(), to_credit: 0, converted: Vec::new(), reactivated: false, fee_invoice: None };
        for doc in targets {
            if left == 0 {
                break;
            }
            let pay = left.min(doc.open_amount());
            if pay <= 0 {
                continue;
            }
            left -= pay;
            let full = pay == doc.open_amount();
            result.applied.push((doc.number.clone(), pay));
            if doc.kind == DocKind::ProForma && full {
                let number = self.convert_pro_forma(&mut tx, &doc, &customer, received, pay).await?;
                result.converted.push(number);
            } else {
                docs::settle(&mut tx, doc.id, pay, 0, if full { "paid" } else { "open" }, full.then_some(received)).await?;
                if full {
                    activate_paid(&mut tx, doc.id).await?;
                }
            }
        }
        if left > 0 {
            result.to_credit = left;
            payments::add_credit(&mut tx, amount.currency, &[(customer.id, left, "overpayment", None, Some(payment_id))]).await?;
        }
        let mut notes = vec![(
            customer.id,
            "payment_received",
            json!({"amount": amount.minor, "received": received.to_string(),
            "applied": result.applied.iter().map(|(n, a)| json!({"number": n, "amount": a})).collect::<Vec<_>>(), "to_credit": left}),
        )];
        // Suspended services come back once nothing is overdue.
        let overdue_left =
            docs::open_documents(&mut tx, customer.id).await?.iter().any(|d| d.kind == DocKind::Invoice && d.due_date < received);
        let suspended = subs::customer_subscriptions(&mut tx, customer.id).await?.iter().any(|s| s.state == SubscriptionState::Suspended);
        if suspended && !overdue_left {
            subs::set_customer_suspended(&mut tx, customer.id, false).await?;
            result.reactivated = true;
            let catalog = load_catalog(&mut tx, self.provider.currency).await?;
            let settings = catalog.settings(self.provider.currency);
            if let Some(fee) = settings.dunning.reactivation_fee.filter(|f| f.minor > 0) {
                let line = NewLineSpec {
                    description: "Reactivation fee".into(),
                    quantity_milli: 1000,
                    unit_price: fee,
                    category: "standard".into(),
                };
                let number = self.issue_lines(&mut tx, &customer, &settings.invoice_series, received, 0, &[line], None).await?;
                result.fee_invoice = Some(number);
            }
            notes.push((customer.id, "reactivated", json!({"fee_invoice": result.fee_invoice})));
        }
        payments::notify(&mut tx, &notes).await?;
        audit(
            &mut tx,
            actor,
            "payment.record",
            "payment",
            payment_id,
            json!({"customer": customer.number, "amount": amount.minor,
            "method": method, "received_on": received.to_string(), "applied": result.applied, "to_credit": left}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(result)
    }

    async fn convert_pro_forma(
        &self,
        tx: &mut Conn,
        pf: &Document,
        customer: &loket_store::customers::Customer,
        on: Date,
        paid: i64,
    ) -> Result<String, BillingError> {
        let catalog = load_catalog(tx, self.provider.currency).await?;
        let settings = catalog.settings(self.provider.currency);
        let lines = docs::lines(tx, pf.id).await?;
        let doc = NewDocument {
            kind: DocKind::Invoice,
            series: settings.invoice_series.clone(),
            customer_id: customer.id,
            issue_date: on,
            due_date: on,
            currency: pf.currency,
            net: pf.net,
            vat: pf.vat,
            gross: pf.gross,
            vat_breakdown: pf.vat_breakdown.clone(),
            customer_snapshot: snapshot::customer(customer),
            provider_snapshot: snapshot::provider(&self.provider),
            language: customer.card.language.code().into(),
            credits_invoice_id: None,
            pro_forma_id: Some(pf.id),
            lines: lines
                .iter()
                .map(|l| NewLine {
                    description: l.description.clone(),
                    period: l.period_from.zip(l.period_to),
                    quantity_milli: l.quantity_milli,
                    unit_price: l.unit_price,
                    net: l.net,
                    vat_code: l.vat_code.clone(),
                    vat_rate: l.vat_rate as u32,
                    subscription_id: l.subscription_id,
                    item_id: None,
                })
                .collect(),
        };
        let issued = docs::issue(tx, &[doc]).await?;
        let inv = &issued[0];
        docs::settle(tx, pf.id, paid, 0, "converted", Some(on)).await?;
        docs::settle(tx, inv.id, paid, 0, "paid", Some(on)).await?;
        activate_paid(tx, inv.id).await?;
        payments::notify(
            tx,
            &[(
                customer.id,
                "invoice_issued",
                json!({"number": inv.number, "kind": "invoice", "amount": pf.gross, "open": 0,
                "due_date": on.to_string(), "invoice_id": inv.id}),
            )],
        )
        .await?;
        Ok(inv.number.clone())
    }

    /// Issues an invoice (or credit note) of `lines` at once; returns its number.
    #[allow(clippy::too_many_arguments)]
    async fn issue_lines(
        &self,
        tx: &mut Conn,
        customer: &loket_store::customers::Customer,
        series: &str,
        on: Date,
        term_days: u32,
        lines: &[NewLineSpec],
        credits: Option<i64>,
    ) -> Result<String, BillingError> {
        let buyer = snapshot::buyer(customer);
        let mut vat_lines = Vec::new();
        let mut new_lines = Vec::new();
        for l in lines {
            let category = parse_vat_category(&l.category).unwrap_or(vat::VatCategory::Standard);
            let treatment =
                vat::treatment(self.provider.address.country, buyer, category).map_err(|e| invalid("vat_category", e.to_string()))?;
            let line = Line { quantity_milli: l.quantity_milli, unit_price: l.unit_price, treatment };
            vat_lines.push(line);
            new_lines.push(NewLine {
                description: l.description.clone(),
                period: None,
                quantity_milli: l.quantity_milli,
                unit_price: l.unit_price.minor,
                net: line.net().minor,
                vat_code: treatment.code().into(),
                vat_rate: treatment.rate(),
                subscription_id: None,
                item_id: None,
            });
        }
        let totals = vat::totals(&vat_lines, self.provider.currency);
        let doc = NewDocument {
            kind: if credits.is_some() { DocKind::CreditNote } else { DocKind::Invoice },
            series: series.into(),
            customer_id: customer.id,
            issue_date: on,
            due_date: on.checked_add(jiff::Span::new().days(i64::from(term_days))).unwrap_or(on),
            currency: self.provider.currency,
            net: totals.net.minor,
            vat: totals.vat.minor,
            gross: totals.gross.minor,
            vat_breakdown: snapshot::breakdown(&totals),
            customer_snapshot: snapshot::customer(customer),
            provider_snapshot: snapshot::provider(&self.provider),
            language: customer.card.language.code().into(),
            credits_invoice_id: credits,
            pro_forma_id: None,
            lines: new_lines,
        };
        let issued = docs::issue(tx, &[doc]).await?;
        let kind = if credits.is_some() { "credit_note" } else { "invoice" };
        payments::notify(
            tx,
            &[(
                customer.id,
                "invoice_issued",
                json!({"number": issued[0].number, "kind": kind, "amount": totals.gross.minor,
                "open": totals.gross.minor, "due_date": on.to_string(), "invoice_id": issued[0].id}),
            )],
        )
        .await?;
        Ok(issued[0].number.clone())
    }

    /// Credits an invoice: all of it, or the lines at `positions`. The credit first reduces
    /// what is open on the invoice; the rest goes to the customer's credit balance.
    pub async fn credit_note(
        &self,
        actor: &Actor,
        invoice_id: i64,
        positions: Option<&[i64]>,
        reason: &str,
        on: &str,
    ) -> Result<String, BillingError> {
        let mut e = Vec::new();
        let on = parse_date("issue_date", on, &mut e);
        if reason.trim().is_empty() {
            e.push(FieldError::new("reason", "say why the invoice is credited"));
        }
        let mut tx = self.begin_issuing().await?;
        let inv = docs::document(&mut tx, invoice_id).await?.ok_or(BillingError::NotFound("invoice"))?;
        if inv.kind != DocKind::Invoice {
            e.push(FieldError::new("invoice_id", format!("{} is a {}: only invoices are credited", inv.number, inv.kind.name())));
        }
        let Some(on) = on.filter(|_| e.is_empty()) else { return Err(BillingError::Invalid(e)) };
        if on < inv.issue_date {
            return Err(invalid("issue_date", format!("a credit note cannot be dated before its invoice ({})", inv.issue_date)));
        }
        let lines = docs::lines(&mut tx, invoice_id).await?;
        let chosen: Vec<_> = lines.iter().filter(|l| positions.is_none_or(|p| p.contains(&l.position))).collect();
        if chosen.is_empty() {
            return Err(invalid("lines", "none of these lines is on the invoice"));
        }
        let customer = self.store.customer(inv.customer_id).await?.ok_or(BillingError::NotFound("customer"))?;
        let catalog = load_catalog(&mut tx, self.provider.currency).await?;
        let settings = catalog.settings(self.provider.currency);
        // The credit note repeats the lines with the invoice's VAT treatment (frozen on it).
        let mut vat_lines = Vec::new();
        let mut new_lines = Vec::new();
        for l in &chosen {
            let treatment = match (l.vat_code.as_str(), l.vat_rate) {
                ("AE", _) => vat::Treatment::ReverseCharge,
                ("E", _) => vat::Treatment::Exempt,
                ("O", _) => vat::Treatment::OutsideScope,
                (_, r) => vat::Treatment::Charged(r as u32),
            };
            vat_lines.push(Line { quantity_milli: l.quantity_milli, unit_price: Money::new(l.unit_price, inv.currency), treatment });
            new_lines.push(NewLine {
                description: format!("{} ({}: {})", l.description, inv.number, reason.trim()),
                period: l.period_from.zip(l.period_to),
                quantity_milli: l.quantity_milli,
                unit_price: l.unit_price,
                net: l.net,
                vat_code: l.vat_code.clone(),
                vat_rate: l.vat_rate as u32,
                subscription_id: l.subscription_id,
                item_id: None,
            });
        }
        let totals = vat::totals(&vat_lines, inv.currency);
        if totals.gross.minor > inv.gross - inv.credited {
            return Err(BillingError::Conflict(format!("{} is already credited for {}", inv.number, inv.credited)));
        }
        let doc = NewDocument {
            kind: DocKind::CreditNote,
            series: settings.credit_note_series.clone(),
            customer_id: customer.id,
            issue_date: on,
            due_date: on,
            currency: inv.currency,
            net: totals.net.minor,
            vat: totals.vat.minor,
            gross: totals.gross.minor,
            vat_breakdown: snapshot::breakdown(&totals),
            customer_snapshot: inv.customer.clone(),
            provider_snapshot: snapshot::provider(&self.provider),
            language: inv.language.clone(),
            credits_invoice_id: Some(inv.id),
            pro_forma_id: None,
            lines: new_lines,
        };
        let issued = docs::issue(&mut tx, &[doc]).await?;
        let cn = &issued[0];
        docs::settle(&mut tx, cn.id, 0, 0, "settled", None).await?;
        let to_invoice = totals.gross.minor.min(inv.open_amount());
        let rest = totals.gross.minor - to_invoice;
        let state = if inv.state == "open" && to_invoice == inv.open_amount() { "paid" } else { inv.state.as_str() };
        docs::settle(&mut tx, inv.id, 0, totals.gross.minor, state, None).await?;
        if rest > 0 {
            payments::add_credit(&mut tx, inv.currency, &[(customer.id, rest, "credit_note", Some(cn.id), None)]).await?;
        }
        payments::notify(
            &mut tx,
            &[(
                customer.id,
                "invoice_issued",
                json!({"number": cn.number, "kind": "credit_note", "amount": totals.gross.minor, "open": 0,
                "due_date": on.to_string(), "invoice_id": cn.id}),
            )],
        )
        .await?;
        audit(
            &mut tx,
            actor,
            "credit_note.issue",
            "invoice",
            cn.id,
            json!({"number": cn.number, "credits": inv.number, "amount": totals.gross.minor,
            "reason": reason}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(cn.number.clone())
    }

    /// Pays money back from the customer's credit balance.
    pub async fn refund(
        &self,
        actor: &Actor,
        customer_id: i64,
        amount: &str,
        on: &str,
        reference: Option<&str>,
    ) -> Result<i64, BillingError> {
        let mut e = Vec::new();
        let amount = match Money::parse(amount, self.provider.currency) {
            Ok(m) if m.minor > 0 => Some(m),
            Ok(_) => {
                e.push(FieldError::new("amount", "a refund is more than zero"));
                None
            }
            Err(err) => {
                e.push(FieldError::new("amount", err.to_string()));
                None
            }
        };
        let on = parse_date("paid_on", on, &mut e);
        let (Some(amount), Some(on)) = (amount, on) else { return Err(BillingError::Invalid(e)) };
        let mut tx = self.store.begin().await?;
        let balance = payments::credit_balance(&mut tx, customer_id).await?;
        if amount.minor > balance {
            return Err(invalid(
                "amount",
                format!("the credit balance is {}: a refund cannot be more", Money::new(balance, amount.currency)),
            ));
        }
        let id = payments::insert_payment(&mut tx, customer_id, None, -amount.minor, amount.currency, "refund", on, reference).await?;
        payments::add_credit(&mut tx, amount.currency, &[(customer_id, -amount.minor, "refund", None, Some(id))]).await?;
        audit(
            &mut tx,
            actor,
            "payment.refund",
            "payment",
            id,
            json!({"customer_id": customer_id, "amount": amount.minor, "paid_on": on.to_string()}),
        )
        .await?;
        loket_store::commit(tx).await?;
        Ok(id)
    }
}

/// A line to issue at once.
pub struct NewLineSpec {
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price: Money,
    pub category: String,
}

/// Services that waited for payment (Gestione Internet: "paid before activation") start once
/// the invoice with their first period is paid.
async fn activate_paid(tx: &mut Conn, invoice_id: i64) -> Result<(), BillingError> {
    for sub in docs::lines(tx, invoice_id).await?.iter().filter_map(|l| l.subscription_id) {
        if let Some(s) = subs::subscription(tx, sub).await?
            && s.state == SubscriptionState::PendingPayment
        {
            subs::change_state(tx, &StateChange { state: SubscriptionState::Active, ..keep(&s) }).await?;
        }
    }
    Ok(())
}

fn keep(s: &Subscription) -> StateChange {
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

//! Money in and out: payments (a paid pro forma becomes an invoice, paid services start,
//! suspended ones come back with the reactivation fee), credit notes and refunds. Each is one
//! audited transaction; those that issue documents hold the issuing lock.

use jiff::civil::Date;
use loket_domain::billing::catalog::parse_vat_category;
use loket_domain::billing::lifecycle::SubscriptionState;
use loket_domain::vat::{self, Line};
use loket_domain::{FieldError, Money};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::catalog::load_catalog;
use loket_store::billing::documents::{self as docs, DocKind, Document, NewDocument, NewLine};
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, StateChange};
use serde::Serialize;
use serde_json::json;

use crate::ops::{audit, keep, parse_date};
use crate::{Billing, BillingError, invalid, snapshot};

/// A positive amount of the provider's currency, or the problem named as `amount`.
fn positive_amount(s: &str, currency: loket_domain::Currency, if_not_positive: &str, e: &mut Vec<FieldError>) -> Option<Money> {
    match Money::parse(s, currency) {
        Ok(m) if m.minor > 0 => Some(m),
        Ok(_) => {
            e.push(FieldError::new("amount", if_not_positive));
            None
        }
        Err(err) => {
            e.push(FieldError::new("amount", err.to_string()));
            None
        }
    }
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
        let amount =
            positive_amount(amount, self.provider.currency, "a payment is more than zero; record money paid back as a refund", &mut e);
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
        let amount = positive_amount(amount, self.provider.currency, "a refund is more than zero", &mut e);
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

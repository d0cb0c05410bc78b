//! Money in and out: payments (a paid pro forma becomes an invoice, paid services start,
//! suspended ones come back — see [`crate::billing::dunning`] for the reactivation fee), credit notes
//! and refunds. Each is one audited transaction holding the issuing lock; every read goes
//! through it.

use jiff::civil::Date;
use loket_domain::billing::lifecycle::{Event, Phase};
use loket_domain::billing::notice::{Applied, DocumentIssued, Notice, PaymentReceived};
use loket_domain::input::{self, Sign};
use loket_domain::{FieldError, Money};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::catalog::Catalog;
use loket_store::billing::documents::{self as docs, DocKind, DocState, Document, NewDocument, NewLine};
use loket_store::billing::payments;
use loket_store::billing::subscriptions as subs;
use loket_store::customers::Customer;
use serde::Serialize;
use serde_json::json;

use crate::billing::ops::{audit, card, parse_date};
use crate::billing::{AppError, Billing, invalid, snapshot, texts};

/// The ways money arrives.
pub const METHODS: [&str; 4] = ["bank_transfer", "direct_debit", "online", "credit"];

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

/// A payment as it arrives.
#[derive(Debug, Clone, Default)]
pub struct PaymentInput<'a> {
    pub customer_id: Option<i64>,
    pub invoice_id: Option<i64>,
    pub amount: &'a str,
    pub method: &'a str,
    pub received_on: &'a str,
    pub reference: Option<&'a str>,
}

impl Billing {
    /// Records money received. With an invoice it pays that one; without, the oldest open
    /// documents; what is left goes to the credit balance. A fully paid pro forma becomes an
    /// invoice (with the customer's data of today) and its services are activated; a customer
    /// with nothing overdue left gets suspended services back.
    pub async fn record_payment(&self, actor: &Actor, p: &PaymentInput<'_>) -> Result<PaymentResult, AppError> {
        let mut e = Vec::new();
        let amount = input::amount("amount", p.amount, self.provider.currency, Sign::Positive)
            .map_err(|err| e.push(FieldError::new("amount", format!("{}; money paid back is a refund", err.message))))
            .ok();
        if !METHODS.contains(&p.method) {
            e.push(FieldError::new("method", format!("`{}`: use bank_transfer, direct_debit, online or credit", input::sample(p.method))));
        }
        let received = parse_date("received_on", p.received_on, &mut e);
        let reference = input::optional_text("reference", p.reference, 140).map_err(|err| e.push(err)).ok().flatten();
        let mut tx = self.begin_issuing().await?;
        let invoice = match p.invoice_id {
            Some(id) => docs::document(&mut tx, id).await?,
            None => None,
        };
        if p.invoice_id.is_some() && invoice.is_none() {
            e.push(FieldError::new("invoice_id", "no such invoice"));
        }
        if let Some(inv) = &invoice {
            if inv.kind == DocKind::CreditNote {
                e.push(FieldError::new("invoice_id", format!("{} is a credit note: a payment goes to an invoice", inv.number)));
            }
            if inv.state != DocState::Open {
                e.push(FieldError::new("invoice_id", format!("{} is {}: nothing is open on it", inv.number, inv.state.name())));
            }
            if p.customer_id.is_some_and(|c| c != inv.customer_id) {
                e.push(FieldError::new("customer_id", format!("{} belongs to another customer", inv.number)));
            }
        }
        let customer_id = p.customer_id.or(invoice.as_ref().map(|i| i.customer_id));
        let customer = match customer_id {
            Some(id) => loket_store::customers::customer(&mut tx, id).await?,
            None => None,
        };
        if customer.is_none() {
            e.push(FieldError::new("customer_id", "name the customer or the invoice"));
        }
        let (Some(amount), Some(received), Some(customer), true) = (amount, received, customer, e.is_empty()) else {
            return Err(AppError::Invalid(e));
        };
        // Paid from the credit balance: no money arrives, the balance pays open invoices. It is
        // never more than the balance, nor more than is open (the rest would go back to the
        // balance it came from; money paid out is a refund).
        let from_balance = p.method == "credit";
        if from_balance {
            let balance = payments::credit_balance(&mut tx, customer.id).await?;
            let open: i64 = match &invoice {
                Some(inv) => inv.open_amount(),
                None => docs::open_documents(&mut tx, customer.id)
                    .await?
                    .iter()
                    .filter(|d| d.kind != DocKind::CreditNote)
                    .map(Document::open_amount)
                    .sum(),
            };
            if amount.minor > balance {
                let balance = Money::new(balance.max(0), amount.currency);
                e.push(FieldError::new("amount", format!("the credit balance is {balance}: at most that can pay an invoice")));
            } else if amount.minor > open {
                let open = Money::new(open, amount.currency);
                e.push(FieldError::new(
                    "amount",
                    format!("{open} is open: the credit balance pays at most that (money paid out is a refund)"),
                ));
            }
            if !e.is_empty() {
                return Err(AppError::Invalid(e));
            }
        }
        let catalog = self.catalog(&mut tx).await?;
        let result =
            self.book_payment(&mut tx, &catalog, actor, &customer, invoice, amount, p.method, received, reference.as_deref()).await?;
        if from_balance {
            let used = amount.minor - result.to_credit;
            payments::add_credit(&mut tx, amount.currency, &[(customer.id, -used, "payment", None, Some(result.payment_id))]).await?;
        }
        loket_store::commit(tx).await?;
        Ok(result)
    }

    /// Books a payment already checked, inside the caller's issuing transaction: on `invoice`,
    /// or the customer's oldest open documents; the rest on credit; pro formas converted,
    /// services activated or reactivated, the customer notified, the audit entry written. The
    /// bank-statement import books thousands of them a transaction.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn book_payment(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        actor: &Actor,
        customer: &Customer,
        invoice: Option<Document>,
        amount: loket_domain::Money,
        method: &str,
        received: Date,
        reference: Option<&str>,
    ) -> Result<PaymentResult, AppError> {
        let payment_id = payments::insert_payment(
            &mut *tx,
            customer.id,
            invoice.as_ref().map(|i| i.id),
            amount.minor,
            amount.currency,
            method,
            received,
            reference,
        )
        .await?;
        let targets: Vec<Document> = match invoice {
            Some(inv) => vec![inv],
            None => docs::open_documents(&mut *tx, customer.id).await?.into_iter().filter(|d| d.kind != DocKind::CreditNote).collect(),
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
                let number = self.convert_pro_forma(tx, catalog, &doc, customer, received, pay).await?;
                result.converted.push(number);
            } else {
                docs::settle(&mut *tx, doc.id, pay, 0, if full { DocState::Paid } else { DocState::Open }, full.then_some(received))
                    .await?;
                if full {
                    activate_paid(&mut *tx, catalog, doc.id, received).await?;
                }
            }
        }
        if left > 0 {
            result.to_credit = left;
            payments::add_credit(&mut *tx, amount.currency, &[(customer.id, left, "overpayment", None, Some(payment_id))]).await?;
        }
        payments::notify(
            &mut *tx,
            &[(
                customer.id,
                Notice::PaymentReceived(PaymentReceived {
                    amount: amount.minor,
                    received,
                    applied: result.applied.iter().map(|(number, amount)| Applied { number: number.clone(), amount: *amount }).collect(),
                    to_credit: left,
                }),
            )],
        )
        .await?;
        let r = self.reactivate_if_settled(tx, catalog, customer, received, actor).await?;
        result.reactivated = r.reactivated;
        result.fee_invoice = r.fee_invoice;
        audit(
            &mut *tx,
            actor,
            "payment.record",
            "payment",
            payment_id,
            payment_audit(&customer.number, amount.minor, method, received, &result.applied, left),
        )
        .await?;
        Ok(result)
    }

    async fn convert_pro_forma(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        pf: &Document,
        customer: &Customer,
        on: Date,
        paid: i64,
    ) -> Result<String, AppError> {
        let settings = catalog.settings(self.provider.currency);
        // A card replaced for a new tax identity after the pro forma was sent (seed 002: "De
        // officiële factuur zal worden voorzien van de bijgewerkte gegevens"): the invoice is made
        // out to the card that replaced it, where its services and users went, with its data.
        let successor = successor(tx, customer).await?;
        let customer = successor.as_ref().unwrap_or(customer);
        let lines = docs::lines(tx, pf.id).await?;
        // A service whose ordered period passed while it waited for this payment runs from today:
        // the invoice names the days it now pays for (the pro forma named the ones asked for).
        let mut periods = Vec::with_capacity(lines.len());
        for l in &lines {
            let mut period = l.period_from.zip(l.period_to);
            if let (Some((from, to)), Some(sub)) = (period, l.subscription_id)
                && let Some(s) = subs::subscription(tx, sub).await?
                && s.phase == Phase::PendingPayment
                && from == s.start_date
                && Some(to) == s.invoiced_until
                && let Some((terms, _)) = super::terms_of(catalog, &s)
                && let Some(moved) = terms.paid_late(s.start_date, s.invoiced_until, on)
            {
                period = Some(moved);
            }
            periods.push(period);
        }
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
                .zip(periods)
                .map(|(l, period)| NewLine {
                    description: l.description.clone(),
                    period,
                    quantity_milli: l.quantity_milli,
                    unit_price: l.unit_price,
                    net: l.net,
                    vat_code: l.vat_code.clone(),
                    vat_rate: u32::try_from(l.vat_rate).unwrap_or(0),
                    subscription_id: l.subscription_id,
                    item_id: l.item_id,
                    rate: l.rate,
                    credits_position: None,
                })
                .collect(),
        };
        let inv = docs::issue(tx, &[doc]).await?.remove(0);
        docs::settle(tx, pf.id, paid, 0, DocState::Converted, Some(on)).await?;
        docs::settle(tx, inv.id, paid, 0, DocState::Paid, Some(on)).await?;
        activate_paid(tx, catalog, inv.id, on).await?;
        payments::notify(
            tx,
            &[(
                customer.id,
                Notice::InvoiceIssued(DocumentIssued {
                    number: inv.number.clone(),
                    kind: DocKind::Invoice,
                    amount: pf.gross,
                    open: 0,
                    due_date: on,
                    invoice_id: inv.id,
                    credits: None,
                }),
            )],
        )
        .await?;
        Ok(inv.number)
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
    ) -> Result<String, AppError> {
        let mut e = Vec::new();
        let on = parse_date("issue_date", on, &mut e);
        let reason = input::multiline("reason", reason, 500).map_err(|err| e.push(err)).ok();
        let mut tx = self.begin_issuing().await?;
        let inv = docs::document(&mut tx, invoice_id).await?.ok_or(AppError::NotFound("invoice"))?;
        if inv.kind != DocKind::Invoice {
            e.push(FieldError::new("invoice_id", format!("{} is a {}: only invoices are credited", inv.number, inv.kind.name())));
        }
        let (Some(on), Some(reason), true) = (on, reason, e.is_empty()) else { return Err(AppError::Invalid(e)) };
        if on < inv.issue_date {
            return Err(invalid("issue_date", format!("a credit note cannot be dated before its invoice ({})", inv.issue_date)));
        }
        let lines = docs::lines(&mut tx, invoice_id).await?;
        if let Some(missing) = positions.and_then(|p| p.iter().find(|p| !lines.iter().any(|l| l.position == **p))) {
            return Err(invalid("lines", format!("line {missing} is not on {}", inv.number)));
        }
        // Each line is credited at most once in full: what earlier credit notes (of this form, or
        // the settlement of an early end) took off it is left out, and a line with nothing left
        // is not credited again.
        let credited = docs::credited_by_line(&mut tx, &inv).await?;
        let left = |l: &docs::Line| l.net - credited.get(&l.position).copied().unwrap_or(0);
        let has_left = |l: &docs::Line| if l.net > 0 { left(l) > 0 } else { l.net < 0 && left(l) < 0 };
        let chosen: Vec<_> = lines.iter().filter(|l| positions.is_none_or(|p| p.contains(&l.position)) && has_left(l)).collect();
        if chosen.is_empty() {
            return Err(invalid("lines", format!("{} is credited in full on these lines already", inv.number)));
        }
        // Crediting the last of the lines: each earlier note rounded its own VAT, by half a cent
        // at most, so this one may come to a few cents more than the invoice still holds.
        let completes = lines.iter().filter(|l| has_left(l)).all(|l| chosen.iter().any(|c| c.position == l.position));
        let rounding_slack = if completes { i64::try_from(lines.len()).unwrap_or(0) } else { 0 };
        let customer = card(&mut tx, inv.customer_id).await?;
        let lang = customer.card.language;
        let catalog = self.catalog(&mut tx).await?;
        let new_lines = chosen
            .iter()
            .map(|l| NewLine {
                description: texts::credit(lang, &l.description, &format!("{}: {}", inv.number, reason.replace('\n', " "))),
                period: l.period_from.zip(l.period_to),
                // Partly credited before: the rest, as one amount.
                quantity_milli: if left(l) == l.net { l.quantity_milli } else { 1000 },
                unit_price: if left(l) == l.net { l.unit_price } else { left(l) },
                net: left(l),
                vat_code: l.vat_code.clone(),
                vat_rate: u32::try_from(l.vat_rate).unwrap_or(0),
                subscription_id: l.subscription_id,
                item_id: None,
                rate: l.rate.or_else(|| {
                    l.period_from.zip(l.period_to).map(|(from, to)| loket_domain::billing::Rate {
                        from,
                        to,
                        months: 0,
                        price: Money::new(l.net, inv.currency),
                    })
                }),
                credits_position: Some(l.position),
            })
            .collect();
        let cn = self.issue_credit_note(&mut tx, &catalog, &inv, new_lines, on, actor, &reason, rounding_slack).await?;
        loket_store::commit(tx).await?;
        Ok(cn.number)
    }

    /// Pays money back from the customer's credit balance.
    pub async fn refund(&self, actor: &Actor, customer_id: i64, amount: &str, on: &str, reference: Option<&str>) -> Result<i64, AppError> {
        let mut e = Vec::new();
        let amount = input::amount("amount", amount, self.provider.currency, Sign::Positive).map_err(|err| e.push(err)).ok();
        let on = parse_date("paid_on", on, &mut e);
        let reference = input::optional_text("reference", reference, 140).map_err(|err| e.push(err)).ok().flatten();
        let (Some(amount), Some(on), true) = (amount, on, e.is_empty()) else { return Err(AppError::Invalid(e)) };
        let mut tx = self.store.begin().await?;
        card(&mut tx, customer_id).await?;
        let balance = payments::credit_balance(&mut tx, customer_id).await?;
        if amount.minor > balance {
            return Err(invalid(
                "amount",
                format!("the credit balance is {}: a refund cannot be more", Money::new(balance, amount.currency)),
            ));
        }
        let id = pay_back(&mut tx, amount.currency, customer_id, None, amount.minor, on, reference.as_deref()).await?;
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

/// The card that replaced `customer` (after a change of tax identity), following a chain of
/// replacements to the card in use; `None` for a card that was not replaced.
async fn successor(tx: &mut Conn, customer: &Customer) -> Result<Option<Customer>, AppError> {
    let mut newest: Option<Customer> = None;
    // A chain is a few cards long; the bound only guards against a cycle nothing should make.
    for _ in 0..16 {
        let Some(next) = newest.as_ref().unwrap_or(customer).replaced_by else {
            return Ok(newest);
        };
        newest = Some(loket_store::customers::customer(&mut *tx, next).await?.ok_or(AppError::NotFound("customer"))?);
    }
    Err(AppError::Conflict(format!("card {} is replaced in a cycle", customer.number)))
}

/// Services that waited for payment (Gestione Internet: "paid before activation") start once
/// the invoice with their first period is paid on `paid`. Paid only after that period had
/// passed, they run from `paid` for the days paid for, so the months they waited are not billed
/// as if they ran ([`Terms::paid_late`](loket_domain::billing::Terms::paid_late)).
async fn activate_paid(tx: &mut Conn, catalog: &Catalog, invoice_id: i64, paid: Date) -> Result<(), AppError> {
    for sub in docs::lines(tx, invoice_id).await?.iter().filter_map(|l| l.subscription_id) {
        if let Some(s) = subs::subscription(tx, sub).await?
            && s.phase == Phase::PendingPayment
        {
            let life = s.life().apply(Event::PaymentReceived).map_err(|e| AppError::Conflict(e.to_string()))?;
            subs::save_life(tx, s.id, &life).await?;
            if let Some((terms, _)) = super::terms_of(catalog, &s)
                && let Some((_, until)) = terms.paid_late(s.start_date, s.invoiced_until, paid)
            {
                subs::set_invoiced_until_to(tx, s.id, Some(until)).await?;
            }
        }
    }
    Ok(())
}

/// Money paid back to a customer from the credit balance (a refund by staff, or one the payment
/// provider confirmed): a negative payment and the credit it uses. Returns the payment's id.
pub(crate) async fn pay_back(
    tx: &mut Conn,
    currency: loket_domain::Currency,
    customer_id: i64,
    invoice_id: Option<i64>,
    amount: i64,
    on: Date,
    reference: Option<&str>,
) -> Result<i64, AppError> {
    let id = payments::insert_payment(tx, customer_id, invoice_id, -amount, currency, "refund", on, reference).await?;
    payments::add_credit(tx, currency, &[(customer_id, -amount, "refund", None, Some(id))]).await?;
    Ok(id)
}

/// Money that came in and was taken back without the provider's say (a chargeback, a returned
/// direct debit): a negative payment by `method`; the invoice open again for what it had paid
/// of it, and the rest — the invoice was settled otherwise meanwhile — taken off the credit
/// balance as `ledger_reason`. Returns the payment's id.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn take_back(
    tx: &mut Conn,
    currency: loket_domain::Currency,
    customer_id: i64,
    invoice_id: i64,
    amount: i64,
    method: &str,
    on: Date,
    reference: &str,
    ledger_reason: &str,
) -> Result<i64, AppError> {
    let id = payments::insert_payment(tx, customer_id, Some(invoice_id), -amount, currency, method, on, Some(reference)).await?;
    let invoice = docs::document(tx, invoice_id).await?.ok_or(AppError::NotFound("invoice"))?;
    let from_invoice = if invoice.kind == DocKind::Invoice { amount.min(invoice.paid).max(0) } else { 0 };
    if from_invoice > 0 {
        docs::reopen(tx, invoice_id, from_invoice).await?;
    }
    let rest = amount - from_invoice;
    if rest > 0 {
        payments::add_credit(tx, currency, &[(customer_id, -rest, ledger_reason, Some(invoice_id), Some(id))]).await?;
    }
    Ok(id)
}

/// What the audit log says of a payment booked (`payment.record`), here and in the bank
/// import's batched path alike.
pub(crate) fn payment_audit(
    customer_number: &str,
    amount: i64,
    method: &str,
    received: Date,
    applied: &[(String, i64)],
    to_credit: i64,
) -> serde_json::Value {
    json!({"customer": customer_number, "amount": amount, "method": method, "received_on": received.to_string(),
           "applied": applied, "to_credit": to_credit})
}

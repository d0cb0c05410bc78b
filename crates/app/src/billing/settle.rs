//! What is settled when a contract ends before what was invoiced, or its price changes inside
//! an invoiced period: credit notes for exactly the part beyond (priced by the rate each line
//! keeps, see `loket_domain::billing::settlement`), unpaid pro formas voided, lines that wait for
//! an invoice cut to the end, and price differences on the next invoice. Every function here
//! runs inside the caller's transaction, which holds the issuing lock.

use std::collections::BTreeMap;

use jiff::civil::Date;
use loket_domain::billing::Terms;
use loket_domain::billing::notice::{DocumentIssued, Notice};
use loket_domain::billing::settlement::{Ending, InvoicedPeriod, PeriodPart, credit_from};
use loket_domain::vat::{self, Line, Treatment};
use loket_domain::{Language, Money};
use loket_store::Conn;
use loket_store::audit::Actor;
use loket_store::billing::catalog::Catalog;
use loket_store::billing::documents::{self as docs, DocKind, DocState, Document, Issued, NewDocument, NewLine, SubscriptionLine};
use loket_store::billing::items::{self, NewItem};
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, Subscription};
use serde_json::json;

use crate::billing::ops::audit;
use crate::billing::{AppError, Billing, snapshot, texts};

/// The VAT treatment a stored line was issued with.
pub(crate) fn treatment_of(code: &str, rate: i64) -> Treatment {
    match code {
        "AE" => Treatment::ReverseCharge,
        "E" => Treatment::Exempt,
        "O" => Treatment::OutsideScope,
        _ => Treatment::Charged(u32::try_from(rate).unwrap_or(0)),
    }
}

/// The invoiced periods of a subscription after `after`, each with the credit-note lines that
/// corrected it: (invoice id, line position, invoiced period, the stored line).
fn invoiced_periods(lines: &[SubscriptionLine]) -> Vec<(i64, &SubscriptionLine, InvoicedPeriod)> {
    let part = |l: &SubscriptionLine| -> Option<PeriodPart> {
        Some(PeriodPart {
            from: l.line.period_from?,
            to: l.line.period_to?,
            net: Money::new(l.line.net, l.line.rate.map(|r| r.price.currency).unwrap_or(loket_domain::Currency::Eur)),
            rate: l.line.rate,
        })
    };
    let mut out: Vec<(i64, &SubscriptionLine, InvoicedPeriod)> = Vec::new();
    for l in lines.iter().filter(|l| l.kind == DocKind::Invoice) {
        if let Some(p) = part(l) {
            out.push((l.invoice_id, l, InvoicedPeriod { line: p, credited: Vec::new() }));
        }
    }
    for c in lines.iter().filter(|l| l.kind == DocKind::CreditNote) {
        let (Some(inv), Some(pos), Some(p)) = (c.credits_invoice_id, c.line.credits_position, part(c)) else { continue };
        if let Some((_, _, ip)) = out.iter_mut().find(|(i, l, _)| *i == inv && l.line.position == pos) {
            ip.credited.push(p);
        }
    }
    out
}

impl Billing {
    /// Issues a credit note for `lines` of invoice `inv`, dated `on` (never before the invoice).
    #[allow(clippy::too_many_arguments)]
    /// The credit first reduces what is open on the invoice (so dunning never chases it); what
    /// was already paid goes to the customer's credit balance.
    pub(crate) async fn issue_credit_note(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        inv: &Document,
        lines: Vec<NewLine>,
        on: Date,
        actor: &Actor,
        reason: &str,
        rounding_slack: i64,
    ) -> Result<Issued, AppError> {
        let on = on.max(inv.issue_date);
        let vat_lines: Vec<Line> = lines
            .iter()
            .map(|l| Line {
                quantity_milli: l.quantity_milli,
                unit_price: Money::new(l.unit_price, inv.currency),
                treatment: treatment_of(&l.vat_code, i64::from(l.vat_rate)),
            })
            .collect();
        let totals = vat::totals(&vat_lines, inv.currency).map_err(|e| AppError::Conflict(e.to_string()))?;
        // A note that credits the last of the invoice's lines may round its VAT past what is left
        // by up to `rounding_slack` cents (each earlier note rounded its own VAT); its lines'
        // nets are bounded by the invoice's, line by line.
        if totals.gross.minor > inv.gross - inv.credited + rounding_slack {
            return Err(AppError::Conflict(format!(
                "{} is already credited for {}: at most {} can still be credited",
                inv.number,
                Money::new(inv.credited, inv.currency),
                Money::new(inv.gross - inv.credited, inv.currency)
            )));
        }
        let settings = catalog.settings(self.provider.currency);
        let doc = NewDocument {
            kind: DocKind::CreditNote,
            series: settings.credit_note_series.clone(),
            customer_id: inv.customer_id,
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
            lines,
        };
        let issued = docs::issue(tx, &[doc]).await?.remove(0);
        // What is open on the invoice is settled first; the rest was paid and becomes credit.
        let open = inv.open_amount();
        let to_invoice = totals.gross.minor.min(open);
        let rest = totals.gross.minor - to_invoice;
        let state = match inv.state {
            DocState::Open if to_invoice == open && inv.paid > 0 => DocState::Paid,
            DocState::Open if to_invoice == open => DocState::Credited,
            s => s,
        };
        docs::settle(tx, inv.id, 0, totals.gross.minor, state, None).await?;
        if rest > 0 {
            payments::add_credit(tx, inv.currency, &[(inv.customer_id, rest, "credit_note", Some(issued.id), None)]).await?;
        }
        payments::notify(
            tx,
            &[(
                inv.customer_id,
                Notice::InvoiceIssued(DocumentIssued {
                    number: issued.number.clone(),
                    kind: DocKind::CreditNote,
                    amount: totals.gross.minor,
                    open: 0,
                    due_date: on,
                    invoice_id: issued.id,
                    credits: Some(inv.number.clone()),
                }),
            )],
        )
        .await?;
        audit(
            tx,
            actor,
            "credit_note.issue",
            "invoice",
            issued.id,
            json!({"number": issued.number, "credits": inv.number, "amount": totals.gross.minor, "reason": reason}),
        )
        .await?;
        Ok(issued)
    }

    /// Issues one credit note per invoice for `credits` (invoice id → lines).
    async fn credit_invoices(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        credits: BTreeMap<i64, Vec<NewLine>>,
        on: Date,
        actor: &Actor,
        reason: &str,
    ) -> Result<Vec<String>, AppError> {
        let mut numbers = Vec::new();
        for (invoice_id, lines) in credits {
            let inv = docs::document(tx, invoice_id).await?.ok_or(AppError::NotFound("invoice"))?;
            numbers.push(self.issue_credit_note(tx, catalog, &inv, lines, on, actor, reason, 0).await?.number);
        }
        Ok(numbers)
    }

    /// The service of `sub` ends on `end` (exclusive): everything invoiced beyond what the
    /// customer owes is credited (see `credit_from`: a begun term stays due unless the terms
    /// refund pro rata; nothing is owed for a service never started), unpaid pro formas are
    /// voided, lines waiting for an invoice are cut, and the subscription counts as invoiced only
    /// up to there. Returns the numbers of the credit notes.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn settle_end(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        sub: &Subscription,
        terms: &Terms,
        end: Date,
        on: Date,
        ending: Ending,
        lang: Language,
        actor: &Actor,
    ) -> Result<Vec<String>, AppError> {
        let from = credit_from(terms, sub.start_date, end, ending);
        let last_day = from.yesterday().unwrap_or(from);
        let reason = texts::ended(lang, last_day);
        let lines = docs::subscription_lines(tx, sub.id, from).await?;
        let mut credits: BTreeMap<i64, Vec<NewLine>> = BTreeMap::new();
        for (invoice_id, stored, period) in invoiced_periods(&lines) {
            let amount = period.credit_beyond(from);
            if amount.minor <= 0 {
                continue;
            }
            let l = &stored.line;
            credits.entry(invoice_id).or_default().push(NewLine {
                description: texts::credit(lang, &l.description, &reason),
                period: Some((from.max(period.line.from), period.line.to)),
                quantity_milli: 1000,
                unit_price: amount.minor,
                net: amount.minor,
                vat_code: l.vat_code.clone(),
                vat_rate: u32::try_from(l.vat_rate).unwrap_or(0),
                subscription_id: Some(sub.id),
                item_id: None,
                rate: Some(period.line.rate_or_days()),
                credits_position: Some(l.position),
            });
        }
        // Set-up fees and other lines without a period are owed once a service started; when it
        // never did, they are credited too.
        if ending == Ending::NothingServed {
            for inv_id in
                lines.iter().filter(|l| l.kind == DocKind::Invoice).map(|l| l.invoice_id).collect::<std::collections::BTreeSet<_>>()
            {
                for l in docs::lines(tx, inv_id).await?.into_iter().filter(|l| l.subscription_id == Some(sub.id) && l.period_from.is_none())
                {
                    credits.entry(inv_id).or_default().push(NewLine {
                        description: texts::credit(lang, &l.description, &reason),
                        period: None,
                        quantity_milli: l.quantity_milli,
                        unit_price: l.unit_price,
                        net: l.net,
                        vat_code: l.vat_code.clone(),
                        vat_rate: u32::try_from(l.vat_rate).unwrap_or(0),
                        subscription_id: Some(sub.id),
                        item_id: None,
                        rate: None,
                        credits_position: Some(l.position),
                    });
                }
            }
            for pf in docs::open_pro_formas_of(tx, sub.id).await? {
                docs::settle(tx, pf, 0, 0, DocState::Void, None).await?;
                // A payment request for services ordered together: the others are asked for
                // again, on the next run's request of their own.
                let mut others: Vec<i64> =
                    docs::lines(tx, pf).await?.into_iter().filter_map(|l| l.subscription_id).filter(|s| *s != sub.id).collect();
                others.sort_unstable();
                others.dedup();
                subs::ask_payment_again(tx, &others).await?;
            }
        }
        let numbers = self.credit_invoices(tx, catalog, credits, on, actor, &reason).await?;
        for item in items::open_subscription_items(tx, sub.id).await? {
            let (Some(f), Some(t)) = (item.period_from, item.period_to) else { continue };
            if f >= from {
                items::drop_item(tx, item.id).await?;
            } else if t > from {
                let part = PeriodPart { from: f, to: t, net: Money::new(item.unit_price, item.currency), rate: item.rate };
                items::cut_item(tx, item.id, from, part.until(from).minor).await?;
            }
        }
        if sub.invoiced_until.is_some_and(|u| u > from) {
            subs::set_invoiced_until_to(tx, sub.id, Some(from)).await?;
        }
        Ok(numbers)
    }

    /// Settles a change of price from `on` for the part of the service already invoiced: a more
    /// expensive plan adds the difference to the next invoice, a cheaper one credits it now.
    /// Returns (the waiting lines made, the credit notes issued).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn settle_price_change(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        sub: &Subscription,
        new_price: Money,
        old_price: Money,
        descriptions: (&str, &str),
        category: &str,
        on: Date,
        lang: Language,
        actor: &Actor,
    ) -> Result<(Vec<i64>, Vec<String>), AppError> {
        let Some(until) = sub.invoiced_until.filter(|u| *u > on) else { return Ok((Vec::new(), Vec::new())) };
        let (change_text, plan_name) = descriptions;
        let reason = texts::downgraded(lang, plan_name, on);
        let lines = docs::subscription_lines(tx, sub.id, on).await?;
        let mut made = Vec::new();
        let mut credits: BTreeMap<i64, Vec<NewLine>> = BTreeMap::new();
        // The periods themselves (not earlier settlements), each re-priced for [on, until).
        for (invoice_id, stored, period) in invoiced_periods(&lines).into_iter().filter(|(_, l, _)| l.line.item_id.is_none()) {
            let rate = period.line.rate_or_days();
            let (from, to) = (on.max(period.line.from), period.line.to.min(until));
            if from >= to {
                continue;
            }
            let diff = new_price.checked_sub(old_price).map_err(|e| AppError::Conflict(e.to_string()))?;
            let positive = loket_domain::billing::Rate { price: Money::new(diff.minor.abs(), diff.currency), ..rate };
            let amount = positive.price_of(from, to);
            if amount.minor == 0 {
                continue;
            }
            if diff.minor > 0 {
                made.push(
                    items::create_item(
                        tx,
                        &NewItem {
                            customer_id: sub.customer_id,
                            subscription_id: Some(sub.id),
                            description: change_text.to_string(),
                            quantity_milli: 1000,
                            unit_price: amount.minor,
                            currency: amount.currency,
                            vat_category: category.to_string(),
                            period: Some((from, to)),
                            source: "change".into(),
                            created_on: on,
                            rate: Some(positive),
                        },
                    )
                    .await?,
                );
            } else {
                let l = &stored.line;
                credits.entry(invoice_id).or_default().push(NewLine {
                    description: texts::credit(lang, change_text, &reason),
                    period: Some((from, to)),
                    quantity_milli: 1000,
                    unit_price: amount.minor,
                    net: amount.minor,
                    vat_code: l.vat_code.clone(),
                    vat_rate: u32::try_from(l.vat_rate).unwrap_or(0),
                    subscription_id: Some(sub.id),
                    item_id: None,
                    rate: Some(positive),
                    credits_position: Some(l.position),
                });
            }
        }
        let numbers = self.credit_invoices(tx, catalog, credits, on, actor, &reason).await?;
        Ok((made, numbers))
    }
}

//! Dunning, part of the daily run: reminders, suspension and termination for overdue invoices,
//! taken through the backlog in pages of customers (so a run that changes nothing holds only one
//! page in memory), each customer in a savepoint of its own; and the way back — a customer who
//! paid everything overdue gets suspended services back, with at most one reactivation fee per
//! suspension, and never a fee for paying a fee.

use std::collections::HashMap;

use jiff::civil::Date;
use loket_domain::billing::dunning::DunningStep;
use loket_domain::billing::lifecycle::Event;
use loket_domain::billing::notice::{self, DocumentIssued, Dunned, Notice};
use loket_domain::billing::plus_days;
use loket_domain::billing::sepa;
use loket_domain::billing::settlement::Ending;
use loket_domain::vat::{self, Line};
use loket_store::audit::Actor;
use loket_store::billing::catalog::Catalog;
use loket_store::billing::documents::{self as docs, DocKind, Issued, NewDocument, NewLine, Overdue};
use loket_store::billing::dunning::{self as dun, create_suspension, is_fee_invoice, lift_suspension, open_suspension};
use loket_store::billing::payments;
use loket_store::billing::subscriptions as subs;
use loket_store::customers::Customer;
use loket_store::{Conn, Tx};
use serde_json::json;

use crate::billing::run::{PAGE, Report, run_actor};
use crate::billing::{AppError, Billing, snapshot, terms_of, texts};

pub fn step_name(s: DunningStep) -> String {
    match s {
        DunningStep::Reminder(n) => format!("reminder:{n}"),
        DunningStep::Suspend => "suspend".into(),
        DunningStep::Terminate => "terminate".into(),
    }
}

fn parse_step(s: &str) -> Option<DunningStep> {
    match s {
        "suspend" => Some(DunningStep::Suspend),
        "terminate" => Some(DunningStep::Terminate),
        _ => s.strip_prefix("reminder:")?.parse().ok().map(DunningStep::Reminder),
    }
}

/// What paying did to a suspension.
#[derive(Debug, Clone, Default)]
pub struct Reactivation {
    pub reactivated: bool,
    /// The reactivation-fee invoice, when one was issued.
    pub fee_invoice: Option<String>,
}

impl Billing {
    /// Dunning for `date`, page by page of customers with overdue invoices.
    pub(crate) async fn dun(&self, mut dry_tx: Option<&mut Tx>, date: Date, report: &mut Report) -> Result<(), AppError> {
        let mut after = 0i64;
        loop {
            let mut own: Option<Tx> = None;
            let tx: &mut Tx = match dry_tx.as_deref_mut() {
                Some(t) => t,
                None => own.insert(self.begin_issuing().await?),
            };
            let catalog = self.catalog(tx).await?;
            let overdue = docs::overdue_page(tx, date, after, PAGE).await?;
            let Some(last) = overdue.last() else { break };
            after = last.customer_id;
            // An invoice the bank is collecting by direct debit waits for its credit (or return).
            let ids: Vec<i64> = overdue.iter().map(|d| d.id).collect();
            let collecting = loket_store::billing::sepa::debits::being_collected(tx, &ids).await?;
            let overdue: Vec<Overdue> =
                overdue.into_iter().filter(|d| !collecting.get(&d.id).is_some_and(|on| sepa::dunning_on_hold(*on, date))).collect();
            let ids: Vec<i64> = overdue.iter().map(|d| d.id).collect();
            let mut taken: HashMap<i64, Vec<DunningStep>> = HashMap::new();
            for (id, step) in dun::dunning_taken(tx, &ids).await? {
                if let Some(s) = parse_step(&step) {
                    taken.entry(id).or_default().push(s);
                }
            }
            let mut start = 0;
            while start < overdue.len() {
                let customer_id = overdue[start].customer_id;
                let end = overdue[start..].iter().position(|d| d.customer_id != customer_id).map_or(overdue.len(), |n| start + n);
                let invoices = &overdue[start..end];
                start = end;
                let mut attempt = report.part();
                let mut sp = loket_store::savepoint(tx).await?;
                let done = match self.dun_customer(&mut sp, &catalog, customer_id, invoices, &taken, date, &mut attempt).await {
                    Ok(()) => loket_store::release(sp).await.map_err(AppError::from),
                    Err(e) => Err(e),
                };
                match done {
                    Ok(()) => report.absorb(attempt),
                    Err(e) => {
                        report.skipped_customers += 1;
                        report.problem(format!("customer id {customer_id}: dunning skipped: {e}"));
                    }
                }
            }
            if let Some(tx) = own {
                loket_store::commit(tx).await?;
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn dun_customer(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        customer_id: i64,
        invoices: &[Overdue],
        taken: &HashMap<i64, Vec<DunningStep>>,
        date: Date,
        report: &mut Report,
    ) -> Result<(), AppError> {
        let settings = catalog.settings(self.provider.currency);
        let mut notifications = Vec::new();
        let mut suspended = false;
        let mut terminated = false;
        for inv in invoices {
            let steps = settings.dunning.steps_due(inv.due_date, date, taken.get(&inv.id).map(Vec::as_slice).unwrap_or(&[]));
            for step in steps {
                dun::record_dunning(tx, inv.id, &step_name(step), date).await?;
                match step {
                    DunningStep::Reminder(n) => {
                        report.reminders += 1;
                        notifications.push((
                            customer_id,
                            Notice::Reminder(notice::Reminder {
                                number: inv.number.clone(),
                                amount: inv.open,
                                due_date: inv.due_date,
                                reminder: u32::from(n) + 1,
                                invoice_id: inv.id,
                            }),
                        ));
                    }
                    DunningStep::Suspend if !suspended && !terminated => {
                        suspended = true;
                        if open_suspension(tx, customer_id).await?.is_some() {
                            continue;
                        }
                        let mut changed = Vec::new();
                        for s in subs::customer_subscriptions(tx, customer_id).await? {
                            let life = s.life();
                            // A service that has not started yet has nothing to suspend.
                            if life.is_running()
                                && s.start_date <= date
                                && let Ok(next) = life.apply(Event::Suspend { on: date })
                            {
                                changed.push((s.id, next));
                            }
                        }
                        if !changed.is_empty() {
                            create_suspension(tx, customer_id, date, inv.id).await?;
                            subs::save_lives(tx, &changed).await?;
                            report.suspended_customers += 1;
                            notifications.push((customer_id, Notice::Suspended(Dunned { number: inv.number.clone(), amount: inv.open })));
                        }
                    }
                    DunningStep::Terminate if !terminated => {
                        terminated = true;
                        let customer = crate::billing::ops::card(tx, customer_id).await?;
                        let mut ended = 0;
                        for s in subs::customer_subscriptions(tx, customer_id).await? {
                            let before = s.life();
                            let Ok(life) = before.apply(Event::Terminate { on: date }) else { continue };
                            subs::save_life(tx, s.id, &life).await?;
                            ended += 1;
                            if let Some((terms, _)) = terms_of(catalog, &s) {
                                let ending = Ending::after(before.phase, Ending::Own);
                                let notes = self
                                    .settle_end(tx, catalog, &s, terms, date, date, ending, customer.card.language, &run_actor())
                                    .await?;
                                report.credit_notes += notes.len();
                            }
                        }
                        if ended > 0 {
                            report.terminated_customers += 1;
                            notifications.push((customer_id, Notice::Terminated(Dunned { number: inv.number.clone(), amount: inv.open })));
                        }
                    }
                    _ => {}
                }
            }
        }
        payments::notify(tx, &notifications).await?;
        Ok(())
    }

    /// After a payment on `on`: when nothing of the customer is overdue any more, their
    /// suspension is lifted and their services run again. The suspension's one reactivation fee
    /// is invoiced when a service is switched on again (with the payment term of the invoice that caused it, or the billing file's
    /// `reactivation_fee_payment_days`) — unless what caused it was itself a reactivation fee.
    pub(crate) async fn reactivate_if_settled(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        customer: &Customer,
        on: Date,
        actor: &Actor,
    ) -> Result<Reactivation, AppError> {
        let Some(suspension) = open_suspension(tx, customer.id).await? else { return Ok(Reactivation::default()) };
        let overdue_left = docs::open_documents(tx, customer.id).await?.iter().any(|d| d.kind == DocKind::Invoice && d.due_date < on);
        if overdue_left {
            return Ok(Reactivation::default());
        }
        let mut changed = Vec::new();
        for s in subs::customer_subscriptions(tx, customer.id).await? {
            if s.suspended_since.is_some()
                && let Ok(life) = s.life().apply(Event::Reactivate)
            {
                changed.push((s.id, life));
            }
        }
        subs::save_lives(tx, &changed).await?;
        let settings = catalog.settings(self.provider.currency);
        let mut fee_invoice = None;
        let mut fee_id = None;
        // The fee is for switching services on again: none when nothing was switched off.
        if let Some(fee) = settings.dunning.reactivation_fee.filter(|f| f.minor > 0)
            && !changed.is_empty()
            && !is_fee_invoice(tx, suspension.cause_invoice_id).await?
        {
            let cause = docs::document(tx, suspension.cause_invoice_id).await?;
            let term = match (settings.reactivation_fee_payment_days, cause) {
                (Some(days), _) => i64::from(days),
                (None, Some(c)) => loket_domain::billing::days_between(c.issue_date, c.due_date).max(0),
                (None, None) => 14,
            };
            let line = NewLine {
                description: texts::reactivation_fee(customer.card.language),
                period: None,
                quantity_milli: 1000,
                unit_price: fee.minor,
                net: fee.minor,
                vat_code: String::new(),
                vat_rate: 0,
                subscription_id: None,
                item_id: None,
                rate: None,
                credits_position: None,
            };
            let issued = self.issue_now(tx, customer, &settings.invoice_series, on, term, vec![line]).await?;
            fee_id = Some(issued.id);
            fee_invoice = Some(issued.number);
        }
        lift_suspension(tx, suspension.id, on, fee_id).await?;
        payments::notify(tx, &[(customer.id, Notice::Reactivated(notice::Reactivated { fee_invoice: fee_invoice.clone() }))]).await?;
        crate::billing::ops::audit(
            tx,
            actor,
            "suspension.lift",
            "customer",
            customer.id,
            json!({"fee_invoice": fee_invoice, "on": on.to_string()}),
        )
        .await?;
        Ok(Reactivation { reactivated: true, fee_invoice })
    }

    /// Issues an invoice of `lines` (standard VAT category, net amounts) at once.
    pub(crate) async fn issue_now(
        &self,
        tx: &mut Conn,
        customer: &Customer,
        series: &str,
        on: Date,
        term_days: i64,
        mut lines: Vec<NewLine>,
    ) -> Result<Issued, AppError> {
        let buyer = snapshot::buyer(customer);
        let mut vat_lines = Vec::new();
        for l in &mut lines {
            let treatment = vat::treatment(self.provider.address.country, buyer, loket_domain::vat::VatCategory::Standard)
                .map_err(|e| AppError::Conflict(e.to_string()))?;
            l.vat_code = treatment.code().into();
            l.vat_rate = treatment.rate();
            vat_lines.push(Line {
                quantity_milli: l.quantity_milli,
                unit_price: loket_domain::Money::new(l.unit_price, self.provider.currency),
                treatment,
            });
        }
        let totals = vat::totals(&vat_lines, self.provider.currency).map_err(|e| AppError::Conflict(e.to_string()))?;
        let doc = NewDocument {
            kind: DocKind::Invoice,
            series: series.into(),
            customer_id: customer.id,
            issue_date: on,
            due_date: plus_days(on, term_days),
            currency: self.provider.currency,
            net: totals.net.minor,
            vat: totals.vat.minor,
            gross: totals.gross.minor,
            vat_breakdown: snapshot::breakdown(&totals),
            customer_snapshot: snapshot::customer(customer),
            provider_snapshot: snapshot::provider(&self.provider),
            language: customer.card.language.code().into(),
            credits_invoice_id: None,
            pro_forma_id: None,
            lines,
        };
        let due = doc.due_date;
        let issued = docs::issue(tx, &[doc]).await?.remove(0);
        payments::notify(
            tx,
            &[(
                customer.id,
                Notice::InvoiceIssued(DocumentIssued {
                    number: issued.number.clone(),
                    kind: DocKind::Invoice,
                    amount: totals.gross.minor,
                    open: totals.gross.minor,
                    due_date: due,
                    invoice_id: issued.id,
                    credits: None,
                }),
            )],
        )
        .await?;
        Ok(issued)
    }
}

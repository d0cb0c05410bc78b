//! The daily billing run for one date: subscriptions' lives move on (cancellations take effect,
//! opt-in renewals are offered or lapse), everything due is invoiced, overdue invoices are
//! dunned ([`crate::billing::dunning`]). Customers are taken in pages of [`PAGE`]; each page is one
//! transaction holding the issuing lock, which re-reads what it needs after taking it. So a run
//! killed half-way and run again, or two runs at once, end with exactly the documents one clean
//! run makes.
//!
//! One customer never stops the run for the others: what is due for each is decided apart (a
//! problem, or even a panic, skips that customer and is reported); a page whose writing fails is
//! written again customer by customer, each in a savepoint, skipping the one that fails. A skipped
//! customer is billed by the next run.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jiff::civil::Date;
use loket_domain::billing::notice::{DocumentIssued, Notice};
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::billing::catalog::Catalog;
use loket_store::billing::documents::{self as docs, DocKind, NewDocument};
use loket_store::billing::items;
use loket_store::billing::payments;
use loket_store::billing::subscriptions as subs;
use loket_store::customers::{Customer, customers_page};
use loket_store::{Conn, Tx};
use serde::Serialize;
use serde_json::json;

use crate::billing::due::{Ctx, CustomerPlan, Loaded, Source, plan_customer};
use crate::billing::{AppError, Billing, snapshot, terms_of};

/// Customers per transaction.
pub const PAGE: i64 = 500;

/// What a run did (or, dry, would do).
#[derive(Debug, Default, Clone, Serialize)]
pub struct Report {
    pub date: String,
    pub dry_run: bool,
    pub invoices: usize,
    pub pro_formas: usize,
    /// Gross total of the invoices issued, minor units.
    pub invoiced_gross: i64,
    pub documents: Vec<IssuedSummary>,
    pub ended: usize,
    pub renewal_offers: usize,
    pub lapsed: usize,
    pub reminders: usize,
    pub suspended_customers: usize,
    pub terminated_customers: usize,
    pub upcoming_reminders: usize,
    pub credit_notes: usize,
    /// Customers skipped because their billing failed (billed again by the next run).
    pub skipped_customers: usize,
    /// What could not be billed, and why.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssuedSummary {
    pub number: String,
    pub kind: &'static str,
    pub customer: String,
    pub gross: i64,
    pub due_date: String,
    /// Each line as people read it: description, period (first and last day) and the net
    /// amount in the currency (`Hosting 2026-01-01..2026-12-31 119.88 EUR`).
    pub lines: Vec<String>,
}

/// At most this many problems are listed in a report (all are counted and logged).
const MAX_PROBLEMS: usize = 1000;

impl Report {
    /// An empty report for a part of this run, to [`Report::absorb`] once that part is kept.
    pub(crate) fn part(&self) -> Report {
        Report { date: self.date.clone(), dry_run: self.dry_run, ..Default::default() }
    }

    /// Adds what a part of the run did.
    pub(crate) fn absorb(&mut self, part: Report) {
        self.invoices += part.invoices;
        self.pro_formas += part.pro_formas;
        self.invoiced_gross = self.invoiced_gross.saturating_add(part.invoiced_gross);
        let room = 10_000usize.saturating_sub(self.documents.len());
        self.documents.extend(part.documents.into_iter().take(room));
        self.ended += part.ended;
        self.renewal_offers += part.renewal_offers;
        self.lapsed += part.lapsed;
        self.reminders += part.reminders;
        self.suspended_customers += part.suspended_customers;
        self.terminated_customers += part.terminated_customers;
        self.upcoming_reminders += part.upcoming_reminders;
        self.credit_notes += part.credit_notes;
        self.skipped_customers += part.skipped_customers;
        let room = MAX_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(part.problems.into_iter().take(room));
    }

    pub(crate) fn problem(&mut self, message: String) {
        tracing::warn!(date = %self.date, problem = %message, "billing run");
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(message);
        }
    }
}

pub(crate) fn run_actor() -> Actor {
    Actor::new(ActorKind::System, "billing-run")
}

impl Billing {
    /// Runs billing for `date`. With `dry_run` everything is computed and rolled back.
    pub async fn run(&self, date: Date, dry_run: bool) -> Result<Report, AppError> {
        self.run_for(date, dry_run, None).await
    }

    /// Runs billing for one customer only (staff: "invoice now"), without dunning; its open
    /// one-off lines are invoiced now, on an invoice of their own if nothing else is due.
    pub async fn invoice_customer(&self, customer_id: i64, date: Date) -> Result<Report, AppError> {
        let now = Billing { items_now: true, ..self.clone() };
        now.run_for(date, false, Some(customer_id)).await
    }

    async fn run_for(&self, date: Date, dry_run: bool, only: Option<i64>) -> Result<Report, AppError> {
        let mut report = Report { date: date.to_string(), dry_run, ..Default::default() };
        let provider_snapshot = snapshot::provider(&self.provider);
        let mut after = 0i64;
        // A dry run keeps one transaction, so numbers continue across pages as they would.
        let mut dry_tx: Option<Tx> = None;
        loop {
            let mut own_tx = None;
            let tx: &mut Tx = if dry_run {
                if dry_tx.is_none() {
                    dry_tx = Some(self.begin_issuing().await?);
                }
                dry_tx.as_mut().ok_or(AppError::NotFound("transaction"))?
            } else {
                own_tx.insert(self.begin_issuing().await?)
            };
            let catalog = self.catalog(tx).await?;
            let (customers, last) = match only {
                Some(id) if after < id => {
                    let c: Vec<Customer> = customers_page(tx, id - 1, 1).await?.into_iter().filter(|c| c.id == id).collect();
                    let last = c.last().map(|c| c.id);
                    (c, last)
                }
                Some(_) => (Vec::new(), None),
                None => self.customers_page(tx, after, &mut report).await?,
            };
            if only.is_some() && customers.is_empty() && after == 0 {
                return Err(AppError::NotFound("customer"));
            }
            let Some(last) = last else { break };
            after = last;
            let plans = self.plan_isolated(tx, &catalog, &customers, date, &provider_snapshot, &mut report).await?;
            self.write_isolated(tx, &catalog, plans, date, &mut report).await?;
            if let Some(tx) = own_tx {
                loket_store::commit(tx).await?;
            }
        }
        if only.is_none() {
            self.dun(dry_tx.as_mut(), date, &mut report).await?;
        }
        if let Some(tx) = dry_tx {
            tx.rollback().await.map_err(loket_store::StoreError::from)?;
        }
        Ok(report)
    }

    /// The next page of cards and the last id it covers; a card that cannot be read is skipped
    /// and reported.
    async fn customers_page(&self, tx: &mut Conn, after: i64, report: &mut Report) -> Result<(Vec<Customer>, Option<i64>), AppError> {
        let whole = {
            let mut sp = loket_store::savepoint(tx).await?;
            match customers_page(&mut sp, after, PAGE).await {
                Ok(page) => {
                    loket_store::release(sp).await?;
                    Some(page)
                }
                Err(_) => None,
            }
        };
        if let Some(page) = whole {
            let last = page.last().map(|c| c.id);
            return Ok((page, last));
        }
        let ids = loket_store::customers::customer_ids_page(tx, after, PAGE).await?;
        let mut page = Vec::new();
        for id in &ids {
            let mut sp = loket_store::savepoint(tx).await?;
            match loket_store::customers::customer(&mut sp, *id).await {
                Ok(Some(c)) => {
                    loket_store::release(sp).await?;
                    page.push(c);
                }
                Ok(None) => {}
                Err(e) => {
                    drop(sp);
                    report.skipped_customers += 1;
                    report.problem(format!("customer id {id} skipped: {e}"));
                }
            }
        }
        Ok((page, ids.last().copied()))
    }

    /// [`Self::plan_page`] for a page; when reading the page fails (a stored value that cannot
    /// be read, a sum that does not fit), customer by customer, skipping those that fail.
    async fn plan_isolated(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        customers: &[Customer],
        date: Date,
        provider_snapshot: &loket_store::billing::documents::Party,
        report: &mut Report,
    ) -> Result<Vec<(Customer, CustomerPlan)>, AppError> {
        let whole = {
            let mut sp = loket_store::savepoint(tx).await?;
            let mut attempt = report.part();
            match self.plan_page(&mut sp, catalog, customers, date, provider_snapshot, &mut attempt).await {
                Ok(plans) => {
                    loket_store::release(sp).await?;
                    report.absorb(attempt);
                    Some(plans)
                }
                Err(e) => {
                    tracing::warn!(error = %e, "billing run: reading a page failed; reading its customers one by one");
                    None
                }
            }
        };
        if let Some(plans) = whole {
            return Ok(plans);
        }
        let mut plans = Vec::new();
        for one in customers.chunks(1) {
            let mut sp = loket_store::savepoint(tx).await?;
            let mut attempt = report.part();
            match self.plan_page(&mut sp, catalog, one, date, provider_snapshot, &mut attempt).await {
                Ok(p) => {
                    loket_store::release(sp).await?;
                    report.absorb(attempt);
                    plans.extend(p);
                }
                Err(e) => {
                    drop(sp);
                    report.skipped_customers += 1;
                    report.problem(format!("customer {} skipped: {e}", one[0].number));
                }
            }
        }
        Ok(plans)
    }

    /// Decides what is due for each customer of a page; a customer whose plan fails is skipped.
    async fn plan_page(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        customers: &[Customer],
        date: Date,
        provider_snapshot: &loket_store::billing::documents::Party,
        report: &mut Report,
    ) -> Result<Vec<(Customer, CustomerPlan)>, AppError> {
        let (Some(first), Some(last)) = (customers.first(), customers.last()) else { return Ok(Vec::new()) };
        let (from, to) = (first.id, last.id);
        let settings = catalog.settings(self.provider.currency);
        let mut loaded: HashMap<i64, Loaded> = HashMap::new();
        for s in subs::live_subscriptions(tx, from, to).await? {
            loaded.entry(s.customer_id).or_default().subs.push(s);
        }
        for i in items::open_items(tx, from, to, date).await? {
            loaded.entry(i.customer_id).or_default().items.push(i);
        }
        for p in items::open_projects(tx, from, to).await? {
            loaded.entry(p.customer_id).or_default().projects.push(p);
        }
        for (c, credit) in payments::credit_balances(tx, from, to).await? {
            if let Some(l) = loaded.get_mut(&c) {
                l.credit = credit;
            }
        }
        let ctx =
            Ctx { catalog, settings: &settings, date, seller: self.provider.address.country, provider_snapshot, items_now: self.items_now };
        let mut plans = Vec::new();
        for customer in customers {
            let Some(data) = loaded.remove(&customer.id) else { continue };
            match catch_unwind(AssertUnwindSafe(|| plan_customer(&ctx, customer, data))) {
                Ok(Ok(plan)) => {
                    for p in &plan.problems {
                        report.problem(format!("customer {}: {p}", customer.number));
                    }
                    plans.push((customer.clone(), plan));
                }
                Ok(Err(e)) => {
                    report.skipped_customers += 1;
                    report.problem(format!("customer {} skipped: {e}", customer.number));
                }
                Err(_) => {
                    report.skipped_customers += 1;
                    report.problem(format!("customer {} skipped: an internal error while planning (see the log)", customer.number));
                }
            }
        }
        Ok(plans)
    }

    /// Writes a page's plans in one go; if that fails, customer by customer in savepoints,
    /// skipping (and reporting) those that fail.
    async fn write_isolated(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        plans: Vec<(Customer, CustomerPlan)>,
        date: Date,
        report: &mut Report,
    ) -> Result<(), AppError> {
        if plans.is_empty() {
            return Ok(());
        }
        let mut attempt = report.part();
        let whole = {
            let mut sp = loket_store::savepoint(tx).await?;
            match self.write(&mut sp, catalog, &plans, date, &mut attempt).await {
                Ok(()) => loket_store::release(sp).await.map_err(AppError::from),
                Err(e) => Err(e),
            }
        };
        if whole.is_ok() {
            report.absorb(attempt);
            return Ok(());
        }
        for one in plans.chunks(1) {
            let mut attempt = report.part();
            let written = {
                let mut sp = loket_store::savepoint(tx).await?;
                match self.write(&mut sp, catalog, one, date, &mut attempt).await {
                    Ok(()) => loket_store::release(sp).await.map_err(AppError::from),
                    Err(e) => Err(e),
                }
            };
            match written {
                Ok(()) => report.absorb(attempt),
                Err(e) => {
                    report.skipped_customers += 1;
                    report.problem(format!("customer {} skipped: {e}", one[0].0.number));
                    audit::record(
                        tx,
                        &Change {
                            actor: &run_actor(),
                            action: "billing.skipped",
                            entity: "customer",
                            entity_id: Some(one[0].0.id.to_string()),
                            before: None,
                            after: Some(json!({"date": date.to_string(), "error": e.to_string()})),
                            request_id: None,
                        },
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn write(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        plans: &[(Customer, CustomerPlan)],
        date: Date,
        report: &mut Report,
    ) -> Result<(), AppError> {
        let number_of: HashMap<i64, &str> = plans.iter().map(|(c, _)| (c.id, c.number.as_str())).collect();
        let planned: Vec<&crate::billing::due::PlannedDoc> = plans.iter().flat_map(|(_, p)| p.docs.iter()).collect();
        let new_docs: Vec<&NewDocument> = planned.iter().map(|p| &p.doc).collect();
        let issued = docs::issue_refs(tx, &new_docs).await?;
        let mut until: HashMap<i64, Date> = HashMap::new();
        let mut item_rows = Vec::new();
        let mut credit_settle = Vec::new();
        let mut credit_ledger = Vec::new();
        let mut notifications: Vec<(i64, Notice)> = plans.iter().flat_map(|(_, p)| p.notifications.iter().cloned()).collect();
        for (p, issued) in planned.iter().zip(&issued) {
            let doc = &p.doc;
            for s in &p.sources {
                match *s {
                    Source::Period { subscription, until: u } => {
                        let e = until.entry(subscription).or_insert(u);
                        *e = (*e).max(u);
                    }
                    Source::Setup { .. } => {}
                    Source::Item { id, .. } => item_rows.push((id, issued.id)),
                    Source::Deposit(project) => items::set_project_invoice(tx, project, true, issued.id).await?,
                    Source::Balance(project) => items::set_project_invoice(tx, project, false, issued.id).await?,
                }
            }
            if p.credit_used > 0 {
                credit_settle.push((issued.id, p.credit_used, p.credit_used >= doc.gross, date));
                credit_ledger.push((doc.customer_id, -p.credit_used, "invoice", Some(issued.id), None));
            }
            match doc.kind {
                DocKind::ProForma => report.pro_formas += 1,
                _ => {
                    report.invoices += 1;
                    report.invoiced_gross = report.invoiced_gross.saturating_add(doc.gross);
                }
            }
            notifications.push((
                doc.customer_id,
                Notice::InvoiceIssued(DocumentIssued {
                    number: issued.number.clone(),
                    kind: doc.kind,
                    amount: doc.gross,
                    open: doc.gross - p.credit_used,
                    due_date: doc.due_date,
                    invoice_id: issued.id,
                    credits: None,
                }),
            ));
            if report.documents.len() < 10_000 {
                report.documents.push(IssuedSummary {
                    number: issued.number.clone(),
                    kind: doc.kind.name(),
                    customer: number_of.get(&doc.customer_id).map(|n| n.to_string()).unwrap_or_default(),
                    gross: doc.gross,
                    due_date: doc.due_date.to_string(),
                    lines: doc
                        .lines
                        .iter()
                        .map(|l| {
                            let net = loket_domain::Money::new(l.net, self.provider.currency);
                            match l.period {
                                Some((f, t)) => format!("{} {}..{} {net}", l.description, f, t.yesterday().unwrap_or(t)),
                                None => format!("{} {net}", l.description),
                            }
                        })
                        .collect(),
                });
            }
        }
        // Subscriptions billed for the first time get their set-up fee with it (setup_invoiced).
        let mut until: Vec<(i64, Date)> = until.into_iter().collect();
        until.sort();
        subs::set_invoiced_until(tx, &until).await?;
        items::mark_items(tx, &item_rows).await?;
        if !credit_settle.is_empty() {
            docs::settle_many(tx, &credit_settle).await?;
            payments::add_credit(tx, self.provider.currency, &credit_ledger).await?;
        }
        let lives: Vec<(i64, loket_domain::billing::lifecycle::Life)> = plans.iter().flat_map(|(_, p)| p.lives.iter().copied()).collect();
        subs::save_lives(tx, &lives).await?;
        for (id, hash) in plans.iter().flat_map(|(_, p)| p.renewal_tokens.iter()) {
            subs::set_renewal_token(tx, *id, Some(hash)).await?;
        }
        for (customer, plan) in plans {
            report.ended += plan.ended;
            report.renewal_offers += plan.renewal_offers;
            report.lapsed += plan.lapsed;
            report.upcoming_reminders += plan.upcoming_reminders;
            for &(sid, end, ending) in &plan.ends_to_settle {
                let Some(s) = subs::subscription(tx, sid).await? else { continue };
                let Some((terms, _)) = terms_of(catalog, &s) else { continue };
                let notes = self.settle_end(tx, catalog, &s, terms, end, date, ending, customer.card.language, &run_actor()).await?;
                report.credit_notes += notes.len();
            }
        }
        payments::notify(tx, &notifications).await?;
        if !issued.is_empty() {
            let numbers: Vec<&str> = issued.iter().map(|i| i.number.as_str()).collect();
            audit::record(
                tx,
                &Change {
                    actor: &run_actor(),
                    action: "billing.issue",
                    entity: "invoice",
                    entity_id: None,
                    before: None,
                    after: Some(json!({"date": date.to_string(), "numbers": numbers})),
                    request_id: None,
                },
            )
            .await?;
        }
        Ok(())
    }
}

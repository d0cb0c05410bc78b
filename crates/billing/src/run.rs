//! The daily billing run for one date: subscriptions' lives move on (cancellations take effect,
//! opt-in renewals are offered or lapse), everything due is invoiced, overdue invoices are
//! dunned. Customers are taken in pages of [`PAGE`]; each page is one transaction holding the
//! issuing lock, which re-reads what it needs after taking the lock. So a run killed half-way
//! and run again, or two runs at once, end with exactly the documents one clean run makes.

use std::collections::HashMap;

use jiff::civil::Date;
use loket_domain::billing::catalog::parse_vat_category;
use loket_domain::billing::dunning::{DunningStep, project_balance_due, project_deposit};
use loket_domain::billing::invoicing::{Charge, Draft, Group, apply_credit, compose};
use loket_domain::billing::lifecycle::SubscriptionState;
use loket_domain::billing::plan::{Schedule, periods_due};
use loket_domain::billing::{RenewalMode, Terms};
use loket_domain::customer::CustomerKind;
use loket_domain::{Money, vat::VatCategory};
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::billing::catalog::{Catalog, PlanRow, load_catalog};
use loket_store::billing::documents::{self as docs, DocKind, NewDocument, NewLine};
use loket_store::billing::payments;
use loket_store::billing::subscriptions::{self as subs, StateChange, Subscription};
use loket_store::customers::{Customer, customers_page};
use loket_store::{Conn, Tx};
use serde::Serialize;
use serde_json::json;

use crate::{Billing, BillingError, snapshot};

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
    /// Subscriptions that could not be billed, and why.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IssuedSummary {
    pub number: String,
    pub kind: &'static str,
    pub customer: String,
    pub gross: i64,
    pub due_date: String,
    pub lines: Vec<String>,
}

/// Where a charge came from, to record it as invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Period { subscription: i64, until: Date },
    Setup { subscription: i64 },
    Item(i64),
    Deposit(i64),
    Balance(i64),
}

impl Source {
    fn subscription(self) -> Option<i64> {
        match self {
            Source::Period { subscription, .. } | Source::Setup { subscription } => Some(subscription),
            _ => None,
        }
    }
}

/// The terms that apply to a subscription: its own, or its plan's.
pub fn terms_of<'a>(catalog: &'a Catalog, s: &Subscription) -> Option<(&'a Terms, &'a PlanRow)> {
    let plan = catalog.plans.get(&s.plan_id)?;
    let terms = catalog.terms.get(&s.terms_id.unwrap_or(plan.terms_id))?;
    Some((&terms.terms, plan))
}

/// The net price of one billing period of a subscription.
pub fn price_of(s: &Subscription, terms: &Terms, plan: &PlanRow) -> Option<Money> {
    match s.price {
        Some(p) => Some(Money::new(p, plan.currency)),
        None => plan.price_for(terms.billing_period),
    }
}

/// The date the billing of a subscription stops (exclusive), if any: its end, or for an opt-in
/// renewal the end of the last confirmed term.
pub fn billing_end(s: &Subscription, terms: &Terms, consumer: bool) -> Option<Date> {
    let confirmed = if terms.renewal_mode(consumer) == RenewalMode::OptIn { s.renewed_until } else { None };
    match (s.ends_on, confirmed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn bills(state: SubscriptionState) -> bool {
    state.is_running() || matches!(state, SubscriptionState::Suspended | SubscriptionState::PendingPayment)
}

struct Page {
    docs: Vec<(NewDocument, Vec<Source>, i64)>,
    state_changes: Vec<StateChange>,
    renewal_tokens: Vec<(i64, String)>,
    notifications: Vec<(i64, &'static str, serde_json::Value)>,
}

impl Billing {
    /// Runs billing for `date`. With `dry_run` everything is computed and rolled back.
    pub async fn run(&self, date: Date, dry_run: bool) -> Result<Report, BillingError> {
        self.run_for(date, dry_run, None).await
    }

    /// Runs billing for one customer only (staff: "invoice now"), without dunning.
    pub async fn invoice_customer(&self, customer_id: i64, date: Date) -> Result<Report, BillingError> {
        self.run_for(date, false, Some(customer_id)).await
    }

    async fn run_for(&self, date: Date, dry_run: bool, only: Option<i64>) -> Result<Report, BillingError> {
        let mut report = Report { date: date.to_string(), dry_run, ..Default::default() };
        let catalog = {
            let mut conn = self.store.acquire().await?;
            load_catalog(&mut conn, self.provider.currency).await?
        };
        let provider_snapshot = snapshot::provider(&self.provider);
        let mut after = 0i64;
        // A dry run keeps one transaction, so numbers continue across pages as they would.
        let mut dry_tx: Option<Tx> = None;
        loop {
            let mut own_tx = None;
            let tx: &mut Tx = if dry_run {
                if dry_tx.is_none() {
                    dry_tx = Some(self.store.begin().await?);
                }
                dry_tx.as_mut().expect("set above")
            } else {
                own_tx = Some(self.store.begin().await?);
                own_tx.as_mut().expect("set above")
            };
            loket_store::billing::lock_issuing(tx, self.store.backend()).await?;
            let customers = match only {
                Some(id) if after < id => customers_page(tx, id - 1, 1).await?.into_iter().filter(|c| c.id == id).collect(),
                Some(_) => Vec::new(),
                None => customers_page(tx, after, PAGE).await?,
            };
            if only.is_some() && customers.is_empty() && after == 0 {
                return Err(BillingError::NotFound("customer"));
            }
            let Some(last) = customers.last() else { break };
            let (from, to) = (customers[0].id, last.id);
            after = to;
            let page = self.plan_page(tx, &catalog, &customers, from, to, date, &provider_snapshot, &mut report).await?;
            self.write_page(tx, page, &customers, date, &mut report).await?;
            if let Some(tx) = own_tx {
                loket_store::commit(tx).await?;
            }
        }
        if only.is_none() {
            self.dun(dry_tx.as_mut(), &catalog, date, &mut report).await?;
        }
        if let Some(tx) = dry_tx {
            tx.rollback().await.map_err(loket_store::StoreError::from)?;
        }
        Ok(report)
    }

    #[allow(clippy::too_many_arguments)]
    async fn plan_page(
        &self,
        tx: &mut Conn,
        catalog: &Catalog,
        customers: &[Customer],
        from: i64,
        to: i64,
        date: Date,
        provider_snapshot: &serde_json::Value,
        report: &mut Report,
    ) -> Result<Page, BillingError> {
        let settings = catalog.settings(self.provider.currency);
        let all_subs = subs::live_subscriptions(tx, from, to).await?;
        let all_items = docs::open_items(tx, from, to, date).await?;
        let all_projects = docs::open_projects(tx, from, to).await?;
        let credit: HashMap<i64, i64> = payments::credit_balances(tx, from, to).await?.into_iter().collect();
        let mut by_customer: HashMap<i64, Vec<Subscription>> = HashMap::new();
        for s in all_subs {
            by_customer.entry(s.customer_id).or_default().push(s);
        }
        let mut items_by: HashMap<i64, Vec<docs::Item>> = HashMap::new();
        for i in all_items {
            items_by.entry(i.customer_id).or_default().push(i);
        }
        let mut projects_by: HashMap<i64, Vec<docs::Project>> = HashMap::new();
        for p in all_projects {
            projects_by.entry(p.customer_id).or_default().push(p);
        }
        let mut page = Page { docs: Vec::new(), state_changes: Vec::new(), renewal_tokens: Vec::new(), notifications: Vec::new() };
        for customer in customers {
            let subs = by_customer.remove(&customer.id).unwrap_or_default();
            let items = items_by.remove(&customer.id).unwrap_or_default();
            let projects = projects_by.remove(&customer.id).unwrap_or_default();
            if subs.is_empty() && items.is_empty() && projects.is_empty() {
                continue;
            }
            let consumer = customer.card.kind == CustomerKind::Consumer;
            let mut charges: Vec<Charge<Source>> = Vec::new();
            for s in &subs {
                let Some((terms, plan)) = terms_of(catalog, s) else {
                    report.problems.push(format!("subscription {}: its plan or terms are missing", s.id));
                    continue;
                };
                let Some(product) = catalog.products.get(&plan.product_id) else { continue };
                let mut state = s.state;
                let mut change: Option<StateChange> = None;
                let mut notice: Option<(&'static str, serde_json::Value)> = None;
                let base = |state| StateChange {
                    id: s.id,
                    state,
                    ends_on: s.ends_on,
                    renewed_until: s.renewed_until,
                    renewal_offered_for: s.renewal_offered_for,
                };
                // 1. A cancellation takes effect.
                if state == SubscriptionState::CancellationRequested && s.ends_on.is_some_and(|e| e <= date) {
                    state = SubscriptionState::Ended;
                    change = Some(base(state));
                    report.ended += 1;
                }
                // 2. Opt-in renewal: offer it ahead, or let it lapse.
                let opt_in = terms.renewal_mode(consumer) == RenewalMode::OptIn;
                if opt_in && let Some(until) = s.renewed_until {
                    let offer_from = until.checked_sub(jiff::Span::new().days(i64::from(settings.renewal_offer_days))).unwrap_or(until);
                    if state == SubscriptionState::RenewalOffered && date >= until {
                        state = SubscriptionState::Lapsed;
                        change = Some(StateChange { ends_on: Some(until), ..base(state) });
                        notice = Some(("lapsed", json!({"subscription": s.label, "plan": plan.name, "ended": until.to_string()})));
                        report.lapsed += 1;
                    } else if state == SubscriptionState::Active && date >= offer_from && s.renewal_offered_for != Some(until) {
                        state = SubscriptionState::RenewalOffered;
                        change = Some(StateChange { renewal_offered_for: Some(until), ..base(state) });
                        let token = loket_auth::new_token();
                        page.renewal_tokens.push((s.id, loket_auth::token_hash(&token)));
                        let next_end = terms.term_at(s.start_date, until).end;
                        let price = price_of(s, terms, plan).map(|p| p.minor).unwrap_or(0);
                        notice = Some((
                            "renewal_offer",
                            json!({"subscription": s.label, "plan": plan.name, "until": until.to_string(), "next_end": next_end.to_string(),
                                   "amount": price, "token": token}),
                        ));
                        report.renewal_offers += 1;
                    }
                }
                if let Some(c) = change {
                    page.state_changes.push(c);
                }
                if let Some((kind, data)) = notice {
                    page.notifications.push((customer.id, kind, data));
                }
                // 3. What is due.
                if !bills(state) {
                    continue;
                }
                let pending = state == SubscriptionState::PendingPayment;
                if pending && s.invoiced_until.is_some() {
                    continue;
                }
                let Some(price) = price_of(s, terms, plan) else {
                    report.problems.push(format!("subscription {}: plan {} has no price for its billing period", s.id, plan.code));
                    continue;
                };
                let ends = billing_end(s, terms, consumer);
                let schedule = Schedule { terms, start: s.start_date, ends, ordered: s.ordered_on, price };
                let mut due = periods_due(&schedule, s.invoiced_until, date);
                if pending {
                    due.truncate(1);
                }
                let group = if pending && settings.prepay_with_pro_forma {
                    Group::ProForma(s.id)
                } else if terms.consolidate {
                    Group::Consolidated
                } else {
                    Group::Alone(s.id)
                };
                let description = if s.label.is_empty() { plan.name.clone() } else { format!("{} — {}", plan.name, s.label) };
                if !due.is_empty() && !s.setup_invoiced && plan.setup_fee.minor > 0 {
                    charges.push(Charge {
                        source: Source::Setup { subscription: s.id },
                        description: format!("{description} (set-up)"),
                        period: None,
                        quantity_milli: 1000,
                        unit_price: plan.setup_fee,
                        category: product.product.vat_category,
                        payment_term_days: terms.payment_term_days,
                        group,
                    });
                }
                for d in due {
                    charges.push(Charge {
                        source: Source::Period { subscription: s.id, until: d.to },
                        description: description.clone(),
                        period: Some((d.from, d.to)),
                        quantity_milli: 1000,
                        unit_price: d.amount,
                        category: product.product.vat_category,
                        payment_term_days: terms.payment_term_days,
                        group,
                    });
                }
                // The reminder some customers asked for, ahead of the next invoice.
                if customer.card.wants_invoice_reminder && bills(state) {
                    let ahead = date.checked_add(jiff::Span::new().days(i64::from(settings.upcoming_invoice_days))).unwrap_or(date);
                    let until = charges
                        .iter()
                        .filter_map(|c| match c.source {
                            Source::Period { subscription, until } if subscription == s.id => Some(until),
                            _ => None,
                        })
                        .max()
                        .or(s.invoiced_until);
                    if let Some(next) = periods_due(&schedule, until, ahead).into_iter().find(|p| p.planned == ahead) {
                        page.notifications.push((
                            customer.id,
                            "upcoming_invoice",
                            json!({"subscription": s.label, "plan": plan.name, "date": next.planned.to_string(), "amount": next.amount.minor,
                                   "from": next.from.to_string(), "to": next.to.yesterday().unwrap_or(next.to).to_string()}),
                        ));
                        report.upcoming_reminders += 1;
                    }
                }
            }
            for item in &items {
                charges.push(Charge {
                    source: Source::Item(item.id),
                    description: item.description.clone(),
                    period: item.period_from.zip(item.period_to),
                    quantity_milli: item.quantity_milli,
                    unit_price: Money::new(item.unit_price, item.currency),
                    category: parse_vat_category(&item.vat_category).unwrap_or(VatCategory::Standard),
                    payment_term_days: 14,
                    group: Group::Follow,
                });
            }
            for p in &projects {
                let category = parse_vat_category(&p.vat_category).unwrap_or(VatCategory::Standard);
                let total = Money::new(p.total, p.currency);
                let deposit = project_deposit(total, p.deposit_percent as u32);
                if p.deposit_invoice_id.is_none() && p.signed_on <= date && deposit.minor > 0 {
                    charges.push(Charge {
                        source: Source::Deposit(p.id),
                        description: format!("{} — {}%", p.description, p.deposit_percent),
                        period: None,
                        quantity_milli: 1000,
                        unit_price: deposit,
                        category,
                        payment_term_days: 0,
                        group: Group::Alone(-p.id),
                    });
                }
                if project_balance_due(p.signed_on, p.delivered_on, settings.project_balance_days) <= date {
                    charges.push(Charge {
                        source: Source::Balance(p.id),
                        description: format!("{} — saldo", p.description),
                        period: None,
                        quantity_milli: 1000,
                        unit_price: Money::new(p.total - deposit.minor, p.currency),
                        category,
                        payment_term_days: 14,
                        group: Group::Alone(-p.id - 1_000_000_000),
                    });
                }
            }
            if charges.is_empty() {
                continue;
            }
            // One-off lines wait for the customer's next invoice ("settled on the next invoice");
            // a customer without running services gets them on an invoice of their own on the 1st.
            let loose_alone = date.day() == 1 && !subs.iter().any(|s| bills(s.state));
            let (drafts, _waiting) = match compose(date, self.provider.address.country, snapshot::buyer(customer), charges, loose_alone) {
                Ok(x) => x,
                Err(e) => {
                    report.problems.push(format!("customer {}: {e}", customer.number));
                    continue;
                }
            };
            let mut balance = credit.get(&customer.id).copied().unwrap_or(0);
            let customer_snapshot = snapshot::customer(customer);
            for draft in drafts {
                let (used, left) = if draft.pro_forma {
                    (Money::new(0, draft.totals.gross.currency), Money::new(balance, draft.totals.gross.currency))
                } else {
                    apply_credit(draft.totals.gross, Money::new(balance, draft.totals.gross.currency))
                };
                balance = left.minor;
                page.docs.push(self.document(customer, &customer_snapshot, provider_snapshot, &settings, draft, used.minor));
            }
        }
        Ok(page)
    }

    fn document(
        &self,
        customer: &Customer,
        customer_snapshot: &serde_json::Value,
        provider_snapshot: &serde_json::Value,
        settings: &loket_domain::billing::catalog::Settings,
        draft: Draft<Source>,
        credit_used: i64,
    ) -> (NewDocument, Vec<Source>, i64) {
        let kind = if draft.pro_forma { DocKind::ProForma } else { DocKind::Invoice };
        let series = if draft.pro_forma { settings.pro_forma_series.clone() } else { settings.invoice_series.clone() };
        let sources: Vec<Source> = draft.lines.iter().map(|l| l.source).collect();
        let lines = draft
            .lines
            .iter()
            .map(|l| NewLine {
                description: l.description.clone(),
                period: l.period,
                quantity_milli: l.quantity_milli,
                unit_price: l.unit_price.minor,
                net: l.net.minor,
                vat_code: l.treatment.code().to_string(),
                vat_rate: l.treatment.rate(),
                subscription_id: l.source.subscription(),
                item_id: match l.source {
                    Source::Item(id) => Some(id),
                    _ => None,
                },
            })
            .collect();
        let doc = NewDocument {
            kind,
            series,
            customer_id: customer.id,
            issue_date: draft.issue_date,
            due_date: draft.due_date,
            currency: draft.totals.gross.currency,
            net: draft.totals.net.minor,
            vat: draft.totals.vat.minor,
            gross: draft.totals.gross.minor,
            vat_breakdown: snapshot::breakdown(&draft.totals),
            customer_snapshot: customer_snapshot.clone(),
            provider_snapshot: provider_snapshot.clone(),
            language: customer.card.language.code().to_string(),
            credits_invoice_id: None,
            pro_forma_id: None,
            lines,
        };
        (doc, sources, credit_used)
    }

    async fn write_page(
        &self,
        tx: &mut Conn,
        page: Page,
        customers: &[Customer],
        date: Date,
        report: &mut Report,
    ) -> Result<(), BillingError> {
        let number_of: HashMap<i64, &str> = customers.iter().map(|c| (c.id, c.number.as_str())).collect();
        let new_docs: Vec<NewDocument> = page.docs.iter().map(|(d, _, _)| d.clone()).collect();
        let issued = docs::issue(tx, &new_docs).await?;
        let mut until: HashMap<i64, Date> = HashMap::new();
        let mut items = Vec::new();
        let mut credit_settle = Vec::new();
        let mut credit_ledger = Vec::new();
        let mut notifications = page.notifications;
        let currency = self.provider.currency;
        for ((doc, sources, credit_used), issued) in page.docs.iter().zip(&issued) {
            for s in sources {
                match *s {
                    Source::Period { subscription, until: u } => {
                        let e = until.entry(subscription).or_insert(u);
                        *e = (*e).max(u);
                    }
                    Source::Setup { .. } => {}
                    Source::Item(id) => items.push((id, issued.id)),
                    Source::Deposit(p) => docs::set_project_invoice(tx, p, true, issued.id).await?,
                    Source::Balance(p) => docs::set_project_invoice(tx, p, false, issued.id).await?,
                }
            }
            if *credit_used > 0 {
                credit_settle.push((issued.id, *credit_used, *credit_used >= doc.gross, date));
                credit_ledger.push((doc.customer_id, -*credit_used, "invoice", Some(issued.id), None));
            }
            match doc.kind {
                DocKind::ProForma => report.pro_formas += 1,
                _ => {
                    report.invoices += 1;
                    report.invoiced_gross += doc.gross;
                }
            }
            notifications.push((
                doc.customer_id,
                "invoice_issued",
                json!({"number": issued.number, "kind": doc.kind.name(), "amount": doc.gross, "open": doc.gross - credit_used,
                       "due_date": doc.due_date.to_string(), "invoice_id": issued.id}),
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
                        .map(|l| match l.period {
                            Some((f, t)) => format!("{} {}..{} {}", l.description, f, t, l.net),
                            None => format!("{} {}", l.description, l.net),
                        })
                        .collect(),
                });
            }
        }
        // Subscriptions billed for the first time get their set-up fee with it (setup_invoiced).
        let mut until: Vec<(i64, Date)> = until.into_iter().collect();
        until.sort();
        subs::set_invoiced_until(tx, &until).await?;
        docs::mark_items(tx, &items).await?;
        if !credit_settle.is_empty() {
            docs::settle_many(tx, &credit_settle).await?;
            payments::add_credit(tx, currency, &credit_ledger).await?;
        }
        for change in &page.state_changes {
            subs::change_state(tx, change).await?;
        }
        for (id, hash) in &page.renewal_tokens {
            subs::set_renewal_token(tx, *id, Some(hash)).await?;
        }
        payments::notify(tx, &notifications).await?;
        if !issued.is_empty() {
            let numbers: Vec<&str> = issued.iter().map(|i| i.number.as_str()).collect();
            audit::record(
                tx,
                &Change {
                    actor: &Actor::new(ActorKind::System, "billing-run"),
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

    /// Dunning for `date`: reminders, suspension and termination of overdue customers.
    async fn dun(&self, dry_tx: Option<&mut Tx>, catalog: &Catalog, date: Date, report: &mut Report) -> Result<(), BillingError> {
        let settings = catalog.settings(self.provider.currency);
        let mut own = None;
        let tx: &mut Tx = match dry_tx {
            Some(t) => t,
            None => {
                own = Some(self.store.begin().await?);
                own.as_mut().expect("set above")
            }
        };
        loket_store::billing::lock_issuing(tx, self.store.backend()).await?;
        let overdue = docs::overdue(tx, date).await?;
        let ids: Vec<i64> = overdue.iter().map(|d| d.id).collect();
        let mut taken: HashMap<i64, Vec<DunningStep>> = HashMap::new();
        for (id, step) in payments::dunning_taken(tx, &ids).await? {
            if let Some(s) = parse_step(&step) {
                taken.entry(id).or_default().push(s);
            }
        }
        let mut suspended: Vec<i64> = Vec::new();
        let mut terminated: Vec<i64> = Vec::new();
        let mut notifications = Vec::new();
        for inv in &overdue {
            let steps = settings.dunning.steps_due(inv.due_date, date, taken.get(&inv.id).map(Vec::as_slice).unwrap_or(&[]));
            for step in steps {
                payments::record_dunning(tx, inv.id, &step_name(step), date).await?;
                match step {
                    DunningStep::Reminder(n) => {
                        report.reminders += 1;
                        notifications.push((
                            inv.customer_id,
                            "reminder",
                            json!({"number": inv.number, "amount": inv.open_amount(), "due_date": inv.due_date.to_string(), "reminder": n + 1,
                                   "invoice_id": inv.id}),
                        ));
                    }
                    DunningStep::Suspend if !suspended.contains(&inv.customer_id) => {
                        let ids = subs::set_customer_suspended(tx, inv.customer_id, true).await?;
                        if !ids.is_empty() {
                            suspended.push(inv.customer_id);
                            report.suspended_customers += 1;
                            notifications.push((inv.customer_id, "suspended", json!({"number": inv.number, "amount": inv.open_amount()})));
                        }
                    }
                    DunningStep::Terminate if !terminated.contains(&inv.customer_id) => {
                        let ids = subs::terminate_customer(tx, inv.customer_id, date).await?;
                        if !ids.is_empty() {
                            terminated.push(inv.customer_id);
                            report.terminated_customers += 1;
                            notifications.push((inv.customer_id, "terminated", json!({"number": inv.number, "amount": inv.open_amount()})));
                        }
                    }
                    _ => {}
                }
            }
        }
        payments::notify(tx, &notifications).await?;
        if let Some(tx) = own {
            loket_store::commit(tx).await?;
        }
        Ok(())
    }
}

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

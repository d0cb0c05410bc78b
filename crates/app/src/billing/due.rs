//! What one customer gets on a run date, decided from what the run loaded for them — no I/O:
//! lives move on (cancellations take effect, opt-in renewals are offered or lapse), the periods
//! due are charged, one-off lines and project instalments join them, and the charges become
//! documents with the customer's credit applied.

use jiff::civil::Date;
use loket_domain::billing::catalog::{Settings, parse_vat_category};
use loket_domain::billing::dunning::{project_balance_due, project_deposit};
use loket_domain::billing::invoicing::{Charge, Draft, Group, apply_credit, compose};
use loket_domain::billing::lifecycle::{Event, Life, Phase};
use loket_domain::billing::notice::{Notice, RenewalOffer, ServiceEnded, UpcomingInvoice};
use loket_domain::billing::plan::{Schedule, periods_due};
use loket_domain::billing::settlement::Ending;
use loket_domain::billing::{RenewalMode, plus_days};
use loket_domain::customer::CustomerKind;
use loket_domain::{Country, Money, vat::VatCategory};
use loket_store::billing::catalog::Catalog;
use loket_store::billing::documents::{DocKind, NewDocument, NewLine};
use loket_store::billing::items::{Item, Project};
use loket_store::billing::subscriptions::Subscription;
use loket_store::customers::Customer;

use crate::billing::{billing_end, price_of, snapshot, terms_of, texts, with_vat};

/// Where a charge came from, to record it as invoiced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Period { subscription: i64, until: Date },
    Setup { subscription: i64 },
    Item { id: i64, subscription: Option<i64> },
    Deposit(i64),
    Balance(i64),
}

impl Source {
    fn subscription(self) -> Option<i64> {
        match self {
            Source::Period { subscription, .. } | Source::Setup { subscription } => Some(subscription),
            Source::Item { subscription, .. } => subscription,
            _ => None,
        }
    }
}

/// What the run knows for everyone on a date.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub settings: &'a Settings,
    pub date: Date,
    pub seller: Country,
    pub provider_snapshot: &'a loket_store::billing::documents::Party,
    /// See `Billing::invoice_customer`.
    pub items_now: bool,
}

/// What the run loaded for one customer.
#[derive(Default)]
pub(crate) struct Loaded {
    pub subs: Vec<Subscription>,
    pub items: Vec<Item>,
    pub projects: Vec<Project>,
    pub credit: i64,
}

/// A document to issue with where its lines came from and the credit it uses.
pub(crate) struct PlannedDoc {
    pub doc: NewDocument,
    pub sources: Vec<Source>,
    pub credit_used: i64,
}

/// Everything the run does for one customer.
#[derive(Default)]
pub(crate) struct CustomerPlan {
    pub docs: Vec<PlannedDoc>,
    /// Subscriptions whose life changed, with their new life.
    pub lives: Vec<(i64, Life)>,
    /// Subscriptions that lapsed after more was invoiced than their last confirmed term, or
    /// add-ons that end with their main service, with how they ended.
    pub ends_to_settle: Vec<(i64, Date, Ending)>,
    pub renewal_tokens: Vec<(i64, String)>,
    pub notifications: Vec<(i64, Notice)>,
    /// Subscriptions that could not be billed (the others of the customer were).
    pub problems: Vec<String>,
    pub ended: usize,
    pub renewal_offers: usize,
    pub lapsed: usize,
    pub upcoming_reminders: usize,
}

/// The plan for `customer` on `ctx.date`. An error means nothing is done for this customer today
/// (and the next run tries again); it never stops the run for others.
pub(crate) fn plan_customer(ctx: &Ctx<'_>, customer: &Customer, loaded: Loaded) -> Result<CustomerPlan, String> {
    let mut plan = CustomerPlan::default();
    let consumer = customer.card.kind == CustomerKind::Consumer;
    let lang = customer.card.language;
    let date = ctx.date;
    let mut charges: Vec<Charge<Source>> = Vec::new();
    let mut any_billed = false;
    // Services that end today or have ended, with their end: their add-ons end with them.
    let mut ended_mains: std::collections::HashMap<i64, Date> = std::collections::HashMap::new();
    for s in &loaded.subs {
        let Some((terms, plan_row)) = terms_of(ctx.catalog, s) else {
            plan.problems.push(format!("subscription {}: its plan or terms are missing", s.id));
            continue;
        };
        let Some(product) = ctx.catalog.products.get(&plan_row.product_id) else {
            plan.problems.push(format!("subscription {}: its product is missing", s.id));
            continue;
        };
        // 1. The day begins: a cancellation takes effect, an offered renewal not taken lapses.
        let before = s.life();
        let mut life = before.apply(Event::DayBegins(date)).unwrap_or(before);
        if life.phase == Phase::Ended && before.phase != Phase::Ended {
            plan.ended += 1;
        }
        if life.phase == Phase::Lapsed && before.phase != Phase::Lapsed {
            let until = life.ends_on.unwrap_or(date);
            plan.notifications.push((
                customer.id,
                Notice::Lapsed(ServiceEnded {
                    subscription: s.label.clone(),
                    plan: plan_row.name.clone(),
                    ended: until,
                    last_day: until.yesterday().unwrap_or(until),
                }),
            ));
            plan.lapsed += 1;
            if s.invoiced_until.is_some_and(|u| u > until) {
                plan.ends_to_settle.push((s.id, until, Ending::Own));
            }
        }
        // An add-on whose main service lapsed ends with it (a cancellation or an end of the
        // main service ended it when it was recorded). Add-ons come after their main service:
        // ids are in order, and a main service exists before its add-ons.
        if let Some(main_end) = s.parent_id.and_then(|p| ended_mains.get(&p).copied())
            && !life.is_final()
            && let Ok(with_main) = life.apply(Event::MainEnds { received: date, effective: main_end })
        {
            let ended = with_main.apply(Event::DayBegins(date)).unwrap_or(with_main);
            let end = ended.ends_on.unwrap_or(main_end);
            if ended.phase == Phase::Ended {
                plan.ended += 1;
            }
            plan.notifications.push((
                customer.id,
                Notice::Ended(ServiceEnded {
                    subscription: s.label.clone(),
                    plan: plan_row.name.clone(),
                    ended: end,
                    last_day: end.yesterday().unwrap_or(end),
                }),
            ));
            if s.invoiced_until.is_some_and(|u| u > end) {
                plan.ends_to_settle.push((s.id, end, Ending::WithMain));
            }
            life = ended;
        }
        if life.is_final() {
            ended_mains.insert(s.id, life.ends_on.unwrap_or(date));
        }
        // 2. Opt-in renewal (Wet Van Dam): offered ahead of the end of the confirmed term.
        let opt_in = terms.renewal_mode(consumer) == RenewalMode::OptIn;
        if opt_in
            && let Some(until) = life.renewed_until
            && life.phase == Phase::Active
            && life.ends_on.is_none()
            && date >= plus_days(until, -i64::from(ctx.settings.renewal_offer_days))
            && life.renewal_offered_for != Some(until)
            && let Ok(offered) = life.apply(Event::OfferRenewal { term_end: until })
        {
            life = offered;
            let token = loket_auth::new_token();
            plan.renewal_tokens.push((s.id, loket_auth::token_hash(&token)));
            let next_end = terms.term_at(s.start_date, until).end;
            let net = price_of(s, terms, plan_row).unwrap_or(Money::new(0, plan_row.currency));
            let price = if consumer { with_vat(ctx.seller, customer, product.product.vat_category, net) } else { net }.minor;
            plan.notifications.push((
                customer.id,
                Notice::RenewalOffer(RenewalOffer {
                    subscription: s.label.clone(),
                    plan: plan_row.name.clone(),
                    until,
                    last_day: until.yesterday().unwrap_or(until),
                    next_end,
                    next_last_day: next_end.yesterday().unwrap_or(next_end),
                    amount: price,
                    vat_included: consumer,
                    token,
                }),
            ));
            plan.renewal_offers += 1;
        }
        if life != before {
            plan.lives.push((s.id, life));
        }
        // 3. What is due.
        if !life.is_billed() {
            continue;
        }
        any_billed = true;
        let pending = life.phase == Phase::PendingPayment;
        if pending && s.invoiced_until.is_some() {
            continue;
        }
        let Some(price) = price_of(s, terms, plan_row) else {
            plan.problems.push(format!("subscription {}: plan {} has no price for its billing period", s.id, plan_row.code));
            continue;
        };
        let mut with_ends = s.clone();
        with_ends.set_life(life);
        let ends = billing_end(&with_ends, terms, consumer);
        // An add-on waiting for payment is asked for its own period first; once paid it joins
        // its main service's periods.
        let aligned_to = if pending { None } else { s.aligned_to };
        let schedule = Schedule { terms, start: s.start_date, ends, ordered: s.ordered_on, price, aligned_to };
        let mut due = periods_due(&schedule, s.invoiced_until, date);
        if pending {
            due.truncate(1);
        }
        let group = if pending && ctx.settings.prepay_with_pro_forma {
            // Services ordered together on consolidating terms get one payment request.
            Group::ProForma(if terms.consolidate { 0 } else { s.id })
        } else if terms.consolidate {
            Group::Consolidated
        } else {
            // An add-on is on its main service's invoice.
            Group::Alone(s.parent_id.unwrap_or(s.id))
        };
        let description = texts::service(&plan_row.name, &s.label);
        if !due.is_empty() && !s.setup_invoiced && plan_row.setup_fee.minor > 0 {
            charges.push(Charge {
                source: Source::Setup { subscription: s.id },
                description: texts::setup(lang, &description),
                period: None,
                quantity_milli: 1000,
                unit_price: plan_row.setup_fee,
                category: product.product.vat_category,
                payment_term_days: terms.payment_term_days,
                group,
                rate: None,
            });
        }
        let last = due.last().map(|d| d.to);
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
                rate: Some(d.rate),
            });
        }
        // The reminder some customers asked for, ahead of the next invoice.
        if customer.card.wants_invoice_reminder && !pending {
            let ahead = plus_days(date, i64::from(ctx.settings.upcoming_invoice_days));
            if let Some(next) = periods_due(&schedule, last.or(s.invoiced_until), ahead).into_iter().find(|p| p.planned == ahead) {
                let amount = if consumer { with_vat(ctx.seller, customer, product.product.vat_category, next.amount) } else { next.amount };
                plan.notifications.push((
                    customer.id,
                    Notice::UpcomingInvoice(UpcomingInvoice {
                        subscription: s.label.clone(),
                        plan: plan_row.name.clone(),
                        date: next.planned,
                        amount: amount.minor,
                        vat_included: consumer,
                        from: next.from,
                        to: next.to.yesterday().unwrap_or(next.to),
                    }),
                ));
                plan.upcoming_reminders += 1;
            }
        }
    }
    for item in &loaded.items {
        charges.push(Charge {
            source: Source::Item { id: item.id, subscription: item.subscription_id },
            description: item.description.clone(),
            period: item.period_from.zip(item.period_to),
            quantity_milli: item.quantity_milli,
            unit_price: Money::new(item.unit_price, item.currency),
            category: parse_vat_category(&item.vat_category).unwrap_or(VatCategory::Standard),
            payment_term_days: 14,
            group: Group::Follow,
            rate: item.rate,
        });
    }
    for p in &loaded.projects {
        let category = parse_vat_category(&p.vat_category).unwrap_or(VatCategory::Standard);
        let total = Money::new(p.total, p.currency);
        let deposit = project_deposit(total, u32::try_from(p.deposit_percent).unwrap_or(0));
        if p.deposit_invoice_id.is_none() && p.signed_on <= date && deposit.minor > 0 {
            charges.push(Charge {
                source: Source::Deposit(p.id),
                description: texts::deposit(lang, &p.description, p.deposit_percent),
                period: None,
                quantity_milli: 1000,
                unit_price: deposit,
                category,
                payment_term_days: 0,
                group: Group::Alone(-p.id),
                rate: None,
            });
        }
        if project_balance_due(p.signed_on, p.delivered_on, ctx.settings.project_balance_days) <= date {
            let balance = total.checked_sub(deposit).map_err(|e| format!("project {}: {e}", p.id))?;
            charges.push(Charge {
                source: Source::Balance(p.id),
                description: texts::balance(lang, &p.description),
                period: None,
                quantity_milli: 1000,
                unit_price: balance,
                category,
                payment_term_days: 14,
                group: Group::Alone(-p.id - 1_000_000_000),
                rate: None,
            });
        }
    }
    if charges.is_empty() {
        return Ok(plan);
    }
    // One-off lines wait for the customer's next invoice ("settled on the next invoice"); a
    // customer without running services gets them on an invoice of their own on the 1st.
    // Staff's "invoice now" invoices them at once.
    let loose_alone = ctx.items_now || (date.day() == 1 && !any_billed);
    let (drafts, _waiting) = compose(date, ctx.seller, snapshot::buyer(customer), charges, loose_alone)
        .map_err(|e| format!("customer {}: {e}", customer.number))?;
    let mut balance = loaded.credit;
    let customer_snapshot = snapshot::customer(customer);
    for draft in drafts {
        let (used, left) = if draft.pro_forma {
            (Money::new(0, draft.totals.gross.currency), Money::new(balance, draft.totals.gross.currency))
        } else {
            apply_credit(draft.totals.gross, Money::new(balance, draft.totals.gross.currency))
        };
        balance = left.minor;
        plan.docs.push(document(ctx, customer, &customer_snapshot, draft, used.minor));
    }
    Ok(plan)
}

fn document(
    ctx: &Ctx<'_>,
    customer: &Customer,
    customer_snapshot: &loket_store::billing::documents::Party,
    draft: Draft<Source>,
    credit_used: i64,
) -> PlannedDoc {
    let kind = if draft.pro_forma { DocKind::ProForma } else { DocKind::Invoice };
    let series = if draft.pro_forma { ctx.settings.pro_forma_series.clone() } else { ctx.settings.invoice_series.clone() };
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
                Source::Item { id, .. } => Some(id),
                _ => None,
            },
            rate: l.rate,
            credits_position: None,
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
        provider_snapshot: ctx.provider_snapshot.clone(),
        language: customer.card.language.code().to_string(),
        credits_invoice_id: None,
        pro_forma_id: None,
        lines,
    };
    PlannedDoc { doc, sources, credit_used }
}

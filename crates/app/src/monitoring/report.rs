//! The monthly availability report of a card — page, PDF and e-mail — and the credits a missed
//! target gives, each once per service and month, as a line on the card's next invoice.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use loket_domain::Money;
use loket_domain::billing::Period;
use loket_domain::monitoring::availability::Sla;
use loket_domain::monitoring::report::{CardReport, IncidentLine, MaintenanceLine, MonitorLine, service_month};
use loket_domain::monitoring::rollup::start_of_day_ms;
use loket_store::audit::Actor;
use loket_store::billing::items::{self, NewItem};
use loket_store::monitoring::{self as store, incidents, reports};

use crate::{AppError, Services, audit, invalid};

/// `YYYY-MM` read as the month's first day.
pub fn month_start(field: &str, month: &str) -> Result<Date, AppError> {
    let bad = || invalid(field, format!("`{}` is not a month like 2026-11", loket_domain::input::sample(month)));
    let (y, m) = month.trim().split_once('-').ok_or_else(bad)?;
    let (y, m): (i16, i8) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(2000..=2099).contains(&y) {
        return Err(bad());
    }
    Date::new(y, m, 1).map_err(|_| bad())
}

/// What a card's report and its credits came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthlyRun {
    pub cards: usize,
    pub services: usize,
    pub credits: usize,
}

impl Services {
    /// The month before today's, in the provider's time zone, as `YYYY-MM`.
    pub fn last_month(&self) -> String {
        let first = self.today().first_of_month();
        let prev = first.yesterday().unwrap_or(first);
        format!("{:04}-{:02}", prev.year(), prev.month())
    }

    fn local_line(&self, ms: i64) -> DateTime {
        Timestamp::from_millisecond(ms).map(|t| t.to_zoned(self.provider.tz()).datetime()).unwrap_or_default()
    }

    /// Card `customer_id`'s report for `month` (`YYYY-MM`).
    pub async fn card_report(&self, customer_id: i64, month: &str) -> Result<CardReport, AppError> {
        let first = month_start("month", month)?;
        let month = format!("{:04}-{:02}", first.year(), first.month());
        let tz = self.provider.tz();
        let from = start_of_day_ms(first, &tz);
        let to = start_of_day_ms(first.last_of_month().tomorrow().unwrap_or(first), &tz);
        let mut conn = self.store.acquire().await?;
        let card = loket_store::customers::customer(&mut conn, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let rows = reports::of_card(&mut conn, customer_id, &month).await?;
        let slas: BTreeMap<String, Sla> = store::maintenance::slas(&mut conn).await?.into_iter().collect();
        let found = incidents::between(&mut conn, None, Some(customer_id), from, to, 1000).await?;
        let windows = store::maintenance::all(&mut conn).await?;
        drop(conn);
        let overview = self.billing().overview(customer_id, self.today()).await?;
        // Services in the order of the card's subscriptions; monitors without one apart.
        let mut by_service: BTreeMap<Option<i64>, Vec<&reports::MonitorMonth>> = BTreeMap::new();
        for r in &rows {
            by_service.entry(r.subscription_id).or_default().push(r);
        }
        let mut services = Vec::new();
        let mut credit = Money::zero(self.provider.currency);
        for (sub, monitors) in by_service {
            let s = sub.and_then(|id| overview.subscriptions.iter().find(|s| s.id == id));
            let plan = s.map(|s| s.plan_code.clone());
            let sla = plan.as_ref().and_then(|p| slas.get(p)).or_else(|| slas.get("")).copied().filter(|_| sub.is_some());
            let monthly = s
                .map(|s| {
                    let months = Period::parse(&s.billing_period).ok().and_then(|p| p.months()).unwrap_or(1).max(1);
                    Money::new(s.price / i64::from(months), self.provider.currency)
                })
                .unwrap_or(Money::zero(self.provider.currency));
            let lines = monitors.iter().map(|m| (MonitorLine::from_tally(&m.code, &m.name, &m.tally), m.tally)).collect();
            let label = s.map(|s| s.label.clone()).unwrap_or_else(|| monitors[0].name.clone());
            let service = service_month(sub, &label, s.map(|s| s.plan.as_str()), lines, sla, monthly);
            credit = Money::new(credit.minor + service.credit.minor, credit.currency);
            services.push(service);
        }
        let monitor_ids: Vec<i64> = rows.iter().map(|r| r.monitor_id).collect();
        let mut maintenance = Vec::new();
        for w in windows.iter().filter(|w| w.all_monitors || w.monitor_ids.iter().any(|m| monitor_ids.contains(m))) {
            for (s, e) in w.window.occurrences(&tz, from, to) {
                maintenance.push(MaintenanceLine { reason: w.reason.clone(), starts: self.local_line(s), ends: self.local_line(e) });
            }
        }
        maintenance.sort_by_key(|m| m.starts);
        let mut incident_lines: Vec<IncidentLine> = found
            .iter()
            .map(|i| {
                let end = i.ended_ms.unwrap_or(self.now().as_millisecond()).min(to);
                IncidentLine {
                    monitor: i.monitor_name.clone(),
                    started: self.local_line(i.started_ms),
                    ended: i.ended_ms.map(|e| self.local_line(e)),
                    duration_ms: (end - i.started_ms.max(from)).max(0),
                    cause: i.detail.clone(),
                }
            })
            .collect();
        incident_lines.sort_by_key(|i| i.started);
        Ok(CardReport {
            customer_id,
            customer_name: card.card.trading_name.clone().unwrap_or_else(|| card.card.legal_name.clone()),
            language: card.card.language,
            month,
            time_zone: self.provider.time_zone.clone(),
            services,
            incidents: incident_lines,
            maintenance,
            credit,
        })
    }

    /// The monthly run for `month`: every card with monitored services gets its report by
    /// e-mail once, and every missed target its credit once (a line on the next invoice).
    /// A card that fails is reported and skipped; the others go on.
    pub async fn monthly_reports(&self, month: &str) -> Result<MonthlyRun, AppError> {
        let first = month_start("month", month)?;
        let month = format!("{:04}-{:02}", first.year(), first.month());
        let mut run = MonthlyRun::default();
        let mut after = 0;
        loop {
            let cards = {
                let mut conn = self.store.acquire().await?;
                reports::cards(&mut conn, after, 200).await?
            };
            let Some(last) = cards.last().copied() else { break };
            after = last;
            for card in cards {
                match self.card_month(card, &month).await {
                    Ok(Some((services, credits))) => {
                        run.cards += 1;
                        run.services += services;
                        run.credits += credits;
                    }
                    Ok(None) => {}
                    Err(e) => tracing::warn!(customer = card, month, error = %e, "availability report skipped"),
                }
            }
        }
        self.wake_jobs();
        Ok(run)
    }

    async fn card_month(&self, customer_id: i64, month: &str) -> Result<Option<(usize, usize)>, AppError> {
        let report = self.card_report(customer_id, month).await?;
        let mut tx = self.store.begin().await?;
        if !reports::claim_report(&mut tx, customer_id, month).await? {
            return Ok(None);
        }
        let mut credits = 0;
        let today = self.today();
        for s in &report.services {
            let Some(sub) = s.subscription_id else { continue };
            if s.credit.minor <= 0 || !reports::claim_credit(&mut tx, sub, month, s.credit.minor).await? {
                continue;
            }
            let item = NewItem {
                customer_id,
                subscription_id: None,
                description: loket_i18n::t_args(report.language, "monitoring-credit-line", &[("month", month), ("service", &s.service)]),
                quantity_milli: 1000,
                unit_price: -s.credit.minor,
                currency: s.credit.currency,
                vat_category: "standard".into(),
                period: None,
                source: "availability".into(),
                created_on: today,
                rate: None,
            };
            let id = items::create_item(&mut tx, &item).await?;
            reports::set_credit_item(&mut tx, sub, month, id).await?;
            let after = serde_json::json!({ "subscription": sub, "month": month, "credit": s.credit.minor, "item": id });
            audit(&mut tx, &Actor::system(), "monitoring.credit", ("subscription", Some(sub.to_string())), None, Some(after)).await?;
            credits += 1;
        }
        let card = loket_store::customers::customer(&mut tx, customer_id).await?.ok_or(AppError::NotFound("customer"))?;
        let message = super::mails::report_mail(self, &report, &card.card.email)?;
        loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(message)).await?;
        loket_store::commit(tx).await?;
        Ok(Some((report.services.len(), credits)))
    }
}

//! The monthly availability report of one card: per service its monitors' availability, the
//! verdict against the plan's target and any credit; the month's incidents and maintenance.
//! Plain data, shown as a page, a PDF and an e-mail.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};

use super::availability::{self, Ppm, Sla, Verdict};
use super::rollup::Tally;
use crate::Language;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardReport {
    pub customer_id: i64,
    pub customer_name: String,
    pub language: Language,
    /// `YYYY-MM`, a calendar month in the provider's time zone.
    pub month: String,
    pub time_zone: String,
    pub services: Vec<ServiceMonth>,
    pub incidents: Vec<IncidentLine>,
    pub maintenance: Vec<MaintenanceLine>,
    /// The sum of the services' credits.
    pub credit: Money,
}

/// A service (subscription) and its monitors; the service's availability is its worst
/// monitor's, so a customer is never shown better than any part of it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceMonth {
    pub subscription_id: Option<i64>,
    /// The service's label (its domain or site), or the monitor's name without a service.
    pub service: String,
    pub plan: Option<String>,
    pub monitors: Vec<MonitorLine>,
    pub availability: Option<Ppm>,
    pub target: Option<Ppm>,
    pub met: Option<bool>,
    pub credit: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitorLine {
    pub code: String,
    pub name: String,
    pub availability: Option<Ppm>,
    pub down_ms: i64,
    pub maintenance_ms: i64,
    pub checks: i64,
    /// Average response time of the month's checks.
    pub latency_avg_ms: Option<i64>,
}

impl MonitorLine {
    pub fn from_tally(code: &str, name: &str, t: &Tally) -> MonitorLine {
        MonitorLine {
            code: code.to_string(),
            name: name.to_string(),
            availability: availability::availability(t.up_ms, t.down_ms),
            down_ms: t.down_ms,
            maintenance_ms: t.maintenance_ms,
            checks: t.checks,
            latency_avg_ms: (t.checks > 0).then(|| t.latency_sum_ms / t.checks),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentLine {
    pub monitor: String,
    /// Local times in the provider's zone.
    pub started: DateTime,
    pub ended: Option<DateTime>,
    /// Within the month.
    pub duration_ms: i64,
    pub cause: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceLine {
    pub reason: String,
    pub starts: DateTime,
    pub ends: DateTime,
}

/// One service's verdict: the worst monitor's month against `sla`.
pub fn service_month(
    subscription_id: Option<i64>,
    service: &str,
    plan: Option<&str>,
    monitors: Vec<(MonitorLine, Tally)>,
    sla: Option<Sla>,
    monthly_price: Money,
) -> ServiceMonth {
    // The worst monitor decides; its tally gives the verdict.
    let worst = monitors.iter().filter(|(l, _)| l.availability.is_some()).min_by_key(|(l, _)| l.availability).map(|(_, t)| *t);
    let Verdict { availability, target, met, credit } = match worst {
        Some(t) => availability::verdict(t.up_ms, t.down_ms, sla, monthly_price),
        None => availability::verdict(0, 0, sla, monthly_price),
    };
    ServiceMonth {
        subscription_id,
        service: service.to_string(),
        plan: plan.map(str::to_string),
        monitors: monitors.into_iter().map(|(l, _)| l).collect(),
        availability,
        target,
        met,
        credit,
    }
}

impl CardReport {
    /// Whether every service with a target met it.
    pub fn all_met(&self) -> bool {
        self.services.iter().all(|s| s.met != Some(false))
    }

    /// A report with every part filled, for previews, snapshots and the PDF tests.
    pub fn example(language: Language) -> CardReport {
        let dt = |s: &str| s.parse::<DateTime>().unwrap_or_default();
        let line = |code: &str, name: &str, up: i64, down: i64| {
            let t = Tally {
                up_ms: up,
                down_ms: down,
                maintenance_ms: 7_200_000,
                checks: 43_000,
                failures: 12,
                latency_sum_ms: 43_000 * 180,
                latency_max_ms: 2_400,
            };
            (MonitorLine::from_tally(code, name, &t), t)
        };
        let month_ms = 30 * 86_400_000_i64;
        let web = service_month(
            Some(12),
            "bakkerijdevries.nl",
            Some("Webhosting Plus"),
            vec![line("web-devries", "Website", month_ms - 600_000, 600_000), line("mail-devries", "Mail (IMAP)", month_ms, 0)],
            Some(Sla { target: 998_000, credit_percent: 10 }),
            Money::eur(2_500),
        );
        let shop = service_month(
            Some(13),
            "shop.bakkerijdevries.nl",
            Some("Webshop"),
            vec![line("shop-devries", "Webshop", month_ms - 7_200_000, 7_200_000)],
            Some(Sla { target: 998_000, credit_percent: 10 }),
            Money::eur(4_900),
        );
        let credit = Money::eur(web.credit.minor + shop.credit.minor);
        CardReport {
            customer_id: 1,
            customer_name: "Bakkerij De Vries B.V.".into(),
            language,
            month: "2026-11".into(),
            time_zone: "Europe/Amsterdam".into(),
            services: vec![web, shop],
            incidents: vec![
                IncidentLine {
                    monitor: "Webshop".into(),
                    started: dt("2026-11-14T03:10"),
                    ended: Some(dt("2026-11-14T05:10")),
                    duration_ms: 7_200_000,
                    cause: "HTTP 503".into(),
                },
                IncidentLine {
                    monitor: "Website".into(),
                    started: dt("2026-11-21T22:45"),
                    ended: Some(dt("2026-11-21T22:55")),
                    duration_ms: 600_000,
                    cause: "timeout".into(),
                },
            ],
            maintenance: vec![MaintenanceLine {
                reason: "Server updates".into(),
                starts: dt("2026-11-08T02:00"),
                ends: dt("2026-11-08T04:00"),
            }],
            credit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_monitor_decides_and_a_missed_target_credits() {
        let r = CardReport::example(Language::Nl);
        assert_eq!(r.services[0].availability, Some(999_768));
        assert_eq!(r.services[0].met, Some(true));
        assert_eq!(r.services[1].met, Some(false));
        assert_eq!(r.services[1].credit, Money::eur(490));
        assert_eq!(r.credit, Money::eur(490));
        assert!(!r.all_met());
    }
}

//! `[helpdesk]`: the support address and mailboxes, office hours and holidays, SLA targets and
//! escalation, who gets the helpdesk, how time is billed. Every option is text (so it can come
//! from a `LOKET_HELPDESK_*` variable too) and is checked when the configuration is read; the
//! helpdesk is on with the seed's defaults unless `enabled = false`.

use std::sync::Arc;

use loket_app::helpdesk::{HelpdeskSettings, UnknownSenders};
use loket_domain::helpdesk::calendar::{Closure, OfficeCalendar, WorkingWeek, parse_closed_day};
use loket_domain::helpdesk::sla::{ClockKind, EscalateOn, EscalationAction, EscalationRule, SlaPolicy};
use loket_domain::helpdesk::ticket::Priority;
use loket_domain::{Country, ProviderIdentity, input};

/// The section as written; [`Helpdesk::settings`] makes the service's settings of it.
#[derive(Debug, Clone)]
pub struct Helpdesk {
    pub enabled: bool,
    pub address: Option<String>,
    pub staff_notify: Option<String>,
    pub hours: WorkingWeek,
    /// Countries whose public holidays close the office; empty: the provider's country.
    pub holidays: Vec<Country>,
    pub closed_days: Vec<jiff::civil::Date>,
    pub closures: Vec<Closure>,
    pub unknown_senders: UnknownSenders,
    pub ack_window: jiff::SignedDuration,
    pub entitled_plans: Vec<String>,
    pub contact: String,
    pub time_increment: u32,
    pub time_minimum: u32,
    /// Per priority (low, normal, high, urgent): first response and resolution, in seconds.
    pub sla: Option<[SlaPolicy; 4]>,
    pub escalation: Vec<EscalationRule>,
    /// IMAP mailboxes (`imaps://user:password@host:993/INBOX`), fetched by every node.
    pub mailboxes: Vec<String>,
}

impl Default for Helpdesk {
    fn default() -> Self {
        Helpdesk {
            enabled: true,
            address: None,
            staff_notify: None,
            hours: "mon-fri 08:30-18:00".parse().expect("static working week"),
            holidays: Vec::new(),
            closed_days: Vec::new(),
            closures: Vec::new(),
            unknown_senders: UnknownSenders::Ticket,
            ack_window: jiff::SignedDuration::from_hours(24),
            entitled_plans: Vec::new(),
            contact: String::new(),
            time_increment: 15,
            time_minimum: 15,
            sla: None,
            escalation: Vec::new(),
            mailboxes: Vec::new(),
        }
    }
}

impl Helpdesk {
    /// The service's settings, or `None` when the helpdesk is off.
    pub fn settings(&self, provider: &ProviderIdentity) -> anyhow::Result<Option<Arc<HelpdeskSettings>>> {
        if !self.enabled {
            return Ok(None);
        }
        let countries = if self.holidays.is_empty() { vec![provider.address.country] } else { self.holidays.clone() };
        let countries: Vec<Country> =
            countries.into_iter().filter(|c| loket_domain::helpdesk::calendar::knows_public_holidays(*c)).collect();
        let calendar = OfficeCalendar::new(provider.tz(), self.hours.clone())
            .with_public_holidays(&countries)
            .map_err(|e| anyhow::anyhow!("helpdesk.holidays: {e}"))?
            .with_closed_days(self.closed_days.iter().copied())
            .with_closures(self.closures.iter().cloned());
        let mut s = HelpdeskSettings::new(calendar);
        s.address = self.address.clone();
        s.staff_notify = self.staff_notify.clone();
        s.unknown_senders = self.unknown_senders;
        s.ack_window = self.ack_window;
        s.entitled_plans = self.entitled_plans.clone();
        s.contact = if self.contact.is_empty() {
            format!("{} · {}", provider.email, provider.phone.clone().unwrap_or_default())
        } else {
            self.contact.clone()
        };
        s.time_increment = self.time_increment;
        s.time_minimum = self.time_minimum;
        if let Some(sla) = self.sla {
            s.sla = sla;
        }
        s.escalation = self.escalation.clone();
        Ok(Some(Arc::new(s)))
    }
}

/// `NL, IT` → countries that have public holidays in Loket.
pub fn parse_countries(s: &str) -> Result<Vec<Country>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            let country: Country = c.parse().map_err(|_| format!("`{}` is not a country code", input::sample(c)))?;
            if loket_domain::helpdesk::calendar::knows_public_holidays(country) {
                Ok(country)
            } else {
                Err(format!("Loket knows the public holidays of NL and IT, not of {c}: list your own days in helpdesk.closed"))
            }
        })
        .collect()
}

/// `2026-12-24, 2026-12-27..2026-12-31` → single closed days and closures.
pub fn parse_closed(s: &str) -> Result<(Vec<jiff::civil::Date>, Vec<Closure>), String> {
    let mut days = Vec::new();
    let mut closures = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part.contains("..") {
            closures.push(part.parse::<Closure>().map_err(|e| e.to_string())?);
        } else {
            days.push(parse_closed_day(part).map_err(|e| e.to_string())?);
        }
    }
    Ok((days, closures))
}

/// `urgent=30m/4h; high=2h/16h; normal=8h/40h; low=16h/80h` (first response / resolution in
/// office time; `-` for no promise). Priorities not named keep their defaults.
pub fn parse_sla(s: &str, defaults: [SlaPolicy; 4]) -> Result<[SlaPolicy; 4], String> {
    let mut out = defaults;
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (p, times) = part.split_once('=').ok_or_else(|| format!("`{}` is not priority=first/resolution", input::sample(part)))?;
        let priority = Priority::parse(p.trim()).ok_or_else(|| format!("`{}`: use low, normal, high or urgent", input::sample(p)))?;
        let (first, resolution) =
            times.split_once('/').ok_or_else(|| format!("`{}`: write first response/resolution, e.g. 2h/16h", input::sample(times)))?;
        let time = |t: &str| -> Result<Option<i64>, String> {
            match t.trim() {
                "-" | "none" => Ok(None),
                t => input::duration("helpdesk.sla", t).map(|d| Some(d.as_secs())).map_err(|e| e.to_string()),
            }
        };
        let i = Priority::ALL.iter().position(|x| *x == priority).unwrap_or(1);
        out[i] = SlaPolicy { first_response: time(first)?, resolution: time(resolution)?, warn_at_percent: out[i].warn_at_percent };
    }
    Ok(out)
}

/// `first_response breach raise_priority; resolution warning notify:lead@example.nl;
/// first_response breach reassign:second-line`.
pub fn parse_escalation(s: &str) -> Result<Vec<EscalationRule>, String> {
    s.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|rule| {
            let words: Vec<&str> = rule.split_whitespace().collect();
            let [clock, on, action] = words[..] else {
                return Err(format!("`{}` is not `clock when action`, e.g. first_response breach raise_priority", input::sample(rule)));
            };
            let clock = match clock {
                "first_response" => ClockKind::FirstResponse,
                "resolution" => ClockKind::Resolution,
                other => return Err(format!("`{}`: the clock is first_response or resolution", input::sample(other))),
            };
            let on = match on {
                "warning" => EscalateOn::Warning,
                "breach" => EscalateOn::Breach,
                other => return Err(format!("`{}`: escalate on warning or breach", input::sample(other))),
            };
            let action = match action.split_once(':') {
                None if action == "raise_priority" => EscalationAction::RaisePriority,
                Some(("reassign", team)) if !team.is_empty() && team.len() <= 60 => EscalationAction::Reassign(team.to_string()),
                Some(("notify", who)) if !who.is_empty() && who.len() <= 254 => EscalationAction::Notify(who.to_string()),
                _ => return Err(format!("`{}`: the action is raise_priority, reassign:TEAM or notify:ADDRESS", input::sample(action))),
            };
            Ok(EscalationRule { clock, on, action })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sla_and_escalation_read_as_written_and_refuse_with_the_part_named() {
        let d = HelpdeskSettings::new(OfficeCalendar::always()).sla;
        let s = parse_sla("urgent=30m/4h; low=-/5 days", d).unwrap();
        assert_eq!(s[3].first_response, Some(1800));
        assert_eq!(s[3].resolution, Some(4 * 3600));
        assert_eq!(s[0].first_response, None);
        assert_eq!(s[1], d[1]);
        assert!(parse_sla("urgent=30m", d).unwrap_err().contains("first response/resolution"));
        assert!(parse_sla("asap=1h/2h", d).unwrap_err().contains("asap"));
        let r = parse_escalation("first_response breach raise_priority; resolution warning notify:lead@x.nl").unwrap();
        assert_eq!(r.len(), 2);
        assert!(parse_escalation("first_response soon raise_priority").unwrap_err().contains("soon"));
        assert!(parse_countries("NL, IT").is_ok());
        assert!(parse_countries("DE").unwrap_err().contains("helpdesk.closed"));
        assert!(parse_closed("2026-12-24, 2026-12-27..2026-12-31").is_ok());
        assert!(parse_closed("24-12-2026").is_err());
    }
}

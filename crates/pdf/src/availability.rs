//! The monthly availability report of one card on the provider's letterhead: per service its
//! availability against the plan's target, whether the target was met (in words, not by colour)
//! and any credit, with the service's monitors under it; then the month's incidents and planned
//! maintenance, and the total credit that the next invoice deducts. In the card's language, times
//! as local times in the provider's zone. Like every document, the same report gives the same
//! bytes.

use jiff::civil::{Date, DateTime};
use loket_domain::Language;
use loket_domain::billing::document::Party;
use loket_domain::monitoring::availability::{Ppm, format_ppm};
use loket_domain::monitoring::report::{CardReport, IncidentLine, MaintenanceLine, MonitorLine, ServiceMonth};

use crate::canvas::{Canvas, Ink, MARGIN, WIDTH, Weight};
use crate::{Letterhead, blocks, fonts, money_in, output, short_date, tr};

/// The right end of every table.
const RIGHT: f32 = WIDTH - MARGIN;

/// A service's table: the service and its plan (wrapped to their widths), availability and
/// target (right-aligned), the verdict in words, the credit.
const SVC_W: f32 = 118.0;
const PLAN_X: f32 = MARGIN + SVC_W + 6.0;
const PLAN_W: f32 = 88.0;
const AVAIL_R: f32 = 336.0;
const TARGET_R: f32 = 388.0;
const VERDICT_X: f32 = 398.0;

/// A service's monitors, indented under it.
const MON_X: f32 = MARGIN + 10.0;
const MON_W: f32 = 100.0;
const MON_AVAIL_R: f32 = 240.0;
const MON_DOWN_R: f32 = 318.0;
const MON_MAINT_R: f32 = 396.0;
const MON_CHECKS_R: f32 = 462.0;

/// The incidents' table.
const INC_W: f32 = 100.0;
const INC_START_X: f32 = MARGIN + INC_W + 6.0;
const INC_END_X: f32 = INC_START_X + 84.0;
const INC_DUR_R: f32 = INC_END_X + 124.0;
const INC_CAUSE_X: f32 = INC_DUR_R + 10.0;

/// The maintenance table.
const MAINT_W: f32 = 240.0;
const MAINT_START_X: f32 = MARGIN + MAINT_W + 10.0;
const MAINT_END_X: f32 = MAINT_START_X + 100.0;

/// Body text and table rows.
const SIZE: f32 = 8.0;
const LEADING: f32 = 10.5;
/// Column headers.
const HEAD: f32 = 7.0;

/// The PDF of `report`, on the letterhead of `provider` (as [`Party`], the form the letterhead
/// and footer take it in: the provider's name, address, numbers and IBAN, e.g. the seller of its
/// documents). A report carries no addressee: it names the customer among its facts.
pub fn render_availability(report: &CardReport, provider: &Party, letterhead: &Letterhead) -> Vec<u8> {
    let lang = report.language;
    let logo = letterhead.logo.as_deref();
    let mut c = Canvas::new(fonts::fonts(), letterhead.accent);
    let title = tr(lang, "pdf-availability-title", &[("month", &report.month)]);
    let month = month_name(lang, &report.month);
    let facts = vec![
        (tr(lang, "pdf-availability-month", &[]), month),
        (tr(lang, "pdf-availability-customer", &[]), report.customer_name.clone()),
        (tr(lang, "pdf-availability-time-zone", &[]), report.time_zone.clone()),
    ];
    let top = blocks::top(&mut c, lang, provider, logo, &title, &facts);
    c.y = top - 24.0;
    let intro = tr(lang, "pdf-availability-intro", &[("month", &report.month), ("zone", &report.time_zone)]);
    c.paragraph(&intro, 9.0, Weight::Regular, 12.5);
    c.y -= 12.0;

    for s in &report.services {
        service(&mut c, lang, s);
    }
    incidents(&mut c, lang, &report.incidents);
    maintenance(&mut c, lang, &report.maintenance);
    credit(&mut c, report);

    let label = format!("{title} · {}", report.customer_name);
    output::finish(c, &output::Meta { lang, seller: provider, label, logo })
}

/// `2026-11` in words (`november 2026`), or as it is when it is not a month.
fn month_name(lang: Language, month: &str) -> String {
    match format!("{month}-01").parse::<Date>() {
        Ok(d) => loket_i18n::format_month(lang, d),
        Err(_) => month.to_string(),
    }
}

/// `99,977 %` (nl, it), `99.977 %` (en): three decimals, never rounded up.
fn percent(lang: Language, ppm: Ppm) -> String {
    format!("{} %", loket_i18n::format_decimal(lang, &format_ppm(ppm)))
}

/// A span as hours and minutes, `2:05`; a part of a minute counts as a minute, so time down is
/// never shown shorter than it was.
fn hours_minutes(ms: i64) -> String {
    let minutes = (ms.max(0) as u64).div_ceil(60_000);
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

/// A whole number with the thousands grouped as `lang` writes them: `43.000`, `43,000`.
fn count(lang: Language, n: i64) -> String {
    let group = if lang == Language::En { ',' } else { '.' };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::from(if n < 0 { "-" } else { "" });
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(ch);
    }
    out
}

/// A local date and time in a table cell: `14-11-2026 03:10` (nl), `14/11/2026 03:10` (it),
/// `2026-11-14 03:10` (en).
fn local_time(lang: Language, t: DateTime) -> String {
    format!("{} {:02}:{:02}", short_date(lang, t.date()), t.hour(), t.minute())
}

/// A failure's cause: a stored cause name in words (`timeout` → "no answer in time"), any other
/// text (`HTTP 503`) as it is.
fn cause(lang: Language, cause: &str) -> String {
    const NAMES: [&str; 8] = ["timeout", "refused", "dns", "tls", "certificate", "status", "keyword", "protocol"];
    if NAMES.contains(&cause) { tr(lang, &format!("monitor-cause-{cause}"), &[]) } else { cause.to_string() }
}

/// A section's heading.
fn heading(c: &mut Canvas, text: &str) {
    let y = c.y;
    c.text(MARGIN, y, 11.0, Weight::Bold, Ink::Accent, text);
    c.y = y - 16.0;
}

/// Column headers: (x, right-aligned, key) from the current position, ruled under.
fn header_row(c: &mut Canvas, lang: Language, left: f32, columns: &[(f32, bool, &str)]) {
    let y = c.y;
    for (x, right, key) in columns {
        let label = tr(lang, key, &[]);
        if *right {
            c.text_right(*x, y, HEAD, Weight::Bold, Ink::Muted, &label);
        } else {
            c.text(*x, y, HEAD, Weight::Bold, Ink::Muted, &label);
        }
    }
    c.rule(left, RIGHT, y - 4.0, 0.6, 0.3);
    c.y = y - 14.0;
}

fn service_header(c: &mut Canvas, lang: Language) {
    header_row(
        c,
        lang,
        MARGIN,
        &[
            (MARGIN, false, "pdf-availability-col-service"),
            (PLAN_X, false, "pdf-availability-col-plan"),
            (AVAIL_R, true, "pdf-availability-col-availability"),
            (TARGET_R, true, "pdf-availability-col-target"),
            (VERDICT_X, false, "pdf-availability-col-verdict"),
            (RIGHT, true, "pdf-availability-col-credit"),
        ],
    );
}

fn monitor_header(c: &mut Canvas, lang: Language) {
    header_row(
        c,
        lang,
        MON_X,
        &[
            (MON_X, false, "pdf-availability-col-monitor"),
            (MON_AVAIL_R, true, "pdf-availability-col-availability"),
            (MON_DOWN_R, true, "pdf-availability-col-downtime"),
            (MON_MAINT_R, true, "pdf-availability-col-maintenance"),
            (MON_CHECKS_R, true, "pdf-availability-col-checks"),
            (RIGHT, true, "pdf-availability-col-response"),
        ],
    );
}

/// One service's table: its row, then its monitors. The header, the row and the first monitor
/// stay together; monitors that go on to the next page repeat their header there.
fn service(c: &mut Canvas, lang: Language, s: &ServiceMonth) {
    let name = c.wrap(&s.service, SIZE, Weight::Bold, SVC_W);
    let plan = c.wrap(s.plan.as_deref().unwrap_or("—"), SIZE, Weight::Regular, PLAN_W);
    let row = name.len().max(plan.len()) as f32 * LEADING;
    let first_monitor = if s.monitors.is_empty() { LEADING } else { 14.0 + LEADING };
    c.ensure(14.0 + row + 6.0 + first_monitor);
    service_header(c, lang);
    let y = c.y;
    for (i, line) in name.iter().enumerate() {
        c.text(MARGIN, y - i as f32 * LEADING, SIZE, Weight::Bold, Ink::Text, line);
    }
    for (i, line) in plan.iter().enumerate() {
        c.text(PLAN_X, y - i as f32 * LEADING, SIZE, Weight::Regular, Ink::Text, line);
    }
    let measured = s.availability.map(|a| percent(lang, a));
    let availability = measured.clone().unwrap_or_else(|| tr(lang, "pdf-availability-not-measured", &[]));
    c.text_right(AVAIL_R, y, SIZE, Weight::Bold, Ink::Text, &availability);
    c.text_right(TARGET_R, y, SIZE, Weight::Regular, Ink::Text, &s.target.map_or_else(|| "—".to_string(), |t| percent(lang, t)));
    let verdict = match (s.met, s.target, measured) {
        (Some(true), ..) => tr(lang, "pdf-availability-met", &[]),
        (Some(false), ..) => tr(lang, "pdf-availability-not-met", &[]),
        (None, None, Some(_)) => tr(lang, "pdf-availability-no-target", &[]),
        (None, ..) => "—".to_string(),
    };
    let weight = if s.met == Some(false) { Weight::Bold } else { Weight::Regular };
    c.text(VERDICT_X, y, SIZE, weight, Ink::Text, &verdict);
    let credit = if s.credit.minor != 0 { money_in(lang, s.credit.currency, s.credit.minor) } else { "—".to_string() };
    c.text_right(RIGHT, y, SIZE, Weight::Regular, Ink::Text, &credit);
    c.y = y - row - 6.0;

    if s.monitors.is_empty() {
        let y = c.y;
        c.text(MON_X, y, 7.5, Weight::Regular, Ink::Muted, &tr(lang, "pdf-availability-no-monitors", &[]));
        c.y = y - LEADING;
    } else {
        monitor_header(c, lang);
        for m in &s.monitors {
            monitor(c, lang, m);
        }
    }
    c.y -= 14.0;
}

fn monitor(c: &mut Canvas, lang: Language, m: &MonitorLine) {
    let name = c.wrap(&m.name, 7.5, Weight::Regular, MON_W);
    let height = name.len() as f32 * 10.0;
    if c.ensure(height) {
        monitor_header(c, lang);
    }
    let y = c.y;
    for (i, line) in name.iter().enumerate() {
        c.text(MON_X, y - i as f32 * 10.0, 7.5, Weight::Regular, Ink::Text, line);
    }
    let availability = m.availability.map_or_else(|| tr(lang, "pdf-availability-not-measured", &[]), |a| percent(lang, a));
    c.text_right(MON_AVAIL_R, y, 7.5, Weight::Regular, Ink::Text, &availability);
    c.text_right(MON_DOWN_R, y, 7.5, Weight::Regular, Ink::Text, &hours_minutes(m.down_ms));
    c.text_right(MON_MAINT_R, y, 7.5, Weight::Regular, Ink::Text, &hours_minutes(m.maintenance_ms));
    c.text_right(MON_CHECKS_R, y, 7.5, Weight::Regular, Ink::Text, &count(lang, m.checks));
    let latency = m.latency_avg_ms.map_or_else(|| "—".to_string(), |ms| format!("{} ms", count(lang, ms)));
    c.text_right(RIGHT, y, 7.5, Weight::Regular, Ink::Text, &latency);
    c.y = y - height;
}

fn incident_header(c: &mut Canvas, lang: Language) {
    header_row(
        c,
        lang,
        MARGIN,
        &[
            (MARGIN, false, "pdf-availability-col-monitor"),
            (INC_START_X, false, "pdf-availability-col-start"),
            (INC_END_X, false, "pdf-availability-col-end"),
            (INC_DUR_R, true, "pdf-availability-col-duration"),
            (INC_CAUSE_X, false, "pdf-availability-col-cause"),
        ],
    );
}

/// The month's incidents, the table's header repeated on every page it runs on.
fn incidents(c: &mut Canvas, lang: Language, list: &[IncidentLine]) {
    c.ensure(16.0 + 14.0 + 2.0 * LEADING);
    heading(c, &tr(lang, "pdf-availability-incidents", &[]));
    if list.is_empty() {
        c.paragraph(&tr(lang, "pdf-availability-no-incidents", &[]), SIZE, Weight::Regular, LEADING);
        c.y -= 14.0;
        return;
    }
    incident_header(c, lang);
    for i in list {
        let monitor = c.wrap(&i.monitor, SIZE, Weight::Regular, INC_W);
        let why = c.wrap(&cause(lang, &i.cause), SIZE, Weight::Regular, RIGHT - INC_CAUSE_X);
        let height = monitor.len().max(why.len()) as f32 * LEADING + 3.0;
        if c.ensure(height) {
            incident_header(c, lang);
        }
        let y = c.y;
        lines(c, MARGIN, y, &monitor);
        c.text(INC_START_X, y, SIZE, Weight::Regular, Ink::Text, &local_time(lang, i.started));
        let end = i.ended.map_or_else(|| tr(lang, "pdf-availability-ongoing", &[]), |t| local_time(lang, t));
        c.text(INC_END_X, y, SIZE, Weight::Regular, Ink::Text, &end);
        c.text_right(INC_DUR_R, y, SIZE, Weight::Regular, Ink::Text, &hours_minutes(i.duration_ms));
        lines(c, INC_CAUSE_X, y, &why);
        c.y = y - height;
        c.rule(MARGIN, RIGHT, c.y + LEADING - 2.0, 0.3, 0.85);
    }
    c.y -= 14.0;
}

/// Lines of a wrapped cell from the baseline `y` down.
fn lines(c: &mut Canvas, x: f32, y: f32, lines: &[String]) {
    for (n, line) in lines.iter().enumerate() {
        c.text(x, y - n as f32 * LEADING, SIZE, Weight::Regular, Ink::Text, line);
    }
}

fn maintenance_header(c: &mut Canvas, lang: Language) {
    header_row(
        c,
        lang,
        MARGIN,
        &[
            (MARGIN, false, "pdf-availability-col-reason"),
            (MAINT_START_X, false, "pdf-availability-col-start"),
            (MAINT_END_X, false, "pdf-availability-col-end"),
        ],
    );
}

/// The month's planned maintenance windows.
fn maintenance(c: &mut Canvas, lang: Language, list: &[MaintenanceLine]) {
    c.ensure(16.0 + 14.0 + 2.0 * LEADING);
    heading(c, &tr(lang, "pdf-availability-maintenance", &[]));
    if list.is_empty() {
        c.paragraph(&tr(lang, "pdf-availability-no-maintenance", &[]), SIZE, Weight::Regular, LEADING);
        c.y -= 14.0;
        return;
    }
    maintenance_header(c, lang);
    for m in list {
        let reason = c.wrap(&m.reason, SIZE, Weight::Regular, MAINT_W);
        let height = reason.len() as f32 * LEADING + 3.0;
        if c.ensure(height) {
            maintenance_header(c, lang);
        }
        let y = c.y;
        lines(c, MARGIN, y, &reason);
        c.text(MAINT_START_X, y, SIZE, Weight::Regular, Ink::Text, &local_time(lang, m.starts));
        c.text(MAINT_END_X, y, SIZE, Weight::Regular, Ink::Text, &local_time(lang, m.ends));
        c.y = y - height;
        c.rule(MARGIN, RIGHT, c.y + LEADING - 2.0, 0.3, 0.85);
    }
    c.y -= 14.0;
}

/// The total credit, and what becomes of it; or that every target was met.
fn credit(c: &mut Canvas, report: &CardReport) {
    let lang = report.language;
    c.ensure(20.0 + 3.0 * 12.0);
    let y = c.y - 4.0;
    let amount = money_in(lang, report.credit.currency, report.credit.minor);
    c.text_right(RIGHT - 110.0, y, 10.0, Weight::Bold, Ink::Text, &tr(lang, "pdf-availability-credit-total", &[]));
    c.text_right(RIGHT, y, 10.0, Weight::Bold, Ink::Text, &amount);
    c.rule(RIGHT - 260.0, RIGHT, y - 6.0, 0.8, 0.2);
    c.y = y - 22.0;
    if report.credit.minor != 0 {
        c.paragraph(&tr(lang, "pdf-availability-credit-note", &[("amount", &amount)]), 9.0, Weight::Regular, 12.5);
    } else if report.all_met() {
        c.paragraph(&tr(lang, "pdf-availability-all-met", &[]), 9.0, Weight::Regular, 12.5);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_each_language_writes_them() {
        assert_eq!(percent(Language::Nl, 999_768), "99,976 %");
        assert_eq!(percent(Language::En, 998_000), "99.800 %");
        assert_eq!(hours_minutes(600_000), "0:10");
        assert_eq!(hours_minutes(7_200_000), "2:00");
        assert_eq!(hours_minutes(1), "0:01");
        assert_eq!(hours_minutes(0), "0:00");
        assert_eq!(count(Language::It, 43_000), "43.000");
        assert_eq!(count(Language::En, 1_234_567), "1,234,567");
        assert_eq!(count(Language::Nl, 180), "180");
        assert_eq!(cause(Language::En, "timeout"), "no answer in time");
        assert_eq!(cause(Language::En, "HTTP 503"), "HTTP 503");
        assert_eq!(month_name(Language::It, "2026-11"), "novembre 2026");
    }
}

//! The monthly availability report, read back by poppler: in each language it names the
//! services, their availability with the language's decimal sign, the verdict in words, the
//! incidents and the credit; the same report gives the same bytes; a long report breaks into
//! pages with the tables' headers repeated.

mod common;

use jiff::civil::DateTime;
use loket_domain::billing::document::Party;
use loket_domain::monitoring::report::{CardReport, IncidentLine, MonitorLine};
use loket_domain::{Language, Money};
use loket_pdf::{Letterhead, render_availability};

/// The provider as on its invoices.
fn provider() -> Party {
    let docs = loket_documents::examples::all();
    docs.into_iter().find(|(n, _)| *n == "nl-business-rates").map(|(_, d)| d.seller).expect("an example invoice")
}

fn text(report: &CardReport) -> Option<String> {
    common::pdftotext(&render_availability(report, &provider(), &Letterhead::default()))
}

fn assert_holds(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} missing from:\n{text}");
    }
}

#[test]
fn a_dutch_report_reads_in_dutch() {
    let Some(text) = text(&CardReport::example(Language::Nl)) else { return };
    assert_holds(
        &text,
        &[
            "Beschikbaarheidsrapport november 2026",
            "Bakkerij De Vries B.V.",
            "Europe/Amsterdam",
            "bakkerijdevries.nl",
            "shop.bakkerijdevries.nl",
            "Webhosting Plus",
            // The worst monitor's 10 minutes down out of 30 days, rounded down.
            "99,976 %",
            "99,722 %",
            "99,800 %",
            "gehaald",
            "niet gehaald",
            "€ 4,90",
            "Mail (IMAP)",
            "100,000 %",
            "0:10",
            "43.000",
            "180 ms",
            "14-11-2026 03:10",
            "14-11-2026 05:10",
            "HTTP 503",
            "geen antwoord binnen de tijd",
            "Server updates",
            "08-11-2026 02:00",
            "Totale creditering",
            "verrekend met uw volgende",
            "Hosting Noord B.V.",
            "Pagina 1 van 1",
        ],
    );
}

#[test]
fn an_italian_report_reads_in_italian() {
    let Some(text) = text(&CardReport::example(Language::It)) else { return };
    assert_holds(
        &text,
        &["novembre 2026", "99,976 %", "rispettato", "non rispettato", "4,90 €", "14/11/2026 03:10", "detratto dalla prossima"],
    );
}

#[test]
fn an_english_report_reads_in_english() {
    let Some(text) = text(&CardReport::example(Language::En)) else { return };
    assert_holds(
        &text,
        &[
            "Availability report November 2026",
            "99.976 %",
            "99.800 %",
            "not met",
            "€4.90",
            "43,000",
            "2026-11-14 03:10",
            "no answer in time",
            "deducted from your next invoice",
            "Page 1 of 1",
        ],
    );
}

#[test]
fn nothing_observed_is_not_measured_and_an_ongoing_incident_has_no_end() {
    let mut r = CardReport::example(Language::En);
    let quiet = &mut r.services[1];
    quiet.availability = None;
    quiet.met = None;
    quiet.credit = Money::eur(0);
    quiet.monitors.iter_mut().for_each(|m| m.availability = None);
    r.credit = Money::eur(0);
    r.incidents[0].ended = None;
    let Some(text) = text(&r) else { return };
    assert_holds(&text, &["not measured", "ongoing", "Every service with a target met it"]);
    assert!(!text.contains("deducted"), "no credit, no deduction:\n{text}");
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    for lang in Language::ALL {
        let r = CardReport::example(lang);
        let a = render_availability(&r, &provider(), &Letterhead::default());
        assert!(a.starts_with(b"%PDF-1.7"), "{lang}");
        assert_eq!(a, render_availability(&r.clone(), &provider(), &Letterhead::default()), "{lang}");
    }
}

/// 40 services and 200 incidents: every one of them is there, each page that continues a table
/// starts it with its header, and the pages are counted.
#[test]
fn a_long_report_breaks_into_pages() {
    let mut r = CardReport::example(Language::Nl);
    let template = r.services[0].clone();
    r.services = (1..=40)
        .map(|n| {
            let mut s = template.clone();
            s.service = format!("dienst-{n:02}.nl");
            s.monitors = (1..=n % 4 + 1).map(|m| MonitorLine { name: format!("mon-{n:02}-{m}"), ..template.monitors[0].clone() }).collect();
            s
        })
        .collect();
    let at = |d: u32| format!("2026-11-{:02}T03:10", d % 30 + 1).parse::<DateTime>().expect("a date-time");
    r.incidents = (1..=200)
        .map(|n| IncidentLine {
            monitor: format!("inc-{n:03}"),
            started: at(n),
            ended: Some(at(n)),
            duration_ms: 60_000 * i64::from(n),
            cause: if n % 2 == 0 { "timeout".into() } else { "HTTP 503".into() },
        })
        .collect();
    let pdf = render_availability(&r, &provider(), &Letterhead::default());
    let Some(text) = common::pdftotext(&pdf) else { return };
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 6, "{} pages", pages.len());
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("Pagina {} van {total}", i + 1)), "page {}:\n{page}", i + 1);
        // A page with incident rows shows the incidents' header; one with monitors, theirs.
        if page.contains("inc-") {
            assert!(page.contains("Oorzaak"), "page {} has incidents without their header:\n{page}", i + 1);
        }
        if page.contains("mon-") {
            assert!(page.contains("Controles"), "page {} has monitors without their header:\n{page}", i + 1);
        }
    }
    for n in 1..=40 {
        assert!(text.contains(&format!("dienst-{n:02}.nl")), "service {n}");
    }
    for n in 1..=200 {
        assert_eq!(text.matches(&format!("inc-{n:03} ")).count(), 1, "incident {n}");
    }
    assert!(text.contains("Totale creditering"));
}

//! The standby confirmation, read back by poppler: in each language it names the reference, the
//! span agreed (local times, the zone named), each part's category in words with its times and
//! price, the hourly rate, the total excluding VAT and the call-out terms; the same confirmation
//! gives the same bytes; words do not run into each other and amounts are right-aligned; a long
//! span breaks into pages with the table's header repeated.

mod common;

use jiff::civil::date;
use jiff::tz::TimeZone;
use loket_domain::Money;
use loket_domain::helpdesk::NoHolidays;
use loket_domain::helpdesk::standby::{Callout, StandbyRegime, price};
use loket_pdf::{Letterhead, StandbyConfirmation, render_standby};

fn example(name: &str) -> StandbyConfirmation {
    loket_pdf::standby::examples().into_iter().find(|(n, _)| *n == name).map(|(_, c)| c).expect("example confirmation")
}

/// The text with every run of white space (line breaks and `-layout`'s column padding) as one
/// space, so that a sentence reads the same wherever it was broken.
fn text(c: &StandbyConfirmation) -> Option<String> {
    common::pdftotext(&render_standby(c, &Letterhead::default())).map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn assert_holds(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} missing from:\n{text}");
    }
}

fn assert_lacks(text: &str, absent: &[&str]) {
    for a in absent {
        assert!(!text.contains(a), "{a:?} should not be in:\n{text}");
    }
}

#[test]
fn a_dutch_weekend_reads_in_dutch() {
    let Some(text) = text(&example("standby-nl")) else { return };
    assert_holds(
        &text,
        &[
            "Bevestiging standby",
            "Referentie S-000042",
            "Afgesproken op 4 mei 2026",
            "Bakkerij De Vries B.V.",
            "standby zijn van vr 8 mei 2026 18:00 tot ma 11 mei 2026 08:30",
            "lokale tijden in Europe/Amsterdam",
            // Each part: category, from, to, time, billed, percentage, price.
            "Avond/nacht vr 08-05-2026 18:00 za 09-05-2026 08:30 14:30 14:30 100 % € 1.232,50",
            "Weekend za 09-05-2026 08:30 za 09-05-2026 18:00 9:30 9:30 50 % € 403,75",
            "Avond/nacht zo 10-05-2026 18:00 ma 11-05-2026 08:30 14:30 14:30 100 % € 1.232,50",
            "Uurtarief € 85,00",
            "Totaal excl. btw € 4.505,00",
            "op uw volgende factuur; de btw wordt daar berekend",
            "standbynummer: +31 50 123 4567",
            "binnen 30 minuten na uw oproep",
            "minimaal 60 minuten, tegen 100 % van het uurtarief",
            "Bevestiging standby S-000042",
            "Pagina 1 van 1",
        ],
    );
    // No office hours in the span, and no note.
    assert_lacks(&text, &["Kantooruren", "Opmerking"]);
}

#[test]
fn an_english_christmas_reads_in_english() {
    let Some(text) = text(&example("standby-en")) else { return };
    assert_holds(
        &text,
        &[
            "Standby confirmation",
            "Reference S-000043",
            "Agreed on 1 December 2026",
            "Brasserie Anvers BV",
            "from Thu 24 December 2026 16:00 to Sun 27 December 2026 19:00",
            "local times in Europe/Amsterdam",
            // Office hours are shown (their name wraps in the cell) but cost nothing. (pdftotext
            // -layout reads their "0 %" as one word or two; the test for alignment reads it.)
            "Office hours (not Thu 2026-12-24 16:00 Thu 2026-12-24 18:00 2:00 0:00",
            "€0.00 standby)",
            "Evening/night Thu 2026-12-24 18:00 Fri 2026-12-25 00:00 6:00 6:00 100 % €510.00",
            "Public holiday Fri 2026-12-25 00:00 Sun 2026-12-27 00:00 48:00 48:00 100 % €4,080.00",
            "Weekend Sun 2026-12-27 08:30 Sun 2026-12-27 18:00 9:30 9:30 50 % €403.75",
            // The last hour is billed as the evening's minimum of two.
            "Evening/night Sun 2026-12-27 18:00 Sun 2026-12-27 19:00 1:00 2:00 100 % €170.00",
            "not part of the standby",
            "Hourly rate €85.00",
            "Total excl. VAT €5,886.25",
            "put on your next invoice; VAT is added there",
            // No number given: the line is named, not numbered.
            "call us on our standby line. We start acting within 30 minutes of your call",
            "at least 60 minutes, at 100 % of the hourly rate",
            "Page 1 of 1",
        ],
    );
    assert_lacks(&text, &["Note"]);
}

#[test]
fn an_italian_long_weekend_reads_in_italian() {
    let Some(text) = text(&example("standby-it")) else { return };
    assert_holds(
        &text,
        &[
            "Conferma reperibilità",
            "Riferimento S-000044",
            "Concordata il 20 maggio 2026",
            "Rossi Web S.r.l.",
            "dal ven 29 maggio 2026 18:00 al mer 3 giugno 2026 08:30",
            "ore locali di Europe/Rome",
            "Sera/notte ven 29/05/2026 18:00 sab 30/05/2026 08:30 14:30 14:30 100 % 1.015,00 €",
            "Fine settimana sab 30/05/2026 08:30 sab 30/05/2026 18:00 9:30 9:30 50 % 332,50 €",
            "Orario d'ufficio (non lun 01/06/2026 08:30 lun 01/06/2026 18:00 9:30 0:00",
            "0,00 € reperibilità)",
            "Festivo mar 02/06/2026 00:00 mer 03/06/2026 00:00 24:00 24:00 100 % 1.680,00 €",
            "non fa parte della reperibilità",
            "Tariffa oraria 70,00 €",
            "Totale imponibile 6.405,00 €",
            "nella prossima fattura, dove si aggiunge l'IVA",
            "numero di reperibilità: +39 02 1234 5678",
            "Interveniamo entro 30 minuti dalla Sua chiamata",
            "minimo 60 minuti, al 100 % della tariffa oraria",
            "Nota Il 2 giugno migriamo i Suoi server di posta",
            "Pagina 1 di 1",
        ],
    );
}

#[test]
fn the_same_confirmation_gives_the_same_bytes() {
    for (name, c) in loket_pdf::standby::examples() {
        let a = render_standby(&c, &Letterhead::default());
        assert!(a.starts_with(b"%PDF-1.7"), "{name}");
        assert_eq!(a, render_standby(&c.clone(), &Letterhead::default()), "{name}");
    }
}

/// A whole December: more than one page, every page that carries parts starts them with the
/// table's header, every part is there once, and the total follows the last.
#[test]
fn a_long_span_breaks_into_pages_with_the_header_repeated() {
    let c = example("standby-nl-december");
    let pdf = render_standby(&c, &Letterhead::default());
    let Some(text) = common::pdftotext(&pdf) else { return };
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() > 1, "{} pages", pages.len());
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("Pagina {} van {total}", i + 1)), "page {}:\n{page}", i + 1);
        if page.contains("Avond/nacht") {
            for label in ["Deel", "Van", "Tot", "Duur", "Berekend", "Tarief", "Prijs"] {
                assert!(page.contains(label), "page {} has parts without the header's {label:?}:\n{page}", i + 1);
            }
        }
    }
    assert!(pages[1].contains("Berekend") && pages[1].contains("Prijs"), "the header on page 2:\n{}", pages[1]);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // Each part's start is its own "from" and the part before's "to"; the first is only a "from".
    for (i, p) in c.quote.parts.iter().enumerate() {
        let from = p.start.strftime("%d-%m-%Y %H:%M").to_string();
        assert_eq!(flat.matches(&format!(" {from} ")).count(), if i == 0 { 1 } else { 2 }, "{from}");
    }
    assert!(pages[total - 1].contains("Totaal excl. btw"), "{}", pages[total - 1]);
    assert!(flat.contains("Opmerking Kerstdrukte"), "{flat}");
}

/// Where a word is on page 1: its text, left, top, right, bottom (points from the top-left).
type Word = (String, [f32; 4]);

/// The table's rows on page 1, each a line of words left to right, between the price column's
/// header and the hourly rate's label.
fn table_rows(words: &[Word], price_label: &str, rate_label: &str) -> (Word, Vec<Vec<Word>>) {
    let header = words.iter().find(|(w, _)| w == price_label).cloned().expect("the price column's header");
    let rate = words.iter().rev().find(|(w, _)| w == rate_label).expect("the hourly rate's label").1;
    let mut rows: Vec<Vec<Word>> = Vec::new();
    let mut inside: Vec<&Word> = words.iter().filter(|(_, a)| a[1] > header.1[3] + 12.0 && a[3] < rate[1]).collect();
    inside.sort_by(|a, b| a.1[1].total_cmp(&b.1[1]).then(a.1[0].total_cmp(&b.1[0])));
    for w in inside {
        match rows.last_mut() {
            Some(row) if (row[0].1[1] - w.1[1]).abs() < 1.0 => row.push(w.clone()),
            _ => rows.push(vec![w.clone()]),
        }
    }
    (header, rows)
}

#[test]
fn words_stand_apart_and_amounts_are_right_aligned() {
    let labels = [("standby-nl", "Prijs", "Uurtarief"), ("standby-en", "Price", "Hourly"), ("standby-it", "Prezzo", "Tariffa")];
    for (name, price_label, rate_label) in labels {
        let Some(words) = common::words(&render_standby(&example(name), &Letterhead::default())) else { return };
        for (i, (a, box_a)) in words.iter().enumerate() {
            for (b, box_b) in &words[i + 1..] {
                assert!(!common::overlap(*box_a, *box_b), "{name}: {a:?} {box_a:?} runs into {b:?} {box_b:?}");
            }
        }
        let (header, rows) = table_rows(&words, price_label, rate_label);
        let parts = rows.iter().filter(|r| r.iter().any(|(w, _)| w == "%")).collect::<Vec<_>>();
        assert!(parts.len() >= 5, "{name}: {rows:?}");
        let percent_right = parts[0].iter().find(|(w, _)| w == "%").expect("a percentage").1[2];
        for row in &parts {
            let price_right = row.last().expect("a price").1[2];
            assert!((price_right - header.1[2]).abs() < 0.1, "{name}: the price ends at {price_right}, the header at {}", header.1[2]);
            let percent = row.iter().find(|(w, _)| w == "%").expect("a percentage").1[2];
            assert!((percent - percent_right).abs() < 0.1, "{name}: percentages end at {percent} and {percent_right}");
        }
    }
}

/// A quote with a call-out (a preview, not what is agreed) shows it as a row of its own, and
/// the total includes it.
#[test]
fn a_call_out_in_the_quote_is_a_row_of_its_own() {
    let mut c = example("standby-nl");
    let tz = TimeZone::get("Europe/Amsterdam").unwrap();
    let (start, end) = (date(2026, 5, 8).at(18, 0, 0, 0), date(2026, 5, 11).at(8, 30, 0, 0));
    let call = Callout { at: date(2026, 5, 9).at(22, 15, 0, 0), worked_minutes: 20 };
    c.quote = price(&StandbyRegime::seed_003(), Money::eur(8500), &tz, &NoHolidays, start, end, &[call]).unwrap();
    let Some(text) = text(&c) else { return };
    assert_holds(&text, &["Oproep za 09-05-2026 22:15 0:20 1:00 100 % € 85,00", "Totaal excl. btw € 4.590,00"]);
}

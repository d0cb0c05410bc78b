//! The payment reminder letter, read back by poppler: in each language it names the invoice,
//! its dates, the open amount, IBAN and reference, its title counts the reminders, the
//! GiroCode asks for the open amount, and the same letter gives the same bytes.

mod common;

use loket_pdf::{Letterhead, ReminderLetter, render_reminder};

fn letter(name: &str) -> ReminderLetter {
    loket_pdf::reminder::examples().into_iter().find(|(n, _)| *n == name).map(|(_, l)| l).expect("example reminder")
}

fn text(letter: &ReminderLetter) -> Option<String> {
    common::pdftotext(&render_reminder(letter, &Letterhead::default()))
}

fn assert_holds(text: &str, expected: &[&str]) {
    for e in expected {
        assert!(text.contains(e), "{e:?} missing from:\n{text}");
    }
}

#[test]
fn a_dutch_reminder_reads_in_dutch() {
    let Some(text) = text(&letter("reminder-nl")) else { return };
    assert_holds(
        &text,
        &[
            "Betalingsherinnering",
            "Geachte heer, mevrouw,",
            "factuur 2026-00101 van 1 december 2026",
            "€ 116,22",
            "15 december 2026",
            "binnen 14 dagen",
            "19 januari 2027",
            "NL91ABNA0417164300",
            "RF48202600101",
            "BIC ABNANL2A",
            "Bakkerij De Vries B.V.",
            "als niet verzonden beschouwen",
            "Pagina 1 van 1",
        ],
    );
}

#[test]
fn an_italian_reminder_reads_in_italian() {
    let Some(text) = text(&letter("reminder-it")) else { return };
    assert_holds(
        &text,
        &[
            "Secondo sollecito",
            "Le abbiamo già ricordato la fattura FT2026/00011",
            "31,86 €",
            "15 dicembre 2026",
            "01/12/2026",
            "entro 10 giorni",
            "IT60X0542811101000000123456",
            "RF21FT202600011",
            "non tenga conto di questa lettera",
            "Pagina 1 di 1",
        ],
    );
}

#[test]
fn an_english_reminder_reads_in_english() {
    let Some(text) = text(&letter("reminder-en")) else { return };
    assert_holds(
        &text,
        &[
            "Third reminder",
            "invoice 2026-00103 of 1 December 2026",
            "€29.00",
            "15 December 2026",
            "within 7 days",
            "NL91ABNA0417164300",
            "RF91202600103",
            "Brasserie Anvers BV",
            "please disregard this letter",
        ],
    );
}

#[test]
fn the_title_counts_the_reminders_in_each_language() {
    let cases = [
        ("reminder-nl", [(1, "Betalingsherinnering"), (2, "Tweede herinnering"), (7, "7e herinnering")]),
        ("reminder-it", [(1, "Sollecito di pagamento"), (2, "Secondo sollecito"), (7, "7° sollecito")]),
        ("reminder-en", [(1, "Payment reminder"), (2, "Second reminder"), (7, "Reminder 7")]),
    ];
    for (name, titles) in cases {
        for (n, title) in titles {
            let mut l = letter(name);
            l.reminder = n;
            let Some(text) = text(&l) else { return };
            assert!(text.contains(&format!("{title} {}", l.invoice_number)), "{name} #{n}: {title:?} missing from the footer:\n{text}");
        }
    }
}

#[test]
fn one_day_is_singular() {
    let mut l = letter("reminder-en");
    l.pay_within_days = 1;
    let Some(text) = text(&l) else { return };
    assert!(text.contains("within 1 day,"), "{text}");
}

#[test]
fn the_same_letter_gives_the_same_bytes() {
    for (name, l) in loket_pdf::reminder::examples() {
        let a = render_reminder(&l, &Letterhead::default());
        assert!(a.starts_with(b"%PDF-1.7"), "{name}");
        assert_eq!(a, render_reminder(&l.clone(), &Letterhead::default()), "{name}");
    }
}

#[test]
fn the_girocode_asks_for_the_open_amount() {
    let cases = [
        ("reminder-nl", "ABNANL2A\nHosting Noord B.V.\nNL91ABNA0417164300\nEUR116.22\n\nRF48202600101"),
        ("reminder-it", "BPMOIT22\nGestione Internet S.r.l.\nIT60X0542811101000000123456\nEUR31.86\n\nRF21FT202600011"),
    ];
    for (name, expected) in cases {
        let pdf = render_reminder(&letter(name), &Letterhead::default());
        let Some(codes) = common::qr_codes(name, &pdf) else { return };
        assert_eq!(codes, [format!("BCD\n002\n1\nSCT\n{expected}")], "{name}");
    }
}

#[test]
fn without_an_iban_there_is_nothing_to_scan() {
    let mut l = letter("reminder-nl");
    l.provider.iban = None;
    let pdf = render_reminder(&l, &Letterhead::default());
    let Some(text) = common::pdftotext(&pdf) else { return };
    assert!(!text.contains("Zo betaalt u") && !text.contains("Scan om te betalen"), "{text}");
    assert!(text.contains("€ 116,22") && text.contains("als niet verzonden beschouwen"), "{text}");
}

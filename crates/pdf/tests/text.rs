//! What a reader of the PDF finds in it, read back by poppler's `pdftotext` (Debian
//! `poppler-utils`): the number, dates, totals, IBAN and payment reference in the customer's
//! language. Without pdftotext the test says so and passes, unless `LOKET_REQUIRE_VALIDATORS=1`.

mod common;

use common::pdftotext;
use loket_pdf::{Letterhead, render};

fn example(name: &str) -> loket_documents::Doc {
    loket_documents::examples::all().into_iter().find(|(n, _)| *n == name).map(|(_, d)| d).expect("example")
}

#[test]
fn a_dutch_invoice_reads_in_dutch() {
    let Some(text) = pdftotext(&render(&example("nl-business-rates"), &Letterhead::default())) else { return };
    for expected in [
        "Factuur",
        "2026-00101",
        "1 december 2026",
        "15 december 2026",
        "€ 116,22",
        "€ 108,44",
        "NL91ABNA0417164300",
        "RF48202600101",
        "Bakkerij De Vries B.V.",
        "01-12-2026 – 31-12-2026",
        "Pagina 1 van 1",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn an_italian_invoice_reads_in_italian_with_accents() {
    let Some(text) = pdftotext(&render(&example("it-exempt-stamp-duty"), &Letterhead::default())) else { return };
    for expected in [
        "Fattura",
        "FT2026/00015",
        "1 dicembre 2026",
        "Scadenza",
        "15 dicembre 2026",
        "400,00 €",
        "IT60X0542811101000000123456",
        "RF10FT202600015",
        "Operazione esente da IVA",
        "Imposta di bollo di 2,00 euro assolta in modo virtuale",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn a_credit_note_names_the_invoice_it_corrects() {
    let Some(text) = pdftotext(&render(&example("nl-credit-note"), &Letterhead::default())) else { return };
    assert!(text.contains("Creditnota"), "{text}");
    assert!(text.contains("corrigeert factuur 2026-00101 van 1 december 2026"), "{text}");
    assert!(!text.contains("Scan om te betalen"), "a credit note asks for no payment:\n{text}");
}

#[test]
fn reverse_charge_says_so_in_english() {
    let Some(text) = pdftotext(&render(&example("be-reverse-charge"), &Letterhead::default())) else { return };
    assert!(text.contains("VAT reverse-charged"), "{text}");
    assert!(text.contains("Brasserie Anvers BV"), "{text}");
}

#[test]
fn names_outside_ascii_survive() {
    let Some(text) = pdftotext(&render(&example("de-consumer-oss"), &Letterhead::default())) else { return };
    assert!(text.contains("Jürgen Groß"), "{text}");
}

#[test]
fn a_long_invoice_numbers_its_pages() {
    let Some(text) = pdftotext(&render(&example("nl-long"), &Letterhead::default())) else { return };
    assert!(text.contains("Pagina 1 van 3") && text.contains("Pagina 3 van 3"), "{text}");
    assert_eq!(text.matches("Omschrijving").count(), 3, "the table header repeats on every page");
}

#[test]
fn a_quote_says_until_when_it_holds_and_asks_no_payment() {
    let Some(text) = pdftotext(&render(&example("nl-quote"), &Letterhead::default())) else { return };
    for expected in ["Offerte", "Q2026-00004", "Geldig tot en met", "31 december 2026", "€ 387,14", "Inclusief verhuizing"] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    for absent in ["Vervaldatum", "Betalingskenmerk", "Scan om te betalen"] {
        assert!(!text.contains(absent), "{absent:?} on a quote:\n{text}");
    }
}

#[test]
fn the_invoice_girocode_scans() {
    let pdf = render(&example("nl-business-rates"), &Letterhead::default());
    let Some(codes) = common::qr_codes("invoice", &pdf) else { return };
    assert_eq!(codes, ["BCD\n002\n1\nSCT\nABNANL2A\nHosting Noord B.V.\nNL91ABNA0417164300\nEUR116.22\n\nRF48202600101"]);
}

#[test]
fn the_table_header_labels_stand_apart() {
    // "Q.tà" once ran into "Prezzo unitario": read as one word.
    for (name, quantity, unit_price) in
        [("nl-business-rates", "Aantal", "Prijs"), ("it-business-rates", "Q.tà", "Prezzo"), ("be-reverse-charge", "Qty", "Unit")]
    {
        let Some(words) = common::words(&render(&example(name), &Letterhead::default())) else { return };
        for label in [quantity, unit_price] {
            assert!(words.iter().any(|(w, _)| w == label), "{name}: {label:?} is not a word of its own: {words:?}");
        }
    }
}

#[test]
fn the_stamp_duty_is_named_only_where_the_fattura_declares_it() {
    for (name, stamped) in [("it-exempt-stamp-duty", true), ("it-zero-rated", true), ("it-business-rates", false), ("nl-exempt", false)] {
        let Some(text) = pdftotext(&render(&example(name), &Letterhead::default())) else { return };
        let says = text.contains("bollo") || text.contains("Zegelrecht") || text.contains("Stamp duty");
        assert_eq!(says, stamped, "{name}:\n{text}");
        assert_eq!(loket_documents::fatturapa::stamp_duty(&example(name)), stamped, "{name}");
    }
}

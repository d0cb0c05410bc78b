//! Documents as PDF: A4 pages with the provider's letterhead (and logo), the parties as frozen
//! at issue, the lines with their periods (the table's header repeated on every page), the VAT
//! breakdown per rate, totals, the wording reverse charge and exemption need, how to pay (IBAN,
//! RF reference and the EPC "GiroCode" QR code on a euro invoice) and "page n of m" — in the
//! customer's language, set in fonts that ship with Loket. Payment reminders ([`reminder`]) are
//! letters on the same letterhead, and so are a card's monthly availability report
//! ([`availability`]) and the confirmation of a standby period agreed with a card
//! ([`standby`]). Written with `pdf-writer`: no timestamps or random ids, so the same document
//! gives the same bytes.

pub mod availability;
mod blocks;
mod canvas;
mod fonts;
mod logo;
mod output;
mod payment;
pub mod reminder;
pub mod standby;

use std::sync::Arc;

use jiff::civil::Date;
use loket_documents::{Doc, DocKind, girocode};
use loket_domain::{Currency, Language, Money};

pub use availability::render_availability;
use canvas::{Canvas, Ink, MARGIN, WIDTH, Weight};
pub use logo::{Logo, LogoError};
pub use reminder::{ReminderLetter, render_reminder};
pub use standby::{StandbyConfirmation, render_standby};

/// How the provider's documents look.
#[derive(Debug, Clone)]
pub struct Letterhead {
    /// The accent colour of the letterhead (the brand's, checked for contrast on white).
    pub accent: [u8; 3],
    /// The provider's logo, top-left on the first page; read once with [`Logo::from_bytes`]
    /// and shared by every document rendered with this letterhead.
    pub logo: Option<Arc<Logo>>,
}

impl Default for Letterhead {
    fn default() -> Self {
        Letterhead { accent: [0x1d, 0x4e, 0xd8], logo: None }
    }
}

/// Prepares the fonts now instead of on the first document (a server calls it at start-up).
pub fn warm_up() {
    fonts::fonts();
}

/// The PDF of `doc`.
pub fn render(doc: &Doc, letterhead: &Letterhead) -> Vec<u8> {
    let mut c = Canvas::new(fonts::fonts(), letterhead.accent);
    let logo = letterhead.logo.as_deref();
    header(&mut c, doc, logo);
    lines(&mut c, doc);
    totals(&mut c, doc);
    payment(&mut c, doc);
    let label = format!("{} {}", title(doc), doc.number);
    output::finish(c, &output::Meta { lang: doc.language, seller: &doc.seller, label, logo })
}

/// A translated text without the isolation marks Fluent puts around arguments.
fn tr(lang: Language, key: &str, args: &[(&str, &str)]) -> String {
    let s = if args.is_empty() { loket_i18n::t(lang, key) } else { loket_i18n::t_args(lang, key, args) };
    s.replace(['\u{2068}', '\u{2069}'], "")
}

fn money(doc: &Doc, minor: i64) -> String {
    money_in(doc.language, doc.currency, minor)
}

fn money_in(lang: Language, currency: Currency, minor: i64) -> String {
    loket_i18n::format_money(lang, Money::new(minor, currency))
}

fn date(lang: Language, d: Date) -> String {
    loket_i18n::format_date(lang, d)
}

/// A compact date for table cells.
fn short_date(lang: Language, d: Date) -> String {
    match lang {
        Language::Nl => d.strftime("%d-%m-%Y").to_string(),
        Language::It => d.strftime("%d/%m/%Y").to_string(),
        Language::En => d.to_string(),
    }
}

fn percent(lang: Language, bp: i64) -> String {
    let s = loket_documents::trimmed(bp, 2);
    let s = if lang == Language::En { s } else { s.replace('.', ",") };
    format!("{s}%")
}

fn title(doc: &Doc) -> String {
    if doc.quote.is_some() {
        return tr(doc.language, "pdf-quote", &[]);
    }
    tr(doc.language, &format!("billing-kind-{}", doc.kind.name()), &[])
}

fn header(c: &mut Canvas, doc: &Doc, logo: Option<&Logo>) {
    let lang = doc.language;
    let dated = if doc.quote.is_some() { "pdf-date" } else { "invoice-issue-date" };
    let mut facts = vec![(tr(lang, "pdf-number", &[]), doc.number.clone()), (tr(lang, dated, &[]), date(lang, doc.issue_date))];
    let asks_payment = doc.kind != DocKind::CreditNote && doc.quote.is_none();
    if let Some(q) = &doc.quote {
        facts.push((tr(lang, "pdf-valid-until", &[]), date(lang, q.valid_until)));
    } else if asks_payment {
        facts.push((tr(lang, "invoice-due-date", &[]), date(lang, doc.due_date)));
    }
    if let Some(n) = &doc.buyer.number {
        facts.push((tr(lang, "invoice-customer-number", &[]), n.clone()));
    }
    if asks_payment {
        facts.push((tr(lang, "invoice-reference", &[]), doc.payment_reference.clone()));
    }
    let top = blocks::top(c, lang, &doc.seller, logo, &title(doc), &facts);
    let mut y = blocks::addressee(c, lang, &doc.buyer, top - 18.0);
    if let Some(corrected) = &doc.corrects {
        y -= 8.0;
        let text = tr(lang, "pdf-credits", &[("number", &corrected.number), ("date", &date(lang, corrected.issue_date))]);
        c.text(MARGIN, y, 9.5, Weight::Bold, Ink::Text, &text);
        y -= 12.0;
    }
    c.y = y - 16.0;
}

/// Column right edges (amount columns) and the description's width.
const DESC_WIDTH: f32 = 205.0;
const PERIOD_X: f32 = MARGIN + DESC_WIDTH + 8.0;
const QTY_R: f32 = 385.0;
const PRICE_R: f32 = 457.0;
const VAT_R: f32 = 492.0;
const NET_R: f32 = WIDTH - MARGIN;

fn table_header(c: &mut Canvas, lang: Language) {
    let y = c.y;
    let h = |k: &str| tr(lang, k, &[]);
    c.text(MARGIN, y, 7.5, Weight::Bold, Ink::Muted, &h("invoice-col-description"));
    c.text(PERIOD_X, y, 7.5, Weight::Bold, Ink::Muted, &h("invoice-col-period"));
    c.text_right(QTY_R, y, 7.5, Weight::Bold, Ink::Muted, &h("pdf-col-quantity"));
    c.text_right(PRICE_R, y, 7.5, Weight::Bold, Ink::Muted, &h("invoice-col-unit-price"));
    c.text_right(VAT_R, y, 7.5, Weight::Bold, Ink::Muted, &h("pdf-col-vat"));
    c.text_right(NET_R, y, 7.5, Weight::Bold, Ink::Muted, &h("pdf-col-amount"));
    c.rule(MARGIN, NET_R, y - 4.0, 0.8, 0.2);
    c.y = y - 16.0;
}

fn lines(c: &mut Canvas, doc: &Doc) {
    let lang = doc.language;
    c.ensure(40.0);
    table_header(c, lang);
    for l in &doc.lines {
        let desc = c.wrap(&l.description, 8.5, Weight::Regular, DESC_WIDTH);
        let height = desc.len() as f32 * 11.0 + 5.0;
        if c.ensure(height) {
            table_header(c, lang);
        }
        let y = c.y;
        for (i, text) in desc.iter().enumerate() {
            c.text(MARGIN, y - i as f32 * 11.0, 8.5, Weight::Regular, Ink::Text, text);
        }
        if let Some((from, to)) = l.period {
            let last = Doc::last_day(to).max(from);
            c.text(PERIOD_X, y, 7.5, Weight::Regular, Ink::Muted, &format!("{} – {}", short_date(lang, from), short_date(lang, last)));
        }
        let qty = loket_documents::trimmed(l.quantity_milli, 3);
        let qty = if lang == Language::En { qty } else { qty.replace('.', ",") };
        c.text_right(QTY_R, y, 8.5, Weight::Regular, Ink::Text, &qty);
        c.text_right(PRICE_R, y, 8.5, Weight::Regular, Ink::Text, &money(doc, l.unit_price));
        let vat = if l.vat_code == "S" || l.vat_code == "Z" { percent(lang, l.vat_rate) } else { l.vat_code.clone() };
        c.text_right(VAT_R, y, 8.5, Weight::Regular, Ink::Text, &vat);
        c.text_right(NET_R, y, 8.5, Weight::Regular, Ink::Text, &money(doc, l.net));
        c.y = y - height + 5.0;
        c.rule(MARGIN, NET_R, c.y + 2.0, 0.3, 0.8);
        c.y -= 10.0;
    }
}

fn totals(c: &mut Canvas, doc: &Doc) {
    let lang = doc.language;
    let rows = doc.breakdown.len() as f32 + 3.0;
    c.ensure(rows * 13.0 + 20.0);
    let label_r = NET_R - 110.0;
    let mut y = c.y - 4.0;
    c.text_right(label_r, y, 9.0, Weight::Regular, Ink::Muted, &tr(lang, "invoice-net", &[]));
    c.text_right(NET_R, y, 9.0, Weight::Regular, Ink::Text, &money(doc, doc.net));
    y -= 13.0;
    for r in &doc.breakdown {
        let label = match r.code.as_str() {
            "S" | "Z" => format!("{} {} · {}", tr(lang, "vat-code-S", &[]), percent(lang, r.rate), money(doc, r.taxable)),
            code => format!("{} · {}", tr(lang, &format!("vat-code-{code}"), &[]), money(doc, r.taxable)),
        };
        c.text_right(label_r, y, 9.0, Weight::Regular, Ink::Muted, &label);
        c.text_right(NET_R, y, 9.0, Weight::Regular, Ink::Text, &money(doc, r.vat));
        y -= 13.0;
    }
    c.rule(label_r - 120.0, NET_R, y + 8.0, 0.8, 0.2);
    y -= 4.0;
    c.text_right(label_r, y, 11.0, Weight::Bold, Ink::Text, &tr(lang, "invoice-gross", &[]));
    c.text_right(NET_R, y, 11.0, Weight::Bold, Ink::Text, &money(doc, doc.gross));
    c.y = y - 22.0;
    // The wording a zero-VAT category needs on the document.
    let mut codes: Vec<&str> = doc.breakdown.iter().map(|r| r.code.as_str()).filter(|c| matches!(*c, "AE" | "E" | "O")).collect();
    codes.dedup();
    for code in codes {
        note(c, &tr(lang, &format!("pdf-vat-note-{code}"), &[]));
    }
    if loket_documents::fatturapa::stamp_duty(doc) {
        note(c, &tr(lang, "pdf-stamp-duty", &[]));
    }
}

/// A paragraph of wording the law asks for, under the totals.
fn note(c: &mut Canvas, text: &str) {
    for line in c.wrap(text, 8.5, Weight::Regular, WIDTH - 2.0 * MARGIN) {
        c.ensure(12.0);
        let y = c.y;
        c.text(MARGIN, y, 8.5, Weight::Regular, Ink::Text, &line);
        c.y -= 11.0;
    }
    c.y -= 4.0;
}

fn payment(c: &mut Canvas, doc: &Doc) {
    if let Some(q) = &doc.quote {
        quote_terms(c, doc, q);
        return;
    }
    if doc.kind == DocKind::CreditNote {
        return;
    }
    let lang = doc.language;
    let Some(iban) = doc.seller.iban.as_deref() else { return };
    let text = tr(
        lang,
        "invoice-pay-text",
        &[
            ("amount", &money(doc, doc.gross)),
            ("iban", iban),
            ("reference", &doc.payment_reference),
            ("due_date", &date(lang, doc.due_date)),
        ],
    );
    payment::how_to_pay(c, lang, &text, doc.seller.bic.as_deref(), girocode::payload(doc, doc.gross).as_deref());
}

/// A quote's note and how it is accepted, instead of how to pay.
fn quote_terms(c: &mut Canvas, doc: &Doc, q: &loket_documents::QuoteTerms) {
    let lang = doc.language;
    let mut paragraphs = Vec::new();
    if let Some(note) = &q.note {
        paragraphs.push((Weight::Bold, note.clone()));
    }
    paragraphs.push((Weight::Regular, tr(lang, "quote-first-invoice", &[])));
    paragraphs.push((Weight::Regular, tr(lang, "pdf-quote-accept", &[("valid_until", &date(lang, q.valid_until))])));
    for (weight, text) in paragraphs {
        c.paragraph(&text, 9.0, weight, 12.0);
        c.y -= 6.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        for (name, doc) in loket_documents::examples::all() {
            let a = render(&doc, &Letterhead::default());
            let b = render(&doc, &Letterhead::default());
            assert!(a.starts_with(b"%PDF-1.7"), "{name}");
            assert_eq!(a, b, "{name}");
        }
    }

    #[test]
    fn a_long_invoice_breaks_into_pages() {
        let (_, doc) = loket_documents::examples::all().into_iter().find(|(n, _)| *n == "nl-long").expect("long example");
        let pdf = render(&doc, &Letterhead::default());
        let pages = pdf.windows(b"/Type /Page\n".len()).filter(|w| *w == b"/Type /Page\n").count();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.matches("/Type /Page").count() - text.matches("/Type /Pages").count() >= 2, "{pages}");
    }
}

//! A payment reminder as a letter on the provider's letterhead: the customer's address, a
//! short polite paragraph naming the invoice, its dates and what is still open, the invoice as
//! a one-row table, how to pay (with the GiroCode for the open amount), and "if you have
//! already paid, ignore this letter" — in the customer's language. Like every document, the
//! same letter gives the same bytes.

use jiff::civil::Date;
use loket_documents::{Doc, DocKind, girocode};
use loket_domain::billing::document::Party;
use loket_domain::{Currency, Language};

use crate::canvas::{Canvas, Ink, MARGIN, WIDTH, Weight};
use crate::{Letterhead, blocks, date, fonts, money_in, output, payment, short_date, tr};

/// A reminder of one invoice that is not (fully) paid.
#[derive(Debug, Clone)]
pub struct ReminderLetter {
    pub language: Language,
    pub currency: Currency,
    /// The provider, as frozen on the invoice (name, address, VAT number, IBAN, BIC).
    pub provider: Party,
    /// The customer, as frozen on the invoice.
    pub customer: Party,
    /// The day of the reminder.
    pub date: Date,
    /// Which reminder this is: 1 for the first.
    pub reminder: u32,
    pub invoice_number: String,
    pub invoice_date: Date,
    pub due_date: Date,
    /// What is still to pay, in minor units.
    pub open: i64,
    /// The ISO 11649 (RF) reference the customer pays with.
    pub payment_reference: String,
    /// The days the customer is given to pay, counted from `date`.
    pub pay_within_days: u32,
}

impl ReminderLetter {
    /// The `reminder`th reminder, dated `date`, of `invoice` as issued, of which `open` (minor
    /// units) is still to pay within `pay_within_days` days.
    pub fn for_invoice(invoice: &Doc, date: Date, reminder: u32, open: i64, pay_within_days: u32) -> ReminderLetter {
        ReminderLetter {
            language: invoice.language,
            currency: invoice.currency,
            provider: invoice.seller.clone(),
            customer: invoice.buyer.clone(),
            date,
            reminder,
            invoice_number: invoice.number.clone(),
            invoice_date: invoice.issue_date,
            due_date: invoice.due_date,
            open,
            payment_reference: invoice.payment_reference.clone(),
            pay_within_days,
        }
    }

    /// The last day to pay: `pay_within_days` after the letter's date.
    pub fn pay_by(&self) -> Date {
        self.date.checked_add(jiff::Span::new().days(i64::from(self.pay_within_days))).unwrap_or(self.date)
    }

    /// "Payment reminder", "Second reminder" …
    fn title(&self) -> String {
        tr(self.language, "pdf-reminder-title", &[("reminder", &self.reminder.max(1).to_string())])
    }

    /// The invoice with what the EPC payload needs (provider, currency, number, reference).
    fn invoice(&self) -> Doc {
        Doc {
            kind: DocKind::Invoice,
            number: self.invoice_number.clone(),
            issue_date: self.invoice_date,
            due_date: self.due_date,
            currency: self.currency,
            language: self.language,
            seller: self.provider.clone(),
            buyer: Party::default(),
            lines: Vec::new(),
            breakdown: Vec::new(),
            net: self.open,
            vat: 0,
            gross: self.open,
            payment_reference: self.payment_reference.clone(),
            corrects: None,
            quote: None,
        }
    }
}

/// The PDF of `letter`.
pub fn render_reminder(letter: &ReminderLetter, letterhead: &Letterhead) -> Vec<u8> {
    let lang = letter.language;
    let logo = letterhead.logo.as_deref();
    let mut c = Canvas::new(fonts::fonts(), letterhead.accent);
    let title = letter.title();
    let mut facts = vec![(tr(lang, "pdf-date", &[]), date(lang, letter.date))];
    if let Some(n) = &letter.customer.number {
        facts.push((tr(lang, "invoice-customer-number", &[]), n.clone()));
    }
    facts.push((tr(lang, "invoice-reference", &[]), letter.payment_reference.clone()));
    let top = blocks::top(&mut c, lang, &letter.provider, logo, &title, &facts);
    let y = blocks::addressee(&mut c, lang, &letter.customer, top - 18.0);
    c.y = y - 28.0;

    let open = money_in(lang, letter.currency, letter.open);
    let pay_by = date(lang, letter.pay_by());
    c.paragraph(&tr(lang, "pdf-reminder-salutation", &[]), 9.5, Weight::Regular, 13.0);
    c.y -= 6.0;
    let body = tr(
        lang,
        "pdf-reminder-body",
        &[
            ("reminder", &letter.reminder.max(1).to_string()),
            ("number", &letter.invoice_number),
            ("date", &date(lang, letter.invoice_date)),
            ("due_date", &date(lang, letter.due_date)),
            ("amount", &open),
        ],
    );
    c.paragraph(&body, 9.5, Weight::Regular, 13.0);
    c.y -= 14.0;
    invoice_table(&mut c, letter, &open);
    c.y -= 10.0;
    let request = tr(lang, "pdf-reminder-request", &[("days", &letter.pay_within_days.to_string()), ("pay_by", &pay_by)]);
    c.paragraph(&request, 9.5, Weight::Regular, 13.0);
    c.y -= 14.0;

    if let Some(iban) = letter.provider.iban.as_deref() {
        let text = tr(
            lang,
            "invoice-pay-text",
            &[("amount", &open), ("iban", iban), ("reference", &letter.payment_reference), ("due_date", &pay_by)],
        );
        let qr = girocode::payload(&letter.invoice(), letter.open);
        payment::how_to_pay(&mut c, lang, &text, letter.provider.bic.as_deref(), qr.as_deref());
        c.y -= 8.0;
    }

    c.paragraph(&tr(lang, "pdf-reminder-already-paid", &[]), 9.5, Weight::Regular, 13.0);
    c.y -= 14.0;
    c.ensure(40.0);
    c.paragraph(&tr(lang, "pdf-reminder-closing", &[]), 9.5, Weight::Regular, 13.0);
    c.y -= 4.0;
    let name = letter.provider.trading_name.as_deref().or(letter.provider.legal_name.as_deref()).unwrap_or_default();
    c.paragraph(name, 9.5, Weight::Bold, 13.0);

    let label = format!("{title} {}", letter.invoice_number);
    output::finish(c, &output::Meta { lang, seller: &letter.provider, label, logo })
}

/// The invoice reminded of, as a table of one row: number, date, due date, open.
fn invoice_table(c: &mut Canvas, letter: &ReminderLetter, open: &str) {
    let lang = letter.language;
    let (date_x, due_x, open_r) = (MARGIN + 150.0, MARGIN + 270.0, WIDTH - MARGIN);
    c.ensure(40.0);
    let y = c.y;
    let h = |k: &str| tr(lang, k, &[]);
    c.text(MARGIN, y, 7.5, Weight::Bold, Ink::Muted, &h("billing-kind-invoice"));
    c.text(date_x, y, 7.5, Weight::Bold, Ink::Muted, &h("invoice-issue-date"));
    c.text(due_x, y, 7.5, Weight::Bold, Ink::Muted, &h("invoice-due-date"));
    c.text_right(open_r, y, 7.5, Weight::Bold, Ink::Muted, &h("invoice-open"));
    c.rule(MARGIN, open_r, y - 4.0, 0.8, 0.2);
    let y = y - 17.0;
    c.text(MARGIN, y, 9.0, Weight::Regular, Ink::Text, &letter.invoice_number);
    c.text(date_x, y, 9.0, Weight::Regular, Ink::Text, &short_date(lang, letter.invoice_date));
    c.text(due_x, y, 9.0, Weight::Regular, Ink::Text, &short_date(lang, letter.due_date));
    c.text_right(open_r, y, 9.0, Weight::Bold, Ink::Text, open);
    c.rule(MARGIN, open_r, y - 6.0, 0.3, 0.8);
    c.y = y - 20.0;
}

/// A reminder in each language, of the example invoices: for the samples, tests and
/// benchmarks.
pub fn examples() -> Vec<(&'static str, ReminderLetter)> {
    let docs = loket_documents::examples::all();
    let invoice = |name: &str| docs.iter().find(|(n, _)| *n == name).map(|(_, d)| d.clone()).expect("an example invoice");
    let day = |y, m, d| Date::new(y, m, d).expect("a valid date");
    let nl = invoice("nl-business-rates");
    let it = invoice("it-business-rates");
    let en = invoice("be-reverse-charge");
    vec![
        ("reminder-nl", ReminderLetter::for_invoice(&nl, day(2027, 1, 5), 1, nl.gross, 14)),
        ("reminder-it", ReminderLetter::for_invoice(&it, day(2027, 1, 20), 2, it.gross - 5000, 10)),
        ("reminder-en", ReminderLetter::for_invoice(&en, day(2027, 2, 3), 3, en.gross, 7)),
    ]
}

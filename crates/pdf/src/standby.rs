//! The confirmation of a standby period agreed with a card, as a letter on the provider's
//! letterhead: the customer's address, the span agreed (local times in the provider's zone,
//! named), the price part by part as [`loket_domain::helpdesk::standby::price`] made it
//! (office hours shown but not charged, evening/night, weekend, public holiday; any call-outs
//! the quote holds as rows of their own), the hourly rate and the total excluding VAT that the
//! card's next invoice carries, and what a call during the standby brings: how to call, how soon
//! action starts and how the time worked is billed. In the customer's language; like every
//! document, the same confirmation gives the same bytes.

use std::collections::BTreeSet;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use loket_domain::billing::document::Party;
use loket_domain::helpdesk::standby::{CalloutTerms, StandbyCategory, StandbyQuote, StandbyRegime, price};
use loket_domain::{Language, Money};

use crate::canvas::{Canvas, Ink, MARGIN, WIDTH, Weight};
use crate::{Letterhead, blocks, date, fonts, output, short_date, tr};

/// A standby period as agreed with a card, priced.
#[derive(Debug, Clone)]
pub struct StandbyConfirmation {
    /// The period as the caller names it, e.g. `S-000042`.
    pub reference: String,
    /// The day the standby was agreed.
    pub date: Date,
    /// The customer's language.
    pub language: Language,
    /// The card, as the letter's addressee.
    pub customer: Party,
    /// The provider: letterhead and footer.
    pub provider: Party,
    /// The price of the span, part by part, as [`price`] made it. Its parts' local times are
    /// the span; call-outs, if it holds any, are rows of their own and in its total.
    pub quote: StandbyQuote,
    /// What a call during the standby brings (the regime's terms the customer relies on).
    pub callout: CalloutTerms,
    /// The number the customer calls during the standby; without one the letter speaks of
    /// "our standby line".
    pub phone: Option<String>,
    /// The name of the provider's time zone the times are in, e.g. `Europe/Amsterdam`.
    pub time_zone: String,
    /// Said under the call-out terms; nothing when empty.
    pub note: String,
}

impl StandbyConfirmation {
    /// The local start and end of the span: the first part's start, the last part's end.
    pub fn span(&self) -> Option<(DateTime, DateTime)> {
        Some((self.quote.parts.first()?.start, self.quote.parts.last()?.end))
    }
}

/// The right end of the table.
const RIGHT: f32 = WIDTH - MARGIN;
/// The parts' table: the category (wrapped to its width), from and to, then right-aligned
/// time, billed time, percentage and price.
const CAT_W: f32 = 90.0;
const FROM_X: f32 = MARGIN + CAT_W + 6.0;
const TO_X: f32 = FROM_X + 100.0;
const TIME_R: f32 = 388.0;
const BILLED_R: f32 = 446.0;
const PERCENT_R: f32 = 490.0;

/// Table rows.
const SIZE: f32 = 8.0;
const LEADING: f32 = 10.5;
/// Column headers.
const HEAD: f32 = 7.0;

/// The PDF of `c`.
pub fn render_standby(c: &StandbyConfirmation, letterhead: &Letterhead) -> Vec<u8> {
    let lang = c.language;
    let logo = letterhead.logo.as_deref();
    let mut canvas = Canvas::new(fonts::fonts(), letterhead.accent);
    let title = tr(lang, "pdf-standby-title", &[]);
    let mut facts =
        vec![(tr(lang, "pdf-standby-reference", &[]), c.reference.clone()), (tr(lang, "pdf-standby-agreed-on", &[]), date(lang, c.date))];
    if let Some(n) = &c.customer.number {
        facts.push((tr(lang, "invoice-customer-number", &[]), n.clone()));
    }
    let top = blocks::top(&mut canvas, lang, &c.provider, logo, &title, &facts);
    let y = blocks::addressee(&mut canvas, lang, &c.customer, top - 18.0);
    canvas.y = y - 28.0;

    if let Some((start, end)) = c.span() {
        let agreed = tr(
            lang,
            "pdf-standby-agreed",
            &[("start", &spoken_time(lang, start)), ("end", &spoken_time(lang, end)), ("zone", &c.time_zone)],
        );
        canvas.paragraph(&agreed, 9.5, Weight::Regular, 13.0);
        canvas.y -= 6.0;
    }
    canvas.paragraph(&tr(lang, "pdf-standby-parts", &[]), 9.5, Weight::Regular, 13.0);
    canvas.y -= 14.0;
    parts(&mut canvas, lang, &c.quote);
    if c.quote.parts.iter().any(|p| p.category == StandbyCategory::OfficeHours) {
        canvas.y -= 4.0;
        canvas.paragraph(&tr(lang, "pdf-standby-office-hours", &[]), SIZE, Weight::Regular, LEADING);
    }
    totals(&mut canvas, lang, &c.quote);
    callout_terms(&mut canvas, c);
    if !c.note.trim().is_empty() {
        canvas.y -= 10.0;
        canvas.ensure(16.0 + 13.0);
        heading(&mut canvas, &tr(lang, "pdf-standby-note", &[]));
        canvas.paragraph(c.note.trim(), 9.5, Weight::Regular, 13.0);
    }

    let label = format!("{title} {}", c.reference);
    output::finish(canvas, &output::Meta { lang, seller: &c.provider, label, logo })
}

/// A weekday's short name: `vr`, `ven`, `Fri`.
fn weekday(lang: Language, d: Date) -> String {
    tr(lang, &format!("tickets-weekday-{}", d.weekday().to_monday_one_offset()), &[])
}

/// A local date and time in a sentence: `vr 8 mei 2026 18:00` (the confirmation's mail says
/// it the same way).
pub fn spoken_time(lang: Language, t: DateTime) -> String {
    format!("{} {} {:02}:{:02}", weekday(lang, t.date()), date(lang, t.date()), t.hour(), t.minute())
}

/// A local date and time in a table cell: `vr 08-05-2026 18:00` (nl), `ven 08/05/2026 18:00`
/// (it), `Fri 2026-05-08 18:00` (en).
fn cell_time(lang: Language, t: DateTime) -> String {
    format!("{} {} {:02}:{:02}", weekday(lang, t.date()), short_date(lang, t.date()), t.hour(), t.minute())
}

/// Minutes as hours and minutes, `14:30`.
fn hours_minutes(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

fn money(lang: Language, m: Money) -> String {
    crate::money_in(lang, m.currency, m.minor)
}

fn category(lang: Language, c: StandbyCategory) -> String {
    let name = match c {
        StandbyCategory::OfficeHours => "office_hours",
        StandbyCategory::EveningNight => "evening_night",
        StandbyCategory::Weekend => "weekend",
        StandbyCategory::Holiday => "holiday",
    };
    tr(lang, &format!("pdf-standby-category-{name}"), &[])
}

/// A section's heading.
fn heading(c: &mut Canvas, text: &str) {
    let y = c.y;
    c.text(MARGIN, y, 11.0, Weight::Bold, Ink::Accent, text);
    c.y = y - 16.0;
}

/// The height the parts' column headers take.
const HEADER_HEIGHT: f32 = 22.0;

/// The parts' column headers from the current position, ruled under; the two durations' unit
/// (h:mm) on a line of its own under theirs, which leaves the columns narrow.
fn header(c: &mut Canvas, lang: Language) {
    let y = c.y;
    let h = |k: &str| tr(lang, k, &[]);
    c.text(MARGIN, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-category"));
    c.text(FROM_X, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-from"));
    c.text(TO_X, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-to"));
    c.text_right(TIME_R, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-duration"));
    c.text_right(BILLED_R, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-billed"));
    c.text_right(PERCENT_R, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-percent"));
    c.text_right(RIGHT, y, HEAD, Weight::Bold, Ink::Muted, &h("pdf-standby-col-price"));
    let unit = h("pdf-standby-col-unit");
    c.text_right(TIME_R, y - 8.5, HEAD, Weight::Regular, Ink::Muted, &unit);
    c.text_right(BILLED_R, y - 8.5, HEAD, Weight::Regular, Ink::Muted, &unit);
    c.rule(MARGIN, RIGHT, y - 12.5, 0.6, 0.3);
    c.y = y - HEADER_HEIGHT;
}

/// One row of the table.
struct Row {
    category: String,
    from: String,
    to: String,
    minutes: u32,
    billed: u32,
    percent: u16,
    price: String,
    /// Office hours: shown, not standby.
    muted: bool,
}

/// The parts, then any call-outs, the header repeated on every page the table runs on.
fn parts(c: &mut Canvas, lang: Language, q: &StandbyQuote) {
    let mut rows: Vec<Row> = q
        .parts
        .iter()
        .map(|p| Row {
            category: category(lang, p.category),
            from: cell_time(lang, p.start),
            to: cell_time(lang, p.end),
            minutes: p.minutes,
            billed: p.billed_minutes,
            percent: p.percent,
            price: money(lang, p.price),
            muted: p.category == StandbyCategory::OfficeHours,
        })
        .collect();
    rows.extend(q.callouts.iter().map(|co| Row {
        category: tr(lang, "pdf-standby-category-callout", &[]),
        from: cell_time(lang, co.at),
        to: String::new(),
        minutes: co.worked_minutes,
        billed: co.billed_minutes,
        percent: co.percent,
        price: money(lang, co.price),
        muted: false,
    }));
    c.ensure(HEADER_HEIGHT + 2.0 * LEADING + 3.0);
    header(c, lang);
    for r in rows {
        let cat = c.wrap(&r.category, SIZE, Weight::Regular, CAT_W);
        let height = cat.len() as f32 * LEADING + 3.0;
        if c.ensure(height) {
            header(c, lang);
        }
        let y = c.y;
        let ink = if r.muted { Ink::Muted } else { Ink::Text };
        for (i, line) in cat.iter().enumerate() {
            c.text(MARGIN, y - i as f32 * LEADING, SIZE, Weight::Regular, ink, line);
        }
        c.text(FROM_X, y, SIZE, Weight::Regular, ink, &r.from);
        c.text(TO_X, y, SIZE, Weight::Regular, ink, &r.to);
        c.text_right(TIME_R, y, SIZE, Weight::Regular, ink, &hours_minutes(r.minutes));
        c.text_right(BILLED_R, y, SIZE, Weight::Regular, ink, &hours_minutes(r.billed));
        c.text_right(PERCENT_R, y, SIZE, Weight::Regular, ink, &format!("{} %", r.percent));
        c.text_right(RIGHT, y, SIZE, Weight::Regular, ink, &r.price);
        c.y = y - height;
        c.rule(MARGIN, RIGHT, c.y + LEADING - 2.0, 0.3, 0.85);
    }
}

/// The hourly rate and the total excluding VAT, right-aligned under the table, and that the
/// next invoice carries it.
fn totals(c: &mut Canvas, lang: Language, q: &StandbyQuote) {
    c.ensure(8.0 + 13.0 + 18.0 + 2.0 * 12.5);
    let label_r = RIGHT - 110.0;
    let mut y = c.y - 8.0;
    c.text_right(label_r, y, 9.0, Weight::Regular, Ink::Muted, &tr(lang, "pdf-standby-hourly-rate", &[]));
    c.text_right(RIGHT, y, 9.0, Weight::Regular, Ink::Text, &money(lang, q.hourly_rate));
    y -= 13.0;
    c.rule(label_r - 120.0, RIGHT, y + 8.0, 0.8, 0.2);
    y -= 4.0;
    c.text_right(label_r, y, 11.0, Weight::Bold, Ink::Text, &tr(lang, "invoice-net", &[]));
    c.text_right(RIGHT, y, 11.0, Weight::Bold, Ink::Text, &money(lang, q.total));
    c.y = y - 22.0;
    c.paragraph(&tr(lang, "pdf-standby-invoiced", &[]), 9.5, Weight::Regular, 13.0);
}

/// How to call during the standby and what a call-out costs.
fn callout_terms(c: &mut Canvas, s: &StandbyConfirmation) {
    let lang = s.language;
    c.y -= 14.0;
    c.ensure(16.0 + 3.0 * 13.0);
    heading(c, &tr(lang, "pdf-standby-callout-heading", &[]));
    let call = match s.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        Some(phone) => tr(lang, "pdf-standby-callout-phone", &[("phone", phone)]),
        None => tr(lang, "pdf-standby-callout-line", &[]),
    };
    let terms = tr(
        lang,
        "pdf-standby-callout-terms",
        &[
            ("response", &s.callout.response_minutes.to_string()),
            ("minimum", &s.callout.minimum_worked_minutes.to_string()),
            ("percent", &s.callout.percent.to_string()),
        ],
    );
    c.paragraph(&format!("{call} {terms}"), 9.5, Weight::Regular, 13.0);
}

/// A standby confirmation in each language, priced by the seed regime (provider 003): a Dutch
/// weekend, an English Christmas with office hours and a short last night, an Italian long
/// weekend across 2 June, and a Dutch December that runs over pages. For the samples and tests.
pub fn examples() -> Vec<(&'static str, StandbyConfirmation)> {
    let docs = loket_documents::examples::all();
    let invoice = |name: &str| docs.iter().find(|(n, _)| *n == name).map(|(_, d)| d.clone()).expect("an example invoice");
    let (nl, it, en) = (invoice("nl-business-rates"), invoice("it-business-rates"), invoice("be-reverse-charge"));
    let day = |y, m, d| Date::new(y, m, d).expect("a valid date");
    let at = |y, m, d, h, min| day(y, m, d).at(h, min, 0, 0);
    let regime = StandbyRegime::seed_003();
    // Public holidays of 2026 (and New Year's Day 2027): Easter Monday, King's Day, Ascension
    // Day, Whit Monday, Christmas; in Italy Liberation Day, Labour Day, Republic Day ….
    let dutch: BTreeSet<Date> =
        [day(2026, 4, 6), day(2026, 4, 27), day(2026, 5, 14), day(2026, 5, 25), day(2026, 12, 25), day(2026, 12, 26), day(2027, 1, 1)]
            .into();
    let italian: BTreeSet<Date> = [
        day(2026, 4, 6),
        day(2026, 4, 25),
        day(2026, 5, 1),
        day(2026, 6, 2),
        day(2026, 8, 15),
        day(2026, 11, 1),
        day(2026, 12, 8),
        day(2026, 12, 25),
        day(2026, 12, 26),
    ]
    .into();
    let quote = |zone: &str, holidays: &BTreeSet<Date>, rate: i64, start: DateTime, end: DateTime| {
        let tz = TimeZone::get(zone).expect("a bundled time zone");
        price(&regime, Money::eur(rate), &tz, holidays, start, end, &[]).expect("an example standby prices")
    };
    let confirmation = |reference: &str, date: Date, doc: &loket_documents::Doc, quote: StandbyQuote, zone: &str| StandbyConfirmation {
        reference: reference.into(),
        date,
        language: doc.language,
        customer: doc.buyer.clone(),
        provider: doc.seller.clone(),
        quote,
        callout: regime.callout,
        phone: None,
        time_zone: zone.into(),
        note: String::new(),
    };
    let ams = "Europe/Amsterdam";
    let rome = "Europe/Rome";

    let weekend = quote(ams, &dutch, 8500, at(2026, 5, 8, 18, 0), at(2026, 5, 11, 8, 30));
    let mut nl_weekend = confirmation("S-000042", day(2026, 5, 4), &nl, weekend, ams);
    nl_weekend.phone = Some("+31 50 123 4567".into());

    let christmas = quote(ams, &dutch, 8500, at(2026, 12, 24, 16, 0), at(2026, 12, 27, 19, 0));
    let en_christmas = confirmation("S-000043", day(2026, 12, 1), &en, christmas, ams);

    let ponte = quote(rome, &italian, 7000, at(2026, 5, 29, 18, 0), at(2026, 6, 3, 8, 30));
    let mut it_ponte = confirmation("S-000044", day(2026, 5, 20), &it, ponte, rome);
    it_ponte.phone = Some("+39 02 1234 5678".into());
    it_ponte.note = "Il 2 giugno migriamo i Suoi server di posta: la reperibilità copre anche il lavoro di quel giorno.".into();

    let december = quote(ams, &dutch, 8500, at(2026, 12, 1, 0, 0), at(2027, 1, 1, 0, 0));
    let mut nl_december = confirmation("S-000045", day(2026, 11, 20), &nl, december, ams);
    nl_december.phone = Some("+31 50 123 4567".into());
    nl_december.note = "Kerstdrukte: de webwinkel moet de hele maand december bereikbaar zijn.".into();

    vec![("standby-nl", nl_weekend), ("standby-en", en_christmas), ("standby-it", it_ponte), ("standby-nl-december", nl_december)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_durations_as_each_language_writes_them() {
        let t = Date::new(2026, 5, 8).unwrap().at(18, 0, 0, 0);
        assert_eq!(cell_time(Language::Nl, t), "vr 08-05-2026 18:00");
        assert_eq!(cell_time(Language::It, t), "ven 08/05/2026 18:00");
        assert_eq!(cell_time(Language::En, t), "Fri 2026-05-08 18:00");
        assert_eq!(spoken_time(Language::Nl, t), "vr 8 mei 2026 18:00");
        assert_eq!(hours_minutes(870), "14:30");
        assert_eq!(hours_minutes(0), "0:00");
        assert_eq!(hours_minutes(48 * 60), "48:00");
    }

    #[test]
    fn the_examples_price_as_the_regime_says() {
        let all = examples();
        let total = |name: &str| all.iter().find(|(n, _)| *n == name).map(|(_, c)| c.quote.total).unwrap();
        // Three nights of 14:30 at 100 % and two weekend days of 9:30 at 50 % of € 85.
        assert_eq!(total("standby-nl"), Money::eur(3 * 123_250 + 2 * 40_375));
        for (name, c) in &all {
            assert!(c.quote.callouts.is_empty(), "{name}: a confirmation is agreed before any call");
            assert_eq!(c.span().map(|(s, e)| s < e), Some(true), "{name}");
        }
    }
}

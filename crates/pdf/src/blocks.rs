//! What every document and letter carries at the top of its first page: the provider's block
//! (logo, name, address and numbers) at the left, the title and the document's facts at the
//! right, and the customer's address under them.

use loket_domain::Language;
use loket_domain::billing::document::Party;

use crate::canvas::{Canvas, HEIGHT, Ink, MARGIN, WIDTH, Weight};
use crate::logo::{LOGO, Logo};
use crate::tr;

/// The box the logo is scaled into, keeping its aspect ratio: 40 mm × 15 mm.
const LOGO_WIDTH: f32 = 40.0 * 72.0 / 25.4;
const LOGO_HEIGHT: f32 = 15.0 * 72.0 / 25.4;
/// The baseline of the first line at the top: the title, and the provider's name when there is
/// no logo.
const TOP: f32 = HEIGHT - MARGIN - 8.0;

/// The top of the first page: the accent band, the provider's block at the left and `title`
/// with `facts` (label, value) at the right. Returns the baseline under the lower of the two.
pub(crate) fn top(c: &mut Canvas, lang: Language, seller: &Party, logo: Option<&Logo>, title: &str, facts: &[(String, String)]) -> f32 {
    // The provider's block keeps 16 pt clear of the facts' labels (and values).
    let right = WIDTH - MARGIN;
    let facts_left = facts
        .iter()
        .map(|(k, v)| (right - 120.0 - c.font(Weight::Regular).width(k, 8.5)).min(right - c.font(Weight::Bold).width(v, 8.5)))
        .fold(right, f32::min);
    let sender = sender(c, lang, seller, logo, facts_left - 16.0 - MARGIN);
    let facts_bottom = title_and_facts(c, title, facts, sender.top_right);
    sender.bottom.min(facts_bottom)
}

/// Where the provider's block ended.
struct Sender {
    /// The baseline under its last line.
    bottom: f32,
    /// How far right it reaches level with the title.
    top_right: f32,
}

/// The accent band across the top and the provider's block, no wider than `max_width`: the
/// logo (top-left, its top level with the title's capitals), the name under it, then address,
/// e-mail and numbers. A name too wide is set smaller (down to 10 pt), then broken into lines.
fn sender(c: &mut Canvas, lang: Language, s: &Party, logo: Option<&Logo>, max_width: f32) -> Sender {
    c.fill(0.0, HEIGHT - 10.0, WIDTH, 10.0, None);
    let name = s.trading_name.as_deref().or(s.legal_name.as_deref()).unwrap_or_default();
    let name_width = c.font(Weight::Bold).width(name, 16.0);
    let size = if name_width <= max_width { 16.0 } else { (16.0 * max_width / name_width).max(10.0) };
    let name_lines = c.wrap(name, size, Weight::Bold, max_width);
    let mut y = TOP;
    let top_right = match logo {
        Some(logo) => {
            let (w, h) = logo.fit(LOGO_WIDTH, LOGO_HEIGHT);
            let top = TOP + 20.0 * c.fonts.bold.cap_height / 1000.0;
            c.image(LOGO, MARGIN, top - h, w, h);
            // The name's capitals 10 pt under the logo.
            y = top - h - 10.0 - size * c.fonts.bold.cap_height / 1000.0;
            MARGIN + w
        }
        None => MARGIN + name_lines.first().map_or(0.0, |l| c.font(Weight::Bold).width(l, size)),
    };
    for (i, line) in name_lines.iter().enumerate() {
        c.text(MARGIN, y - i as f32 * size * 1.2, size, Weight::Bold, Ink::Accent, line);
    }
    y -= (name_lines.len() - 1) as f32 * size * 1.2 + size;
    let country = s.country.as_deref().map(|cc| loket_i18n::country_name(lang, cc)).unwrap_or_default();
    let mut lines = vec![
        s.legal_name.clone().unwrap_or_default(),
        s.street.clone().unwrap_or_default(),
        format!("{} {}", s.postal_code.as_deref().unwrap_or(""), s.city.as_deref().unwrap_or("")).trim().to_string(),
        country,
    ];
    if let Some(e) = &s.email {
        lines.push(e.clone());
    }
    if let Some(v) = &s.vat_number {
        lines.push(format!("{}: {v}", tr(lang, "label-vat", &[])));
    }
    if let Some(k) = &s.coc_number {
        lines.push(format!("{}: {k}", tr(lang, "label-coc", &[])));
    }
    for l in lines.iter().filter(|l| !l.is_empty()) {
        for part in c.wrap(l, 8.5, Weight::Regular, max_width) {
            c.text(MARGIN, y, 8.5, Weight::Regular, Ink::Muted, &part);
            y -= 11.0;
        }
    }
    Sender { bottom: y, top_right }
}

/// The title and the facts (label, value) right-aligned at the top right; the title is set
/// smaller (down to 14 pt) where it would come within 24 pt of `left_end`, the right end of
/// what the provider's block has on its line. Returns the baseline under the last fact.
fn title_and_facts(c: &mut Canvas, title: &str, facts: &[(String, String)], left_end: f32) -> f32 {
    let right = WIDTH - MARGIN;
    let room = right - left_end - 24.0;
    let width = c.font(Weight::Bold).width(title, 20.0);
    let size = if width <= room { 20.0 } else { (20.0 * room / width).max(14.0) };
    let mut y = TOP;
    c.text_right(right, y, size, Weight::Bold, Ink::Text, title);
    y -= 22.0;
    for (k, v) in facts {
        c.text_right(right - 120.0, y, 8.5, Weight::Regular, Ink::Muted, k);
        c.text_right(right, y, 8.5, Weight::Bold, Ink::Text, v);
        y -= 12.0;
    }
    y
}

/// The customer, as frozen on the document, from the baseline `y` down ("To", name, address,
/// numbers). Returns the baseline under the last line.
pub(crate) fn addressee(c: &mut Canvas, lang: Language, b: &Party, mut y: f32) -> f32 {
    c.text(MARGIN, y, 8.0, Weight::Regular, Ink::Muted, &tr(lang, "invoice-to", &[]).to_uppercase());
    y -= 14.0;
    c.text(MARGIN, y, 11.0, Weight::Bold, Ink::Text, b.legal_name.as_deref().unwrap_or_default());
    y -= 13.0;
    let country = b.country.as_deref().map(|cc| loket_i18n::country_name(lang, cc)).unwrap_or_default();
    let mut lines = vec![
        b.trading_name.clone().filter(|t| Some(t) != b.legal_name.as_ref()).unwrap_or_default(),
        b.street.clone().unwrap_or_default(),
        format!("{} {}", b.postal_code.as_deref().unwrap_or(""), b.city.as_deref().unwrap_or("")).trim().to_string(),
        country,
    ];
    if let Some(v) = &b.vat_number {
        lines.push(format!("{}: {v}", tr(lang, "label-vat", &[])));
    }
    if let Some(t) = &b.tax_code {
        lines.push(format!("{}: {t}", tr(lang, "field-tax_code", &[])));
    }
    for l in lines.iter().filter(|l| !l.is_empty()) {
        c.text(MARGIN, y, 9.5, Weight::Regular, Ink::Text, l);
        y -= 12.0;
    }
    y
}

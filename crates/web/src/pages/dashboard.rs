//! The first page a signed-in customer sees: per customer card they belong to, what needs their
//! attention (open and overdue invoices, renewal offers awaiting a decision, services suspended,
//! tickets waiting for their answer) and the latest notices, each linking to the section that handles it. Staff go to the back
//! office; visitors get the portal's introduction.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use loket_domain::access::Permission;
use loket_store::accounts::Session;

use crate::http::layout::{Chrome, Translate};
use crate::http::render::{error_page, render_compiled, render_page};
use crate::http::session::MaybeUser;
use crate::pages::billing::customer::{Fmt, Note, note};
use crate::{AppState, Lang, WebError};

/// Domains registered until within this many days are shown as up for renewal.
const EXPIRING_DAYS: i64 = 60;

pub async fn home(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser) -> Response {
    match session {
        None => render_page(&state, lang, None, "layout/home.html.j2", StatusCode::OK, ()),
        Some(s) if s.user.staff_role.is_some() => Redirect::to("/staff").into_response(),
        Some(s) => match dashboard(&state, lang, &s).await {
            Ok(cards) => {
                let page = Dashboard { chrome: Chrome::new(&state, lang.lang, Some(&s), "/"), name: &s.user.name, cards };
                render_compiled(lang, StatusCode::OK, "layout/dashboard.html", &page)
            }
            Err(e) => error_page(e),
        },
    }
}

/// The dashboard's page (`templates/layout/dashboard.html`): one entry per card. Compiled by
/// askama, as the page every customer sees first and most.
#[derive(Template)]
#[template(path = "layout/dashboard.html")]
struct Dashboard<'a> {
    chrome: Chrome,
    /// The user's name, for the greeting.
    name: &'a str,
    cards: Vec<Card>,
}

impl Translate for Dashboard<'_> {
    fn lang(&self) -> loket_domain::Language {
        self.chrome.lang
    }
}

/// A card on the dashboard. Its billing (the counts, offers, domains and notices) is filled
/// only for a user who may see invoices (`invoices`), and the page shows it only then.
#[derive(Default)]
struct Card {
    id: i64,
    number: String,
    name: String,
    /// The monitoring block, HTML.
    monitoring: Option<String>,
    helpdesk: bool,
    tickets_waiting: i64,
    invoices: bool,
    manage_users: bool,
    open_count: i64,
    open_total: String,
    overdue_count: i64,
    overdue_total: String,
    offers: Vec<Offer>,
    suspended: usize,
    expiring: Vec<Expiring>,
    services: usize,
    notes: Vec<Note>,
    quotes: i64,
    unread: i64,
}

/// A renewal offer awaiting the customer's decision.
struct Offer {
    /// What is offered for which service, until when.
    text: String,
}

/// A domain whose registration term ends soon.
struct Expiring {
    id: i64,
    label: String,
    until: String,
    /// It ends then (cancelled, or an opt-in renewal not taken); otherwise it is renewed.
    ends: bool,
}

async fn dashboard(state: &AppState, lang: Lang, session: &Session) -> Result<Vec<Card>, WebError> {
    let f = Fmt::new(lang, state.provider.currency);
    let tz = state.provider.tz();
    let today = state.app.today();
    let mut cards = Vec::new();
    // The session carries the user's cards; only a user on very many is read again, whole.
    let all = if session.all_cards() { session.cards.clone() } else { state.store.memberships(session.user.id).await? };
    for m in all {
        let invoices = m.permissions.has(Permission::ViewInvoices);
        // Tickets waiting for this card's answer, for those who use the helpdesk.
        let helpdesk = state.app.helpdesk.is_some() && m.permissions.has(Permission::UseHelpdesk);
        // The card and every count of it in one statement; each section shows only what the user may see.
        let counts = state.store.card_attention(m.customer_id, today).await?.ok_or(WebError::NotFound)?;
        let monitoring = if invoices || m.permissions.has(Permission::ManageServices) {
            let link = format!("/customers/{}/monitoring", m.customer_id);
            crate::pages::monitoring::block_of(state, lang.lang, Some(m.customer_id), &counts.monitors, link).await?
        } else {
            None
        };
        let mut card = Card {
            monitoring,
            helpdesk,
            tickets_waiting: if helpdesk { counts.tickets_waiting } else { 0 },
            id: m.customer_id,
            number: m.customer_number,
            name: m.customer_name,
            invoices,
            manage_users: m.permissions.has(Permission::ManageUsers),
            ..Card::default()
        };
        if invoices {
            let subscriptions = state.billing().services(&counts.customer, today).await?;
            // Offers made and not yet answered (a service that may be renewed early is not one):
            // "ends after" its last paid day, the day before the exclusive end it is renewed until.
            let offered = loket_domain::billing::lifecycle::SubscriptionState::RenewalOffered.name();
            card.offers = subscriptions
                .iter()
                .filter(|s| s.renewable && s.state == offered)
                .map(|s| {
                    let last_day = s.renewed_until.map(|d| d.yesterday().unwrap_or(d));
                    let until = last_day.map(|d| loket_i18n::format_date(lang.lang, d)).unwrap_or_default();
                    let args = [("service", s.label.as_str()), ("plan", s.plan.as_str()), ("until", until.as_str())];
                    Offer { text: loket_i18n::t_args(lang.lang, "dash-offer", &args) }
                })
                .collect();
            card.suspended = subscriptions.iter().filter(|s| s.suspended_since.is_some()).count();
            // Domains whose registration term ends within EXPIRING_DAYS: renewed unless cancelled.
            let horizon = loket_domain::billing::plus_days(today, EXPIRING_DAYS);
            card.expiring = subscriptions
                .iter()
                .filter(|s| s.product_kind == "domain" && s.ends_on.is_none_or(|e| e > today))
                .filter_map(|s| {
                    let until = s.ends_on.or(s.term_end)?;
                    (until <= horizon).then(|| Expiring {
                        id: s.id,
                        label: s.label.clone(),
                        until: loket_i18n::format_date(lang.lang, until.yesterday().unwrap_or(until)),
                        ends: s.ends_on.is_some() || (s.opt_in && !s.renewable && s.renewed_until.is_some_and(|r| r <= until)),
                    })
                })
                .collect();
            card.services = subscriptions.iter().filter(|s| s.ends_on.is_none_or(|e| e > today)).count();
            let (notes, unread) = state.store.latest_notifications(m.customer_id, 5, 1000).await?;
            card.notes = notes.iter().map(|n| note(f, &tz, n)).collect();
            card.unread = unread;
            card.open_count = counts.open_count;
            card.open_total = f.money(counts.open_total);
            card.overdue_count = counts.overdue_count;
            card.overdue_total = f.money(counts.overdue_total);
            card.quotes = counts.quotes_waiting;
        }
        cards.push(card);
    }
    Ok(cards)
}

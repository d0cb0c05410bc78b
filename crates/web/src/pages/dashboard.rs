//! The first page a signed-in customer sees: per customer card they belong to, what needs their
//! attention (open and overdue invoices, renewal offers awaiting a decision, services suspended,
//! tickets waiting for their answer) and the latest notices, each linking to the section that handles it. Staff go to the back
//! office; visitors get the portal's introduction.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use loket_domain::access::Permission;
use loket_store::accounts::Session;
use serde_json::{Value, json};

use crate::http::render::{error_page, render_page};
use crate::http::session::MaybeUser;
use crate::pages::billing::customer::{Fmt, note};
use crate::{AppState, Lang, WebError};

/// Domains registered until within this many days are shown as up for renewal.
const EXPIRING_DAYS: i64 = 60;

pub async fn home(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser) -> Response {
    match session {
        None => render_page(&state, lang, None, "layout/home.html.j2", StatusCode::OK, ()),
        Some(s) if s.user.staff_role.is_some() => Redirect::to("/staff").into_response(),
        Some(s) => match dashboard(&state, lang, &s).await {
            Ok(data) => render_page(&state, lang, Some(&s), "layout/dashboard.html.j2", StatusCode::OK, data),
            Err(e) => error_page(e),
        },
    }
}

async fn dashboard(state: &AppState, lang: Lang, session: &Session) -> Result<Value, WebError> {
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
            crate::pages::monitoring::block_of(state, lang.lang, Some(m.customer_id), &counts.monitors).await?
        } else {
            Value::Null
        };
        let mut card = json!({
            "monitoring": monitoring,
            "helpdesk": helpdesk,
            "tickets_waiting": if helpdesk { counts.tickets_waiting } else { 0 },
            "id": m.customer_id,
            "number": m.customer_number,
            "name": m.customer_name,
            "role": m.role.name(),
            "invoices": invoices,
            "manage_users": m.permissions.has(Permission::ManageUsers),
        });
        if invoices {
            let subscriptions = state.billing().services(&counts.customer, today).await?;
            // Offers made and not yet answered (a service that may be renewed early is not one):
            // "ends after" its last paid day, the day before the exclusive end it is renewed until.
            let offered = loket_domain::billing::lifecycle::SubscriptionState::RenewalOffered.name();
            let offers: Vec<Value> = subscriptions
                .iter()
                .filter(|s| s.renewable && s.state == offered)
                .map(|s| {
                    let last_day = s.renewed_until.map(|d| d.yesterday().unwrap_or(d));
                    json!({"label": s.label, "plan": s.plan, "until": last_day.map(|d| loket_i18n::format_date(lang.lang, d))})
                })
                .collect();
            let suspended = subscriptions.iter().filter(|s| s.suspended_since.is_some()).count();
            // Domains whose registration term ends within EXPIRING_DAYS: renewed unless cancelled.
            let horizon = loket_domain::billing::plus_days(today, EXPIRING_DAYS);
            let expiring: Vec<Value> = subscriptions
                .iter()
                .filter(|s| s.product_kind == "domain" && s.ends_on.is_none_or(|e| e > today))
                .filter_map(|s| {
                    let until = s.ends_on.or(s.term_end)?;
                    (until <= horizon).then(|| {
                        json!({
                            "id": s.id, "label": s.label,
                            "until": loket_i18n::format_date(lang.lang, until.yesterday().unwrap_or(until)),
                            "ends": s.ends_on.is_some() || (s.opt_in && !s.renewable && s.renewed_until.is_some_and(|r| r <= until)),
                        })
                    })
                })
                .collect();
            let (notes, unread) = state.store.latest_notifications(m.customer_id, 5, 1000).await?;
            let notes: Vec<Value> = notes.iter().map(|n| note(f, &tz, n)).collect();
            let obj = card.as_object_mut().ok_or_else(|| WebError::Template("dashboard card".into()))?;
            obj.insert("open_count".into(), json!(counts.open_count));
            obj.insert("open_total".into(), json!(f.money(counts.open_total)));
            obj.insert("overdue_count".into(), json!(counts.overdue_count));
            obj.insert("overdue_total".into(), json!(f.money(counts.overdue_total)));
            obj.insert("offers".into(), json!(offers));
            obj.insert("suspended".into(), json!(suspended));
            obj.insert("expiring".into(), json!(expiring));
            obj.insert("services".into(), json!(subscriptions.iter().filter(|s| s.ends_on.is_none_or(|e| e > today)).count()));
            obj.insert("notes".into(), json!(notes));
            obj.insert("quotes".into(), json!(counts.quotes_waiting));
            obj.insert("unread".into(), json!(unread));
        }
        cards.push(card);
    }
    Ok(json!({ "cards": cards }))
}

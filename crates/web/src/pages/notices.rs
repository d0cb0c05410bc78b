//! A card's messages (seed 001: "notifications: open invoice, processed cancellation,
//! renewal"): all of them newest first, the unread ones marked, marking read, and the kinds the
//! card does not want by e-mail (only informational ones; the rest always arrive by e-mail).

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_domain::access::Permission;
use loket_domain::billing::notice::NoticeKind;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, check_csrf, user_actor};
use crate::pages::billing::customer::{Fmt, note};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/notifications", get(list).post(preferences))
        .route("/customers/{id}/notifications/read", post(read))
}

async fn card(state: &AppState, session: &loket_store::accounts::Session, id: &str) -> Result<loket_store::customers::Customer, WebError> {
    let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, cid).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(Permission::ViewInvoices) {
        return Err(WebError::Forbidden("you may not see this card's messages".into()));
    }
    state.store.customer(cid).await?.ok_or(WebError::NotFound)
}

async fn list(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let customer = card(&state, &session, &id).await?;
        let f = Fmt::new(lang, state.provider.currency);
        let tz = state.provider.tz();
        let (notes, unread) = state.store.latest_notifications(customer.id, 200, 1000).await?;
        let notes: Vec<_> = notes.iter().map(|n| note(f, &tz, n)).collect();
        let opted_out = state.store.mail_opt_outs(customer.id).await?;
        let kinds: Vec<Value> = NoticeKind::ALL
            .into_iter()
            .filter(|k| k.mail_optional())
            .map(|k| json!({ "kind": k.name(), "mail": !opted_out.iter().any(|o| o == k.name()) }))
            .collect();
        Ok::<_, WebError>(json!({
            "customer": customer,
            "notes": notes,
            "unread": unread,
            "kinds": kinds,
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "notices/list.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn read(SignedIn(session): SignedIn, State(state): State<AppState>, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = card(&state, &session, &id).await?;
        let one = match field(&form, "id") {
            "" => None,
            n => Some(n.parse::<i64>().map_err(|_| WebError::BadRequest { field: Some("id".into()), message: "not a message".into() })?),
        };
        loket_app::notices::mark_read(&state.app, customer.id, one).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/customers/{}/notifications", customer.id)).into_response())
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn preferences(
    SignedIn(session): SignedIn,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = card(&state, &session, &id).await?;
        let m = crate::http::session::membership(&state, &session, customer.id).await?.ok_or(WebError::NotFound)?;
        if !m.permissions.has(Permission::EditCompany) && !m.permissions.has(Permission::ManageServices) {
            return Err(WebError::Forbidden("you may not change this card's e-mail choices".into()));
        }
        let mailed: Vec<NoticeKind> = form.iter().filter(|(k, _)| k == "mail").filter_map(|(_, v)| NoticeKind::parse(v)).collect();
        loket_app::notices::set_mail_preferences(&state.app, &user_actor(&session), customer.id, &mailed).await?;
        Ok::<_, WebError>(Redirect::to(&format!("/customers/{}/notifications", customer.id)).into_response())
    }
    .await;
    result.unwrap_or_else(error_page)
}

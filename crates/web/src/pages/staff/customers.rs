//! Pages for the provider's staff: the customer list with search, and a customer card.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use loket_domain::access::StaffAction;
use serde::Deserialize;

use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/customers", get(customers))
        .route("/staff/customers/{id}", get(customer))
        .route("/staff/customers/{id}/replace", axum::routing::post(replace_form))
        .route("/staff/customers/{id}/invitations", axum::routing::post(invite))
        .route("/staff/changes", get(changes))
        .route("/staff/changes/{id}", axum::routing::post(decide))
}

#[derive(Deserialize, Default)]
struct Search {
    q: Option<String>,
}

/// What a search found, typed: the page is built straight from the rows.
#[derive(serde::Serialize)]
struct Found<'a> {
    customers: Vec<FoundCustomer<'a>>,
    documents: Vec<loket_store::work::FoundDocument>,
    services: Vec<loket_store::work::FoundService>,
    q: Option<&'a str>,
}

async fn customers(State(state): State<AppState>, lang: Lang, staff: Staff, Query(search): Query<Search>) -> Response {
    if let Err(e) = staff.require(StaffAction::ViewCustomers) {
        return error_page(e);
    }
    let q = search.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if q.is_some_and(|q| q.chars().count() > 100) {
        return error_page(WebError::BadRequest { field: Some("q".into()), message: "search is longer than 100 characters".into() });
    }
    let found = async {
        let customers = state.store.customers(q, 200).await?;
        // An invoice number finds the document, a domain or server name (or words of one) the
        // service, and so their customer.
        let documents = match q {
            Some(q) if !q.contains(' ') && q.chars().any(|c| c.is_ascii_digit()) => {
                state.store.documents_by_number(&q.to_uppercase(), 20).await?
            }
            _ => Vec::new(),
        };
        let services = match q {
            Some(q) => state.store.services_found(q, 20).await?,
            None => Vec::new(),
        };
        Ok::<_, WebError>((customers, documents, services))
    }
    .await;
    match found {
        Ok((customers, documents, services)) => {
            let customers = customers.iter().map(|c| FoundCustomer::of(lang.lang, c)).collect();
            let data = Found { customers, documents, services, q };
            render_page(&state, lang, Some(&staff.0), "staff/customers.html.j2", StatusCode::OK, data)
        }
        Err(e) => error_page(e),
    }
}

/// A card found, with what its row in the list shows: handing the template whole cards cost
/// the page a sixth of its time in serialising fields it does not show.
#[derive(serde::Serialize)]
struct FoundCustomer<'a> {
    id: i64,
    number: &'a str,
    legal_name: &'a str,
    kind: &'static str,
    country: String,
    tier: &'a str,
    email: &'a str,
}

impl<'a> FoundCustomer<'a> {
    fn of(lang: loket_domain::Language, c: &'a loket_store::customers::Customer) -> FoundCustomer<'a> {
        FoundCustomer {
            id: c.id,
            number: &c.number,
            legal_name: &c.card.legal_name,
            kind: c.card.kind.name(),
            country: loket_i18n::country_name(lang, c.card.address.country.code()),
            tier: &c.card.tier,
            email: &c.card.email,
        }
    }
}

#[derive(Deserialize, Default)]
struct CardQuery {
    /// The address an invitation was just sent to.
    invited: Option<String>,
}

async fn customer(State(state): State<AppState>, lang: Lang, staff: Staff, Path(id): Path<String>, Query(q): Query<CardQuery>) -> Response {
    let done = q.invited.map(|email| serde_json::json!({ "sent": email }));
    card_page(&state, lang, &staff, &id, StatusCode::OK, done.unwrap_or(serde_json::Value::Null)).await
}

/// The card with its users and, for staff who edit customers, the invitation form (`invite`:
/// what was sent, or the form as posted with its error).
async fn card_page(state: &AppState, lang: Lang, staff: &Staff, id: &str, status: StatusCode, invite: serde_json::Value) -> Response {
    if let Err(e) = staff.require(StaffAction::ViewCustomers) {
        return error_page(e);
    }
    let Ok(id) = id.parse::<i64>() else { return error_page(WebError::NotFound) };
    let found = async { Ok::<_, WebError>((state.store.customer(id).await?, state.store.members(id).await?)) }.await;
    match found {
        Ok((Some(c), members)) => {
            let can_replace = staff.1.can(StaffAction::ReviewChanges) && c.replaced_by.is_none();
            let can_invite = staff.1.can(StaffAction::EditCustomers) && c.replaced_by.is_none();
            // A card without users gets its owner first.
            let role = if members.is_empty() { "owner" } else { "contact" };
            let roles: Vec<_> = loket_domain::access::MemberRole::ALL.iter().map(|r| r.name()).collect();
            let data = serde_json::json!({
                "customer": c, "members": members, "can_replace": can_replace,
                "invite": { "allowed": can_invite, "roles": roles, "role": role, "done": invite },
            });
            render_page(state, lang, Some(&staff.0), "staff/customer.html.j2", status, data)
        }
        Ok((None, _)) => error_page(WebError::NotFound),
        Err(e) => error_page(e),
    }
}

/// Staff invite someone to the card, by e-mail: how a card staff made gets its first user.
async fn invite(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<crate::http::extract::Fields>,
) -> Response {
    use crate::http::extract::field;
    let card = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::EditCustomers)?;
        let cid: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        state.store.customer(cid).await?.ok_or(WebError::NotFound)
    }
    .await;
    let customer = match card {
        Ok(c) => c,
        Err(e) => return error_page(e),
    };
    // The invitation comes from the provider, not from one of its staff by name.
    let inviter = loket_app::members::Inviter { id: staff.0.user.id, name: &state.provider.trading_name };
    let result =
        loket_app::members::invite(&state.app, &staff.actor(), inviter, &customer, field(&form, "email"), field(&form, "role")).await;
    match result {
        Ok(()) => {
            state.wake_jobs();
            let email = loket_store::accounts::normalise_email(field(&form, "email"));
            let to = format!("/staff/customers/{id}?invited={}", crate::http::session::urlencode(&email));
            axum::response::Redirect::to(&to).into_response()
        }
        Err(loket_app::AppError::Invalid(errors)) => {
            let messages: Vec<String> = errors.iter().map(|e| crate::http::field_errors::field_message(lang.lang, e)).collect();
            let posted = serde_json::json!({ "email": field(&form, "email"), "error": messages.join(" ") });
            card_page(&state, lang, &staff, &id, StatusCode::BAD_REQUEST, posted).await
        }
        Err(e) => error_page(e),
    }
}

async fn changes(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    if let Err(e) = staff.require(StaffAction::ReviewChanges) {
        return error_page(e);
    }
    match state.store.change_requests(Some("pending"), None, 200).await {
        Ok(list) => {
            render_page(&state, lang, Some(&staff.0), "staff/changes.html.j2", StatusCode::OK, serde_json::json!({ "changes": list }))
        }
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
struct Decision {
    csrf: String,
    /// approve | reject
    decision: String,
    reason: Option<String>,
}

/// Approves (applies the change to the card as it is now) or rejects (with a reason) a change
/// request, and tells the requester.
async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Decision>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, &form.csrf)?;
        staff.require(StaffAction::ReviewChanges)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let decision: loket_app::cards::Decision = form.decision.parse()?;
        loket_app::cards::decide_change_request(&state.app, &staff.actor(), staff.0.user.id, id, decision, form.reason.as_deref()).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => axum::response::Redirect::to("/staff/changes").into_response(),
        Err(e) => error_page(e),
    }
}

async fn replace_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Vec<(String, String)>>,
) -> Response {
    let result = async {
        let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        check_csrf(&staff.0, &get("csrf"))?;
        staff.require(StaffAction::ReviewChanges)?;
        let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        let users: Vec<i64> = form.iter().filter(|(k, _)| k == "move_user").filter_map(|(_, v)| v.parse().ok()).collect();
        let overrides: Vec<(String, String)> =
            form.iter().filter(|(k, v)| !matches!(k.as_str(), "csrf" | "move_user") && !v.trim().is_empty()).cloned().collect();
        Ok::<_, WebError>(loket_app::cards::replace(&state.app, &staff.actor(), id, &overrides, &users).await?)
    }
    .await;
    match result {
        Ok(new) => axum::response::Redirect::to(&format!("/staff/customers/{}", new.id)).into_response(),
        Err(e) => error_page(e),
    }
}

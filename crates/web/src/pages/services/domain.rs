//! A domain's contacts at the registry on its service page (seed 002): the card's users see
//! them and ask for a change of one; staff record them and, at `/staff/domains`, carry out or
//! refuse what customers asked.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_app::AppError;
use loket_domain::access::{Permission, StaffAction};
use loket_domain::registry::{CONTACT_FIELDS, ContactInput, ContactRole, RegistryContact};
use loket_domain::{FieldError, Language};
use loket_store::customers::Customer;
use serde::Serialize;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{SignedIn, Staff, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/services/{sid}/contacts/{role}", post(request_change))
        .route("/staff/customers/{id}/services/{sid}/contacts/{role}", post(record))
        .route("/staff/domains", get(pending))
        .route("/staff/domains/{rid}", post(decide))
}

/// A contact form sent back to its page with what was typed and what was wrong.
pub struct SentForm<'a> {
    pub role: ContactRole,
    pub form: &'a Fields,
    pub errors: &'a [FieldError],
}

/// A contact as the pages show it: its address on one line, the country by name.
#[derive(Serialize)]
pub(super) struct ContactView {
    pub(super) name: String,
    pub(super) organisation: Option<String>,
    pub(super) email: String,
    pub(super) phone: Option<String>,
    pub(super) address: String,
}

fn contact_data(l: Language, c: &RegistryContact) -> ContactView {
    ContactView {
        name: c.name.clone(),
        organisation: c.organisation.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        address: format!("{}, {} {}, {}", c.street, c.postal_code, c.city, loket_i18n::country_name(l, c.country.code())),
    }
}

fn input_kind(name: &str) -> &'static str {
    match name {
        "email" => "email",
        "phone" => "tel",
        "country" => "choice",
        _ => "text",
    }
}

/// A domain's contacts on its service page: a form per role and the latest requests.
#[derive(Serialize)]
pub struct Section {
    pub(super) contacts: Vec<RoleForm>,
    pub(super) requests: Vec<RequestRow>,
}

/// One role's recorded contact and the form to change it.
#[derive(Serialize)]
pub(super) struct RoleForm {
    pub(super) role: &'static str,
    pub(super) contact: Option<ContactView>,
    pub(super) fields: Vec<FormField>,
    /// The form was sent back with errors: it opens.
    pub(super) open: bool,
    pub(super) other_errors: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct FormField {
    pub(super) name: &'static str,
    pub(super) input: &'static str,
    pub(super) value: String,
    /// The `<option>`s of a choice, as HTML.
    pub(super) options: Option<String>,
    pub(super) error: Option<String>,
}

/// A change asked for, as the service page lists it.
#[derive(Serialize)]
pub(super) struct RequestRow {
    pub(super) role: &'static str,
    pub(super) state: String,
    pub(super) reason: Option<String>,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) when: String,
}

/// The contacts of domain `sid` with a form per role, prefilled with the recorded contact (or
/// the card's data where none is recorded).
pub async fn section(
    state: &AppState,
    l: Language,
    customer: &Customer,
    sid: i64,
    sent: Option<&SentForm<'_>>,
) -> Result<Section, WebError> {
    let recorded = state.store.domain_contacts(sid).await?;
    let card = &customer.card;
    let from_card = ContactInput {
        name: Some(card.legal_name.clone()),
        organisation: None,
        email: Some(card.email.clone()),
        phone: card.phone.clone(),
        street: Some(card.address.street.clone()),
        postal_code: Some(card.address.postal_code.clone()),
        city: Some(card.address.city.clone()),
        country: Some(card.address.country.to_string()),
    };
    let contacts = ContactRole::ALL
        .iter()
        .map(|role| {
            let current = recorded.iter().find(|(r, _)| r == role).map(|(_, c)| c);
            let base = current.map(|c| c.to_input()).unwrap_or_else(|| from_card.clone());
            let sent = sent.filter(|s| s.role == *role);
            let value = |name: &str| -> String {
                match sent {
                    Some(s) => field(s.form, name).to_string(),
                    None => base.get(name).unwrap_or_default().to_string(),
                }
            };
            let fields = CONTACT_FIELDS
                .iter()
                .map(|name| {
                    let value = value(name);
                    FormField {
                        name,
                        input: input_kind(name),
                        options: crate::pages::cards::card::options_html(l, name, &value),
                        value,
                        error: sent
                            .and_then(|s| s.errors.iter().find(|e| e.field == *name))
                            .map(|e| crate::http::field_errors::field_message(l, e)),
                    }
                })
                .collect();
            let other_errors = sent
                .map(|s| s.errors.iter().filter(|e| !CONTACT_FIELDS.contains(&e.field.as_str())).map(|e| e.message.clone()).collect())
                .unwrap_or_default();
            RoleForm { role: role.name(), contact: current.map(|c| contact_data(l, c)), fields, open: sent.is_some(), other_errors }
        })
        .collect();
    let requests = state
        .store
        .domain_requests(sid, 10)
        .await?
        .into_iter()
        .map(|r| RequestRow {
            role: r.role.name(),
            when: loket_i18n::format_date(l, r.created_at.to_zoned(state.provider.tz()).date()),
            state: r.state,
            reason: r.reason,
            name: r.proposed.name,
            email: r.proposed.email,
        })
        .collect();
    Ok(Section { contacts, requests })
}

fn contact_input(form: &Fields) -> ContactInput {
    let mut input = ContactInput::default();
    for name in CONTACT_FIELDS {
        input.set(name, field(form, name));
    }
    input
}

fn ids(id: &str, sid: &str) -> Result<(i64, i64), WebError> {
    Ok((id.parse().map_err(|_| WebError::NotFound)?, sid.parse().map_err(|_| WebError::NotFound)?))
}

/// The service page again with the form's errors (400), or `err` as an error page.
async fn sent_back(
    state: &AppState,
    lang: Lang,
    session: &loket_store::accounts::Session,
    at: (i64, i64),
    staff: bool,
    sent: SentForm<'_>,
) -> Response {
    match super::service_data(state, lang, at.0, &at.1.to_string(), None, staff, Some(&sent)).await {
        Ok(mut data) => {
            // Only someone allowed to send the form gets it back.
            data.can_request = true;
            super::render(state, lang, session, StatusCode::BAD_REQUEST, data)
        }
        Err(e) => error_page(e),
    }
}

async fn request_change(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, sid, role)): Path<(String, String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let (cid, sid) = ids(&id, &sid)?;
        let m = crate::http::session::membership(&state, &session, cid).await?.ok_or(WebError::NotFound)?;
        if !m.permissions.has(Permission::ManageServices) {
            return Err(WebError::Forbidden("you may not manage this card's services".into()));
        }
        let role_parsed = ContactRole::parse(&role).ok_or(WebError::NotFound)?;
        let input = contact_input(&form);
        match loket_app::domains::request_change(&state.app, &user_actor(&session), &session.user, cid, sid, &role, &input).await {
            Ok(_) => Ok::<_, WebError>(Redirect::to(&format!("/customers/{cid}/services/{sid}?sent=1#contacts")).into_response()),
            Err(AppError::Invalid(errors)) => {
                Ok(sent_back(&state, lang, &session, (cid, sid), false, SentForm { role: role_parsed, form: &form, errors: &errors }).await)
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn record(
    State(state): State<AppState>,
    lang: Lang,
    staff: Staff,
    Path((id, sid, role)): Path<(String, String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::EditCustomers)?;
        let (cid, sid) = ids(&id, &sid)?;
        let role_parsed = ContactRole::parse(&role).ok_or(WebError::NotFound)?;
        let input = contact_input(&form);
        match loket_app::domains::put_contact(&state.app, &staff.actor(), cid, sid, &role, &input).await {
            Ok(_) => Ok::<_, WebError>(Redirect::to(&format!("/staff/customers/{cid}/services/{sid}#contacts")).into_response()),
            Err(AppError::Invalid(errors)) => {
                Ok(sent_back(&state, lang, &staff.0, (cid, sid), true, SentForm { role: role_parsed, form: &form, errors: &errors }).await)
            }
            Err(e) => Err(e.into()),
        }
    }
    .await;
    result.unwrap_or_else(error_page)
}

async fn pending(State(state): State<AppState>, lang: Lang, staff: Staff) -> Response {
    let result = async {
        staff.require(StaffAction::EditCustomers)?;
        let l = lang.lang;
        let list: Vec<Value> = state
            .store
            .pending_domain_requests(200)
            .await?
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "customer_id": r.customer_id, "customer_name": r.customer_name, "subscription_id": r.subscription_id,
                    "domain": r.domain, "role": r.role.name(), "requester": r.requester_email,
                    "when": loket_i18n::format_date(l, r.created_at.to_zoned(state.provider.tz()).date()),
                    "contact": contact_data(l, &r.proposed),
                })
            })
            .collect();
        Ok::<_, WebError>(json!({ "requests": list }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&staff.0), "staff/domains.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn decide(State(state): State<AppState>, staff: Staff, Path(rid): Path<String>, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        staff.require(StaffAction::EditCustomers)?;
        let rid: i64 = rid.parse().map_err(|_| WebError::NotFound)?;
        let done = match field(&form, "decision") {
            "done" => true,
            "reject" => false,
            other => return Err(AppError::from(FieldError::new("decision", format!("`{other}` is not done or reject"))).into()),
        };
        let reason = Some(field(&form, "reason"));
        loket_app::domains::decide(&state.app, &staff.actor(), staff.0.user.id, rid, done, reason).await?;
        Ok::<_, WebError>(Redirect::to("/staff/domains?decided=1").into_response())
    }
    .await;
    result.unwrap_or_else(error_page)
}

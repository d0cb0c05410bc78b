//! A customer's own card in the panel: view it, edit it (confirmed with the password), follow
//! its change requests. Fields the provider reviews become a change request; the rest apply at
//! once. Every change is audited; documents already issued keep the data they were made with.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use loket_domain::access::Permission;
use loket_domain::card_edit::{EDITABLE_FIELDS, apply_changes, plan_edit};
use loket_store::accounts::{Membership, Session};
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::change_requests::{Fields, create_change_request};
use loket_store::customers::{Customer, update_customer};

use crate::auth::{SignedIn, check_csrf};
use crate::pages::{error_page, render_page};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}", get(card)).route("/customers/{id}/edit", get(edit_form).post(edit))
}

/// The card and the caller's membership of it; anyone else gets "not found", so that ids reveal
/// nothing.
async fn member_card(state: &AppState, session: &Session, id: &str) -> Result<(Customer, Membership), WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let membership = state.store.membership(session.user.id, id).await?.ok_or(WebError::NotFound)?;
    let customer = state.store.customer(id).await?.ok_or(WebError::NotFound)?;
    Ok((customer, membership))
}

async fn card(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let (customer, membership) = member_card(&state, &session, &id).await?;
        let changes = state.store.change_requests(None, Some(customer.id), 50).await?;
        Ok::<_, WebError>(serde_json::json!({
            "customer": customer,
            "can_edit": membership.permissions.has(Permission::EditCompany),
            "can_manage_users": membership.permissions.has(Permission::ManageUsers),
            "can_view_billing": membership.permissions.has(Permission::ViewInvoices),
            "changes": changes,
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "card.html.j2", StatusCode::OK, data),
        Err(e) => error_page(&state, lang, None, e),
    }
}

fn form_data(
    state: &AppState,
    customer: &Customer,
    values: &[(String, String)],
    errors: &[loket_domain::FieldError],
    notice: Option<&str>,
) -> serde_json::Value {
    let fields: Vec<_> = EDITABLE_FIELDS
        .iter()
        .map(|name| {
            let submitted = values.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
            let value = submitted.or_else(|| customer.card.field(name)).unwrap_or_default();
            serde_json::json!({
                "name": name,
                "value": value,
                "flag": name.starts_with("wants_") || name.starts_with("requires_"),
                "reviewed": state.reviewed_fields.iter().any(|f| f == name),
                "error": errors.iter().find(|e| e.field == *name).map(|e| e.message.clone()),
            })
        })
        .collect();
    let other: Vec<_> = errors.iter().filter(|e| !EDITABLE_FIELDS.contains(&e.field.as_str())).map(|e| e.to_string()).collect();
    serde_json::json!({ "customer": customer, "fields": fields, "other_errors": other, "notice": notice })
}

async fn edit_form(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    match member_card(&state, &session, &id).await {
        Ok((customer, m)) if m.permissions.has(Permission::EditCompany) => {
            render_page(&state, lang, Some(&session), "card_edit.html.j2", StatusCode::OK, form_data(&state, &customer, &[], &[], None))
        }
        Ok(_) => error_page(&state, lang, None, WebError::Forbidden("you may not edit this company's data".into())),
        Err(e) => error_page(&state, lang, None, e),
    }
}

async fn edit(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    if let Err(e) = check_csrf(&session, &get("csrf")) {
        return error_page(&state, lang, None, e);
    }
    let (customer, membership) = match member_card(&state, &session, &id).await {
        Ok(found) => found,
        Err(e) => return error_page(&state, lang, None, e),
    };
    if !membership.permissions.has(Permission::EditCompany) {
        return error_page(&state, lang, None, WebError::Forbidden("you may not edit this company's data".into()));
    }
    let submitted: Vec<(String, String)> = form.iter().filter(|(k, _)| k != "csrf" && k != "password").cloned().collect();
    let rerender = |status: StatusCode, errors: &[loket_domain::FieldError]| {
        render_page(&state, lang, Some(&session), "card_edit.html.j2", status, form_data(&state, &customer, &submitted, errors, None))
    };
    // Every change is confirmed with the current password.
    let hash = session.user.password_hash.clone().unwrap_or_else(|| loket_auth::dummy_hash().to_string());
    let password = get("password");
    if !tokio::task::spawn_blocking(move || loket_auth::verify_password(&password, &hash)).await.unwrap_or(false) {
        let msg = loket_i18n::t(lang.lang, "card-wrong-password");
        return rerender(StatusCode::BAD_REQUEST, &[loket_domain::FieldError::new("password", msg)]);
    }
    let plan = match plan_edit(&customer.card, &submitted, &state.reviewed_fields, state.provider.default_language) {
        Ok(plan) => plan,
        Err(errors) => return rerender(StatusCode::BAD_REQUEST, &errors),
    };
    if plan.is_empty() {
        return rerender(StatusCode::OK, &[]);
    }
    match save(&state, &session, &customer, plan).await {
        Ok(()) => Redirect::to(&format!("/customers/{}", customer.id)).into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

async fn save(state: &AppState, session: &Session, customer: &Customer, plan: loket_domain::card_edit::Edit) -> Result<(), WebError> {
    let actor = Actor::new(ActorKind::User, session.user.id.to_string());
    let entity_id = Some(customer.id.to_string());
    let mut mails = Vec::new();
    let mut tx = state.store.begin().await?;
    // Applied to the card as stored now (locked), so two edits at once both count.
    loket_store::members::lock_card(&mut tx, state.store.backend(), customer.id).await?;
    let stored = loket_store::customers::customer(&mut tx, customer.id).await?.ok_or(WebError::NotFound)?;
    if !plan.immediate.is_empty() {
        let changes: Fields = plan.immediate.iter().map(|(k, (_, new))| (k.clone(), new.clone())).collect();
        let after = apply_changes(&stored.card, &changes, state.provider.default_language).map_err(WebError::Invalid)?;
        update_customer(&mut tx, customer.id, &after).await?;
        let before: Fields = plan.immediate.iter().map(|(k, (old, _))| (k.clone(), old.clone())).collect();
        let change = Change {
            actor: &actor,
            action: "customer.update",
            entity: "customer",
            entity_id: entity_id.clone(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!(changes)),
            request_id: None,
        };
        audit::record(&mut tx, &change).await?;
    }
    if !plan.reviewed.is_empty() {
        let proposed: Fields = plan.reviewed.iter().map(|(k, (_, new))| (k.clone(), new.clone())).collect();
        let current: Fields = plan.reviewed.iter().map(|(k, (old, _))| (k.clone(), old.clone())).collect();
        let request = create_change_request(&mut tx, customer.id, session.user.id, &proposed, &current).await?;
        let change = Change {
            actor: &actor,
            action: "change_request.create",
            entity: "customer",
            entity_id: entity_id.clone(),
            before: Some(serde_json::json!(current)),
            after: Some(serde_json::json!({ "change_request": request, "proposed": proposed })),
            request_id: None,
        };
        audit::record(&mut tx, &change).await?;
        let name = format!("{} {}", customer.number, customer.card.legal_name);
        let compose = |template: &str, lang, to: &str, data| {
            state.composer.compose(template, lang, &[to], data).map_err(|e| WebError::Template(e.to_string()))
        };
        mails.push(compose(
            "change-request-received",
            session.user.language,
            &session.user.email,
            serde_json::json!({ "customer": name }),
        )?);
        let fields: Vec<_> = plan.reviewed.iter().map(|(k, (from, to))| serde_json::json!({ "name": k, "from": from, "to": to })).collect();
        let data = serde_json::json!({ "customer": name, "user": session.user.email, "url": format!("{}/staff/changes", state.public_url), "fields": fields });
        mails.push(compose("change-request-staff", state.provider.default_language, &state.provider.email, data)?);
    }
    for mail in mails {
        loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(mail)).await?;
    }
    loket_store::commit(tx).await?;
    state.wake_jobs();
    Ok(())
}

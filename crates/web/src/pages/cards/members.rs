//! "Users of my company": an owner (or whoever may manage users) invites people by e-mail,
//! sets their role and permissions within the role's ceiling, and removes them. A card always
//! keeps an owner. Invitations are single-use links valid for a week.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_app::members;
use loket_domain::access::{MemberRole, Permission};
use loket_store::accounts::Session;

use crate::http::extract::{Fields, field};
use crate::http::middleware::request_id;
use crate::http::render::{error_page, notice, render_page};
use crate::http::session::{MaybeUser, SignedIn, check_anonymous_csrf, check_csrf, user_actor};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/users", get(list))
        .route("/customers/{id}/users/invite", post(invite))
        .route("/customers/{id}/users/{user}", post(update))
        .route("/customers/{id}/users/{user}/remove", post(remove))
        .route("/invitations/{token}", get(invitation).post(accept))
}

/// The card, if the caller may manage its users; others get 404 (not a member) or 403.
async fn managed_card(state: &AppState, session: &Session, id: &str) -> Result<loket_store::customers::Customer, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, id).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(Permission::ManageUsers) {
        return Err(WebError::Forbidden("you may not manage the users of this card".into()));
    }
    state.store.customer(id).await?.ok_or(WebError::NotFound)
}

async fn list(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let customer = managed_card(&state, &session, &id).await?;
        let members: Vec<_> = state
            .store
            .members(customer.id)
            .await?
            .into_iter()
            .map(|m| {
                let role: MemberRole = m.role.parse().unwrap_or(MemberRole::Contact);
                let effective = role.effective(m.permissions.parse().unwrap_or_default());
                let perms: Vec<_> = Permission::ALL
                    .iter()
                    .map(|p| serde_json::json!({ "name": p.name(), "on": effective.has(*p), "allowed": role.allowed_permissions().has(*p) }))
                    .collect();
                serde_json::json!({ "user_id": m.user_id, "email": m.email, "name": m.name, "role": m.role, "permissions": perms, "me": m.user_id == session.user.id })
            })
            .collect();
        let roles: Vec<_> = MemberRole::ALL.iter().map(|r| r.name()).collect();
        Ok::<_, WebError>(serde_json::json!({ "customer": customer, "members": members, "roles": roles }))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "cards/members.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

async fn invite(State(state): State<AppState>, SignedIn(session): SignedIn, Path(id): Path<String>, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = managed_card(&state, &session, &id).await?;
        let inviter = members::Inviter { id: session.user.id, name: &session.user.name };
        members::invite(&state.app, &user_actor(&session), inviter, &customer, field(&form, "email"), field(&form, "role")).await?;
        Ok::<_, WebError>(customer.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/customers/{id}/users")).into_response(),
        Err(e) => error_page(e),
    }
}

async fn update(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path((id, user)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = managed_card(&state, &session, &id).await?;
        let user: i64 = user.parse().map_err(|_| WebError::NotFound)?;
        let permissions: Vec<&str> = form.iter().filter(|(k, _)| k == "permission").map(|(_, v)| v.as_str()).collect();
        members::update(&state.app, &user_actor(&session), Some(session.user.id), customer.id, user, field(&form, "role"), &permissions)
            .await?;
        Ok::<_, WebError>(customer.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/customers/{id}/users")).into_response(),
        Err(e) => error_page(e),
    }
}

async fn remove(
    State(state): State<AppState>,
    SignedIn(session): SignedIn,
    Path((id, user)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = managed_card(&state, &session, &id).await?;
        let user: i64 = user.parse().map_err(|_| WebError::NotFound)?;
        members::remove(&state.app, &user_actor(&session), customer.id, user).await?;
        Ok::<_, WebError>(customer.id)
    }
    .await;
    match result {
        Ok(_) if user_is(&session, &user) => Redirect::to("/account").into_response(),
        Ok(id) => Redirect::to(&format!("/customers/{id}/users")).into_response(),
        Err(e) => error_page(e),
    }
}

fn user_is(session: &Session, user: &str) -> bool {
    user.parse::<i64>().ok() == Some(session.user.id)
}

async fn invitation(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    MaybeUser(session): MaybeUser,
    Path(token): Path<String>,
) -> Response {
    let result = async {
        let Some(inv) = state.store.invitation(&loket_auth::token_hash(&token), state.app.now()).await? else {
            return Ok(None);
        };
        let has_account = state.store.user_by_email(&inv.email).await?.is_some();
        let (csrf, new) = match &session {
            Some(s) => (s.csrf_token.clone(), false),
            None => crate::http::session::anonymous_csrf(&headers),
        };
        let signed_in_as = session.as_ref().map(|s| s.user.email.clone());
        Ok::<_, WebError>(Some((serde_json::json!({ "invitation": inv, "has_account": has_account, "signed_in_as": signed_in_as, "csrf": csrf, "token": token }), csrf, new)))
    }
    .await;
    match result {
        Ok(Some((data, csrf, new))) => {
            let res = render_page(&state, lang, session.as_ref(), "cards/invitation.html.j2", StatusCode::OK, data);
            crate::http::session::with_csrf_cookie(&state, res, &csrf, new)
        }
        Ok(None) => notice(&state, lang, StatusCode::GONE, "invite-title", "invite-invalid", "/", "error-back-home"),
        Err(e) => error_page(e),
    }
}

/// Accepts an invitation: as the signed-in user with the invited address, or by making the
/// account (name and password) for a new address, which then signs in.
async fn accept(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    MaybeUser(session): MaybeUser,
    Path(token): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        let joiner = match &session {
            Some(s) => {
                check_csrf(s, field(&form, "csrf"))?;
                members::Joiner::SignedIn { user_id: s.user.id, email: &s.user.email }
            }
            None => {
                check_anonymous_csrf(&headers, field(&form, "csrf"))?;
                members::Joiner::New { name: field(&form, "name"), password: field(&form, "password"), language: lang.lang }
            }
        };
        let joined = members::accept(&state.app, &token, joiner, request_id()).await?;
        Ok::<_, WebError>((joined.customer_id, joined.new_user))
    }
    .await;
    match result {
        Ok((customer, Some(user_id))) => {
            crate::http::session::start_session(&state, user_id, lang.lang, true, None, None, &format!("/customers/{customer}"))
                .await
                .unwrap_or_else(error_page)
        }
        Ok((customer, None)) => Redirect::to(&format!("/customers/{customer}")).into_response(),
        Err(e) => error_page(e),
    }
}

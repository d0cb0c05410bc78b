//! "Users of my company": an owner (or whoever may manage users) invites people by e-mail,
//! sets their role and permissions within the role's ceiling, and removes them. A card always
//! keeps an owner. Invitations are single-use links valid for a week.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use loket_domain::access::{MemberRole, Permission, Permissions};
use loket_store::accounts::{self, NewUser, Session};
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::members::{self, NewInvitation};

use crate::auth::{MaybeUser, SignedIn, check_anonymous_csrf, check_csrf};
use crate::pages::{error_page, notice, render_page};
use crate::{AppState, Lang, WebError};

const INVITATION_VALID: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/users", get(list))
        .route("/customers/{id}/users/invite", post(invite))
        .route("/customers/{id}/users/{user}", post(update))
        .route("/customers/{id}/users/{user}/remove", post(remove))
        .route("/invitations/{token}", get(invitation).post(accept))
}

type Fields = Vec<(String, String)>;

fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// The card, if the caller may manage its users; others get 404 (not a member) or 403.
async fn managed_card(state: &AppState, session: &Session, id: &str) -> Result<loket_store::customers::Customer, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = state.store.membership(session.user.id, id).await?.ok_or(WebError::NotFound)?;
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
        Ok(data) => render_page(&state, lang, Some(&session), "members.html.j2", StatusCode::OK, data),
        Err(e) => error_page(&state, lang, None, e),
    }
}

fn actor(session: &Session) -> Actor {
    Actor::new(ActorKind::User, session.user.id.to_string())
}

async fn invite(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = managed_card(&state, &session, &id).await?;
        invite_member(
            &state,
            &actor(&session),
            &session.user.name,
            session.user.id,
            &customer,
            field(&form, "email"),
            field(&form, "role"),
        )
        .await?;
        Ok::<_, WebError>(customer.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/customers/{id}/users")).into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

/// Invites `email` to `customer` with `role` (its default permissions): a single-use link for a
/// week, mailed in the card's language. Shared by the page and the API.
pub(crate) async fn invite_member(
    state: &AppState,
    actor: &Actor,
    inviter_name: &str,
    inviter_id: i64,
    customer: &loket_store::customers::Customer,
    email: &str,
    role: &str,
) -> Result<(), WebError> {
    let email = loket_domain::provider::check::email(email)
        .map_err(|m| WebError::BadRequest { field: Some("email".into()), message: format!("email: {m}") })?;
    let role: MemberRole = role.parse().map_err(|m| WebError::BadRequest { field: Some("role".into()), message: format!("role: {m}") })?;
    if state.store.members(customer.id).await?.iter().any(|m| m.email == accounts::normalise_email(&email)) {
        return Err(WebError::BadRequest { field: Some("email".into()), message: format!("email: {email} is on this card already") });
    }
    let token = loket_auth::new_token();
    let url = format!("{}/invitations/{token}", state.public_url);
    let data = serde_json::json!({ "customer": customer.card.legal_name, "inviter": inviter_name, "url": url });
    let mail = state
        .composer
        .compose("invitation", customer.card.language, &[email.as_str()], data)
        .map_err(|e| WebError::Template(e.to_string()))?;
    let mut tx = state.store.begin().await?;
    let invitation = NewInvitation {
        token_hash: &loket_auth::token_hash(&token),
        customer_id: customer.id,
        email: &email,
        role,
        permissions: role.default_permissions(),
        invited_by: inviter_id,
        expires: Timestamp::now() + INVITATION_VALID,
    };
    members::create_invitation(&mut tx, &invitation).await?;
    loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(mail)).await?;
    let change = Change {
        actor,
        action: "member.invite",
        entity: "customer",
        entity_id: Some(customer.id.to_string()),
        before: None,
        after: Some(serde_json::json!({ "email": email, "role": role.name() })),
        request_id: None,
    };
    audit::record(&mut tx, &change).await?;
    loket_store::commit(tx).await?;
    state.wake_jobs();
    Ok(())
}

async fn update(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, user)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = managed_card(&state, &session, &id).await?;
        let user: i64 = user.parse().map_err(|_| WebError::NotFound)?;
        let permissions: Vec<&str> = form.iter().filter(|(k, _)| k == "permission").map(|(_, v)| v.as_str()).collect();
        update_member(&state, &actor(&session), Some(session.user.id), customer.id, user, field(&form, "role"), &permissions).await?;
        Ok::<_, WebError>(customer.id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/customers/{id}/users")).into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

/// Changes a member's role and permissions (within the role's ceiling). Nobody changes their
/// own membership (`acting_user`), and the last owner stays an owner.
pub(crate) async fn update_member(
    state: &AppState,
    actor: &Actor,
    acting_user: Option<i64>,
    customer_id: i64,
    user: i64,
    role: &str,
    permission_names: &[&str],
) -> Result<(), WebError> {
    if acting_user == Some(user) {
        return Err(WebError::BadRequest { field: None, message: "you cannot change your own role or permissions".into() });
    }
    let role: MemberRole = role.parse().map_err(|m| WebError::BadRequest { field: Some("role".into()), message: format!("role: {m}") })?;
    let mut permissions = Permissions::default();
    for name in permission_names {
        permissions = permissions
            .with(name.parse::<Permission>().map_err(|m| WebError::BadRequest { field: Some("permissions".into()), message: m })?);
    }
    let permissions = role.effective(permissions);
    // Checked in the transaction that changes it, with the card locked: two owners demoted at
    // once still leave one.
    let mut tx = state.store.begin().await?;
    members::lock_card(&mut tx, state.store.backend(), customer_id).await?;
    let (member, old_permissions) = members::member_role(&mut tx, customer_id, user).await?.ok_or(WebError::NotFound)?;
    if member == MemberRole::Owner.name() && role != MemberRole::Owner && members::owner_count(&mut tx, customer_id).await? <= 1 {
        return Err(WebError::BadRequest { field: Some("role".into()), message: "role: a card keeps at least one owner".into() });
    }
    accounts::add_membership(&mut tx, user, customer_id, role, permissions).await?;
    let change = Change {
        actor,
        action: "member.update",
        entity: "customer",
        entity_id: Some(customer_id.to_string()),
        before: Some(serde_json::json!({ "user": user, "role": member, "permissions": old_permissions })),
        after: Some(serde_json::json!({ "user": user, "role": role.name(), "permissions": permissions.to_string() })),
        request_id: None,
    };
    audit::record(&mut tx, &change).await?;
    loket_store::commit(tx).await?;
    Ok(())
}

async fn remove(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, user)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let customer = managed_card(&state, &session, &id).await?;
        let user: i64 = user.parse().map_err(|_| WebError::NotFound)?;
        remove_member(&state, &actor(&session), customer.id, user).await?;
        Ok::<_, WebError>(customer.id)
    }
    .await;
    match result {
        Ok(_) if user_is(&session, &user) => Redirect::to("/account").into_response(),
        Ok(id) => Redirect::to(&format!("/customers/{id}/users")).into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

/// Takes a user off a card; the last owner stays.
pub(crate) async fn remove_member(state: &AppState, actor: &Actor, customer_id: i64, user: i64) -> Result<(), WebError> {
    let mut tx = state.store.begin().await?;
    members::lock_card(&mut tx, state.store.backend(), customer_id).await?;
    let (role, _) = members::member_role(&mut tx, customer_id, user).await?.ok_or(WebError::NotFound)?;
    if role == MemberRole::Owner.name() && members::owner_count(&mut tx, customer_id).await? <= 1 {
        return Err(WebError::BadRequest { field: None, message: "a card keeps at least one owner".into() });
    }
    members::remove_membership(&mut tx, user, customer_id).await?;
    let change = Change {
        actor,
        action: "member.remove",
        entity: "customer",
        entity_id: Some(customer_id.to_string()),
        before: Some(serde_json::json!({ "user": user, "role": role })),
        after: None,
        request_id: None,
    };
    audit::record(&mut tx, &change).await?;
    loket_store::commit(tx).await?;
    Ok(())
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
        let Some(inv) = state.store.invitation(&loket_auth::token_hash(&token), Timestamp::now()).await? else {
            return Ok(None);
        };
        let has_account = state.store.user_by_email(&inv.email).await?.is_some();
        let (csrf, new) = match &session {
            Some(s) => (s.csrf_token.clone(), false),
            None => crate::auth::anonymous_csrf(&headers),
        };
        let signed_in_as = session.as_ref().map(|s| s.user.email.clone());
        Ok::<_, WebError>(Some((serde_json::json!({ "invitation": inv, "has_account": has_account, "signed_in_as": signed_in_as, "csrf": csrf, "token": token }), csrf, new)))
    }
    .await;
    match result {
        Ok(Some((data, csrf, new))) => {
            let res = render_page(&state, lang, session.as_ref(), "invitation.html.j2", StatusCode::OK, data);
            crate::auth::with_csrf_cookie(&state, res, &csrf, new)
        }
        Ok(None) => notice(&state, lang, StatusCode::GONE, "invite-title", "invite-invalid", "/", "error-back-home"),
        Err(e) => error_page(&state, lang, None, e),
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
        let hash = loket_auth::token_hash(&token);
        let inv = state.store.invitation(&hash, Timestamp::now()).await?.ok_or(WebError::NotFound)?;
        let (user_id, new_session) = match &session {
            Some(s) => {
                check_csrf(s, field(&form, "csrf"))?;
                if s.user.email != inv.email {
                    return Err(WebError::Forbidden(format!(
                        "this invitation is for {}; you are signed in as {}",
                        inv.email, s.user.email
                    )));
                }
                (s.user.id, None)
            }
            None => {
                check_anonymous_csrf(&headers, field(&form, "csrf"))?;
                if state.store.user_by_email(&inv.email).await?.is_some() {
                    return Err(WebError::Forbidden("sign in first to accept this invitation".into()));
                }
                let name = loket_domain::provider::check::text(field(&form, "name"), 200)
                    .map_err(|m| WebError::BadRequest { field: Some("name".into()), message: format!("name: {m}") })?;
                let password = field(&form, "password").to_string();
                loket_auth::check_new_password(&password)
                    .map_err(|m| WebError::BadRequest { field: Some("password".into()), message: format!("password: {m}") })?;
                let hash = tokio::task::spawn_blocking(move || loket_auth::hash_password(&password))
                    .await
                    .map_err(|e| WebError::Unavailable(e.to_string()))?
                    .map_err(WebError::Unavailable)?;
                let mut conn = state.store.acquire().await?;
                let id = accounts::create_user(
                    &mut conn,
                    &NewUser { email: &inv.email, name: &name, password_hash: Some(&hash), language: lang.lang, staff_role: None },
                )
                .await?;
                (id, Some(id))
            }
        };
        let mut tx = state.store.begin().await?;
        let inv = members::accept_invitation(&mut tx, &hash, Timestamp::now()).await?.ok_or(WebError::NotFound)?;
        accounts::add_membership(&mut tx, user_id, inv.customer_id, inv.role, inv.permissions).await?;
        let who = Actor::new(ActorKind::User, user_id.to_string());
        let change = Change {
            actor: &who,
            action: "member.join",
            entity: "customer",
            entity_id: Some(inv.customer_id.to_string()),
            before: None,
            after: Some(serde_json::json!({ "user": user_id, "email": inv.email, "role": inv.role.name() })),
            request_id: None,
        };
        audit::record(&mut tx, &change).await?;
        loket_store::commit(tx).await?;
        Ok((inv.customer_id, new_session))
    }
    .await;
    match result {
        Ok((customer, Some(user_id))) => crate::auth::start_session(&state, user_id, true, None, None, &format!("/customers/{customer}"))
            .await
            .unwrap_or_else(|e| error_page(&state, lang, None, e)),
        Ok((customer, None)) => Redirect::to(&format!("/customers/{customer}")).into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

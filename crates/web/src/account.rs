//! Signing in and out, forgotten passwords, and the user's own account page.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use loket_store::accounts;
use loket_store::audit::{self, Actor, ActorKind, Change};
use serde::Deserialize;

use crate::auth::{
    MaybeUser, SESSION_COOKIE, SignedIn, anonymous_csrf, check_anonymous_csrf, check_csrf, cookie, safe_next, set_cookie, start_session,
    with_csrf_cookie,
};
use crate::pages::{error_page, notice, render_page};
use crate::{AppState, Lang, WebError};

/// Failed sign-ins allowed per account, and per network address, within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);
/// How long a password-reset link works.
pub const RESET_VALID: std::time::Duration = std::time::Duration::from_secs(3600);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_form).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/sign-out/everywhere", post(sign_out_everywhere))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
        .route("/account", get(account))
        .route("/account/profile", post(profile))
        .route("/account/password", post(change_password))
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

async fn sign_in_form(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
    MaybeUser(session): MaybeUser,
) -> Response {
    if session.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref()).unwrap_or_else(|| "/account".into())).into_response();
    }
    let (csrf, new) = anonymous_csrf(&headers);
    let data = serde_json::json!({ "csrf": csrf, "next": safe_next(q.next.as_deref()), "email": "", "error": null });
    with_csrf_cookie(&state, render_page(&state, lang, None, "sign_in.html.j2", StatusCode::OK, data), &csrf, new)
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

async fn sign_in(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    Form(form): Form<SignInForm>,
) -> Response {
    if let Err(e) = check_anonymous_csrf(&headers, &form.csrf) {
        return error_page(&state, lang, None, e);
    }
    let email = accounts::normalise_email(&form.email);
    let ip = state.client_ip(&headers, peer);
    let (account_key, ip_key) = (format!("account:{email}"), format!("ip:{ip}"));
    let refuse = |status: StatusCode, key: &str, minutes: Option<u64>| {
        let data = serde_json::json!({ "csrf": form.csrf, "next": safe_next(form.next.as_deref()), "email": email, "error": key, "minutes": minutes });
        render_page(&state, lang, None, "sign_in.html.j2", status, data)
    };
    let since = Timestamp::now() - THROTTLE_WINDOW;
    let minutes = Some(THROTTLE_WINDOW.as_secs() / 60);
    match (state.store.login_failures_since(&account_key, since).await, state.store.login_failures_since(&ip_key, since).await) {
        (Ok(a), _) if a >= MAX_FAILURES_PER_ACCOUNT => return refuse(StatusCode::TOO_MANY_REQUESTS, "signin-throttled-account", minutes),
        (_, Ok(i)) if i >= MAX_FAILURES_PER_ADDRESS => return refuse(StatusCode::TOO_MANY_REQUESTS, "signin-throttled-ip", minutes),
        (Err(e), _) | (_, Err(e)) => return error_page(&state, lang, None, e.into()),
        _ => {}
    }
    let user = match state.store.user_by_email(&email).await {
        Ok(u) => u.filter(|u| !u.disabled),
        Err(e) => return error_page(&state, lang, None, e.into()),
    };
    // Verify against a dummy hash for unknown accounts: the answer takes as long either way.
    let hash = user.as_ref().and_then(|u| u.password_hash.clone()).unwrap_or_else(|| loket_auth::dummy_hash().to_string());
    let password = form.password.clone();
    let valid = tokio::task::spawn_blocking(move || loket_auth::verify_password(&password, &hash)).await.unwrap_or(false);
    let Some(user) = user.filter(|_| valid) else {
        let _ = state.store.record_login_failure(&account_key).await;
        let _ = state.store.record_login_failure(&ip_key).await;
        return refuse(StatusCode::UNAUTHORIZED, "signin-failed", None);
    };
    let _ = state.store.clear_login_failures(&account_key).await;
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok());
    let target = safe_next(form.next.as_deref())
        .unwrap_or_else(|| if user.staff_role.is_some() { "/staff/customers".into() } else { "/account".into() });
    start_session(&state, user.id, !user.totp_enabled, Some(&ip), agent, &target)
        .await
        .unwrap_or_else(|e| error_page(&state, lang, None, e))
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

fn signed_out(state: &AppState) -> Response {
    let mut res = Redirect::to("/sign-in").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(state, SESSION_COOKIE, "", Some(0)));
    res
}

async fn sign_out(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    SignedIn(session): SignedIn,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = check_csrf(&session, &form.csrf) {
        return error_page(&state, lang, None, e);
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.store.delete_session(&loket_auth::token_hash(&token)).await;
    }
    signed_out(&state)
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(e) = check_csrf(&session, &form.csrf) {
        return error_page(&state, lang, None, e);
    }
    match state.store.delete_sessions_of(session.user.id).await {
        Ok(_) => signed_out(&state),
        Err(e) => error_page(&state, lang, None, e.into()),
    }
}

async fn forgot_form(State(state): State<AppState>, lang: Lang, headers: HeaderMap) -> Response {
    let (csrf, new) = anonymous_csrf(&headers);
    with_csrf_cookie(
        &state,
        render_page(&state, lang, None, "forgot.html.j2", StatusCode::OK, serde_json::json!({ "csrf": csrf, "sent": null })),
        &csrf,
        new,
    )
}

#[derive(Deserialize)]
struct ForgotForm {
    email: String,
    csrf: String,
}

/// Always the same answer, whether or not the address has an account.
async fn forgot(State(state): State<AppState>, lang: Lang, headers: HeaderMap, Form(form): Form<ForgotForm>) -> Response {
    if let Err(e) = check_anonymous_csrf(&headers, &form.csrf) {
        return error_page(&state, lang, None, e);
    }
    let email = accounts::normalise_email(&form.email);
    if let Err(e) = send_reset_link(&state, &email).await {
        return error_page(&state, lang, None, e);
    }
    render_page(&state, lang, None, "forgot.html.j2", StatusCode::OK, serde_json::json!({ "csrf": form.csrf, "sent": email }))
}

async fn send_reset_link(state: &AppState, email: &str) -> Result<(), WebError> {
    let Some(user) = state.store.user_by_email(email).await?.filter(|u| !u.disabled) else {
        // Nothing to send; spend about as long as when there is.
        let _ = tokio::task::spawn_blocking(|| loket_auth::verify_password("x", loket_auth::dummy_hash())).await;
        return Ok(());
    };
    let token = loket_auth::new_token();
    let url = format!("{}/password/reset/{token}", state.public_url);
    let mail = state
        .composer
        .compose("password-reset", user.language, &[user.email.as_str()], serde_json::json!({ "url": url }))
        .map_err(|e| WebError::Template(e.to_string()))?;
    let mut tx = state.store.begin().await?;
    accounts::create_password_reset(&mut tx, &loket_auth::token_hash(&token), user.id, Timestamp::now() + RESET_VALID).await?;
    loket_store::outbox::enqueue_mail(&mut tx, &crate::outgoing(mail)).await?;
    let actor = Actor::new(ActorKind::User, user.id.to_string());
    let change = Change {
        actor: &actor,
        action: "password.reset_requested",
        entity: "user",
        entity_id: Some(user.id.to_string()),
        before: None,
        after: None,
        request_id: None,
    };
    audit::record(&mut tx, &change).await?;
    loket_store::commit(tx).await?;
    state.wake_jobs();
    Ok(())
}

async fn reset_form(State(state): State<AppState>, lang: Lang, headers: HeaderMap, Path(token): Path<String>) -> Response {
    let valid = async {
        let mut conn = state.store.acquire().await?;
        accounts::password_reset_valid(&mut conn, &loket_auth::token_hash(&token), Timestamp::now()).await
    }
    .await;
    match valid {
        Ok(true) => {
            let (csrf, new) = anonymous_csrf(&headers);
            with_csrf_cookie(
                &state,
                render_page(&state, lang, None, "reset.html.j2", StatusCode::OK, serde_json::json!({ "csrf": csrf, "error": null })),
                &csrf,
                new,
            )
        }
        Ok(false) => notice(&state, lang, StatusCode::GONE, "reset-title", "reset-invalid", "/password/forgot", "forgot-title"),
        Err(e) => error_page(&state, lang, None, e.into()),
    }
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
    csrf: String,
}

async fn reset(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> Response {
    if let Err(e) = check_anonymous_csrf(&headers, &form.csrf) {
        return error_page(&state, lang, None, e);
    }
    if let Err(rule) = loket_auth::check_new_password(&form.password) {
        let data = serde_json::json!({ "csrf": form.csrf, "error": format!("{}: {rule}", loket_i18n::t(lang.lang, "reset-password")) });
        return render_page(&state, lang, None, "reset.html.j2", StatusCode::BAD_REQUEST, data);
    }
    let password = form.password.clone();
    let hash = match tokio::task::spawn_blocking(move || loket_auth::hash_password(&password)).await {
        Ok(Ok(h)) => h,
        _ => return error_page(&state, lang, None, WebError::Unavailable("hashing failed".into())),
    };
    let result: Result<Option<i64>, WebError> = async {
        let mut tx = state.store.begin().await?;
        let Some(user_id) = accounts::use_password_reset(&mut tx, &loket_auth::token_hash(&token), Timestamp::now()).await? else {
            return Ok(None);
        };
        accounts::set_password(&mut tx, user_id, &hash).await?;
        let actor = Actor::new(ActorKind::User, user_id.to_string());
        let change = Change {
            actor: &actor,
            action: "password.reset",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: None,
            request_id: None,
        };
        audit::record(&mut tx, &change).await?;
        loket_store::commit(tx).await?;
        Ok(Some(user_id))
    }
    .await;
    match result {
        Ok(Some(user_id)) => {
            // Whoever knew the old password is signed out too.
            let _ = state.store.delete_sessions_of(user_id).await;
            let _ = state
                .store
                .clear_login_failures(&format!(
                    "account:{}",
                    state.store.user(user_id).await.ok().flatten().map(|u| u.email).unwrap_or_default()
                ))
                .await;
            let mut res = notice(&state, lang, StatusCode::OK, "reset-title", "reset-done", "/sign-in", "signin-title");
            res.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            res
        }
        Ok(None) => notice(&state, lang, StatusCode::GONE, "reset-title", "reset-invalid", "/password/forgot", "forgot-title"),
        Err(e) => error_page(&state, lang, None, e),
    }
}

async fn account(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn) -> Response {
    match state.store.memberships(session.user.id).await {
        Ok(memberships) => {
            render_page(&state, lang, Some(&session), "account.html.j2", StatusCode::OK, serde_json::json!({ "memberships": memberships }))
        }
        Err(e) => error_page(&state, lang, None, e.into()),
    }
}

#[derive(Deserialize)]
struct ProfileForm {
    csrf: String,
    name: String,
    language: String,
}

/// The user's own name and language (the language of their e-mails).
async fn profile(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Form(form): Form<ProfileForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        let name = loket_domain::provider::check::text(&form.name, 200)
            .map_err(|m| WebError::BadRequest { field: Some("name".into()), message: format!("name: {m}") })?;
        let language: loket_domain::Language = form.language.parse().map_err(|e: loket_domain::language::UnknownLanguage| {
            WebError::BadRequest { field: Some("language".into()), message: format!("language: {e}") }
        })?;
        let mut tx = state.store.begin().await?;
        accounts::set_profile(&mut tx, session.user.id, &name, language).await?;
        let actor = Actor::new(ActorKind::User, session.user.id.to_string());
        let change = Change {
            actor: &actor,
            action: "user.profile",
            entity: "user",
            entity_id: Some(session.user.id.to_string()),
            before: Some(serde_json::json!({ "name": session.user.name, "language": session.user.language.code() })),
            after: Some(serde_json::json!({ "name": name, "language": language.code() })),
            request_id: None,
        };
        audit::record(&mut tx, &change).await?;
        loket_store::commit(tx).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
}

/// A new password, confirmed with the current one; every other session of the user ends.
async fn change_password(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Form(form): Form<PasswordForm>,
) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        let hash = session.user.password_hash.clone().unwrap_or_else(|| loket_auth::dummy_hash().to_string());
        let current = form.current.clone();
        if !tokio::task::spawn_blocking(move || loket_auth::verify_password(&current, &hash)).await.unwrap_or(false) {
            return Err(WebError::BadRequest { field: Some("current".into()), message: loket_i18n::t(lang.lang, "card-wrong-password") });
        }
        loket_auth::check_new_password(&form.new)
            .map_err(|m| WebError::BadRequest { field: Some("new".into()), message: format!("new: {m}") })?;
        let new = form.new.clone();
        let hash = tokio::task::spawn_blocking(move || loket_auth::hash_password(&new))
            .await
            .map_err(|e| WebError::Unavailable(e.to_string()))?
            .map_err(WebError::Unavailable)?;
        let mut tx = state.store.begin().await?;
        accounts::set_password(&mut tx, session.user.id, &hash).await?;
        let actor = Actor::new(ActorKind::User, session.user.id.to_string());
        let change = Change {
            actor: &actor,
            action: "password.change",
            entity: "user",
            entity_id: Some(session.user.id.to_string()),
            before: None,
            after: None,
            request_id: None,
        };
        audit::record(&mut tx, &change).await?;
        loket_store::commit(tx).await?;
        state.store.delete_other_sessions(session.user.id, &session.id_hash).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

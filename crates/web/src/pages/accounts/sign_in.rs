//! Signing in and out, forgotten passwords, and the user's own account page.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_store::accounts;
use serde::Deserialize;

use crate::http::middleware::request_id;
use crate::http::render::{error_page, notice, render_page};
use crate::http::session::{
    MaybeUser, SESSION_COOKIE, SignedIn, anonymous_csrf, check_anonymous_csrf, check_csrf, cookie, safe_next, set_cookie, start_session,
    with_csrf_cookie,
};
use crate::{AppState, Lang, WebError};

/// Failed sign-ins allowed per account, and per network address, within [`THROTTLE_WINDOW`].
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

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
        return Redirect::to(&safe_next(q.next.as_deref()).unwrap_or_else(|| "/".into())).into_response();
    }
    let (csrf, new) = anonymous_csrf(&headers);
    let data = serde_json::json!({ "csrf": csrf, "next": safe_next(q.next.as_deref()), "email": "", "error": null });
    with_csrf_cookie(&state, render_page(&state, lang, None, "accounts/sign_in.html.j2", StatusCode::OK, data), &csrf, new)
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
        return error_page(e);
    }
    let email = accounts::normalise_email(&form.email);
    let ip = state.client_ip(&headers, peer);
    let (account_key, ip_key) = (format!("account:{email}"), format!("ip:{ip}"));
    let refuse = |status: StatusCode, key: &str, minutes: Option<u64>| {
        let data = serde_json::json!({ "csrf": form.csrf, "next": safe_next(form.next.as_deref()), "email": email, "error": key, "minutes": minutes });
        render_page(&state, lang, None, "accounts/sign_in.html.j2", status, data)
    };
    let since = state.app.now() - THROTTLE_WINDOW;
    let minutes = Some(THROTTLE_WINDOW.as_secs() / 60);
    match (state.store.login_failures_since(&account_key, since).await, state.store.login_failures_since(&ip_key, since).await) {
        (Ok(a), _) if a >= MAX_FAILURES_PER_ACCOUNT => return refuse(StatusCode::TOO_MANY_REQUESTS, "signin-throttled-account", minutes),
        (_, Ok(i)) if i >= MAX_FAILURES_PER_ADDRESS => return refuse(StatusCode::TOO_MANY_REQUESTS, "signin-throttled-ip", minutes),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
        _ => {}
    }
    let user = match state.store.user_by_email(&email).await {
        Ok(u) => u.filter(|u| !u.disabled),
        Err(e) => return error_page(e),
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
    let target = safe_next(form.next.as_deref()).unwrap_or_else(|| if user.staff_role.is_some() { "/staff".into() } else { "/".into() });
    start_session(&state, user.id, user.language, !user.totp_enabled, Some(&ip), agent, &target).await.unwrap_or_else(error_page)
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

async fn sign_out(State(state): State<AppState>, headers: HeaderMap, SignedIn(session): SignedIn, Form(form): Form<CsrfForm>) -> Response {
    if let Err(e) = check_csrf(&session, &form.csrf) {
        return error_page(e);
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = state.store.delete_session(&loket_auth::token_hash(&token)).await;
    }
    signed_out(&state)
}

async fn sign_out_everywhere(State(state): State<AppState>, SignedIn(session): SignedIn, Form(form): Form<CsrfForm>) -> Response {
    if let Err(e) = check_csrf(&session, &form.csrf) {
        return error_page(e);
    }
    match state.store.delete_sessions_of(session.user.id).await {
        Ok(_) => signed_out(&state),
        Err(e) => error_page(e),
    }
}

async fn forgot_form(State(state): State<AppState>, lang: Lang, headers: HeaderMap) -> Response {
    let (csrf, new) = anonymous_csrf(&headers);
    with_csrf_cookie(
        &state,
        render_page(&state, lang, None, "accounts/forgot.html.j2", StatusCode::OK, serde_json::json!({ "csrf": csrf, "sent": null })),
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
        return error_page(e);
    }
    let email = accounts::normalise_email(&form.email);
    if let Err(e) = loket_app::accounts::request_password_reset(&state.app, &email, request_id()).await {
        return error_page(e);
    }
    render_page(&state, lang, None, "accounts/forgot.html.j2", StatusCode::OK, serde_json::json!({ "csrf": form.csrf, "sent": email }))
}

async fn reset_form(State(state): State<AppState>, lang: Lang, headers: HeaderMap, Path(token): Path<String>) -> Response {
    match loket_app::accounts::reset_link_valid(&state.app, &token).await {
        Ok(true) => {
            let (csrf, new) = anonymous_csrf(&headers);
            with_csrf_cookie(
                &state,
                render_page(
                    &state,
                    lang,
                    None,
                    "accounts/reset.html.j2",
                    StatusCode::OK,
                    serde_json::json!({ "csrf": csrf, "error": null }),
                ),
                &csrf,
                new,
            )
        }
        Ok(false) => notice(&state, lang, StatusCode::GONE, "reset-title", "reset-invalid", "/password/forgot", "forgot-title"),
        Err(e) => error_page(e),
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
        return error_page(e);
    }
    let result = loket_app::accounts::reset_password(&state.app, &token, &form.password, request_id()).await;
    match result {
        Err(loket_app::AppError::Invalid(errors)) => {
            let rule = errors.first().map(|e| e.message.clone()).unwrap_or_default();
            let data = serde_json::json!({ "csrf": form.csrf, "error": format!("{}: {rule}", loket_i18n::t(lang.lang, "reset-password")) });
            render_page(&state, lang, None, "accounts/reset.html.j2", StatusCode::BAD_REQUEST, data)
        }
        Ok(Some(_)) => {
            let mut res = notice(&state, lang, StatusCode::OK, "reset-title", "reset-done", "/sign-in", "signin-title");
            res.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", Some(0)));
            res
        }
        Ok(None) => notice(&state, lang, StatusCode::GONE, "reset-title", "reset-invalid", "/password/forgot", "forgot-title"),
        Err(e) => error_page(e),
    }
}

async fn account(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn) -> Response {
    match state.store.memberships(session.user.id).await {
        Ok(memberships) => render_page(
            &state,
            lang,
            Some(&session),
            "accounts/account.html.j2",
            StatusCode::OK,
            serde_json::json!({ "memberships": memberships }),
        ),
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
struct ProfileForm {
    csrf: String,
    name: String,
    language: String,
}

/// The user's own name and language (the language of their e-mails).
async fn profile(State(state): State<AppState>, SignedIn(session): SignedIn, Form(form): Form<ProfileForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        loket_app::accounts::set_profile(&state.app, &session.user, &form.name, &form.language, request_id()).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        // The panel follows the language just saved, as the e-mails do.
        Ok(()) => {
            let mut res = Redirect::to("/account").into_response();
            if let Ok(language) = form.language.parse::<loket_domain::Language>() {
                res.headers_mut().append(axum::http::header::SET_COOKIE, crate::http::lang::lang_cookie(language));
            }
            res
        }
        Err(e) => error_page(e),
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
}

/// A new password, confirmed with the current one; every other session of the user ends.
async fn change_password(State(state): State<AppState>, SignedIn(session): SignedIn, Form(form): Form<PasswordForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        loket_app::accounts::change_password(&state.app, &session.user, &session.id_hash, &form.current, &form.new, request_id()).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(e) => error_page(e),
    }
}

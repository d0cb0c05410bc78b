//! Two-step sign-in: set-up with an authenticator app (TOTP), ten single-use recovery codes,
//! the second step after the password, and switching it off (unless required).

use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use loket_store::accounts::Session;
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::second_factor;
use serde::Deserialize;

use crate::account::{MAX_FAILURES_PER_ACCOUNT, THROTTLE_WINDOW};
use crate::auth::{MaybeUser, SignedIn, check_csrf};
use crate::pages::{error_page, render_page};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in/2fa", get(step_form).post(step))
        .route("/account/2fa", get(setup))
        .route("/account/2fa/enable", post(enable))
        .route("/account/2fa/disable", post(disable))
}

fn now_secs() -> u64 {
    Timestamp::now().as_second().max(0) as u64
}

fn secret_of(hex_secret: &str) -> Vec<u8> {
    hex::decode(hex_secret).unwrap_or_default()
}

async fn audit_user(state: &AppState, user_id: i64, action: &str) -> Result<(), WebError> {
    let mut conn = state.store.acquire().await?;
    let actor = Actor::new(ActorKind::User, user_id.to_string());
    audit::record(
        &mut conn,
        &Change {
            actor: &actor,
            action,
            entity: "user",
            entity_id: Some(user_id.to_string()),
            before: None,
            after: None,
            request_id: None,
        },
    )
    .await?;
    Ok(())
}

/// Checks a TOTP code, or else a recovery code (used up). Audits a recovery code's use.
async fn check_code(state: &AppState, user_id: i64, code: &str) -> Result<bool, WebError> {
    let factor = state.store.second_factor(user_id).await?;
    let Some(secret) = factor.secret.as_deref().filter(|_| factor.enabled) else { return Ok(false) };
    let mut conn = state.store.acquire().await?;
    if let Some(step) = loket_auth::totp::verify(&secret_of(secret), code, now_secs(), factor.last_step) {
        return Ok(second_factor::use_totp_step(&mut conn, user_id, step).await?);
    }
    if code.trim().len() >= 12 && second_factor::use_recovery_code(&mut conn, user_id, &loket_auth::totp::recovery_code_hash(code)).await? {
        drop(conn);
        audit_user(state, user_id, "2fa.recovery_code_used").await?;
        return Ok(true);
    }
    Ok(false)
}

async fn step_form(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser) -> Response {
    match session {
        None => Redirect::to("/sign-in").into_response(),
        Some(s) if s.second_factor_done => Redirect::to("/account").into_response(),
        Some(s) => {
            render_page(&state, lang, None, "two_step.html.j2", StatusCode::OK, serde_json::json!({ "csrf": s.csrf_token, "error": null }))
        }
    }
}

#[derive(Deserialize)]
struct CodeForm {
    csrf: String,
    code: String,
}

async fn step(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser, Form(form): Form<CodeForm>) -> Response {
    let Some(session) = session else { return Redirect::to("/sign-in").into_response() };
    let result = async {
        check_csrf(&session, &form.csrf)?;
        let key = format!("2fa:{}", session.user.id);
        if state.store.login_failures_since(&key, Timestamp::now() - THROTTLE_WINDOW).await? >= MAX_FAILURES_PER_ACCOUNT {
            return Ok(Some(("signin-throttled-account", StatusCode::TOO_MANY_REQUESTS)));
        }
        if !check_code(&state, session.user.id, &form.code).await? {
            state.store.record_login_failure(&key).await?;
            return Ok(Some(("twostep-wrong", StatusCode::UNAUTHORIZED)));
        }
        state.store.clear_login_failures(&key).await?;
        state.store.complete_second_factor(&session.id_hash).await?;
        Ok::<_, WebError>(None)
    }
    .await;
    match result {
        Ok(None) => Redirect::to(if session.user.staff_role.is_some() { "/staff/customers" } else { "/account" }).into_response(),
        Ok(Some((message, status))) => {
            let data = serde_json::json!({ "csrf": session.csrf_token, "error": message, "minutes": THROTTLE_WINDOW.as_secs() / 60 });
            render_page(&state, lang, None, "two_step.html.j2", status, data)
        }
        Err(e) => error_page(&state, lang, None, e),
    }
}

/// Shows the state of two-step sign-in; during set-up, the secret to enter in the app.
async fn setup(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn) -> Response {
    let result = async {
        let mut factor = state.store.second_factor(session.user.id).await?;
        if !factor.enabled && factor.secret.is_none() {
            let secret = hex::encode(loket_auth::totp::new_secret());
            let mut conn = state.store.acquire().await?;
            second_factor::set_pending_totp(&mut conn, session.user.id, &secret).await?;
            factor.secret = Some(secret);
        }
        let required = state.store.second_factor_required(&session.user, state.staff_require_second_factor).await?;
        Ok::<_, WebError>(page_data(&state, &session, &factor, required, None, &[]))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "two_step_setup.html.j2", StatusCode::OK, data),
        Err(e) => error_page(&state, lang, None, e),
    }
}

fn page_data(
    state: &AppState,
    session: &Session,
    factor: &second_factor::SecondFactor,
    required: bool,
    error: Option<&str>,
    codes: &[String],
) -> serde_json::Value {
    let secret = factor.secret.as_deref().map(secret_of).unwrap_or_default();
    serde_json::json!({
        "enabled": factor.enabled,
        "required": required,
        "secret": if factor.enabled { String::new() } else { loket_auth::totp::base32(&secret) },
        "uri": if factor.enabled { String::new() } else { loket_auth::totp::otpauth_uri(&state.provider.trading_name, &session.user.email, &secret) },
        "recovery_left": factor.recovery_hashes.len(),
        "recovery_codes": codes,
        "error": error,
    })
}

#[derive(Deserialize)]
struct ConfirmForm {
    csrf: String,
    password: String,
    code: String,
}

async fn password_ok(session: &Session, password: &str) -> bool {
    let hash = session.user.password_hash.clone().unwrap_or_else(|| loket_auth::dummy_hash().to_string());
    let password = password.to_string();
    tokio::task::spawn_blocking(move || loket_auth::verify_password(&password, &hash)).await.unwrap_or(false)
}

/// Turns two-step sign-in on once a code from the app matches; shows the recovery codes once.
async fn enable(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Form(form): Form<ConfirmForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        let factor = state.store.second_factor(session.user.id).await?;
        let required = state.store.second_factor_required(&session.user, state.staff_require_second_factor).await?;
        let again =
            |error: &str| Ok::<_, WebError>((StatusCode::BAD_REQUEST, page_data(&state, &session, &factor, required, Some(error), &[])));
        if factor.enabled {
            return Err(WebError::BadRequest { field: None, message: "two-step sign-in is on already".into() });
        }
        if !password_ok(&session, &form.password).await {
            return again("card-wrong-password");
        }
        let Some(step) = factor.secret.as_deref().and_then(|s| loket_auth::totp::verify(&secret_of(s), &form.code, now_secs(), None))
        else {
            return again("twostep-wrong");
        };
        let codes = loket_auth::totp::new_recovery_codes();
        let hashes: Vec<String> = codes.iter().map(|c| loket_auth::totp::recovery_code_hash(c)).collect();
        let mut tx = state.store.begin().await?;
        second_factor::enable_totp(&mut tx, session.user.id, step, &hashes).await?;
        let actor = Actor::new(ActorKind::User, session.user.id.to_string());
        audit::record(
            &mut tx,
            &Change {
                actor: &actor,
                action: "2fa.enable",
                entity: "user",
                entity_id: Some(session.user.id.to_string()),
                before: None,
                after: None,
                request_id: None,
            },
        )
        .await?;
        loket_store::commit(tx).await?;
        let factor = state.store.second_factor(session.user.id).await?;
        Ok((StatusCode::OK, page_data(&state, &session, &factor, required, None, &codes)))
    }
    .await;
    match result {
        Ok((status, data)) => render_page(&state, lang, Some(&session), "two_step_setup.html.j2", status, data),
        Err(e) => error_page(&state, lang, None, e),
    }
}

async fn disable(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Form(form): Form<ConfirmForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        if state.store.second_factor_required(&session.user, state.staff_require_second_factor).await? {
            return Err(WebError::Forbidden("two-step sign-in is required for your account".into()));
        }
        if !password_ok(&session, &form.password).await || !check_code(&state, session.user.id, &form.code).await? {
            return Err(WebError::BadRequest { field: Some("code".into()), message: "the password or the code is not correct".into() });
        }
        let mut conn = state.store.acquire().await?;
        second_factor::disable_totp(&mut conn, session.user.id).await?;
        drop(conn);
        audit_user(&state, session.user.id, "2fa.disable").await
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/account/2fa").into_response(),
        Err(e) => error_page(&state, lang, None, e),
    }
}

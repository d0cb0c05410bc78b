//! Two-step sign-in: set-up with an authenticator app (TOTP), ten single-use recovery codes,
//! the second step after the password, and switching it off (unless required).

use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use loket_app::accounts::EnableRefused;
use loket_store::accounts::Session;
use loket_store::second_factor;
use serde::Deserialize;

use crate::http::middleware::request_id;
use crate::http::render::{error_page, render_page};
use crate::http::session::{MaybeUser, SignedIn, check_csrf};
use crate::pages::accounts::sign_in::{MAX_FAILURES_PER_ACCOUNT, THROTTLE_WINDOW};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in/2fa", get(step_form).post(step))
        .route("/account/2fa", get(setup))
        .route("/account/2fa/enable", post(enable))
        .route("/account/2fa/disable", post(disable))
}

async fn step_form(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser) -> Response {
    match session {
        None => Redirect::to("/sign-in").into_response(),
        Some(s) if s.second_factor_done => Redirect::to("/account").into_response(),
        Some(s) => render_page(
            &state,
            lang,
            None,
            "accounts/two_step.html.j2",
            StatusCode::OK,
            serde_json::json!({ "csrf": s.csrf_token, "error": null }),
        ),
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
        if state.store.login_failures_since(&key, state.app.now() - THROTTLE_WINDOW).await? >= MAX_FAILURES_PER_ACCOUNT {
            return Ok(Some(("signin-throttled-account", StatusCode::TOO_MANY_REQUESTS)));
        }
        if !loket_app::accounts::check_code(&state.app, session.user.id, &form.code, request_id()).await? {
            state.store.record_login_failure(&key).await?;
            return Ok(Some(("twostep-wrong", StatusCode::UNAUTHORIZED)));
        }
        state.store.clear_login_failures(&key).await?;
        state.store.complete_second_factor(&session.id_hash).await?;
        Ok::<_, WebError>(None)
    }
    .await;
    match result {
        Ok(None) => Redirect::to(if session.user.staff_role.is_some() { "/staff" } else { "/" }).into_response(),
        Ok(Some((message, status))) => {
            let data = serde_json::json!({ "csrf": session.csrf_token, "error": message, "minutes": THROTTLE_WINDOW.as_secs() / 60 });
            render_page(&state, lang, None, "accounts/two_step.html.j2", status, data)
        }
        Err(e) => error_page(e),
    }
}

/// Shows the state of two-step sign-in; during set-up, the secret to enter in the app.
async fn setup(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn) -> Response {
    let result = async {
        let factor = loket_app::accounts::second_factor_setup(&state.app, session.user.id).await?;
        let required = session.second_factor_required(state.staff_require_second_factor);
        Ok::<_, WebError>(page_data(&state, &session, &factor, required, None, &[]))
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "accounts/two_step_setup.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
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
    let secret = loket_app::accounts::secret_bytes(factor);
    let uri = if factor.enabled {
        String::new()
    } else {
        loket_auth::totp::otpauth_uri(&state.provider.trading_name, &session.user.email, &secret)
    };
    let qr = (!factor.enabled).then(|| crate::http::qr::svg(&uri, &loket_i18n::t(session.user.language, "twostep-qr-label"))).flatten();
    serde_json::json!({
        "enabled": factor.enabled,
        "required": required,
        "secret": if factor.enabled { String::new() } else { loket_auth::totp::base32(&secret) },
        "uri": uri,
        "qr": qr,
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

/// Turns two-step sign-in on once a code from the app matches; shows the recovery codes once.
async fn enable(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Form(form): Form<ConfirmForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        let factor = state.store.second_factor(session.user.id).await?;
        let required = session.second_factor_required(state.staff_require_second_factor);
        let again =
            |error: &str| Ok::<_, WebError>((StatusCode::BAD_REQUEST, page_data(&state, &session, &factor, required, Some(error), &[])));
        let codes =
            match loket_app::accounts::enable_second_factor(&state.app, &session.user, &form.password, &form.code, request_id()).await? {
                Ok(codes) => codes,
                Err(EnableRefused::WrongPassword) => return again("card-wrong-password"),
                Err(EnableRefused::WrongCode) => return again("twostep-wrong"),
            };
        let factor = state.store.second_factor(session.user.id).await?;
        Ok((StatusCode::OK, page_data(&state, &session, &factor, required, None, &codes)))
    }
    .await;
    match result {
        Ok((status, data)) => render_page(&state, lang, Some(&session), "accounts/two_step_setup.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn disable(State(state): State<AppState>, SignedIn(session): SignedIn, Form(form): Form<ConfirmForm>) -> Response {
    let result = async {
        check_csrf(&session, &form.csrf)?;
        let required = state.staff_require_second_factor;
        loket_app::accounts::disable_second_factor(&state.app, &session.user, required, &form.password, &form.code, request_id()).await?;
        Ok::<_, WebError>(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/account/2fa").into_response(),
        Err(e) => error_page(e),
    }
}

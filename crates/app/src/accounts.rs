//! A user's own account: name and language, password (changed, or reset by a mailed link) and
//! two-step sign-in. Sessions and sign-in throttling are HTTP matters and stay in the web
//! crate; every change to the account itself is here.

use std::time::Duration;

use loket_domain::Language;
use loket_store::accounts::{self, User};
use loket_store::audit::{Actor, ActorKind};
use loket_store::second_factor;

use crate::{AppError, Services, audit, hash_password, invalid, password_matches};

/// How long a password-reset link works.
pub const RESET_VALID: Duration = Duration::from_secs(3600);

fn user_entity(id: i64) -> (&'static str, Option<String>) {
    ("user", Some(id.to_string()))
}

/// The user acting on their own account, within `request_id`.
pub fn self_actor(user_id: i64, request_id: Option<String>) -> Actor {
    Actor::new(ActorKind::User, user_id.to_string()).in_request(request_id)
}

/// Mails a single-use reset link (valid an hour) to `email` if it has an enabled account.
/// Takes about as long either way, so the answer does not tell whether the address exists.
pub async fn request_password_reset(app: &Services, email: &str, request_id: Option<String>) -> Result<(), AppError> {
    let email = accounts::normalise_email(email);
    let Some(user) = app.store.user_by_email(&email).await?.filter(|u| !u.disabled) else {
        let _ = password_matches("x", None).await;
        return Ok(());
    };
    let mut tx = app.store.begin().await?;
    mail_reset_link(app, &mut tx, &user, RESET_VALID).await?;
    audit(&mut tx, &self_actor(user.id, request_id), "password.reset_requested", user_entity(user.id), None, None).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(())
}

/// Stores a single-use reset link for `user`, valid for `valid`, and mails it, in `tx`.
pub(crate) async fn mail_reset_link(app: &Services, tx: &mut loket_store::Tx, user: &User, valid: Duration) -> Result<(), AppError> {
    let token = loket_auth::new_token();
    let url = format!("{}/password/reset/{token}", app.public_url);
    accounts::create_password_reset(tx, &loket_auth::token_hash(&token), user.id, app.now() + valid).await?;
    app.mail(tx, "password-reset", user.language, &user.email, serde_json::json!({ "url": url })).await
}

/// Whether a reset link still works.
pub async fn reset_link_valid(app: &Services, token: &str) -> Result<bool, AppError> {
    let mut conn = app.store.acquire().await?;
    Ok(accounts::password_reset_valid(&mut conn, &loket_auth::token_hash(token), app.now()).await?)
}

/// Sets a new password through a reset link (used up); every session of the user ends and
/// the sign-in throttle of the account is cleared. `None` when the link is unknown, used or
/// expired.
pub async fn reset_password(app: &Services, token: &str, password: &str, request_id: Option<String>) -> Result<Option<i64>, AppError> {
    loket_auth::check_new_password(password).map_err(|m| invalid("password", m))?;
    let hash = hash_password(password).await?;
    let mut tx = app.store.begin().await?;
    let Some(user_id) = accounts::use_password_reset(&mut tx, &loket_auth::token_hash(token), app.now()).await? else {
        return Ok(None);
    };
    accounts::set_password(&mut tx, user_id, &hash).await?;
    audit(&mut tx, &self_actor(user_id, request_id), "password.reset", user_entity(user_id), None, None).await?;
    loket_store::commit(tx).await?;
    // Whoever knew the old password is signed out too.
    app.store.delete_sessions_of(user_id).await?;
    if let Some(user) = app.store.user(user_id).await? {
        app.store.clear_login_failures(&format!("account:{}", user.email)).await?;
    }
    Ok(Some(user_id))
}

/// The user's own name and language (the language of their e-mails).
pub async fn set_profile(app: &Services, user: &User, name: &str, language: &str, request_id: Option<String>) -> Result<(), AppError> {
    let name = loket_domain::provider::check::text(name, 200).map_err(|m| invalid("name", m))?;
    let language: Language = language.parse().map_err(|e: loket_domain::language::UnknownLanguage| invalid("language", e.to_string()))?;
    let mut tx = app.store.begin().await?;
    accounts::set_profile(&mut tx, user.id, &name, language).await?;
    let before = serde_json::json!({ "name": user.name, "language": user.language.code() });
    let after = serde_json::json!({ "name": name, "language": language.code() });
    audit(&mut tx, &self_actor(user.id, request_id), "user.profile", user_entity(user.id), Some(before), Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(())
}

/// A new password, confirmed with the current one; every session but `keep_session` ends.
pub async fn change_password(
    app: &Services,
    user: &User,
    keep_session: &str,
    current: &str,
    new: &str,
    request_id: Option<String>,
) -> Result<(), AppError> {
    if !password_matches(current, user.password_hash.as_deref()).await {
        return Err(invalid("current", loket_i18n::t(user.language, "card-wrong-password")));
    }
    loket_auth::check_new_password(new).map_err(|m| invalid("new", m))?;
    let hash = hash_password(new).await?;
    let mut tx = app.store.begin().await?;
    accounts::set_password(&mut tx, user.id, &hash).await?;
    audit(&mut tx, &self_actor(user.id, request_id), "password.change", user_entity(user.id), None, None).await?;
    loket_store::commit(tx).await?;
    app.store.delete_other_sessions(user.id, keep_session).await?;
    Ok(())
}

fn now_secs(app: &Services) -> u64 {
    app.now().as_second().max(0) as u64
}

fn secret_of(hex_secret: &str) -> Vec<u8> {
    hex::decode(hex_secret).unwrap_or_default()
}

/// The user's second factor, with a fresh pending secret when none is set up yet.
pub async fn second_factor_setup(app: &Services, user_id: i64) -> Result<second_factor::SecondFactor, AppError> {
    let mut factor = app.store.second_factor(user_id).await?;
    if !factor.enabled && factor.secret.is_none() {
        let secret = hex::encode(loket_auth::totp::new_secret());
        let mut conn = app.store.acquire().await?;
        second_factor::set_pending_totp(&mut conn, user_id, &secret).await?;
        factor.secret = Some(secret);
    }
    Ok(factor)
}

/// The raw TOTP secret of a factor (for the set-up page's QR and text).
pub fn secret_bytes(factor: &second_factor::SecondFactor) -> Vec<u8> {
    factor.secret.as_deref().map(secret_of).unwrap_or_default()
}

/// Why turning two-step sign-in on did not happen.
pub enum EnableRefused {
    WrongPassword,
    WrongCode,
}

/// Turns two-step sign-in on once the password and a code from the app match; returns the ten
/// recovery codes, shown once.
pub async fn enable_second_factor(
    app: &Services,
    user: &User,
    password: &str,
    code: &str,
    request_id: Option<String>,
) -> Result<Result<Vec<String>, EnableRefused>, AppError> {
    let factor = app.store.second_factor(user.id).await?;
    if factor.enabled {
        return Err(AppError::Refused("two-step sign-in is on already".into()));
    }
    if !password_matches(password, user.password_hash.as_deref()).await {
        return Ok(Err(EnableRefused::WrongPassword));
    }
    let Some(step) = factor.secret.as_deref().and_then(|s| loket_auth::totp::verify(&secret_of(s), code, now_secs(app), None)) else {
        return Ok(Err(EnableRefused::WrongCode));
    };
    let codes = loket_auth::totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| loket_auth::totp::recovery_code_hash(c)).collect();
    let mut tx = app.store.begin().await?;
    second_factor::enable_totp(&mut tx, user.id, step, &hashes).await?;
    audit(&mut tx, &self_actor(user.id, request_id), "2fa.enable", user_entity(user.id), None, None).await?;
    loket_store::commit(tx).await?;
    Ok(Ok(codes))
}

/// Turns two-step sign-in off, with the password and a code (or a recovery code); refused
/// when the account must use it.
pub async fn disable_second_factor(
    app: &Services,
    user: &User,
    staff_require_second_factor: bool,
    password: &str,
    code: &str,
    request_id: Option<String>,
) -> Result<(), AppError> {
    if app.store.second_factor_required(user, staff_require_second_factor).await? {
        return Err(AppError::Forbidden("two-step sign-in is required for your account".into()));
    }
    if !password_matches(password, user.password_hash.as_deref()).await || !check_code(app, user.id, code, request_id.clone()).await? {
        return Err(invalid("code", "the password or the code is not correct"));
    }
    let mut tx = app.store.begin().await?;
    second_factor::disable_totp(&mut tx, user.id).await?;
    audit(&mut tx, &self_actor(user.id, request_id), "2fa.disable", user_entity(user.id), None, None).await?;
    loket_store::commit(tx).await?;
    Ok(())
}

/// Checks a TOTP code (each step once), or else a recovery code (used up, audited).
pub async fn check_code(app: &Services, user_id: i64, code: &str, request_id: Option<String>) -> Result<bool, AppError> {
    let factor = app.store.second_factor(user_id).await?;
    let Some(secret) = factor.secret.as_deref().filter(|_| factor.enabled) else { return Ok(false) };
    let mut tx = app.store.begin().await?;
    let ok = if let Some(step) = loket_auth::totp::verify(&secret_of(secret), code, now_secs(app), factor.last_step) {
        second_factor::use_totp_step(&mut tx, user_id, step).await?
    } else if code.trim().len() >= 12
        && second_factor::use_recovery_code(&mut tx, user_id, &loket_auth::totp::recovery_code_hash(code)).await?
    {
        audit(&mut tx, &self_actor(user_id, request_id), "2fa.recovery_code_used", user_entity(user_id), None, None).await?;
        true
    } else {
        false
    };
    loket_store::commit(tx).await?;
    Ok(ok)
}

/// Makes a member of the provider's staff with `password` (checked by the caller's rules).
pub async fn add_staff(
    app: &Services,
    actor: &Actor,
    email: &str,
    name: &str,
    role: loket_domain::access::StaffRole,
    password: &str,
) -> Result<i64, AppError> {
    let email = loket_domain::provider::check::email(email).map_err(|m| invalid("email", m))?;
    let name = loket_domain::provider::check::text(name, 200).map_err(|m| invalid("name", m))?;
    loket_auth::check_new_password(password).map_err(|m| invalid("password", m))?;
    let hash = hash_password(password).await?;
    let mut tx = app.store.begin().await?;
    let new_user = accounts::NewUser {
        email: &email,
        name: &name,
        password_hash: Some(&hash),
        language: app.provider.default_language,
        staff_role: Some(role),
    };
    let id = accounts::create_user(&mut tx, &new_user).await.map_err(|e| invalid("email", e.to_string()))?;
    let after = serde_json::json!({ "email": email, "role": role.name() });
    audit(&mut tx, actor, "staff.add", user_entity(id), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(id)
}

/// A new personal API token for `user` with `scopes`: its id and the token, shown once (only
/// its hash is kept).
pub async fn create_token(app: &Services, actor: &Actor, user: &User, name: &str, scopes: &[String]) -> Result<(i64, String), AppError> {
    let name = loket_domain::provider::check::text(name, 100).map_err(|m| invalid("name", m))?;
    let token = format!("lkt_{}", loket_auth::new_token());
    let mut tx = app.store.begin().await?;
    let id = loket_store::tokens::create_api_token(&mut tx, user.id, &name, &loket_auth::token_hash(&token), scopes).await?;
    let after = serde_json::json!({ "token_id": id, "name": name, "scopes": scopes });
    audit(&mut tx, actor, "token.create", user_entity(user.id), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok((id, token))
}

/// Revokes a live token; `false` when there is none with `id`.
pub async fn revoke_token(app: &Services, actor: &Actor, id: i64) -> Result<bool, AppError> {
    if !app.store.revoke_api_token(id).await? {
        return Ok(false);
    }
    let mut tx = app.store.begin().await?;
    audit(&mut tx, actor, "token.revoke", ("token", Some(id.to_string())), None, None).await?;
    loket_store::commit(tx).await?;
    Ok(true)
}

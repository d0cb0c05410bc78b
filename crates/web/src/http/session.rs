//! Who is asking: the session cookie, CSRF tokens and the extractors handlers use.
//!
//! The cookie `loket_session` holds a random 256-bit token; the database keeps only its SHA-256.
//! A new session is made at every sign-in (so a session id planted before sign-in is worthless).
//! Every form carries a CSRF token: the session's own once signed in, and before that (sign-in,
//! password forms) a double-submit token in the `loket_csrf` cookie.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use loket_domain::access::{StaffAction, StaffRole};
use loket_store::accounts::{Membership, Session};
use loket_store::audit::{Actor, ActorKind};

use crate::http::middleware::request_id;

use crate::{AppState, WebError};

pub const SESSION_COOKIE: &str = "loket_session";
pub const CSRF_COOKIE: &str = "loket_csrf";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
        .map(str::to_string)
}

/// A `Set-Cookie` value; `Secure` when Loket is served over https.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<u64>) -> HeaderValue {
    let secure = if state.public_url.starts_with("https://") { "; Secure" } else { "" };
    let age = max_age.map(|a| format!("; Max-Age={a}")).unwrap_or_default();
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}")).unwrap_or(HeaderValue::from_static(""))
}

/// The pre-sign-in CSRF token: the cookie's, or a new one (then set on the response with
/// [`with_csrf_cookie`]).
pub fn anonymous_csrf(headers: &HeaderMap) -> (String, bool) {
    match cookie(headers, CSRF_COOKIE).filter(|c| c.len() == 64) {
        Some(c) => (c, false),
        None => (loket_auth::new_token(), true),
    }
}

pub fn with_csrf_cookie(state: &AppState, mut res: Response, token: &str, new: bool) -> Response {
    if new {
        res.headers_mut().append(header::SET_COOKIE, set_cookie(state, CSRF_COOKIE, token, None));
    }
    res
}

/// Starts a new session for `user_id` (a fresh random id, stored only as its hash, and a fresh
/// CSRF token) and returns `redirect` carrying its cookie and the user's own `language` as the
/// reader's language. Every sign-in goes through here.
pub async fn start_session(
    state: &AppState,
    user_id: i64,
    language: loket_domain::Language,
    second_factor_done: bool,
    ip: Option<&str>,
    user_agent: Option<&str>,
    redirect: &str,
) -> Result<Response, WebError> {
    let token = loket_auth::new_token();
    let csrf = loket_auth::new_token();
    let hash = loket_auth::token_hash(&token);
    let new = loket_store::accounts::NewSession {
        id_hash: &hash,
        user_id,
        csrf_token: &csrf,
        second_factor_done,
        ip,
        user_agent,
        now: state.app.now(),
    };
    state.store.create_session(&new).await?;
    let mut res = Redirect::to(redirect).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(state, SESSION_COOKIE, &token, Some(loket_store::accounts::SESSION_IDLE.as_secs())));
    res.headers_mut().append(header::SET_COOKIE, crate::http::lang::lang_cookie(language));
    Ok(res)
}

/// The signed-in user, if any.
#[derive(Clone)]
pub struct MaybeUser(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(s) = parts.extensions.get::<MaybeUser>() {
            return Ok(s.clone());
        }
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) if token.len() == 64 => match state.store.session(&loket_auth::token_hash(&token), state.app.now()).await {
                Ok(s) => s,
                Err(e) => return Err(reject(parts, state, e.into()).await),
            },
            _ => None,
        };
        let found = MaybeUser(session);
        parts.extensions.insert(found.clone());
        Ok(found)
    }
}

/// A signed-in user; pages without one redirect to the sign-in page, the API answers 401.
pub struct SignedIn(pub Session);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeUser(session) = MaybeUser::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match session {
            Some(s) if !s.second_factor_done => Err(second_step_first(parts, state, "/sign-in/2fa").await),
            Some(s) if !s.user.totp_enabled && !parts.uri.path().starts_with("/account/2fa") => {
                if s.second_factor_required(state.staff_require_second_factor) {
                    Err(second_step_first(parts, state, "/account/2fa").await)
                } else {
                    Ok(SignedIn(s))
                }
            }
            Some(s) => Ok(SignedIn(s)),
            None if parts.uri.path().starts_with("/api/") => {
                Err(reject(parts, state, WebError::Unauthorized("sign in first".into())).await)
            }
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                Err(Redirect::to(&format!("/sign-in?next={}", urlencode(next))).into_response())
            }
        }
    }
}

/// The signed-in user's place on card `customer_id`: from the session, which carries the user's
/// first cards, or looked up for a user on more. None: not on that card.
pub async fn membership(state: &AppState, session: &Session, customer_id: i64) -> Result<Option<Membership>, WebError> {
    match session.card(customer_id) {
        Some(m) => Ok(Some(m.clone())),
        None if session.all_cards() => Ok(None),
        None => Ok(state.store.membership(session.user.id, customer_id).await?),
    }
}

/// A signed-in member of the provider's staff.
pub struct Staff(pub Session, pub StaffRole);

impl Staff {
    /// Refuses the request unless this staff role may do `action`.
    pub fn require(&self, action: StaffAction) -> Result<(), WebError> {
        if self.1.can(action) { Ok(()) } else { Err(WebError::Forbidden(format!("your role ({}) may not do this", self.1.name()))) }
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(session) = SignedIn::from_request_parts(parts, state).await?;
        match session.user.staff_role {
            Some(role) => Ok(Staff(session, role)),
            None => Err(reject(parts, state, WebError::Forbidden("for the provider's staff only".into())).await),
        }
    }
}

/// Sends a half-signed-in user to the second step (pages), or refuses (API).
async fn second_step_first(parts: &mut Parts, state: &AppState, to: &str) -> Response {
    if parts.uri.path().starts_with("/api/") {
        return reject(parts, state, WebError::Unauthorized("complete two-step sign-in first".into())).await;
    }
    Redirect::to(to).into_response()
}

/// An error as the caller expects it: JSON under `/api/`, a translated page elsewhere.
pub async fn reject(parts: &mut Parts, _state: &AppState, err: WebError) -> Response {
    if parts.uri.path().starts_with("/api/") {
        return crate::ApiError(err).into_response();
    }
    crate::PageError(err).into_response()
}

/// A customer's user acting through a page, within the current request.
pub fn user_actor(session: &Session) -> Actor {
    Actor::new(ActorKind::User, session.user.id.to_string()).in_request(request_id())
}

impl Staff {
    /// This member of staff, acting within the current request.
    pub fn actor(&self) -> Actor {
        Actor::new(ActorKind::Staff, self.0.user.id.to_string()).in_request(request_id())
    }
}

/// Constant-time comparison for tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a signed-in form's CSRF token.
pub fn check_csrf(session: &Session, submitted: &str) -> Result<(), WebError> {
    if same_token(&session.csrf_token, submitted) {
        Ok(())
    } else {
        Err(WebError::Forbidden("the form expired: reload the page and try again".into()))
    }
}

/// Checks a form sent before sign-in against the `loket_csrf` cookie.
pub fn check_anonymous_csrf(headers: &HeaderMap, submitted: &str) -> Result<(), WebError> {
    match cookie(headers, CSRF_COOKIE) {
        Some(c) if c.len() == 64 && same_token(&c, submitted) => Ok(()),
        _ => Err(WebError::Forbidden("the form expired: reload the page and try again".into())),
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Where to go after signing in: only a path on this site (never `//host` or a full URL).
pub fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") && !n.contains("://")).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_redirects() {
        assert_eq!(safe_next(Some("/account")), Some("/account".into()));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn token_comparison() {
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
    }
}

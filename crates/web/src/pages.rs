//! Pages for people: the base layout with the language switch, the home page, error pages and
//! the static assets they use.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use loket_domain::Language;
use minijinja::Environment;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::auth::MaybeUser;
use crate::lang::LANG_COOKIE;
use crate::middleware::RequestId;
use crate::{AppState, Lang, WebError};
use loket_store::accounts::Session;

/// Static assets compiled into the binary: (file name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../static/app.css")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../static/favicon.svg")),
];

/// A short hash over all assets: part of every asset URL, so browsers may cache them for a year.
static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut h = Sha256::new();
    for (name, _, bytes) in ASSETS {
        h.update(name.as_bytes());
        h.update(bytes);
    }
    hex::encode(&h.finalize()[..6])
});

pub struct Pages {
    env: Environment<'static>,
}

impl Pages {
    pub fn new() -> Result<Pages, WebError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        loket_i18n::templates::install(&mut env);
        for (name, src) in [
            ("base.html.j2", include_str!("../templates/base.html.j2")),
            ("home.html.j2", include_str!("../templates/home.html.j2")),
            ("error.html.j2", include_str!("../templates/error.html.j2")),
            ("sign_in.html.j2", include_str!("../templates/sign_in.html.j2")),
            ("forgot.html.j2", include_str!("../templates/forgot.html.j2")),
            ("reset.html.j2", include_str!("../templates/reset.html.j2")),
            ("notice.html.j2", include_str!("../templates/notice.html.j2")),
            ("account.html.j2", include_str!("../templates/account.html.j2")),
            ("staff_customers.html.j2", include_str!("../templates/staff_customers.html.j2")),
            ("staff_customer.html.j2", include_str!("../templates/staff_customer.html.j2")),
            ("staff_changes.html.j2", include_str!("../templates/staff_changes.html.j2")),
            ("card.html.j2", include_str!("../templates/card.html.j2")),
            ("members.html.j2", include_str!("../templates/members.html.j2")),
            ("invitation.html.j2", include_str!("../templates/invitation.html.j2")),
            ("two_step.html.j2", include_str!("../templates/two_step.html.j2")),
            ("two_step_setup.html.j2", include_str!("../templates/two_step_setup.html.j2")),
            ("card_edit.html.j2", include_str!("../templates/card_edit.html.j2")),
            ("billing_overview.html.j2", include_str!("../templates/billing_overview.html.j2")),
            ("billing.html.j2", include_str!("../templates/billing.html.j2")),
            ("staff_billing.html.j2", include_str!("../templates/staff_billing.html.j2")),
            ("invoice.html.j2", include_str!("../templates/invoice.html.j2")),
            ("billing_result.html.j2", include_str!("../templates/billing_result.html.j2")),
            ("renew.html.j2", include_str!("../templates/renew.html.j2")),
        ] {
            env.add_template(name, src).map_err(|e| WebError::Template(format!("{name}: {e}")))?;
        }
        Ok(Pages { env })
    }

    pub fn render(
        &self,
        name: &str,
        lang: Language,
        state: &AppState,
        session: Option<&Session>,
        page: impl Serialize,
    ) -> Result<String, WebError> {
        let languages: Vec<_> = Language::ALL.iter().map(|l| minijinja::context! { code => l.code(), name => l.native_name() }).collect();
        let user = session.map(|s| {
            minijinja::context! {
                name => s.user.name.clone(),
                email => s.user.email.clone(),
                language => s.user.language.code(),
                staff => s.user.staff_role.map(|r| r.name()),
                csrf => s.csrf_token.clone(),
            }
        });
        let ctx = minijinja::context! {
            lang => lang.code(),
            user => user,
            languages => languages,
            provider => minijinja::Value::from(minijinja::value::Serde(&*state.provider)),
            asset_version => ASSET_VERSION.as_str(),
            page => minijinja::Value::from(minijinja::value::Serde(&page)),
        };
        self.env.get_template(name).and_then(|t| t.render(ctx)).map_err(|e| WebError::Template(format!("{name}: {e:#}")))
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home)).route("/static/{file}", get(asset))
}

/// Renders template `name` with `data` for the reader, or the error page if that fails.
pub fn render_page(
    state: &AppState,
    lang: Lang,
    session: Option<&Session>,
    name: &str,
    status: StatusCode,
    data: impl Serialize,
) -> Response {
    match state.pages.render(name, lang.lang, state, session, data) {
        Ok(html) => page(lang, status, html),
        Err(e) => error_page(state, lang, None, e),
    }
}

/// A short page that says one thing (`text`) under `title`, with a link onward; all are
/// translation keys.
pub fn notice(state: &AppState, lang: Lang, status: StatusCode, title: &str, text: &str, link: &str, link_text: &str) -> Response {
    let data = serde_json::json!({ "title": title, "text": text, "link": link, "link_text": link_text });
    render_page(state, lang, None, "notice.html.j2", status, data)
}

/// A rendered page; sets the language cookie when the reader picked a language.
pub fn page(lang: Lang, status: StatusCode, html: String) -> Response {
    let mut res = (status, Html(html)).into_response();
    if lang.chosen {
        let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.lang.code());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            res.headers_mut().insert(header::SET_COOKIE, v);
        }
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    res
}

async fn home(State(state): State<AppState>, lang: Lang, MaybeUser(session): MaybeUser) -> Response {
    render_page(&state, lang, session.as_ref(), "home.html.j2", StatusCode::OK, ())
}

/// Renders a translated error page for `err`.
pub fn error_page(state: &AppState, lang: Lang, request_id: Option<&RequestId>, err: WebError) -> Response {
    let status = err.status();
    if status.is_server_error() {
        tracing::error!(error = %err, "page failed");
    }
    let (title, text) = match status {
        StatusCode::NOT_FOUND => ("error-not-found-title", "error-not-found-text"),
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => ("error-forbidden-title", "error-forbidden-text"),
        s if s.is_client_error() => ("error-bad-request-title", "error-not-found-text"),
        _ => ("error-internal-title", "error-internal-text"),
    };
    let reference = request_id.map(|r| r.0.as_str()).unwrap_or("-");
    let data = serde_json::json!({ "title": title, "text": text, "reference": reference });
    match state.pages.render("error.html.j2", lang.lang, state, None, data) {
        Ok(html) => page(lang, status, html),
        // The error page itself failed: plain text is all that is left.
        Err(_) => (status, format!("{status}")).into_response(),
    }
}

/// Everything no route matched: a 404 page, or JSON under `/api`.
pub async fn not_found(State(state): State<AppState>, lang: Lang, req: axum::extract::Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return WebError::NotFound.into_response();
    }
    error_page(&state, lang, req.extensions().get::<RequestId>(), WebError::NotFound)
}

async fn asset(Path(file): Path<String>, headers: HeaderMap, State(state): State<AppState>, lang: Lang) -> Response {
    let Some((_, content_type, bytes)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return error_page(&state, lang, None, WebError::NotFound);
    };
    let etag = format!("\"{}\"", ASSET_VERSION.as_str());
    let cache = HeaderValue::from_static("public, max-age=31536000, immutable");
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(header::CACHE_CONTROL, cache)]).into_response();
    }
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    ([(header::CONTENT_TYPE, HeaderValue::from_static(content_type)), (header::CACHE_CONTROL, cache), (header::ETAG, etag)], *bytes)
        .into_response()
}

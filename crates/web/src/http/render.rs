//! Pages for people: the base layout with the language switch, the home page, error pages and
//! the static assets they use.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use loket_domain::Language;
use minijinja::Environment;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{AppState, Lang, WebError};
use loket_store::accounts::Session;

/// The page templates compiled into the binary, by their path under `templates/` without
/// `.html.j2`; each is registered under its full path (`billing/invoice.html.j2`).
macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$((concat!($name, ".html.j2"), include_str!(concat!("../../templates/", $name, ".html.j2")))),*]
    };
}

/// Static assets compiled into the binary: (file name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../../static/app.css")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg")),
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

/// The assets' hash, for their URLs.
pub(crate) fn asset_version() -> &'static str {
    ASSET_VERSION.as_str()
}

pub struct Pages {
    env: Environment<'static>,
}

impl Pages {
    pub fn new() -> Result<Pages, WebError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        loket_i18n::templates::install(&mut env);
        for (name, src) in templates![
            "layout/base",
            "layout/home",
            "layout/error",
            "accounts/sign_in",
            "accounts/forgot",
            "accounts/reset",
            "layout/notice",
            "accounts/account",
            "staff/customers",
            "staff/dashboard",
            "staff/new_customer",
            "staff/customer",
            "staff/changes",
            "staff/domains",
            "staff/catalog",
            "staff/audit",
            "staff/exports",
            "staff/bank",
            "cards/card",
            "cards/members",
            "cards/invitation",
            "accounts/two_step",
            "accounts/two_step_setup",
            "cards/card_edit",
            "billing/overview",
            "billing/customer",
            "billing/staff",
            "billing/invoice",
            "billing/result",
            "billing/renew",
            "billing/invoices",
            "billing/direct_debit",
            "staff/direct_debits",
            "quotes/list",
            "quotes/table",
            "quotes/quote",
            "quotes/staff",
            "orders/catalog",
            "orders/review",
            "orders/done",
            "notices/list",
            "access/form",
            "access/staff_list",
            "access/staff_request",
            "tickets/list",
            "tickets/new",
            "tickets/thread",
            "tickets/project",
            "tickets/unavailable",
            "tickets/rows",
            "tickets/entries",
            "tickets/staff_queue",
            "tickets/staff_new",
            "tickets/staff_ticket",
            "tickets/standby",
            "monitoring/health",
            "monitoring/status",
            "monitoring/customer",
            "monitoring/staff_list",
            "monitoring/staff_monitor",
            "monitoring/staff_form",
            "monitoring/form_field",
            "monitoring/staff_incidents",
            "monitoring/incident_head",
            "monitoring/incident_rows",
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
        let user = session.map(|s| {
            minijinja::context! {
                name => s.user.name.clone(),
                email => s.user.email.clone(),
                language => s.user.language.code(),
                staff => s.user.staff_role.map(|r| r.name()),
                csrf => s.csrf_token.clone(),
            }
        });
        let path = crate::http::middleware::request_path();
        let chrome = crate::http::layout::Chrome::new(state, lang, session, &path);
        let [links, top, foot] = chrome.parts().map_err(|e| WebError::Template(format!("layout: {e}")))?;
        let ctx = minijinja::context! {
            layout => minijinja::context! {
                links => minijinja::Value::from_safe_string(links),
                top => minijinja::Value::from_safe_string(top),
                foot => minijinja::Value::from_safe_string(foot),
            },
            staff_helpdesk => chrome.staff_helpdesk,
            lang => lang.code(),
            path => path,
            user => user,
            languages => LANGUAGES.clone(),
            provider => state.provider_page.clone(),
            page => minijinja::Value::from(minijinja::value::Serde(&page)),
        };
        loket_i18n::templates::rendering_in(lang, || self.env.get_template(name).and_then(|t| t.render(ctx)))
            .map_err(|e| WebError::Template(format!("{name}: {e:#}")))
    }
}

/// The languages a reader may choose (the account page's choice): the same on every page.
static LANGUAGES: LazyLock<minijinja::Value> = LazyLock::new(|| {
    minijinja::Value::from(
        Language::ALL.iter().map(|l| minijinja::context! { code => l.code(), name => l.native_name() }).collect::<Vec<_>>(),
    )
});

/// The main menu of the signed-in user on the page at `path`, as the `<li>` items of its list:
/// the back office's sections for staff (the helpdesk's and monitoring's by role), the card's
/// sections for customers, and the account for both. Written here rather than by the template,
/// which looked up each text and tested each section's path on every page.
pub(crate) fn menu(lang: Language, session: &Session, path: &str, helpdesk: bool, staff_helpdesk: bool, staff_monitoring: bool) -> String {
    let mut html = String::with_capacity(1024);
    let mut item = |href: &str, key: &str, current: bool| {
        html.push_str("<li><a href=\"");
        push_escaped(&mut html, href);
        html.push('"');
        if current {
            html.push_str(" aria-current=\"page\"");
        }
        html.push('>');
        html.push_str(&menu_label(lang, key));
        html.push_str("</a></li>\n");
    };
    if session.user.staff_role.is_some() {
        item("/staff", "nav-dashboard", path == "/staff");
        let sections: [(&str, &str, bool); 12] = [
            ("/staff/customers", "staff-customers-title", true),
            ("/staff/tickets", "nav-staff-tickets", staff_helpdesk),
            ("/staff/standby", "nav-staff-standby", staff_helpdesk),
            ("/staff/monitors", "nav-staff-monitoring", staff_monitoring),
            ("/staff/changes", "card-changes", true),
            ("/staff/catalog", "nav-staff-catalog", true),
            ("/staff/audit", "nav-staff-audit", true),
            ("/staff/exports", "nav-staff-exports", true),
            ("/staff/bank", "nav-staff-bank", true),
            ("/staff/direct-debits", "nav-staff-direct-debits", true),
            ("/staff/access", "nav-staff-access", true),
            ("/staff/domains", "nav-staff-domains", true),
        ];
        for (href, key, shown) in sections {
            // Monitoring's section holds its incidents too.
            let current = path.starts_with(href) || (href == "/staff/monitors" && path.starts_with("/staff/incidents"));
            if shown {
                item(href, key, current);
            }
        }
    } else {
        item("/", "nav-dashboard", path == "/");
        for (key, href, current) in card_nav(session, path, helpdesk) {
            item(&href, key, current);
        }
    }
    item("/account", "account-title", path.starts_with("/account"));
    html
}

/// Every text the menu shows, by message id.
const MENU_KEYS: [&str; 23] = [
    "nav-dashboard",
    "staff-customers-title",
    "nav-staff-tickets",
    "nav-staff-standby",
    "nav-staff-monitoring",
    "card-changes",
    "nav-staff-catalog",
    "nav-staff-audit",
    "nav-staff-exports",
    "nav-staff-bank",
    "nav-staff-direct-debits",
    "nav-staff-access",
    "nav-staff-domains",
    "nav-invoices",
    "nav-services",
    "nav-monitoring",
    "nav-quotes",
    "nav-tickets",
    "nav-order",
    "notices-title",
    "nav-card",
    "nav-users",
    "account-title",
];

/// The menu's text `key` in `lang`, escaped: looked up once per language and process, as
/// every signed-in page writes a dozen of them.
fn menu_label(lang: Language, key: &str) -> std::borrow::Cow<'static, str> {
    static BUILT: [std::sync::OnceLock<Vec<String>>; 3] = [const { std::sync::OnceLock::new() }; 3];
    let labels = BUILT[lang.index()].get_or_init(|| {
        MENU_KEYS
            .iter()
            .map(|key| {
                let mut text = String::new();
                push_escaped(&mut text, &loket_i18n::t_shared(lang, key));
                text
            })
            .collect()
    });
    match MENU_KEYS.iter().position(|k| *k == key) {
        Some(i) => std::borrow::Cow::Borrowed(labels[i].as_str()),
        // A section added without its key above: looked up on each page, as before.
        None => {
            let mut text = String::new();
            push_escaped(&mut text, &loket_i18n::t_shared(lang, key));
            std::borrow::Cow::Owned(text)
        }
    }
}

/// Appends `text` with the characters that mean something in HTML escaped, for the bits of
/// pages written in Rust (the menu, a select's options).
pub(crate) fn push_escaped(html: &mut String, text: &str) {
    if !text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        html.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
}

/// The sections of a customer card the user may open, for the menu: of the card the page is
/// about, or of the user's only card. (message id, href, whether the page is in it), in menu
/// order; the helpdesk's only when it is on; monitoring for those who see the card's services.
fn card_nav(session: &Session, path: &str, helpdesk: bool) -> Vec<(&'static str, String, bool)> {
    use loket_domain::access::Permission as P;
    let in_path = path.strip_prefix("/customers/").and_then(|rest| rest.split('/').next()).and_then(|id| id.parse::<i64>().ok());
    let card = match (in_path, session.cards.as_slice()) {
        (Some(id), cards) => cards.iter().find(|m| m.customer_id == id),
        (None, [only]) => Some(only),
        _ => None,
    };
    let Some(loket_store::accounts::Membership { customer_id: id, permissions: may, .. }) = card else { return Vec::new() };
    let sections: [(&str, &str, bool); 9] = [
        ("nav-invoices", "invoices", may.has(P::ViewInvoices)),
        ("nav-services", "billing", may.has(P::ViewInvoices)),
        ("nav-monitoring", "monitoring", may.has(P::ViewInvoices) || may.has(P::ManageServices)),
        ("nav-quotes", "quotes", may.has(P::ViewInvoices) || may.has(P::ManageServices)),
        ("nav-tickets", "tickets", helpdesk && may.has(P::UseHelpdesk)),
        ("nav-order", "order", may.has(P::ManageServices)),
        ("notices-title", "notifications", may.has(P::ViewInvoices)),
        ("nav-card", "", true),
        ("nav-users", "users", may.has(P::ManageUsers)),
    ];
    sections
        .into_iter()
        .filter(|(_, _, allowed)| *allowed)
        .map(|(key, section, _)| {
            let base = format!("/customers/{id}");
            let rest = path.strip_prefix(&base).unwrap_or("-");
            let current = match section {
                "" => rest.is_empty() || rest == "/edit",
                "billing" => {
                    rest == "/billing" || rest == "/direct-debit" || rest.starts_with("/services/") || rest.starts_with("/subscriptions/")
                }
                "tickets" => rest == "/tickets" || rest.starts_with("/tickets/") || rest.starts_with("/projects/"),
                s => rest.strip_prefix('/').is_some_and(|r| r == s || r.starts_with(&format!("{s}/"))),
            };
            (key, if section.is_empty() { base } else { format!("{base}/{section}") }, current)
        })
        .collect()
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
        Err(e) => error_page(e),
    }
}

/// A page compiled by askama (`template`, at `name` under `templates/`) for the reader, or the
/// error page if it fails.
pub(crate) fn render_compiled(lang: Lang, status: StatusCode, name: &str, template: &impl askama::Template) -> Response {
    match template.render() {
        Ok(html) => page(lang, status, html),
        Err(e) => error_page(WebError::Template(format!("{name}: {e}"))),
    }
}

/// A short page that says one thing (`text`) under `title`, with a link onward; all are
/// translation keys.
pub fn notice(state: &AppState, lang: Lang, status: StatusCode, title: &str, text: &str, link: &str, link_text: &str) -> Response {
    let data = serde_json::json!({ "title": title, "text": text, "link": link, "link_text": link_text });
    render_page(state, lang, None, "layout/notice.html.j2", status, data)
}

/// A rendered page; sets the language cookie when the reader picked a language.
pub fn page(lang: Lang, status: StatusCode, html: String) -> Response {
    let mut res = (status, Html(html)).into_response();
    if lang.chosen {
        res.headers_mut().insert(header::SET_COOKIE, crate::http::lang::lang_cookie(lang.lang));
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    res
}

/// A failed page: the status of `err`, rendered with the request id by the middleware.
pub fn error_page(err: impl Into<WebError>) -> Response {
    crate::http::error::PageError(err.into()).into_response()
}

/// The translated error page for `status`, naming `reference` (the request id).
pub(crate) fn error_page_for(state: &AppState, lang: Lang, status: StatusCode, reference: &str) -> Response {
    let (title, text) = match status {
        StatusCode::NOT_FOUND | StatusCode::GONE => ("error-not-found-title", "error-not-found-text"),
        StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED => ("error-forbidden-title", "error-forbidden-text"),
        s if s.is_client_error() => ("error-bad-request-title", "error-not-found-text"),
        _ => ("error-internal-title", "error-internal-text"),
    };
    let data = serde_json::json!({ "title": title, "text": text, "reference": reference });
    match state.pages.render("layout/error.html.j2", lang.lang, state, None, data) {
        Ok(html) => page(lang, status, html),
        // The error page itself failed: plain text is all that is left.
        Err(_) => (status, format!("{status}")).into_response(),
    }
}

/// A static asset, cached by browsers for a year (its URL carries the assets' hash).
pub async fn asset(Path(file): Path<String>, headers: HeaderMap, _lang: Lang) -> Response {
    let Some((_, content_type, bytes)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return error_page(WebError::NotFound);
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

#[cfg(test)]
mod tests {
    /// Every minijinja template file under `templates/` is compiled in: a page whose template
    /// was forgotten would fail only when first shown. (The `.html` files are askama's,
    /// checked when the crate compiles.)
    #[test]
    fn every_template_file_is_registered() {
        let pages = super::Pages::new().unwrap();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        for dir in std::fs::read_dir(&root).unwrap() {
            let dir = dir.unwrap().path();
            for file in std::fs::read_dir(&dir).unwrap() {
                let file = file.unwrap().path();
                if file.extension().is_none_or(|e| e != "j2") {
                    continue;
                }
                let name = format!("{}/{}", dir.file_name().unwrap().to_string_lossy(), file.file_name().unwrap().to_string_lossy());
                if pages.env.get_template(&name).is_err() {
                    missing.push(name);
                }
            }
        }
        assert!(missing.is_empty(), "templates not registered in Pages::new: {missing:?}");
    }
}

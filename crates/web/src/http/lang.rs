use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use loket_domain::Language;

use crate::AppState;

pub const LANG_COOKIE: &str = "loket_lang";

/// The reader's language: `?lang=` (which the language switch sets), else the `loket_lang`
/// cookie, else the browser's `Accept-Language`, else the provider's default language. Signing
/// in and saving the profile set the cookie to the user's own language (see [`lang_cookie`]),
/// so a signed-in user reads the panel in the language of their profile and e-mails.
#[derive(Debug, Clone, Copy)]
pub struct Lang {
    pub lang: Language,
    /// Chosen explicitly through `?lang=` on this request (the response then sets the cookie).
    pub chosen: bool,
}

impl Lang {
    /// The reader's language for a request with `uri` and `headers`.
    pub fn of(uri: &axum::http::Uri, headers: &axum::http::HeaderMap, default: Language) -> Lang {
        let from_query =
            uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("lang="))).and_then(|v| v.parse::<Language>().ok());
        if let Some(lang) = from_query {
            return Lang { lang, chosen: true };
        }
        let from_cookie = headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(LANG_COOKIE).and_then(|rest| rest.strip_prefix('=')))
            .and_then(|v| v.parse::<Language>().ok());
        let from_header = || headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Language::negotiate);
        Lang { lang: from_cookie.or_else(from_header).unwrap_or(default), chosen: false }
    }
}

/// The `Set-Cookie` value that makes `lang` the reader's language for a year.
pub fn lang_cookie(lang: Language) -> axum::http::HeaderValue {
    axum::http::HeaderValue::from_str(&format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.code()))
        .unwrap_or(axum::http::HeaderValue::from_static(""))
}

impl FromRequestParts<AppState> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Lang::of(&parts.uri, &parts.headers, state.provider.default_language))
    }
}

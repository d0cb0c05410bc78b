use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::http::error::PageFailure;
use crate::http::render::error_page_for;
use crate::{AppState, Lang};

tokio::task_local! {
    /// The id of the request this task serves (shown on error pages as a reference and logged
    /// with every line), for the audit entries its changes make.
    static REQUEST_ID: String;
    /// The path of the request this task serves: the menu marks the section the reader is in.
    static REQUEST_PATH: String;
}

/// The path of the request being served (`/customers/1/billing`), or "" outside a request.
pub fn request_path() -> String {
    REQUEST_PATH.try_with(Clone::clone).unwrap_or_default()
}

/// The id of the request being served, if any: every actor a handler builds carries it, so
/// the audit log names the request each change came with.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Mollie's origin is allowed for its payment-method logos and for "Pay now", whose form is
/// answered with a redirect to Mollie's checkout (browsers hold redirects to `form-action`).
const CSP: &str = "default-src 'self'; img-src 'self' data: https://www.mollie.com; style-src 'self'; script-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self' https://www.mollie.com; frame-ancestors 'none'";

/// One pass around every request: request id, the error page of a failed page (translated,
/// with the request id as reference), security headers, a structured log line and the metrics.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .map(str::to_string)
        .unwrap_or_else(|| format!("{:016x}", rand::random::<u64>()));
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());

    let lang = Lang::of(req.uri(), req.headers(), state.provider.default_language);

    let run = REQUEST_ID.scope(id.clone(), REQUEST_PATH.scope(path.clone(), next.run(req)));
    // A page (a GET) keeps one PostgreSQL connection for all its statements; see
    // `loket_store::keep_connection`. Requests that change things mostly begin a transaction,
    // which takes a connection of its own.
    let mut res = if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        loket_store::keep_connection(run).await
    } else {
        run.await
    };
    if res.extensions().get::<PageFailure>().is_some() {
        res = error_page_for(&state, lang, res.status(), &id);
    }

    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()");
    set(h, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if state.public_url.starts_with("https://") {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        h.insert(HeaderName::from_static("x-request-id"), v);
    }

    let elapsed = started.elapsed();
    let status = res.status().as_u16();
    state.metrics.observe(method.as_str(), &route, status, elapsed);
    tracing::info!(
        target: "loket::http",
        request_id = %id,
        method = %method,
        path = %path,
        route = %route,
        status,
        micros = elapsed.as_micros() as u64,
        "request"
    );
    res
}

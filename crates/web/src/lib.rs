//! Loket over HTTP: pages for people, the JSON API under `/api/v1` (documented at
//! `/api/openapi.json`), `/health` and `/metrics` for operators.
//!
//! The crate is organised by area: `api/<area>` for JSON routes, `pages/<area>` for pages
//! (their templates in `templates/<area>/`), and `http/` for what all of them share (errors,
//! session and language extractors, the middleware, rendering, metrics). Handlers are thin:
//! they parse, call one function of the service layer (`loket-app`) for a change or read the
//! store for a view, and render. Every response passes one middleware that sets the security
//! headers, a request id, a structured log line and the Prometheus metrics, and renders the
//! error page of a failed page.

mod api;
mod http;
mod pages;
mod server;

use std::sync::Arc;

use axum::Router;
use loket_domain::ProviderIdentity;
use loket_mail::Composer;
use loket_store::Store;
use tokio::sync::Notify;

pub use http::brand;
pub use http::error::{ApiError, PageError, WebError};
pub use http::lang::Lang;
pub use http::metrics::Metrics;

/// What every handler can reach, shared: a clone (every request takes a few) is one reference
/// count, not one per field.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;
    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

impl AppState {
    /// The fields, to change while the state is being set up (before it is shared).
    fn setup(&mut self) -> &mut AppStateInner {
        Arc::make_mut(&mut self.0)
    }
}

/// The fields of [`AppState`].
#[derive(Clone)]
pub struct AppStateInner {
    /// The service layer: every change goes through it.
    pub app: loket_app::Services,
    pub store: Store,
    pub provider: Arc<ProviderIdentity>,
    /// `provider` as every page's template reads it, made once instead of per page.
    pub(crate) provider_page: minijinja::Value,
    pub metrics: Arc<Metrics>,
    pub pages: Arc<http::render::Pages>,
    /// The address customers use to reach Loket, e.g. `https://mijn.example.nl`.
    pub public_url: String,
    /// Customer-card fields whose change staff review first.
    pub reviewed_fields: Arc<Vec<String>>,
    /// Staff must use two-step sign-in.
    pub staff_require_second_factor: bool,
    /// Behind a reverse proxy: the client's address is the last in `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
    /// The provider's logo and accent colour.
    pub brand: Arc<http::brand::Brand>,
}

impl AppState {
    pub fn new(
        store: Store,
        provider: ProviderIdentity,
        public_url: String,
        composer: Composer,
        wake: Arc<Notify>,
    ) -> Result<AppState, WebError> {
        let app = loket_app::Services::new(store.clone(), provider, composer, public_url.clone(), wake);
        Ok(AppState(Arc::new(AppStateInner {
            store,
            provider: app.provider.clone(),
            provider_page: minijinja::Value::from(minijinja::value::Serde(&*app.provider)),
            metrics: Arc::new(Metrics::default()),
            pages: Arc::new(http::render::Pages::new()?),
            public_url,
            reviewed_fields: app.reviewed_fields.clone(),
            app,
            staff_require_second_factor: false,
            trust_forwarded_for: false,
            brand: Arc::new(http::brand::Brand::default()),
        })))
    }

    pub fn with_reviewed_fields(mut self, fields: Vec<String>) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_reviewed_fields(fields);
        s.reviewed_fields = s.app.reviewed_fields.clone();
        self
    }

    /// Pages, API and services read "now" from `clock` (tests move it instead of waiting).
    pub fn with_clock(mut self, clock: loket_app::Clock) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_clock(clock);
        self
    }

    /// Pages carry the provider's logo and accent colour.
    pub fn with_brand(mut self, brand: brand::Brand) -> Self {
        self.setup().brand = Arc::new(brand);
        self
    }

    /// Collects by direct debit with `settings` (the creditor identifier, the file's rules).
    pub fn with_sepa(mut self, settings: loket_app::billing::sepa::SepaSettings) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_sepa(settings);
        self
    }

    /// Keeps uploaded files in `files`.
    pub fn with_files(mut self, files: loket_store::files::FileStore) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_files(files);
        self
    }

    /// Documents rendered with the provider's letterhead and e-invoicing settings.
    pub fn with_documents(mut self, settings: loket_app::documents::DocumentSettings) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_documents(settings);
        self
    }

    /// "Pay now" through this payment provider.
    pub fn with_online(mut self, settings: Option<Arc<loket_app::online::OnlineSettings>>) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_online(settings);
        self
    }

    /// The helpdesk's settings (`[helpdesk]`), or none when it is off.
    pub fn with_helpdesk(mut self, settings: Option<Arc<loket_app::helpdesk::HelpdeskSettings>>) -> Self {
        let s = self.setup();
        s.app = s.app.clone().with_helpdesk(settings);
        self
    }

    pub fn with_staff_second_factor(mut self, required: bool) -> Self {
        self.setup().staff_require_second_factor = required;
        self
    }

    pub fn with_trusted_proxy(mut self, trust_forwarded_for: bool) -> Self {
        self.setup().trust_forwarded_for = trust_forwarded_for;
        self
    }

    /// The client's address: the peer's, or behind a trusted proxy the last `X-Forwarded-For`
    /// entry (the one the proxy added; earlier ones are the client's own claims).
    pub fn client_ip(&self, headers: &axum::http::HeaderMap, peer: std::net::SocketAddr) -> String {
        if self.trust_forwarded_for
            && let Some(last) = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(str::trim)
                .rfind(|s| !s.is_empty())
            && last.parse::<std::net::IpAddr>().is_ok()
        {
            return last.to_string();
        }
        peer.ip().to_string()
    }

    pub fn wake_jobs(&self) {
        self.app.wake_jobs();
    }
}

/// The largest request body an API route reads, in MiB: more is refused with 413. (Pages that
/// take uploads set their own limit.)
pub(crate) const BODY_LIMIT_MIB: usize = 2;

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    router_with(state, None)
}

/// The application, with `extra` routes nested at their path (the demo's payment provider).
pub fn router_with(state: AppState, extra: Option<(&str, Router)>) -> Router {
    api::mark_started();
    let (api_router, mut openapi) = api::routes().split_for_parts();
    utoipa::Modify::modify(&api::ErrorResponses, &mut openapi);
    let openapi = Arc::new(openapi);
    let app = Router::new()
        .merge(pages::routes())
        .merge(api_router.layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT_MIB * 1024 * 1024)))
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let doc = openapi.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), http::middleware::observe))
        .with_state(state);
    match extra {
        Some((path, routes)) => app.nest(path, routes),
        None => app,
    }
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes open requests. A
/// client must send each request's header within `header_timeout`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    extra: Option<(&str, Router)>,
    header_timeout: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::run(listener, router_with(state, extra), header_timeout, shutdown).await
}

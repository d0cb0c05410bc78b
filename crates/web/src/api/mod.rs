//! The JSON API. Routes are declared with their OpenAPI description in one place
//! (`utoipa_axum::routes!`), so the document at `/api/openapi.json` cannot drift from the code.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::http::error::ErrorBody;

pub(crate) mod billing;
pub(crate) mod changes;
pub(crate) mod customers;
pub(crate) mod helpdesk;
pub(crate) mod monitoring;
pub(crate) mod quotes;
pub(crate) mod usage;

#[derive(OpenApi)]
#[openapi(
    info(title = "Loket API", description = "Billing, customer panel and helpdesk for web-hosting providers. \
        Authenticate with a personal API token (`loket token create`): `Authorization: Bearer lkt_…`."),
    components(schemas(ErrorBody)),
    modifiers(&TokenAuth)
)]
struct ApiDoc;

/// Declares the bearer-token security scheme the routes refer to.
struct TokenAuth;

impl utoipa::Modify for TokenAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("lkt_ + 64 hex").build()),
        );
    }
}

/// Documents the answers every API route may give besides its own: 401 and 403 where a token is
/// needed, 400 where a body or query is read, 500 and 503 everywhere. Applied to the whole
/// document once the routes are in it.
pub(crate) struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, ResponseBuilder, content::ContentBuilder};
        let error = || {
            RefOr::T(
                ResponseBuilder::new()
                    .description("An error, with the field at fault where there is one")
                    .content(
                        "application/json",
                        ContentBuilder::new().schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody"))).build(),
                    )
                    .build(),
            )
        };
        for item in doc.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let reads_input = op.request_body.is_some() || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let mut codes = vec!["500", "503"];
                if secured {
                    codes.extend(["401", "403"]);
                }
                if reads_input {
                    codes.push("400");
                }
                if op.request_body.is_some() {
                    codes.push("413");
                }
                for code in codes {
                    op.responses.responses.entry(code.to_string()).or_insert_with(error);
                }
            }
        }
    }
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health))
        .routes(routes!(provider))
        .merge(customers::routes())
        .merge(changes::routes())
        .merge(billing::routes())
        .merge(usage::routes())
        .merge(quotes::routes())
        .merge(helpdesk::routes())
        .merge(monitoring::routes())
        .route("/metrics", axum::routing::get(metrics))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `error`.
    status: &'static str,
    /// `ok`, or why the database cannot be reached.
    database: String,
    /// `sqlite` or `postgres`.
    backend: &'static str,
    version: &'static str,
}

/// Whether this node can serve: answers 200 when the database answers, 503 otherwise.
#[utoipa::path(get, path = "/health", tag = "operations",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
async fn health(State(state): State<AppState>) -> Response {
    let backend = match state.store.backend() {
        loket_store::Backend::Sqlite => "sqlite",
        loket_store::Backend::Postgres => "postgres",
    };
    let ping = tokio::time::timeout(std::time::Duration::from_secs(3), state.store.ping()).await;
    let (status, database) = match ping {
        Ok(Ok(())) => (StatusCode::OK, "ok".to_string()),
        Ok(Err(e)) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "no answer within 3 s".to_string()),
    };
    let body =
        Health { status: if status == StatusCode::OK { "ok" } else { "error" }, database, backend, version: env!("CARGO_PKG_VERSION") };
    let mut res = (status, axum::Json(body)).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

static STARTED: std::sync::LazyLock<std::time::Instant> = std::sync::LazyLock::new(std::time::Instant::now);

/// Prometheus metrics: HTTP requests and latencies, the depth of the job queue, and each
/// monitor's state (read at scrape time in one statement).
async fn metrics(State(state): State<AppState>) -> Response {
    let jobs = state.store.job_counts().await.ok();
    let mut text = state.metrics.render(jobs, STARTED.elapsed());
    if let Ok(mut conn) = state.store.acquire().await {
        let monitors = loket_store::monitoring::samples(&mut conn).await;
        let open = loket_store::monitoring::incidents::open_count(&mut conn).await;
        if let (Ok(monitors), Ok(open)) = (monitors, open) {
            crate::http::metrics::render_monitors(&mut text, &monitors, open);
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

#[derive(Serialize, ToSchema)]
pub struct Address {
    street: String,
    postal_code: String,
    city: String,
    /// ISO 3166-1 alpha-2.
    country: String,
}

/// The provider's public identity, as printed on its invoices.
#[derive(Serialize, ToSchema)]
pub struct Provider {
    trading_name: String,
    legal_name: String,
    address: Address,
    vat_number: Option<String>,
    /// Chamber of commerce number (KvK, REA, …).
    coc_number: Option<String>,
    iban: Option<String>,
    bic: Option<String>,
    email: String,
    phone: Option<String>,
    website: Option<String>,
    /// `nl`, `it` or `en`.
    default_language: String,
    /// ISO 4217, e.g. `EUR`.
    currency: String,
    /// IANA time zone in which due dates and daily runs are reckoned.
    time_zone: String,
}

#[utoipa::path(get, path = "/api/v1/provider", tag = "provider", responses((status = 200, body = Provider)))]
async fn provider(State(state): State<AppState>) -> axum::Json<Provider> {
    let p = &*state.provider;
    axum::Json(Provider {
        trading_name: p.trading_name.clone(),
        legal_name: p.legal_name.clone(),
        address: Address {
            street: p.address.street.clone(),
            postal_code: p.address.postal_code.clone(),
            city: p.address.city.clone(),
            country: p.address.country.to_string(),
        },
        vat_number: p.vat_number.clone(),
        coc_number: p.coc_number.clone(),
        iban: p.iban.clone(),
        bic: p.bic.clone(),
        email: p.email.clone(),
        phone: p.phone.clone(),
        website: p.website.clone(),
        default_language: p.default_language.to_string(),
        currency: p.currency.code().to_string(),
        time_zone: p.time_zone.clone(),
    })
}

/// The process start, for uptime; touched at router build.
pub fn mark_started() {
    let _ = *STARTED;
}

//! The real server over HTTP: health, pages in three languages, security and cache headers,
//! metrics, the OpenAPI document, error pages, graceful shutdown.

use crate::support;

use std::time::Duration;

use support::TestEnv;

async fn get(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut req = client.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.expect("request")
}

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_the_database() {
    let env = TestEnv::new().await;
    let mut server = env.serve_process(&[], &[]);
    let res = get(&server.url("/health"), &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    assert_eq!(body["backend"], if env.is_postgres() { "postgres" } else { "sqlite" });
    assert_eq!(server.terminate(Duration::from_secs(20)).code(), Some(0), "{}", server.log());
}

/// A client that opens connections and sends their header slowly, or nothing, is cut off after
/// the header deadline (here 3 s), while others are served; a stopping server still ends.
#[tokio::test(flavor = "multi_thread")]
async fn a_slow_or_silent_client_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let env = TestEnv::new().await;
    let mut server = env.serve_process(&[], &[("LOKET_SERVER_HEADER_TIMEOUT_SECONDS", "3".into())]);
    let addr = server.base.trim_start_matches("http://").to_string();
    let mut silent = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: loket\r\n").await.unwrap();
    let started = std::time::Instant::now();
    // Meanwhile others are served.
    assert_eq!(get(&server.url("/health"), &[]).await.status(), 200);
    let mut buf = [0u8; 256];
    let read = tokio::time::timeout(Duration::from_secs(15), slow.read(&mut buf)).await.expect("the server closes the connection");
    assert!(matches!(read, Ok(0) | Err(_)) || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408"), "{read:?}");
    assert!(started.elapsed() >= Duration::from_secs(2), "not before the deadline: {:?}", started.elapsed());
    let read = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf)).await.expect("the silent one too");
    assert!(matches!(read, Ok(0) | Err(_)) || String::from_utf8_lossy(&buf).starts_with("HTTP/1.1 408"), "{read:?}");
    assert_eq!(server.terminate(Duration::from_secs(20)).code(), Some(0), "{}", server.log());
}

#[tokio::test(flavor = "multi_thread")]
async fn home_page_speaks_the_readers_language() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    // Accept-Language decides when nothing else does.
    let it = get(&server.url("/"), &[("accept-language", "it-IT,it;q=0.9,en;q=0.5")]).await;
    assert_eq!(it.status(), 200);
    let html = it.text().await.unwrap();
    assert!(html.contains("<html lang=\"it\">"), "{html}");
    assert!(html.contains("Benvenuti da Loket Demo Hosting"));
    // Without any preference: the provider's language (nl in the demo configuration).
    let nl = get(&server.url("/"), &[]).await.text().await.unwrap();
    assert!(nl.contains("Welkom bij Loket Demo Hosting"));
    // The language switch sets a cookie that later requests follow.
    let en = get(&server.url("/?lang=en"), &[("accept-language", "it")]).await;
    let cookie = en.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("loket_lang=en;") && cookie.contains("SameSite=Lax") && cookie.contains("HttpOnly"), "{cookie}");
    assert!(en.text().await.unwrap().contains("Welcome to Loket Demo Hosting"));
    let again = get(&server.url("/"), &[("cookie", "loket_lang=en"), ("accept-language", "it")]).await.text().await.unwrap();
    assert!(again.contains("<html lang=\"en\">"));
    // An unknown language in the switch is ignored, not an error.
    assert_eq!(get(&server.url("/?lang=xx"), &[]).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_response_has_security_headers_and_a_request_id() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    for path in ["/", "/health", "/nope", "/api/v1/provider", "/static/app.css"] {
        let res = get(&server.url(path), &[]).await;
        let h = res.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(h["referrer-policy"], "same-origin", "{path}");
        assert_eq!(h["x-request-id"].len(), 16, "{path}");
    }
    // A caller's request id is kept (for tracing across a proxy), a malformed one replaced.
    let res = get(&server.url("/health"), &[("x-request-id", "abc-123")]).await;
    assert_eq!(res.headers()["x-request-id"], "abc-123");
    let res = get(&server.url("/health"), &[("x-request-id", "bad id<script>")]).await;
    assert_ne!(res.headers()["x-request-id"], "bad id<script>");
}

#[tokio::test(flavor = "multi_thread")]
async fn static_assets_are_cached_and_revalidated() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    let res = get(&server.url("/static/app.css"), &[]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/css; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable");
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    // The page links the asset with the same version as its ETag.
    let page = get(&server.url("/"), &[]).await.text().await.unwrap();
    assert!(page.contains(&format!("/static/app.css?v={}", etag.trim_matches('"'))));
    let res = get(&server.url("/static/app.css"), &[("if-none-match", &etag)]).await;
    assert_eq!(res.status(), 304);
    assert_eq!(get(&server.url("/static/missing.js"), &[]).await.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_are_pages_for_people_and_json_for_programs() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    let res = get(&server.url("/no/such/page"), &[("accept-language", "it")]).await;
    assert_eq!(res.status(), 404);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(res.text().await.unwrap().contains("Pagina non trovata"));
    let res = get(&server.url("/api/v1/nothing"), &[]).await;
    assert_eq!(res.status(), 404);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_requests_and_show_the_job_queue() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    for _ in 0..3 {
        get(&server.url("/health"), &[]).await;
    }
    let res = get(&server.url("/metrics"), &[]).await;
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = res.text().await.unwrap();
    assert!(text.contains("loket_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 3"), "{text}");
    assert!(text.contains("loket_http_request_duration_seconds_count{method=\"GET\",route=\"/health\"} 3"));
    assert!(text.contains("loket_jobs{state=\"queued\"}"));
    assert!(text.contains("loket_jobs{state=\"dead\"} 0"));
}

#[tokio::test(flavor = "multi_thread")]
async fn openapi_document_describes_the_api() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    let doc: serde_json::Value = get(&server.url("/api/openapi.json"), &[]).await.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/health"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/provider"]["get"].is_object());
    // What the document promises is what the server answers.
    let provider: serde_json::Value = get(&server.url("/api/v1/provider"), &[]).await.json().await.unwrap();
    let schema = &doc["components"]["schemas"]["Provider"]["properties"];
    for key in provider.as_object().unwrap().keys() {
        assert!(schema.get(key).is_some(), "`{key}` is not in the Provider schema");
    }
    assert_eq!(provider["time_zone"], "Europe/Amsterdam");
    assert_eq!(provider["currency"], "EUR");
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_configuration_reaches_pages_and_api() {
    let env = TestEnv::new().await;
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/providers/gestione-internet.toml");
    let server = env.serve(&[], &[("LOKET_CONFIG", file.display().to_string())]);
    let provider: serde_json::Value = get(&server.url("/api/v1/provider"), &[]).await.json().await.unwrap();
    assert_eq!(provider["trading_name"], "Gestione Internet");
    assert_eq!(provider["time_zone"], "Europe/Rome");
    let html = get(&server.url("/"), &[]).await.text().await.unwrap();
    assert!(html.contains("<html lang=\"it\">") && html.contains("Partita IVA IT01234567897"), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_housekeeping_runs_once_per_day_across_nodes() {
    let env = TestEnv::new().await;
    let a = env.serve(&[], &[]);
    let b = env.serve(&[], &[]);
    let store = env.store().await;
    support::wait_until("housekeeping done", Duration::from_secs(30), || async {
        let jobs = store.jobs(None, 100).await.unwrap();
        jobs.iter().any(|j| j.kind == "housekeeping" && j.state == loket_store::jobs::JobState::Done)
    })
    .await;
    support::drained(&store).await;
    let housekeeping: Vec<_> = store.jobs(None, 100).await.unwrap().into_iter().filter(|j| j.kind == "housekeeping").collect();
    assert_eq!(housekeeping.len(), 1, "{housekeeping:?}");
    assert!(housekeeping[0].idempotency_key.as_deref().unwrap().starts_with("schedule:housekeeping:20"));
    drop((a, b));
}

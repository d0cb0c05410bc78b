//! The API description is the API (issue 8, defect 10): every request and answer of `/api/v1`
//! has its real schema in `/api/openapi.json` — lists are arrays, bodies are named types, errors
//! are documented — and answers match it. (CI also runs schemathesis against a live server: see
//! `.ci/schemathesis.sh`.)

use crate::support;

use serde_json::Value;
use support::world::*;

/// A schema that says nothing: an object without properties and not a reference.
fn is_bare_object(schema: &Value) -> bool {
    schema.get("$ref").is_none()
        && schema.get("type").and_then(Value::as_str) == Some("object")
        && schema.get("properties").is_none()
        && schema.get("additionalProperties").is_none()
}

#[tokio::test]
async fn every_route_is_described_with_its_real_shapes() {
    let w = World::new("ecm2").await;
    let doc: Value = reqwest::get(w.server.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 30, "{} paths", paths.len());
    let mut problems = Vec::new();
    for (path, item) in paths {
        for (method, op) in item.as_object().unwrap() {
            let name = format!("{} {path}", method.to_uppercase());
            if let Some(body) = op.get("requestBody") {
                let schema = &body["content"]["application/json"]["schema"];
                if is_bare_object(schema) {
                    problems.push(format!("{name}: request body is a bare object"));
                }
            }
            let responses = op["responses"].as_object().unwrap();
            for (code, r) in responses {
                if let Some(schema) = r.pointer("/content/application~1json/schema")
                    && is_bare_object(schema)
                {
                    problems.push(format!("{name}: {code} is a bare object"));
                }
            }
            let secured = op.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
            if secured && path.starts_with("/api/v1") {
                for code in ["401", "403"] {
                    if !responses.contains_key(code) {
                        problems.push(format!("{name}: {code} undocumented"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Lists are described as lists.
    for path in ["/api/v1/terms", "/api/v1/products", "/api/v1/plans", "/api/v1/invoices", "/api/v1/customers"] {
        let schema = &doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["type"], "array", "{path}: {schema}");
    }
}

#[tokio::test]
async fn answers_have_the_fields_their_schema_names() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    let s = w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    let doc: Value = reqwest::get(w.server.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let check = |name: &str, value: &Value| {
        let required: Vec<&str> =
            schemas[name]["required"].as_array().map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
        assert!(!required.is_empty(), "{name} has required fields");
        for field in required {
            assert!(value.get(field).is_some(), "{name} lacks `{field}`: {value}");
        }
        for key in value.as_object().unwrap().keys() {
            assert!(schemas[name]["properties"].get(key).is_some(), "{name} has an undescribed `{key}`");
        }
    };
    let invoices = w.get("/api/v1/invoices").await;
    check("InvoiceSummaryView", &invoices[0]);
    check("InvoiceView", &w.get(&format!("/api/v1/invoices/{}", invoices[0]["id"])).await);
    check("SubscriptionView", &w.get(&format!("/api/v1/subscriptions/{s}")).await);
    check("OverviewView", &w.get(&format!("/api/v1/customers/{c}/billing")).await);
    check("PlanView", &w.get("/api/v1/plans").await[0]);
    check("TermsView", &w.get("/api/v1/terms").await[0]);
    check("ProductView", &w.get("/api/v1/products").await[0]);
    // Errors are the documented error body, also for a body that is not JSON at all.
    let resp = w.http.post(w.server.url("/api/v1/payments")).bearer_auth(&w.token).body("{not json").send().await.unwrap();
    assert_eq!(resp.status(), 400);
    let err: Value = resp.json().await.unwrap();
    assert!(err["error"].is_string() && err["message"].is_string(), "{err}");
    let resp = w.http.get(w.server.url("/api/v1/invoices?limit=many")).bearer_auth(&w.token).send().await.unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.json::<Value>().await.unwrap()["message"].is_string());
}

//! Hostile input against the real server (issue 8, defect 9): values that used to be accepted
//! and then broke the daily run for everyone are refused at the edge with the field named and
//! without echoing them back; a billing file changes only what it names; and records that are
//! bad anyway (written around the API) make the run skip one customer, not stop.

use crate::support;

use serde_json::json;
use support::world::*;

/// Posts `body` and insists on a 400 that names `field` in a short answer.
async fn refused(w: &World, path: &str, body: serde_json::Value, field: &str) {
    let resp = w.http.post(w.server.url(path)).bearer_auth(&w.token).json(&body).send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(status, 400, "{path} {field}: {text}");
    assert!(text.len() < 2000, "the answer does not echo the input ({} bytes)", text.len());
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let fields: Vec<&str> = std::iter::once(v["field"].as_str().unwrap_or(""))
        .chain(v["errors"].as_array().into_iter().flatten().filter_map(|e| e["field"].as_str()))
        .collect();
    assert!(fields.contains(&field), "{path}: expected `{field}` in {text}");
}

#[tokio::test]
async fn values_that_broke_the_run_are_refused_by_field() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    let sub = |start: &str| json!({"customer_id": c, "plan": "hosting-basis", "label": "x.nl", "start_date": start});
    for start in ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"] {
        refused(&w, "/api/v1/subscriptions", sub(start), "start_date").await;
    }
    let megabyte = "x".repeat(1 << 20);
    refused(
        &w,
        "/api/v1/subscriptions",
        json!({"customer_id": c, "plan": "hosting-basis", "label": megabyte, "start_date": "2027-01-01"}),
        "label",
    )
    .await;
    refused(
        &w,
        "/api/v1/subscriptions",
        json!({"customer_id": c, "plan": "hosting-basis", "label": "a\u{0}b", "start_date": "2027-01-01"}),
        "label",
    )
    .await;
    let s = w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-01-01");
    let inv = w.invoice("F2027-00001").await["id"].as_i64().unwrap();

    let pay = |amount: &str, reference: &str| json!({"invoice_id": inv, "amount": amount, "method": "bank_transfer", "received_on": "2027-01-05", "reference": reference});
    refused(&w, "/api/v1/payments", pay("92233720368547758.07", "r"), "amount").await;
    refused(&w, "/api/v1/payments", pay("1000000000.01", "r"), "amount").await;
    refused(&w, "/api/v1/payments", pay("-5", "r"), "amount").await;
    refused(&w, "/api/v1/payments", pay("10.00", "ref\u{0}"), "reference").await;
    refused(&w, "/api/v1/payments", pay("10.00", &megabyte), "reference").await;
    refused(
        &w,
        "/api/v1/payments",
        json!({"invoice_id": inv, "amount": "1", "method": "bank_transfer", "received_on": "9999-12-31"}),
        "received_on",
    )
    .await;

    let item = |q: &str, p: &str, d: &str| json!({"customer_id": c, "description": d, "quantity": q, "unit_price": p});
    refused(&w, "/api/v1/items", item("1000000", "999999999.99", "x"), "quantity").await;
    refused(&w, "/api/v1/items", item("1", "99999999999999999", "x"), "unit_price").await;
    refused(&w, "/api/v1/items", item("1", "1.00", "nul\u{0}"), "description").await;
    refused(&w, "/api/v1/items", item("1", "1.00", &megabyte), "description").await;
    refused(
        &w,
        "/api/v1/projects",
        json!({"customer_id": c, "description": "p\u{0}", "total": "100", "deposit_percent": 30, "signed_on": "2027-01-01"}),
        "description",
    )
    .await;
    refused(
        &w,
        "/api/v1/projects",
        json!({"customer_id": c, "description": "p", "total": "100", "deposit_percent": 30, "signed_on": "0001-01-01"}),
        "signed_on",
    )
    .await;
    refused(&w, &format!("/api/v1/invoices/{inv}/credit-notes"), json!({"reason": "why\u{0}"}), "reason").await;
    refused(&w, &format!("/api/v1/invoices/{inv}/credit-notes"), json!({"reason": megabyte}), "reason").await;
    refused(
        &w,
        &format!("/api/v1/subscriptions/{s}/cancellation"),
        json!({"received_on": "9999-12-31", "channel": "email"}),
        "received_on",
    )
    .await;
    refused(&w, &format!("/api/v1/subscriptions/{s}/end"), json!({"on": "0001-01-01"}), "on").await;

    // The catalog: the API refuses what the billing file refuses.
    let (status, body) = w
        .put("/api/v1/plans/bad", json!({"name": "Bad\u{0}", "product": "hosting", "terms": "ecm2-hosting", "prices": {"quarter": "1.00"}}))
        .await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (400, Some("name")), "{body}");
    let (status, body) = w
        .put(
            "/api/v1/plans/monthly",
            json!({"name": "Monthly", "product": "hosting", "terms": "ecm2-hosting", "prices": {"month": "10.00"}}),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("prices")), "a price for a period its terms do not bill: {body}");
    let (status, _) = w
        .put(
            "/api/v1/terms/ecm2-hosting",
            json!({"name": "monthly now", "first_term": "month", "notice": "1 month", "channels": ["email"]}),
        )
        .await;
    assert_eq!(status, 400, "terms whose plans have no price for the new billing period");

    // Nothing of it stopped anything: the next quarter is billed.
    w.run("2027-01-02", "2027-04-01");
    assert_eq!(w.documents().await.len(), 2);
    assert_eq!(w.get(&format!("/api/v1/customers/{c}/billing")).await["credit_balance"], 0);
}

/// A body larger than the API reads is refused with 413 and a JSON answer that says the
/// limit, on every route that takes one, and the service goes on answering. The request says
/// its length and sends a little more than the limit of its body, as a client that waits for
/// the answer would: the server answers without reading the rest.
#[tokio::test]
async fn an_oversized_body_is_413_not_400() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    let url = reqwest::Url::parse(&w.server.url("/")).unwrap();
    let addr = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    for path in ["/api/v1/subscriptions", "/api/v1/payments", "/api/v1/customers"] {
        let mut conn = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{\"label\": \"",
            w.token,
            3 << 20
        );
        conn.write_all(head.as_bytes()).await.unwrap();
        // Past the limit, short of the length it said: the server answers when it has read
        // what it reads.
        conn.write_all(&vec![b'x'; (2 << 20) + (64 << 10)]).await.unwrap();
        // The answer, read up to its stated length: the server need not close the connection.
        let mut got = Vec::new();
        let answer = loop {
            let mut buf = [0u8; 4096];
            let n = tokio::time::timeout(std::time::Duration::from_secs(10), conn.read(&mut buf))
                .await
                .expect("an answer within 10 s")
                .unwrap();
            got.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&got).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap()));
                if n == 0 || length.is_some_and(|len| body.len() >= len) {
                    break text;
                }
            }
            assert!(n > 0, "{path}: the connection closed before an answer: {text}");
        };
        assert!(answer.starts_with("HTTP/1.1 413"), "{path}: {answer}");
        let body: serde_json::Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or("")).unwrap_or_default();
        assert_eq!(body["error"].as_str(), Some("too_large"), "{path}: {answer}");
        assert!(body["message"].as_str().unwrap_or("").contains("2 MiB"), "{path}: {answer}");
    }
    // Documented as such.
    let doc: serde_json::Value = w.http.get(w.server.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["paths"]["/api/v1/usage"]["post"]["responses"]["413"].is_object(), "413 documented for POST /api/v1/usage");
    assert!(doc["paths"]["/api/v1/invoices"]["get"]["responses"]["413"].is_null(), "no 413 where no body is read");
    assert_eq!(w.get(&format!("/api/v1/customers/{c}")).await["id"], c);
}

#[tokio::test]
async fn a_billing_file_changes_only_what_it_names() {
    let w = World::new("gestione-internet").await;
    let before = w.get("/api/v1/billing-settings").await;
    assert_eq!((before["reactivation_fee"].as_str(), before["invoice_series"].as_str()), (Some("20.00"), Some("FT")));
    let dir = w.env.path().to_path_buf();
    let partial = dir.join("partial.billing.toml");
    std::fs::write(
        &partial,
        "[plans.pec]\nname = \"Casella PEC Plus\"\nproduct = \"pec\"\nterms = \"annuale\"\nprices = { \"year\" = \"30.00\" }\n",
    )
    .unwrap();
    w.env.ok(&["--config", &w.config, "billing", "apply", partial.to_str().unwrap()]);
    assert_eq!(w.get("/api/v1/billing-settings").await, before, "a file without [billing] keeps the settings");
    std::fs::write(&partial, "[billing]\nreminders = [5, 12]\nsuspend_after = \"never\"\n").unwrap();
    w.env.ok(&["--config", &w.config, "billing", "apply", partial.to_str().unwrap()]);
    let after = w.get("/api/v1/billing-settings").await;
    assert_eq!(after["reminders"], json!([5, 12]));
    assert!(after.get("suspend_after").is_none_or(|v| v.is_null()), "{after}");
    assert_eq!(
        (after["reactivation_fee"].as_str(), after["invoice_series"].as_str(), after["terminate_after"].as_i64()),
        (Some("20.00"), Some("FT"), Some(90))
    );
    // A typo is named, and nothing is applied.
    std::fs::write(&partial, "[billing]\nreminder = [5]\n").unwrap();
    let out = w.env.run(&["--config", &w.config, "billing", "apply", partial.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("billing.reminder"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn bad_records_skip_one_customer_and_the_run_bills_everyone_else() {
    let w = World::new("ecm2").await;
    let good = w.customer(nl_business("Goede Klant")).await;
    let bad_start = w.customer(nl_business("Kapotte Datum")).await;
    let bad_credit = w.customer(nl_business("Te Veel Tegoed")).await;
    let also_good = w.customer(nl_business("Nog Een Klant")).await;
    for c in [good, bad_start, bad_credit, also_good] {
        w.subscribe(c, "hosting-basis", "site.nl", "2027-01-01").await;
    }
    // Written around the API, as a faulty import or a hand edit would.
    let store = w.env.store().await;
    sqlx::query("UPDATE subscriptions SET start_date = 'not a date' WHERE customer_id = $1")
        .bind(bad_start)
        .execute(store.pool())
        .await
        .unwrap();
    for amount in [i64::MAX - 10, 100] {
        sqlx::query("INSERT INTO credit_ledger (customer_id, amount, currency, reason, created_at) VALUES ($1, $2, 'EUR', 'import', 0)")
            .bind(bad_credit)
            .bind(amount)
            .execute(store.pool())
            .await
            .unwrap();
    }
    let out = w.env.run(&["--config", &w.config, "billing", "run", "--date", "2027-01-01", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["invoices"], 2, "{report}");
    assert_eq!(report["skipped_customers"], 2, "{report}");
    assert_eq!(report["problems"].as_array().unwrap().len(), 2, "{report}");
    let customers: Vec<i64> =
        w.get("/api/v1/invoices").await.as_array().unwrap().iter().map(|d| d["customer_id"].as_i64().unwrap()).collect();
    assert!(customers.contains(&good) && customers.contains(&also_good), "{customers:?}");
    // Repaired, the skipped customer is billed by the next run.
    sqlx::query("UPDATE subscriptions SET start_date = '2027-01-01' WHERE customer_id = $1")
        .bind(bad_start)
        .execute(store.pool())
        .await
        .unwrap();
    w.run("2027-01-02", "2027-01-02");
    assert_eq!(w.documents().await.len(), 3);
}

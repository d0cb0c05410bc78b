//! The authorisation matrix: every page and API route, for every kind of visitor, answers
//! exactly what it should. 303 is the way to the sign-in page, 404 is "not yours" (indistinct
//! from "does not exist").

use crate::support;

use support::{Client, TestEnv};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";

/// Visitors in the order of the expectation columns below.
const VISITORS: [(&str, Option<&str>, &str); 9] = [
    ("anonymous", None, ""),
    ("contact person", Some("medewerker@bakkerijdevries.test"), PW),
    ("billing contact", Some("boekhouding@bakkerijdevries.test"), PW),
    ("owner", Some("eigenaar@bakkerijdevries.test"), PW),
    ("another customer's owner", Some("jan@jansen.test"), PW),
    ("staff admin", Some("admin@demo.loket.test"), STAFF_PW),
    ("staff billing", Some("billing@demo.loket.test"), STAFF_PW),
    ("staff support", Some("support@demo.loket.test"), STAFF_PW),
    ("staff sales", Some("sales@demo.loket.test"), STAFF_PW),
];

#[rustfmt::skip]
const PAGES: [(&str, [u16; 9]); 63] = [
    //                      anon contact billing owner other admin billing support sales
    ("/",                    [200, 200, 200, 200, 200, 303, 303, 303, 303]),
    ("/staff",               [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/customers/new", [303, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("/customers/1/invoices", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/quotes",  [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/notifications", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/order",   [303, 403, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/services/1", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/staff/customers/1/invoices", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/customers/1/quotes", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/account",             [303, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("/account/2fa",         [303, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("/customers/1",         [303, 200, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/edit",    [303, 403, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/users",   [303, 403, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/billing", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/2",         [303, 404, 404, 404, 200, 404, 404, 404, 404]),
    ("/staff/customers",     [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/customers/1",   [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/changes",       [303, 403, 403, 403, 403, 200, 200, 403, 403]),
    ("/staff/customers/1/billing", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/lost-access",         [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("/staff/domains",       [303, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("/staff/access",        [303, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("/staff/catalog",       [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/audit",         [303, 403, 403, 403, 403, 200, 200, 403, 403]),
    ("/customers/1/services/2", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/2/invoices/{inv}/file/pdf", [303, 404, 404, 404, 200, 404, 404, 404, 404]),
    ("/customers/1/invoices/{inv}/file/pdf", [303, 403, 404, 404, 404, 404, 404, 404, 404]),
    ("/staff/customers/2/invoices/{inv}/file/pdf", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/customers/1/quotes/1/pdf", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/staff/customers/1/quotes/1/pdf", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/exports",       [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/bank",          [303, 403, 403, 403, 403, 200, 200, 403, 403]),
    ("/staff/direct-debits", [303, 403, 403, 403, 403, 200, 200, 403, 403]),
    ("/staff/customers/1/direct-debit", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/customers/1/direct-debit", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/2/direct-debit", [303, 404, 404, 404, 200, 404, 404, 404, 404]),
    ("/staff/exports/journal.csv", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("/staff/exports/journal.xlsx?from=2026-01-01&to=2026-01-01", [303, 403, 403, 403, 403, 200, 200, 200, 200]),
    // The helpdesk: ticket 1 is the bakery's (card 1), ticket 3 Jan Jansen's (card 2), project 1 Rossi Web's (card 3).
    ("/customers/1/tickets",  [303, 200, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/tickets/new", [303, 200, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/tickets/1", [303, 200, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/tickets/3", [303, 404, 403, 404, 404, 404, 404, 404, 404]),
    ("/customers/2/tickets/3", [303, 404, 404, 404, 200, 404, 404, 404, 404]),
    ("/customers/2/tickets/1", [303, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("/customers/3/projects/1", [303, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("/staff/tickets",        [303, 403, 403, 403, 403, 200, 403, 200, 403]),
    ("/staff/tickets/new",    [303, 403, 403, 403, 403, 200, 403, 200, 403]),
    ("/staff/tickets/1",      [303, 403, 403, 403, 403, 200, 403, 200, 403]),
    ("/staff/standby",        [303, 403, 403, 403, 403, 200, 403, 200, 403]),
    // The demo's standby weekend is the bakery's (card 1): its confirmation for its helpdesk users.
    ("/staff/standby/1/confirmation.pdf", [303, 403, 403, 403, 403, 200, 403, 200, 403]),
    ("/customers/1/standby/1/confirmation.pdf", [303, 200, 403, 200, 404, 404, 404, 404, 404]),
    ("/customers/2/standby/1/confirmation.pdf", [303, 404, 404, 404, 404, 404, 404, 404, 404]),
    ("/customers/1/tickets/1/attachments/999", [303, 404, 403, 404, 404, 404, 404, 404, 404]),
    ("/staff/tickets/1/attachments/999", [303, 403, 403, 403, 403, 404, 403, 404, 403]),
    // Monitoring: the public status page; a card's monitoring for those who see its services.
    ("/status",               [200, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("/customers/1/monitoring", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/1/monitoring/report.pdf", [303, 403, 200, 200, 404, 404, 404, 404, 404]),
    ("/customers/2/monitoring", [303, 404, 404, 404, 200, 404, 404, 404, 404]),
    ("/staff/monitors",       [303, 403, 403, 403, 403, 200, 200, 200, 403]),
    ("/staff/monitors/new",   [303, 403, 403, 403, 403, 200, 403, 200, 403]),
    ("/staff/incidents",      [303, 403, 403, 403, 403, 200, 200, 200, 403]),
];

#[rustfmt::skip]
const API: [(&str, &str, [u16; 9]); 23] = [
    ("GET",   "/api/v1/me",                 [401, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("GET",   "/api/v1/customers",          [401, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("GET",   "/api/v1/customers/1",        [401, 200, 200, 200, 404, 200, 200, 200, 200]),
    ("GET",   "/api/v1/customers/2",        [401, 404, 404, 404, 200, 200, 200, 200, 200]),
    ("GET",   "/api/v1/customers/1/members",[401, 403, 403, 200, 404, 200, 200, 200, 200]),
    ("GET",   "/api/v1/change-requests",    [401, 403, 403, 403, 403, 200, 200, 403, 403]),
    ("PATCH", "/api/v1/customers/1",        [401, 403, 403, 403, 403, 200, 200, 403, 200]),
    ("POST",  "/api/v1/customers",          [401, 403, 403, 403, 403, 201, 201, 403, 201]),
    ("GET",   "/api/v1/invoices/{inv}/pdf",    [401, 404, 404, 404, 200, 200, 200, 200, 200]),
    ("GET",   "/api/v1/invoices/{inv}/ubl",    [401, 404, 404, 404, 409, 409, 409, 409, 409]),
    ("GET",   "/api/v1/exports/journal.csv",   [401, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("GET",   "/api/v1/exports/journal.xlsx",  [401, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("GET",   "/api/v1/exports/documents.zip?from=2026-11-01&to=2026-11-30", [401, 403, 403, 403, 403, 200, 200, 200, 200]),
    ("GET",   "/api/v1/tickets",               [401, 400, 400, 400, 400, 200, 403, 200, 403]),
    ("GET",   "/api/v1/tickets?customer_id=1", [401, 200, 404, 200, 404, 200, 403, 200, 403]),
    ("GET",   "/api/v1/tickets/1",             [401, 200, 404, 200, 404, 200, 403, 200, 403]),
    ("GET",   "/api/v1/tickets/3",             [401, 404, 404, 404, 200, 200, 403, 200, 403]),
    ("POST",  "/api/v1/standby/preview",       [401, 403, 403, 403, 403, 200, 403, 200, 403]),
    ("GET",   "/api/v1/monitors",              [401, 404, 404, 404, 404, 200, 200, 200, 403]),
    ("GET",   "/api/v1/monitors?customer_id=1", [401, 404, 200, 200, 404, 200, 200, 200, 403]),
    ("GET",   "/api/v1/incidents?open=true",   [401, 404, 404, 404, 404, 200, 200, 200, 403]),
    ("GET",   "/api/v1/customers/1/availability", [401, 404, 200, 200, 404, 200, 200, 200, 403]),
    // Every token here has monitoring:read only: nobody may change a monitor with it.
    ("PUT",   "/api/v1/monitors/matrix-1",     [401, 403, 403, 403, 403, 403, 403, 403, 403]),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_route_for_every_visitor() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    // Every signed-in visitor also holds a token with every scope: the role decides.
    let mut tokens = Vec::new();
    for (_, email, _) in VISITORS {
        tokens.push(email.map(|e| {
            let out = env.ok(&[
                "token",
                "create",
                "--email",
                e,
                "--scope",
                "customers:read,customers:write,account:read,changes:review,billing:read,helpdesk:read,monitoring:read",
            ]);
            out.lines().find(|l| l.starts_with("lkt_")).unwrap().to_string()
        }));
    }
    let server = env.serve(&[], &[]);
    let http = reqwest::Client::new();
    // `{inv}` in a path is an invoice of the second card (Jansen's).
    let list: serde_json::Value = http
        .get(server.url("/api/v1/invoices?customer_id=2&kind=invoice&limit=1"))
        .bearer_auth(tokens[5].as_ref().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let inv = list[0]["id"].as_i64().expect("an invoice of card 2").to_string();
    let mut failures = Vec::new();
    for (i, (who, email, password)) in VISITORS.iter().enumerate() {
        let mut c = Client::new(&server);
        if let Some(email) = email {
            assert_eq!(c.sign_in(email, password).await.status, 303, "{who} signs in");
        }
        for (path, expected) in PAGES {
            let path = &path.replace("{inv}", &inv);
            let got = c.get(path).await.status;
            if got != expected[i] {
                failures.push(format!("{who}: GET {path} = {got}, expected {}", expected[i]));
            }
        }
        for (n, (method, path, expected)) in API.iter().enumerate() {
            let path = &path.replace("{inv}", &inv);
            let mut req = http.request(method.parse().unwrap(), server.url(path));
            if let Some(t) = &tokens[i] {
                req = req.bearer_auth(t);
            }
            req = match *method {
                "PATCH" => req.json(&serde_json::json!({ "phone": format!("+31 30 {i}{n}") })),
                "POST" if path.contains("/standby/") => {
                    req.json(&serde_json::json!({ "starts": "2026-12-04T18:00", "ends": "2026-12-07T08:30" }))
                }
                "PUT" => req.json(&serde_json::json!({ "kind": "tcp", "target": "matrix.test:22" })),
                "POST" => req.json(&serde_json::json!({
                    "kind": "consumer", "legal_name": format!("Matrix {i}"), "street": "Straat 1", "postal_code": "1234 AB",
                    "city": "Ede", "country": "NL", "email": format!("m{i}@example.test")
                })),
                _ => req,
            };
            let got = req.send().await.unwrap().status().as_u16();
            if got != expected[i] {
                failures.push(format!("{who}: {method} {path} = {got}, expected {}", expected[i]));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

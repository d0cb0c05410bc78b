//! `/api/v1` with personal API tokens: customers, the caller's account, bad input, scopes and
//! roles, and that one customer can never read another's card by changing an id.

use crate::support;

use serde_json::{Value, json};
use support::TestEnv;

fn token(env: &TestEnv, email: &str, scope: Option<&str>) -> String {
    let mut args = vec!["token", "create", "--email", email];
    if let Some(s) = scope {
        args.extend(["--scope", s]);
    }
    let out = env.ok(&args);
    out.lines().find(|l| l.starts_with("lkt_")).expect("a token").to_string()
}

async fn call(method: reqwest::Method, url: String, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(method, url);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn new_card() -> Value {
    json!({
        "kind": "business", "legal_name": "Hosting Klant B.V.", "street": "Markt 1", "postal_code": "5611 AA",
        "city": "Eindhoven", "country": "NL", "email": "info@hostingklant.test", "vat_number": "NL123456789B13",
        "coc_number": "17123456", "payment_method": "direct_debit", "iban": "NL91ABNA0417164300", "tier": "gold"
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_create_and_read_customers_with_a_token() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let admin = token(&env, "admin@demo.loket.test", Some("customers:read,customers:write,account:read"));
    let server = env.serve(&[], &[]);
    let (status, created) = call(reqwest::Method::POST, server.url("/api/v1/customers"), Some(&admin), Some(new_card())).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["number"], "C000004");
    assert_eq!(created["invoice_email"], "info@hostingklant.test");
    assert_eq!(created["address"]["country"], "NL");
    assert_eq!(created["payment_method"], "direct_debit");
    let id = created["id"].as_i64().unwrap();
    let (status, fetched) = call(reqwest::Method::GET, server.url(&format!("/api/v1/customers/{id}")), Some(&admin), None).await;
    assert_eq!((status, &fetched), (200, &created));
    let (_, list) = call(reqwest::Method::GET, server.url("/api/v1/customers?q=hostingklant"), Some(&admin), None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let audit = env.ok(&["audit", "list", "--entity", "customer", "--id", &id.to_string()]);
    assert!(audit.contains("customer.create") && audit.contains("staff:"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_italian_card_carries_its_e_invoice_address() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let admin = token(&env, "admin@demo.loket.test", Some("customers:read,customers:write"));
    let server = env.serve(&[], &[]);
    let url = server.url("/api/v1/customers");
    let italian = json!({
        "kind": "business", "legal_name": "Bianchi Hosting S.r.l.", "street": "Via Roma 10", "postal_code": "20121",
        "city": "Milano", "country": "IT", "email": "info@bianchihosting.test", "vat_number": "IT01234567897",
        "sdi_code": " kr78b mg ", "pec": "bianchihosting@pec.test", "language": "it"
    });
    let (status, created) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(italian.clone())).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!((created["sdi_code"].as_str(), created["pec"].as_str()), (Some("KR78BMG"), Some("bianchihosting@pec.test")));
    let id = created["id"].as_i64().unwrap();
    let (status, fetched) = call(reqwest::Method::GET, server.url(&format!("/api/v1/customers/{id}")), Some(&admin), None).await;
    assert_eq!((status, &fetched), (200, &created));
    // A public administration office has a 6-character code; both fields are optional.
    let mut office = italian.clone();
    office["legal_name"] = json!("Comune di Esempio");
    office["sdi_code"] = json!("UFY9MH");
    office.as_object_mut().unwrap().remove("pec");
    let (status, created) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(office)).await;
    assert_eq!((status, created["sdi_code"].as_str(), &created["pec"]), (201, Some("UFY9MH"), &Value::Null), "{created}");
    let (_, dutch) = call(reqwest::Method::GET, server.url("/api/v1/customers/1"), Some(&admin), None).await;
    assert_eq!((&dutch["sdi_code"], &dutch["pec"]), (&Value::Null, &Value::Null));

    // Outside Italy there is no SDI code; a wrong code or PEC is named.
    let mut card = new_card();
    card["sdi_code"] = json!("M5UXCR1");
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(card)).await;
    assert_eq!(status, 400, "{body}");
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["sdi_code"], "{body}");
    assert!(body["message"].as_str().unwrap().contains("only for a customer in Italy"), "{body}");
    let mut bad = italian.clone();
    bad["sdi_code"] = json!("KR78BMG1");
    bad["pec"] = json!("not a pec");
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(bad)).await;
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!((status, fields), (400, vec!["sdi_code", "pec"]), "{body}");

    // Staff edit them on an existing card: the demo's Italian card, not the Dutch one.
    let rossi = server.url("/api/v1/customers/3");
    let (_, demo) = call(reqwest::Method::GET, rossi.clone(), Some(&admin), None).await;
    assert_eq!(demo["sdi_code"], "M5UXCR1", "the demo's Italian customer has one");
    let (status, card) =
        call(reqwest::Method::PATCH, rossi.clone(), Some(&admin), Some(json!({ "sdi_code": "w7yvjk9", "pec": "rossiweb@pec.test" }))).await;
    assert_eq!(status, 200, "{card}");
    assert_eq!((card["sdi_code"].as_str(), card["pec"].as_str()), (Some("W7YVJK9"), Some("rossiweb@pec.test")));
    let (status, card) = call(reqwest::Method::PATCH, rossi, Some(&admin), Some(json!({ "pec": "" }))).await;
    assert_eq!((status, &card["pec"], card["sdi_code"].as_str()), (200, &Value::Null, Some("W7YVJK9")), "a PEC is cleared");
    let (status, body) =
        call(reqwest::Method::PATCH, server.url("/api/v1/customers/1"), Some(&admin), Some(json!({ "sdi_code": "M5UXCR1" }))).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (400, Some("sdi_code")), "{body}");
    let (_, doc) = call(reqwest::Method::GET, server.url("/api/openapi.json"), None, None).await;
    for schema in ["NewCustomer", "CustomerView"] {
        for field in ["sdi_code", "pec"] {
            assert!(doc["components"]["schemas"][schema]["properties"][field].is_object(), "{schema}.{field}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_names_every_field_and_stores_nothing() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let admin = token(&env, "admin@demo.loket.test", Some("customers:read,customers:write"));
    let server = env.serve(&[], &[]);
    let url = server.url("/api/v1/customers");
    let bad = json!({
        "kind": "business", "legal_name": "x".repeat(201), "street": "Markt 1", "postal_code": "5611 AA", "city": "Eindhoven",
        "country": "Narnia", "email": "not an address", "vat_number": "NL123456789B01", "iban": "NL91ABNA0417164301"
    });
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(bad)).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid");
    let fields: Vec<&str> = body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["legal_name", "country", "email", "vat_number", "iban"], "{body}");
    assert!(body["message"].as_str().unwrap().contains("unknown country `Narnia`"));
    // Malformed JSON, wrong types and unknown fields are named too.
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(json!({ "kind": 7 }))).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("kind"), "{body}");
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&admin), Some(json!({ "nif": "x" }))).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("unknown field `nif`"), "{body}");
    let res = reqwest::Client::new()
        .post(&url)
        .header("authorization", format!("Bearer {admin}"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // Nothing was stored: only the three demo cards exist.
    let (_, list) = call(reqwest::Method::GET, url, Some(&admin), None).await;
    assert_eq!(list.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_scopes_and_roles_decide() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let read_only = token(&env, "admin@demo.loket.test", Some("customers:read"));
    let support = token(&env, "support@demo.loket.test", Some("customers:read,customers:write"));
    let server = env.serve(&[], &[]);
    let url = server.url("/api/v1/customers");
    assert_eq!(call(reqwest::Method::GET, url.clone(), None, None).await.0, 401);
    assert_eq!(call(reqwest::Method::GET, url.clone(), Some(&format!("lkt_{}", "0".repeat(64))), None).await.0, 401);
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&read_only), Some(new_card())).await;
    assert_eq!(status, 403);
    assert_eq!(body["message"], "this token lacks the scope customers:write");
    let (status, body) = call(reqwest::Method::POST, url.clone(), Some(&support), Some(new_card())).await;
    assert_eq!(status, 403, "support may not edit customers");
    assert!(body["message"].as_str().unwrap().contains("support"));
    assert_eq!(call(reqwest::Method::GET, url.clone(), Some(&support), None).await.0, 200, "but may read them");
    // A revoked token stops working at once.
    let listed = env.ok(&["token", "list", "--email", "admin@demo.loket.test"]);
    let id = listed.split_whitespace().next().unwrap().to_string();
    env.ok(&["token", "revoke", &id]);
    assert_eq!(call(reqwest::Method::GET, url, Some(&read_only), None).await.0, 401);
    assert!(env.ok(&["token", "list", "--email", "admin@demo.loket.test"]).contains("revoked"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_reads_only_its_own_cards() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let owner = token(&env, "eigenaar@bakkerijdevries.test", None);
    let agency = token(&env, "bureau@webbureau.test", None);
    let server = env.serve(&[], &[]);
    let (status, me) = call(reqwest::Method::GET, server.url("/api/v1/me"), Some(&owner), None).await;
    assert_eq!(status, 200);
    assert_eq!(me["memberships"].as_array().unwrap().len(), 1);
    assert_eq!(me["memberships"][0]["role"], "owner");
    assert_eq!(me["memberships"][0]["permissions"].as_array().unwrap().len(), 6);
    let own = me["memberships"][0]["customer_id"].as_i64().unwrap();
    assert_eq!(call(reqwest::Method::GET, server.url(&format!("/api/v1/customers/{own}")), Some(&owner), None).await.0, 200);
    // Changing the id in the URL reveals nothing: another's card and a missing one look the same.
    for other in [2, 3, 999, -1] {
        let (status, body) = call(reqwest::Method::GET, server.url(&format!("/api/v1/customers/{other}")), Some(&owner), None).await;
        assert_eq!(status, 404, "card {other}: {body}");
    }
    assert_eq!(call(reqwest::Method::GET, server.url("/api/v1/customers"), Some(&owner), None).await.0, 403, "the list is for staff");
    let (_, me) = call(reqwest::Method::GET, server.url("/api/v1/me"), Some(&agency), None).await;
    let ids: Vec<i64> = me["memberships"].as_array().unwrap().iter().map(|m| m["customer_id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [1, 3]);
    assert_eq!(call(reqwest::Method::GET, server.url("/api/v1/customers/3"), Some(&agency), None).await.0, 200);
    assert_eq!(call(reqwest::Method::GET, server.url("/api/v1/customers/2"), Some(&agency), None).await.0, 404);
    let bad_scope = env.run(&["token", "create", "--email", "jan@jansen.test", "--scope", "everything"]);
    assert!(String::from_utf8_lossy(&bad_scope.stderr).contains("--scope: unknown scope `everything`"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapi_document_describes_the_customer_routes() {
    let env = TestEnv::new().await;
    let server = env.serve(&[], &[]);
    let (_, doc) = call(reqwest::Method::GET, server.url("/api/openapi.json"), None, None).await;
    assert!(doc["paths"]["/api/v1/customers"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/customers"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/customers/{id}"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/me"]["get"].is_object());
    assert_eq!(doc["components"]["securitySchemes"]["token"]["scheme"], "bearer");
    assert!(doc["components"]["schemas"]["NewCustomer"]["properties"]["vat_number"].is_object());
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_edit_cards_but_never_their_tax_identity() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let admin = token(&env, "admin@demo.loket.test", Some("customers:read,customers:write"));
    let sales_read = token(&env, "sales@demo.loket.test", Some("customers:read"));
    let server = env.serve(&[], &[]);
    let url = server.url("/api/v1/customers/1");
    let (status, card) =
        call(reqwest::Method::PATCH, url.clone(), Some(&admin), Some(json!({ "phone": "+31 318 111111", "tier": "gold" }))).await;
    assert_eq!(status, 200, "{card}");
    assert_eq!((card["phone"].as_str(), card["tier"].as_str()), (Some("+31 318 111111"), Some("gold")));
    for (field, value) in [("vat_number", "NL123456789B13"), ("kind", "consumer"), ("coc_number", "99999999"), ("tax_code", "X")] {
        let (status, body) = call(reqwest::Method::PATCH, url.clone(), Some(&admin), Some(json!({ field: value }))).await;
        assert_eq!(status, 400, "{field}");
        assert_eq!(body["errors"][0]["field"], field, "{body}");
        assert!(body["message"].as_str().unwrap().contains("new card"), "{body}");
    }
    let (status, body) = call(reqwest::Method::PATCH, url.clone(), Some(&admin), Some(json!({ "tier": "GOLD!" }))).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (400, Some("tier")));
    assert_eq!(call(reqwest::Method::PATCH, url.clone(), Some(&sales_read), Some(json!({ "phone": "1" }))).await.0, 403);
    let (_, after) = call(reqwest::Method::GET, url, Some(&admin), None).await;
    assert_eq!(after["vat_number"], "NL987654321B94");
    assert_eq!(after["tier"], "gold");
}

#[tokio::test(flavor = "multi_thread")]
async fn change_requests_and_members_through_the_api() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let reviewer = token(&env, "billing@demo.loket.test", Some("changes:review,customers:read"));
    let support = token(&env, "support@demo.loket.test", Some("changes:review,customers:read"));
    let owner = token(&env, "eigenaar@bakkerijdevries.test", None);
    let contact = token(&env, "medewerker@bakkerijdevries.test", None);
    // A pending request, made through the panel's storage as a user would.
    let store = env.store().await;
    let user = store.user_by_email("eigenaar@bakkerijdevries.test").await.unwrap().unwrap();
    let mut tx = store.begin().await.unwrap();
    let proposed = [("city".to_string(), Some("Wageningen".to_string()))].into_iter().collect();
    let current = [("city".to_string(), Some("Ede".to_string()))].into_iter().collect();
    let id = loket_store::change_requests::create_change_request(&mut tx, 1, user.id, &proposed, &current).await.unwrap();
    tx.commit().await.unwrap();
    let server = env.serve(&[], &[]);

    let (status, list) = call(reqwest::Method::GET, server.url("/api/v1/change-requests?state=pending"), Some(&reviewer), None).await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["proposed"]["city"], "Wageningen");
    assert_eq!(call(reqwest::Method::GET, server.url("/api/v1/change-requests?state=open"), Some(&reviewer), None).await.0, 400);
    assert_eq!(call(reqwest::Method::GET, server.url("/api/v1/change-requests"), Some(&support), None).await.0, 403);
    let decision = server.url(&format!("/api/v1/change-requests/{id}/decision"));
    let (status, body) = call(reqwest::Method::POST, decision.clone(), Some(&reviewer), Some(json!({ "decision": "reject" }))).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("reason")));
    assert_eq!(call(reqwest::Method::POST, decision.clone(), Some(&reviewer), Some(json!({ "decision": "approve" }))).await.0, 204);
    assert_eq!(call(reqwest::Method::POST, decision, Some(&reviewer), Some(json!({ "decision": "approve" }))).await.0, 400, "once");
    assert_eq!(store.customer(1).await.unwrap().unwrap().card.address.city, "Wageningen");

    let members = server.url("/api/v1/customers/1/members");
    let (status, list) = call(reqwest::Method::GET, members.clone(), Some(&owner), None).await;
    assert_eq!(status, 200);
    assert_eq!(list.as_array().unwrap().len(), 4);
    assert_eq!(call(reqwest::Method::GET, members.clone(), Some(&contact), None).await.0, 403);
    assert_eq!(call(reqwest::Method::GET, server.url("/api/v1/customers/3/members"), Some(&owner), None).await.0, 404);
    assert_eq!(call(reqwest::Method::GET, members, Some(&reviewer), None).await.0, 200);
}

#[tokio::test(flavor = "multi_thread")]
async fn members_are_managed_through_the_api() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let owner = token(&env, "eigenaar@bakkerijdevries.test", Some("account:read,members:write"));
    let owner_read_only = token(&env, "eigenaar@bakkerijdevries.test", Some("account:read"));
    let contact = token(&env, "medewerker@bakkerijdevries.test", Some("account:read,members:write"));
    let stranger = token(&env, "jan@jansen.test", Some("account:read,members:write"));
    let store = env.store().await;
    let members = store.members(1).await.unwrap();
    let contact_id = members.iter().find(|m| m.email == "medewerker@bakkerijdevries.test").unwrap().user_id;
    let owner_id = members.iter().find(|m| m.email == "eigenaar@bakkerijdevries.test").unwrap().user_id;
    let server = env.serve(&[], &[]);
    let invite = server.url("/api/v1/customers/1/invitations");
    let body = json!({ "email": "nieuw@bakkerijdevries.test", "role": "technical" });
    assert_eq!(call(reqwest::Method::POST, invite.clone(), Some(&owner_read_only), Some(body.clone())).await.0, 403, "needs members:write");
    assert_eq!(call(reqwest::Method::POST, invite.clone(), Some(&contact), Some(body.clone())).await.0, 403, "needs the permission");
    assert_eq!(call(reqwest::Method::POST, invite.clone(), Some(&stranger), Some(body.clone())).await.0, 404);
    assert_eq!(call(reqwest::Method::POST, invite.clone(), Some(&owner), Some(body)).await.0, 202);
    let (status, err) = call(reqwest::Method::POST, invite, Some(&owner), Some(json!({ "email": "x", "role": "boss" }))).await;
    assert_eq!((status, err["field"].as_str()), (400, Some("email")));
    assert!(store.mails(10_000).await.unwrap().iter().any(|m| m.template == "invitation" && m.rcpt_to == ["nieuw@bakkerijdevries.test"]));

    let member = server.url(&format!("/api/v1/customers/1/members/{contact_id}"));
    let put = json!({ "role": "contact", "permissions": ["invoices.view", "company.edit"] });
    assert_eq!(call(reqwest::Method::PUT, member.clone(), Some(&owner), Some(put)).await.0, 204);
    let m = store.members(1).await.unwrap().into_iter().find(|m| m.user_id == contact_id).unwrap();
    assert_eq!(m.permissions, "invoices.view", "the contact person's ceiling holds");
    let own = server.url(&format!("/api/v1/customers/1/members/{owner_id}"));
    assert_eq!(call(reqwest::Method::PUT, own.clone(), Some(&owner), Some(json!({ "role": "contact" }))).await.0, 400);
    assert_eq!(call(reqwest::Method::DELETE, own, Some(&owner), None).await.0, 400, "the last owner stays");
    assert_eq!(call(reqwest::Method::DELETE, member, Some(&owner), None).await.0, 204);
    assert!(store.members(1).await.unwrap().iter().all(|m| m.user_id != contact_id));
}

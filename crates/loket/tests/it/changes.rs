//! Editing a customer card in the panel: immediate and reviewed fields, password confirmation,
//! who may edit, the immutable tax identity, and staff approving or rejecting.

use crate::support;

use support::{Client, TestEnv};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";

/// The edit form's fields as a browser would send them, with some changed.
async fn submit(c: &mut Client, card: i64, changes: &[(&str, &str)], password: &str) -> support::Page {
    let form = c.get(&format!("/customers/{card}/edit")).await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = form.csrf();
    let mut fields: Vec<(String, String)> = Vec::new();
    for name in
        ["legal_name", "street", "postal_code", "city", "country", "email", "invoice_email", "phone", "language", "payment_method", "iban"]
    {
        let marker = format!("name=\"{name}\" value=\"");
        let value = form.body.find(&marker).map(|at| {
            let rest = &form.body[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        });
        // A choice: the selected option of the <select>.
        let value = value.or_else(|| {
            let at = form.body.find(&format!("<select id=\"f-{name}\" name=\"{name}\""))?;
            let select = &form.body[at..at + form.body[at..].find("</select>")?];
            let selected = select.find("\" selected>")?;
            let start = select[..selected].rfind("value=\"")? + 7;
            Some(select[start..selected].to_string())
        });
        fields.push((name.into(), value.unwrap_or_default()));
    }
    for (k, v) in changes {
        match fields.iter_mut().find(|(n, _)| n == k) {
            Some(f) => f.1 = v.to_string(),
            None => fields.push((k.to_string(), v.to_string())),
        }
    }
    fields.push(("csrf".into(), csrf));
    fields.push(("password".into(), password.into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post(&format!("/customers/{card}/edit"), &pairs).await
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_changes_some_fields_at_once_and_requests_the_others() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;

    // A wrong password changes nothing.
    let wrong = submit(&mut owner, 1, &[("phone", "+31 318 000000"), ("street", "Molenweg 9")], "not my password").await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("The password is not correct."));
    assert_eq!(store.customer(1).await.unwrap().unwrap().card.phone, None);
    assert!(store.change_requests(None, Some(1), 10).await.unwrap().is_empty());

    let res = submit(&mut owner, 1, &[("phone", "+31 318 000000"), ("street", "Molenweg 9")], PW).await;
    assert_eq!((res.status, res.location.as_deref()), (303, Some("/customers/1")), "{}", res.body);
    let card = store.customer(1).await.unwrap().unwrap().card;
    assert_eq!(card.phone.as_deref(), Some("+31 318 000000"), "phone applies at once");
    assert_eq!(card.address.street, "Dorpsstraat 1", "the street waits for review");
    let requests = store.change_requests(Some("pending"), Some(1), 10).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].proposed["street"].as_deref(), Some("Molenweg 9"));
    assert_eq!(requests[0].current["street"].as_deref(), Some("Dorpsstraat 1"));
    let page = owner.get("/customers/1").await;
    assert!(page.body.contains("Waiting for review") && page.body.contains("Molenweg 9"), "{}", page.body);
    let mails = store.mails(10_000).await.unwrap();
    let templates: Vec<&str> = mails.iter().map(|m| m.template.as_str()).collect();
    assert!(templates.contains(&"change-request-received") && templates.contains(&"change-request-staff"), "{templates:?}");
    let staff_mail = mails.iter().find(|m| m.template == "change-request-staff").unwrap();
    assert_eq!(staff_mail.rcpt_to, ["administratie@demo.loket.test"]);

    // Billing staff approve; the card changes and the requester hears of it.
    let mut billing = Client::new(&server);
    billing.sign_in("billing@demo.loket.test", STAFF_PW).await;
    let queue = billing.get("/staff/changes").await;
    assert!(queue.body.contains("Molenweg 9") && queue.body.contains("Dorpsstraat 1"));
    let id = requests[0].id.to_string();
    let res = billing.post(&format!("/staff/changes/{id}"), &[("csrf", &queue.csrf()), ("decision", "approve")]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(store.customer(1).await.unwrap().unwrap().card.address.street, "Molenweg 9");
    assert_eq!(store.change_request(requests[0].id).await.unwrap().unwrap().state, "approved");
    let decided = store.mails(10_000).await.unwrap().into_iter().find(|m| m.template == "change-request-decided").expect("decision mail");
    assert_eq!(decided.rcpt_to, ["eigenaar@bakkerijdevries.test"]);
    // Deciding twice is refused.
    let again = billing.post(&format!("/staff/changes/{id}"), &[("csrf", &queue.csrf()), ("decision", "reject"), ("reason", "x")]).await;
    assert_eq!(again.status, 400);
    let audit = env.ok(&["audit", "list", "--entity", "customer", "--id", "1"]);
    for action in ["customer.update", "change_request.create", "change_request.approve"] {
        assert!(audit.contains(action), "{action} missing:\n{audit}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejection_needs_a_reason_and_support_cannot_review() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let mut owner = Client::new(&server);
    owner.sign_in("mario@rossiweb.test", PW).await;
    assert_eq!(submit(&mut owner, 3, &[("invoice_email", "fatture@rossiweb.test")], PW).await.status, 303);
    let id = store.change_requests(Some("pending"), Some(3), 10).await.unwrap()[0].id.to_string();

    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", STAFF_PW).await;
    assert_eq!(support.get("/staff/changes").await.status, 403);
    let mut admin = Client::new(&server);
    admin.sign_in("admin@demo.loket.test", STAFF_PW).await;
    let csrf = admin.get("/staff/changes").await.csrf();
    let no_reason = admin.post(&format!("/staff/changes/{id}"), &[("csrf", &csrf), ("decision", "reject")]).await;
    assert_eq!(no_reason.status, 400);
    let res = admin
        .post(&format!("/staff/changes/{id}"), &[("csrf", &csrf), ("decision", "reject"), ("reason", "Invia la richiesta firmata")])
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(store.customer(3).await.unwrap().unwrap().card.invoice_email, "amministrazione@rossiweb.test");
    let page = owner.get("/customers/3").await;
    assert!(page.body.contains("Rejected: Invia la richiesta firmata"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tax_identity_cannot_be_changed_and_bad_values_are_named() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    for (field, value) in
        [("vat_number", "NL123456789B13"), ("coc_number", "12345678"), ("kind", "consumer"), ("tax_code", "X"), ("tier", "gold")]
    {
        let res = submit(&mut owner, 1, &[(field, value)], PW).await;
        assert_eq!(res.status, 400, "{field}");
        assert!(
            res.body.contains(field) || res.body.contains("new card") || res.body.contains("set by the provider"),
            "{field}: {}",
            res.body
        );
    }
    let res =
        submit(&mut owner, 1, &[("email", "not-an-address"), ("iban", "NL00ABNA0000000000"), ("legal_name", &"x".repeat(201))], PW).await;
    assert_eq!(res.status, 400);
    assert!(
        res.body.contains("This is not an e-mail address.")
            && res.body.contains("This is not a valid IBAN")
            && res.body.contains("Use at most 200 characters."),
        "{}",
        res.body
    );
    let card = store.customer(1).await.unwrap().unwrap();
    assert_eq!(card.card.vat_number.as_deref(), Some("NL987654321B94"));
    assert_eq!(card.card.email, "info@bakkerijdevries.test");
    assert!(store.change_requests(None, None, 10).await.unwrap().is_empty(), "nothing stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_e_invoice_address_is_requested_on_an_italian_card_only() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let mut mario = Client::new(&server);
    mario.sign_in("mario@rossiweb.test", PW).await;
    let form = mario.get("/customers/3/edit").await;
    assert!(form.body.contains("name=\"sdi_code\" value=\"M5UXCR1\"") && form.body.contains("name=\"pec\""), "{}", form.body);
    let res = submit(&mut mario, 3, &[("sdi_code", "w7yv jk9"), ("pec", "rossiweb@pec.test")], PW).await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(store.customer(3).await.unwrap().unwrap().card.sdi_code.as_deref(), Some("M5UXCR1"), "waits for review");
    let requests = store.change_requests(Some("pending"), Some(3), 10).await.unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].proposed["sdi_code"].as_deref(), Some("W7YVJK9"));
    assert_eq!(requests[0].proposed["pec"].as_deref(), Some("rossiweb@pec.test"));
    let mut admin = Client::new(&server);
    admin.sign_in("admin@demo.loket.test", STAFF_PW).await;
    let queue = admin.get("/staff/changes").await;
    let res = admin.post(&format!("/staff/changes/{}", requests[0].id), &[("csrf", &queue.csrf()), ("decision", "approve")]).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let card = store.customer(3).await.unwrap().unwrap().card;
    assert_eq!((card.sdi_code.as_deref(), card.pec.as_deref()), (Some("W7YVJK9"), Some("rossiweb@pec.test")));
    let staff_page = admin.get("/staff/customers/3").await;
    assert!(staff_page.body.contains("W7YVJK9") && staff_page.body.contains("rossiweb@pec.test"), "{}", staff_page.body);

    // A Dutch card does not offer the fields, and refuses an SDI code in the reader's language.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    assert!(!owner.get("/customers/1/edit").await.body.contains("name=\"sdi_code\""));
    let res = submit(&mut owner, 1, &[("sdi_code", "M5UXCR1")], PW).await;
    assert_eq!(res.status, 400);
    assert!(res.body.contains("An SDI recipient code is only for customers in Italy."), "{}", res.body);
    assert_eq!(store.customer(1).await.unwrap().unwrap().card.sdi_code, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn only_members_with_the_permission_may_edit() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", PW).await;
    assert_eq!(contact.get("/customers/1").await.status, 200, "a contact person sees the card");
    assert_eq!(contact.get("/customers/1/edit").await.status, 403, "but may not edit the company's data");
    let csrf = contact.get("/account").await.csrf();
    assert_eq!(contact.post("/customers/1/edit", &[("csrf", &csrf), ("phone", "1"), ("password", PW)]).await.status, 403);
    let mut stranger = Client::new(&server);
    stranger.sign_in("jan@jansen.test", PW).await;
    for path in ["/customers/1", "/customers/1/edit", "/customers/3", "/customers/999", "/customers/abc"] {
        assert_eq!(stranger.get(path).await.status, 404, "{path}");
    }
    let csrf = stranger.get("/account").await.csrf();
    assert_eq!(stranger.post("/customers/1/edit", &[("csrf", &csrf), ("phone", "1"), ("password", PW)]).await.status, 404);
    assert_eq!(stranger.get("/customers/2").await.status, 200, "own card");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_customer_card_moves_the_chosen_users_and_keeps_history() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    // Jan Jansen (a private person) starts a company: a new card with a VAT number.
    let jan_id = store.members(2).await.unwrap()[0].user_id.to_string();
    let mut billing = Client::new(&server);
    billing.sign_in("billing@demo.loket.test", STAFF_PW).await;
    let page = billing.get("/staff/customers/2").await;
    assert!(page.body.contains("New customer card"), "{}", page.body);
    let csrf = page.csrf();
    let same = billing.post("/staff/customers/2/replace", &[("csrf", &csrf), ("kind", "consumer"), ("legal_name", "Jan Jansen")]).await;
    assert_eq!(same.status, 400, "no change of tax identity");
    let res = billing
        .post(
            "/staff/customers/2/replace",
            &[
                ("csrf", &csrf),
                ("kind", "business"),
                ("legal_name", "Jansen Webdesign"),
                ("vat_number", "NL123456789B13"),
                ("move_user", &jan_id),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let new_id: i64 = res.location.unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let old = store.customer(2).await.unwrap().unwrap();
    let new = store.customer(new_id).await.unwrap().unwrap();
    assert_eq!(old.replaced_by, Some(new_id));
    assert_eq!(old.card.vat_number, None, "the old card keeps its identity");
    assert_eq!((new.card.vat_number.as_deref(), new.card.address.street.as_str()), (Some("NL123456789B13"), "Kerkstraat 12"));
    // Jan's access moved to the new card.
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    assert_eq!(jan.get(&format!("/customers/{new_id}")).await.status, 200);
    assert_eq!(jan.get("/customers/2").await.status, 404);
    // A replaced card cannot be replaced again; support staff may not replace.
    let again =
        billing.post("/staff/customers/2/replace", &[("csrf", &csrf), ("vat_number", "NL987654321B94"), ("kind", "business")]).await;
    assert_eq!(again.status, 400);
    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", STAFF_PW).await;
    let csrf = support.get("/staff/customers/1").await.csrf();
    assert_eq!(support.post("/staff/customers/1/replace", &[("csrf", &csrf), ("vat_number", "NL123456789B13")]).await.status, 403);
    let audit = env.ok(&["audit", "list", "--entity", "customer", "--id", "2"]);
    assert!(audit.contains("customer.replace") && audit.contains("users_moved\":1"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_replaces_a_card_too() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let out = env.ok(&["token", "create", "--email", "admin@demo.loket.test", "--scope", "customers:read,customers:write"]);
    let token = out.lines().find(|l| l.starts_with("lkt_")).unwrap().to_string();
    let server = env.serve(&[], &[]);
    let client = reqwest::Client::new();
    let post = |body: serde_json::Value| client.post(server.url("/api/v1/customers/3/replacement")).bearer_auth(&token).json(&body).send();
    let res = post(serde_json::json!({ "changes": { "vat_number": "IT01234567890" } })).await.unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "vat_number");
    let res = post(serde_json::json!({ "changes": { "vat_number": "IT01234567897" }, "move_users": [99] })).await.unwrap();
    assert_eq!(res.status(), 400, "user 99 is not on the card");
    let store = env.store().await;
    let users: Vec<i64> = store.members(3).await.unwrap().iter().map(|m| m.user_id).collect();
    assert_eq!(users.len(), 2);
    let res = post(
        serde_json::json!({ "changes": { "vat_number": "IT01234567897", "legal_name": "Rossi Digitale S.r.l." }, "move_users": users }),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 201);
    let new: serde_json::Value = res.json().await.unwrap();
    assert_eq!(new["vat_number"], "IT01234567897");
    assert_eq!(new["tier"], "gold", "carried over");
    assert_eq!(store.members(new["id"].as_i64().unwrap()).await.unwrap().len(), 2);
    assert!(store.members(3).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn which_fields_are_reviewed_is_the_providers_choice() {
    let env = TestEnv::new().await;
    // A provider that reviews nothing: every edit applies at once.
    let server = env.serve(&["--demo"], &[("LOKET_ACCOUNTS_REVIEWED_FIELDS", String::new())]);
    let store = env.store().await;
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    assert_eq!(submit(&mut owner, 1, &[("street", "Molenweg 9")], PW).await.status, 303);
    assert_eq!(store.customer(1).await.unwrap().unwrap().card.address.street, "Molenweg 9");
    assert!(store.change_requests(None, None, 10).await.unwrap().is_empty());
}

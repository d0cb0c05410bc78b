//! Editing a customer card in the panel: immediate and reviewed fields, password confirmation,
//! who may edit, the immutable tax identity, and staff approving or rejecting.

mod support;

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
    let mails = store.mails(10).await.unwrap();
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
    let decided = store.mails(10).await.unwrap().into_iter().find(|m| m.template == "change-request-decided").expect("decision mail");
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
        res.body.contains("is not an e-mail address") && res.body.contains("not a valid IBAN") && res.body.contains("longer than 200"),
        "{}",
        res.body
    );
    let card = store.customer(1).await.unwrap().unwrap();
    assert_eq!(card.card.vat_number.as_deref(), Some("NL987654321B94"));
    assert_eq!(card.card.email, "info@bakkerijdevries.test");
    assert!(store.change_requests(None, None, 10).await.unwrap().is_empty(), "nothing stored");
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

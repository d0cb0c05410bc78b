//! Domain names' registry contacts (seed 002), through the real server: the card's owner sees
//! the contacts of a domain, asks for a change of one (wrong fields named in the page's
//! language, nothing stored), staff carry it out and record it, and the requester is mailed
//! at each step. A hosting package has no registry contacts; a contact person of the card
//! may not ask; another card's domain is not there.

use crate::support;

use support::{Client, TestEnv};

/// The card's domain service: the one with registry contacts (the demo records them).
async fn domain_of(store: &loket_store::Store, card: i64) -> loket_store::billing::subscriptions::Subscription {
    for s in store.customer_subscriptions(card).await.unwrap() {
        if !store.domain_contacts(s.id).await.unwrap().is_empty() {
            return s;
        }
    }
    panic!("card {card} has no domain");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contact_change_is_requested_carried_out_and_recorded() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    support::drained(&store).await;
    let domain = domain_of(&store, 1).await;
    let hosting = store.customer_subscriptions(1).await.unwrap().into_iter().find(|s| s.id != domain.id).unwrap();
    let page_path = format!("/customers/1/services/{}", domain.id);

    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", "loket-demo-klant").await;
    let page = owner.get(&page_path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Contacts at the registry") && page.body.contains("Hostmaster"), "{}", page.body);
    let csrf = page.csrf();
    let before = store.domain_contacts(domain.id).await.unwrap();
    assert_eq!(before.len(), 3, "the demo records all three contacts");

    // Wrong fields are named beside their input in the page's language; nothing is stored.
    let action = format!("{page_path}/contacts/admin");
    let wrong = owner
        .post(
            &action,
            &[
                ("csrf", &csrf),
                ("name", ""),
                ("email", "anna"),
                ("street", "Laan 1"),
                ("postal_code", "1234 AB"),
                ("city", "Ede"),
                ("country", "XX"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 400);
    for id in ["admin-e-name", "admin-e-email", "admin-e-country"] {
        assert!(wrong.body.contains(&format!("id=\"{id}\"")), "{id} missing:\n{}", wrong.body);
    }
    assert!(wrong.body.contains("This is not an e-mail address."), "{}", wrong.body);
    assert!(store.domain_requests(domain.id, 10).await.unwrap().iter().all(|r| r.role.name() != "admin"));

    let good = [
        ("csrf", csrf.as_str()),
        ("name", "Anna de Vries"),
        ("organisation", "Bakkerij De Vries B.V."),
        ("email", "anna@bakkerijdevries.test"),
        ("phone", "+31 6 1111 2222"),
        ("street", "Dorpsstraat 1"),
        ("postal_code", "6711 AA"),
        ("city", "Ede"),
        ("country", "NL"),
    ];
    let sent = owner.post(&action, &good).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let request = store.domain_requests(domain.id, 10).await.unwrap().into_iter().find(|r| r.role.name() == "admin").unwrap();
    assert_eq!(request.state, "pending");
    assert_eq!(store.domain_contacts(domain.id).await.unwrap(), before, "nothing changes before staff carry it out");
    assert!(owner.get(&format!("{page_path}?sent=1")).await.body.contains("Your request has been sent"));

    // Not on a hosting package, not by a contact person, not on another card's domain.
    let not_domain = owner.post(&format!("/customers/1/services/{}/contacts/admin", hosting.id), &good).await;
    assert!(not_domain.status >= 400 && not_domain.status < 500, "{}", not_domain.status);
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", "loket-demo-klant").await;
    let c_csrf = contact.get("/").await.csrf();
    let mut as_contact = good;
    as_contact[0].1 = &c_csrf;
    assert_eq!(contact.post(&action, &as_contact).await.status, 403);
    let jansen = domain_of(&store, 2).await;
    assert_eq!(owner.post(&format!("/customers/2/services/{}/contacts/admin", jansen.id), &good).await.status, 404);

    // Staff see it waiting, carry it out: the contact is what was asked, the requester mailed.
    let mut staff = Client::new(&server);
    staff.sign_in("admin@demo.loket.test", "loket-demo-staff").await;
    let queue = staff.get("/staff/domains").await;
    assert!(queue.body.contains("anna@bakkerijdevries.test"), "{}", queue.body);
    let s_csrf = queue.csrf();
    let done = staff.post(&format!("/staff/domains/{}", request.id), &[("csrf", &s_csrf), ("decision", "done"), ("reason", "")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let admin = store.domain_contacts(domain.id).await.unwrap().into_iter().find(|(r, _)| r.name() == "admin").unwrap().1;
    assert_eq!(admin.email, "anna@bakkerijdevries.test");
    assert_eq!(admin.organisation.as_deref(), Some("Bakkerij De Vries B.V."));
    let again = staff.post(&format!("/staff/domains/{}", request.id), &[("csrf", &s_csrf), ("decision", "done")]).await;
    assert!(again.status >= 400, "a request is decided once");
    // Refusing needs a reason.
    let pending = store.pending_domain_requests(10).await.unwrap();
    if let Some(other) = pending.first() {
        assert_eq!(staff.post(&format!("/staff/domains/{}", other.id), &[("csrf", &s_csrf), ("decision", "reject")]).await.status, 400);
    }
    // A customer may not use the staff pages.
    assert_eq!(owner.get("/staff/domains").await.status, 403);

    support::drained(&store).await;
    let mails = store.mails(10_000).await.unwrap();
    let to_owner: Vec<_> =
        mails.iter().filter(|m| m.template == "domain-contact-decided" && m.rcpt_to == ["eigenaar@bakkerijdevries.test"]).collect();
    assert!(to_owner.len() >= 2, "received and done are both mailed");
    assert!(mails.iter().any(|m| m.template == "domain-contact-staff"));
    let q = loket_store::audit::AuditQuery {
        entity: Some("subscription".into()),
        entity_id: Some(domain.id.to_string()),
        before_id: None,
        limit: 50,
    };
    let entries = store.audit_entries(&q).await.unwrap();
    assert!(entries.iter().any(|e| e.action == "domain.contact_request_done"), "audited");
}

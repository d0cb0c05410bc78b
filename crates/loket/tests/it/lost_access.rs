//! Lost access (seed 002), through the real server: a person uploads a signed form and an
//! identity document on the public page (a file that is not a PDF, JPEG or PNG is refused by
//! its content, whatever its name); staff read the scans (served as attachments, never
//! rendered), restore access — an invitation for a new address, a reset link with two-step
//! sign-in off for a login already on the card — or refuse with a reason; the scans are
//! deleted by the daily housekeeping once the retention period has passed.

use crate::support;

use jiff::{SignedDuration, Timestamp};
use loket_store::jobs::NewJob;
use support::{Client, TestEnv};

const PDF: &[u8] = b"%PDF-1.4\n% signed request\n";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];

async fn send(client: &mut Client, email: &str, number: &str, identity: (&str, &[u8])) -> support::Page {
    let csrf = client.get("/lost-access").await.csrf();
    client
        .post_multipart(
            "/lost-access",
            &[
                ("csrf", &csrf),
                ("name", "Els de Vries"),
                ("email", email),
                ("customer_number", number),
                ("message", "Mijn oude adres bestaat niet meer."),
            ],
            &[("form", "verzoek.pdf", "application/pdf", PDF), ("identity", identity.0, "image/jpeg", identity.1)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn access_is_restored_from_a_signed_form_and_the_scans_expire() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual(Timestamp::now());
    let server = env.serve_at(&["--demo"], &[("LOKET_LOST_ACCESS_RETENTION_DAYS", "30".into())], clock.clone());
    let store = env.store().await;
    support::drained(&store).await;

    // The demo has one request waiting already.
    let waiting = store.access_requests(true, 10).await.unwrap().len();
    let files = || std::fs::read_dir(env.path().join("files")).map(|d| d.count()).unwrap_or(0);
    // Scans on disk: the demo's requests' and those of this test (the file store also keeps other
    // files, such as the helpdesk's mail).
    let scans_on_disk = |names: &[String]| names.iter().filter(|n| env.path().join("files").join(n).exists()).count();
    let files_before = files();

    // A page disguised as a picture is refused by its content; what was typed stays.
    let mut visitor = Client::new(&server);
    let wrong = send(&mut visitor, "els@nieuw.test", "C000001", ("paspoort.jpg", b"<html><script>alert(1)</script>")).await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    assert!(wrong.body.contains("Send a PDF, JPEG or PNG file.") && wrong.body.contains("els@nieuw.test"), "{}", wrong.body);
    assert_eq!(store.access_requests(true, 10).await.unwrap().len(), waiting, "nothing is stored");
    assert_eq!(files(), files_before);
    // Without the form's token nothing is taken.
    let forged = Client::new(&server)
        .post_multipart("/lost-access", &[("name", "x"), ("email", "x@y.test")], &[("form", "a.pdf", "application/pdf", PDF)])
        .await;
    assert_eq!(forged.status, 403);

    let sent = send(&mut visitor, "els@nieuw.test", "C000001", ("paspoort.jpg", JPEG)).await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let request = store.access_requests(true, 10).await.unwrap().pop().unwrap();
    assert_eq!((request.email.as_str(), request.id_type.as_str()), ("els@nieuw.test", "image/jpeg"));
    assert_eq!(files(), files_before + 2, "two scans on disk, outside the database");

    // Staff read the scans as attachments; customers cannot.
    let mut staff = Client::new(&server);
    staff.sign_in("admin@demo.loket.test", "loket-demo-staff").await;
    let page = staff.get(&format!("/staff/access/{}", request.id)).await;
    assert!(page.body.contains("C000001") && page.body.contains("Bakkerij De Vries"), "{}", page.body);
    let scan = reqwest::Client::new()
        .get(format!("{}/staff/access/{}/identity", server.base, request.id))
        .header("cookie", staff.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(scan.headers()["content-type"], "image/jpeg");
    assert!(scan.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(scan.headers()["x-content-type-options"], "nosniff");
    assert_eq!(&scan.bytes().await.unwrap()[..], JPEG);
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", "loket-demo-klant").await;
    assert_eq!(owner.get(&format!("/staff/access/{}/identity", request.id)).await.status, 403);

    // Restore: a wrong card is named; the right one invites the new address as owner.
    let csrf = page.csrf();
    let path = format!("/staff/access/{}", request.id);
    let wrong_card = staff.post(&path, &[("csrf", &csrf), ("decision", "restore"), ("customer_number", "C999999")]).await;
    assert_eq!(wrong_card.status, 400);
    assert!(wrong_card.body.contains("C999999"), "{}", wrong_card.body);
    let restored = staff.post(&path, &[("csrf", &csrf), ("decision", "restore"), ("customer_number", "c000001")]).await;
    assert_eq!(restored.location.as_deref(), Some("/staff/access?done=invited"));
    assert_eq!(staff.post(&path, &[("csrf", &csrf), ("decision", "reject"), ("reason", "x")]).await.status, 409, "decided once");

    // A login already on the card gets a reset link and loses its second step.
    let owner_mail = "eigenaar@bakkerijdevries.test";
    assert_eq!(send(&mut visitor, owner_mail, "C000001", ("id.jpg", JPEG)).await.status, 200);
    let second = store.access_requests(true, 10).await.unwrap().pop().unwrap();
    let path2 = format!("/staff/access/{}", second.id);
    let reset = staff.post(&path2, &[("csrf", &csrf), ("decision", "restore"), ("customer_number", "C000001")]).await;
    assert_eq!(reset.location.as_deref(), Some("/staff/access?done=reset"));
    // A refusal needs its reason and mails it.
    assert_eq!(send(&mut visitor, "iemand@anders.test", "", ("id.jpg", JPEG)).await.status, 200);
    let third = store.access_requests(true, 10).await.unwrap().pop().unwrap();
    let path3 = format!("/staff/access/{}", third.id);
    assert_eq!(staff.post(&path3, &[("csrf", &csrf), ("decision", "reject"), ("reason", "")]).await.status, 400);
    let refused = staff.post(&path3, &[("csrf", &csrf), ("decision", "reject"), ("reason", "De handtekening ontbreekt.")]).await;
    assert_eq!(refused.status, 303);

    support::drained(&store).await;
    let mails = store.mails(10_000).await.unwrap();
    let to = |t: &str, who: &str| mails.iter().any(|m| m.template == t && m.rcpt_to == [who]);
    assert!(to("invitation", "els@nieuw.test"), "the new address is invited");
    assert!(to("password-reset", owner_mail), "the existing login gets a reset link");
    assert!(to("access-request-rejected", "iemand@anders.test"));
    assert!(to("access-request-received", "els@nieuw.test"));
    assert!(mails.iter().any(|m| m.template == "access-request-staff"));

    // After the retention period the daily housekeeping deletes every scan, decided or not.
    let mut scans: Vec<String> = Vec::new();
    for r in store.access_requests(false, 100).await.unwrap().into_iter().chain(store.access_requests(true, 100).await.unwrap()) {
        scans.extend(r.form_file.into_iter().chain(r.id_file));
    }
    assert!(scans_on_disk(&scans) >= 2, "the scans are on disk before the retention ends");
    clock.advance(SignedDuration::from_hours(24 * 31));
    store.enqueue(&NewJob::new("housekeeping", serde_json::json!({}))).await.unwrap();
    support::drained(&store).await;
    assert_eq!(scans_on_disk(&scans), 0, "the scans are gone");
    let after = store.access_request(request.id).await.unwrap().unwrap();
    assert!(after.files_deleted_at.is_some() && after.id_file.is_none());
    staff.sign_in("admin@demo.loket.test", "loket-demo-staff").await; // a month later the session has expired
    assert_eq!(staff.get(&format!("/staff/access/{}/identity", request.id)).await.status, 409);
    assert!(staff.get(&path).await.body.contains("scans deleted on"));
}

//! What customers read about their billing (issue 8, defects 7 and 8): the lines the engine
//! writes in the document's language, no developer text in the API, every e-mail link on the
//! configured public address (and a warning when there is none), deadlines that have not passed,
//! ends written as the last day of service, private customers' prices with VAT.

use crate::support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use support::world::*;

#[tokio::test]
async fn lines_the_engine_writes_are_in_the_documents_language() {
    let w = World::new("controlepaneel").await;
    let c = w.customer(nl_business("Drukkerij Vos")).await;
    w.subscribe(c, "vps-s", "vps1.vos.nl", "2027-03-10").await;
    w.run("2027-03-10", "2027-03-10");
    let pf = w.invoice("PRO2027-00001").await;
    let descriptions: Vec<&str> = pf["lines"].as_array().unwrap().iter().map(|l| l["description"].as_str().unwrap()).collect();
    assert!(descriptions.iter().any(|d| d.starts_with("Eenmalige aansluitkosten: ")), "{descriptions:?}");
    assert!(!descriptions.iter().any(|d| d.contains("set-up")), "{descriptions:?}");
}

#[tokio::test]
async fn the_overview_speaks_plainly_and_never_offers_a_passed_deadline() {
    let w = World::new("ecm2").await;
    let c = w.customer(nl_business("Bakkerij Jansen")).await;
    w.subscribe(c, "hosting-basis", "jansen.nl", "2027-01-01").await;
    let o = w.get(&format!("/api/v1/customers/{c}/billing?on=2027-02-10")).await;
    assert!(!o.to_string().contains("Months("), "no Rust debug text: {o}");
    let s = &o["subscriptions"][0];
    assert_eq!(s["billing_period"], "quarter");
    assert_eq!((s["cancel_before"].as_str(), s["ends_if_cancelled"].as_str()), (Some("2027-03-01"), Some("2027-04-01")));
    // After 1 March the deadline for 1 April has passed: the next one is offered.
    let o = w.get(&format!("/api/v1/customers/{c}/billing?on=2027-03-10")).await;
    let s = &o["subscriptions"][0];
    assert_eq!((s["cancel_before"].as_str(), s["ends_if_cancelled"].as_str()), (Some("2027-04-01"), Some("2027-05-01")));
    let (status, bad) = w.call(reqwest::Method::GET, &format!("/api/v1/customers/{c}/billing?on=someday"), None).await;
    assert_eq!((status, bad["errors"][0]["field"].as_str()), (400, Some("on")), "{bad}");
}

#[tokio::test]
async fn private_customers_see_prices_with_vat() {
    let w = World::new("pingweb").await;
    let consumer = w.customer(nl_consumer("Piet Klaassen")).await;
    let business = w.customer(nl_business("Hoveniers Groen")).await;
    w.subscribe(consumer, "hosting-start", "klaassen.nl", "2027-01-01").await;
    w.subscribe(business, "hosting-start", "groen.nl", "2027-01-01").await;
    let o = w.get(&format!("/api/v1/customers/{consumer}/billing?on=2027-02-01")).await;
    assert_eq!(
        (o["consumer"].as_bool(), o["subscriptions"][0]["price"].as_i64(), o["subscriptions"][0]["price_gross"].as_i64()),
        (Some(true), Some(5900), Some(7139))
    );
    let o = w.get(&format!("/api/v1/customers/{business}/billing?on=2027-02-01")).await;
    assert_eq!(o["consumer"], false);
    // The renewal offer a private customer gets names the price with VAT.
    w.run("2027-01-01", "2027-12-05");
    let offer = w.notes(consumer).await.into_iter().find(|n| n["kind"] == "renewal_offer").expect("an offer");
    assert_eq!((offer["data"]["amount"].as_i64(), offer["data"]["vat_included"].as_bool()), (Some(7139), Some(true)));
    assert_eq!(offer["data"]["last_day"], "2027-12-31", "the last day of the term, not the day after");
}

#[tokio::test]
async fn every_link_in_every_mail_uses_the_public_address() {
    let w = World::new("pingweb").await;
    let c = w.customer(nl_consumer("Anna de Boer")).await;
    w.subscribe(c, "hosting-start", "deboer.nl", "2027-01-01").await;
    w.run("2027-01-01", "2027-12-05");
    w.env.ok(&["--config", &w.config, "jobs", "run"]);
    // The server's own worker may hold a job this command did not get: wait for it too.
    support::drained(&w.env.store().await).await;
    let mails: Vec<String> = std::fs::read_dir(w.env.path().join("mail-out"))
        .unwrap()
        .map(|e| support::decode_qp(&std::fs::read_to_string(e.unwrap().path()).unwrap()).replace("&#x2f;", "/"))
        .collect();
    assert!(mails.len() >= 2, "{} mails", mails.len());
    let mut links = 0;
    for m in &mails {
        for (i, _) in m.match_indices("http") {
            let link: String = m[i..].chars().take_while(|c| !c.is_whitespace() && *c != '"' && *c != '<').collect();
            if link.starts_with("http://www.w3.org") {
                continue;
            }
            assert!(link.starts_with("https://mijn.pingweb.nl/"), "a link off the public address: {link}");
            links += 1;
        }
    }
    assert!(links >= 2 && mails.iter().any(|m| m.contains("https://mijn.pingweb.nl/renew/")), "{links} links");
}

/// Whether `serve` on 0.0.0.0 with `env` warns that the links in e-mails lead to this machine.
fn warns_of_local_links(env: &support::TestEnv, vars: &[(&str, &str)]) -> bool {
    let mut child = env
        .cmd()
        .args(["serve", "--listen", "0.0.0.0:0"])
        .env("RUST_LOG", "info")
        .envs(vars.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let start = Instant::now();
    let mut warned = None;
    while start.elapsed() < Duration::from_secs(30) && warned.is_none() {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) if line.contains("server.public_url points to this machine") => warned = Some(true),
            Ok(line) if line.contains("serving") => warned = Some(false),
            _ => {}
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    warned.unwrap_or(false)
}

#[tokio::test]
async fn serve_warns_when_it_listens_beyond_this_machine_without_a_public_address() {
    let env = support::TestEnv::new().await;
    assert!(warns_of_local_links(&env, &[]), "no warning about server.public_url");
    // The example configuration's own value (copied as README says) is no public address either.
    assert!(warns_of_local_links(&env, &[("LOKET_SERVER_PUBLIC_URL", "http://127.0.0.1:8080")]));
    assert!(warns_of_local_links(&env, &[("LOKET_SERVER_PUBLIC_URL", "http://localhost:8080")]));
    assert!(!warns_of_local_links(&env, &[("LOKET_SERVER_PUBLIC_URL", "https://mijn.pingweb.nl")]));
}

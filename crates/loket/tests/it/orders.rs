//! The order form: prices and contract terms in plain words before anything is confirmed; a
//! business's service starts at once, a private customer's after the 14-day withdrawal period
//! unless they ask to start now; bad input is named, other cards' forms are not there.

use crate::support;

use support::{Client, TestEnv};

const PW: &str = "loket-demo-klant";

#[tokio::test(flavor = "multi_thread")]
async fn businesses_and_private_customers_order_a_service() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let store = env.store().await;

    // A business sees prices without VAT and the terms in words; it starts today.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let list = owner.get("/customers/1/order").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains("excl. VAT")
            && list.body.contains("First term: 3 months.")
            && list.body.contains("Cancel 1 calendar month before"),
        "{}",
        list.body
    );
    let nl = owner.get("/customers/1/order?lang=nl").await;
    assert!(nl.body.contains("Eerste looptijd: 3 maanden.") && nl.body.contains("per kwartaal"), "{}", nl.body);
    let review = owner.get("/customers/1/order/hosting-basis?label=extra.bakkerijdevries.nl&lang=en").await;
    assert!(review.body.contains("value=\"extra.bakkerijdevries.nl\"") && !review.body.contains("withdrawal"), "{}", review.body);
    let csrf = review.csrf();
    let empty = owner.post("/customers/1/order", &[("csrf", &csrf), ("plan", "hosting-basis"), ("label", " ")]).await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("say what the service is for"));
    let unknown = owner.post("/customers/1/order", &[("csrf", &csrf), ("plan", "nope"), ("label", "x.nl")]).await;
    assert_eq!(unknown.status, 404, "an unknown plan has no review page to return to");
    let key = review.body.split("name=\"order_key\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
    let confirm = [("csrf", csrf.as_str()), ("order_key", &key), ("plan", "hosting-basis"), ("label", "extra.bakkerijdevries.nl")];
    let done = owner.post("/customers/1/order", &confirm).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("extra.bakkerijdevries.nl starts on 30 November 2026."), "{}", done.body);
    // The confirmation sent again (a double click, a reload) answers the same and orders nothing more.
    let again = owner.post("/customers/1/order", &confirm).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(again.body.contains("extra.bakkerijdevries.nl starts on 30 November 2026."), "{}", again.body);
    let made: Vec<_> =
        store.customer_subscriptions(1).await.unwrap().into_iter().filter(|s| s.label == "extra.bakkerijdevries.nl").collect();
    assert_eq!(made.len(), 1, "one order per confirmation");
    assert_eq!(made[0].start_date.to_string(), "2026-11-30");
    // Another card's key is no key for this one; a made-up key is refused by name.
    let bogus =
        owner.post("/customers/1/order", &[("csrf", &csrf), ("order_key", "<script>"), ("plan", "hosting-basis"), ("label", "y.nl")]).await;
    assert_eq!(bogus.status, 400, "{}", bogus.body);

    // A private customer sees prices with VAT and chooses when to start.
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    let list = jan.get("/customers/2/order?lang=en").await;
    assert!(list.body.contains("incl. VAT"), "{}", list.body);
    let review = jan.get("/customers/2/order/hosting-start?label=blog.jansen.nl").await;
    assert!(review.body.contains("After the withdrawal period, on 14 December 2026"), "{}", review.body);
    let csrf = review.csrf();
    jan.post("/customers/2/order", &[("csrf", &csrf), ("plan", "hosting-start"), ("label", "blog.jansen.nl"), ("start", "later")]).await;
    jan.post("/customers/2/order", &[("csrf", &csrf), ("plan", "hosting-start"), ("label", "shop.jansen.nl"), ("start", "now")]).await;
    let subs = store.customer_subscriptions(2).await.unwrap();
    let start = |label: &str| subs.iter().find(|s| s.label == label).map(|s| s.start_date.to_string());
    assert_eq!(start("blog.jansen.nl").as_deref(), Some("2026-12-14"));
    assert_eq!(start("shop.jansen.nl").as_deref(), Some("2026-11-30"));
    let audit = env.ok(&["audit", "list", "--entity", "customer", "--id", "2"]);
    assert!(audit.contains("order.place") && audit.contains("\"withdrawal_waived\":true"), "{audit}");
    support::drained(&store).await;
    let mails = store.mails(10_000).await.unwrap();
    assert!(mails.iter().filter(|m| m.template == "order-confirmed").count() >= 3, "every order is confirmed by mail");

    // Only the card's users who manage its services order; other cards' forms are not there.
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", PW).await;
    assert_eq!(contact.get("/customers/1/order").await.status, 403);
    assert_eq!(owner.get("/customers/2/order").await.status, 404);
    let csrf = owner.get("/account").await.csrf();
    assert_eq!(owner.post("/customers/2/order", &[("csrf", &csrf), ("plan", "hosting-basis"), ("label", "x.nl")]).await.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_add_on_is_ordered_for_one_of_the_cards_services() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let store = env.store().await;
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    // A package that starts after the withdrawal period, then a mailbox for it to start now.
    let review = jan.get("/customers/2/order/hosting-start?label=blog.jansen.nl&lang=en").await;
    let csrf = review.csrf();
    jan.post("/customers/2/order", &[("csrf", &csrf), ("plan", "hosting-start"), ("label", "blog.jansen.nl"), ("start", "later")]).await;
    let package = store.customer_subscriptions(2).await.unwrap().into_iter().find(|s| s.label == "blog.jansen.nl").unwrap();
    let review = jan.get("/customers/2/order/mailbox?label=info@blog.jansen.nl&lang=en").await;
    assert!(
        review.body.contains(&format!("<option value=\"{}\">Hosting Start — blog.jansen.nl</option>", package.id))
            && review.body.contains("It is invoiced with that service"),
        "{}",
        review.body
    );
    let other = store.customer_subscriptions(1).await.unwrap()[0].id.to_string();
    for wrong in ["hosting", other.as_str()] {
        let form = [("csrf", csrf.as_str()), ("plan", "mailbox"), ("label", "info@blog.jansen.nl"), ("parent_id", wrong), ("start", "now")];
        let res = jan.post("/customers/2/order", &form).await;
        assert_eq!(res.status, 400, "{}", res.body);
        assert!(res.body.contains("Please choose a service from the list."), "{}", res.body);
    }
    let parent = package.id.to_string();
    let form = [("csrf", csrf.as_str()), ("plan", "mailbox"), ("label", "info@blog.jansen.nl"), ("parent_id", &parent), ("start", "now")];
    let done = jan.post("/customers/2/order", &form).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let mailbox = store.customer_subscriptions(2).await.unwrap().into_iter().find(|s| s.label == "info@blog.jansen.nl").unwrap();
    assert_eq!(mailbox.parent_id, Some(package.id));
    assert_eq!(mailbox.start_date, package.start_date, "it starts with its package");
    // A service that is not an add-on is ordered without one.
    let review = jan.get("/customers/2/order/hosting-start?label=x.jansen.nl&lang=en").await;
    assert!(!review.body.contains("name=\"parent_id\""), "{}", review.body);
}

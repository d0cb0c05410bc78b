//! A card's messages in the panel: unread ones marked and counted, marked read one by one or
//! all at once, and informational kinds the card turned off are not mailed (obligations are).

use crate::support;

use loket_domain::billing::notice::{Applied, Dunned, Notice, PaymentReceived};
use loket_store::billing::payments;
use support::{Client, TestEnv};

#[tokio::test(flavor = "multi_thread")]
async fn messages_are_read_and_mailed_as_the_card_chose() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    support::drained(&store).await;
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", "loket-demo-klant").await;
    let page = owner.get("/customers/1/notifications").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let unread = store.unread_notifications(1, 1000).await.unwrap();
    assert!(unread > 1 && page.body.contains(&format!("{unread} unread messages.")), "{}", page.body);

    // One read, then all.
    let first = store.notifications(1, 1).await.unwrap()[0].id.to_string();
    // The panel's one query for the latest and the unread count agrees with the two separate reads.
    let (latest, counted) = store.latest_notifications(1, 1, 1000).await.unwrap();
    assert_eq!((latest[0].id.to_string(), counted), (first.clone(), unread));
    assert_eq!(store.latest_notifications(1, 1, 1).await.unwrap().1, 1, "counted up to the cap");
    let (none, zero) = store.latest_notifications(999_999, 5, 1000).await.unwrap();
    assert!(none.is_empty() && zero == 0);
    let csrf = page.csrf();
    assert_eq!(owner.post("/customers/1/notifications/read", &[("csrf", &csrf), ("id", &first)]).await.status, 303);
    assert_eq!(store.unread_notifications(1, 1000).await.unwrap(), unread - 1);
    owner.post("/customers/1/notifications/read", &[("csrf", &csrf)]).await;
    assert!(owner.get("/customers/1/notifications").await.body.contains("No unread messages."));
    // Another card's messages are not there to mark.
    assert_eq!(owner.post("/customers/3/notifications/read", &[("csrf", &csrf)]).await.status, 404);
    assert!(store.unread_notifications(3, 1000).await.unwrap() > 0);

    // Payments no longer by e-mail; a reminder still is.
    let form = [("csrf", csrf.as_str()), ("mail", "renewed"), ("mail", "upcoming_invoice"), ("mail", "ended"), ("mail", "lapsed")];
    assert_eq!(owner.post("/customers/1/notifications", &form).await.status, 303);
    assert_eq!(store.mail_opt_outs(1).await.unwrap(), ["payment_received"]);
    let before = store.mails(10_000).await.unwrap().len();
    let mut tx = store.begin().await.unwrap();
    let paid = PaymentReceived {
        amount: 100,
        received: "2026-11-30".parse().unwrap(),
        applied: vec![Applied { number: "X".into(), amount: 100 }],
        to_credit: 0,
    };
    payments::notify(
        &mut tx,
        &[(1, Notice::PaymentReceived(paid)), (1, Notice::Suspended(Dunned { number: "DEMO2026-00001".into(), amount: 100 }))],
    )
    .await
    .unwrap();
    loket_store::commit(tx).await.unwrap();
    support::drained(&store).await;
    let mails = store.mails(10_000).await.unwrap();
    assert_eq!(mails.len(), before + 1, "only the suspension is mailed");
    assert!(mails.iter().any(|m| m.template == "billing-suspended"));
    assert!(owner.get("/customers/1/notifications").await.body.contains("2 unread messages."), "both show in the panel");
}

//! Users of a company: invitations by e-mail (new and existing accounts), roles and permissions
//! within their ceiling, removal, and a card that always keeps an owner.

use crate::support;

use std::time::Duration;

use support::{Client, SinkOptions, SmtpSink, TestEnv, header};

const PW: &str = "loket-demo-klant";

fn link(mail: &str) -> String {
    let text = support::decode_qp(mail);
    let at = text.find("/invitations/").expect("an invitation link");
    text[at..at + 13 + 64].to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_invites_a_new_user_who_makes_an_account() {
    let env = TestEnv::new().await;
    let sink = SmtpSink::start(env.path(), SinkOptions::default());
    let server = env.serve(&["--demo"], &sink.env());
    // The demo's mail (welcome, billing notifications) is out before the test counts.
    sink.wait_for(1, Duration::from_secs(30));
    support::drained(&env.store().await).await;
    let before = sink.messages().len();
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let page = owner.get("/customers/1/users").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("medewerker@bakkerijdevries.test"));
    let csrf = page.csrf();
    let bad = owner.post("/customers/1/users/invite", &[("csrf", &csrf), ("email", "not-an-address"), ("role", "billing")]).await;
    assert_eq!(bad.status, 400);
    let dup = owner
        .post("/customers/1/users/invite", &[("csrf", &csrf), ("email", "medewerker@bakkerijdevries.test"), ("role", "billing")])
        .await;
    assert_eq!(dup.status, 400, "already on the card");
    let res = owner
        .post("/customers/1/users/invite", &[("csrf", &csrf), ("email", "boekhouder@bakkerijdevries.test"), ("role", "billing")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);

    let mails = sink.wait_for(before + 1, Duration::from_secs(30));
    let mail = mails.iter().find(|m| header(m, "X-Sink-Rcpt-To") == Some("boekhouder@bakkerijdevries.test")).expect("the invitation");
    assert_eq!(header(mail, "Subject"), Some("Uitnodiging voor Bakkerij De Vries B.V. bij Loket Demo Hosting"), "in the card's language");
    let path = link(mail);

    let mut invitee = Client::new(&server);
    let page = invitee.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Billing contact"));
    let csrf = page.csrf();
    let weak = invitee.post(&path, &[("csrf", &csrf), ("name", "Bea Boekhouder"), ("password", "short")]).await;
    assert_eq!(weak.status, 400);
    let res = invitee.post(&path, &[("csrf", &csrf), ("name", "Bea Boekhouder"), ("password", "een goed wachtwoord")]).await;
    assert_eq!((res.status, res.location.as_deref()), (303, Some("/customers/1")), "{}", res.body);
    assert_eq!(invitee.get("/customers/1").await.status, 200, "signed in and on the card");
    // The link works once.
    assert_eq!(Client::new(&server).get(&path).await.status, 410);
    // The new user signs in with the chosen password, and has the billing contact's defaults.
    let mut again = Client::new(&server);
    assert_eq!(again.sign_in("boekhouder@bakkerijdevries.test", "een goed wachtwoord").await.status, 303);
    assert_eq!(again.get("/customers/1/edit").await.status, 403, "billing contacts do not edit the company");
    let audit = env.ok(&["audit", "list", "--entity", "customer", "--id", "1"]);
    assert!(audit.contains("member.invite") && audit.contains("member.join"), "{audit}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_existing_user_accepts_while_signed_in() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let mut owner = Client::new(&server);
    owner.sign_in("mario@rossiweb.test", PW).await;
    let csrf = owner.get("/customers/3/users").await.csrf();
    assert_eq!(
        owner.post("/customers/3/users/invite", &[("csrf", &csrf), ("email", "jan@jansen.test"), ("role", "technical")]).await.status,
        303
    );
    let mail = store.mails(10_000).await.unwrap().into_iter().find(|m| m.template == "invitation").unwrap();
    let path = link(&mail.raw);
    // Someone else signed in cannot take it.
    let mut other = Client::new(&server);
    other.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let csrf = other.get(&path).await.csrf();
    assert_eq!(other.post(&path, &[("csrf", &csrf)]).await.status, 403);
    // Not signed in, with an existing account: sign in first.
    let anonymous = Client::new(&server).get(&path).await;
    assert!(anonymous.body.contains("Sign in to accept"));
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    let csrf = jan.get(&path).await.csrf();
    assert_eq!(jan.post(&path, &[("csrf", &csrf)]).await.status, 303);
    assert_eq!(jan.get("/customers/3").await.status, 200);
    assert_eq!(jan.get("/customers/2").await.status, 200, "and still on his own card");
}

#[tokio::test(flavor = "multi_thread")]
async fn roles_permissions_and_the_last_owner() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let store = env.store().await;
    let members = store.members(1).await.unwrap();
    let id = |email: &str| members.iter().find(|m| m.email == email).unwrap().user_id.to_string();
    let (owner_id, contact_id, agency_id) =
        (id("eigenaar@bakkerijdevries.test"), id("medewerker@bakkerijdevries.test"), id("bureau@webbureau.test"));
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let csrf = owner.get("/customers/1/users").await.csrf();
    // A contact person never gets to edit the company, whatever is ticked.
    let res = owner
        .post(
            &format!("/customers/1/users/{contact_id}"),
            &[("csrf", &csrf), ("role", "contact"), ("permission", "company.edit"), ("permission", "invoices.view")],
        )
        .await;
    assert_eq!(res.status, 303);
    let m = store.members(1).await.unwrap().into_iter().find(|m| m.user_id.to_string() == contact_id).unwrap();
    assert_eq!(m.permissions, "invoices.view");
    assert_eq!(owner.post(&format!("/customers/1/users/{contact_id}"), &[("csrf", &csrf), ("role", "king")]).await.status, 400);
    // Nobody changes their own membership; the last owner stays.
    assert_eq!(owner.post(&format!("/customers/1/users/{owner_id}"), &[("csrf", &csrf), ("role", "contact")]).await.status, 400);
    assert_eq!(owner.post(&format!("/customers/1/users/{owner_id}/remove"), &[("csrf", &csrf)]).await.status, 400);
    // Removing the agency ends its access to this card only.
    assert_eq!(owner.post(&format!("/customers/1/users/{agency_id}/remove"), &[("csrf", &csrf)]).await.status, 303);
    let mut agency = Client::new(&server);
    agency.sign_in("bureau@webbureau.test", PW).await;
    assert_eq!(agency.get("/customers/1").await.status, 404);
    assert_eq!(agency.get("/customers/3").await.status, 200);
    // Members without the permission cannot manage users; strangers see nothing.
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", PW).await;
    assert_eq!(contact.get("/customers/1/users").await.status, 403);
    let csrf = contact.get("/account").await.csrf();
    assert_eq!(contact.post("/customers/1/users/invite", &[("csrf", &csrf), ("email", "x@y.test"), ("role", "owner")]).await.status, 403);
    assert_eq!(agency.get("/customers/1/users").await.status, 404);
    let audit = env.ok(&["audit", "list", "--entity", "customer", "--id", "1"]);
    assert!(audit.contains("member.update") && audit.contains("member.remove"), "{audit}");
}

/// The session carries a user's first 20 cards (the menu, the dashboard and the card pages read
/// them from it): a user on more still finds every card, and a card beyond the twentieth that
/// asks for two-step sign-in still asks.
#[tokio::test(flavor = "multi_thread")]
async fn a_user_on_more_cards_than_the_session_carries() {
    use loket_domain::access::MemberRole;
    use loket_store::accounts::{NewUser, add_membership, create_user};
    use support::world::{World, nl_business};

    let w = World::new("ecm2").await;
    let mut cards = Vec::new();
    for i in 0..23 {
        let mut card = nl_business(&format!("Kaart {i:02}"));
        if i == 22 {
            card["requires_second_factor"] = serde_json::json!(true);
        }
        cards.push(w.customer(card).await);
    }
    let stranger = w.customer(nl_business("Niet van mij")).await;
    let store = w.env.store().await;
    let hash = loket_auth::hash_password("een goed wachtwoord").unwrap();
    let mut tx = store.begin().await.unwrap();
    let user = NewUser {
        email: "veel@kaarten.test",
        name: "Veel",
        password_hash: Some(&hash),
        language: loket_domain::Language::En,
        staff_role: None,
    };
    let id = create_user(&mut tx, &user).await.unwrap();
    for c in &cards[..22] {
        add_membership(&mut tx, id, *c, MemberRole::Owner, MemberRole::Owner.default_permissions()).await.unwrap();
    }
    loket_store::commit(tx).await.unwrap();

    let mut many = Client::new(&w.server);
    assert_eq!(many.sign_in("veel@kaarten.test", "een goed wachtwoord").await.status, 303);
    let home = many.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    for i in 0..22 {
        assert!(home.body.contains(&format!("Kaart {i:02}")), "card {i} on the dashboard");
    }
    assert_eq!(many.get(&format!("/customers/{}/billing", cards[21])).await.status, 200, "the 22nd card's page");
    assert_eq!(many.get(&format!("/customers/{}/notifications", cards[0])).await.status, 200);
    assert_eq!(many.get(&format!("/customers/{stranger}/billing")).await.status, 404);

    // The 23rd card asks for two-step sign-in: once the user is on it, every page sends them to set it up.
    let mut tx = store.begin().await.unwrap();
    add_membership(&mut tx, id, cards[22], MemberRole::Owner, MemberRole::Owner.default_permissions()).await.unwrap();
    loket_store::commit(tx).await.unwrap();
    let page = many.get(&format!("/customers/{}/billing", cards[0])).await;
    assert_eq!((page.status, page.location.as_deref()), (303, Some("/account/2fa")), "{}", page.body);
}

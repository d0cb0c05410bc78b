//! Billing in the panel through the real server: a member's billing page (subscriptions with
//! next invoice and "cancel before", invoices with their lines), cancelling and renewing (also by
//! the link of the opt-in e-mail), and staff recording a payment that pays the invoice.

use crate::support;

use loket_app::billing::Billing;
use loket_app::billing::file::BillingFile;
use loket_app::billing::ops::SubscriptionInput;
use loket_domain::{Currency, Language, Money, ProviderIdentity};
use loket_store::audit::{Actor, ActorKind};
use support::{Client, TestEnv};

const PW: &str = "loket-demo-klant";
const STAFF_PW: &str = "loket-demo-staff";

const FILE: &str = r#"
[billing]
renewal_offer_days = 60

[terms.hosting-year]
name = "A year, billed per month"
first_term = "year"
billing_period = "1 month"
notice = "1 calendar month"
channels = ["email", "portal"]
payment_term_days = 14

[terms.domain-opt-in]
name = "Per month, renewed only on request"
first_term = "1 month"
renewal = "opt_in"
notice = "30 days"
channels = ["email"]
payment_term_days = 14

[products.hosting]
name = "Webhosting"
kind = "hosting"

[products.domain]
name = "Domain name"
kind = "domain"

[plans.hosting-basis]
name = "Hosting Basis"
product = "hosting"
terms = "hosting-year"
prices = { "1 month" = "10.00" }

[plans.domain-nl]
name = "Domain .nl"
product = "domain"
terms = "domain-opt-in"
prices = { "1 month" = "1.00" }
"#;

fn date(d: jiff::civil::Date) -> String {
    loket_i18n::format_date(Language::En, d)
}

fn eur(minor: i64) -> String {
    loket_i18n::format_money(Language::En, Money::new(minor, Currency::Eur))
}

/// The staff payment form as posted.
fn payment(csrf: &str, invoice: i64, amount: &str, on: jiff::civil::Date) -> Vec<(String, String)> {
    [
        ("csrf", csrf.to_string()),
        ("invoice", invoice.to_string()),
        ("amount", amount.into()),
        ("method", "bank_transfer".into()),
        ("received_on", on.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

async fn pay(client: &mut Client, form: &[(String, String)]) -> support::Page {
    let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post("/staff/customers/1/payments", &fields).await
}

/// The demo with a billing file applied through the test's own store, and subscriptions started
/// today.
struct Demo {
    env: TestEnv,
    store: loket_store::Store,
    billing: Billing,
    actor: Actor,
}

impl Demo {
    async fn new(file: &str) -> Demo {
        let env = TestEnv::new().await;
        env.ok(&["demo"]);
        let store = env.store().await;
        let billing = Billing::new(store.clone(), ProviderIdentity::demo());
        let actor = Actor::new(ActorKind::System, "test");
        billing.apply(&actor, &BillingFile::parse(file).unwrap()).await.unwrap();
        Demo { env, store, billing, actor }
    }

    /// Starts plan `plan` for `label` on card `customer_id` today; its id.
    async fn subscribe(&self, customer_id: i64, plan: &str, label: &str) -> i64 {
        let input = SubscriptionInput {
            customer_id,
            plan: plan.into(),
            label: label.into(),
            start_date: self.billing.today().to_string(),
            ..Default::default()
        };
        self.billing.subscribe(&self.actor, &input).await.unwrap()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn members_see_cancel_and_renew_and_staff_record_a_payment() {
    let demo = Demo::new(FILE).await;
    let (env, store, billing) = (&demo.env, &demo.store, &demo.billing);
    let today = billing.today();
    let hosting = demo.subscribe(1, "hosting-basis", "bakkerijdevries.nl").await;
    let domain = demo.subscribe(1, "domain-nl", "bakkerij.nl").await;
    billing.run(today, false).await.unwrap();
    let overview = billing.overview(1, today).await.unwrap();
    let h = overview.subscriptions.iter().find(|s| s.id == hosting).unwrap().clone();
    let d = overview.subscriptions.iter().find(|s| s.id == domain).unwrap().clone();
    assert_eq!(d.state, "renewal_offered", "the offer goes out within 60 days of the end");
    let docs = store
        .documents(&loket_store::billing::documents::DocumentFilter { customer_id: Some(1), limit: 100, ..Default::default() })
        .await
        .unwrap();
    let invoice = docs.iter().find(|x| x.gross == 1210).expect("the hosting invoice: 10.00 + 21% VAT").clone();
    let server = env.serve(&[], &[]);

    // A member who may view invoices.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    assert!(owner.get("/customers/1").await.body.contains("href=\"/customers/1/billing\""), "linked from the card");
    let page = owner.get("/customers/1/billing").await;
    assert_eq!(page.status, 200, "{}", page.body);
    for text in [
        "Hosting Basis".to_string(),
        "bakkerijdevries.nl".into(),
        format!("{}: {} excl. VAT", date(h.next_invoice_date.unwrap()), eur(h.next_invoice_amount.unwrap())),
        format!("Cancel on or before {}", date(h.cancel_before.unwrap())),
        format!("Renew on or before {}", date(d.renewed_until.unwrap().yesterday().unwrap())),
        format!("/customers/1/invoices/{}", invoice.id),
        invoice.number.clone(),
        eur(1210),
        format!("/customers/1/subscriptions/{hosting}/cancel"),
        format!("/customers/1/subscriptions/{domain}/renew"),
    ] {
        assert!(page.body.contains(&text), "billing page lacks `{text}`:\n{}", page.body);
    }
    assert!(!page.body.contains(&format!("/subscriptions/{domain}/cancel")), "the domain's terms do not take cancellations by portal");
    let inv = owner.get(&format!("/customers/1/invoices/{}", invoice.id)).await;
    assert_eq!(inv.status, 200, "{}", inv.body);
    let first_month_end = today.checked_add(jiff::Span::new().months(1)).unwrap().yesterday().unwrap();
    for text in [
        invoice.number.clone(),
        invoice.payment_reference.clone(),
        format!("{} – {}", date(today), date(first_month_end)),
        "21%".into(),
        eur(1000),
        eur(210),
        eur(1210),
        "Bakkerij De Vries".into(),
        "Loket Demo Hosting B.V.".into(),
    ] {
        assert!(inv.body.contains(&text), "invoice page lacks `{text}`:\n{}", inv.body);
    }
    let dutch = owner.get("/customers/1/billing?lang=nl").await;
    assert!(dutch.body.contains("Facturatie") && dutch.body.contains(&loket_i18n::format_date(Language::Nl, h.cancel_before.unwrap())));
    owner.get("/customers/1/billing?lang=en").await;

    // Not on the card: nothing to see. On it without the permission: no access.
    let mut stranger = Client::new(&server);
    stranger.sign_in("jan@jansen.test", PW).await;
    assert_eq!(stranger.get("/customers/1/billing").await.status, 404);
    assert_eq!(stranger.get(&format!("/customers/1/invoices/{}", invoice.id)).await.status, 404);
    assert_eq!(stranger.get(&format!("/customers/2/invoices/{}", invoice.id)).await.status, 404, "another card's invoice");
    let mut contact = Client::new(&server);
    contact.sign_in("medewerker@bakkerijdevries.test", PW).await;
    assert_eq!(contact.get("/customers/1/billing").await.status, 403);
    let csrf = stranger.get("/account").await.csrf();
    let res = stranger.post(&format!("/customers/1/subscriptions/{hosting}/cancel"), &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 404, "a stranger cannot cancel");

    // Cancelling: refused without the form's token, then recorded with the date it takes effect.
    let cancel = format!("/customers/1/subscriptions/{hosting}/cancel");
    assert_eq!(owner.post(&cancel, &[("csrf", "")]).await.status, 403);
    assert_eq!(store.subscription(hosting).await.unwrap().unwrap().ends_on, None, "nothing changed");
    let csrf = page.csrf();
    let res = owner.post(&cancel, &[("csrf", &csrf)]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.body.contains("Cancellation received"), "{}", res.body);
    let last_day = h.term_end.unwrap().yesterday().unwrap();
    assert!(res.body.contains(&format!("the last day of service is {}", date(last_day))), "{}", res.body);
    let again = owner.post(&cancel, &[("csrf", &csrf)]).await;
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("it has been cancelled already"), "{}", again.body);
    assert!(again.body.contains("cannot be cancelled"), "with the engine's reason:\n{}", again.body);
    let page = owner.get("/customers/1/billing").await;
    assert!(page.body.contains("Cancelled") && page.body.contains(&format!("Last day: {}", date(last_day))), "{}", page.body);
    assert!(page.body.contains("Cancellation of Hosting Basis (bakkerijdevries.nl) confirmed"), "listed under messages:\n{}", page.body);

    // The renewal link of the opt-in e-mail.
    let notes = store.notifications(1, 20).await.unwrap();
    let offer = notes.iter().find(|n| n.kind() == "renewal_offer").expect("a renewal offer");
    let link = format!("/renew/{}", offer.data()["token"].as_str().unwrap());
    let anonymous = Client::new(&server).get(&link).await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location.unwrap().starts_with("/sign-in?next=/renew/"), "sign in first, then back here");
    assert_eq!(stranger.get(&link).await.status, 403, "not a card the stranger manages");
    let offer_page = owner.get(&link).await;
    assert_eq!(offer_page.status, 200, "{}", offer_page.body);
    assert!(
        offer_page.body.contains("Domain .nl (bakkerij.nl)")
            && offer_page.body.contains(&date(d.renewed_until.unwrap().yesterday().unwrap()))
    );
    assert_eq!(owner.post(&link, &[("csrf", "")]).await.status, 403);
    let res = owner.post(&link, &[("csrf", &offer_page.csrf())]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    let renewed = store.subscription(domain).await.unwrap().unwrap();
    assert!(renewed.renewed_until > d.renewed_until, "one term longer");
    let renewed_last = renewed.renewed_until.unwrap().yesterday().unwrap();
    assert!(res.body.contains(&format!("renewed up to and including {}", date(renewed_last))), "{}", res.body);
    assert_eq!(owner.get(&link).await.status, 410, "the link works once");
    // Renewed: the button goes, and the form sent again (a second tab, a double click) renews
    // nothing more.
    let page = owner.get("/customers/1/billing").await;
    assert!(!page.body.contains(&format!("/subscriptions/{domain}/renew")), "{}", page.body);
    let again = owner.post(&format!("/customers/1/subscriptions/{domain}/renew"), &[("csrf", &page.csrf())]).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(store.subscription(domain).await.unwrap().unwrap().renewed_until, renewed.renewed_until, "renewed once");

    // Staff: the same overview, and a payment recorded against the invoice.
    let mut staff = Client::new(&server);
    staff.sign_in("billing@demo.loket.test", STAFF_PW).await;
    assert!(staff.get("/staff/customers/1").await.body.contains("href=\"/staff/customers/1/billing\""));
    let page = staff.get("/staff/customers/1/billing").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&invoice.number) && page.body.contains("Record a payment"));
    assert!(!page.body.contains("action=\"/customers/"), "staff pages carry no customer buttons");
    let csrf = page.csrf();
    let bad = pay(&mut staff, &payment(&csrf, invoice.id, "twelve", today)).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("Amount (e.g. 121.00):"), "the field is named:\n{}", bad.body);
    assert!(bad.body.contains("value=\"twelve\""), "the input is kept");
    assert!(bad.body.contains("This is not an amount: use digits"), "in the reader's words:\n{}", bad.body);
    assert_eq!(pay(&mut staff, &payment("", invoice.id, "12.10", today)).await.status, 403, "no CSRF token");
    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", STAFF_PW).await;
    let support_page = support.get("/staff/customers/1/billing").await;
    assert_eq!(support_page.status, 200);
    assert!(!support_page.body.contains("Record a payment"), "support staff do not record payments");
    let support_csrf = support_page.csrf();
    assert_eq!(pay(&mut support, &payment(&support_csrf, invoice.id, "12.10", today)).await.status, 403);
    // Typed as a Dutch bookkeeper does, with a decimal comma.
    let ok = pay(&mut staff, &payment(&csrf, invoice.id, "12,10", today)).await;
    assert_eq!((ok.status, ok.location.as_deref()), (303, Some("/staff/customers/1/billing?recorded=1")), "{}", ok.body);
    assert!(staff.get("/staff/customers/1/billing?recorded=1").await.body.contains("The payment has been recorded."));
    assert_eq!(store.document(invoice.id).await.unwrap().unwrap().state, loket_store::billing::documents::DocState::Paid);
    let inv = owner.get(&format!("/customers/1/invoices/{}", invoice.id)).await;
    assert!(inv.body.contains("Paid"), "{}", inv.body);
    let page = owner.get("/customers/1/billing").await;
    let row = &page.body[page.body.find(&format!("id=\"document-{}\"", invoice.id)).unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("Paid"), "{row}");
    assert!(page.body.contains(&format!("Payment of {} received", eur(1210))), "{}", page.body);

    // A private customer reads prices with VAT.
    demo.subscribe(2, "hosting-basis", "jansen.nl").await;
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    let page = jan.get("/customers/2/billing").await;
    assert!(page.body.contains(&format!("{} incl. VAT", eur(1210))), "{}", page.body);
    assert!(!page.body.contains("excl. VAT"), "{}", page.body);
}

/// A cancellation that arrived by registered letter, recorded by staff with the day it was
/// received: the page says when it takes effect, the customer is told, bad input is named.
#[tokio::test(flavor = "multi_thread")]
async fn staff_record_a_cancellation_received_by_registered_letter() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let mut staff = Client::new(&server);
    staff.sign_in("billing@demo.loket.test", STAFF_PW).await;
    let page = staff.get("/staff/customers/1/billing").await;
    assert!(
        page.body.contains("Record cancellation…") && page.body.contains("<option value=\"registered_letter\">Registered letter"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let post = |received: &'static str, channel: &'static str| {
        [("csrf", csrf.clone()), ("received_on", received.to_string()), ("channel", channel.to_string())]
    };

    // A date that does not exist, a channel the terms do not take: 400, named, nothing recorded.
    let form = post("2026-11-31", "registered_letter");
    let bad = staff
        .post("/staff/customers/1/subscriptions/1/cancellation", &form.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("class=\"confirm box open\"") && bad.body.contains("2026-11-31"), "the form stays open with what was sent");
    let form = post("2026-11-30", "phone");
    let bad = staff
        .post("/staff/customers/1/subscriptions/1/cancellation", &form.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>())
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let store = env.store().await;
    assert!(store.subscription(1).await.unwrap().unwrap().cancel_received_on.is_none());

    // Support staff may not; another card's subscription is not found.
    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", STAFF_PW).await;
    let support_csrf = support.get("/staff/customers/1/billing").await.csrf();
    let form = [("csrf", support_csrf.as_str()), ("received_on", "2026-11-30"), ("channel", "registered_letter")];
    assert_eq!(support.post("/staff/customers/1/subscriptions/1/cancellation", &form).await.status, 403);
    let form = post("2026-11-30", "registered_letter");
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(staff.post("/staff/customers/3/subscriptions/1/cancellation", &form).await.status, 404);

    // Received today, by registered letter: recorded, with its effect on the page.
    let ok = staff.post("/staff/customers/1/subscriptions/1/cancellation", &form).await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let done = staff.get(ok.location.as_deref().unwrap()).await;
    assert!(done.body.contains("Cancellation of Hosting Basis (bakkerijdevries.nl) recorded."), "{}", done.body);
    let s = store.subscription(1).await.unwrap().unwrap();
    assert_eq!(s.cancel_channel.as_deref(), Some("registered_letter"));
    assert_eq!(s.cancel_received_on.map(|d| d.to_string()).as_deref(), Some("2026-11-30"));
    let audit = env.ok(&["audit", "list", "--entity", "subscription", "--id", "1"]);
    assert!(audit.contains("subscription.cancel") && audit.contains("staff:"), "{audit}");
    support::drained(&store).await;
    let notes = store.notifications(1, 50).await.unwrap();
    assert!(notes.iter().any(|n| n.kind() == "cancellation_confirmed"), "the customer is told");
}

/// All of a card's invoices, searched by number, date range, amount and state, a page at a time.
#[tokio::test(flavor = "multi_thread")]
async fn customers_search_their_invoices() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let rows = |body: &str| body.matches("href=\"/customers/1/invoices/").count();
    let all = owner.get("/customers/1/invoices").await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(rows(&all.body), 6, "{}", all.body);
    assert_eq!(rows(&owner.get("/customers/1/invoices?q=demo2026-0001").await.body), 1, "by the start of the number");
    assert_eq!(rows(&owner.get("/customers/1/invoices?min=30").await.body), 2, "from an amount (€ 36.12 twice)");
    assert_eq!(rows(&owner.get("/customers/1/invoices?max=15,13&min=15,13").await.body), 3, "an exact amount, with a decimal comma");
    assert_eq!(rows(&owner.get("/customers/1/invoices?from=2026-07-01&to=2026-08-31").await.body), 2, "a date range");
    assert_eq!(rows(&owner.get("/customers/1/invoices?state=open").await.body), 0);
    // A page in the middle: the cursor of a document continues after it.
    let older = owner.get("/customers/1/invoices?before=2026-07-11_7").await;
    assert_eq!(rows(&older.body), 3, "{}", older.body);
    // Bad input is named and answered with 400, never a server error.
    let bad = owner.get("/customers/1/invoices?from=2026-02-30&max=-5&state=lost&before=x").await;
    assert_eq!(bad.status, 400);
    for field in ["Issued from", "Amount up to", "Status", "Page"] {
        assert!(bad.body.contains(&format!("{field}: ")), "{field} in {}", bad.body);
    }
    // Another card's list is not there for this user; staff see every card's.
    assert_eq!(owner.get("/customers/3/invoices").await.status, 404);
    let mut staff = Client::new(&server);
    staff.sign_in("support@demo.loket.test", STAFF_PW).await;
    assert_eq!(rows(&staff.get("/staff/customers/1/invoices").await.body), 0, "staff links lead to staff pages");
    assert_eq!(staff.get("/staff/customers/1/invoices").await.body.matches("href=\"/staff/customers/1/invoices/").count(), 6);
}

/// The overview counts only renewal offers made and not yet answered, and names the same last
/// day as the billing page: Jan Jansen has one offer (Hosting Start); his domain, a year from its
/// end, may be renewed early but is not waiting for a decision.
#[tokio::test(flavor = "multi_thread")]
async fn the_overview_names_the_renewal_offer_as_the_billing_page_does() {
    let env = TestEnv::new().await;
    let server = env.serve(&["--demo"], &[]);
    let mut jan = Client::new(&server);
    jan.sign_in("jan@jansen.test", PW).await;
    let home = jan.get("/").await.body;
    assert!(home.contains("renewal awaiting your decision") && !home.contains("renewals awaiting"), "{home}");
    let at = home.find(" ends after ").unwrap_or_else(|| panic!("no offer on the overview:\n{home}"));
    let last_day = &home[at + 12..at + 12 + home[at + 12..].find(" unless").unwrap()];
    let billing = jan.get("/customers/2/billing").await.body;
    assert!(billing.contains(&format!("Renew on or before {last_day}")), "the overview says {last_day}:\n{billing}");
}

/// Terms that take a cancellation only by e-mail (ECM2's): the panel has no cancel button and
/// says how to cancel, and where to write, instead.
#[tokio::test(flavor = "multi_thread")]
async fn terms_without_the_panel_say_how_to_cancel() {
    let demo = Demo::new(&FILE.replacen(r#"channels = ["email", "portal"]"#, r#"channels = ["email"]"#, 1)).await;
    let id = demo.subscribe(1, "hosting-basis", "mail-only.nl").await;
    let server = demo.env.serve(&[], &[]);
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let page = owner.get("/customers/1/billing").await.body;
    let row = &page[page.find(&format!("id=\"subscription-{id}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(!row.contains("#cancel-"), "no cancel button: {row}");
    assert!(row.contains("To cancel, write to us (e-mail): administratie@demo.loket.test"), "{row}");
}

/// A price or terms changed in the catalog show on the pages at once, also when another node
/// changed them: a page prices with a cached catalog, checked against the catalog's stamp in
/// the statement that reads the subscriptions. Every change to the terms, products, plans or
/// billing settings moves the stamp on (migration 0027's triggers); one that did not would
/// leave the old price on the pages until the server restarted.
#[tokio::test(flavor = "multi_thread")]
async fn a_catalog_change_by_another_node_shows_on_the_pages_at_once() {
    // The test's own store is the other node: the server's cached catalog knows nothing of it.
    let demo = Demo::new(FILE).await;
    let (store, billing, actor) = (&demo.store, &demo.billing, &demo.actor);
    let today = billing.today();
    let hosting = demo.subscribe(1, "hosting-basis", "bakkerijdevries.nl").await;
    let server = demo.env.serve(&[], &[]);
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", PW).await;
    let next = |overview: &loket_app::billing::overview::Overview| {
        let s = overview.subscriptions.iter().find(|s| s.id == hosting).unwrap();
        format!("{}: {} excl. VAT", date(s.next_invoice_date.unwrap()), eur(s.next_invoice_amount.unwrap()))
    };
    let before = next(&billing.overview(1, today).await.unwrap());
    assert!(before.contains(&eur(1000)), "{before}");
    let page = owner.get("/customers/1/billing").await;
    assert!(page.body.contains(&before), "{}", page.body);

    // Each of the four tables in turn, through the billing file as a provider changes it; each
    // change keeps the ones before.
    let changes = [
        ("the plan's price", r#"prices = { "1 month" = "10.00" }"#, r#"prices = { "1 month" = "12.50" }"#),
        ("the product's name", r#"name = "Webhosting""#, r#"name = "Webhosting Plus""#),
        ("the terms' name", r#"name = "A year, billed per month""#, r#"name = "A year, invoiced monthly""#),
        ("the billing settings", "renewal_offer_days = 60", "renewal_offer_days = 45"),
    ];
    let mut file = FILE.to_string();
    for (what, from, to) in changes {
        let old = store.catalog_stamp().await.unwrap();
        assert!(file.contains(from), "{what}");
        file = file.replace(from, to);
        billing.apply(actor, &BillingFile::parse(&file).unwrap()).await.unwrap();
        assert!(store.catalog_stamp().await.unwrap() > old, "changing {what} moves the catalog's stamp on");
    }
    let after = next(&billing.overview(1, today).await.unwrap());
    assert!(after.contains(&eur(1250)), "{after}");
    let page = owner.get("/customers/1/billing").await;
    assert!(page.body.contains(&after) && !page.body.contains(&before), "the new price at once:\n{}", page.body);
}

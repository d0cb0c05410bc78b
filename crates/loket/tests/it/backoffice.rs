//! The staff back office: the work queue staff land on, and one search box that finds a
//! customer by name, e-mail or VAT number, a document by its number and a service by its domain.

use crate::support;

use support::{Client, TestEnv};

const STAFF_PW: &str = "loket-demo-staff";

#[tokio::test(flavor = "multi_thread")]
async fn staff_land_on_their_work_and_find_anything_from_one_box() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let mut staff = Client::new(&server);
    assert_eq!(staff.sign_in("billing@demo.loket.test", STAFF_PW).await.location.as_deref(), Some("/staff"));
    let work = staff.get("/staff").await;
    assert_eq!(work.status, 200, "{}", work.body);
    assert!(work.body.contains("invoices overdue") && work.body.contains("Longest overdue"), "{}", work.body);
    assert!(work.body.contains("Rossi Web S.r.l."), "the overdue demo card is listed: {}", work.body);
    assert!(work.body.contains("awaiting the customer"));
    // The one statement behind the tiles counts what the queues hold, and each tile shows its count.
    let store = env.store().await;
    let counts = store.work_counts("2026-11-30".parse().unwrap()).await.unwrap();
    let direct = |sql: &'static str| {
        let store = &store;
        async move { sqlx::Row::try_get::<i64, _>(&sqlx::query(sql).fetch_one(store.pool()).await.unwrap(), 0).unwrap() }
    };
    assert_eq!(counts.unmatched_credits, direct("SELECT COUNT(*) FROM bank_entries WHERE state = 'unmatched'").await);
    assert_eq!(counts.unassigned_tickets, direct("SELECT COUNT(*) FROM tickets WHERE active = 1 AND assignee_id IS NULL").await);
    assert_eq!(
        counts.overdue,
        direct("SELECT COUNT(*) FROM invoices WHERE state = 'open' AND kind = 'invoice' AND due_date < '2026-11-30'").await
    );
    assert_eq!(counts.pro_formas, direct("SELECT COUNT(*) FROM invoices WHERE state = 'open' AND kind = 'pro_forma'").await);
    // The monitors per health come in the same statement, for the monitoring block beside the work.
    let by_health: Vec<(String, i64)> =
        sqlx::query_as("SELECT health, COUNT(*) FROM monitors WHERE active = 1 GROUP BY health ORDER BY health")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut monitors = counts.monitors.clone();
    monitors.sort();
    assert!(!by_health.is_empty() && monitors == by_health, "{monitors:?} against {by_health:?}");
    assert!(
        counts.overdue > 0 && counts.unassigned_tickets > 0 && counts.unmatched_credits > 0,
        "the demo has work of each kind: {counts:?}"
    );
    let tile = |n: i64, href: &str| format!("<span class=\"n\">{n}</span><a href=\"{href}\">");
    assert!(work.body.contains(&tile(counts.unmatched_credits, "/staff/bank")), "billing staff see the bank's waiting credits");
    assert!(!work.body.contains("/staff/tickets?assignee=unassigned"), "billing staff do not handle tickets");
    let mut support_staff = Client::new(&server);
    support_staff.sign_in("support@demo.loket.test", STAFF_PW).await;
    let theirs = support_staff.get("/staff").await.body;
    assert!(theirs.contains(&tile(counts.unassigned_tickets, "/staff/tickets?assignee=unassigned")), "{theirs}");

    let by_domain = staff.get("/staff/customers?q=vps.rossiweb").await.body;
    assert!(by_domain.contains("Services by domain or name") && by_domain.contains("/staff/customers/3/services/"), "{by_domain}");
    // Each found service and document names its customer (and a service its plan).
    let (plan,): (String,) = sqlx::query_as(
        "SELECT p.name FROM subscriptions s JOIN plans p ON p.id = s.plan_id WHERE s.label LIKE 'vps.rossiweb%' ORDER BY s.id LIMIT 1",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert!(by_domain.contains("Rossi Web S.r.l.") && by_domain.contains(&plan), "{plan}: {by_domain}");
    // A domain finds its subdomains' services too, and a name is found written together.
    let by_apex = staff.get("/staff/customers?q=rossiweb.it").await.body;
    assert!(by_apex.contains("vps.rossiweb.it") && by_apex.contains("Rossi Web S.r.l."), "{by_apex}");
    let together = staff.get("/staff/customers?q=devries").await.body;
    assert!(together.contains("Bakkerij De Vries"), "{together}");
    let together_folded = staff.get("/staff/customers?q=RossiWeb").await.body;
    assert!(together_folded.contains("href=\"/staff/customers/3\""), "{together_folded}");
    let by_number = staff.get("/staff/customers?q=demo2026-0001").await.body;
    assert!(by_number.contains("Documents by number") && by_number.contains("DEMO2026-00010"), "{by_number}");
    let (owner_name,): (String,) =
        sqlx::query_as("SELECT c.legal_name FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.number = 'DEMO2026-00010'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert!(by_number.contains(&owner_name), "{owner_name}: {by_number}");
    let by_email = staff.get("/staff/customers?q=amministrazione%40rossiweb.test").await.body;
    assert!(by_email.contains("href=\"/staff/customers/3\""), "{by_email}");
    let by_vat = staff.get("/staff/customers?q=IT00743110157").await.body;
    assert!(by_vat.contains("href=\"/staff/customers/3\""), "{by_vat}");
    // Hostile input is just text.
    let odd = staff.get("/staff/customers?q=%27%3B%20DROP%20TABLE%20invoices%3B--").await;
    assert_eq!(odd.status, 200);

    // Customers have no back office.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", "loket-demo-klant").await;
    assert_eq!(owner.get("/staff").await.status, 403);
}

/// Staff make a customer card, start a subscription for it, and record its cancellation that
/// came by registered letter — all from the back office's pages.
#[tokio::test(flavor = "multi_thread")]
async fn staff_make_a_customer_and_a_subscription_and_record_a_letter() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let mut staff = Client::new(&server);
    staff.sign_in("admin@demo.loket.test", STAFF_PW).await;
    let form = staff.get("/staff/customers/new").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("<option value=\"NL\" selected>Netherlands</option>"), "the provider's country first: {}", form.body);
    let csrf = form.csrf();
    let bad = staff
        .post(
            "/staff/customers/new",
            &[("csrf", &csrf), ("kind", "business"), ("legal_name", "Drukkerij Noord B.V."), ("email", "not-an-address")],
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.body.contains("id=\"e-email\"") && bad.body.contains("value=\"Drukkerij Noord B.V.\""),
        "named beside the field, typed kept: {}",
        bad.body
    );
    let fields = [
        ("csrf", csrf.as_str()),
        ("kind", "business"),
        ("legal_name", "Drukkerij Noord B.V."),
        ("street", "Havenweg 3"),
        ("postal_code", "9711 AB"),
        ("city", "Groningen"),
        ("country", "NL"),
        ("email", "info@drukkerijnoord.test"),
        ("language", "nl"),
        ("payment_method", "invoice"),
    ];
    let made = staff.post("/staff/customers/new", &fields).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let card = made.location.unwrap();
    let id: i64 = card.rsplit('/').next().unwrap().parse().unwrap();

    let billing = staff.get(&format!("{card}/billing")).await;
    let csrf = billing.csrf();
    let path = format!("{card}/subscriptions");
    let bad = staff
        .post(&path, &[("csrf", &csrf), ("plan", "hosting-basis"), ("label", "drukkerijnoord.nl"), ("start_date", "2026-02-30")])
        .await;
    assert_eq!(bad.status, 400);
    let ok = staff
        .post(&path, &[("csrf", &csrf), ("plan", "hosting-basis"), ("label", "drukkerijnoord.nl"), ("start_date", "2026-11-30")])
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let store = env.store().await;
    let sub = store.customer_subscriptions(id).await.unwrap().pop().expect("the subscription");
    assert_eq!((sub.label.as_str(), sub.start_date.to_string().as_str()), ("drukkerijnoord.nl", "2026-11-30"));

    let form = [("csrf", csrf.as_str()), ("received_on", "2026-11-30"), ("channel", "registered_letter")];
    let done = staff.post(&format!("{card}/subscriptions/{}/cancellation", sub.id), &form).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(store.subscription(sub.id).await.unwrap().unwrap().cancel_channel.as_deref(), Some("registered_letter"));
    // An extra mailbox on the hosting: the form offers the card's services to add it to.
    let page = staff.get(&format!("{card}/billing")).await;
    assert!(page.body.contains(&format!("<option value=\"{}\">Hosting Basis — drukkerijnoord.nl</option>", sub.id)), "{}", page.body);
    let parent = sub.id.to_string();
    for (parent, status) in [("hosting", 400), (parent.as_str(), 303)] {
        let form = [
            ("csrf", csrf.as_str()),
            ("plan", "mailbox"),
            ("label", "info@drukkerijnoord.nl"),
            ("start_date", "2026-12-15"),
            ("parent_id", parent),
        ];
        let res = staff.post(&path, &form).await;
        assert_eq!(res.status, status, "{}", res.body);
        if status == 400 {
            assert!(res.body.contains("choose a service from the list"), "{}", res.body);
        }
    }
    let add_on = store.customer_subscriptions(id).await.unwrap().pop().unwrap();
    assert_eq!((add_on.parent_id, add_on.aligned_to), (Some(sub.id), Some(sub.start_date)));
    let page = staff.get(&format!("{card}/billing")).await;
    assert!(page.body.contains("add-on to drukkerijnoord.nl, invoiced with it"), "{}", page.body);

    // The new card gets its owner: staff invite them by e-mail, from the provider; a wrong
    // address is named beside the field.
    let page = staff.get(&card).await;
    assert!(page.body.contains("Invite a user") && page.body.contains("<option value=\"owner\" selected>"), "{}", page.body);
    let csrf = page.csrf();
    let wrong = staff.post(&format!("{card}/invitations"), &[("csrf", &csrf), ("email", "jan at drukkerij"), ("role", "owner")]).await;
    assert_eq!(wrong.status, 400, "{}", wrong.body);
    assert!(wrong.body.contains("This is not an e-mail address"), "{}", wrong.body);
    let sent =
        staff.post(&format!("{card}/invitations"), &[("csrf", &csrf), ("email", "Jan@DrukkerijNoord.test"), ("role", "owner")]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let back = staff.get(sent.location.as_deref().unwrap()).await;
    assert!(back.body.contains("An invitation has been sent to jan@drukkerijnoord.test"), "{}", back.body);
    let mail = store
        .mails(1000)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.template == "invitation" && m.rcpt_to.iter().any(|r| r.eq_ignore_ascii_case("jan@drukkerijnoord.test")));
    assert!(mail.is_some(), "the invitation is mailed");

    // Support staff may look at customers, not make them nor invite to them.
    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", STAFF_PW).await;
    assert_eq!(support.get("/staff/customers/new").await.status, 403);
    let card_page = support.get(&card).await;
    assert!(!card_page.body.contains("Invite a user"));
    let refused =
        support.post(&format!("{card}/invitations"), &[("csrf", &card_page.csrf()), ("email", "x@y.test"), ("role", "owner")]).await;
    assert_eq!(refused.status, 403);
}

/// Staff invoice a one-off job by hand, credit part of that invoice, and read the catalogue
/// and the audit log that recorded both; a support employee may do neither.
#[tokio::test(flavor = "multi_thread")]
async fn staff_invoice_by_hand_credit_a_line_and_read_the_log() {
    use loket_store::billing::documents::{DocKind, DocumentFilter};
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual("2026-11-30T11:00:00Z".parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let store = env.store().await;
    let mut staff = Client::new(&server);
    staff.sign_in("billing@demo.loket.test", STAFF_PW).await;
    let page = staff.get("/staff/customers/2/billing").await;
    assert!(page.body.contains("Manual invoice"), "{}", page.body);
    let csrf = page.csrf();
    let bad =
        staff.post("/staff/customers/2/items", &[("csrf", &csrf), ("description", ""), ("quantity", "1,5x"), ("unit_price", "85")]).await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("Fill this in."), "{}", bad.body);
    let count = |docs: &[loket_store::billing::documents::DocumentSummary]| docs.iter().filter(|d| d.kind == DocKind::Invoice).count();
    let all = DocumentFilter { customer_id: Some(2), limit: 1000, ..Default::default() };
    let before = count(&store.documents(&all).await.unwrap());
    let form = [
        ("csrf", csrf.as_str()),
        ("description", "Migratie van de oude website"),
        ("quantity", "1.5"),
        ("unit_price", "85.00"),
        ("vat_category", "standard"),
        ("invoice_now", "true"),
    ];
    let made = staff.post("/staff/customers/2/items", &form).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let to = made.location.unwrap();
    assert!(to.contains("invoiced="), "{to}");
    assert!(staff.get(&to).await.body.contains("has been issued and sent"));
    let docs = store.documents(&all).await.unwrap();
    assert_eq!(count(&docs), before + 1);
    let invoice = docs.iter().filter(|d| d.kind == DocKind::Invoice).max_by_key(|d| d.id).unwrap();
    // 1.5 × 85.00 = 127.50 net; a private customer in the Netherlands: 21 % VAT.
    assert_eq!((invoice.net, invoice.gross), (12_750, 15_428));

    // A credit note for that invoice's line, named after the invoice.
    let inv_page = staff.get(&format!("/staff/customers/2/invoices/{}", invoice.id)).await;
    assert!(inv_page.body.contains("Credit note"), "{}", inv_page.body);
    let path = format!("/staff/customers/2/invoices/{}/credit", invoice.id);
    let no_reason = staff.post(&path, &[("csrf", &csrf), ("whole", "true"), ("reason", ""), ("issue_date", "2026-11-30")]).await;
    assert_eq!(no_reason.status, 400);
    let credited =
        staff.post(&path, &[("csrf", &csrf), ("line", "1"), ("reason", "Dubbel gefactureerd"), ("issue_date", "2026-11-30")]).await;
    assert_eq!(credited.status, 303, "{}", credited.body);
    let cn = store.documents(&all).await.unwrap().into_iter().filter(|d| d.kind == DocKind::CreditNote).max_by_key(|d| d.id).unwrap();
    assert_eq!(cn.gross, 15_428, "the whole line, with its VAT");
    assert!(credited.location.unwrap().contains(&cn.number));

    // The catalogue in plain words; the audit log shows both documents' actions.
    let catalog = staff.get("/staff/catalog").await;
    assert_eq!(catalog.status, 200);
    assert!(catalog.body.contains("hosting-basis") && catalog.body.contains("For private customers"), "{}", catalog.body);
    // Prices and kinds in the reader's words, not the file's codes.
    assert!(catalog.body.contains("per quarter") && catalog.body.contains("· domain name</small>"), "{}", catalog.body);
    assert!(!catalog.body.contains("/ quarter") && !catalog.body.contains("· add_on"), "{}", catalog.body);
    // Filtered by what they are about: the demo's mail jobs keep adding entries of their own
    // while this runs, and on a busy machine they fill the unfiltered first page.
    let log = staff.get("/staff/audit").await;
    assert_eq!(log.status, 200);
    let items = staff.get("/staff/audit?entity=billable_item").await;
    assert!(items.body.contains("billing.item"), "{}", items.body);
    let invoices = staff.get("/staff/audit?entity=invoice").await;
    assert!(invoices.body.contains("credit_note.issue"), "{}", invoices.body);
    assert!(staff.get("/staff/audit?before=999999999&entity=%3Cscript%3E").await.body.contains("No entries."));

    let mut support = Client::new(&server);
    support.sign_in("support@demo.loket.test", STAFF_PW).await;
    assert_eq!(support.get("/staff/audit").await.status, 403, "support staff do not read the audit log");
    let s_csrf = support.get("/staff/customers/2/billing").await.csrf();
    assert_eq!(
        support
            .post("/staff/customers/2/items", &[("csrf", &s_csrf), ("description", "x"), ("quantity", "1"), ("unit_price", "1")])
            .await
            .status,
        403
    );
}

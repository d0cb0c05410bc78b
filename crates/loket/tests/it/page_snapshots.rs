//! Pages as their reader gets them, snapshotted (insta) on a fixed clock and the demo data, so a
//! change to a template, a translation or a number format shows up as a reviewed diff. Only the
//! page's `<main>` is kept; the CSRF token, which changes per session, is blanked.

use crate::support;

use loket_store::billing::documents::{DocKind, DocumentFilter};
use support::{Client, TestEnv};

/// The demo's "today": every date on the demo pages follows from it.
const NOW: &str = "2026-11-30T11:00:00Z";

fn main_of(body: &str) -> String {
    let start = body.find("<main").unwrap_or_else(|| panic!("no <main> in:\n{body}"));
    let end = body.find("</main>").map(|e| e + 7).unwrap_or(body.len());
    let main = &body[start..end];
    let marker = "name=\"csrf\" value=\"";
    let mut out = String::with_capacity(main.len());
    let mut rest = main;
    while let Some(at) = rest.find(marker) {
        let value = &rest[at + marker.len()..];
        out.push_str(&rest[..at + marker.len()]);
        out.push('…');
        rest = &value[value.find('"').unwrap_or(0)..];
    }
    out.push_str(rest);
    let main = out;
    // One line per tag keeps the diffs small.
    main.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_and_the_demo_invoices_in_every_language() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual(NOW.parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    let mut anonymous = Client::new(&server);
    for lang in ["nl", "it", "en"] {
        let page = anonymous.get(&format!("/sign-in?lang={lang}")).await;
        assert_eq!(page.status, 200);
        insta::assert_snapshot!(format!("sign_in-{lang}"), main_of(&page.body));
    }
    let missing = anonymous.get("/no-such-page?lang=it").await;
    assert_eq!(missing.status, 404);
    insta::assert_snapshot!("not_found-it", main_of(&missing.body));

    // Rossi (it) has an invoice with a credit note; Jansen (nl) a consumer's open invoice.
    let store = env.store().await;
    for (card, email, lang) in [(3, "mario@rossiweb.test", "it"), (2, "jan@jansen.test", "nl")] {
        let mut owner = Client::new(&server);
        assert_eq!(owner.sign_in(email, loket::demo::DEMO_CUSTOMER_PASSWORD).await.status, 303);
        let docs = store.documents(&DocumentFilter { customer_id: Some(card), limit: 100, ..Default::default() }).await.unwrap();
        for kind in [DocKind::Invoice, DocKind::CreditNote] {
            let Some(doc) = docs.iter().find(|d| d.kind == kind) else { continue };
            let page = owner.get(&format!("/customers/{card}/invoices/{}?lang={lang}", doc.id)).await;
            assert_eq!(page.status, 200, "{}", page.body);
            insta::assert_snapshot!(format!("document-{}-{lang}", kind.name()), main_of(&page.body));
        }
    }

    // A hosting package's usage page (the demo feeds 120 days of points), and the dashboard.
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", loket::demo::DEMO_CUSTOMER_PASSWORD).await;
    let page = owner.get("/customers/1/services/1?lang=nl").await;
    assert_eq!(page.status, 200, "{}", page.body);
    insta::assert_snapshot!("service-usage-nl", main_of(&page.body));
    let mut stranger = Client::new(&server);
    stranger.sign_in("mario@rossiweb.test", loket::demo::DEMO_CUSTOMER_PASSWORD).await;
    assert_eq!(stranger.get("/customers/1/services/1").await.status, 404, "another card's service");
    assert_eq!(stranger.get("/customers/3/services/1").await.status, 404, "a service of another card under one's own");
    let dashboard = stranger.get("/?lang=en").await;
    assert!(dashboard.body.contains("Rossi Web S.r.l.") && dashboard.body.contains("invoices overdue"), "{}", dashboard.body);
    assert!(!dashboard.body.contains("Bakkerij"), "only the reader's own cards");
}

/// The pages askama compiles (the dashboard, a service) and those minijinja renders (the
/// notifications, the billing page) wear the same chrome: the same head links, header, menu
/// (with the page's section marked) and footer, in the reader's language, for customers and
/// staff alike. Only the title and the marked section may differ.
#[tokio::test(flavor = "multi_thread")]
async fn compiled_and_runtime_pages_share_one_chrome() {
    let env = TestEnv::new().await;
    let clock = loket_app::Clock::manual(NOW.parse().unwrap());
    let server = env.serve_at(&["--demo"], &[], clock);
    // The page without its title, its content and the one menu link marked as the current page.
    fn chrome(body: &str) -> String {
        let title = (body.find("<title>").expect("a title"), body.find("</title>").expect("a title's end"));
        let main = (body.find("<main id=\"main\">").expect("a main"), body.find("</main>").expect("a main's end"));
        let mut out = format!("{}{}{}", &body[..title.0], &body[title.1..main.0], &body[main.1..]);
        out = out.replace(" aria-current=\"page\"", "");
        out.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
    }
    let mut owner = Client::new(&server);
    owner.sign_in("eigenaar@bakkerijdevries.test", loket::demo::DEMO_CUSTOMER_PASSWORD).await;
    for lang in ["nl", "it", "en"] {
        let mut pages = Vec::new();
        for path in ["/", "/customers/1/services/1", "/customers/1/notifications", "/customers/1/billing"] {
            let page = owner.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            assert!(page.body.contains(&format!("<html lang=\"{lang}\">")), "{path} in {lang}");
            pages.push((path, chrome(&page.body)));
        }
        let (first, expected) = &pages[0];
        assert!(expected.contains("/customers/1/invoices") && expected.contains("/sign-out"), "{first}: the menu and sign-out");
        for (path, got) in &pages[1..] {
            assert_eq!(got, expected, "{path} and {first} in {lang}");
        }
    }
    // Staff: the back office's dashboard (minijinja) and a card's service (askama).
    let mut staff = Client::new(&server);
    staff.sign_in("admin@demo.loket.test", loket::demo::DEMO_STAFF_PASSWORD).await;
    let work = chrome(&staff.get("/staff?lang=en").await.body);
    let service = staff.get("/staff/customers/1/services/1?lang=en").await;
    assert_eq!(service.status, 200, "{}", service.body);
    assert!(work.contains("/staff/customers") && !work.contains("/customers/1/invoices"), "the back office's menu: {work}");
    assert_eq!(chrome(&service.body), work);
}

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

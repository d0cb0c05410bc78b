//! The staff back office: the work queue staff land on, and one search box that finds a
//! customer by name, e-mail or VAT number, a document by its number and a service by its domain.

mod support;

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
    assert!(work.body.contains("renewal offers awaiting the customer"));

    let by_domain = staff.get("/staff/customers?q=vps.rossiweb").await.body;
    assert!(by_domain.contains("Services by domain or name") && by_domain.contains("/staff/customers/3/services/"), "{by_domain}");
    let by_number = staff.get("/staff/customers?q=demo2026-0001").await.body;
    assert!(by_number.contains("Documents by number") && by_number.contains("DEMO2026-00010"), "{by_number}");
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

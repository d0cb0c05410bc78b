//! The use of hosting services fed by file (`loket usage import`) and by API (`POST
//! /api/v1/usage`): all rows or none, bad rows named by line or index, a day fed again replaces
//! its figures, and only the card's own users and staff read a service's points.

use crate::support;

use serde_json::{Value, json};
use sqlx::Row;
use support::{TestEnv, call, token};

/// A demo subscription of card `customer` of product kind `kind`.
async fn subscription_of_kind(env: &TestEnv, customer: i64, kind: &str) -> i64 {
    let store = env.store().await;
    let row = sqlx::query(
        "SELECT s.id FROM subscriptions s JOIN plans l ON l.id = s.plan_id JOIN products p ON p.id = l.product_id \
         WHERE s.customer_id = $1 AND p.kind = $2 ORDER BY s.id LIMIT 1",
    )
    .bind(customer)
    .bind(kind)
    .fetch_one(store.pool())
    .await
    .unwrap();
    row.get::<i64, _>(0)
}

/// A demo hosting package of card `customer`.
async fn subscription_of(env: &TestEnv, customer: i64) -> i64 {
    subscription_of_kind(env, customer, "hosting").await
}

async fn count(env: &TestEnv) -> i64 {
    let store = env.store().await;
    sqlx::query("SELECT COUNT(*) FROM usage_points").fetch_one(store.pool()).await.unwrap().get::<i64, _>(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_usage_file_is_imported_whole_or_not_at_all() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let sub = subscription_of(&env, 1).await;
    // The demo fed the last months; these tests feed January 2031, after the services started.
    let base = count(&env).await;
    let file = env.path().join("usage.csv");
    std::fs::write(
        &file,
        format!("subscription_id,date,storage_mb,traffic_mb,storage_quota_mb,traffic_quota_mb\n{sub},2031-01-01,1500,230,10240,\n{sub},2031-01-02,1510,0,10240,\n"),
    )
    .unwrap();
    let out = env.ok(&["usage", "import", file.to_str().unwrap()]);
    assert!(out.contains("imported 2 points for 1 services"), "{out}");
    // The same days again, with new figures: replaced, not added.
    std::fs::write(&file, format!("subscription_id,date,storage_mb,traffic_mb\n{sub},2031-01-02,1600,40\n")).unwrap();
    env.ok(&["usage", "import", file.to_str().unwrap()]);
    assert_eq!(count(&env).await, base + 2);
    let store = env.store().await;
    let points = store.usage_points(sub, "2031-01-01".parse().unwrap(), "2031-01-30".parse().unwrap()).await.unwrap();
    assert_eq!(
        points.iter().map(|p| (p.day.to_string(), p.storage_mb, p.storage_quota_mb)).collect::<Vec<_>>(),
        [("2031-01-01".to_string(), 1500, Some(10240)), ("2031-01-02".to_string(), 1600, None)]
    );

    // One good row, a bad date, an unknown service: nothing is imported, each is named by line.
    std::fs::write(&file, format!("subscription_id,date,storage_mb,traffic_mb\n{sub},2031-01-03,1,1\n{sub},2031-01-32,1,1\n")).unwrap();
    let bad = env.run(&["usage", "import", file.to_str().unwrap()]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("nothing imported") && err.contains("line 3: date"), "{err}");
    std::fs::write(&file, format!("subscription_id,date,storage_mb,traffic_mb\n{sub},2031-01-03,1,1\n\n999999,2031-01-03,1,1\n")).unwrap();
    let bad = env.run(&["usage", "import", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success() && err.contains("line 4: subscription_id: there is no subscription 999999"), "{err}");
    assert_eq!(count(&env).await, base + 2, "nothing of a refused file is stored");

    // A spreadsheet's file (quoted cells, semicolons, its own column order) with every kind of
    // problem: all are named in one round, in the order of the lines.
    let domain = subscription_of_kind(&env, 1, "domain").await;
    let start: String =
        sqlx::query("SELECT start_date FROM subscriptions WHERE id = $1").bind(sub).fetch_one(store.pool()).await.unwrap().get(0);
    let before = start.parse::<jiff::civil::Date>().unwrap().yesterday().unwrap();
    std::fs::write(
        &file,
        format!(
            "\"date\";\"subscription_id\";\"storage_mb\";\"traffic_mb\"\r\n\"2031-01-04\";\"{sub}\";\"1\";\"1\"\r\n\
             2031-01-04;{domain};1;1\r\n{before};{sub};1;1\r\n2031-01-05;{sub};x;1\r\n2031-01-05;424242;1;1\r\n"
        ),
    )
    .unwrap();
    let bad = env.run(&["usage", "import", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&bad.stderr);
    let at = |needle: &str| err.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {err}"));
    assert!(at("line 3: subscription_id: subscription") < at("line 4: date:"), "{err}");
    assert!(err.contains("which has no storage or traffic") && err.contains(&format!("starts on {start}")), "{err}");
    assert!(at("line 4: date:") < at("line 5: storage_mb") && at("line 5: storage_mb") < at("line 6: subscription_id"), "{err}");
    assert_eq!(count(&env).await, base + 2);
    std::fs::write(
        &file,
        format!("\"date\";\"subscription_id\";\"storage_mb\";\"traffic_mb\"\r\n\"2031-01-04\";\"{sub}\";\"1\";\"1\"\r\n"),
    )
    .unwrap();
    assert!(env.ok(&["usage", "import", file.to_str().unwrap()]).contains("imported 1 points"));
    assert_eq!(count(&env).await, base + 3);
    let missing = env.run(&["usage", "import", "/no/such/file.csv"]);
    assert!(!missing.status.success() && String::from_utf8_lossy(&missing.stderr).contains("/no/such/file.csv"));
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_by_api_for_staff_and_the_cards_own_users() {
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let own = subscription_of(&env, 1).await;
    let other = subscription_of(&env, 3).await;
    let feeder = token(&env, "billing@demo.loket.test", "usage:write");
    let base = count(&env).await;
    let owner = token(&env, "eigenaar@bakkerijdevries.test", "billing:read");
    let server = env.serve(&[], &[]);
    let post = |t: &str, body: Value| call(reqwest::Method::POST, server.url("/api/v1/usage"), t.to_string(), Some(body));
    let (status, r) = post(
        &feeder,
        json!({"points": [
            {"subscription_id": own, "date": "2031-01-01", "storage_mb": 900, "traffic_mb": 12, "storage_quota_mb": 10240},
            {"subscription_id": own, "date": "2031-01-02", "storage_mb": 910, "traffic_mb": 15},
            {"subscription_id": other, "date": "2031-01-01", "storage_mb": 5, "traffic_mb": 1}
        ]}),
    )
    .await;
    assert_eq!((status, &r), (200, &json!({"points": 3, "services": 2})));
    // Fed again: the same three rows.
    post(&feeder, json!({"points": [{"subscription_id": own, "date": "2031-01-02", "storage_mb": 920, "traffic_mb": 15}]})).await;
    assert_eq!(count(&env).await, base + 3);

    // Bad points are named by index; the good ones beside them are not stored.
    let (status, e) = post(
        &feeder,
        json!({"points": [
            {"subscription_id": own, "date": "2031-01-05", "storage_mb": 1, "traffic_mb": 1},
            {"subscription_id": own, "date": "2031-02-30", "storage_mb": -1, "traffic_mb": 1}
        ]}),
    )
    .await;
    assert_eq!(status, 400, "{e}");
    let text = e.to_string();
    assert!(text.contains("points[1].date") && text.contains("points[1].storage_mb"), "{text}");
    let (status, e) =
        post(&feeder, json!({"points": [{"subscription_id": 424242, "date": "2031-01-05", "storage_mb": 1, "traffic_mb": 1}]})).await;
    assert!(status == 400 && e.to_string().contains("points[0].subscription_id"), "{e}");
    let (status, e) = post(
        &feeder,
        json!({"points": [
            {"subscription_id": own, "date": "2031-01-05", "storage_mb": 1, "traffic_mb": 1},
            {"subscription_id": own, "date": "2031-01-05", "storage_mb": 2, "traffic_mb": 1}
        ]}),
    )
    .await;
    assert!(status == 400 && e.to_string().contains("points[1].date"), "{e}");
    assert_eq!(post(&feeder, json!({"points": []})).await.0, 400);
    assert_eq!(count(&env).await, base + 3);
    // A customer's token cannot feed usage.
    assert_eq!(
        post(&owner, json!({"points": [{"subscription_id": own, "date": "2031-01-05", "storage_mb": 1, "traffic_mb": 1}]})).await.0,
        403
    );

    // The owner reads its own service's points, not another card's.
    let get = |t: &str, path: String| call(reqwest::Method::GET, server.url(&path), t.to_string(), None);
    let (status, u) = get(&owner, format!("/api/v1/subscriptions/{own}/usage?from=2031-01-01&to=2031-01-30")).await;
    assert_eq!(status, 200, "{u}");
    assert_eq!(u["points"].as_array().unwrap().len(), 2);
    assert_eq!(u["points"][1]["storage_mb"], 920);
    assert_eq!(u["points"][0]["storage_quota_mb"], 10240);
    assert_eq!(get(&owner, format!("/api/v1/subscriptions/{other}/usage")).await.0, 404);
    assert_eq!(get(&owner, format!("/api/v1/subscriptions/{own}/usage?from=2031-02-01&to=2031-01-01")).await.0, 400);
    assert_eq!(get(&owner, format!("/api/v1/subscriptions/{own}/usage?from=2001-01-01&to=2031-01-01")).await.0, 400);
}

/// Pages read a service's points packed per month (`usage_months`), which every feed writes
/// again with its points: a range that starts and ends inside a month reads exactly its days, a
/// day fed again shows its new figures, and two feeds of one month at once both stay (on
/// PostgreSQL the later one waits for the month the first one packs, and packs it again after).
#[tokio::test(flavor = "multi_thread")]
async fn the_months_pages_read_keep_every_day_fed() {
    use loket_domain::usage::UsagePoint;
    let env = TestEnv::new().await;
    env.ok(&["demo"]);
    let sub = subscription_of(&env, 1).await;
    let store = env.store().await;
    let point = move |day: &str, storage_mb: i64| UsagePoint {
        subscription_id: sub,
        day: day.parse().unwrap(),
        storage_mb,
        traffic_mb: 1,
        storage_quota_mb: None,
        traffic_quota_mb: Some(50),
    };
    let feed = |store: loket_store::Store, points: Vec<UsagePoint>| async move {
        let mut tx = store.begin().await.unwrap();
        loket_store::usage::record(&mut tx, &points).await.unwrap();
        tx
    };
    let days = |points: Vec<UsagePoint>| points.iter().map(|p| (p.day.to_string(), p.storage_mb)).collect::<Vec<_>>();
    let read = |from: &str, to: &str| store.usage_points(sub, from.parse().unwrap(), to.parse().unwrap());

    let four = vec![point("2030-12-31", 1), point("2031-01-01", 2), point("2031-01-31", 3), point("2031-02-01", 4)];
    feed(store.clone(), four).await.commit().await.unwrap();
    feed(store.clone(), vec![point("2031-01-31", 30)]).await.commit().await.unwrap();
    assert_eq!(days(read("2031-01-01", "2031-01-31").await.unwrap()), [("2031-01-01".into(), 2), ("2031-01-31".into(), 30)]);
    assert_eq!(days(read("2031-01-31", "2031-02-01").await.unwrap()), [("2031-01-31".into(), 30), ("2031-02-01".into(), 4)]);
    assert_eq!(read("2030-12-31", "2031-02-01").await.unwrap().len(), 4);
    assert!(read("2031-02-02", "2031-02-28").await.unwrap().is_empty());
    assert_eq!(read("2031-01-01", "2031-01-01").await.unwrap()[0].traffic_quota_mb, Some(50));

    // March exists already; two feeds of it at once each add a day, and both days stay.
    feed(store.clone(), vec![point("2031-03-01", 1)]).await.commit().await.unwrap();
    let first = feed(store.clone(), vec![point("2031-03-10", 10)]).await;
    let second = tokio::spawn(feed(store.clone(), vec![point("2031-03-11", 11)]));
    // Long enough for the second feed to reach the month the first one holds.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    first.commit().await.unwrap();
    second.await.unwrap().commit().await.unwrap();
    assert_eq!(
        days(read("2031-03-01", "2031-03-31").await.unwrap()),
        [("2031-03-01".into(), 1), ("2031-03-10".into(), 10), ("2031-03-11".into(), 11)]
    );
}

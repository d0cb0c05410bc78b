//! Invariants checked inside the transactions that change the data (issue 8, defect 6): two
//! owners demoted at the same moment leave the card one owner, and payments arriving together on
//! a small pool complete instead of waiting on a second connection while holding the first.

use crate::support;

use loket_domain::Language;
use loket_domain::access::MemberRole;
use loket_store::accounts::{NewUser, add_membership, create_user};
use serde_json::json;
use support::world::*;

#[tokio::test(flavor = "multi_thread")]
async fn two_owners_demoted_at_once_leave_the_card_one_owner() {
    let w = World::new("ecm2").await;
    let store = w.env.store().await;
    for round in 0..8 {
        let c = w.customer(nl_business(&format!("Klant {round}"))).await;
        let mut owners = Vec::new();
        let mut tx = store.begin().await.unwrap();
        for k in 0..2 {
            let email = format!("owner{k}-{round}@klant.test");
            let id = create_user(
                &mut tx,
                &NewUser { email: &email, name: "Owner", password_hash: None, language: Language::Nl, staff_role: None },
            )
            .await
            .unwrap();
            add_membership(&mut tx, id, c, MemberRole::Owner, MemberRole::Owner.default_permissions()).await.unwrap();
            owners.push(id);
        }
        loket_store::commit(tx).await.unwrap();
        let w = &w;
        let demote = |user: i64| {
            let path = format!("/api/v1/customers/{c}/members/{user}");
            async move { w.put(&path, json!({"role": "contact"})).await.0 }
        };
        let (a, b) = tokio::join!(demote(owners[0]), demote(owners[1]));
        let mut answers = [a, b];
        answers.sort();
        assert_eq!(answers, [204, 400], "round {round}: one demotion, one refusal");
        let members = store.members(c).await.unwrap();
        assert_eq!(members.iter().filter(|m| m.role == "owner").count(), 1, "round {round}: {members:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn payments_arriving_together_on_a_small_pool_all_complete() {
    let w = World::with("ecm2", &[("LOKET_SERVER_DATABASE_MAX_CONNECTIONS", "2".into())]).await;
    let mut invoices = Vec::new();
    for i in 0..12 {
        let c = w.customer(nl_business(&format!("Betaler {i}"))).await;
        w.subscribe(c, "hosting-basis", "site.nl", "2027-01-01").await;
    }
    w.run("2027-01-01", "2027-01-01");
    for d in w.get("/api/v1/invoices").await.as_array().unwrap() {
        invoices.push(d["id"].as_i64().unwrap());
    }
    assert_eq!(invoices.len(), 12);
    let started = std::time::Instant::now();
    let w = &w;
    let pays = invoices.iter().map(|id| {
        let body = json!({"invoice_id": id, "amount": "36.12", "method": "bank_transfer", "received_on": "2027-01-05"});
        async move { w.post("/api/v1/payments", body).await.0 }
    });
    let answers = futures_util::future::join_all(pays).await;
    assert!(answers.iter().all(|s| *s == 201), "{answers:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(8), "no payment waited on the pool: {:?}", started.elapsed());
    assert!(w.documents().await.iter().all(|d| d.4 == "paid"));
}

/// `Store::acquire` hands out at most the configured number of connections: a caller waits for
/// one instead of failing, a dropped connection comes back, and one dropped in the middle of a
/// query answers the next caller correctly (on SQLite these are Loket's own connections, taken
/// back without sqlx's round trip; on PostgreSQL sqlx's pool).
#[tokio::test(flavor = "multi_thread")]
async fn connections_come_back_even_when_dropped_half_way() {
    use sqlx::Row;
    let env = support::TestEnv::new().await;
    env.store().await.close().await;
    let store = loket_store::Store::connect(&env.database_url, 2).await.unwrap();
    let a = store.acquire().await.unwrap();
    let b = store.acquire().await.unwrap();
    // Both are out: a third waits.
    let third = tokio::time::timeout(std::time::Duration::from_millis(200), store.acquire()).await;
    assert!(third.is_err(), "a third connection while two are out");
    drop(a);
    let mut c = tokio::time::timeout(std::time::Duration::from_secs(5), store.acquire()).await.expect("one came back").unwrap();
    // A long query given up after a moment: its connection goes back half-way.
    let long = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) SELECT CAST(COUNT(*) AS BIGINT) FROM n";
    let given_up = tokio::time::timeout(std::time::Duration::from_millis(5), sqlx::query(long).fetch_one(&mut *c)).await;
    assert!(given_up.is_err(), "the long query should still run after 5 ms");
    drop(c);
    drop(b);
    for k in 0..6i64 {
        let mut conn = store.acquire().await.unwrap();
        let row = sqlx::query("SELECT CAST($1 AS BIGINT) + 1").bind(k).fetch_one(&mut *conn).await.unwrap();
        assert_eq!(row.try_get::<i64, _>(0).unwrap(), k + 1, "round {k}: the answer to this query, not a left-over row");
    }
    store.close().await;
}

/// On PostgreSQL a connection back from work a moment ago is used without a test round trip,
/// and one that sat idle is tested first: one the server cut while it sat idle (a restart, a
/// firewall) is replaced instead of failing the next request.
#[tokio::test(flavor = "multi_thread")]
async fn a_connection_cut_while_idle_is_replaced() {
    use sqlx::Row;
    let env = support::TestEnv::new().await;
    if !env.is_postgres() {
        return;
    }
    env.store().await.close().await;
    let store = loket_store::Store::connect(&env.database_url, 1).await.unwrap();
    let pid: i32 = {
        let mut conn = store.acquire().await.unwrap();
        sqlx::query("SELECT pg_backend_pid()").fetch_one(&mut *conn).await.unwrap().try_get(0).unwrap()
    };
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let other = loket_store::Store::connect(&env.database_url, 1).await.unwrap();
    let cut: bool = sqlx::query("SELECT pg_terminate_backend($1)").bind(pid).fetch_one(other.pool()).await.unwrap().try_get(0).unwrap();
    assert!(cut, "the idle connection was cut");
    other.close().await;
    let mut conn = store.acquire().await.unwrap();
    let row = sqlx::query("SELECT pg_backend_pid()").fetch_one(&mut *conn).await.expect("a new connection, not the cut one");
    assert_ne!(row.try_get::<i32, _>(0).unwrap(), pid);
    drop(conn);
    store.close().await;
}

/// A page keeps one PostgreSQL connection for its statements (`keep_connection`), and gives it
/// back before it begins a transaction: on a pool of one, a page that reads and then writes
/// gets its transaction instead of waiting for a connection it keeps itself.
#[tokio::test(flavor = "multi_thread")]
async fn a_page_keeps_one_connection_and_lets_it_go_for_a_transaction() {
    use sqlx::Row;
    let env = support::TestEnv::new().await;
    if !env.is_postgres() {
        return;
    }
    env.store().await.close().await;
    let store = loket_store::Store::connect(&env.database_url, 1).await.unwrap();
    let pid = |store: loket_store::Store| async move {
        let mut conn = store.acquire().await.unwrap();
        sqlx::query("SELECT pg_backend_pid()").fetch_one(&mut *conn).await.unwrap().try_get::<i32, _>(0).unwrap()
    };
    let page = loket_store::keep_connection(async {
        let first = pid(store.clone()).await;
        let second = pid(store.clone()).await;
        assert_eq!(first, second, "both statements on the kept connection");
        // Reading, then writing: the transaction must not wait for the kept connection.
        let tx =
            tokio::time::timeout(std::time::Duration::from_secs(3), store.begin()).await.expect("the kept connection was let go").unwrap();
        loket_store::commit(tx).await.unwrap();
        // Kept again after the transaction, and let go on request.
        let third = pid(store.clone()).await;
        loket_store::let_go();
        // Let go: a statement now takes the pool's one connection again without waiting.
        let again =
            tokio::time::timeout(std::time::Duration::from_secs(3), pid(store.clone())).await.expect("the pool's connection is free");
        assert_eq!(again, third);
        third
    });
    let third = tokio::time::timeout(std::time::Duration::from_secs(10), page).await.expect("no deadlock");
    // Outside a page the pool hands the same one connection out again.
    assert_eq!(pid(store.clone()).await, third);
    store.close().await;
}

//! `loket bench tickets --tickets N`: fills a database that `bench billing` filled with N
//! tickets spread over its cards (one in ten still needing work, the rest resolved or closed,
//! a few without a card), for the page benchmark (`bench/pages.sh`): the staff queue and a
//! customer's ticket list with a million tickets in the database. Written in multi-row
//! statements; it measures nothing itself.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use loket_domain::helpdesk::ticket::{Category, Channel, Priority, Status};
use loket_store::helpdesk::{BulkTicket, insert_bulk};

use loket::app::App;

pub async fn tickets(app: &App, count: u64) -> anyhow::Result<()> {
    let customers = {
        let mut conn = app.store.acquire().await?;
        loket_store::customers::count(&mut conn).await?
    };
    anyhow::ensure!(customers > 0, "the database has no customers: run `loket bench billing` on it first");
    let started = Instant::now();
    let now = Timestamp::now();
    let statuses = [
        Status::Closed,
        Status::Resolved,
        Status::Closed,
        Status::Closed,
        Status::Resolved,
        Status::Closed,
        Status::Closed,
        Status::Resolved,
        Status::Closed,
    ];
    let active = [Status::New, Status::Open, Status::WaitingOnCustomer, Status::Escalated];
    let mut written = 0u64;
    while written < count {
        let n = (count - written).min(50_000);
        let batch: Vec<BulkTicket> = (written..written + n)
            .map(|i| {
                let status = if i % 10 == 0 { active[(i / 10 % 4) as usize] } else { statuses[(i % 9) as usize] };
                BulkTicket {
                    customer_id: if i % 97 == 0 { None } else { Some(super::bench_customer(i, customers)) },
                    subject: format!("Vraag {i}: website traag"),
                    status,
                    priority: Priority::ALL[(i % 4) as usize],
                    category: Category::ALL[(i % 7) as usize],
                    channel: Channel::Email,
                    requester_email: format!("klant{}@bench.test", i % 50_000),
                    assignee_id: None,
                    // Oldest first: a million tickets over about three years.
                    last_activity_at: now.checked_sub(SignedDuration::from_secs(((count - i) * 97) as i64)).unwrap_or(now),
                }
            })
            .collect();
        let mut tx = app.store.begin().await?;
        insert_bulk(&mut tx, app.services().today().year(), &batch).await?;
        tx.commit().await?;
        written += n;
    }
    println!("tickets: {count} tickets written in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

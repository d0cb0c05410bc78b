//! `loket demo` / `loket serve --demo`: a realistic demo provider and data, loaded once.
//! Each part is guarded by its own key in `loket_meta`, so running it again adds nothing, and
//! later parts (customers, subscriptions, invoices, tickets) add their own keys here.

use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::meta::set_meta_once;
use loket_store::outbox::enqueue_mail;

use crate::app::App;

/// Returns the parts that were loaded now (empty when everything was there already).
pub async fn load(app: &App) -> anyhow::Result<Vec<&'static str>> {
    let mut loaded = Vec::new();
    if foundation(app).await? {
        loaded.push("foundation");
    }
    for part in &loaded {
        tracing::info!(part, "demo data loaded");
    }
    Ok(loaded)
}

/// The installation itself: a record in the audit log and the welcome mail to the provider.
async fn foundation(app: &App) -> anyhow::Result<bool> {
    let provider = &app.config.provider;
    let mail = app.composer.compose(
        "welcome",
        provider.default_language,
        &[provider.email.as_str()],
        serde_json::json!({ "url": app.config.public_url }),
    )?;
    let mut tx = app.store.begin().await?;
    if !set_meta_once(&mut tx, "demo.foundation", &jiff::Timestamp::now().to_string()).await? {
        return Ok(false);
    }
    let actor = Actor { kind: ActorKind::System, id: Some("demo".into()) };
    audit::record(
        &mut tx,
        &Change {
            actor: &actor,
            action: "demo.load",
            entity: "installation",
            entity_id: None,
            before: None,
            after: Some(serde_json::json!({ "provider": provider.trading_name, "part": "foundation" })),
            request_id: None,
        },
    )
    .await?;
    enqueue_mail(&mut tx, &crate::app::to_outbox(mail)).await?;
    tx.commit().await?;
    Ok(true)
}

//! `loket demo` / `loket serve --demo`: a realistic demo provider and data, loaded once.
//! Each part is guarded by its own key in `loket_meta`, so running it again adds nothing, and
//! later parts (customers, subscriptions, invoices, tickets) add their own keys here.

use loket_domain::Language;
use loket_domain::access::{MemberRole, StaffRole};
use loket_domain::customer::CustomerInput;
use loket_store::accounts::{NewUser, add_membership, create_user};
use loket_store::audit::{self, Actor, ActorKind, Change};
use loket_store::customers::create_customer;
use loket_store::meta::set_meta_once;
use loket_store::outbox::enqueue_mail;

use crate::app::App;

mod bank;
mod billing;
mod domains;
mod helpdesk;
mod monitoring;
mod quotes;
pub mod sepa;
mod usage;

/// The demo's settings where the configuration leaves them open: its e-invoices go over Peppol
/// through a folder in the data directory (`einvoices/peppol`), so the queue and its states
/// show on the invoices; direct debits are collected under the demo's creditor identifier.
pub fn configure(config: &mut crate::config::Config) {
    // Direct debit needs a creditor identifier: the demo's, unless one is configured.
    config.sepa.creditor_id.get_or_insert_with(|| sepa::DEMO_CREDITOR_ID.to_string());
    // Support hears of new tickets; the helpdesk's address is the demo provider's.
    config.helpdesk.staff_notify.get_or_insert_with(|| "support@demo.loket.test".to_string());
    if config.transmit_from.is_none() && config.transmit_peppol_folder.is_none() && config.transmit_sdi_folder.is_none() {
        config.transmit_from = Some(jiff::civil::date(2000, 1, 1));
        config.transmit_peppol_folder = Some(config.data_dir.join("einvoices").join("peppol"));
    }
    // "Pay now" through the local test provider, whose checkout is in this server (no money moves).
    if config.payments.provider == crate::config::payments::Provider::Off {
        config.payments.provider = crate::config::payments::Provider::Demo;
        config.payments.labels = vec![("ideal".into(), "iDEAL | Wero".into())];
    }
}

/// Returns the parts that were loaded now (empty when everything was there already).
pub async fn load(app: &App) -> anyhow::Result<Vec<&'static str>> {
    // The demo's staff sign in with a password the README publishes: never into a database that
    // holds a real installation's people.
    {
        let mut conn = app.store.acquire().await?;
        if loket_store::meta::meta(&mut conn, "demo.foundation").await?.is_none() && loket_store::meta::holds_people(&mut conn).await? {
            anyhow::bail!(
                "this database already holds users or customers that are not the demo's: the demo loads only into a new \
                 database (give another --data-dir or --database-url)"
            );
        }
    }
    let mut loaded = Vec::new();
    if foundation(app).await? {
        loaded.push("foundation");
    }
    if accounts(app).await? {
        loaded.push("accounts");
    }
    if billing_part(app).await? {
        loaded.push("billing");
    }
    if usage_part(app).await? {
        loaded.push("usage");
    }
    if quotes_part(app).await? {
        loaded.push("quotes");
    }
    if domains_part(app).await? {
        loaded.push("domains");
    }
    if bank_part(app).await? {
        loaded.push("bank");
    }
    if sepa_part(app).await? {
        loaded.push("sepa");
    }
    if helpdesk_part(app).await? {
        loaded.push("helpdesk");
    }
    if monitoring_part(app).await? {
        loaded.push("monitoring");
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
    let actor = Actor::new(ActorKind::System, "demo");
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
    enqueue_mail(&mut tx, &loket_app::outgoing(mail)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Sign-in details of the demo, also listed in README.
pub const DEMO_STAFF_PASSWORD: &str = "loket-demo-staff";
pub const DEMO_CUSTOMER_PASSWORD: &str = "loket-demo-klant";

/// Staff of every role, and customers of each kind with their users: an owner and a contact
/// person of a Dutch company, a Dutch private person, an Italian GOLD company, and an agency
/// user who manages two of those cards.
async fn accounts(app: &App) -> anyhow::Result<bool> {
    let staff_hash = loket_auth::hash_password(DEMO_STAFF_PASSWORD).map_err(anyhow::Error::msg)?;
    let customer_hash = loket_auth::hash_password(DEMO_CUSTOMER_PASSWORD).map_err(anyhow::Error::msg)?;
    let lang = app.config.provider.default_language;
    let mut tx = app.store.begin().await?;
    if !set_meta_once(&mut tx, "demo.accounts", &jiff::Timestamp::now().to_string()).await? {
        return Ok(false);
    }
    for (email, name, role) in [
        ("admin@demo.loket.test", "Anna Admin", StaffRole::Admin),
        ("billing@demo.loket.test", "Bart Boekhouding", StaffRole::Billing),
        ("support@demo.loket.test", "Sanne Support", StaffRole::Support),
        ("sales@demo.loket.test", "Stijn Sales", StaffRole::Sales),
    ] {
        create_user(&mut tx, &NewUser { email, name, password_hash: Some(&staff_hash), language: lang, staff_role: Some(role) }).await?;
    }
    let card = |kind: &str,
                name: &str,
                street: &str,
                postal: &str,
                city: &str,
                country: &str,
                email: &str,
                vat: Option<&str>,
                coc: Option<&str>,
                tax: Option<&str>,
                tier: &str,
                language: &str| CustomerInput {
        kind: Some(kind.into()),
        legal_name: Some(name.into()),
        street: Some(street.into()),
        postal_code: Some(postal.into()),
        city: Some(city.into()),
        country: Some(country.into()),
        email: Some(email.into()),
        vat_number: vat.map(Into::into),
        coc_number: coc.map(Into::into),
        tax_code: tax.map(Into::into),
        tier: Some(tier.into()),
        language: Some(language.into()),
        ..CustomerInput::default()
    };
    let mut cards = [
        card(
            "business",
            "Bakkerij De Vries B.V.",
            "Dorpsstraat 1",
            "6711 AA",
            "Ede",
            "NL",
            "info@bakkerijdevries.test",
            Some("NL987654321B94"),
            Some("09123456"),
            None,
            "standard",
            "nl",
        ),
        card("consumer", "Jan Jansen", "Kerkstraat 12", "3511 LK", "Utrecht", "NL", "jan@jansen.test", None, None, None, "standard", "nl"),
        card(
            "business",
            "Rossi Web S.r.l.",
            "Via Garibaldi 5",
            "10122",
            "Torino",
            "IT",
            "amministrazione@rossiweb.test",
            Some("IT00743110157"),
            None,
            None,
            "gold",
            "it",
        ),
    ];
    // Rossi Web receives its e-invoices (FatturaPA) through the SDI at its recipient code;
    // Bakkerij De Vries books its invoices from the UBL attached to each invoice mail.
    cards[2].sdi_code = Some("M5UXCR1".into());
    cards[0].wants_ubl_attachment = Some(true);
    let mut ids = Vec::new();
    for input in &cards {
        let valid = input.validate(lang).map_err(|e| anyhow::anyhow!("demo card: {e:?}"))?;
        ids.push(create_customer(&mut tx, &valid).await?.0);
    }
    let users = [
        ("eigenaar@bakkerijdevries.test", "Els de Vries", Language::Nl, vec![(0, MemberRole::Owner)]),
        ("medewerker@bakkerijdevries.test", "Kees Bakker", Language::Nl, vec![(0, MemberRole::Contact)]),
        ("boekhouding@bakkerijdevries.test", "Bea Boekhouding", Language::Nl, vec![(0, MemberRole::Billing)]),
        ("jan@jansen.test", "Jan Jansen", Language::Nl, vec![(1, MemberRole::Owner)]),
        ("mario@rossiweb.test", "Mario Rossi", Language::It, vec![(2, MemberRole::Owner)]),
        ("bureau@webbureau.test", "Willem Webbureau", Language::Nl, vec![(0, MemberRole::Technical), (2, MemberRole::Technical)]),
    ];
    for (email, name, language, memberships) in users {
        let id = create_user(&mut tx, &NewUser { email, name, password_hash: Some(&customer_hash), language, staff_role: None }).await?;
        for (card, role) in memberships {
            add_membership(&mut tx, id, ids[card], role, role.default_permissions()).await?;
        }
    }
    let actor = Actor::new(ActorKind::System, "demo");
    let change = Change {
        actor: &actor,
        action: "demo.load",
        entity: "installation",
        entity_id: None,
        before: None,
        after: Some(serde_json::json!({ "part": "accounts", "customers": ids.len(), "staff": 4 })),
        request_id: None,
    };
    audit::record(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(true)
}

/// Claims demo part `key` (so that two nodes started with `--demo` at once load it once) and
/// returns the demo's cards, or `None` when the part was loaded before.
async fn claim(app: &App, key: &str) -> anyhow::Result<Option<Vec<loket_store::customers::Customer>>> {
    let mut tx = app.store.begin().await?;
    if !set_meta_once(&mut tx, key, &jiff::Timestamp::now().to_string()).await? {
        return Ok(None);
    }
    let cards = loket_store::customers::customers_page(&mut tx, 0, 100).await?;
    tx.commit().await?;
    Ok(Some(cards))
}

/// The id of the demo card named `name`.
fn card_id(cards: &[loket_store::customers::Customer], name: &str) -> Option<i64> {
    cards.iter().find(|c| c.card.legal_name == name).map(|c| c.id)
}

/// The billing of the demo cards (see [`billing`]).
async fn billing_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.billing").await? else { return Ok(false) };
    let ids: Vec<i64> = ["Bakkerij De Vries B.V.", "Jan Jansen", "Rossi Web S.r.l."].iter().filter_map(|n| card_id(&cards, n)).collect();
    billing::load(app, &ids).await?;
    Ok(true)
}

/// The hosting usage of the demo cards' services (see [`usage`]).
async fn usage_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.usage").await? else { return Ok(false) };
    let ids: Vec<i64> = cards.iter().map(|c| c.id).collect();
    usage::load(app, &ids).await?;
    Ok(true)
}

/// The demo's domain contacts and a lost-access request (see [`domains`]).
async fn domains_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.domains").await? else { return Ok(false) };
    domains::load(app, &cards).await?;
    domains::lost_access(app).await?;
    Ok(true)
}

/// The demo's bank statement (see [`bank`]).
async fn bank_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.bank").await? else { return Ok(false) };
    let Some(rossi) = card_id(&cards, "Rossi Web S.r.l.") else { return Ok(true) };
    bank::load(app, rossi).await?;
    Ok(true)
}

/// The demo's direct debit: a mandate and a file of collections (see [`sepa`]).
async fn sepa_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.sepa").await? else { return Ok(false) };
    let (Some(bakkerij), Some(jansen)) = (card_id(&cards, "Bakkerij De Vries B.V."), card_id(&cards, "Jan Jansen")) else {
        return Ok(true);
    };
    sepa::load(app, bakkerij, jansen).await?;
    Ok(true)
}

/// The demo's helpdesk: tickets, a project and a standby period (see [`helpdesk`]).
async fn helpdesk_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.helpdesk").await? else { return Ok(false) };
    let ids = ["Bakkerij De Vries B.V.", "Jan Jansen", "Rossi Web S.r.l."].map(|n| card_id(&cards, n));
    let [Some(bakkerij), Some(jansen), Some(rossi)] = ids else { return Ok(true) };
    helpdesk::load(app, bakkerij, jansen, rossi).await?;
    Ok(true)
}

/// The demo's monitoring: live monitors, two months of history, last month's reports (see
/// [`monitoring`]).
async fn monitoring_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.monitoring").await? else { return Ok(false) };
    let ids = ["Bakkerij De Vries B.V.", "Jan Jansen", "Rossi Web S.r.l."].map(|n| card_id(&cards, n));
    let [Some(bakkerij), Some(jansen), Some(rossi)] = ids else { return Ok(true) };
    monitoring::load(app, bakkerij, jansen, rossi).await?;
    Ok(true)
}

/// The demo's quotes (see [`quotes`]).
async fn quotes_part(app: &App) -> anyhow::Result<bool> {
    let Some(cards) = claim(app, "demo.quotes").await? else { return Ok(false) };
    let (Some(bakkerij), Some(jansen)) = (card_id(&cards, "Bakkerij De Vries B.V."), card_id(&cards, "Jan Jansen")) else {
        return Ok(true);
    };
    quotes::load(app, bakkerij, jansen).await?;
    Ok(true)
}

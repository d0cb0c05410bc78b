//! The demo's domain names at their registry: every demo domain gets its registrant, admin
//! and tech contact as staff record them at registration, and the bakery's owner asks for a
//! change of the technical contact (waiting for staff at `/staff/domains`). All through the
//! same services as the pages.

use loket_domain::registry::ContactInput;
use loket_store::audit::Actor;

use crate::app::App;

fn contact(
    name: &str,
    organisation: Option<&str>,
    email: &str,
    phone: &str,
    street: &str,
    postal_code: &str,
    city: &str,
    country: &str,
) -> ContactInput {
    ContactInput {
        name: Some(name.into()),
        organisation: organisation.map(Into::into),
        email: Some(email.into()),
        phone: Some(phone.into()),
        street: Some(street.into()),
        postal_code: Some(postal_code.into()),
        city: Some(city.into()),
        country: Some(country.into()),
    }
}

pub async fn load(app: &App, cards: &[loket_store::customers::Customer]) -> anyhow::Result<()> {
    let services = app.services();
    let staff = Actor::system();
    let catalog = app.store.catalog(app.config.provider.currency).await?;
    let provider = &app.config.provider;
    let tech = contact(
        "Hostmaster",
        Some(&provider.legal_name),
        &provider.email,
        provider.phone.as_deref().unwrap_or("+31 30 123 4567"),
        &provider.address.street,
        &provider.address.postal_code,
        &provider.address.city,
        provider.address.country.code(),
    );
    for card in cards {
        for s in app.store.customer_subscriptions(card.id).await? {
            let Some(plan) = catalog.plans.get(&s.plan_id) else { continue };
            if !plan.code.starts_with("domain") {
                continue;
            }
            let c = &card.card;
            let holder = contact(
                &c.legal_name,
                None,
                &c.email,
                c.phone.as_deref().unwrap_or("+31 6 1234 5678"),
                &c.address.street,
                &c.address.postal_code,
                &c.address.city,
                c.address.country.code(),
            );
            for (role, input) in [("registrant", &holder), ("admin", &holder), ("tech", &tech)] {
                loket_app::domains::put_contact(&services, &staff, card.id, s.id, role, input)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo domain contact: {e}"))?;
            }
            // The bakery's own web builder takes over the technical contact.
            if c.legal_name == "Bakkerij De Vries B.V."
                && let Some(owner) = app.store.user_by_email("eigenaar@bakkerijdevries.test").await?
            {
                let builder = contact(
                    "Sanne Bouwman",
                    Some("Bouwman Webdesign"),
                    "sanne@bouwmanweb.test",
                    "+31 6 2345 6789",
                    "Kerkstraat 12",
                    "3511 AB",
                    "Utrecht",
                    "NL",
                );
                loket_app::domains::request_change(&services, &Actor::system(), &owner, card.id, s.id, "tech", &builder)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo domain request: {e}"))?;
            }
        }
    }
    Ok(())
}

//! Domain names' registry contacts (seed 002). Each domain has its own registrant, admin and
//! tech contact at the registry; changing the customer card does not change them. Staff record
//! a domain's contacts when they register it; a card's user asks for a change of one contact,
//! which staff carry out at the registry and then record (or refuse with a reason). Every
//! step is audited and mailed.

use loket_domain::registry::{ContactInput, ContactRole, RegistryContact};
use loket_store::accounts::User;
use loket_store::audit::Actor;
use loket_store::domains;

use crate::{AppError, Services, audit, invalid};

fn entity(subscription_id: i64) -> (&'static str, Option<String>) {
    ("subscription", Some(subscription_id.to_string()))
}

/// The domain service `subscription_id` of card `customer_id`, or why not.
async fn domain_of(tx: &mut loket_store::Conn, customer_id: i64, subscription_id: i64) -> Result<String, AppError> {
    match domains::service_kind(tx, subscription_id).await? {
        Some((owner, kind, label)) if owner == customer_id && kind == "domain" => Ok(label),
        Some((owner, _, _)) if owner == customer_id => Err(AppError::Refused("this service is not a domain name".into())),
        _ => Err(AppError::NotFound("domain")),
    }
}

fn role_of(role: &str) -> Result<ContactRole, AppError> {
    ContactRole::parse(role)
        .ok_or_else(|| invalid("role", format!("`{}` is not registrant, admin or tech", loket_domain::input::sample(role))))
}

/// Staff record a contact as the registry holds it (at registration, or to correct it).
pub async fn put_contact(
    app: &Services,
    actor: &Actor,
    customer_id: i64,
    subscription_id: i64,
    role: &str,
    input: &ContactInput,
) -> Result<RegistryContact, AppError> {
    let role = role_of(role)?;
    let contact = input.validate("").map_err(AppError::Invalid)?;
    let mut tx = app.store.begin().await?;
    domain_of(&mut tx, customer_id, subscription_id).await?;
    domains::put_contact(&mut tx, subscription_id, role, &contact).await?;
    let after = serde_json::json!({ "role": role, "contact": contact });
    audit(&mut tx, actor, "domain.contact", entity(subscription_id), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(contact)
}

/// A card's user asks for a change of one contact; the provider is mailed and the user gets a
/// confirmation. Returns the request's id.
pub async fn request_change(
    app: &Services,
    actor: &Actor,
    user: &User,
    customer_id: i64,
    subscription_id: i64,
    role: &str,
    input: &ContactInput,
) -> Result<i64, AppError> {
    let role = role_of(role)?;
    let proposed = input.validate("").map_err(AppError::Invalid)?;
    let current = app.store.domain_contacts(subscription_id).await?.into_iter().find(|(r, _)| *r == role).map(|(_, c)| c);
    if current.as_ref() == Some(&proposed) {
        return Err(AppError::Refused("the registry holds these details already".into()));
    }
    let mut tx = app.store.begin().await?;
    let domain = domain_of(&mut tx, customer_id, subscription_id).await?;
    let id = domains::create_request(&mut tx, customer_id, subscription_id, role, &proposed, user.id).await?;
    let after = serde_json::json!({ "request": id, "role": role, "proposed": proposed });
    audit(&mut tx, actor, "domain.contact_request", entity(subscription_id), current.as_ref().map(|c| serde_json::json!(c)), Some(after))
        .await?;
    let changed = current.as_ref().map(|c| c.changed_fields(&proposed)).unwrap_or_default();
    let data = serde_json::json!({ "domain": domain, "role": role.name(), "user": user.email, "changed": changed,
        "url": format!("{}/staff/domains", app.public_url) });
    app.mail(&mut tx, "domain-contact-staff", app.provider.default_language, &app.provider.email, data).await?;
    let data = serde_json::json!({ "domain": domain, "role": role.name(), "state": "received", "reason": "" });
    app.mail(&mut tx, "domain-contact-decided", user.language, &user.email, data).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(id)
}

/// Staff record that a request was carried out at the registry (the contact becomes the
/// proposed one) or refuse it with a reason for the customer; the requester is mailed.
pub async fn decide(app: &Services, actor: &Actor, staff_user: i64, id: i64, done: bool, reason: Option<&str>) -> Result<(), AppError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !done && reason.is_none() {
        return Err(invalid("reason", "a refusal needs a reason for the customer"));
    }
    if let Some(r) = reason {
        loket_domain::input::multiline("reason", r, 1000)?;
    }
    let mut tx = app.store.begin().await?;
    let request = domains::request(&mut tx, id).await?.ok_or(AppError::NotFound("domain contact request"))?;
    if !domains::decide_request(&mut tx, id, done, reason, staff_user).await? {
        return Err(AppError::Conflict("this request was decided already".into()));
    }
    if done {
        domains::put_contact(&mut tx, request.subscription_id, request.role, &request.proposed).await?;
    }
    let action = if done { "domain.contact_request_done" } else { "domain.contact_request_rejected" };
    let after = serde_json::json!({ "request": id, "role": request.role, "proposed": request.proposed, "reason": reason });
    audit(&mut tx, actor, action, entity(request.subscription_id), None, Some(after)).await?;
    let requester = app.store.user(request.requested_by).await?.ok_or(AppError::NotFound("user"))?;
    let data = serde_json::json!({ "domain": request.domain, "role": request.role.name(),
        "state": if done { "done" } else { "rejected" }, "reason": reason.unwrap_or("") });
    app.mail(&mut tx, "domain-contact-decided", requester.language, &requester.email, data).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(())
}

//! Customer cards: made by staff, edited by staff at once or by the card's users (fields the
//! provider reviews become a change request that staff approve or reject), and replaced by a
//! new card when the tax identity changes. Every change applies to the card as stored, locked
//! in the change's transaction, and is audited; issued documents keep the data they were made
//! with.

use std::collections::BTreeMap;

use loket_domain::card_edit::{self, Edit};
use loket_domain::customer::CustomerCard;
use loket_store::accounts::User;
use loket_store::audit::Actor;
use loket_store::change_requests::{self, Fields};
use loket_store::customers::{self, Customer};
use loket_store::members::lock_card;

use crate::{AppError, Services, audit, customer_entity, invalid, password_matches};

async fn stored(app: &Services, id: i64) -> Result<Customer, AppError> {
    app.store.customer(id).await?.ok_or(AppError::NotFound("customer"))
}

/// A new card (staff), checked as a whole: every wrong field is named.
pub async fn create(app: &Services, actor: &Actor, input: loket_domain::customer::CustomerInput) -> Result<Customer, AppError> {
    let card_data = input.validate(app.provider.default_language).map_err(AppError::Invalid)?;
    let mut tx = app.store.begin().await?;
    let (id, number) = customers::create_customer(&mut tx, &card_data).await?;
    audit(&mut tx, actor, "customer.create", customer_entity(id), None, Some(serde_json::to_value(&card_data).unwrap_or_default())).await?;
    loket_store::commit(tx).await?;
    tracing::info!(customer = %number, "customer card created");
    stored(app, id).await
}

/// Changes fields of a card at once (staff; no review), the tier included. The tax identity
/// cannot change this way: see [`replace`].
pub async fn update(app: &Services, actor: &Actor, id: i64, mut fields: BTreeMap<String, String>) -> Result<Customer, AppError> {
    let lang = app.provider.default_language;
    // The tier is the provider's to set: staff may, users may not.
    let tier = fields.remove("tier");
    let fields: Vec<(String, String)> = fields.into_iter().collect();
    let mut tx = app.store.begin().await?;
    lock_card(&mut tx, app.store.backend(), id).await?;
    let customer = customers::customer(&mut tx, id).await?.ok_or(AppError::NotFound("customer"))?;
    let plan = card_edit::plan_edit(&customer.card, &fields, &[], lang).map_err(AppError::Invalid)?;
    let changes: BTreeMap<String, Option<String>> = plan.immediate.iter().map(|(k, (_, new))| (k.clone(), new.clone())).collect();
    let mut after = card_edit::apply_changes(&customer.card, &changes, lang).map_err(AppError::Invalid)?;
    if let Some(tier) = tier {
        let mut input = after.to_input();
        input.tier = Some(tier);
        after = input.validate(lang).map_err(AppError::Invalid)?;
    }
    if after == customer.card {
        return Ok(customer);
    }
    customers::update_customer(&mut tx, id, &after).await?;
    let before = serde_json::to_value(&customer.card).unwrap_or_default();
    audit(&mut tx, actor, "customer.update", customer_entity(id), Some(before), Some(serde_json::to_value(&after).unwrap_or_default()))
        .await?;
    loket_store::commit(tx).await?;
    stored(app, id).await
}

/// What a user's edit of their card did.
#[derive(Debug, PartialEq, Eq)]
pub enum Edited {
    /// Nothing differed from the card.
    Nothing,
    /// Applied (the fields staff do not review) and/or sent for review (the others).
    Saved { applied: usize, for_review: usize },
}

/// A card's user edits it, confirmed with their password: reviewed fields become one change
/// request (mailed to the user and to the provider), the others apply at once. Every wrong
/// field is named (`password` for a wrong password).
pub async fn edit_by_member(
    app: &Services,
    actor: &Actor,
    user: &User,
    customer: &Customer,
    submitted: &[(String, String)],
    password: &str,
) -> Result<Edited, AppError> {
    if !password_matches(password, user.password_hash.as_deref()).await {
        return Err(invalid("password", loket_i18n::t(user.language, "card-wrong-password")));
    }
    let lang = app.provider.default_language;
    let plan: Edit = card_edit::plan_edit(&customer.card, submitted, &app.reviewed_fields, lang).map_err(AppError::Invalid)?;
    if plan.is_empty() {
        return Ok(Edited::Nothing);
    }
    let mut tx = app.store.begin().await?;
    // Applied to the card as stored now (locked), so two edits at once both count.
    lock_card(&mut tx, app.store.backend(), customer.id).await?;
    let now = customers::customer(&mut tx, customer.id).await?.ok_or(AppError::NotFound("customer"))?;
    if !plan.immediate.is_empty() {
        let changes: Fields = plan.immediate.iter().map(|(k, (_, new))| (k.clone(), new.clone())).collect();
        let after = card_edit::apply_changes(&now.card, &changes, lang).map_err(AppError::Invalid)?;
        customers::update_customer(&mut tx, customer.id, &after).await?;
        let before: Fields = plan.immediate.iter().map(|(k, (old, _))| (k.clone(), old.clone())).collect();
        audit(
            &mut tx,
            actor,
            "customer.update",
            customer_entity(customer.id),
            Some(serde_json::json!(before)),
            Some(serde_json::json!(changes)),
        )
        .await?;
    }
    if !plan.reviewed.is_empty() {
        let proposed: Fields = plan.reviewed.iter().map(|(k, (_, new))| (k.clone(), new.clone())).collect();
        let current: Fields = plan.reviewed.iter().map(|(k, (old, _))| (k.clone(), old.clone())).collect();
        let request = change_requests::create_change_request(&mut tx, customer.id, user.id, &proposed, &current).await?;
        let after = serde_json::json!({ "change_request": request, "proposed": proposed });
        audit(&mut tx, actor, "change_request.create", customer_entity(customer.id), Some(serde_json::json!(current)), Some(after)).await?;
        let name = format!("{} {}", customer.number, customer.card.legal_name);
        app.mail(&mut tx, "change-request-received", user.language, &user.email, serde_json::json!({ "customer": name })).await?;
        let fields: Vec<_> = plan.reviewed.iter().map(|(k, (from, to))| serde_json::json!({ "name": k, "from": from, "to": to })).collect();
        let data = serde_json::json!({ "customer": name, "user": user.email, "url": format!("{}/staff/changes", app.public_url), "fields": fields });
        app.mail(&mut tx, "change-request-staff", app.provider.default_language, &app.provider.email, data).await?;
    }
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(Edited::Saved { applied: plan.immediate.len(), for_review: plan.reviewed.len() })
}

/// Staff's decision on a change request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

impl std::str::FromStr for Decision {
    type Err = AppError;
    fn from_str(s: &str) -> Result<Self, AppError> {
        match s {
            "approve" => Ok(Decision::Approve),
            "reject" => Ok(Decision::Reject),
            other => Err(invalid("decision", format!("`{other}` is not approve or reject"))),
        }
    }
}

/// Approves (applying the change to the card as it is now) or rejects (with a reason for the
/// customer) a change request, audits it and mails the requester.
pub async fn decide_change_request(
    app: &Services,
    actor: &Actor,
    staff_user: i64,
    id: i64,
    decision: Decision,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let request = app.store.change_request(id).await?.ok_or(AppError::NotFound("change request"))?;
    let approve = decision == Decision::Approve;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(invalid("reason", "a rejection needs a reason for the customer"));
    }
    if let Some(r) = reason {
        loket_domain::input::multiline("reason", r, 1000)?;
    }
    let requester = app.store.user(request.requested_by).await?.ok_or(AppError::NotFound("user"))?;
    let mut tx = app.store.begin().await?;
    // The card as it is now, locked: the change applies to what is stored, not to what was
    // read before.
    lock_card(&mut tx, app.store.backend(), request.customer_id).await?;
    let customer = customers::customer(&mut tx, request.customer_id).await?.ok_or(AppError::NotFound("customer"))?;
    if !change_requests::decide_change_request(&mut tx, id, approve, reason, staff_user).await? {
        return Err(AppError::Refused("this change request was decided already".into()));
    }
    if approve {
        let after =
            card_edit::apply_changes(&customer.card, &request.proposed, app.provider.default_language).map_err(AppError::Invalid)?;
        customers::update_customer(&mut tx, customer.id, &after).await?;
    }
    let action = if approve { "change_request.approve" } else { "change_request.reject" };
    let after = serde_json::json!({ "change_request": id, "proposed": request.proposed, "reason": reason });
    audit(&mut tx, actor, action, customer_entity(customer.id), Some(serde_json::json!(request.current)), Some(after)).await?;
    let data = serde_json::json!({ "customer": format!("{} {}", customer.number, customer.card.legal_name), "approved": approve, "reason": reason.unwrap_or("") });
    app.mail(&mut tx, "change-request-decided", requester.language, &requester.email, data).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(())
}

fn identity(c: &CustomerCard) -> serde_json::Value {
    serde_json::json!({ "kind": c.kind.name(), "vat_number": c.vat_number, "coc_number": c.coc_number, "tax_code": c.tax_code })
}

/// Makes a new customer card for a change of tax identity: the old card's data with
/// `overrides`, the chosen users moved, the old card marked as replaced and kept with its
/// history. Audited.
pub async fn replace(
    app: &Services,
    actor: &Actor,
    old_id: i64,
    overrides: &[(String, String)],
    move_users: &[i64],
) -> Result<Customer, AppError> {
    let mut tx = app.store.begin().await?;
    // Checked with the card locked: two replacements at once make one new card.
    lock_card(&mut tx, app.store.backend(), old_id).await?;
    let old = customers::customer(&mut tx, old_id).await?.ok_or(AppError::NotFound("customer"))?;
    if let Some(newer) = old.replaced_by {
        return Err(AppError::Refused(format!("this card was replaced already, by card {newer}")));
    }
    let members = customers::members(&mut tx, old_id).await?;
    if let Some(stranger) = move_users.iter().find(|u| !members.iter().any(|m| m.user_id == **u)) {
        return Err(invalid("move_users", format!("user {stranger} is not on this card")));
    }
    let new_card = card_edit::replacement_card(&old.card, overrides, app.provider.default_language).map_err(AppError::Invalid)?;
    let (new_id, number) = customers::create_customer(&mut tx, &new_card).await?;
    let moved = customers::replace_customer(&mut tx, old_id, new_id, move_users).await?;
    let mut before = identity(&old.card);
    before["card"] = old.number.clone().into();
    let mut after = identity(&new_card);
    after["new_card"] = number.into();
    after["new_id"] = new_id.into();
    after["users_moved"] = moved.into();
    audit(&mut tx, actor, "customer.replace", customer_entity(old_id), Some(before), Some(after)).await?;
    loket_store::commit(tx).await?;
    stored(app, new_id).await
}

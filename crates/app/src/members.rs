//! Who may use a customer card: invitations by e-mail, roles and permissions, removal, and
//! joining through an invitation. Every check that guards a change is made in the change's
//! transaction with the card locked, so two owners demoted at once still leave one.

use std::time::Duration;

use loket_domain::access::{MemberRole, Permission, Permissions};
use loket_store::accounts::{self, NewUser};
use loket_store::audit::{Actor, ActorKind};
use loket_store::customers::Customer;
use loket_store::members::{self, NewInvitation};

use crate::{AppError, Services, audit, customer_entity, hash_password, invalid};

/// How long an invitation link works.
pub const INVITATION_VALID: Duration = Duration::from_secs(7 * 24 * 3600);

/// Who invites: their user id and name (shown in the mail).
pub struct Inviter<'a> {
    pub id: i64,
    pub name: &'a str,
}

/// Stores an invitation of `email` to `customer` with `role` (and its default permissions), a
/// single-use link for a week, and mails it in the card's language, in `tx`.
pub(crate) async fn mail_invitation(
    app: &Services,
    tx: &mut loket_store::Tx,
    inviter: &Inviter<'_>,
    customer: &Customer,
    email: &str,
    role: MemberRole,
) -> Result<(), AppError> {
    let token = loket_auth::new_token();
    let url = format!("{}/invitations/{token}", app.public_url);
    let invitation = NewInvitation {
        token_hash: &loket_auth::token_hash(&token),
        customer_id: customer.id,
        email,
        role,
        permissions: role.default_permissions(),
        invited_by: inviter.id,
        expires: app.now() + INVITATION_VALID,
    };
    members::create_invitation(tx, &invitation).await?;
    let data = serde_json::json!({ "customer": customer.card.legal_name, "inviter": inviter.name, "url": url });
    app.mail(tx, "invitation", customer.card.language, email, data).await
}

/// Invites `email` to `customer` with `role` (and its default permissions): a single-use link
/// for a week, mailed in the card's language.
pub async fn invite(
    app: &Services,
    actor: &Actor,
    inviter: Inviter<'_>,
    customer: &Customer,
    email: &str,
    role: &str,
) -> Result<(), AppError> {
    let email = loket_domain::provider::check::email(email).map_err(|m| invalid("email", m))?;
    let role: MemberRole = role.parse().map_err(|m: String| invalid("role", m))?;
    let normalised = accounts::normalise_email(&email);
    let mut tx = app.store.begin().await?;
    if loket_store::customers::members(&mut tx, customer.id).await?.iter().any(|m| m.email == normalised) {
        return Err(invalid("email", format!("{email} is on this card already")));
    }
    mail_invitation(app, &mut tx, &inviter, customer, &email, role).await?;
    let after = serde_json::json!({ "email": email, "role": role.name() });
    audit(&mut tx, actor, "member.invite", customer_entity(customer.id), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    app.wake_jobs();
    Ok(())
}

/// Changes a member's role and permissions (within the role's ceiling). Nobody changes their
/// own membership (`acting_user`), and the last owner stays an owner.
pub async fn update(
    app: &Services,
    actor: &Actor,
    acting_user: Option<i64>,
    customer_id: i64,
    user: i64,
    role: &str,
    permission_names: &[&str],
) -> Result<(), AppError> {
    if acting_user == Some(user) {
        return Err(AppError::Refused("you cannot change your own role or permissions".into()));
    }
    let role: MemberRole = role.parse().map_err(|m: String| invalid("role", m))?;
    let mut permissions = Permissions::default();
    for name in permission_names {
        permissions = permissions.with(name.parse::<Permission>().map_err(|m| invalid("permissions", m))?);
    }
    let permissions = role.effective(permissions);
    let mut tx = app.store.begin().await?;
    members::lock_card(&mut tx, app.store.backend(), customer_id).await?;
    let (member, old_permissions) = members::member_role(&mut tx, customer_id, user).await?.ok_or(AppError::NotFound("member"))?;
    if member == MemberRole::Owner.name() && role != MemberRole::Owner && members::owner_count(&mut tx, customer_id).await? <= 1 {
        return Err(invalid("role", "a card keeps at least one owner"));
    }
    accounts::add_membership(&mut tx, user, customer_id, role, permissions).await?;
    let before = serde_json::json!({ "user": user, "role": member, "permissions": old_permissions });
    let after = serde_json::json!({ "user": user, "role": role.name(), "permissions": permissions.to_string() });
    audit(&mut tx, actor, "member.update", customer_entity(customer_id), Some(before), Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(())
}

/// Takes a user off a card; the last owner stays.
pub async fn remove(app: &Services, actor: &Actor, customer_id: i64, user: i64) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    members::lock_card(&mut tx, app.store.backend(), customer_id).await?;
    let (role, _) = members::member_role(&mut tx, customer_id, user).await?.ok_or(AppError::NotFound("member"))?;
    if role == MemberRole::Owner.name() && members::owner_count(&mut tx, customer_id).await? <= 1 {
        return Err(AppError::Refused("a card keeps at least one owner".into()));
    }
    members::remove_membership(&mut tx, user, customer_id).await?;
    audit(&mut tx, actor, "member.remove", customer_entity(customer_id), Some(serde_json::json!({ "user": user, "role": role })), None)
        .await?;
    loket_store::commit(tx).await?;
    Ok(())
}

/// Who accepts an invitation.
pub enum Joiner<'a> {
    /// A signed-in user, whose address must be the invited one.
    SignedIn { user_id: i64, email: &'a str },
    /// Someone without an account, who makes one for the invited address.
    New { name: &'a str, password: &'a str, language: loket_domain::Language },
}

/// What accepting did: the card joined, and the user made for a newcomer (to sign in).
pub struct Joined {
    pub customer_id: i64,
    pub new_user: Option<i64>,
}

/// Accepts the invitation behind `token`.
pub async fn accept(app: &Services, token: &str, joiner: Joiner<'_>, request_id: Option<String>) -> Result<Joined, AppError> {
    let hash = loket_auth::token_hash(token);
    let inv = app.store.invitation(&hash, app.now()).await?.ok_or(AppError::NotFound("invitation"))?;
    let (user_id, new_user) = match joiner {
        Joiner::SignedIn { user_id, email } => {
            if email != inv.email {
                return Err(AppError::Forbidden(format!("this invitation is for {}; you are signed in as {email}", inv.email)));
            }
            (user_id, None)
        }
        Joiner::New { name, password, language } => {
            if app.store.user_by_email(&inv.email).await?.is_some() {
                return Err(AppError::Forbidden("sign in first to accept this invitation".into()));
            }
            let name = loket_domain::provider::check::text(name, 200).map_err(|m| invalid("name", m))?;
            loket_auth::check_new_password(password).map_err(|m| invalid("password", m))?;
            let hash = hash_password(password).await?;
            let mut conn = app.store.acquire().await?;
            let new = NewUser { email: &inv.email, name: &name, password_hash: Some(&hash), language, staff_role: None };
            let id = accounts::create_user(&mut conn, &new).await?;
            (id, Some(id))
        }
    };
    let mut tx = app.store.begin().await?;
    let inv = members::accept_invitation(&mut tx, &hash, app.now()).await?.ok_or(AppError::NotFound("invitation"))?;
    accounts::add_membership(&mut tx, user_id, inv.customer_id, inv.role, inv.permissions).await?;
    let who = Actor::new(ActorKind::User, user_id.to_string()).in_request(request_id);
    let after = serde_json::json!({ "user": user_id, "email": inv.email, "role": inv.role.name() });
    audit(&mut tx, &who, "member.join", customer_entity(inv.customer_id), None, Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(Joined { customer_id: inv.customer_id, new_user })
}

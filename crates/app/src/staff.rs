//! The provider's staff accounts: who they are, their role, disabling someone who left, and a
//! new password for one who lost theirs. Staff are added with [`crate::accounts::add_staff`];
//! this is the rest of their life, run from the command line by whoever runs Loket.

use loket_domain::access::StaffRole;
use loket_store::accounts::{self, User};
use loket_store::audit::Actor;

use crate::{AppError, Services, audit, hash_password, invalid};

/// Every staff user, disabled ones too, by role and e-mail address.
pub async fn list(app: &Services) -> Result<Vec<User>, AppError> {
    Ok(accounts::staff_users(&mut *app.store.acquire().await?).await?)
}

/// Changes staff user `email`: its `role`, and whether it is `disabled` (its sessions end; its
/// API tokens stop working). The last admin who can sign in is neither demoted nor disabled.
pub async fn change(app: &Services, actor: &Actor, email: &str, role: Option<StaffRole>, disabled: Option<bool>) -> Result<User, AppError> {
    let mut tx = app.store.begin().await?;
    let staff = accounts::staff_users(&mut tx).await?;
    let email = accounts::normalise_email(email);
    let Some(user) = staff.iter().find(|u| u.email == email) else {
        return Err(invalid("email", format!("no staff user with e-mail address {email}")));
    };
    let Some(was) = user.staff_role else { return Err(invalid("email", format!("{email} is not staff"))) };
    let (role, disabled) = (role.unwrap_or(was), disabled.unwrap_or(user.disabled));
    let admin_after = role == StaffRole::Admin && !disabled;
    let other_admins = staff.iter().filter(|u| u.id != user.id && u.staff_role == Some(StaffRole::Admin) && !u.disabled).count();
    if !admin_after && other_admins == 0 && was == StaffRole::Admin && !user.disabled {
        return Err(invalid("email", format!("{email} is the last admin who can sign in: make another admin first")));
    }
    accounts::set_staff(&mut tx, user.id, role, disabled).await?;
    if disabled {
        accounts::end_sessions(&mut tx, user.id).await?;
    }
    let before = serde_json::json!({ "role": was.name(), "disabled": user.disabled });
    let after = serde_json::json!({ "role": role.name(), "disabled": disabled });
    audit(&mut tx, actor, "staff.change", ("user", Some(user.id.to_string())), Some(before), Some(after)).await?;
    loket_store::commit(tx).await?;
    Ok(User { staff_role: Some(role), disabled, ..user.clone() })
}

/// Gives staff user `email` a new password; every session of theirs ends.
pub async fn set_password(app: &Services, actor: &Actor, email: &str, password: &str) -> Result<(), AppError> {
    loket_auth::check_new_password(password).map_err(|m| invalid("password", m))?;
    let email = accounts::normalise_email(email);
    let user = app.store.user_by_email(&email).await?.filter(|u| u.staff_role.is_some());
    let Some(user) = user else { return Err(invalid("email", format!("no staff user with e-mail address {email}"))) };
    let hash = hash_password(password).await?;
    let mut tx = app.store.begin().await?;
    accounts::set_password(&mut tx, user.id, &hash).await?;
    accounts::end_sessions(&mut tx, user.id).await?;
    audit(&mut tx, actor, "staff.password", ("user", Some(user.id.to_string())), None, None).await?;
    loket_store::commit(tx).await?;
    Ok(())
}

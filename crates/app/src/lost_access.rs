//! Lost access (seed 002): a person who can no longer reach their account, its e-mail address
//! or phone number sends a signed request form and a scan of an identity document through a
//! public page. Staff compare them with the card and restore access — the person's existing
//! login gets a password-reset link (two-step sign-in switched off, since the device may be
//! lost too), or a new address is invited onto the card as its owner — or refuse with a
//! reason. The scans are kept outside the database and deleted after the provider's
//! retention period, whatever the outcome.

use loket_domain::access::MemberRole;
use loket_domain::lost_access::{ScanType, check_scan};
use loket_domain::provider::check;
use loket_store::accounts;
use loket_store::audit::Actor;
use loket_store::lost_access::{self as store, NewAccessRequest};

use crate::{AppError, Services, audit, invalid};

/// At most this many pending requests from one address in [`THROTTLE_DAYS`].
const MAX_PENDING: i64 = 3;
const THROTTLE_DAYS: i64 = 7;

/// What a person sent through the public form.
pub struct Submission<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub customer_number: &'a str,
    pub message: &'a str,
    /// The signed request form.
    pub form: &'a [u8],
    /// The identity document.
    pub identity: &'a [u8],
}

fn entity(id: i64) -> (&'static str, Option<String>) {
    ("access_request", Some(id.to_string()))
}

/// Checks and stores a request, mails the provider and confirms to the sender. Returns its id.
pub async fn submit(app: &Services, s: &Submission<'_>, request_id: Option<String>) -> Result<i64, AppError> {
    let mut e = Vec::new();
    let name = loket_domain::input::text("name", s.name, 200).map_err(|err| e.push(err)).ok();
    let email = check::email(s.email).map_err(|m| e.push(loket_domain::FieldError::new("email", m))).ok();
    let number =
        loket_domain::input::optional_text("customer_number", Some(s.customer_number), 40).map_err(|err| e.push(err)).ok().flatten();
    let message = Some(s.message.trim()).filter(|m| !m.is_empty());
    if let Some(m) = message
        && let Err(err) = loket_domain::input::multiline("message", m, 2000)
    {
        e.push(err);
    }
    let form_type = check_scan("form", s.form).map_err(|err| e.push(err)).ok();
    let id_type = check_scan("identity", s.identity).map_err(|err| e.push(err)).ok();
    let (Some(name), Some(email), Some(form_type), Some(id_type), true) = (name, email, form_type, id_type, e.is_empty()) else {
        return Err(AppError::Invalid(e));
    };
    let email = accounts::normalise_email(&email);
    {
        let mut conn = app.store.acquire().await?;
        let since = app.now() - jiff::SignedDuration::from_hours(24 * THROTTLE_DAYS);
        if store::pending_from(&mut conn, &email, since).await? >= MAX_PENDING {
            return Err(AppError::Refused("we have your earlier requests: we will contact you".into()));
        }
    }
    let form_file = app.files.put(s.form).await?;
    let id_file = match app.files.put(s.identity).await {
        Ok(f) => f,
        Err(err) => {
            let _ = app.files.delete(&form_file).await;
            return Err(err.into());
        }
    };
    let stored = async {
        let mut tx = app.store.begin().await?;
        let new = NewAccessRequest {
            name: &name,
            email: &email,
            customer_number: number.as_deref(),
            message,
            form_file: &form_file,
            form_type: form_type.content_type(),
            id_file: &id_file,
            id_type: id_type.content_type(),
        };
        let id = store::create(&mut tx, &new).await?;
        let actor = Actor::new(loket_store::audit::ActorKind::Anonymous, email.clone()).in_request(request_id);
        audit(&mut tx, &actor, "access_request.create", entity(id), None, Some(serde_json::json!({ "customer_number": number }))).await?;
        let data = serde_json::json!({ "name": name, "email": email, "customer_number": number.as_deref().unwrap_or("-"),
            "url": format!("{}/staff/access/{id}", app.public_url) });
        app.mail(&mut tx, "access-request-staff", app.provider.default_language, &app.provider.email, data).await?;
        app.mail(&mut tx, "access-request-received", app.provider.default_language, &email, serde_json::json!({ "name": name })).await?;
        loket_store::commit(tx).await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) => {
            app.wake_jobs();
            Ok(id)
        }
        Err(err) => {
            // Nothing refers to the files: do not keep them.
            let _ = app.files.delete(&form_file).await;
            let _ = app.files.delete(&id_file).await;
            Err(err)
        }
    }
}

/// Staff's decision on a lost-access request.
pub enum Decision<'a> {
    /// Restore access to the card with this customer number.
    Restore {
        customer_number: &'a str,
    },
    Reject {
        reason: &'a str,
    },
}

/// What restoring did.
#[derive(Debug, PartialEq, Eq)]
pub enum Restored {
    /// The address has a login on the card: it got a reset link; two-step sign-in is off.
    ResetLink,
    /// The address was invited onto the card as an owner.
    Invited,
    Rejected,
}

pub async fn decide(app: &Services, actor: &Actor, staff_user: i64, id: i64, decision: Decision<'_>) -> Result<Restored, AppError> {
    let request = app.store.access_request(id).await?.ok_or(AppError::NotFound("access request"))?;
    if request.state != "pending" {
        return Err(AppError::Conflict("this request was decided already".into()));
    }
    match decision {
        Decision::Reject { reason } => {
            let reason = loket_domain::input::multiline("reason", reason, 1000)?;
            let mut tx = app.store.begin().await?;
            if !store::decide(&mut tx, id, false, None, Some(&reason), staff_user).await? {
                return Err(AppError::Conflict("this request was decided already".into()));
            }
            audit(&mut tx, actor, "access_request.reject", entity(id), None, Some(serde_json::json!({ "reason": reason }))).await?;
            let data = serde_json::json!({ "name": request.name, "reason": reason });
            app.mail(&mut tx, "access-request-rejected", app.provider.default_language, &request.email, data).await?;
            loket_store::commit(tx).await?;
            app.wake_jobs();
            Ok(Restored::Rejected)
        }
        Decision::Restore { customer_number } => {
            let number = customer_number.trim();
            let customer =
                app.store.customer_by_number(number).await?.ok_or_else(|| {
                    invalid("customer_number", format!("there is no customer card {}", loket_domain::input::sample(number)))
                })?;
            let mut tx = app.store.begin().await?;
            let member = loket_store::customers::members(&mut tx, customer.id).await?.into_iter().find(|m| m.email == request.email);
            if !store::decide(&mut tx, id, true, Some(customer.id), None, staff_user).await? {
                return Err(AppError::Conflict("this request was decided already".into()));
            }
            let outcome = match member {
                Some(m) => {
                    let user = app.store.user(m.user_id).await?.ok_or(AppError::NotFound("user"))?;
                    loket_store::second_factor::disable_totp(&mut tx, user.id).await?;
                    // A day rather than the usual hour: the person is waiting for staff's answer.
                    crate::accounts::mail_reset_link(app, &mut tx, &user, std::time::Duration::from_secs(24 * 3600)).await?;
                    Restored::ResetLink
                }
                None => {
                    let inviter = crate::members::Inviter { id: staff_user, name: &app.provider.trading_name };
                    crate::members::mail_invitation(app, &mut tx, &inviter, &customer, &request.email, MemberRole::Owner).await?;
                    Restored::Invited
                }
            };
            let after = serde_json::json!({ "customer": customer.number, "outcome": format!("{outcome:?}") });
            audit(&mut tx, actor, "access_request.restore", entity(id), None, Some(after)).await?;
            loket_store::commit(tx).await?;
            app.wake_jobs();
            Ok(outcome)
        }
    }
}

/// One of a request's scans for staff: its bytes and type, `None` once deleted.
pub async fn scan(app: &Services, id: i64, which: &str) -> Result<Option<(Vec<u8>, ScanType)>, AppError> {
    let r = app.store.access_request(id).await?.ok_or(AppError::NotFound("access request"))?;
    let (file, kind) = match which {
        "form" => (r.form_file, r.form_type),
        "identity" => (r.id_file, r.id_type),
        _ => return Err(AppError::NotFound("file")),
    };
    let Some(file) = file else { return Ok(None) };
    let kind = ScanType::from_content_type(&kind).ok_or_else(|| AppError::Unavailable(format!("stored file type {kind}")))?;
    Ok(app.files.get(&file).await?.map(|b| (b, kind)))
}

/// Deletes the scans of requests sent more than `retention_days` ago (decided or not); returns
/// how many requests lost their files. Each deletion is audited.
pub async fn purge_scans(app: &Services, actor: &Actor, retention_days: u32) -> Result<usize, AppError> {
    let before = app.now() - jiff::SignedDuration::from_hours(24 * i64::from(retention_days));
    let mut purged = 0;
    loop {
        let mut tx = app.store.begin().await?;
        let due = store::files_due(&mut tx, before, 100).await?;
        if due.is_empty() {
            return Ok(purged);
        }
        for r in &due {
            for f in [&r.form_file, &r.id_file].into_iter().flatten() {
                app.files.delete(f).await?;
            }
            store::files_deleted(&mut tx, r.id).await?;
            audit(
                &mut tx,
                actor,
                "access_request.files_deleted",
                entity(r.id),
                None,
                Some(serde_json::json!({ "retention_days": retention_days })),
            )
            .await?;
        }
        loket_store::commit(tx).await?;
        purged += due.len();
    }
}

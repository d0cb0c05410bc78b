//! Users, their memberships of customer cards, sessions, failed sign-ins and reset links.

use jiff::Timestamp;
use loket_domain::Language;
use loket_domain::access::{MemberRole, Permissions, StaffRole};
use serde::Serialize;
use sqlx::Row;

use crate::read::{Arg, Columns};
use crate::time::{from_micros, now_micros, to_micros};
use crate::{Conn, Store, StoreError};

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    #[serde(skip)]
    pub password_hash: Option<String>,
    pub language: Language,
    pub staff_role: Option<StaffRole>,
    pub totp_enabled: bool,
    pub disabled: bool,
    pub created_at: Timestamp,
}

/// What the session statement reads besides the cards.
struct SessionRow {
    last_seen: i64,
    user: User,
    requiring: i64,
    csrf_token: String,
    second_factor_done: bool,
}

pub(crate) const USER_COLUMNS: &str = "id, email, name, password_hash, language, staff_role, totp_enabled, disabled, created_at";

pub(crate) fn user_from_row(row: &dyn Columns) -> Result<User, StoreError> {
    let language: String = row.try_get("language")?;
    let staff_role: Option<String> = row.try_get("staff_role")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        language: language.parse().map_err(|e: loket_domain::language::UnknownLanguage| StoreError::Corrupt(e.to_string()))?,
        staff_role: staff_role.map(|r| r.parse::<StaffRole>().map_err(StoreError::Corrupt)).transpose()?,
        totp_enabled: row.try_get::<i64, _>("totp_enabled")? != 0,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: from_micros(row.try_get("created_at")?),
    })
}

/// E-mail addresses are compared without regard to case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub language: Language,
    pub staff_role: Option<StaffRole>,
}

/// Creates a user; `Err(Invalid)` when the address is taken.
pub async fn create_user(conn: &mut Conn, u: &NewUser<'_>) -> Result<i64, StoreError> {
    let now = now_micros();
    let row = sqlx::query(
        "INSERT INTO users (email, name, password_hash, language, staff_role, totp_enabled, disabled, password_changed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(normalise_email(u.email))
    .bind(u.name)
    .bind(u.password_hash)
    .bind(u.language.code())
    .bind(u.staff_role.map(StaffRole::name))
    .bind(0i64)
    .bind(0i64)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::Invalid(format!("a user with e-mail address {} exists already", normalise_email(u.email)))),
    }
}

pub async fn set_password(conn: &mut Conn, user_id: i64, hash: &str) -> Result<(), StoreError> {
    let now = now_micros();
    sqlx::query("UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every staff user, by e-mail address (disabled ones too).
pub async fn staff_users(conn: &mut Conn) -> Result<Vec<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE staff_role IS NOT NULL ORDER BY staff_role, email");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *conn).await?;
    rows.iter().map(|r| user_from_row(r)).collect()
}

/// Sets a staff user's role and whether they are disabled.
pub async fn set_staff(conn: &mut Conn, user_id: i64, role: StaffRole, disabled: bool) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET staff_role = $1, disabled = $2, updated_at = $3 WHERE id = $4")
        .bind(role.name())
        .bind(i64::from(disabled))
        .bind(now_micros())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Ends every session of a user, inside a transaction.
pub async fn end_sessions(conn: &mut Conn, user_id: i64) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?.rows_affected())
}

/// A user's place on a customer card.
#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub customer_id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub role: MemberRole,
    /// What the member may do (the role's ceiling applied to the stored permissions).
    #[serde(serialize_with = "as_text")]
    pub permissions: Permissions,
}

fn as_text<S: serde::Serializer>(p: &Permissions, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string())
}

pub async fn add_membership(
    conn: &mut Conn,
    user_id: i64,
    customer_id: i64,
    role: MemberRole,
    permissions: Permissions,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (user_id, customer_id, role, permissions, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, customer_id) DO UPDATE SET role = $3, permissions = $4",
    )
    .bind(user_id)
    .bind(customer_id)
    .bind(role.name())
    .bind(permissions.to_string())
    .bind(now_micros())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Session cookie lifetime without activity, and at most.
pub const SESSION_IDLE: std::time::Duration = std::time::Duration::from_secs(12 * 3600);

#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the cookie's token.
    pub id_hash: String,
    pub user: User,
    pub csrf_token: String,
    pub second_factor_done: bool,
    /// The customer cards the user belongs to, with what they may do on each (the first
    /// [`SESSION_CARDS`] by the card's id, shown by customer number): the menu, the dashboard and the card pages'
    /// permission checks read it. Empty for staff.
    pub cards: Vec<Membership>,
    /// Whether one of the user's cards (any of them, not only the first) asks for two-step sign-in.
    pub cards_require_second_factor: bool,
}

/// How many of a user's cards a session carries; a user on more is looked up card by card.
pub const SESSION_CARDS: usize = 20;

impl Session {
    /// Whether this user must set up two-step sign-in: staff when the provider requires it of
    /// staff, anyone on a card that requires it.
    pub fn second_factor_required(&self, for_staff: bool) -> bool {
        (self.user.staff_role.is_some() && for_staff) || self.cards_require_second_factor
    }

    /// The user's place on card `customer_id`, when the session carries it.
    pub fn card(&self, customer_id: i64) -> Option<&Membership> {
        self.cards.iter().find(|m| m.customer_id == customer_id)
    }

    /// Whether [`Session::cards`] holds all of the user's cards.
    pub fn all_cards(&self) -> bool {
        self.cards.len() < SESSION_CARDS
    }
}

/// A session to start: its id (as a hash), user, CSRF token, whether the second step is done,
/// where it came from, and when it starts (the services' clock).
#[derive(Debug, Clone, Copy)]
pub struct NewSession<'a> {
    pub id_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub second_factor_done: bool,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub now: Timestamp,
}

impl Store {
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(normalise_email(email)).fetch_optional(&mut *self.acquire().await?).await?;
        row.as_ref().map(|r| user_from_row(r)).transpose()
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *self.acquire().await?).await?;
        row.as_ref().map(|r| user_from_row(r)).transpose()
    }

    /// The customer cards a user belongs to, by customer number.
    pub async fn memberships(&self, user_id: i64) -> Result<Vec<Membership>, StoreError> {
        let rows = sqlx::query(
            "SELECT m.customer_id, c.number, c.legal_name, m.role, m.permissions FROM memberships m \
             JOIN customers c ON c.id = m.customer_id WHERE m.user_id = $1 ORDER BY c.number",
        )
        .bind(user_id)
        .fetch_all(&mut *self.acquire().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let role: MemberRole = row.try_get::<String, _>(3)?.parse().map_err(StoreError::Corrupt)?;
                let stored: Permissions = row.try_get::<String, _>(4)?.parse().map_err(StoreError::Corrupt)?;
                Ok(Membership {
                    customer_id: row.try_get(0)?,
                    customer_number: row.try_get(1)?,
                    customer_name: row.try_get(2)?,
                    role,
                    permissions: role.effective(stored),
                })
            })
            .collect()
    }

    pub async fn create_session(&self, new: &NewSession<'_>) -> Result<(), StoreError> {
        let NewSession { id_hash, user_id, csrf_token, second_factor_done, ip, user_agent, now } = *new;
        let now = to_micros(now);
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, second_factor_done, created_at, last_seen_at, expires_at, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(i64::from(second_factor_done))
        .bind(now)
        .bind(now + SESSION_IDLE.as_micros() as i64)
        .bind(ip)
        .bind(user_agent.map(|u| u.chars().take(300).collect::<String>()))
        .execute(&mut *self.acquire().await?)
        .await?;
        Ok(())
    }

    /// The live session `id_hash` with its user and the user's cards, in one query (every
    /// signed-in request starts here), extended by another idle period when it is used.
    pub async fn session(&self, id_hash: &str, now: Timestamp) -> Result<Option<Session>, StoreError> {
        let now_us = to_micros(now);
        // Built once: every signed-in request runs it.
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT s.csrf_token, s.second_factor_done, s.last_seen_at, {}, \
             m.customer_id AS m_customer, c.number AS m_number, c.legal_name AS m_name, m.role AS m_role, m.permissions AS m_permissions, \
             (SELECT COUNT(*) FROM memberships m2 JOIN customers c2 ON c2.id = m2.customer_id \
              WHERE m2.user_id = u.id AND c2.requires_second_factor = $4) AS m_requiring \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             LEFT JOIN memberships m ON m.user_id = u.id AND u.staff_role IS NULL \
             LEFT JOIN customers c ON c.id = m.customer_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled = $3 ORDER BY m.customer_id LIMIT {SESSION_CARDS}",
                crate::qualified(USER_COLUMNS, "u")
            )
        });
        // One row per card (at least one, the user's), each read whole.
        let rows = self
            .read(SQL.as_str(), &[Arg::Text(id_hash), Arg::Int(now_us), Arg::Int(0), Arg::Int(1)], |r| {
                let card = match r.try_get::<Option<i64>, _>("m_customer")? {
                    None => None,
                    Some(customer_id) => {
                        let role: MemberRole = r.try_get::<String, _>("m_role")?.parse().map_err(StoreError::Corrupt)?;
                        let stored: Permissions = r.try_get::<String, _>("m_permissions")?.parse().map_err(StoreError::Corrupt)?;
                        Some(Membership {
                            customer_id,
                            customer_number: r.try_get("m_number")?,
                            customer_name: r.try_get("m_name")?,
                            role,
                            permissions: role.effective(stored),
                        })
                    }
                };
                let first = SessionRow {
                    last_seen: r.try_get("last_seen_at")?,
                    user: user_from_row(r)?,
                    requiring: r.try_get("m_requiring")?,
                    csrf_token: r.try_get("csrf_token")?,
                    second_factor_done: r.try_get::<i64, _>("second_factor_done")? != 0,
                };
                Ok((first, card))
            })
            .await?;
        let mut rows = rows.into_iter();
        let Some((first, card)) = rows.next() else {
            return Ok(None);
        };
        // Touch at most once a minute: a page view should not always write.
        if now_us - first.last_seen > 60_000_000 {
            sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
                .bind(now_us)
                .bind(now_us + SESSION_IDLE.as_micros() as i64)
                .bind(id_hash)
                .execute(&mut *self.acquire().await?)
                .await?;
        }
        // Which cards come in the membership's own order (its key: no sort in the statement);
        // the menu and the dashboard show them by number.
        let mut cards: Vec<Membership> = card.into_iter().chain(rows.filter_map(|(_, card)| card)).collect();
        cards.sort_by(|a, b| a.customer_number.cmp(&b.customer_number));
        Ok(Some(Session {
            id_hash: id_hash.to_string(),
            user: first.user,
            cards,
            cards_require_second_factor: first.requiring > 0,
            csrf_token: first.csrf_token,
            second_factor_done: first.second_factor_done,
        }))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&mut *self.acquire().await?).await?;
        Ok(())
    }

    /// Ends every session of a user ("sign out everywhere", and after a password reset).
    pub async fn delete_sessions_of(&self, user_id: i64) -> Result<u64, StoreError> {
        end_sessions(&mut *self.acquire().await?, user_id).await
    }

    pub async fn record_login_failure(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now_micros())
            .execute(&mut *self.acquire().await?)
            .await?;
        Ok(())
    }

    pub async fn login_failures_since(&self, key: &str, since: Timestamp) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at > $2")
            .bind(key)
            .bind(to_micros(since))
            .fetch_one(&mut *self.acquire().await?)
            .await?;
        Ok(row.try_get(0)?)
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1").bind(key).execute(&mut *self.acquire().await?).await?;
        Ok(())
    }
}

/// Stores a reset link's token hash for `user_id`, valid until `expires`.
pub async fn create_password_reset(conn: &mut Conn, token_hash: &str, user_id: i64, expires: Timestamp) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(now_micros())
        .bind(to_micros(expires))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Uses a reset link: returns its user if the link exists, is unused and has not expired, and
/// marks it used in the same statement (so it works once, even when clicked twice at once).
pub async fn use_password_reset(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
    )
    .bind(to_micros(now))
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Whether a reset link can still be used (to show the form, without using it).
pub async fn password_reset_valid(conn: &mut Conn, token_hash: &str, now: Timestamp) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT 1 FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
        .bind(token_hash)
        .bind(to_micros(now))
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.is_some())
}

pub async fn set_profile(conn: &mut Conn, user_id: i64, name: &str, language: Language) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET name = $1, language = $2, updated_at = $3 WHERE id = $4")
        .bind(name)
        .bind(language.code())
        .bind(now_micros())
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// Ends every session of a user but one (after a password change in that session).
    pub async fn delete_other_sessions(&self, user_id: i64, keep_id_hash: &str) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
            .bind(user_id)
            .bind(keep_id_hash)
            .execute(&mut *self.acquire().await?)
            .await?
            .rows_affected())
    }
}

impl Store {
    /// Whether `user_id` belongs to customer card `customer_id`, and as what.
    pub async fn membership(&self, user_id: i64, customer_id: i64) -> Result<Option<Membership>, StoreError> {
        Ok(self.memberships(user_id).await?.into_iter().find(|m| m.customer_id == customer_id))
    }
}

//! Billing in the panel: a card's subscriptions (cancel, renew), credit balance, invoices with
//! their lines and the latest notifications; the renewal link of the opt-in e-mail; and the same
//! overview for staff, who record payments there. Amounts and dates are written for the reader's
//! language; every rule (what may be cancelled when, what a payment settles) is the engine's.

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::Date;
use loket_app::billing::overview::SubscriptionOverview;
use loket_domain::access::{Permission, Permissions};
use loket_domain::billing::document::DocKind;
use loket_domain::billing::notice::Notice;
use loket_domain::{Currency, Language, Money};
use loket_i18n::{t, t_args};
use loket_store::accounts::Session;
use loket_store::audit::{Actor, ActorKind};
use loket_store::billing::documents::{DocumentFilter, DocumentSummary, Party};
use loket_store::billing::payments::Notification;
use loket_store::billing::subscriptions::Subscription;
use loket_store::customers::Customer;
use serde::Serialize;
use serde_json::{Value, json};

use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, notice, render_page};
use crate::http::session::{SignedIn, check_csrf};
use crate::{AppState, Lang, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/billing", get(my_billing))
        .route("/customers/{id}/billing", get(billing))
        .route("/customers/{id}/invoices/{invoice}", get(invoice))
        .route("/customers/{id}/subscriptions/{sid}/cancel", post(cancel))
        .route("/customers/{id}/subscriptions/{sid}/renew", post(renew))
        .route("/renew/{token}", get(renewal_link).post(renew_by_link))
}

/// Amounts, dates and numbers as a reader of `lang` writes them.
#[derive(Clone, Copy)]
pub(crate) struct Fmt {
    lang: Language,
    currency: Currency,
}

impl Fmt {
    pub(crate) fn new(lang: Lang, currency: Currency) -> Fmt {
        Fmt { lang: lang.lang, currency }
    }

    pub(crate) fn money(self, minor: i64) -> String {
        loket_i18n::format_money(self.lang, Money::new(minor, self.currency))
    }

    pub(crate) fn date(self, d: Date) -> String {
        loket_i18n::format_date(self.lang, d)
    }

    fn opt(self, d: Option<Date>) -> Option<String> {
        d.map(|d| self.date(d))
    }

    /// A period whose end is exclusive, written with its last day.
    fn period(self, from: Date, to: Date) -> String {
        let last = to.yesterday().unwrap_or(to).max(from);
        t_args(self.lang, "billing-period", &[("from", &self.date(from)), ("to", &self.date(last))])
    }

    /// `value / 10^decimals` without trailing zeros: 2100 basis points → `21`, 550 → `5,5`.
    fn decimal(self, value: i64, decimals: u32) -> String {
        let scale = 10i64.pow(decimals);
        let (whole, frac) = (value / scale, (value % scale).abs());
        if frac == 0 {
            return whole.to_string();
        }
        let sep = if self.lang == Language::En { "." } else { "," };
        let frac = format!("{frac:0width$}", width = decimals as usize);
        format!("{whole}{sep}{}", frac.trim_end_matches('0'))
    }

    fn percent(self, basis_points: i64) -> String {
        format!("{}%", self.decimal(basis_points, 2))
    }
}

/// "Plan (label)", or the plan alone.
fn service(plan: &str, label: &str) -> String {
    if label.trim().is_empty() { plan.to_string() } else { format!("{plan} ({label})") }
}

fn actor(session: &Session) -> Actor {
    Actor::new(ActorKind::User, session.user.id.to_string())
}

/// The card, if the caller is on it with `need`; not on it: 404, like a card that does not exist.
pub(super) async fn member_card(
    state: &AppState,
    session: &Session,
    id: &str,
    need: Permission,
) -> Result<(Customer, Permissions), WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let m = crate::http::session::membership(state, session, id).await?.ok_or(WebError::NotFound)?;
    if !m.permissions.has(need) {
        return Err(WebError::Forbidden(format!("you may not do this for this card ({})", need.name())));
    }
    Ok((state.store.customer(id).await?.ok_or(WebError::NotFound)?, m.permissions))
}

/// What a billing page shows of a card: for its own users (links to their pages; `manage`
/// shows the cancel and renew buttons) or for `staff`.
pub(super) async fn overview(state: &AppState, lang: Lang, customer: &Customer, staff: bool, manage: bool) -> Result<Value, WebError> {
    let billing = state.billing();
    let f = Fmt::new(lang, state.provider.currency);
    let o = billing.overview(customer.id, billing.today()).await?;
    let subscriptions: Vec<Value> = o.subscriptions.iter().map(|s| subscription(f, s, manage, o.consumer, &state.provider)).collect();
    let filter = DocumentFilter { customer_id: Some(customer.id), limit: 100, ..Default::default() };
    let documents: Vec<DocumentRow> =
        state.store.documents(&filter).await?.iter().map(|d| document(Fmt::new(lang, d.currency), d)).collect();
    let tz = jiff::tz::TimeZone::get(&state.provider.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let notes: Vec<Note> = state.store.notifications(customer.id, 20).await?.iter().map(|n| note(f, &tz, n)).collect();
    let automatic = super::pay::automatic(state, customer.id, staff || manage).await?;
    Ok(json!({
        "automatic": automatic,
        "customer": customer,
        "staff": staff,
        "subscriptions": subscriptions,
        "documents": documents,
        "notifications": notes,
        "credit": (o.credit_balance != 0).then(|| f.money(o.credit_balance)),
        // Private customers read amounts with VAT, businesses without, as everywhere.
        "pending": o.pending.iter().map(|p| json!({
            "date": f.date(p.created_on),
            "description": p.description,
            "quantity": (p.quantity_milli != 1000).then(|| f.decimal(p.quantity_milli, 3)),
            "amount": f.money(if o.consumer { p.gross } else { p.net }),
        })).collect::<Vec<_>>(),
        "pending_amount": if o.consumer { "billing-pending-amount-gross" } else { "billing-pending-amount-net" },
        "today": billing.today().to_string(),
        "may_order": manage && !staff && customer.replaced_by.is_none(),
        "repeatedly_late": o.repeatedly_late,
    }))
}

/// One subscription as a row: private customers read prices with VAT, businesses without;
/// every end is written as its last day.
fn subscription(f: Fmt, s: &SubscriptionOverview, manage: bool, consumer: bool, provider: &loket_domain::ProviderIdentity) -> Value {
    let cancellable = s.cancellable && s.cancellation_channels.contains(&"portal");
    // Terms that take a cancellation only by e-mail or letter: say how, and where to, instead
    // of a button.
    let how_to_cancel = (manage && s.cancellable && !cancellable && !s.cancellation_channels.is_empty()).then(|| {
        let ways: Vec<String> = s.cancellation_channels.iter().map(|c| t(f.lang, &format!("billing-channel-{c}")).to_lowercase()).collect();
        let address = format!("{}, {} {}", provider.address.street, provider.address.postal_code, provider.address.city);
        t_args(f.lang, "billing-cancel-how", &[("ways", &ways.join(" / ")), ("email", &provider.email), ("address", &address)])
    });
    let (price_key, next_key, price, next) = if consumer {
        ("billing-price-gross", "billing-next-invoice-gross", s.price_gross, s.next_invoice_gross)
    } else {
        ("billing-price-net", "billing-next-invoice", s.price, s.next_invoice_amount)
    };
    let next_invoice =
        s.next_invoice_date.zip(next).map(|(d, a)| t_args(f.lang, next_key, &[("date", &f.date(d)), ("amount", &f.money(a))]));
    let cancel_before = s
        .cancel_before
        .zip(s.ends_if_cancelled)
        .map(|(d, e)| t_args(f.lang, "billing-cancel-before", &[("date", &f.date(d)), ("last_day", &f.date(e.yesterday().unwrap_or(e)))]));
    json!({
        "id": s.id,
        "plan": s.plan,
        "label": s.label,
        "state": s.state,
        "price": t_args(f.lang, price_key, &[("amount", &f.money(price))]),
        "term": s.term_start.zip(s.term_end).map(|(from, to)| f.period(from, to)),
        "next_invoice": next_invoice,
        "cancel_before": cancel_before,
        "renew_before": if s.renewable { s.renewed_until.map(|d| f.date(d.yesterday().unwrap_or(d))) } else { None },
        "last_day": f.opt(s.last_day),
        "can_cancel": manage && cancellable,
        "cancellable": s.cancellable,
        "channels": s.cancellation_channels,
        "cancel_effect": s.ends_if_cancelled.map(|e| t_args(f.lang, "billing-cancel-effect", &[("last_day", &f.date(e.yesterday().unwrap_or(e)))])),
        "can_renew": manage && s.renewable,
        "how_to_cancel": how_to_cancel,
        "add_on_to": s.add_on_to,
    })
}

/// A document as a row of a list: its dates and amounts written for the reader.
#[derive(Serialize)]
pub(super) struct DocumentRow {
    id: i64,
    number: String,
    kind: &'static str,
    issue_date: String,
    due_date: String,
    amount: String,
    open: String,
    open_cents: i64,
    state: &'static str,
}

pub(super) fn document(f: Fmt, d: &DocumentSummary) -> DocumentRow {
    DocumentRow {
        id: d.id,
        number: d.number.clone(),
        kind: d.kind.name(),
        issue_date: f.date(d.issue_date),
        due_date: f.date(d.due_date),
        amount: f.money(d.gross),
        open: f.money(d.open_amount()),
        open_cents: d.open_amount(),
        state: d.state.name(),
    }
}

/// A notification as the panel lists it.
#[derive(Serialize)]
pub(crate) struct Note {
    pub id: i64,
    pub read: bool,
    /// When it was made, on the provider's clock, as the reader writes it.
    pub when: String,
    pub text: String,
    /// The invoice it is about, linked.
    pub invoice_id: Option<i64>,
}

/// A notification as one line of text: its amounts and dates written for the reader; the
/// renewal token it may carry stays out.
pub(crate) fn note(f: Fmt, tz: &jiff::tz::TimeZone, n: &Notification) -> Note {
    let empty = serde_json::Map::new();
    let value = n.notice.data();
    let data = value.as_object().unwrap_or(&empty);
    let mut args: Vec<(String, String)> = data
        .iter()
        .filter(|(k, _)| k.as_str() != "token")
        .filter_map(|(k, v)| {
            let text = match v {
                Value::Number(x) if matches!(k.as_str(), "amount" | "open" | "to_credit") => f.money(x.as_i64()?),
                // Only what has a date's shape is tried as one: a failed parse builds an error.
                Value::String(s) if looks_like_date(s) => s.parse::<Date>().map(|d| f.date(d)).unwrap_or_else(|_| s.clone()),
                Value::String(s) => s.clone(),
                Value::Number(x) => x.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some((k.clone(), text))
        })
        .collect();
    let text_of = |k: &str| data.get(k).and_then(Value::as_str).unwrap_or("");
    args.push(("service".into(), service(text_of("plan"), text_of("subscription"))));
    args.push(("kind_text".into(), t(f.lang, &format!("billing-kind-{}", data.get("kind").and_then(Value::as_str).unwrap_or("invoice")))));
    args.push(("event".into(), n.notice.kind().name().into()));
    let key = match &n.notice {
        // A credit note is not paid: it says what it credits.
        Notice::InvoiceIssued(d) if d.kind == DocKind::CreditNote => "billing-note-credit_note_issued".into(),
        notice => format!("billing-note-{}", notice.kind().name()),
    };
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Note {
        id: n.id,
        read: n.read,
        when: loket_i18n::format_datetime(f.lang, &n.created_at.to_zoned(tz.clone())),
        text: t_args(f.lang, &key, &refs),
        invoice_id: n.notice.invoice_id(),
    }
}

/// `YYYY-MM-DD`'s shape: ten characters with dashes after the year and the month.
fn looks_like_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-'
}

/// The notification mails link to `/billing`: the one card the reader sees the billing of, or
/// the account page with all their cards.
async fn my_billing(State(state): State<AppState>, SignedIn(session): SignedIn) -> Response {
    match state.store.memberships(session.user.id).await {
        Ok(list) => match list.iter().filter(|m| m.permissions.has(Permission::ViewInvoices)).collect::<Vec<_>>().as_slice() {
            [one] => Redirect::to(&format!("/customers/{}/billing", one.customer_id)).into_response(),
            _ => Redirect::to("/account").into_response(),
        },
        Err(e) => error_page(e),
    }
}

async fn billing(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(id): Path<String>) -> Response {
    let result = async {
        let (customer, may) = member_card(&state, &session, &id, Permission::ViewInvoices).await?;
        let mut data = overview(&state, lang, &customer, false, may.has(Permission::ManageServices)).await?;
        if may.has(Permission::PayInvoices) {
            data["direct_debit"] = super::direct_debit::summary(&state, &customer).await?;
        }
        Ok::<_, WebError>(data)
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "billing/customer.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// The fields of a party frozen on a document.
fn party(p: &Party) -> Value {
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// One document of `customer` as issued: lines with their period of use, the VAT breakdown,
/// the payment reference and the data of both parties frozen on it.
pub(super) async fn invoice_data(state: &AppState, lang: Lang, customer: &Customer, invoice: &str, staff: bool) -> Result<Value, WebError> {
    invoice_page(state, lang, customer, invoice, if staff { Viewer::Staff } else { Viewer::Member }, None).await
}

/// Who looks at an invoice: staff, a user of the card who may pay it, or one who may only read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Viewer {
    Staff,
    Payer,
    Member,
}

/// [`invoice_data`], after coming back from the payment provider's checkout for online payment
/// `returned`.
pub(super) async fn invoice_page(
    state: &AppState,
    lang: Lang,
    customer: &Customer,
    invoice: &str,
    viewer: Viewer,
    returned: Option<&str>,
) -> Result<Value, WebError> {
    let staff = viewer == Viewer::Staff;
    let id: i64 = invoice.parse().map_err(|_| WebError::NotFound)?;
    let doc = state.store.document(id).await?.filter(|d| d.customer_id == customer.id).ok_or(WebError::NotFound)?;
    let f = Fmt::new(lang, doc.currency);
    let lines: Vec<Value> = state
        .store
        .document_lines(doc.id)
        .await?
        .iter()
        .map(|l| {
            json!({
                "position": l.position,
                "description": l.description,
                "period": l.period_from.zip(l.period_to).map(|(from, to)| f.period(from, to)),
                "quantity": f.decimal(l.quantity_milli, 3),
                "unit_price": f.money(l.unit_price),
                "net": f.money(l.net),
                "vat_rate": f.percent(l.vat_rate),
            })
        })
        .collect();
    let vat: Vec<Value> = doc
        .vat_breakdown
        .iter()
        .map(|b| json!({"code": b.code, "rate": f.percent(b.rate), "taxable": f.money(b.taxable), "vat": f.money(b.vat)}))
        .collect();
    let credits = match doc.credits_invoice_id {
        Some(i) => state.store.document(i).await?.map(|d| json!({ "id": d.id, "number": d.number })),
        None => None,
    };
    let (buyer, seller) = (party(&doc.customer), party(&doc.provider));
    let files: Vec<&str> = loket_app::documents::offered(&doc).into_iter().map(|f| f.name()).collect();
    // Where the e-invoice went (the SDI, Peppol); what went wrong only for staff.
    let transmissions: Vec<Value> = {
        let mut conn = state.store.acquire().await?;
        loket_store::billing::transmissions::of_invoice(&mut conn, doc.id)
            .await?
            .into_iter()
            .map(|t| {
                json!({
                    "channel": t.channel,
                    "state": t.state,
                    "when": f.date(t.updated_at.to_zoned(state.provider.tz()).date()),
                    "detail": if staff { t.detail } else { None },
                })
            })
            .collect()
    };
    let online = super::pay::invoice_online(state, lang, &doc, viewer, returned).await?;
    Ok(json!({
        "online": online,
        "transmissions": transmissions,
        "customer": customer,
        "staff": staff,
        "files": files,
        "doc": {
            "id": doc.id,
            "number": doc.number,
            "kind": doc.kind.name(),
            "state": doc.state.name(),
            "issue_date": f.date(doc.issue_date),
            "due_date": f.date(doc.due_date),
            "net": f.money(doc.net),
            "vat": f.money(doc.vat),
            "gross": f.money(doc.gross),
            "paid": (doc.paid > 0).then(|| f.money(doc.paid)),
            "credited": (doc.credited > 0).then(|| f.money(doc.credited)),
            "paid_on": f.opt(doc.paid_on),
            "open": f.money(doc.open_amount()),
            "open_cents": doc.open_amount(),
            "payment_reference": doc.payment_reference,
        },
        "lines": lines,
        "vat": vat,
        "buyer": buyer,
        "seller": seller,
        "credits": credits,
    }))
}

async fn invoice(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, invoice)): Path<(String, String)>,
    Query(query): Query<Fields>,
) -> Response {
    let result = async {
        let (customer, permissions) = member_card(&state, &session, &id, Permission::ViewInvoices).await?;
        let returned = Some(field(&query, "payment")).filter(|p| !p.is_empty());
        let may_pay = permissions.has(Permission::PayInvoices);
        invoice_page(&state, lang, &customer, &invoice, if may_pay { Viewer::Payer } else { Viewer::Member }, returned).await
    }
    .await;
    match result {
        Ok(data) => render_page(&state, lang, Some(&session), "billing/invoice.html.j2", StatusCode::OK, data),
        Err(e) => error_page(e),
    }
}

/// A short page after cancelling or renewing: what happened (`text`, translated already), or
/// what went wrong (`detail`, the engine's words), with a link back to the card's billing.
#[allow(clippy::too_many_arguments)]
fn outcome(
    state: &AppState,
    lang: Lang,
    session: &Session,
    status: StatusCode,
    title: &str,
    text: String,
    detail: Option<String>,
    back: Option<i64>,
) -> Response {
    let data = json!({ "title": title, "text": text, "detail": detail, "customer_id": back });
    render_page(state, lang, Some(session), "billing/result.html.j2", status, data)
}

/// Refusals the customer can act on show why (the engine's reason under a translated line);
/// the rest are error pages. `what` is `cancel` or `renew`.
fn failure(state: &AppState, lang: Lang, session: &Session, err: WebError, what: &str, back: Option<i64>) -> Response {
    let (key, detail) = match &err {
        WebError::Conflict(message) => (format!("billing-{what}-conflict"), message.clone()),
        WebError::BadRequest { message, .. } => ("billing-failed-text".into(), message.clone()),
        WebError::Invalid(errors) => {
            ("billing-failed-text".into(), errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; "))
        }
        _ => return error_page(err),
    };
    let title = format!("billing-{what}-failed");
    outcome(state, lang, session, err.status(), &title, t(lang.lang, &key), Some(detail), back)
}

/// The card (the caller may manage its services) and its subscription `sid`, with the plan's name.
async fn managed_subscription(
    state: &AppState,
    session: &Session,
    id: &str,
    sid: &str,
) -> Result<(Customer, Subscription, String), WebError> {
    let (customer, _) = member_card(state, session, id, Permission::ManageServices).await?;
    let sid: i64 = sid.parse().map_err(|_| WebError::NotFound)?;
    let s = state.store.subscription(sid).await?.filter(|s| s.customer_id == customer.id).ok_or(WebError::NotFound)?;
    let plan = state.store.catalog(state.provider.currency).await?.plans.get(&s.plan_id).map(|p| p.name.clone()).unwrap_or_default();
    Ok((customer, s, plan))
}

/// Cancels through the portal, received today; the terms decide when it takes effect.
async fn cancel(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, sid)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let back = id.parse::<i64>().ok();
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let (_, s, plan) = managed_subscription(&state, &session, &id, &sid).await?;
        let billing = state.billing();
        let done = billing.cancel(&actor(&session), s.id, &billing.today().to_string(), "portal", None).await?;
        state.wake_jobs();
        Ok::<_, WebError>((service(&plan, &s.label), done))
    }
    .await;
    match result {
        Ok((service, done)) => {
            let f = Fmt::new(lang, state.provider.currency);
            let c = &done.cancellation;
            let mut text = t_args(lang.lang, "billing-cancelled-text", &[("service", &service), ("last_day", &f.date(done.last_day))]);
            if let Some(missed) = c.missed_deadline {
                text = format!("{text} {}", t_args(lang.lang, "billing-cancelled-late", &[("deadline", &f.date(missed))]));
            }
            outcome(&state, lang, &session, StatusCode::OK, "billing-cancelled-title", text, None, back)
        }
        Err(e) => failure(&state, lang, &session, e, "cancel", back),
    }
}

fn renewed(state: &AppState, lang: Lang, session: &Session, service: &str, until: Date, back: Option<i64>) -> Response {
    let last_day = Fmt::new(lang, state.provider.currency).date(until.yesterday().unwrap_or(until));
    let text = t_args(lang.lang, "billing-renewed-text", &[("service", service), ("last_day", &last_day)]);
    outcome(state, lang, session, StatusCode::OK, "billing-renewed-title", text, None, back)
}

/// Renews an opt-in subscription for one more term from the billing page.
async fn renew(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path((id, sid)): Path<(String, String)>,
    Form(form): Form<Fields>,
) -> Response {
    let back = id.parse::<i64>().ok();
    let result = async {
        check_csrf(&session, field(&form, "csrf"))?;
        let (_, s, plan) = managed_subscription(&state, &session, &id, &sid).await?;
        let until = state.billing().renew(&actor(&session), s.id).await?;
        state.wake_jobs();
        Ok::<_, WebError>((service(&plan, &s.label), until))
    }
    .await;
    match result {
        Ok((service, until)) => renewed(&state, lang, &session, &service, until, back),
        Err(e) => failure(&state, lang, &session, e, "renew", back),
    }
}

/// The subscription a renewal link is for, if the link is valid and the reader may manage the
/// services of its card (`Forbidden` otherwise).
async fn link_subscription(state: &AppState, session: &Session, token: &str) -> Result<Option<(Customer, Subscription)>, WebError> {
    let Some(s) = state.billing().subscription_by_renewal_token(token).await? else { return Ok(None) };
    match member_card(state, session, &s.customer_id.to_string(), Permission::ManageServices).await {
        Ok((customer, _)) => Ok(Some((customer, s))),
        Err(WebError::NotFound | WebError::Forbidden(_)) => Err(WebError::Forbidden("not a card you manage the services of".into())),
        Err(e) => Err(e),
    }
}

fn link_refused(state: &AppState, lang: Lang, err: WebError) -> Response {
    match err {
        WebError::Forbidden(_) => {
            notice(state, lang, StatusCode::FORBIDDEN, "renew-title", "renew-not-allowed", "/account", "account-title")
        }
        e => error_page(e),
    }
}

/// The renewal link of the opt-in e-mail: what will be renewed, and the button. Signing in
/// comes first (the sign-in page brings the reader back here).
async fn renewal_link(State(state): State<AppState>, lang: Lang, SignedIn(session): SignedIn, Path(token): Path<String>) -> Response {
    let result = async {
        let Some((customer, s)) = link_subscription(&state, &session, &token).await? else { return Ok(None) };
        let billing = state.billing();
        let o = billing.overview(customer.id, billing.today()).await?;
        let entry = o.subscriptions.iter().find(|x| x.id == s.id).ok_or(WebError::NotFound)?;
        let f = Fmt::new(lang, state.provider.currency);
        Ok::<_, WebError>(Some(json!({
            "customer": customer,
            "token": token,
            "service": service(&entry.plan, &entry.label),
            "until": f.opt(entry.renewed_until.map(|d| d.yesterday().unwrap_or(d))),
            "renewable": entry.renewable,
            "price": if o.consumer { t_args(lang.lang, "billing-price-gross", &[("amount", &f.money(entry.price_gross))]) }
                     else { t_args(lang.lang, "billing-price-net", &[("amount", &f.money(entry.price))]) },
        })))
    }
    .await;
    match result {
        Ok(Some(data)) => render_page(&state, lang, Some(&session), "billing/renew.html.j2", StatusCode::OK, data),
        Ok(None) => notice(&state, lang, StatusCode::GONE, "renew-title", "renew-invalid", "/", "error-back-home"),
        Err(e) => link_refused(&state, lang, e),
    }
}

async fn renew_by_link(
    State(state): State<AppState>,
    lang: Lang,
    SignedIn(session): SignedIn,
    Path(token): Path<String>,
    Form(form): Form<Fields>,
) -> Response {
    if let Err(e) = check_csrf(&session, field(&form, "csrf")) {
        return error_page(e);
    }
    let (customer, s) = match link_subscription(&state, &session, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return notice(&state, lang, StatusCode::GONE, "renew-title", "renew-invalid", "/", "error-back-home"),
        Err(e) => return link_refused(&state, lang, e),
    };
    let back = Some(customer.id);
    let result = async {
        let plan = state.store.catalog(state.provider.currency).await?.plans.get(&s.plan_id).map(|p| p.name.clone()).unwrap_or_default();
        let until = state.billing().renew(&actor(&session), s.id).await?;
        state.wake_jobs();
        Ok::<_, WebError>((service(&plan, &s.label), until))
    }
    .await;
    match result {
        Ok((service, until)) => renewed(&state, lang, &session, &service, until, back),
        Err(e) => failure(&state, lang, &session, e, "renew", back),
    }
}

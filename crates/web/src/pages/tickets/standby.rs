//! The standby planner for staff who work on tickets (seed 003): the periods agreed from now on;
//! a span in the provider's local time (and any call-outs, for the preview) priced part by part
//! before staff agree it with a card; and the call-out form that opens the urgent ticket when a
//! customer calls during agreed standby.

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::civil::DateTime;
use loket_app::helpdesk::{CalloutInput, StandbyInput};
use loket_domain::access::StaffAction;
use loket_domain::helpdesk::standby::{StandbyCategory, StandbyQuote};
use loket_domain::{FieldError, Language, Money};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{errors_map, settings, typed};
use crate::http::extract::{Fields, field};
use crate::http::render::{error_page, render_page};
use crate::http::session::{Staff, check_csrf};
use crate::{AppState, Lang, WebError};

/// Call-out rows of the preview form.
const CALLOUT_ROWS: usize = 3;

const FIELDS: [&str; 14] = [
    "customer",
    "starts",
    "ends",
    "note",
    "callouts",
    "standby",
    "callouts[0].at",
    "callouts[0].worked_minutes",
    "callouts[1].at",
    "callouts[1].worked_minutes",
    "callouts[2].at",
    "callouts[2].worked_minutes",
    "hourly_rate",
    "callout_customer",
];

const CALLOUT_FIELDS: [&str; 5] = ["callout_customer", "at", "subject", "body", "callout"];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/standby", get(planner).post(price))
        .route("/staff/standby/callout", post(callout))
        .route("/staff/standby/{sid}/confirmation.pdf", get(staff_confirmation))
}

/// A period's confirmation, the PDF its card was mailed.
async fn staff_confirmation(
    State(state): State<AppState>,
    staff: Staff,
    axum::extract::Path(sid): axum::extract::Path<String>,
) -> Response {
    let result = async {
        helpdesk_staff(&state, &staff)?;
        let sid: i64 = sid.parse().map_err(|_| WebError::NotFound)?;
        Ok::<_, WebError>(state.app.standby_confirmation_pdf(sid, None).await?)
    }
    .await;
    match result {
        Ok((name, bytes)) => crate::http::download::pdf(&name, "standby.pdf", bytes),
        Err(e) => error_page(e),
    }
}

fn helpdesk_staff(state: &AppState, staff: &Staff) -> Result<(), WebError> {
    settings(state)?;
    staff.require(StaffAction::ManageHelpdesk)
}

/// A local date and time as people read it: `vr 4 december 2026 18:00`.
pub(crate) fn local(lang: Language, dt: DateTime) -> String {
    let day = loket_i18n::t(lang, &format!("tickets-weekday-{}", dt.weekday().to_monday_one_offset()));
    format!("{day} {} {:02}:{:02}", loket_i18n::format_date(lang, dt.date()), dt.hour(), dt.minute())
}

/// Minutes as hours and minutes: `14 h 30 min`.
fn minutes(lang: Language, m: u32) -> String {
    let (h, rest) = (m / 60, m % 60);
    let hours = loket_i18n::t_args(lang, "tickets-hours", &[("n", &h.to_string())]);
    let mins = loket_i18n::t_args(lang, "tickets-minutes", &[("n", &rest.to_string())]);
    match (h, rest) {
        (0, _) => mins,
        (_, 0) => hours,
        _ => format!("{hours} {mins}"),
    }
}

fn category(c: StandbyCategory) -> &'static str {
    match c {
        StandbyCategory::OfficeHours => "office_hours",
        StandbyCategory::EveningNight => "evening_night",
        StandbyCategory::Weekend => "weekend",
        StandbyCategory::Holiday => "holiday",
    }
}

/// A quote as the planner shows it, part by part.
fn quote(lang: Language, q: &StandbyQuote) -> Value {
    let money = |m: Money| loket_i18n::format_money(lang, m);
    json!({
        "hourly_rate": money(q.hourly_rate),
        "parts": q.parts.iter().map(|p| json!({
            "category": loket_i18n::t(lang, &format!("tickets-standby-category-{}", category(p.category))),
            "office": p.category == StandbyCategory::OfficeHours,
            "start": local(lang, p.start),
            "end": local(lang, p.end),
            "minutes": minutes(lang, p.minutes),
            "billed": minutes(lang, p.billed_minutes),
            "minimum": p.billed_minutes > p.minutes,
            "percent": p.percent,
            "price": money(p.price),
        })).collect::<Vec<_>>(),
        "callouts": q.callouts.iter().map(|c| json!({
            "at": local(lang, c.at),
            "respond_by": local(lang, c.respond_by),
            "worked": minutes(lang, c.worked_minutes),
            "billed": minutes(lang, c.billed_minutes),
            "percent": c.percent,
            "price": money(c.price),
        })).collect::<Vec<_>>(),
        "standby_total": money(q.standby_total),
        "callout_total": money(q.callout_total),
        "total": money(q.total),
    })
}

#[derive(Deserialize, Default)]
struct Done {
    agreed: Option<String>,
}

/// Standby periods as rows: the planner's (every card's, from now on) or one card's tickets
/// page (the past year and ahead), each with its confirmation's reference.
pub(crate) async fn periods(state: &AppState, lang: Language, customer_id: Option<i64>, limit: i64) -> Result<Vec<Value>, WebError> {
    let mut conn = state.store.acquire().await?;
    let list = loket_store::helpdesk::work::standby_periods(&mut conn, customer_id, state.app.now(), limit).await?;
    Ok(list
        .iter()
        .map(|p| {
            let at = |s: &str| s.parse::<DateTime>().map(|d| local(lang, d)).unwrap_or_else(|_| s.to_string());
            let currency = p.currency.parse().unwrap_or(state.provider.currency);
            json!({
                "id": p.id, "reference": loket_app::helpdesk::standby_reference(p.id), "customer_id": p.customer_id, "customer": p.customer_name,
                "starts": at(&p.starts_local), "ends": at(&p.ends_local),
                "total": loket_i18n::format_money(lang, Money::new(p.total, currency)),
                "note": p.note, "billed": p.item_id.is_some(),
            })
        })
        .collect())
}

/// The planner: its periods, the span form (with a preview once priced, or what was wrong) and
/// the call-out form.
#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    lang: Lang,
    staff: &Staff,
    form: &Fields,
    preview: Option<Value>,
    errors: &[FieldError],
    callout: (&Fields, &[FieldError]),
    agreed: Option<String>,
    status: StatusCode,
) -> Response {
    let result = async {
        helpdesk_staff(state, staff)?;
        let l = lang.lang;
        let mut values = typed(form, &FIELDS);
        values["rows"] = json!(
            (0..CALLOUT_ROWS)
                .map(|i| json!({
                    "i": i,
                    "at": field(form, &format!("callouts[{i}].at")),
                    "worked_minutes": field(form, &format!("callouts[{i}].worked_minutes")),
                }))
                .collect::<Vec<_>>()
        );
        let now = state.app.now().to_zoned(state.provider.tz()).datetime();
        let mut callout_values = typed(callout.0, &CALLOUT_FIELDS);
        if callout_values["at"] == "" {
            callout_values["at"] = json!(now.strftime("%Y-%m-%dT%H:%M").to_string());
        }
        let has_callouts = (0..CALLOUT_ROWS).any(|i| !field(form, &format!("callouts[{i}].at")).trim().is_empty());
        let rate = state.app.hourly_rate().await?.map(|r| loket_i18n::format_money(l, r));
        Ok::<_, WebError>(json!({
            "periods": periods(state, l, None, 50).await?,
            "form": values,
            "preview": preview,
            "can_agree": !has_callouts && !field(form, "customer").trim().is_empty(),
            "errors": errors_map(l, errors, &FIELDS),
            "callout": callout_values,
            "callout_errors": errors_map(l, callout.1, &CALLOUT_FIELDS),
            "hourly_rate": rate,
            "regime": settings(state)?.standby,
            "agreed": agreed,
        }))
    }
    .await;
    match result {
        Ok(data) => render_page(state, lang, Some(&staff.0), "tickets/standby.html.j2", status, data),
        Err(e) => error_page(e),
    }
}

async fn planner(State(state): State<AppState>, lang: Lang, staff: Staff, Query(q): Query<Done>) -> Response {
    let agreed = q.agreed.filter(|a| a.chars().all(|c| c.is_ascii_digit()) && a.len() < 20);
    page(&state, lang, &staff, &Vec::new(), None, &[], (&Vec::new(), &[]), agreed, StatusCode::OK).await
}

/// The card typed into `name`: its number (`C000001`) or id; nothing when left empty.
async fn card_id(state: &AppState, name: &str, text: &str) -> Result<Option<i64>, WebError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let found = match text.parse::<i64>() {
        Ok(id) => state.store.customer(id).await?,
        Err(_) => state.store.customer_by_number(&text.to_uppercase()).await?,
    };
    found
        .map(|c| Some(c.id))
        .ok_or_else(|| FieldError::new(name, format!("no customer card `{}`", loket_domain::input::sample(text))).into())
}

/// The span form read: the card, the span and the call-outs filled in.
async fn input(state: &AppState, form: &Fields) -> Result<StandbyInput, WebError> {
    let mut callouts = Vec::new();
    let mut errors = Vec::new();
    for i in 0..CALLOUT_ROWS {
        let at = field(form, &format!("callouts[{i}].at")).trim();
        if at.is_empty() {
            continue;
        }
        let name = format!("callouts[{i}].worked_minutes");
        let worked = match field(form, &name).trim() {
            "" => 0,
            w => w.parse::<u32>().unwrap_or_else(|_| {
                errors.push(FieldError::new(&name, "a whole number of minutes"));
                0
            }),
        };
        callouts.push(CalloutInput { at: at.to_string(), worked_minutes: worked });
    }
    let customer_id = match card_id(state, "customer", field(form, "customer")).await {
        Ok(c) => c,
        Err(WebError::Invalid(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    Ok(StandbyInput {
        customer_id,
        starts: field(form, "starts").to_string(),
        ends: field(form, "ends").to_string(),
        callouts,
        note: field(form, "note").to_string(),
    })
}

/// Call-out rows numbered as the form has them (the service counts only those filled in).
fn callout_fields(form: &Fields, errors: Vec<FieldError>) -> Vec<FieldError> {
    let filled: Vec<usize> = (0..CALLOUT_ROWS).filter(|i| !field(form, &format!("callouts[{i}].at")).trim().is_empty()).collect();
    errors
        .into_iter()
        .map(|mut e| {
            if let Some(rest) = e.field.strip_prefix("callouts[")
                && let Some((n, tail)) = rest.split_once(']')
                && let Some(row) = n.parse::<usize>().ok().and_then(|n| filled.get(n))
            {
                e.field = format!("callouts[{row}]{tail}");
            }
            if e.field == "customer_id" {
                e.field = "customer".into();
            }
            e
        })
        .collect()
}

/// What the span form did: priced the span, or agreed it.
enum Priced {
    Preview(StandbyQuote),
    Agreed(i64),
}

/// Previews the span's price (`action` preview) or agrees it with the card (`action` agree).
async fn price(State(state): State<AppState>, lang: Lang, staff: Staff, Form(form): Form<Fields>) -> Response {
    let agree = field(&form, "action") == "agree";
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let input = input(&state, &form).await?;
        if agree {
            return Ok::<_, WebError>(Priced::Agreed(state.app.agree_standby(&staff.actor(), &staff.0.user, &input).await?));
        }
        Ok(Priced::Preview(state.app.standby_preview(&input).await?))
    }
    .await;
    match result {
        Ok(Priced::Agreed(id)) => Redirect::to(&format!("/staff/standby?agreed={id}")).into_response(),
        Ok(Priced::Preview(q)) => {
            page(&state, lang, &staff, &form, Some(quote(lang.lang, &q)), &[], (&Vec::new(), &[]), None, StatusCode::OK).await
        }
        Err(WebError::Invalid(errors)) => {
            let errors = callout_fields(&form, errors);
            page(&state, lang, &staff, &form, None, &errors, (&Vec::new(), &[]), None, StatusCode::BAD_REQUEST).await
        }
        Err(WebError::BadRequest { field: None, message }) => {
            let errors = [FieldError::new("standby", message)];
            page(&state, lang, &staff, &form, None, &errors, (&Vec::new(), &[]), None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => error_page(e),
    }
}

/// A customer calls during agreed standby: the urgent ticket is opened and shown.
async fn callout(State(state): State<AppState>, lang: Lang, staff: Staff, Form(form): Form<Fields>) -> Response {
    let result = async {
        check_csrf(&staff.0, field(&form, "csrf"))?;
        helpdesk_staff(&state, &staff)?;
        let mut errors = Vec::new();
        let customer = match card_id(&state, "callout_customer", field(&form, "callout_customer")).await {
            Ok(Some(c)) => Some(c),
            Ok(None) => {
                errors.push(FieldError::new("callout_customer", "fill this in"));
                None
            }
            Err(WebError::Invalid(e)) => {
                errors.extend(e);
                None
            }
            Err(e) => return Err(e),
        };
        let at = match field(&form, "at").trim() {
            "" => None,
            text => match text.replace(' ', "T").parse::<DateTime>().ok().and_then(|dt| dt.to_zoned(state.provider.tz()).ok()) {
                Some(z) => Some(z.timestamp()),
                None => {
                    errors.push(FieldError::new(
                        "at",
                        format!("`{}` is not a local date and time like 2026-12-04T18:00", loket_domain::input::sample(text)),
                    ));
                    None
                }
            },
        };
        let Some(customer) = customer.filter(|_| errors.is_empty()) else {
            return Err(WebError::Invalid(errors));
        };
        let (id, _) =
            state.app.standby_callout(&staff.actor(), &staff.0.user, customer, at, field(&form, "subject"), field(&form, "body")).await?;
        Ok(id)
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/staff/tickets/{id}?done=callout")).into_response(),
        Err(WebError::Invalid(errors)) => {
            let errors: Vec<FieldError> = errors
                .into_iter()
                .map(|mut e| {
                    if e.field == "customer_id" {
                        e.field = "callout_customer".into();
                    }
                    e
                })
                .collect();
            page(&state, lang, &staff, &Vec::new(), None, &[], (&form, &errors), None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => error_page(e),
    }
}

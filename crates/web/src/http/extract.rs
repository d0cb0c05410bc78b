//! Reading a request's JSON body and query string so that a bad one is a 400 naming what is
//! wrong (axum's own rejections answer in plain text).

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Json, Query};

use crate::WebError;

/// The body, or a 400 naming what is wrong with it (a 413 when it is larger than a route reads).
pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|Json(t)| t).map_err(|e| {
        too_large(&e).unwrap_or_else(|| WebError::BadRequest { field: None, message: loket_domain::input::sample_long(&e.body_text()) })
    })
}

/// A body over the limit: 413, saying what the limit is.
fn too_large(e: &JsonRejection) -> Option<WebError> {
    (e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE)
        .then(|| WebError::TooLarge(format!("the request body is larger than the {} MiB a request may carry", crate::BODY_LIMIT_MIB)))
}

/// The body, or a 400 naming what is wrong with it and, where it can be told, the field at
/// fault (`callouts[0].worked_minutes`, a missing or unknown field).
pub(crate) fn body_named<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, WebError> {
    b.map(|Json(t)| t).map_err(|e| {
        too_large(&e).unwrap_or_else(|| {
            let text = e.body_text();
            WebError::BadRequest { field: field_of(&text), message: loket_domain::input::sample_long(&text) }
        })
    })
}

/// The field a JSON rejection's text names: the path serde gives before its message, or the
/// field of "missing field `x`" / "unknown field `x`".
fn field_of(text: &str) -> Option<String> {
    let detail = text.split_once("target type: ").map(|(_, d)| d)?;
    for marker in ["missing field `", "unknown field `"] {
        if let Some(rest) = detail.split_once(marker).map(|(_, r)| r) {
            return rest.split_once('`').map(|(f, _)| f.to_string());
        }
    }
    let (path, _) = detail.split_once(": ")?;
    (!path.is_empty() && path != "." && !path.contains(' ')).then(|| path.to_string())
}

/// The query, or a 400 naming what is wrong with it.
pub(crate) fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, WebError> {
    q.map(|Query(t)| t).map_err(|e| WebError::BadRequest { field: None, message: loket_domain::input::sample_long(&e.body_text()) })
}

/// A submitted form as its pairs, in order (a name may repeat, e.g. checkboxes).
pub(crate) type Fields = Vec<(String, String)>;

/// The first value of `name` in a submitted form, or "" when it was not sent.
pub(crate) fn field<'a>(form: &'a Fields, name: &str) -> &'a str {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("")
}

/// An amount field of a form, as people type it (`72,42`, `1.234,56`) in the plain spelling the
/// services read (see [`loket_domain::money::plain_amount`]).
pub(crate) fn amount_field(form: &Fields, name: &str) -> String {
    loket_domain::money::plain_amount(field(form, name)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::field_of;

    #[test]
    fn the_field_of_a_rejection() {
        let t = "Failed to deserialize the JSON body into the target type: callouts[0].worked_minutes: invalid type: string \"x\", expected u32 at line 1 column 9";
        assert_eq!(field_of(t).as_deref(), Some("callouts[0].worked_minutes"));
        let t = "Failed to deserialize the JSON body into the target type: missing field `starts` at line 1 column 2";
        assert_eq!(field_of(t).as_deref(), Some("starts"));
        let t = "Failed to deserialize the JSON body into the target type: unknown field `start`, expected one of `starts`, `ends` at line 1 column 8";
        assert_eq!(field_of(t).as_deref(), Some("start"));
        assert_eq!(field_of("Failed to parse the request body as JSON: EOF while parsing a value at line 1 column 0"), None);
    }
}

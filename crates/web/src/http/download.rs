//! A stored file as a download: its type, an attachment name, its SHA-256 as the ETag, kept out
//! of shared caches. A file someone uploaded (a ticket's attachment) is served only with a type
//! from an allow-list, as an attachment with a cleaned name, never sniffed nor run.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use loket_app::documents::Format;
use loket_app::exports::ExportFile;
use loket_store::billing::files::StoredFile;

fn attachment(name: &str) -> String {
    format!("attachment; filename=\"{}\"", name.replace(['"', '\\', '\r', '\n'], "_"))
}

pub fn document(file: StoredFile, format: Format) -> Response {
    let disposition = attachment(&file.file_name);
    let mut response = (StatusCode::OK, file.content).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(format.content_type()));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("\"{}\"", file.sha256)) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// A PDF made on request (a report, a confirmation): the same bytes for the same input, not
/// stored, so no ETag.
pub fn pdf(name: &str, fallback: &str, bytes: Vec<u8>) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&attachment(&clean_file_name(name, fallback))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// An export (a journal, a ZIP of documents) streamed from its temporary file in chunks, never
/// read whole into memory; the file is gone once the answer is sent.
pub fn export(export: ExportFile) -> Response {
    let chunks = futures_util::stream::try_unfold(export.file, |mut f| async move {
        tokio::task::spawn_blocking(move || {
            use std::io::Read;
            let mut buf = vec![0u8; 256 * 1024];
            let n = f.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((n > 0).then_some((buf, f)))
        })
        .await
        .map_err(std::io::Error::other)?
    });
    let mut response = (StatusCode::OK, Body::from_stream(chunks)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(export.content_type));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(export.len));
    if let Ok(v) = HeaderValue::from_str(&attachment(&export.name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// Content types a browser may be told an uploaded file has: documents and images it shows
/// inertly. Anything else (HTML, SVG, scripts …) is served as `application/octet-stream`.
const SAFE_TYPES: [&str; 16] = [
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "text/plain",
    "text/csv",
    "application/zip",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "message/rfc822",
    "application/json",
];

/// The type an uploaded file is served as: its own when on the allow-list (parameters dropped,
/// text as UTF-8), else `application/octet-stream`.
pub fn safe_content_type(declared: &str) -> String {
    let essence = declared.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match SAFE_TYPES.iter().find(|t| **t == essence) {
        Some(t) if t.starts_with("text/") => format!("{t}; charset=utf-8"),
        Some(t) => t.to_string(),
        None => "application/octet-stream".to_string(),
    }
}

/// A file name fit for `Content-Disposition`: no path, no control or quoting characters, at
/// most 150 characters; `fallback` when nothing is left.
pub fn clean_file_name(name: &str, fallback: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if matches!(c, '"' | ';' | '\\' | '%' | '*') { '_' } else { c })
        .take(150)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() { fallback.to_string() } else { cleaned.to_string() }
}

/// `attachment; filename="…"` with an ASCII stand-in, and `filename*` (RFC 5987) with the name
/// in UTF-8 when it is not plain ASCII.
fn disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii() && !c.is_ascii_control() { c } else { '_' }).collect();
    if ascii == name {
        return format!("attachment; filename=\"{ascii}\"");
    }
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// An uploaded file as a download: a safe type, always an attachment, never sniffed, and a
/// sandbox should a browser open it anyway.
pub fn uploaded(bytes: Vec<u8>, file_name: &str, declared_type: &str) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&safe_content_type(declared_type)) {
        h.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition(&clean_file_name(file_name, "attachment"))) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inert_types_are_served_as_themselves() {
        assert_eq!(safe_content_type("application/pdf"), "application/pdf");
        assert_eq!(safe_content_type("IMAGE/PNG; name=x.png"), "image/png");
        assert_eq!(safe_content_type("text/plain; charset=iso-8859-1"), "text/plain; charset=utf-8");
        for bad in ["text/html", "image/svg+xml", "application/javascript", "application/xhtml+xml", "", "text/html; x=application/pdf"] {
            assert_eq!(safe_content_type(bad), "application/octet-stream", "{bad}");
        }
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\scan.pdf", "x"), "scan.pdf");
        assert_eq!(clean_file_name("a\"b;c\r\n.txt", "x"), "a_b_c.txt");
        assert_eq!(clean_file_name("  ", "attachment"), "attachment");
        assert_eq!(clean_file_name(".htaccess", "x"), "htaccess");
        assert_eq!(clean_file_name(&"é".repeat(400), "x").chars().count(), 150);
        assert_eq!(disposition("scan.pdf"), "attachment; filename=\"scan.pdf\"");
        assert_eq!(disposition("foto één.jpg"), "attachment; filename=\"foto __n.jpg\"; filename*=UTF-8''foto%20%C3%A9%C3%A9n.jpg");
    }
}

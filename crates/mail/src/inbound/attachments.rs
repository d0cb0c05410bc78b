//! Attachments: the parts that are not the body, with names safe to store and serve.

use mail_parser::{HeaderName, Message, MimeHeaders, PartType};

use super::{Attachment, normalize_id};

/// File names are cut to this many bytes (extension kept), well under the 255 of file systems.
pub const MAX_FILENAME_BYTES: usize = 150;

/// Collects every part mail-parser did not take as the body.
pub(super) fn collect(message: &Message<'_>) -> Vec<Attachment> {
    let mut out = Vec::new();
    for &id in &message.attachments {
        let Some(part) = message.parts.get(id as usize) else { continue };
        let (content_type, bytes) = match &part.body {
            PartType::Multipart(_) => continue,
            PartType::Text(text) | PartType::Html(text) => {
                // Decoded to UTF-8 by the parser. A part it could not decode (bad base64, a broken
                // message/rfc822) is handed over as its raw text under its declared type.
                let declared = mime_type(part, "text/plain");
                let content_type = if declared.starts_with("text/") { format!("{declared}; charset=utf-8") } else { declared };
                (content_type, text.as_bytes().to_vec())
            }
            PartType::Binary(bytes) | PartType::InlineBinary(bytes) => (mime_type(part, "application/octet-stream"), bytes.to_vec()),
            PartType::Message(inner) => (mime_type(part, "message/rfc822"), inner.raw_message().to_vec()),
        };
        let disposition = part.content_disposition();
        let inline = !disposition.is_some_and(|d| d.is_attachment())
            && (disposition.is_some_and(|d| d.is_inline()) || matches!(part.body, PartType::InlineBinary(_)));
        let given = part.attachment_name().map(str::to_string).or_else(|| match &part.body {
            PartType::Message(inner) => inner.subject().map(|s| format!("{s}.eml")),
            _ => None,
        });
        let filename = match given.map(|n| sanitize_filename(&n)) {
            Some(name) if name != "attachment" => name,
            _ => format!("attachment-{}.{}", out.len() + 1, extension(&content_type)),
        };
        let content_id = part.headers.iter().find(|h| h.name == HeaderName::ContentId).and_then(|h| match &h.value {
            mail_parser::HeaderValue::Text(t) => normalize_id(t),
            mail_parser::HeaderValue::TextList(l) => l.first().and_then(|t| normalize_id(t)),
            _ => None,
        });
        out.push(Attachment { filename, content_type, content_id, inline, bytes });
    }
    out
}

fn mime_type(part: &mail_parser::MessagePart<'_>, default: &str) -> String {
    match part.content_type() {
        Some(ct) => {
            let t = ct.ctype().trim().to_ascii_lowercase();
            let sub = ct.subtype().map(|s| s.trim().to_ascii_lowercase()).unwrap_or_default();
            let token = |s: &str| !s.is_empty() && s.len() <= 100 && s.bytes().all(|b| b.is_ascii_graphic() && b != b'/' && b != b';');
            if token(&t) && token(&sub) { format!("{t}/{sub}") } else { default.to_string() }
        }
        None => default.to_string(),
    }
}

fn extension(content_type: &str) -> &'static str {
    let bare = content_type.split(';').next().unwrap_or_default();
    match bare {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" | "image/jpg" | "image/pjpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "text/plain" => "txt",
        "text/html" => "html",
        "text/csv" => "csv",
        "text/calendar" => "ics",
        "text/rfc822-headers" => "txt",
        "message/rfc822" | "message/global" => "eml",
        "message/delivery-status" | "message/global-delivery-status" => "txt",
        "application/zip" => "zip",
        "application/json" => "json",
        "application/xml" | "text/xml" => "xml",
        _ => "bin",
    }
}

/// A file name safe to store and to offer for download: only the last path component (no `/`,
/// `\`, `..`), no control or bidirectional-override characters, none of `<>:"|?*`, no leading
/// or trailing dots and spaces, no Windows device names (CON, NUL, COM1 …), at most
/// [`MAX_FILENAME_BYTES`] bytes with the extension kept. `attachment` when nothing is left.
pub fn sanitize_filename(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut clean = String::with_capacity(last.len().min(4 * MAX_FILENAME_BYTES));
    for c in last.chars() {
        if c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}') {
            continue;
        }
        let c = if c.is_whitespace() {
            ' '
        } else if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
            '_'
        } else {
            c
        };
        if !(c == ' ' && clean.ends_with(' ')) {
            clean.push(c);
        }
    }
    let mut clean = clean.trim_matches(|c: char| c == '.' || c == ' ').to_string();
    if clean.is_empty() {
        return "attachment".to_string();
    }
    let stem_upper = clean.split('.').next().unwrap_or_default().trim_end().to_ascii_uppercase();
    let reserved = matches!(stem_upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (stem_upper.len() == 4
            && (stem_upper.starts_with("COM") || stem_upper.starts_with("LPT"))
            && stem_upper.as_bytes()[3].is_ascii_digit());
    if reserved {
        clean.insert(0, '_');
    }
    if clean.len() > MAX_FILENAME_BYTES {
        clean = shorten(&clean);
    }
    clean
}

/// Cuts a name to [`MAX_FILENAME_BYTES`], keeping a short extension.
fn shorten(name: &str) -> String {
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 && name.len() - dot <= 16 => (&name[..dot], &name[dot..]),
        _ => (name, ""),
    };
    let room = MAX_FILENAME_BYTES - ext.len();
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{ext}", stem[..cut].trim_end_matches([' ', '.']))
}

#[cfg(test)]
mod tests {
    use super::{MAX_FILENAME_BYTES, sanitize_filename};

    #[test]
    fn paths_and_traversal_are_removed() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("..\\..\\Windows\\system32\\cmd.exe"), "cmd.exe");
        assert_eq!(sanitize_filename("C:\\Users\\jan\\factuur.pdf"), "factuur.pdf");
        assert_eq!(sanitize_filename(".."), "attachment");
        assert_eq!(sanitize_filename("dir/"), "attachment");
        assert_eq!(sanitize_filename(".htaccess"), "htaccess");
    }

    #[test]
    fn control_and_spoofing_characters_are_removed() {
        assert_eq!(sanitize_filename("evil\0.exe"), "evil.exe");
        assert_eq!(sanitize_filename("a\r\nb\t.txt"), "ab.txt");
        assert_eq!(sanitize_filename("invoice\u{202E}fdp.exe"), "invoicefdp.exe");
        assert_eq!(sanitize_filename("what?<is>*this|\".txt"), "what__is__this__.txt");
        assert_eq!(sanitize_filename("\0\0\0"), "attachment");
        assert_eq!(sanitize_filename("  spaced   out  .pdf "), "spaced out .pdf");
    }

    #[test]
    fn device_names_and_unicode_survive() {
        assert_eq!(sanitize_filename("CON.txt"), "_CON.txt");
        assert_eq!(sanitize_filename("com1"), "_com1");
        assert_eq!(sanitize_filename("console.txt"), "console.txt");
        assert_eq!(sanitize_filename("Überweisung März – café.pdf"), "Überweisung März – café.pdf");
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long = format!("{}.pdf", "é".repeat(200));
        let cut = sanitize_filename(&long);
        assert!(cut.len() <= MAX_FILENAME_BYTES, "{}", cut.len());
        assert!(cut.ends_with("é.pdf"), "{cut}");
        let no_ext = "x".repeat(1000);
        assert_eq!(sanitize_filename(&no_ext).len(), MAX_FILENAME_BYTES);
    }
}

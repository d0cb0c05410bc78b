//! HTML to readable text: tags stripped, entities decoded, paragraphs kept, scripts and styles
//! dropped, quoted blocks (`<blockquote>`) marked with `> ` so that [`super::reply_text`] can cut
//! them like quoted plain text. One pass over the input, no recursion: safe on any string.

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &["script", "style", "title", "template", "xml", "noscript", "head"];

/// Elements that stand on their own lines with a blank line around them.
const PARAGRAPH: &[&str] =
    &["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre", "dl", "address", "figure", "hr", "blockquote"];

/// Elements that start a new line.
const LINE: &[&str] = &[
    "div", "li", "tr", "dt", "dd", "section", "article", "header", "footer", "nav", "main", "aside", "form", "fieldset", "caption",
    "center", "details", "summary",
];

/// Makes an HTML document or fragment readable as plain text.
pub fn html_to_text(html: &str) -> String {
    let mut out = Writer::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut pre = 0usize;
    // The link being written: its address, and where its text starts in the output.
    let mut link: Option<(String, usize)> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                let Some(tag) = Tag::read(html, i) else {
                    out.text("<", pre > 0);
                    i += 1;
                    continue;
                };
                i = tag.end;
                if tag.name.is_empty() {
                    continue; // comment, doctype, processing instruction
                }
                if !tag.closing && HIDDEN.contains(&tag.name.as_str()) && !tag.self_closing {
                    i = skip_hidden(html, i, &tag.name);
                    continue;
                }
                match tag.name.as_str() {
                    "br" => out.newline(),
                    "blockquote" if tag.closing => {
                        out.paragraph();
                        out.quote_depth = out.quote_depth.saturating_sub(1);
                    }
                    "blockquote" => {
                        out.paragraph();
                        out.quote_depth = out.quote_depth.saturating_add(1).min(32);
                    }
                    "pre" => {
                        out.paragraph();
                        pre = if tag.closing { pre.saturating_sub(1) } else { pre + 1 };
                    }
                    "li" if !tag.closing => {
                        out.newline();
                        out.text("- ", true);
                    }
                    "td" | "th" if !tag.closing => out.space(),
                    "a" if !tag.closing => link = tag.href.map(|h| (h, out.buf.len())),
                    "a" => {
                        if let Some((href, start)) = link.take() {
                            let shown = out.buf.get(start..).unwrap_or_default();
                            if !shown.contains(href.as_str()) && !shown.trim().is_empty() {
                                out.text(&format!(" <{href}>"), true);
                            }
                        }
                    }
                    name if PARAGRAPH.contains(&name) => out.paragraph(),
                    name if LINE.contains(&name) => out.newline(),
                    _ => {}
                }
            }
            b'&' => {
                let (decoded, len) = entity(&html[i..]);
                out.text(&decoded, pre > 0);
                i += len;
            }
            _ => {
                let end = html[i..].find(['<', '&']).map_or(html.len(), |n| i + n);
                out.text(&html[i..end], pre > 0);
                i = end;
            }
        }
    }
    out.finish()
}

/// Skips past the closing tag of a hidden element (to the end if it is never closed).
fn skip_hidden(html: &str, from: usize, name: &str) -> usize {
    let close = format!("</{name}");
    let rest = &html.as_bytes()[from..];
    let found = rest.windows(close.len()).position(|w| w.eq_ignore_ascii_case(close.as_bytes()));
    match found {
        Some(at) => {
            let start = from + at;
            html[start..].find('>').map_or(html.len(), |n| start + n + 1)
        }
        None if name == "head" => from, // an unclosed head may hold the whole body: keep it
        None => html.len(),
    }
}

struct Tag {
    /// Lower-case element name; empty for comments, doctypes and processing instructions.
    name: String,
    closing: bool,
    self_closing: bool,
    /// An http(s) link target, for `<a>`.
    href: Option<String>,
    /// The byte just after the tag.
    end: usize,
}

impl Tag {
    /// Reads the tag that starts at `at` (a `<`); `None` when the `<` does not start a tag.
    fn read(html: &str, at: usize) -> Option<Tag> {
        let rest = &html[at..];
        let empty = |end| Some(Tag { name: String::new(), closing: false, self_closing: false, href: None, end });
        if let Some(body) = rest.strip_prefix("<!--") {
            return empty(body.find("-->").map_or(html.len(), |n| at + 4 + n + 3));
        }
        let b = rest.as_bytes();
        match b.get(1) {
            Some(b'!' | b'?') => return empty(rest.find('>').map_or(html.len(), |n| at + n + 1)),
            Some(b'/') => {}
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => return None,
        }
        let closing = b[1] == b'/';
        let name_start = if closing { 2 } else { 1 };
        let name_len = b[name_start..].iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b':')).count();
        if name_len == 0 {
            return None;
        }
        let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
        // Find the end of the tag, stepping over quoted attribute values.
        let mut j = name_start + name_len;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'>') => break,
                (None, q @ (b'"' | b'\'')) => quote = Some(q),
                (Some(q), c) if c == q => quote = None,
                _ => {}
            }
            j += 1;
        }
        let attrs = &rest[name_start + name_len..j.min(rest.len())];
        let self_closing = attrs.trim_end().ends_with('/');
        let href = if name == "a" && !closing { attribute(attrs, "href").filter(|h| is_web_link(h)) } else { None };
        Some(Tag { name, closing, self_closing, href, end: (at + j + 1).min(html.len()) })
    }
}

fn is_web_link(href: &str) -> bool {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && href.len() <= 2000
}

/// The value of an attribute, entities decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(n) = lower[from..].find(name) {
        let at = from + n;
        from = at + name.len();
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = attrs.len() - after.len() + 1;
        let value = attrs[value_start..].trim_start();
        let raw = match value.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => value[1..].split(q as char).next().unwrap_or_default(),
            _ => value.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or_default(),
        };
        let mut decoded = String::new();
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            decoded.push_str(&rest[..amp]);
            let (text, len) = entity(&rest[amp..]);
            decoded.push_str(&text);
            rest = &rest[amp + len..];
        }
        decoded.push_str(rest);
        return Some(decoded.trim().to_string());
    }
    None
}

/// Decodes the entity at the start of `s` (which starts with `&`): the text and the bytes used.
/// Not an entity: `("&", 1)`.
fn entity(s: &str) -> (String, usize) {
    let body = &s[1..];
    let end = body.bytes().take(32).position(|c| c == b';');
    let (name, used) = match end {
        Some(n) => (&body[..n], n + 2),
        None => {
            // Entities without ';' are common in old mail (&nbsp &amp): accept the known names.
            let n = body.bytes().take_while(u8::is_ascii_alphanumeric).count().min(32);
            (&body[..n], n + 1)
        }
    };
    let decoded = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => num.parse::<u32>().ok(),
        };
        code.map(|c| match c {
            0 => '\u{FFFD}',
            // Windows-1252 code points sent as numeric references.
            0x80..=0x9F => windows_1252(c),
            c => char::from_u32(c).unwrap_or('\u{FFFD}'),
        })
        .map(String::from)
    } else {
        named(name).map(String::from)
    };
    match decoded {
        Some(text) if !name.is_empty() => (text, used),
        _ => ("&".to_string(), 1),
    }
}

fn windows_1252(c: u32) -> char {
    const TABLE: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•',
        '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    TABLE.get((c - 0x80) as usize).copied().unwrap_or('\u{FFFD}')
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" | "NBSP" => "\u{A0}",
        "shy" => "",
        "zwnj" => "\u{200C}",
        "zwj" => "\u{200D}",
        "ensp" => "\u{2002}",
        "emsp" => "\u{2003}",
        "thinsp" => "\u{2009}",
        "copy" | "COPY" => "©",
        "reg" | "REG" => "®",
        "trade" => "™",
        "euro" => "€",
        "pound" => "£",
        "yen" => "¥",
        "cent" => "¢",
        "sect" => "§",
        "para" => "¶",
        "deg" => "°",
        "plusmn" => "±",
        "times" => "×",
        "divide" => "÷",
        "micro" => "µ",
        "middot" => "·",
        "bull" => "•",
        "hellip" => "…",
        "ndash" => "–",
        "mdash" => "—",
        "lsquo" => "‘",
        "rsquo" => "’",
        "sbquo" => "‚",
        "ldquo" => "“",
        "rdquo" => "”",
        "bdquo" => "„",
        "laquo" => "«",
        "raquo" => "»",
        "lsaquo" => "‹",
        "rsaquo" => "›",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "sup1" => "¹",
        "sup2" => "²",
        "sup3" => "³",
        "larr" => "←",
        "rarr" => "→",
        "uarr" => "↑",
        "darr" => "↓",
        "check" => "✓",
        "Agrave" => "À",
        "Aacute" => "Á",
        "Acirc" => "Â",
        "Atilde" => "Ã",
        "Auml" => "Ä",
        "Aring" => "Å",
        "AElig" => "Æ",
        "Ccedil" => "Ç",
        "Egrave" => "È",
        "Eacute" => "É",
        "Ecirc" => "Ê",
        "Euml" => "Ë",
        "Igrave" => "Ì",
        "Iacute" => "Í",
        "Icirc" => "Î",
        "Iuml" => "Ï",
        "Ntilde" => "Ñ",
        "Ograve" => "Ò",
        "Oacute" => "Ó",
        "Ocirc" => "Ô",
        "Otilde" => "Õ",
        "Ouml" => "Ö",
        "Oslash" => "Ø",
        "Ugrave" => "Ù",
        "Uacute" => "Ú",
        "Ucirc" => "Û",
        "Uuml" => "Ü",
        "Yacute" => "Ý",
        "szlig" => "ß",
        "agrave" => "à",
        "aacute" => "á",
        "acirc" => "â",
        "atilde" => "ã",
        "auml" => "ä",
        "aring" => "å",
        "aelig" => "æ",
        "ccedil" => "ç",
        "egrave" => "è",
        "eacute" => "é",
        "ecirc" => "ê",
        "euml" => "ë",
        "igrave" => "ì",
        "iacute" => "í",
        "icirc" => "î",
        "iuml" => "ï",
        "ntilde" => "ñ",
        "ograve" => "ò",
        "oacute" => "ó",
        "ocirc" => "ô",
        "otilde" => "õ",
        "ouml" => "ö",
        "oslash" => "ø",
        "ugrave" => "ù",
        "uacute" => "ú",
        "ucirc" => "û",
        "uuml" => "ü",
        "yacute" => "ý",
        "yuml" => "ÿ",
        "Scaron" => "Š",
        "scaron" => "š",
        "Zcaron" => "Ž",
        "zcaron" => "ž",
        "OElig" => "Œ",
        "oelig" => "œ",
        "ij" | "ijlig" => "ĳ",
        _ => return None,
    })
}

/// Builds the text: whitespace folded outside `<pre>`, line and paragraph breaks merged, quote
/// marks in front of lines inside blockquotes.
#[derive(Default)]
struct Writer {
    buf: String,
    /// Breaks asked for since the last text: 0 none, 1 newline, 2 blank line.
    pending_break: u8,
    pending_space: bool,
    quote_depth: u8,
    at_line_start: bool,
}

impl Writer {
    fn newline(&mut self) {
        self.pending_break = self.pending_break.max(1);
    }

    fn paragraph(&mut self) {
        self.pending_break = 2;
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn start_line(&mut self) {
        for _ in 0..self.quote_depth {
            self.buf.push_str("> ");
        }
        self.at_line_start = true;
    }

    fn flush_breaks(&mut self) {
        if self.buf.is_empty() {
            self.pending_break = 0;
            self.pending_space = false;
            self.start_line();
            return;
        }
        if self.pending_break > 0 {
            for _ in 0..self.pending_break {
                self.buf.push('\n');
            }
            self.pending_break = 0;
            self.pending_space = false;
            self.start_line();
        }
    }

    fn text(&mut self, text: &str, preformatted: bool) {
        for c in text.chars() {
            if preformatted {
                self.flush_breaks();
                if c == '\n' {
                    self.buf.push('\n');
                    self.start_line();
                } else if c != '\r' {
                    self.buf.push(if c == '\u{A0}' { ' ' } else { c });
                    self.at_line_start = false;
                }
            } else if c.is_whitespace() || c.is_control() {
                // A non-breaking space is text the writer meant, but read as a space.
                if c == '\u{A0}' && !self.at_line_start {
                    self.flush_breaks();
                    self.buf.push(' ');
                } else {
                    self.pending_space = true;
                }
            } else {
                if self.buf.is_empty() || self.pending_break > 0 {
                    self.flush_breaks();
                } else if self.pending_space && !self.at_line_start {
                    self.buf.push(' ');
                }
                self.pending_space = false;
                self.buf.push(c);
                self.at_line_start = false;
            }
        }
    }

    fn finish(self) -> String {
        let mut out = String::with_capacity(self.buf.len());
        let mut blank_run = 0;
        for line in self.buf.split('\n') {
            let line = line.trim_end();
            let is_blank = line.trim_start_matches(['>', ' ']).is_empty();
            if is_blank {
                blank_run += 1;
                if blank_run > 1 || out.is_empty() {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            out.push_str(line);
            out.push('\n');
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn paragraphs_breaks_and_entities() {
        let html = "<html><head><title>T</title><style>p{color:red}</style></head><body>\
            <p>Hallo&nbsp;Jan,</p><p>De factuur van &euro;&#160;12,50 is&nbsp;betaald&#x21;<br>Groet,<br>Piet</p>\
            <script>alert('x')</script><!-- comment --></body></html>";
        assert_eq!(html_to_text(html), "Hallo Jan,\n\nDe factuur van € 12,50 is betaald!\nGroet,\nPiet");
    }

    #[test]
    fn whitespace_is_folded_but_pre_is_kept() {
        assert_eq!(html_to_text("<div>a\n   b</div><div>c</div>"), "a b\nc");
        assert_eq!(html_to_text("<pre>x  y\n  z</pre>after"), "x  y\n  z\n\nafter");
    }

    #[test]
    fn blockquotes_are_marked_as_quotes() {
        let html = "<div>Yes, done.</div><div class=\"gmail_quote\">On Mon, A wrote:<blockquote>Is it done?<br>Please?</blockquote></div>";
        assert_eq!(html_to_text(html), "Yes, done.\nOn Mon, A wrote:\n\n> Is it done?\n> Please?");
    }

    #[test]
    fn lists_tables_and_links() {
        let html = "<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>\
            <a href=\"https://example.nl/x?a=1&amp;b=2\">hier</a> <a href='https://example.nl'>https://example.nl</a>";
        assert_eq!(html_to_text(html), "- one\n- two\n\na b\n\nhier <https://example.nl/x?a=1&b=2> https://example.nl");
    }

    #[test]
    fn broken_markup_does_not_lose_text_or_panic() {
        assert_eq!(html_to_text("a < b && c > d"), "a < b && c > d");
        assert_eq!(html_to_text("<p>open <b>bold"), "open bold");
        assert_eq!(html_to_text("x <script>never closed"), "x");
        assert_eq!(html_to_text("<head><meta charset=utf-8>body text"), "body text");
        assert_eq!(html_to_text("&#0;&#xD800;&#99999999;&bogus;&"), "\u{FFFD}\u{FFFD}\u{FFFD}&bogus;&");
        assert_eq!(html_to_text("<a href=\"x"), "");
        assert_eq!(html_to_text("é<"), "é<");
        assert_eq!(html_to_text("&#150; &#x80;"), "– €");
    }
}

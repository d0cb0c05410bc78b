//! A small XML writer: elements opened and closed in order, text and attribute values escaped,
//! two-space indentation so a diff of two documents reads line by line.

pub(crate) struct Xml {
    out: String,
    open: Vec<&'static str>,
}

impl Xml {
    pub fn new() -> Self {
        let mut out = String::with_capacity(8 * 1024);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Xml { out, open: Vec::new() }
    }

    fn indent(&mut self) {
        for _ in 0..self.open.len() {
            self.out.push_str("  ");
        }
    }

    fn attrs(&mut self, attrs: &[(&str, &str)]) {
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v);
            self.out.push('"');
        }
    }

    /// Opens `name` with `attrs`; [`Xml::close`] ends it.
    pub fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push_str(">\n");
        self.open.push(name);
        self
    }

    pub fn close(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.indent();
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
        }
        self
    }

    /// `<name attrs>text</name>` on one line.
    pub fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        self.attrs(attrs);
        self.out.push('>');
        escape_into(&mut self.out, text);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
        self
    }

    pub fn leaf(&mut self, name: &str, text: &str) -> &mut Self {
        self.leaf_with(name, &[], text)
    }

    /// A leaf only when there is a (non-blank) value.
    pub fn opt(&mut self, name: &str, text: Option<&str>) -> &mut Self {
        match text.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => self.leaf(name, t),
            None => self,
        }
    }

    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Escapes markup characters and drops characters XML 1.0 cannot carry (control characters).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut x = Xml::new();
        x.open("a", &[("k", "\"<&>'")]).leaf("b", "Bakker & Zn <b>\u{1}").close();
        let s = x.finish();
        assert!(s.contains(r#"<a k="&quot;&lt;&amp;&gt;&apos;">"#), "{s}");
        assert!(s.contains("<b>Bakker &amp; Zn &lt;b&gt;</b>"), "{s}");
    }
}

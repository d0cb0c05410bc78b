//! Pages being drawn: text in the two fonts, rules, filled boxes, and a page break that repeats
//! what every page carries. Coordinates are PDF points from the bottom-left of an A4 page.

use std::collections::BTreeSet;

use pdf_writer::{Content, Name, Str};

use crate::fonts::{Font, Fonts};

pub const WIDTH: f32 = 595.28;
pub const HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
/// Nothing but the footer goes below this line.
pub const BOTTOM: f32 = 72.0;

pub const REGULAR: Name<'static> = Name(b"F1");
pub const BOLD: Name<'static> = Name(b"F2");

#[derive(Clone, Copy)]
pub enum Weight {
    Regular,
    Bold,
}

#[derive(Clone, Copy)]
pub enum Ink {
    Text,
    Muted,
    Accent,
}

pub struct Canvas {
    pub fonts: &'static Fonts,
    pub pages: Vec<Content>,
    /// The baseline the next block starts from on the current page.
    pub y: f32,
    pub accent: [f32; 3],
    /// The CIDs drawn in the regular and the bold font: what the document embeds.
    pub used: [BTreeSet<u16>; 2],
}

impl Canvas {
    pub fn new(fonts: &'static Fonts, accent: [u8; 3]) -> Self {
        let accent = accent.map(|c| f32::from(c) / 255.0);
        Canvas { fonts, pages: vec![Content::new()], y: HEIGHT - MARGIN, accent, used: [BTreeSet::new(), BTreeSet::new()] }
    }

    pub fn font(&self, w: Weight) -> &'static Font {
        match w {
            Weight::Regular => &self.fonts.regular,
            Weight::Bold => &self.fonts.bold,
        }
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn ink(&mut self, ink: Ink) {
        let [r, g, b] = match ink {
            Ink::Text => [0.1, 0.1, 0.12],
            Ink::Muted => [0.36, 0.38, 0.42],
            Ink::Accent => self.accent,
        };
        self.page().set_fill_rgb(r, g, b);
    }

    /// `text` with its left end at `x`.
    pub fn text(&mut self, x: f32, y: f32, size: f32, w: Weight, ink: Ink, text: &str) {
        if text.is_empty() {
            return;
        }
        let (name, i) = match w {
            Weight::Regular => (REGULAR, 0),
            Weight::Bold => (BOLD, 1),
        };
        let encoded = self.font(w).encode(text, &mut self.used[i]);
        self.ink(ink);
        let page = self.page();
        page.begin_text();
        page.set_font(name, size);
        page.set_text_matrix([1.0, 0.0, 0.0, 1.0, x, y]);
        page.show(Str(&encoded));
        page.end_text();
    }

    /// `text` with its right end at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, size: f32, w: Weight, ink: Ink, text: &str) {
        let width = self.font(w).width(text, size);
        self.text(right - width, y, size, w, ink, text);
    }

    /// `text` centred on `centre`.
    pub fn text_centred(&mut self, centre: f32, y: f32, size: f32, w: Weight, ink: Ink, text: &str) {
        let width = self.font(w).width(text, size);
        self.text(centre - width / 2.0, y, size, w, ink, text);
    }

    /// A horizontal line.
    pub fn rule(&mut self, x1: f32, x2: f32, y: f32, width: f32, gray: f32) {
        let page = self.page();
        page.set_stroke_gray(gray);
        page.set_line_width(width);
        page.move_to(x1, y);
        page.line_to(x2, y);
        page.stroke();
    }

    /// A filled rectangle in the accent colour (or `gray` when given).
    pub fn fill(&mut self, x: f32, y: f32, w: f32, h: f32, gray: Option<f32>) {
        match gray {
            Some(g) => self.page().set_fill_gray(g),
            None => {
                let [r, g, b] = self.accent;
                self.page().set_fill_rgb(r, g, b)
            }
        };
        self.page().rect(x, y, w, h).fill_nonzero();
    }

    /// Black squares of `size` points for the dark modules of a QR code, one rectangle per run.
    pub fn qr(&mut self, x: f32, top: f32, module: f32, modules: &[Vec<bool>]) {
        let page = self.page();
        page.set_fill_gray(0.0);
        for (row, cells) in modules.iter().enumerate() {
            let y = top - (row as f32 + 1.0) * module;
            let mut col = 0;
            while col < cells.len() {
                if cells[col] {
                    let start = col;
                    while col < cells.len() && cells[col] {
                        col += 1;
                    }
                    page.rect(x + start as f32 * module, y, (col - start) as f32 * module, module);
                } else {
                    col += 1;
                }
            }
        }
        page.fill_nonzero();
    }

    /// The image XObject `name` (of the page's resources) drawn into the box at `x`, `y`
    /// (bottom-left) of `w` × `h` points.
    pub fn image(&mut self, name: Name, x: f32, y: f32, w: f32, h: f32) {
        let page = self.page();
        page.save_state();
        page.transform([w, 0.0, 0.0, h, x, y]);
        page.x_object(name);
        page.restore_state();
    }

    /// Starts a new page; the caller draws what repeats (a table's header).
    pub fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = HEIGHT - MARGIN;
    }

    /// Moves to a new page unless `height` points still fit above the footer.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// `text` from the current position down, broken to the width between the margins, one
    /// line every `leading` points (a line that no longer fits goes to the next page).
    pub fn paragraph(&mut self, text: &str, size: f32, w: Weight, leading: f32) {
        for line in self.wrap(text, size, w, WIDTH - 2.0 * MARGIN) {
            self.ensure(leading);
            let y = self.y;
            self.text(MARGIN, y, size, w, Ink::Text, &line);
            self.y -= leading;
        }
    }

    /// `text` broken into lines no wider than `width` at `size` (words longer than a line are
    /// cut by character).
    pub fn wrap(&self, text: &str, size: f32, w: Weight, width: f32) -> Vec<String> {
        let font = self.font(w);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
                if font.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the column: cut it.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if font.width(&piece, size) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }
}

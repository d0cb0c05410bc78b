//! The footer on every page ("page n of m"), then the PDF's objects: fonts with only the glyphs
//! used, the logo as prepared once, the pages. Objects are numbered in a fixed order, so the
//! same pages give the same bytes.

use loket_domain::Language;
use loket_domain::billing::document::Party;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use crate::canvas::{BOTTOM, Canvas, HEIGHT, Ink, MARGIN, WIDTH, Weight};
use crate::logo::{LOGO, Logo};
use crate::{fonts, tr};

/// What the footer and the document's properties say.
pub(crate) struct Meta<'a> {
    pub lang: Language,
    /// The provider: the footer's name and numbers, the PDF's author.
    pub seller: &'a Party,
    /// What the document is, e.g. "Factuur 2026-00101": the footer's second line, the PDF's title.
    pub label: String,
    pub logo: Option<&'a Logo>,
}

/// Draws the footer on every page of `c` and writes the PDF.
pub(crate) fn finish(mut c: Canvas, meta: &Meta) -> Vec<u8> {
    let lang = meta.lang;
    let total = c.pages.len();
    let s = meta.seller;
    let mut parts = vec![s.legal_name.clone().unwrap_or_default()];
    parts.extend(s.coc_number.as_ref().map(|k| format!("{} {k}", tr(lang, "label-coc", &[]))));
    parts.extend(s.vat_number.as_ref().map(|v| format!("{} {v}", tr(lang, "label-vat", &[]))));
    parts.extend(s.iban.as_ref().map(|i| format!("IBAN {i}")));
    let footer = parts.join(" · ");
    for i in 0..total {
        c.pages.swap(i, total - 1);
        // Draw on page i (now last), then put it back.
        c.rule(MARGIN, WIDTH - MARGIN, BOTTOM - 22.0, 0.3, 0.75);
        c.text(MARGIN, BOTTOM - 34.0, 7.0, Weight::Regular, Ink::Muted, &footer);
        c.text(MARGIN, BOTTOM - 44.0, 7.0, Weight::Regular, Ink::Muted, &meta.label);
        let page = tr(lang, "pdf-page", &[("page", &(i + 1).to_string()), ("pages", &total.to_string())]);
        c.text_right(WIDTH - MARGIN, BOTTOM - 44.0, 7.0, Weight::Regular, Ink::Muted, &page);
        c.pages.swap(i, total - 1);
    }

    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog = alloc();
    let tree = alloc();
    let info = alloc();
    let mut pdf = Pdf::new();
    pdf.set_version(1, 7);
    let fonts = c.fonts;
    let mut font_refs = Vec::new();
    let used = std::mem::take(&mut c.used);
    for ((font, name), used) in [(&fonts.regular, "F1"), (&fonts.bold, "F2")].into_iter().zip(used) {
        // The bundled fonts subset; if one ever did not, the document would be unreadable.
        let embedded = font.embed(&used).expect("the bundled fonts subset");
        let (type0, cid, descriptor, program, cmap, map) = (alloc(), alloc(), alloc(), alloc(), alloc(), alloc());
        let base = Name(font.name.as_bytes());
        pdf.type0_font(type0).base_font(base).encoding_predefined(Name(b"Identity-H")).descendant_font(cid).to_unicode(cmap);
        let mut cf = pdf.cid_font(cid);
        cf.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 })
            .font_descriptor(descriptor)
            .cid_to_gid_map_stream(map);
        let mut widths = cf.widths();
        for (c, w) in &embedded.widths {
            widths.consecutive(*c, [*w]);
        }
        widths.finish();
        cf.finish();
        let [x0, y0, x1, y1] = font.bbox;
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(FontFlags::NON_SYMBOLIC)
            .bbox(Rect::new(x0, y0, x1, y1))
            .italic_angle(0.0)
            .ascent(font.ascent)
            .descent(font.descent)
            .cap_height(font.cap_height)
            .stem_v(80.0)
            .font_file2(program);
        pdf.stream(program, &embedded.program).filter(Filter::FlateDecode);
        pdf.cmap(cmap, &embedded.to_unicode).filter(Filter::FlateDecode);
        pdf.stream(map, &embedded.cid_to_gid).filter(Filter::FlateDecode);
        font_refs.push((name, type0));
    }
    let logo = meta.logo.map(|logo| logo.write(&mut pdf, &mut alloc));
    let mut page_refs = Vec::new();
    for content in std::mem::take(&mut c.pages) {
        let (page, stream) = (alloc(), alloc());
        let data = fonts::compress_fast(&content.finish());
        pdf.stream(stream, &data).filter(Filter::FlateDecode);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT)).parent(tree).contents(stream);
        let mut res = p.resources();
        let mut f = res.fonts();
        for (name, r) in &font_refs {
            f.pair(Name(name.as_bytes()), *r);
        }
        f.finish();
        if let Some(image) = logo {
            res.x_objects().pair(LOGO, image);
        }
        res.finish();
        p.finish();
        page_refs.push(page);
    }
    pdf.pages(tree).kids(page_refs.iter().copied()).count(page_refs.len() as i32);
    pdf.catalog(catalog).pages(tree).lang(TextStr(lang.code()));
    pdf.document_info(info).title(TextStr(&meta.label)).producer(TextStr("Loket")).author(TextStr(s.legal_name.as_deref().unwrap_or("")));
    pdf.finish()
}

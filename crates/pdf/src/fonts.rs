//! The two fonts every document is set in (DejaVu Sans and its bold, shipped in `fonts/`),
//! prepared once per process: subset to the characters Loket writes (Latin-1, Latin
//! Extended-A and typographic punctuation), compressed, with each character's glyph (the CID
//! the text is written in) and advance width. Every PDF embeds the same prepared bytes, so no
//! document pays for subsetting and the output depends on nothing but the document.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// A font ready to embed.
pub struct Font {
    /// PostScript name with the subset tag PDF asks for.
    pub name: String,
    /// The font program cut to the repertoire; each document embeds only the glyphs it uses.
    program: Vec<u8>,
    /// Advance width in thousandths of the font size, by CID (the first is `.notdef`).
    pub widths: Vec<f32>,
    cids: HashMap<char, u16>,
    /// The character of each CID, for the ToUnicode CMap.
    chars: Vec<char>,
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
}

/// The characters kept: what Dutch, Italian, English and the names of European customers need.
fn repertoire() -> impl Iterator<Item = char> {
    let ranges = [(0x20u32, 0x7E), (0xA0, 0x17F), (0x2010, 0x2027), (0x2030, 0x203A)];
    ranges.into_iter().flat_map(|(a, b)| a..=b).chain([0x20AC, 0x2122, 0x2212]).filter_map(char::from_u32)
}

fn prepare(data: &[u8], name: &str) -> Result<Font, String> {
    let face = ttf_parser::Face::parse(data, 0).map_err(|e| format!("{name}: {e}"))?;
    let per_em = f32::from(face.units_per_em());
    let scale = |v: f32| v * 1000.0 / per_em;
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut cids = HashMap::new();
    let mut originals = vec![0u16];
    for c in repertoire() {
        if let Some(g) = face.glyph_index(c) {
            let cid = remapper.remap(g.0);
            if cids.insert(c, cid).is_none() && usize::from(cid) == originals.len() {
                originals.push(g.0);
            }
        }
    }
    let subset = subsetter::subset(data, 0, &remapper).map_err(|e| format!("{name}: subset: {e:?}"))?;
    let widths = originals.iter().map(|g| scale(f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(*g)).unwrap_or(0)))).collect();
    let mut chars = vec!['\u{FFFD}'; originals.len()];
    let mut pairs: Vec<(u16, char)> = cids.iter().map(|(c, cid)| (*cid, *c)).collect();
    // The first character of a glyph two characters share (e.g. a hyphen and U+2010).
    pairs.sort_unstable_by(|a, b| b.cmp(a));
    for (cid, c) in pairs {
        if let Some(slot) = chars.get_mut(usize::from(cid)) {
            *slot = c;
        }
    }
    let b = face.global_bounding_box();
    Ok(Font {
        name: format!("LOKETA+{name}"),
        program: subset,
        widths,
        cids,
        chars,
        ascent: scale(f32::from(face.ascender())),
        descent: scale(f32::from(face.descender())),
        cap_height: scale(f32::from(face.capital_height().unwrap_or(face.ascender()))),
        bbox: [scale(f32::from(b.x_min)), scale(f32::from(b.y_min)), scale(f32::from(b.x_max)), scale(f32::from(b.y_max))],
    })
}

/// Compressed fast: a page's content, done for every document.
pub fn compress_fast(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 1)
}

impl Font {
    /// The CID of `c`, or of `?` for a character the font does not carry.
    pub fn cid(&self, c: char) -> u16 {
        self.cids.get(&c).or_else(|| self.cids.get(&'?')).copied().unwrap_or(0)
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.widths.get(usize::from(self.cid(c))).copied().unwrap_or(0.0)).sum::<f32>() * size / 1000.0
    }

    /// `text` as the two-byte CIDs a Type 0 font with Identity-H encoding shows; the CIDs are
    /// added to `used`.
    pub fn encode(&self, text: &str, used: &mut BTreeSet<u16>) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let cid = self.cid(c);
            used.insert(cid);
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// What one document embeds of this font: the glyphs of `used` only (compressed), the map
    /// from the text's CIDs to them, their widths and characters.
    pub fn embed(&self, used: &BTreeSet<u16>) -> Result<Embedded, String> {
        let mut remapper = subsetter::GlyphRemapper::new();
        let max = used.iter().next_back().copied().unwrap_or(0);
        let mut cid_to_gid = vec![0u8; (usize::from(max) + 1) * 2];
        for cid in used {
            let gid = remapper.remap(*cid);
            let at = usize::from(*cid) * 2;
            cid_to_gid[at..at + 2].copy_from_slice(&gid.to_be_bytes());
        }
        let program = subsetter::subset(&self.program, 0, &remapper).map_err(|e| format!("{}: subset: {e:?}", self.name))?;
        let mut cmap = pdf_writer::types::UnicodeCmap::new(
            pdf_writer::Name(b"Custom"),
            pdf_writer::types::SystemInfo { registry: pdf_writer::Str(b"Adobe"), ordering: pdf_writer::Str(b"Identity"), supplement: 0 },
        );
        for cid in used.iter().filter(|c| **c != 0) {
            if let Some(c) = self.chars.get(usize::from(*cid)) {
                cmap.pair(*cid, *c);
            }
        }
        Ok(Embedded {
            program: compress_fast(&program),
            cid_to_gid: compress_fast(&cid_to_gid),
            to_unicode: compress_fast(&cmap.finish()),
            widths: used.iter().map(|cid| (*cid, self.widths.get(usize::from(*cid)).copied().unwrap_or(0.0))).collect(),
        })
    }
}

/// A font as one document embeds it.
pub struct Embedded {
    pub program: Vec<u8>,
    pub cid_to_gid: Vec<u8>,
    pub to_unicode: Vec<u8>,
    /// (CID, width) of every glyph used.
    pub widths: Vec<(u16, f32)>,
}

pub struct Fonts {
    pub regular: Font,
    pub bold: Font,
}

/// The prepared fonts (the first call prepares them, about 10 ms).
pub fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        // The fonts are part of the program: failing to read them is a build defect that the
        // tests catch, not an input error.
        Fonts {
            regular: prepare(REGULAR, "DejaVuSans").expect("the bundled regular font"),
            bold: prepare(BOLD, "DejaVuSans-Bold").expect("the bundled bold font"),
        }
    })
}

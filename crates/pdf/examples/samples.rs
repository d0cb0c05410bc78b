//! Writes every example document, and a payment reminder, an availability report and a standby
//! confirmation in each language, as PDF into a folder, to look at or to check with poppler:
//! `cargo run -p loket-pdf --example samples -- /tmp/pdfs`. They carry a generated logo, as a
//! provider's would; `nl-business-rates-no-logo` shows the letterhead without one.

use std::sync::Arc;

use loket_pdf::{Letterhead, Logo};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/pdf-samples".into());
    std::fs::create_dir_all(&dir).expect("create the folder");
    let plain = Letterhead::default();
    let logo = Logo::from_bytes(&logo_png(plain.accent)).expect("the generated logo reads");
    let letterhead = Letterhead { logo: Some(Arc::new(logo)), ..plain.clone() };
    for (name, doc) in loket_documents::examples::all() {
        if name == "nl-business-rates" {
            std::fs::write(format!("{dir}/{name}-no-logo.pdf"), loket_pdf::render(&doc, &plain)).expect("write");
        }
        std::fs::write(format!("{dir}/{name}.pdf"), loket_pdf::render(&doc, &letterhead)).expect("write");
    }
    for (name, letter) in loket_pdf::reminder::examples() {
        std::fs::write(format!("{dir}/{name}.pdf"), loket_pdf::render_reminder(&letter, &letterhead)).expect("write");
    }
    for (name, confirmation) in loket_pdf::standby::examples() {
        std::fs::write(format!("{dir}/{name}.pdf"), loket_pdf::render_standby(&confirmation, &letterhead)).expect("write");
    }
    let provider = loket_documents::examples::all().into_iter().next().map(|(_, d)| d.seller).expect("an example invoice");
    for lang in loket_domain::Language::ALL {
        let report = loket_domain::monitoring::report::CardReport::example(lang);
        let pdf = loket_pdf::render_availability(&report, &provider, &letterhead);
        std::fs::write(format!("{dir}/availability-{}.pdf", lang.code()), pdf).expect("write");
    }
    println!("{dir}");
}

/// A 480 × 150 logo with transparency: a disc in the accent colour with a white "L", and three
/// bars of falling height beside it, anti-aliased by 4 × 4 supersampling.
fn logo_png(accent: [u8; 3]) -> Vec<u8> {
    let (w, h) = (480u32, 150u32);
    let inside = |x: f32, y: f32| -> Option<[u8; 3]> {
        let (dx, dy) = (x - 75.0, y - 75.0);
        if dx * dx + dy * dy <= 70.0 * 70.0 {
            let l = (45.0..65.0).contains(&x) && (35.0..115.0).contains(&y) || (45.0..105.0).contains(&x) && (95.0..115.0).contains(&y);
            return Some(if l { [255, 255, 255] } else { accent });
        }
        for (i, top) in [30.0, 60.0, 90.0].into_iter().enumerate() {
            let left = 175.0 + i as f32 * 105.0;
            if (left..left + 85.0).contains(&x) && (top..120.0).contains(&y) {
                return Some([0x33, 0x3a, 0x45]);
            }
        }
        None
    };
    let mut rgba = Vec::with_capacity((w * h * 4) as usize);
    for py in 0..h {
        for px in 0..w {
            let (mut sum, mut hits) = ([0u32; 3], 0u32);
            for s in 0..16 {
                let (x, y) = (px as f32 + (s % 4) as f32 / 4.0 + 0.125, py as f32 + (s / 4) as f32 / 4.0 + 0.125);
                if let Some(c) = inside(x, y) {
                    hits += 1;
                    for k in 0..3 {
                        sum[k] += u32::from(c[k]);
                    }
                }
            }
            let colour = sum.map(|v| v.checked_div(hits).unwrap_or(0) as u8);
            rgba.extend_from_slice(&colour);
            rgba.push((hits * 255 / 16) as u8);
        }
    }
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    let mut writer = e.write_header().expect("png header");
    writer.write_image_data(&rgba).expect("png data");
    writer.finish().expect("png end");
    out
}

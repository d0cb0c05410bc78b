//! A quick single-thread rate on the example documents, with and without a logo, and on the
//! example payment reminders (the real benchmark is `loket bench documents`):
//! `cargo run --release -p loket-pdf --example speed [invoices|logo|reminders]` (all three
//! without an argument).

use std::sync::Arc;

use loket_pdf::{Letterhead, Logo};

fn main() {
    let docs = loket_documents::examples::all();
    let letters = loket_pdf::reminder::examples();
    loket_pdf::warm_up();
    let plain = Letterhead::default();
    let with_logo = Letterhead { logo: Some(Arc::new(Logo::from_bytes(&logo_png()).expect("the logo reads"))), ..plain.clone() };
    let n = 2000;
    let rate = |what: &str, render: &dyn Fn(usize) -> Vec<u8>| {
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for i in 0..n {
            bytes += render(i).len();
        }
        let secs = start.elapsed().as_secs_f64();
        println!("{what}: {n} PDFs in {secs:.2} s: {:.0}/s on one thread, {} KiB each on average", n as f64 / secs, bytes / n / 1024);
    };
    let only = std::env::args().nth(1);
    let run = |what: &str| only.as_deref().is_none_or(|o| o == what);
    if run("invoices") {
        rate("invoices", &|i| loket_pdf::render(&docs[i % docs.len()].1, &plain));
    }
    if run("logo") {
        rate("invoices with a logo", &|i| loket_pdf::render(&docs[i % docs.len()].1, &with_logo));
    }
    if run("reminders") {
        rate("reminders with a logo", &|i| loket_pdf::render_reminder(&letters[i % letters.len()].1, &with_logo));
    }
}

/// A 400 × 120 RGBA logo: colour gradients and a transparent margin.
fn logo_png() -> Vec<u8> {
    let (w, h) = (400u32, 120u32);
    let mut rgba = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let edge = x < 10 || y < 10 || x >= w - 10 || y >= h - 10;
            rgba.extend_from_slice(&[(x * 255 / w) as u8, (y * 255 / h) as u8, 0x80, if edge { 0 } else { 255 }]);
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

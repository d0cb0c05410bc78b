//! The provider's logo on the letterhead: PNG and JPEG files read once, embedded in every
//! document at their own size (read back with poppler's `pdfimages -list`), the same bytes for
//! the same document and logo, and clear refusals of what cannot be a logo.

mod common;

use std::sync::Arc;

use common::Image;
use loket_pdf::{Letterhead, Logo, LogoError, render, render_reminder};

fn example(name: &str) -> loket_documents::Doc {
    loket_documents::examples::all().into_iter().find(|(n, _)| *n == name).map(|(_, d)| d).expect("example")
}

/// A `width` × `height` RGBA PNG: a colour gradient, transparent at the left and right edges.
fn png_logo(width: u32, height: u32) -> Vec<u8> {
    let rgba = png_pixels(width, height);
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, width, height);
    e.set_color(png::ColorType::Rgba);
    e.set_depth(png::BitDepth::Eight);
    let mut w = e.write_header().expect("header");
    w.write_image_data(&rgba).expect("pixels");
    w.finish().expect("end");
    out
}

/// The RGBA samples of [`png_logo`].
fn png_pixels(width: u32, height: u32) -> Vec<u8> {
    let mut rgba = Vec::new();
    for y in 0..height {
        for x in 0..width {
            let alpha = if x < 4 || x >= width - 4 { 0 } else { 255 };
            rgba.extend_from_slice(&[(x * 255 / width) as u8, (y * 255 / height) as u8, 0x60, alpha]);
        }
    }
    rgba
}

fn with_logo(bytes: &[u8]) -> Letterhead {
    Letterhead { logo: Some(Arc::new(Logo::from_bytes(bytes).expect("the logo reads"))), ..Letterhead::default() }
}

#[test]
fn a_png_logo_is_embedded_with_its_transparency() {
    let letterhead = with_logo(&png_logo(200, 60));
    let pdf = render(&example("nl-business-rates"), &letterhead);
    let Some(images) = common::images("png", &pdf) else { return };
    assert_eq!(images, [Image::new("image", 200, 60, "rgb", "image"), Image::new("smask", 200, 60, "gray", "image")]);
    // The pixels as poppler decodes them: colour and alpha as they were drawn.
    let pixels = common::image_pixels("png-pixels", &pdf).expect("pdfimages, as above");
    let original = png_pixels(200, 60);
    let rgb: Vec<u8> = original.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    let alpha: Vec<u8> = original.chunks(4).map(|p| p[3]).collect();
    assert_eq!(pixels, [(200, 60, rgb), (200, 60, alpha)]);
    let text = common::pdftotext(&pdf).expect("pdftotext, as pdfimages");
    assert!(text.contains("Hosting Noord") && text.contains("2026-00101"), "{text}");
}

#[test]
fn a_jpeg_logo_is_embedded_as_it_is() {
    let jpeg = include_bytes!("fixtures/logo.jpg");
    let pdf = render(&example("it-business-rates"), &with_logo(jpeg));
    assert!(pdf.windows(jpeg.len()).any(|w| w == jpeg), "the JPEG's bytes, unchanged");
    let Some(images) = common::images("jpeg", &pdf) else { return };
    assert_eq!(images, [Image::new("image", 64, 24, "rgb", "jpeg")]);
}

#[test]
fn a_progressive_grey_jpeg_reads() {
    let pdf = render(&example("nl-consumer"), &with_logo(include_bytes!("fixtures/logo-grey-progressive.jpg")));
    let Some(images) = common::images("grey", &pdf) else { return };
    assert_eq!(images, [Image::new("image", 40, 15, "gray", "jpeg")]);
}

#[test]
fn a_reminder_carries_the_logo_too() {
    let (_, letter) = loket_pdf::reminder::examples().into_iter().next().expect("an example reminder");
    let pdf = render_reminder(&letter, &with_logo(&png_logo(90, 90)));
    let Some(images) = common::images("reminder", &pdf) else { return };
    assert_eq!(images, [Image::new("image", 90, 90, "rgb", "image"), Image::new("smask", 90, 90, "gray", "image")]);
}

#[test]
fn the_same_document_and_logo_give_the_same_bytes() {
    let png = png_logo(120, 40);
    // Two letterheads reading the same file, as two processes would.
    let (a, b) = (with_logo(&png), with_logo(&png));
    for (name, doc) in loket_documents::examples::all() {
        assert_eq!(render(&doc, &a), render(&doc, &b), "{name}");
    }
    assert_ne!(render(&example("nl-consumer"), &a), render(&example("nl-consumer"), &Letterhead::default()));
}

#[test]
fn a_long_invoice_still_breaks_into_pages_with_a_logo() {
    let pdf = render(&example("nl-long"), &with_logo(include_bytes!("fixtures/logo.jpg")));
    let Some(text) = common::pdftotext(&pdf) else { return };
    // The logo takes room on page 1, so the pages may be one more than without it.
    let pages = text.matches("Pagina ").count();
    assert!(pages >= 3 && text.contains(&format!("Pagina {pages} van {pages}")), "{text}");
    assert!(text.matches("Omschrijving").count() >= pages - 1, "the table's header on every page it runs on:\n{text}");
    assert!(text.contains("Totaal"), "{text}");
}

#[test]
fn what_is_not_a_logo_is_refused_saying_why() {
    assert_eq!(Logo::from_bytes(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>").unwrap_err(), LogoError::NotAnImage);
    assert_eq!(Logo::from_bytes(b"%PDF-1.7").unwrap_err().to_string(), "the logo is not a PNG or JPEG file");
    let mut huge = png_logo(10, 10);
    huge.resize(2 * 1024 * 1024 + 1, 0);
    let err = Logo::from_bytes(&huge).unwrap_err();
    assert_eq!(err, LogoError::FileTooLarge);
    assert!(err.to_string().starts_with("the logo is larger than 2 MB"), "{err}");
    assert_eq!(Logo::from_bytes(include_bytes!("fixtures/logo-cmyk.jpg")).unwrap_err(), LogoError::CmykJpeg);
    let big = png_logo(4001, 2);
    assert_eq!(Logo::from_bytes(&big).unwrap_err().to_string(), "the logo is 4001 × 2 pixels; it may be at most 4000 pixels on a side");
}

/// A `width` × `height` opaque grey PNG.
fn grey_png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, width, height);
    e.set_color(png::ColorType::Grayscale);
    e.set_depth(png::BitDepth::Eight);
    let mut w = e.write_header().expect("header");
    w.write_image_data(&vec![0x99; (width * height) as usize]).expect("pixels");
    w.finish().expect("end");
    out
}

#[test]
fn nothing_on_the_first_page_overlaps_whatever_the_logo_and_name() {
    let logos = [None, Some(png_logo(480, 150)), Some(grey_png(50, 100)), Some(grey_png(90, 90)), Some(grey_png(1000, 40))];
    let names = [None, Some("Servizi Internet Lombardia Nord e Dintorni di Milano S.r.l.")];
    type Render = Box<dyn Fn(&Letterhead, Option<&str>) -> Vec<u8>>;
    let mut documents: Vec<(String, Render)> = Vec::new();
    for (name, doc) in loket_documents::examples::all() {
        documents.push((
            name.to_string(),
            Box::new(move |lh, trading: Option<&str>| {
                let mut doc = doc.clone();
                doc.seller.trading_name = trading.map(str::to_string).or(doc.seller.trading_name);
                render(&doc, lh)
            }),
        ));
    }
    for (name, letter) in loket_pdf::reminder::examples() {
        documents.push((
            name.to_string(),
            Box::new(move |lh, trading: Option<&str>| {
                let mut letter = letter.clone();
                letter.provider.trading_name = trading.map(str::to_string).or(letter.provider.trading_name);
                render_reminder(&letter, lh)
            }),
        ));
    }
    for logo in &logos {
        let letterhead = match logo {
            Some(bytes) => with_logo(bytes),
            None => Letterhead::default(),
        };
        for trading in names {
            for (name, render) in &documents {
                let pdf = render(&letterhead, trading);
                let Some(words) = common::words(&pdf) else { return };
                let logo_area = common::logo_area(&pdf);
                assert_eq!(logo_area.is_some(), logo.is_some(), "{name}");
                for (i, (a, area)) in words.iter().enumerate() {
                    if let Some(l) = logo_area {
                        assert!(!common::overlap(*area, l), "{name}: {a:?} {area:?} on the logo {l:?}");
                    }
                    for (b, other) in &words[i + 1..] {
                        assert!(!common::overlap(*area, *other), "{name} {trading:?}: {a:?} {area:?} overlaps {b:?} {other:?}");
                    }
                }
            }
        }
    }
}

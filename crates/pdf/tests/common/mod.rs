//! The poppler tools (Debian `poppler-utils`) the tests read PDFs back with. Without them a
//! test says so and passes, unless `LOKET_REQUIRE_VALIDATORS=1` (as in CI).

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `tool` with `args`, `stdin` fed to it; its standard output, or `None` if it is not installed.
pub fn run(tool: &str, args: &[&str], stdin: &[u8]) -> Option<Vec<u8>> {
    let child = Command::new(tool).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn();
    let Ok(mut child) = child else {
        assert!(std::env::var_os("LOKET_REQUIRE_VALIDATORS").is_none(), "{tool} required (poppler-utils)");
        eprintln!("skipped: install poppler-utils for {tool}");
        return None;
    };
    child.stdin.take().expect("stdin").write_all(stdin).expect("write to the tool");
    let out = child.wait_with_output().expect(tool);
    assert!(out.status.success(), "{tool} failed: the PDF does not parse");
    Some(out.stdout)
}

/// The PDF's text as `pdftotext -layout` reads it.
pub fn pdftotext(pdf: &[u8]) -> Option<String> {
    run("pdftotext", &["-layout", "-", "-"], pdf).map(|t| String::from_utf8(t).expect("utf-8"))
}

/// `pdf` written to a file of its own under the system's temporary folder (for the tools that
/// read no standard input); removed when dropped.
pub struct TempPdf(pub PathBuf);

impl TempPdf {
    pub fn new(name: &str, pdf: &[u8]) -> TempPdf {
        let path = std::env::temp_dir().join(format!("loket-pdf-test-{}-{name}.pdf", std::process::id()));
        std::fs::write(&path, pdf).expect("write the PDF");
        TempPdf(path)
    }

    pub fn path(&self) -> &str {
        self.0.to_str().expect("a UTF-8 temporary path")
    }
}

impl Drop for TempPdf {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// An image as `pdfimages -list` lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct Image {
    /// "image", or "smask" for a soft mask.
    pub kind: String,
    pub width: u32,
    pub height: u32,
    /// "rgb", "gray" …
    pub colour: String,
    /// "image" for raw (Flate) pixels, "jpeg" for DCT.
    pub encoding: String,
}

impl Image {
    pub fn new(kind: &str, width: u32, height: u32, colour: &str, encoding: &str) -> Image {
        Image { kind: kind.into(), width, height, colour: colour.into(), encoding: encoding.into() }
    }
}

/// The images of the PDF, as `pdfimages -list` lists them.
pub fn images(name: &str, pdf: &[u8]) -> Option<Vec<Image>> {
    let file = TempPdf::new(name, pdf);
    let out = String::from_utf8(run("pdfimages", &["-list", file.path()], b"")?).expect("utf-8");
    Some(
        out.lines()
            .skip(2)
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                let n = |i: usize| f[i].parse().expect("a number");
                Image::new(f[2], n(3), n(4), f[5], f[8])
            })
            .collect(),
    )
}

/// The pixels of the images as poppler decodes them (`pdfimages -png`), in the order
/// `pdfimages -list` lists them: (width, height, samples of 8 bits).
pub fn image_pixels(name: &str, pdf: &[u8]) -> Option<Vec<(u32, u32, Vec<u8>)>> {
    let file = TempPdf::new(name, pdf);
    let root = file.0.with_extension("img");
    let root = root.to_str().expect("a UTF-8 temporary path");
    run("pdfimages", &["-png", file.path(), root], b"")?;
    let mut out = Vec::new();
    for i in 0.. {
        let path = format!("{root}-{i:03}.png");
        let Ok(bytes) = std::fs::read(&path) else { break };
        let _ = std::fs::remove_file(&path);
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().expect("poppler's PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
        let info = reader.next_frame(&mut buf).expect("poppler's pixels");
        buf.truncate(info.buffer_size());
        out.push((info.width, info.height, buf));
    }
    Some(out)
}

/// What the QR codes on page 1 say, read from the page rendered in grey at 150 dpi.
pub fn qr_codes(name: &str, pdf: &[u8]) -> Option<Vec<String>> {
    let file = TempPdf::new(name, pdf);
    let pgm = run("pdftoppm", &["-gray", "-r", "150", "-f", "1", "-l", "1", file.path()], b"")?;
    // Binary PGM: "P5", width, height, maximum value, one whitespace, then a byte a pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(std::str::from_utf8(&pgm[start..at]).expect("a PGM header").to_string());
    }
    assert_eq!(fields[0], "P5", "pdftoppm -gray writes binary PGM");
    let (w, h): (usize, usize) = (fields[1].parse().expect("width"), fields[2].parse().expect("height"));
    let pixels = &pgm[at + 1..];
    assert_eq!(pixels.len(), w * h);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    Some(img.detect_grids().iter().map(|g| g.decode().expect("the QR code decodes").1).collect())
}

/// A box on the page in points, from the top-left corner as poppler gives it: x, y, x, y.
pub type Area = [f32; 4];

/// The words on page 1 with their boxes (`pdftotext -bbox`).
pub fn words(pdf: &[u8]) -> Option<Vec<(String, Area)>> {
    let html = String::from_utf8(run("pdftotext", &["-bbox", "-f", "1", "-l", "1", "-", "-"], pdf)?).expect("utf-8");
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).expect("a word's box") + name.len() + 2;
        tag[at..].split('"').next().and_then(|v| v.parse().ok()).expect("a coordinate")
    };
    Some(
        html.split("<word ")
            .skip(1)
            .map(|w| {
                let (tag, rest) = w.split_once('>').expect("a word tag");
                let text = rest.split("</word>").next().unwrap_or_default().to_string();
                (text, [attr(tag, "xMin"), attr(tag, "yMin"), attr(tag, "xMax"), attr(tag, "yMax")])
            })
            .collect(),
    )
}

/// Where the logo is drawn on page 1, from the `cm` before `/Logo Do` in the page's content.
pub fn logo_area(pdf: &[u8]) -> Option<Area> {
    let mut rest = pdf;
    while let Some(at) = find(rest, b"stream\n") {
        let data = &rest[at + 7..];
        let end = find(data, b"endstream").expect("a stream ends");
        let stream = miniz_oxide::inflate::decompress_to_vec_zlib(&data[..end]).unwrap_or_default();
        if let Some(at) = find(&stream, b"/Logo Do") {
            let before = String::from_utf8_lossy(&stream[..at]);
            let cm = before.rsplit_once(" cm").expect("the logo's matrix").0;
            let n: Vec<f32> = cm.split_whitespace().rev().take(6).map(|v| v.parse().expect("a number")).collect();
            let (y, x, h, w) = (n[0], n[1], n[5], n[2]);
            let page_height = 841.89;
            return Some([x, page_height - y - h, x + w, page_height - y]);
        }
        rest = &data[end + b"endstream".len()..];
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Whether two boxes share more than a hair (0.5 pt) of area.
pub fn overlap(a: Area, b: Area) -> bool {
    let e = 0.5;
    a[0] + e < b[2] && b[0] + e < a[2] && a[1] + e < b[3] && b[1] + e < a[3]
}

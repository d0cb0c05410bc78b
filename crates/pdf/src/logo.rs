//! The provider's logo, read once when the letterhead is set up: a PNG is decoded and its
//! pixels (and alpha, as a soft mask) compressed here; a JPEG is checked and kept as it is,
//! for the PDF reader to decode. Rendering a document only copies these prepared bytes.

use std::fmt;
use std::io::Cursor;

use pdf_writer::types::Predictor;
use pdf_writer::{Filter, Name, Pdf, Ref};

/// The largest logo file accepted.
pub(crate) const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;
/// The most pixels a logo may have on a side.
pub(crate) const MAX_SIDE: u32 = 4000;
/// The logo's name in a page's resources.
pub(crate) const LOGO: Name<'static> = Name(b"Logo");

/// Why a file cannot be the logo, in words for the provider who uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    #[error("the logo is not a PNG or JPEG file")]
    NotAnImage,
    #[error("the logo is larger than 2 MB; a logo needs a few hundred pixels, save it smaller")]
    FileTooLarge,
    #[error("the logo is 0 pixels wide")]
    ZeroWidth,
    #[error("the logo is 0 pixels high")]
    ZeroHeight,
    #[error("the logo is {width} × {height} pixels; it may be at most 4000 pixels on a side")]
    TooManyPixels { width: u32, height: u32 },
    #[error("the logo is a damaged PNG file ({0})")]
    DamagedPng(String),
    #[error("the logo is a damaged JPEG file ({0})")]
    DamagedJpeg(&'static str),
    #[error("the logo is a CMYK JPEG (made for print); save it as an RGB JPEG or as a PNG")]
    CmykJpeg,
    #[error("the logo is a JPEG of a kind PDF readers do not all show ({0}); save it as an ordinary JPEG or as a PNG")]
    UnsupportedJpeg(&'static str),
}

/// A logo ready to embed.
pub struct Logo {
    width: u32,
    height: u32,
    pixels: Pixels,
}

enum Pixels {
    /// 8-bit samples, zlib-compressed, with the alpha channel as a separate grey image when
    /// some pixel is not fully opaque.
    Flate { grey: bool, data: Vec<u8>, alpha: Option<Vec<u8>> },
    /// The JPEG file as uploaded (DCTDecode).
    Jpeg { grey: bool, data: Vec<u8> },
}

impl fmt::Debug for Logo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (format, bytes) = match &self.pixels {
            Pixels::Flate { data, alpha, .. } => ("PNG", data.len() + alpha.as_ref().map_or(0, Vec::len)),
            Pixels::Jpeg { data, .. } => ("JPEG", data.len()),
        };
        f.debug_struct("Logo")
            .field("format", &format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("embedded_bytes", &bytes)
            .finish()
    }
}

impl Logo {
    /// Reads a PNG (any bit depth and colour type; 16-bit samples are reduced to 8) or a JPEG
    /// (baseline or progressive, grey or colour) file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Logo, LogoError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(LogoError::FileTooLarge);
        }
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            png_logo(bytes)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            jpeg_logo(bytes)
        } else {
            Err(LogoError::NotAnImage)
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The size in points of the logo scaled to fit `max_width` × `max_height`, keeping its
    /// aspect ratio.
    pub(crate) fn fit(&self, max_width: f32, max_height: f32) -> (f32, f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        let scale = (max_width / w).min(max_height / h);
        (w * scale, h * scale)
    }

    /// Writes the image (and its soft mask, if it has one) with ids from `alloc`; returns the
    /// image's.
    pub(crate) fn write(&self, pdf: &mut Pdf, alloc: &mut impl FnMut() -> Ref) -> Ref {
        let (width, height) = (self.width as i32, self.height as i32);
        let image = alloc();
        match &self.pixels {
            Pixels::Flate { grey, data, alpha } => {
                let mask = alpha.as_ref().map(|_| alloc());
                let mut x = pdf.image_xobject(image, data);
                x.filter(Filter::FlateDecode);
                predicted(&mut x, if *grey { 1 } else { 3 }, width);
                x.width(width).height(height).bits_per_component(8).color_space_name(colour_space(*grey));
                if let Some(mask) = mask {
                    x.s_mask(mask);
                }
                drop(x);
                if let (Some(mask), Some(alpha)) = (mask, alpha) {
                    let mut m = pdf.image_xobject(mask, alpha);
                    m.filter(Filter::FlateDecode);
                    predicted(&mut m, 1, width);
                    m.width(width).height(height).bits_per_component(8).color_space_name(Name(b"DeviceGray"));
                }
            }
            Pixels::Jpeg { grey, data } => {
                let mut x = pdf.image_xobject(image, data);
                x.filter(Filter::DctDecode);
                x.width(width).height(height).bits_per_component(8).color_space_name(colour_space(*grey));
            }
        }
        image
    }
}

/// The stream's rows were filtered as PNG does it (see [`compress`]).
fn predicted(x: &mut pdf_writer::writers::ImageXObject, colours: i32, columns: i32) {
    x.decode_parms().predictor(Predictor::PngOptimum).colors(colours).bits_per_component(8).columns(columns);
}

fn colour_space(grey: bool) -> Name<'static> {
    if grey { Name(b"DeviceGray") } else { Name(b"DeviceRGB") }
}

fn check_size(width: u32, height: u32) -> Result<(), LogoError> {
    if width == 0 {
        return Err(LogoError::ZeroWidth);
    }
    if height == 0 {
        return Err(LogoError::ZeroHeight);
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(LogoError::TooManyPixels { width, height });
    }
    Ok(())
}

/// Rows of `channels` 8-bit samples each filtered as PNG does it (each row the filter, of
/// the five, whose output has the smallest sum of magnitudes), then compressed hard: done once
/// per logo, and every document carries the result. The PDF reads it with predictor 15.
fn compress(samples: &[u8], width: usize, channels: usize) -> Vec<u8> {
    let row = width * channels;
    let mut out = Vec::with_capacity(samples.len() + samples.len() / row.max(1) + 1);
    let zeros = vec![0; row];
    let mut candidates: [Vec<u8>; 5] = Default::default();
    for (i, line) in samples.chunks(row).enumerate() {
        let up = if i == 0 { &zeros[..] } else { &samples[(i - 1) * row..i * row] };
        for (kind, filtered) in candidates.iter_mut().enumerate() {
            filtered.clear();
            for x in 0..row {
                let a = if x >= channels { line[x - channels] } else { 0 };
                let b = up[x];
                let c = if x >= channels { up[x - channels] } else { 0 };
                let predicted = match kind {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    _ => paeth(a, b, c),
                };
                filtered.push(line[x].wrapping_sub(predicted));
            }
        }
        let cost = |f: &Vec<u8>| f.iter().map(|v| u32::from((*v as i8).unsigned_abs())).sum::<u32>();
        let (kind, best) = candidates.iter().enumerate().min_by_key(|(_, f)| cost(f)).expect("five filters");
        out.push(kind as u8);
        out.extend_from_slice(best);
    }
    miniz_oxide::deflate::compress_to_vec_zlib(&out, 9)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

fn png_logo(bytes: &[u8]) -> Result<Logo, LogoError> {
    // The size from the header first, so a huge image is refused before it is decoded.
    let header = bytes.get(8..24).filter(|h| &h[4..8] == b"IHDR").ok_or(LogoError::DamagedPng("no image header".into()))?;
    let be = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    check_size(be(8), be(12))?;

    let damaged = |e: png::DecodingError| LogoError::DamagedPng(e.to_string());
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Palette to RGB, transparency to alpha, fewer than 8 bits to 8, 16 bits to 8.
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(damaged)?;
    let size = reader.output_buffer_size().ok_or(LogoError::TooManyPixels { width: be(8), height: be(12) })?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(damaged)?;
    let (width, height) = (info.width, info.height);
    check_size(width, height)?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(LogoError::DamagedPng("a palette the decoder did not expand".into())),
    };
    if info.bit_depth != png::BitDepth::Eight {
        return Err(LogoError::DamagedPng(format!("{:?} bits a sample after conversion", info.bit_depth)));
    }
    let row = width as usize * channels;
    let pixels = width as usize * height as usize;
    let grey = channels <= 2;
    let has_alpha = channels % 2 == 0;
    let colour_channels = if grey { 1 } else { 3 };
    let mut colour = Vec::with_capacity(pixels * colour_channels);
    let mut alpha = Vec::with_capacity(if has_alpha { pixels } else { 0 });
    for line in buf.chunks(info.line_size).take(height as usize) {
        for px in line[..row].chunks_exact(channels) {
            colour.extend_from_slice(&px[..colour_channels]);
            if has_alpha {
                alpha.push(px[colour_channels]);
            }
        }
    }
    // A fully opaque alpha channel is no mask at all.
    let alpha = (has_alpha && alpha.iter().any(|a| *a != 255)).then(|| compress(&alpha, width as usize, 1));
    Ok(Logo { width, height, pixels: Pixels::Flate { grey, data: compress(&colour, width as usize, colour_channels), alpha } })
}

/// Reads the frame header (SOF) of a JPEG: the file itself goes into the PDF as it is.
fn jpeg_logo(bytes: &[u8]) -> Result<Logo, LogoError> {
    let mut at = 2;
    let mut frame = None;
    loop {
        // Each segment: 0xFF (possibly repeated as fill), the marker, then a big-endian length
        // that counts itself.
        if bytes.get(at) != Some(&0xFF) {
            return Err(LogoError::DamagedJpeg(if at >= bytes.len() { "it ends before its image data" } else { "a marker is missing" }));
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else { return Err(LogoError::DamagedJpeg("it ends before its image data")) };
        at += 1;
        match marker {
            // Markers without a segment.
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 => return Err(LogoError::DamagedJpeg("it ends before its image data")),
            _ => {}
        }
        let len = match bytes.get(at..at + 2) {
            Some(l) => usize::from(u16::from_be_bytes([l[0], l[1]])),
            None => return Err(LogoError::DamagedJpeg("it ends inside a header")),
        };
        let Some(segment) = bytes.get(at + 2..at + len).filter(|_| len >= 2) else {
            return Err(LogoError::DamagedJpeg("it ends inside a header"));
        };
        match marker {
            // Baseline, extended sequential and progressive Huffman-coded frames: what the
            // PDF's DCTDecode filter reads.
            0xC0..=0xC2 => {
                if frame.is_some() {
                    return Err(LogoError::UnsupportedJpeg("more than one frame"));
                }
                frame = Some(segment);
            }
            0xC3 | 0xC7 | 0xCB | 0xCF => return Err(LogoError::UnsupportedJpeg("lossless")),
            0xC5 | 0xC6 | 0xCD | 0xCE => return Err(LogoError::UnsupportedJpeg("hierarchical")),
            0xC9 | 0xCA => return Err(LogoError::UnsupportedJpeg("arithmetic coding")),
            // Start of scan: the image data follows, every header has been seen.
            0xDA => break,
            _ => {}
        }
        at += len;
    }
    let Some(sof) = frame.filter(|f| f.len() >= 6) else { return Err(LogoError::DamagedJpeg("no frame header before the image data")) };
    if sof[0] != 8 {
        return Err(LogoError::UnsupportedJpeg("12-bit samples"));
    }
    let height = u32::from(u16::from_be_bytes([sof[1], sof[2]]));
    let width = u32::from(u16::from_be_bytes([sof[3], sof[4]]));
    if height == 0 && width != 0 {
        // A height given after the image data (a DNL marker): legal, and rare enough to refuse.
        return Err(LogoError::UnsupportedJpeg("its height follows the image data"));
    }
    check_size(width, height)?;
    let grey = match sof[5] {
        1 => true,
        3 => false,
        4 => return Err(LogoError::CmykJpeg),
        _ => return Err(LogoError::UnsupportedJpeg("an unusual number of colour components")),
    };
    Ok(Logo { width, height, pixels: Pixels::Jpeg { grey, data: bytes.to_vec() } })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, colour: png::ColorType, depth: png::BitDepth, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, width, height);
        e.set_color(colour);
        e.set_depth(depth);
        let mut w = e.write_header().expect("header");
        w.write_image_data(data).expect("data");
        w.finish().expect("finish");
        out
    }

    /// What a PDF reader does with a stream of predictor 15: inflate, then undo each row's filter.
    fn unfilter(data: &[u8], width: usize, channels: usize) -> Vec<u8> {
        let filtered = miniz_oxide::inflate::decompress_to_vec_zlib(data).expect("inflates");
        let row = width * channels;
        let mut out: Vec<u8> = Vec::new();
        for (i, line) in filtered.chunks(row + 1).enumerate() {
            for x in 0..row {
                let at = i * row + x;
                let a = if x >= channels { out[at - channels] } else { 0 };
                let b = if i > 0 { out[at - row] } else { 0 };
                let c = if i > 0 && x >= channels { out[at - row - channels] } else { 0 };
                let predicted = match line[0] {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    4 => paeth(a, b, c),
                    f => panic!("filter {f}"),
                };
                out.push(line[1 + x].wrapping_add(predicted));
            }
        }
        out
    }

    #[test]
    fn filtering_is_undone_exactly() {
        // Noise and gradients, so that every filter gets chosen somewhere.
        let (w, h, ch) = (37, 23, 3);
        let mut seed = 7u32;
        let samples: Vec<u8> = (0..w * h * ch)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if (i / (w * ch)) % 3 == 0 { (seed >> 16) as u8 } else { (i % 251) as u8 }
            })
            .collect();
        assert_eq!(unfilter(&compress(&samples, w, ch), w, ch), samples);
    }

    #[test]
    fn every_png_colour_type_reads() {
        use png::{BitDepth::*, ColorType::*};
        let cases: [(png::ColorType, png::BitDepth, usize, bool, bool); 6] = [
            (Grayscale, Eight, 1, true, false),
            (Grayscale, Sixteen, 2, true, false),
            (Rgb, Eight, 3, false, false),
            (Rgb, Sixteen, 6, false, false),
            (GrayscaleAlpha, Eight, 2, true, true),
            (Rgba, Sixteen, 8, false, true),
        ];
        for (colour, depth, bytes, grey, masked) in cases {
            // Half-transparent where alpha exists.
            let data = vec![0x80u8; 5 * 3 * bytes];
            let logo = Logo::from_bytes(&png(5, 3, colour, depth, &data)).expect("reads");
            assert_eq!((logo.width(), logo.height()), (5, 3));
            let Pixels::Flate { grey: g, alpha, data } = &logo.pixels else { panic!("flate") };
            assert_eq!((*g, alpha.is_some()), (grey, masked), "{colour:?} {depth:?}");
            let raw = unfilter(data, 5, if grey { 1 } else { 3 });
            assert_eq!(raw.len(), 5 * 3 * if grey { 1 } else { 3 }, "{colour:?} {depth:?}");
            assert!(raw.iter().all(|v| *v == 0x80), "{colour:?} {depth:?}: {raw:?}");
        }
    }

    #[test]
    fn a_palette_png_becomes_rgb_with_its_transparency() {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, 2, 1);
        e.set_color(png::ColorType::Indexed);
        e.set_depth(png::BitDepth::Eight);
        e.set_palette(vec![255, 0, 0, 0, 0, 255]);
        e.set_trns(vec![0, 255]);
        let mut w = e.write_header().expect("header");
        w.write_image_data(&[0, 1]).expect("data");
        w.finish().expect("finish");
        let logo = Logo::from_bytes(&out).expect("reads");
        let Pixels::Flate { grey: false, data, alpha: Some(alpha) } = &logo.pixels else { panic!("rgb with a mask: {logo:?}") };
        assert_eq!(unfilter(data, 2, 3), [255, 0, 0, 0, 0, 255]);
        assert_eq!(unfilter(alpha, 2, 1), [0, 255]);
    }

    #[test]
    fn an_opaque_alpha_channel_needs_no_mask() {
        let logo = Logo::from_bytes(&png(2, 2, png::ColorType::Rgba, png::BitDepth::Eight, &[9, 9, 9, 255].repeat(4))).expect("reads");
        assert!(matches!(logo.pixels, Pixels::Flate { alpha: None, .. }), "{logo:?}");
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(Logo::from_bytes(b"GIF89a....").unwrap_err(), LogoError::NotAnImage);
        assert_eq!(Logo::from_bytes(b"").unwrap_err(), LogoError::NotAnImage);
        assert_eq!(Logo::from_bytes(&vec![0u8; MAX_FILE_BYTES + 1]).unwrap_err(), LogoError::FileTooLarge);
        let wide = png(4001, 1, png::ColorType::Grayscale, png::BitDepth::One, &[0; 501]);
        assert_eq!(Logo::from_bytes(&wide).unwrap_err(), LogoError::TooManyPixels { width: 4001, height: 1 });
        // A header claiming 0 pixels (no encoder writes one).
        let mut zero = png(1, 1, png::ColorType::Grayscale, png::BitDepth::Eight, &[0]);
        zero[16..20].copy_from_slice(&0u32.to_be_bytes());
        assert_eq!(Logo::from_bytes(&zero).unwrap_err(), LogoError::ZeroWidth);
        assert_eq!(LogoError::ZeroWidth.to_string(), "the logo is 0 pixels wide");
        let mut cut = png(8, 8, png::ColorType::Rgb, png::BitDepth::Eight, &[7; 192]);
        cut.truncate(cut.len() - 20);
        assert!(matches!(Logo::from_bytes(&cut), Err(LogoError::DamagedPng(_))));
        assert!(matches!(Logo::from_bytes(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Err(LogoError::DamagedJpeg(_))));
        assert!(matches!(Logo::from_bytes(&[0xFF, 0xD8, 0xFF, 0xD9]), Err(LogoError::DamagedJpeg(_))));
    }

    /// A JPEG's headers only (the scan data is not read): SOF of `marker` with `components`.
    fn jpeg_headers(marker: u8, precision: u8, width: u16, height: u16, components: u8) -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, marker, 0, 8 + 3 * components, precision];
        j.extend_from_slice(&height.to_be_bytes());
        j.extend_from_slice(&width.to_be_bytes());
        j.push(components);
        for c in 0..components {
            j.extend_from_slice(&[c + 1, 0x11, 0]);
        }
        j.extend_from_slice(&[0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn jpeg_headers_decide() {
        let ok = Logo::from_bytes(&jpeg_headers(0xC0, 8, 300, 100, 3)).expect("baseline");
        assert_eq!((ok.width(), ok.height()), (300, 100));
        assert!(Logo::from_bytes(&jpeg_headers(0xC2, 8, 30, 10, 1)).is_ok(), "progressive grey");
        assert_eq!(Logo::from_bytes(&jpeg_headers(0xC0, 8, 30, 10, 4)).unwrap_err(), LogoError::CmykJpeg);
        assert!(matches!(Logo::from_bytes(&jpeg_headers(0xC0, 12, 30, 10, 3)), Err(LogoError::UnsupportedJpeg(_))));
        assert!(matches!(Logo::from_bytes(&jpeg_headers(0xC9, 8, 30, 10, 3)), Err(LogoError::UnsupportedJpeg(_))));
        assert_eq!(Logo::from_bytes(&jpeg_headers(0xC0, 8, 0, 10, 3)).unwrap_err(), LogoError::ZeroWidth);
        assert_eq!(
            Logo::from_bytes(&jpeg_headers(0xC0, 8, 5000, 10, 3)).unwrap_err(),
            LogoError::TooManyPixels { width: 5000, height: 10 }
        );
    }
}

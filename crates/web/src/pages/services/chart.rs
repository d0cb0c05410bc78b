//! A usage chart as inline SVG, drawn on the server: no script, readable by screen readers
//! through its title and the table beside it, and printable. Values are whole MB per day. The
//! chart stretches to the width it is given, so it holds shapes only; its labels (peak, quota,
//! dates) are text in the page around it.

const W: f64 = 720.0;
const H: f64 = 200.0;
const LEFT: f64 = 8.0;
const TOP: f64 = 4.0;
const BOTTOM: f64 = 4.0;

/// Appends `v` (≥ 0) with one decimal, as `{:.1}` would write it, digit by digit into a buffer
/// appended at once: the formatting machinery, and then pushing character by character, cost
/// more than the rest of the chart for a year's 1,500 numbers. The bytes go to a byte buffer,
/// checked as UTF-8 once when the path is done rather than once per number.
fn push_tenths(out: &mut Vec<u8>, v: f64) {
    let t = (v * 10.0).round().max(0.0) as u64;
    let mut buf = [0u8; 24];
    let mut i = buf.len() - 2;
    buf[i] = b'.';
    buf[i + 1] = b'0' + (t % 10) as u8;
    let mut n = t / 10;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// `v` as [`push_tenths`] writes it.
fn tenths(v: f64) -> String {
    let mut b = Vec::with_capacity(8);
    push_tenths(&mut b, v);
    // ASCII digits and a point only.
    String::from_utf8(b).unwrap_or_default()
}

/// The longest range drawn day by day; a longer one is drawn a point per week.
pub const DAILY_UP_TO: i64 = 120;

/// `points` (day, value, in date order; a day counted in days after the range's first day) as
/// a chart of a range of `span` days after its first draws them: each day up to
/// [`DAILY_UP_TO`] days, else each week's highest day (weeks counted from the first day), on the
/// day it happened, so that no peak is smoothed away. A year of days is more points than a
/// phone's chart has pixels, and drawing them was most of a year's page.
pub fn peaks(points: &[(i64, i64)], span: i64) -> Vec<(i64, i64)> {
    if span < DAILY_UP_TO {
        return points.to_vec();
    }
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(points.len() / 7 + 2);
    let mut week = i64::MIN;
    for &(day, value) in points {
        let this = day.div_euclid(7);
        match out.last_mut() {
            Some(last) if this == week => {
                if value > last.1 {
                    *last = (day, value);
                }
            }
            _ => {
                week = this;
                out.push((day, value));
            }
        }
    }
    out
}

/// A line of `points` (day after the first, value) over a range of `span` days after its first,
/// with the quota as a dashed line.
pub fn line(points: &[(i64, i64)], quota: Option<i64>, span: i64, title: &str) -> String {
    let span = span.max(1) as f64;
    let top = points.iter().map(|p| p.1).chain(quota).max().unwrap_or(1).max(1) as f64 * 1.08;
    let x = |day: i64| LEFT + (day as f64 / span) * (W - 2.0 * LEFT);
    let y = |v: i64| TOP + (1.0 - v as f64 / top) * (H - TOP - BOTTOM);
    let mut svg = String::with_capacity(points.len() * 26 + 640);
    let mut escaped = String::with_capacity(title.len() + 8);
    crate::http::render::push_escaped(&mut escaped, title);
    // The frame is the same on every chart: written as text, not formatted (a year's page has
    // two charts, and formatting their fixed numbers cost as much as their points).
    svg.push_str("<svg class=\"chart\" viewBox=\"0 0 720 200\" role=\"img\" aria-label=\"");
    svg.push_str(&escaped);
    svg.push_str("\" preserveAspectRatio=\"none\" xmlns=\"http://www.w3.org/2000/svg\"><title>");
    svg.push_str(&escaped);
    svg.push_str("</title><line class=\"axis\" x1=\"8\" y1=\"196\" x2=\"712\" y2=\"196\"/>");
    if let Some(q) = quota {
        let qy = tenths(y(q));
        svg.push_str("<line class=\"quota\" x1=\"8\" y1=\"");
        svg.push_str(&qy);
        svg.push_str("\" x2=\"712\" y2=\"");
        svg.push_str(&qy);
        svg.push_str("\"/>");
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let mut path: Vec<u8> = Vec::with_capacity(points.len() * 12);
        for (i, (d, v)) in points.iter().enumerate() {
            if i > 0 {
                path.push(b' ');
            }
            push_tenths(&mut path, x(*d));
            path.push(b',');
            push_tenths(&mut path, y(*v));
        }
        // ASCII digits, points, commas and spaces only.
        let path = String::from_utf8(path).unwrap_or_default();
        if points.len() > 1 {
            let (fx, lx) = (x(first.0), x(last.0));
            svg.push_str("<polygon class=\"area\" points=\"");
            svg.push_str(&tenths(fx));
            svg.push_str(",196 ");
            svg.push_str(&path);
            svg.push(' ');
            svg.push_str(&tenths(lx));
            svg.push_str(",196\"/>");
        }
        svg.push_str("<polyline class=\"value\" points=\"");
        svg.push_str(&path);
        svg.push_str("\"/>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `v` (≥ 0) with one decimal, written plainly: what `push_tenths` must write.
    struct Tenths(f64);

    impl std::fmt::Display for Tenths {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let t = (self.0 * 10.0).round().max(0.0) as u64;
            write!(f, "{}.{}", t / 10, t % 10)
        }
    }

    #[test]
    fn a_chart_has_its_title_points_and_quota_and_escapes_labels() {
        let svg = line(&[(0, 100), (29, 200)], Some(400), 29, "Storage <in use>");
        assert!(svg.contains("<title>Storage &lt;in use&gt;</title>"));
        assert!(svg.contains("class=\"quota\""));
        assert_eq!(svg.matches("<polyline").count(), 1);
        // The first point sits at the left edge, the last at the right.
        assert!(svg.contains("points=\"8.0,"), "{svg}");
        assert!(svg.contains(" 712.0,"), "{svg}");
    }

    /// The frame written as text is the one the constants draw in.
    #[test]
    fn the_written_frame_matches_the_drawing_constants() {
        let svg = line(&[(0, 1), (10, 2)], Some(4), 10, "t");
        assert!(svg.contains(&format!("viewBox=\"0 0 {W} {H}\"")), "{svg}");
        let axis = format!("<line class=\"axis\" x1=\"{LEFT}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", H - BOTTOM, W - LEFT, H - BOTTOM);
        assert!(svg.contains(&axis), "{svg}");
        let quota = Tenths(TOP + (1.0 - 4.0 / (4.0 * 1.08)) * (H - TOP - BOTTOM));
        assert!(svg.contains(&format!("<line class=\"quota\" x1=\"{LEFT}\" y1=\"{quota}\" x2=\"{}\" y2=\"{quota}\"/>", W - LEFT)), "{svg}");
        assert!(svg.contains(&format!("points=\"{}.0,{} ", LEFT, H - BOTTOM)), "the area starts on the axis: {svg}");
    }

    #[test]
    fn tenths_are_written_as_one_decimal() {
        for v in [0.0, 0.04, 0.05, 0.96, 1.0, 8.0, 99.95, 123.44, 711.99, 712.0] {
            let ours = Tenths(v).to_string();
            let theirs = format!("{v:.1}");
            // A tie may round either way; anything else must agree.
            assert!(ours == theirs || ((v * 100.0).round() as i64) % 10 == 5, "{v}: {ours} vs {theirs}");
        }
        assert_eq!(Tenths(8.0).to_string(), "8.0");
        assert_eq!(Tenths(196.04).to_string(), "196.0");
    }

    #[test]
    fn tenths_are_written_alike_both_ways() {
        for v in [0.0, 0.04, 0.05, 0.96, 1.0, 9.95, 10.0, 123.45, 719.99, 4_000_000.5, -3.0] {
            let mut s = Vec::new();
            push_tenths(&mut s, v);
            assert_eq!(String::from_utf8(s).unwrap(), Tenths(v).to_string(), "{v}");
        }
    }

    #[test]
    fn a_long_range_draws_each_weeks_peak_on_its_day() {
        let days: Vec<(i64, i64)> = (0..365).map(|i| (i, (i * 37) % 101)).collect();
        let weeks = peaks(&days, 364);
        assert_eq!(weeks.len(), 53);
        for (w, (day, value)) in weeks.iter().enumerate() {
            let week: Vec<_> = days.iter().skip(w * 7).take(7).collect();
            let max = week.iter().map(|p| p.1).max().unwrap();
            assert_eq!(*value, max, "week {w}");
            assert!(week.iter().any(|p| p.0 == *day && p.1 == max), "week {w}: drawn on the peak's day");
        }
        // The peak of the whole range survives.
        assert_eq!(weeks.iter().map(|p| p.1).max(), days.iter().map(|p| p.1).max());
        // Missing days leave their week out or shorter, never shifted.
        let sparse: Vec<_> = days.iter().copied().filter(|p| !(7..21).contains(&p.0)).collect();
        let weeks = peaks(&sparse, 364);
        assert_eq!(weeks.len(), 51);
        assert!(weeks.iter().all(|p| !(7..21).contains(&p.0)));
        // A short range keeps every day.
        let month = &days[..30];
        assert_eq!(peaks(month, 29), month.to_vec());
    }

    #[test]
    fn no_points_draw_no_line_and_never_divide_by_zero() {
        let svg = line(&[], None, 0, "t");
        assert!(!svg.contains("<polyline") && !svg.contains("NaN") && !svg.contains("inf"));
        let svg = line(&[(0, 0)], None, 0, "t");
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
    }
}

//! How fast a big camt.053 parses: writes a statement of 100,000 entries (or the number given)
//! with `write_camt053`, then times `parse` on it. Run in release:
//! `cargo run --release -p loket-bank --example parse_speed [-- ENTRIES]`.

use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let statement = loket_bank::examples::statement(n, 1);
    let xml = loket_bank::write_camt053(&statement);
    let mb = xml.len() as f64 / 1_048_576.0;
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        let parsed = loket_bank::parse(xml.as_bytes()).expect("the written statement parses");
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(parsed[0].entries.len(), n);
        best = best.min(secs);
    }
    println!("{n} entries, {mb:.1} MB of camt.053: parsed in {:.0} ms (best of 5), {:.0} entries/s", best * 1000.0, n as f64 / best);
}

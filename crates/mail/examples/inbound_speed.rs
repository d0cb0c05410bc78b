//! How fast `inbound::parse` reads the synthetic mix on one core:
//! `cargo run --release -p loket-mail --example inbound_speed [messages]`.
//! The mix is 40% new tickets, 30% replies, 10% each with attachments (tens of KB, base64),
//! auto-replies and delivery status reports, in several charsets and transfer encodings.

use std::hint::black_box;
use std::time::Instant;

use loket_mail::inbound::{self, synthetic};

fn main() {
    let count: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let messages: Vec<Vec<u8>> = (0..1000).map(synthetic::mixed).collect();
    let bytes: usize = messages.iter().map(Vec::len).sum();
    for m in &messages {
        black_box(inbound::parse(m).expect("synthetic mail parses"));
    }
    let start = Instant::now();
    for i in 0..count {
        black_box(inbound::parse(black_box(&messages[(i % 1000) as usize])).expect("parse"));
    }
    let secs = start.elapsed().as_secs_f64();
    let avg = bytes as f64 / 1000.0;
    println!(
        "{count} messages (average {:.1} KB) in {secs:.2} s: {:.0} messages/s, {:.1} MB/s on one core",
        avg / 1024.0,
        count as f64 / secs,
        count as f64 * avg / secs / 1e6
    );
    for (name, kind) in [("new ticket", 0), ("reply", 4), ("with attachments", 7), ("auto-reply", 8), ("bounce", 9)] {
        let sample: Vec<&Vec<u8>> = messages.iter().skip(kind).step_by(10).collect();
        let n = 2000;
        let start = Instant::now();
        for i in 0..n {
            black_box(inbound::parse(black_box(sample[i % sample.len()])).expect("parse"));
        }
        let size = sample.iter().map(|m| m.len()).sum::<usize>() / sample.len();
        println!("  {name:<17} {:>6} B  {:>8.0} messages/s", size, n as f64 / start.elapsed().as_secs_f64());
    }
}

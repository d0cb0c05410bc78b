//! A quick single-thread rate on the example documents (the real benchmark is
//! `loket bench documents`): `cargo run --release -p loket-pdf --example speed`.

fn main() {
    let docs = loket_documents::examples::all();
    loket_pdf::warm_up();
    let start = std::time::Instant::now();
    let mut bytes = 0;
    let n = 2000;
    for i in 0..n {
        bytes += loket_pdf::render(&docs[i % docs.len()].1, &loket_pdf::Letterhead::default()).len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{n} PDFs in {secs:.2} s: {:.0}/s on one thread, {} KiB each on average", n as f64 / secs, bytes / n / 1024);
}

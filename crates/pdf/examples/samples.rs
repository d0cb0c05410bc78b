//! Writes every example document as PDF into a folder, to look at or to check with poppler:
//! `cargo run -p loket-pdf --example samples -- /tmp/pdfs`.

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/pdf-samples".into());
    std::fs::create_dir_all(&dir).expect("create the folder");
    for (name, doc) in loket_documents::examples::all() {
        let pdf = loket_pdf::render(&doc, &loket_pdf::Letterhead::default());
        std::fs::write(format!("{dir}/{name}.pdf"), pdf).expect("write");
    }
    println!("{dir}");
}

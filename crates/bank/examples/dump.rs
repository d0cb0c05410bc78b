//! Prints what `loket_bank` reads from a statement file, as JSON, balance check or not:
//! `cargo run -p loket-bank --example dump -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if let Err(e) = loket_bank::parse(&bytes) {
        eprintln!("parse: {e}");
    }
    match loket_bank::parse_unchecked(&bytes) {
        Ok(statements) => println!("{}", serde_json::to_string_pretty(&statements).expect("json")),
        Err(e) => eprintln!("parse_unchecked: {e}"),
    }
}

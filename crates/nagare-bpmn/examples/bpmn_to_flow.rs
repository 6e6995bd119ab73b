//! Prints the `.flow` text and warnings of BPMN files given on the command line (a debugging
//! aid for the importer: `cargo run -p nagare-bpmn --example bpmn_to_flow -- a.bpmn`).
#![allow(clippy::disallowed_methods)] // A command-line example reads the files it is given.

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{path}: {error}");
                continue;
            }
        };
        match nagare_bpmn::import(&bytes) {
            Ok(import) => {
                for d in &import.diagnostics {
                    println!("# {} {}", d.code, d.message.en);
                }
                for model in &import.models {
                    println!("{}", nagare_bpmn::to_flow_text(model));
                }
            }
            Err(error) => eprintln!("{path}: {error}"),
        }
    }
}

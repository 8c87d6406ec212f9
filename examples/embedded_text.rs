//! What the embedding table reads for each question, for the tool that trains the table
//! (`tools/train_static_embeddings.py`): one JSON string per input line in, the text
//! `Matcher::embedded_text` makes of it out, one JSON string per line. The answer files
//! (`responses/`, or the directory given) supply the readings of Latin-typed Ukrainian
//! and Russian.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use factdesk::FactDesk;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let responses = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("responses"), PathBuf::from);
    let desk = FactDesk::load(&responses)?;
    let matcher = desk.matcher();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let question: String = serde_json::from_str(&line?)?;
        writeln!(
            out,
            "{}",
            serde_json::to_string(&matcher.embedded_text(&question))?
        )?;
    }
    Ok(())
}

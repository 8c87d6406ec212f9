//! What the embedding table reads for each question, for the tool that trains the table
//! (`tools/train_static_embeddings.py`): one JSON string per input line in, the text
//! `matching::embedded_text` makes of it out, one JSON string per line.

use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in std::io::stdin().lock().lines() {
        let question: String = serde_json::from_str(&line?)?;
        let text = factdesk::matching::embedded_text(&question);
        writeln!(out, "{}", serde_json::to_string(&text)?)?;
    }
    Ok(())
}

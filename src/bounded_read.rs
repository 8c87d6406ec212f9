//! Reading lines and files whose length someone else controls (a log, standard input,
//! a curated file) without ever holding more than a bound of them in memory.

use std::fs;
use std::io::{self, BufRead};
use std::path::Path;

/// Consumes the input up to and including the next newline (or to its end) without
/// keeping it; returns how many bytes that was.
pub fn skip_rest_of_line(input: &mut (impl BufRead + ?Sized)) -> io::Result<u64> {
    let mut skipped = 0;
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(skipped);
        }
        if let Some(newline) = buffer.iter().position(|&byte| byte == b'\n') {
            input.consume(newline + 1);
            return Ok(skipped + newline as u64 + 1);
        }
        let length = buffer.len();
        input.consume(length);
        skipped += length as u64;
    }
}

/// Reads a file if it holds at most `limit` bytes (`Ok(None)` if it holds more), without
/// ever reading more than that: the size on disk may lie (a pipe, a growing file).
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Option<String>> {
    let Some(bytes) = read_bytes_limited(path, limit)? else {
        return Ok(None);
    };
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"))
}

/// [`read_limited`] for a file that is not text.
pub fn read_bytes_limited(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_to_just_after_the_newline_or_the_end() {
        let mut input: &[u8] = b"xxxxxxxx\nnext\n";
        assert_eq!(skip_rest_of_line(&mut input).ok(), Some(9));
        assert_eq!(input, b"next\n");
        let mut input: &[u8] = b"no newline";
        assert_eq!(skip_rest_of_line(&mut input).ok(), Some(10));
        assert!(input.is_empty());
    }
}

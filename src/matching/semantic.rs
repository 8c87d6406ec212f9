//! Static per-token embeddings (model2vec-style, distilled from multilingual-e5-small by
//! `tools/distill_static_embeddings.py`): loading the safetensors table, segmenting text
//! with the teacher's Unigram tokenizer, and embedding text as the normalised mean of
//! its pieces' rows.
//!
//! An experimental signal beside the lexical matcher: it never decides whether or what a
//! question is answered. Pure apart from [`StaticEmbeddings::load`], its only file IO.
//!
//! The tokenizer follows the docstring of the distillation script (and its Python
//! reference `StaticModel`) step by step, ties included, so that a question is cut into
//! the same pieces the teacher would cut it into.

use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustc_hash::FxBuildHasher;
use serde::Deserialize;

/// The largest table file `load` reads; the shipped int8 table is about 20 MB.
pub const MAX_TABLE_BYTES: u64 = 64 * 1024 * 1024;

/// Only this many characters of a text are segmented, as the matcher reads at most
/// 6,000 characters of a question.
pub const MAX_TEXT_CHARS: usize = 6_000;

/// The `format` metadata value of the tables this module reads.
pub const TABLE_FORMAT: &str = "factdesk-static-embeddings/1";

/// A piece longer than this (in characters) makes a table invalid. The teacher's longest
/// piece has 16 characters; the cap bounds Viterbi's work per character.
const MAX_PIECE_CHARS: usize = 64;

/// A normalizer entry may expand one code point into at most this many (the teacher's
/// longest expansion has 18).
const MAX_REPLACEMENT_CHARS: usize = 32;

/// Normalised text is cut here, so that expansions cannot multiply the work: ordinary
/// text barely grows when normalised, so this cut never touches a real question.
const MAX_NORMALIZED_CHARS: usize = 2 * MAX_TEXT_CHARS;

/// SentencePiece's word marker, which replaces every space before segmenting.
const WORD_MARKER: char = '\u{2581}';

/// Viterbi's "not reached yet" score, the same sentinel as the Python reference.
const UNREACHED: f32 = -1e30;

/// Why an embedding table could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SemanticError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the embedding table: {source}", path.display())]
    Read {
        /// The table's path.
        path: PathBuf,
        /// The underlying IO error.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_TABLE_BYTES`].
    #[error("{}: the embedding table has {size} bytes, more than the limit of {limit}", path.display())]
    TooLarge {
        /// The table's path.
        path: PathBuf,
        /// The file's size (or a lower bound of it).
        size: u64,
        /// The limit it exceeds.
        limit: u64,
    },
    /// The file is not a well-formed embedding table.
    #[error("{}: not a valid embedding table: {reason}", path.display())]
    Invalid {
        /// The table's path.
        path: PathBuf,
        /// What is wrong with it, in words.
        reason: String,
    },
}

/// A loaded static embedding table with its tokenizer: text in, unit vector out.
///
/// Rows stay in the file's dtype (f16, or i8 with a scale per row) and are converted to
/// f32 when a text uses them: the int8 table takes 17 MB instead of 67 MB as f32, and a
/// question touches only a few dozen rows, so converting on use costs nothing that shows.
/// The built-in table's rows, scales, scores and pieces are read where the binary holds
/// them, never copied: a process holds only the pages its questions touch.
#[derive(Debug, Clone)]
pub struct StaticEmbeddings {
    dims: usize,
    rows: Rows,
    scores: LeArray<f32>,
    teacher_ids: LeArray<i32>,
    row_by_piece: PieceIndex,
    unknown_score: f32,
    normalizer: Normalizer,
}

/// The table that ships with factdesk (`multilingual-e5-small-64d-int8.safetensors`,
/// made by `tools/distill_static_embeddings.py`: see the README for the command and the
/// licences), built into the binary so that no path or download can be missing. Parsed
/// once per process, at first use; `None` only if the built-in file were broken, which
/// a test rules out.
pub fn shipped() -> Option<&'static StaticEmbeddings> {
    static SHIPPED_TABLE: &[u8] =
        include_bytes!("semantic/multilingual-e5-small-64d-int8.safetensors");
    static PARSED: OnceLock<Option<StaticEmbeddings>> = OnceLock::new();
    PARSED
        .get_or_init(|| match parse_table(SHIPPED_TABLE, TableBytes::Static) {
            Ok(table) => Some(table),
            Err(reason) => {
                tracing::error!(%reason, "the built-in embedding table is broken");
                None
            }
        })
        .as_ref()
}

/// Unit vectors stored as signed bytes with a scale each, for finding the nearest ones to
/// a question quickly: thousands of dot products in integers, which the compiler turns
/// into vector instructions, where floats summed in order would not be.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuantizedVectors {
    dims: usize,
    values: Vec<i8>,
    scales: Vec<f32>,
    /// Each vector's signs in its first 64 values, a bit each: vectors whose signs differ
    /// in few places are the candidates for the nearest (see `nearest`).
    signs: Vec<u64>,
}

/// How many vectors `nearest` compares in full, chosen by their signs. Measured over the
/// read question sets left out in turn, the vote of the nearest found so is as right as
/// the vote of the exact nearest (9,380 of 10,156 beside 9,392; 9,375 comparing 256), at
/// a fifth of the cost.
const SIGN_CANDIDATES: usize = 512;

impl QuantizedVectors {
    /// No vectors yet, each of `dims` values.
    pub fn new(dims: usize) -> QuantizedVectors {
        QuantizedVectors {
            dims,
            values: Vec::new(),
            scales: Vec::new(),
            signs: Vec::new(),
        }
    }

    /// The vectors as the bytes of a file: each one's scale (f32, little-endian), then
    /// their values, vector after vector.
    pub fn to_le_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(self.scales.len() * 4 + self.values.len());
        for scale in &self.scales {
            bytes.extend(scale.to_le_bytes());
        }
        bytes.extend(self.values.iter().map(|&value| value as u8));
        bytes
    }

    /// `count` vectors from [`QuantizedVectors::to_le_bytes`], if the bytes hold that
    /// many of one width.
    pub fn from_le_bytes(count: usize, bytes: &[u8]) -> Option<QuantizedVectors> {
        let (scales, values) = bytes.split_at_checked(count.checked_mul(4)?)?;
        if count == 0 || values.len() % count != 0 {
            return None;
        }
        QuantizedVectors::from_parts(
            values.len() / count,
            values.iter().map(|&byte| byte as i8).collect(),
            f32_values(scales),
        )
    }

    /// Vectors of `dims` values each, with a scale each, if they fit together.
    fn from_parts(dims: usize, values: Vec<i8>, scales: Vec<f32>) -> Option<QuantizedVectors> {
        let fits = dims > 0
            && values.len() == dims * scales.len()
            && scales
                .iter()
                .all(|scale| scale.is_finite() && *scale >= 0.0);
        fits.then(|| QuantizedVectors {
            dims,
            signs: values.chunks_exact(dims).map(signs).collect(),
            values,
            scales,
        })
    }

    /// The number of vectors.
    pub fn len(&self) -> usize {
        self.scales.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    /// The width of every vector.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// Appends `vector` (of [`QuantizedVectors::dims`] values; a zero vector when it has
    /// another width, so that positions stay those of the texts).
    pub fn push(&mut self, vector: Option<&[f32]>) {
        let vector = vector.filter(|vector| vector.len() == self.dims);
        let (bytes, scale) = match vector {
            Some(vector) => quantize(vector),
            None => (vec![0; self.dims], 0.0),
        };
        self.signs.push(signs(&bytes));
        self.values.extend(bytes);
        self.scales.push(scale);
    }

    /// The `count` vectors nearest `query` by cosine (both unit length), nearest first;
    /// among equals the earlier one.
    ///
    /// Beyond [`SIGN_CANDIDATES`] vectors, only that many are compared in full: those
    /// whose signs differ least from the query's (a count of bits), earlier ones first
    /// among equals. Comparing thousands in full took 130 µs a question, being bound by
    /// memory; counting bits takes a tenth of that.
    pub fn nearest(&self, query: &[f32], count: usize) -> Vec<(usize, f32)> {
        if query.len() != self.dims || count == 0 || self.dims == 0 {
            return Vec::new();
        }
        let (query, query_scale) = quantize(query);
        let candidates = self.candidates(signs(&query));
        let dots = dot_products(&self.values, self.dims, &candidates, &query);
        let before = |left: (usize, f32), right: (usize, f32)| {
            left.1 > right.1 || (left.1 == right.1 && left.0 < right.0)
        };
        let mut nearest: Vec<(usize, f32)> = Vec::with_capacity(count + 1);
        for (&index, &dot) in candidates.iter().zip(&dots) {
            let scale = self.scales.get(index).copied().unwrap_or(0.0);
            let candidate = (index, dot as f32 * scale * query_scale);
            if nearest.len() == count && !before(candidate, nearest[count - 1]) {
                continue;
            }
            let at = nearest.partition_point(|&nearer| before(nearer, candidate));
            nearest.insert(at, candidate);
            nearest.truncate(count);
        }
        nearest
    }

    /// The indices of the vectors to compare in full, ascending: all of them, or the
    /// [`SIGN_CANDIDATES`] whose signs differ least from `query_signs`.
    fn candidates(&self, query_signs: u64) -> Vec<usize> {
        if self.signs.len() <= SIGN_CANDIDATES {
            return (0..self.signs.len()).collect();
        }
        let differences = sign_differences(&self.signs, query_signs);
        // The smallest number of differing signs that takes enough candidates: every
        // vector under it, and as many at it as there is room for.
        let histogram = histogram(&differences);
        let mut cutoff = 0;
        let mut below = 0;
        while cutoff < 64 && below + histogram[cutoff] < SIGN_CANDIDATES {
            below += histogram[cutoff];
            cutoff += 1;
        }
        within_cutoff(&differences, cutoff as u8, SIGN_CANDIDATES - below)
    }
}

/// The indices of `differences` under `cutoff`, and the first `room_at_cutoff` at it,
/// ascending.
///
/// Eight differences are tested at once: a few hundred of thousands are taken, so most
/// groups of eight have none, and testing each one was a third of finding the nearest.
fn within_cutoff(differences: &[u8], cutoff: u8, mut room_at_cutoff: usize) -> Vec<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // Every difference is at most 64, so each byte with its high bit set is at least 128
    // and subtracting at most 65 from it borrows nothing from the next byte: the high bit
    // stays set exactly where the difference is over the cutoff.
    let over_cutoff = (u64::from(cutoff) + 1) * ONES;
    let mut candidates = Vec::with_capacity(SIGN_CANDIDATES);
    let mut take = |index: usize, difference: u8, candidates: &mut Vec<usize>| {
        if difference < cutoff {
            candidates.push(index);
        } else if difference == cutoff && room_at_cutoff > 0 {
            candidates.push(index);
            room_at_cutoff -= 1;
        }
    };
    let (groups, rest) = differences.as_chunks::<8>();
    for (group_index, group) in groups.iter().enumerate() {
        let eight = u64::from_le_bytes(*group);
        if !((eight | HIGH_BITS) - over_cutoff) & HIGH_BITS == 0 {
            continue;
        }
        for (offset, &difference) in group.iter().enumerate() {
            take(group_index * 8 + offset, difference, &mut candidates);
        }
    }
    for (offset, &difference) in rest.iter().enumerate() {
        take(groups.len() * 8 + offset, difference, &mut candidates);
    }
    candidates
}

/// The integer dot product of `query` with each of the `candidates` rows of `values`
/// (rows of `dims`), in order. With AVX2 where the processor has it (found at run time,
/// as for counting bits): the products are exact integers either way, so the nearest are
/// the same on any machine.
fn dot_products(values: &[i8], dims: usize, candidates: &[usize], query: &[i8]) -> Vec<i32> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the instructions it is compiled with were just found on this processor.
        return unsafe { dot_products_with_avx2(values, dims, candidates, query) };
    }
    compute_dot_products(values, dims, candidates, query)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_products_with_avx2(
    values: &[i8],
    dims: usize,
    candidates: &[usize],
    query: &[i8],
) -> Vec<i32> {
    compute_dot_products(values, dims, candidates, query)
}

// Always inlined: only then is it compiled with the caller's vector instructions. The
// loops are written out, with the shipped table's width as a case of its own, because
// an iterator collected into a vector is a call of its own, compiled without them.
#[inline(always)]
fn compute_dot_products(
    values: &[i8],
    dims: usize,
    candidates: &[usize],
    query: &[i8],
) -> Vec<i32> {
    let mut dots = Vec::with_capacity(candidates.len());
    if let (Ok(query), (rows, [])) = (<&[i8; 64]>::try_from(query), values.as_chunks::<64>()) {
        for &index in candidates {
            let mut dot = 0i32;
            if let Some(row) = rows.get(index) {
                for position in 0..64 {
                    dot += i32::from(row[position]) * i32::from(query[position]);
                }
            }
            dots.push(dot);
        }
        return dots;
    }
    for &index in candidates {
        let mut dot = 0i32;
        if let Some(row) = values.get(index * dims..(index + 1) * dims) {
            for (&left, &right) in row.iter().zip(query) {
                dot += i32::from(left) * i32::from(right);
            }
        }
        dots.push(dot);
    }
    dots
}

/// How many signs each of `signs` has unlike `query`: the first pass over every asked
/// question, and most of the cost of finding the nearest. With the processor's own
/// instruction for counting bits where it has one (nearly every x86-64 made since 2008,
/// though not the baseline Rust compiles for), which counts them in a fraction of the time.
fn sign_differences(signs: &[u64], query: u64) -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the instruction it is compiled with was just found on this processor.
        return unsafe { sign_differences_with_popcnt(signs, query) };
    }
    count_sign_differences(signs, query)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn sign_differences_with_popcnt(signs: &[u64], query: u64) -> Vec<u8> {
    count_sign_differences(signs, query)
}

// Always inlined: only then is it compiled with the caller's bit-count instruction.
#[inline(always)]
fn count_sign_differences(signs: &[u64], query: u64) -> Vec<u8> {
    signs
        .iter()
        .map(|signs| (signs ^ query).count_ones() as u8)
        .collect()
}

/// How many of `differences` have each value from 0 to 64, counted in four interleaved
/// histograms summed at the end: the differences of similar questions cluster, and one
/// histogram makes each count wait for the one before it to be stored.
fn histogram(differences: &[u8]) -> [usize; 65] {
    // 256 counts each, one for every value a byte can have: no index is out of bounds.
    let mut partial = [[0u32; 256]; 4];
    let mut quads = differences.chunks_exact(4);
    for quad in &mut quads {
        for (counts, &difference) in partial.iter_mut().zip(quad) {
            counts[usize::from(difference)] += 1;
        }
    }
    for &difference in quads.remainder() {
        partial[0][usize::from(difference)] += 1;
    }
    let mut histogram = [0usize; 65];
    for (value, total) in histogram.iter_mut().enumerate() {
        *total = partial.iter().map(|counts| counts[value] as usize).sum();
    }
    histogram
}

/// The signs of a vector's first 64 values, a bit each (set for a positive value).
fn signs(values: &[i8]) -> u64 {
    values
        .iter()
        .take(64)
        .enumerate()
        .fold(0, |bits, (index, &value)| {
            bits | (u64::from(value > 0) << index)
        })
}

/// A vector as signed bytes and the scale that brings them back (the largest value maps
/// to 127).
fn quantize(vector: &[f32]) -> (Vec<i8>, f32) {
    let largest = vector
        .iter()
        .map(|value| value.abs())
        .filter(|value| value.is_finite())
        .fold(0.0f32, f32::max);
    if largest <= 0.0 {
        return (vec![0; vector.len()], 0.0);
    }
    let scale = largest / 127.0;
    let bytes = vector
        .iter()
        .map(|value| {
            let scaled = if value.is_finite() {
                value / scale
            } else {
                0.0
            };
            scaled.round().clamp(-127.0, 127.0) as i8
        })
        .collect();
    (bytes, scale)
}

/// Cosine similarity of two vectors from [`StaticEmbeddings::embed`]: their dot product,
/// as both have unit length. Extra elements of the longer one are ignored.
pub fn cosine(first: &[f32], second: &[f32]) -> f32 {
    first.iter().zip(second).map(|(a, b)| a * b).sum()
}

impl StaticEmbeddings {
    /// Reads and validates a table written by `tools/distill_static_embeddings.py`.
    pub fn load(path: &Path) -> Result<StaticEmbeddings, SemanticError> {
        let read_error = |source| SemanticError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_error)?;
        let size = file.metadata().map_err(read_error)?.len();
        if size > MAX_TABLE_BYTES {
            return Err(SemanticError::TooLarge {
                path: path.to_path_buf(),
                size,
                limit: MAX_TABLE_BYTES,
            });
        }
        // The size can change between the check and the read; reading one byte past the
        // limit catches a file that grew.
        let mut bytes = Vec::new();
        file.take(MAX_TABLE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        if bytes.len() as u64 > MAX_TABLE_BYTES {
            return Err(SemanticError::TooLarge {
                path: path.to_path_buf(),
                size: bytes.len() as u64,
                limit: MAX_TABLE_BYTES,
            });
        }
        parse_table(&bytes, owned_bytes).map_err(|reason| SemanticError::Invalid {
            path: path.to_path_buf(),
            reason,
        })
    }

    /// The number of dimensions of every vector.
    pub fn dims(&self) -> usize {
        self.dims
    }

    /// The number of pieces (rows) in the table.
    pub fn piece_count(&self) -> usize {
        self.scores.len()
    }

    /// The id in the teacher's vocabulary of the piece in `row`.
    pub fn teacher_id(&self, row: u32) -> Option<i32> {
        self.teacher_ids.get(row as usize)
    }

    /// The rows of the pieces `text` is segmented into, in order; characters the table
    /// has no piece for are skipped. Only the first [`MAX_TEXT_CHARS`] characters count.
    pub fn pieces(&self, text: &str) -> Vec<u32> {
        self.segment(text).into_iter().flatten().collect()
    }

    /// The L2-normalised mean of the rows of `text`'s pieces; `None` when no piece has a
    /// row (or the rows add up to nothing), as such a text says nothing to compare.
    pub fn embed(&self, text: &str) -> Option<Vec<f32>> {
        let rows = self.pieces(text);
        if rows.is_empty() {
            return None;
        }
        let mut sum = vec![0.0f32; self.dims];
        for &row in &rows {
            self.rows.add_row(row as usize, self.dims, &mut sum);
        }
        let count = rows.len() as f32;
        let mut mean: Vec<f32> = sum.into_iter().map(|value| value / count).collect();
        let norm = mean.iter().map(|value| value * value).sum::<f32>().sqrt();
        if !norm.is_finite() || norm <= 0.0 {
            return None;
        }
        for value in &mut mean {
            *value /= norm;
        }
        Some(mean)
    }

    /// Segments `text` into pieces: `Some(row)` for a piece, `None` for a character
    /// without one (the teacher's unknown piece).
    fn segment(&self, text: &str) -> Vec<Option<u32>> {
        let (marked, boundaries) = self.normalize(text);
        let char_count = boundaries.len() - 1;
        let mut best = vec![UNREACHED; char_count + 1];
        let mut back: Vec<(usize, Option<u32>)> = vec![(0, None); char_count + 1];
        best[0] = 0.0;
        for start in 0..char_count {
            // Every position is reachable through unknown characters, so this never
            // skips; it mirrors the reference, which guards the same way.
            if best[start] <= UNREACHED / 10.0 {
                continue;
            }
            let last_end = char_count.min(start + self.row_by_piece.longest_chars);
            for end in start + 1..=last_end {
                let Some(piece) = marked.get(boundaries[start]..boundaries[end]) else {
                    break;
                };
                // No piece has a word marker after its first character (checked at
                // load): a candidate that reaches the next word, and every longer one,
                // is none. Most of the lookups of a sentence were such.
                if end > start + 1
                    && self.row_by_piece.markers_only_first
                    && piece.ends_with(WORD_MARKER)
                {
                    break;
                }
                let found = self.row_by_piece.row(piece);
                if let Some((row, piece_score)) =
                    found.and_then(|row| Some((row, self.scores.get(row as usize)?)))
                {
                    let score = best[start] + piece_score;
                    // Strictly greater, scanning ends in increasing order, then the
                    // unknown character last: the reference's tie-breaking.
                    if score > best[end] {
                        best[end] = score;
                        back[end] = (start, Some(row));
                    }
                }
            }
            let score = best[start] + self.unknown_score;
            if score > best[start + 1] {
                best[start + 1] = score;
                back[start + 1] = (start, None);
            }
        }
        let mut segments = Vec::new();
        let mut end = char_count;
        while end > 0 {
            let (start, row) = back[end];
            segments.push(row);
            end = start;
        }
        segments.reverse();
        segments
    }

    /// Steps a to c of the tokenizer: map code points, collapse double spaces, prepend
    /// a space and turn spaces into word markers. Returns the text and the byte offset of
    /// every character boundary (one more than the characters).
    fn normalize(&self, text: &str) -> (String, Vec<usize>) {
        let mut chars: Vec<char> = Vec::with_capacity(text.len().min(MAX_TEXT_CHARS) + 1);
        let push = |chars: &mut Vec<char>, ch: char| {
            if chars.len() < MAX_NORMALIZED_CHARS && !(ch == ' ' && chars.last() == Some(&' ')) {
                chars.push(ch);
            }
        };
        for ch in text.chars().take(MAX_TEXT_CHARS) {
            match self.normalizer.replacement(ch) {
                Some(replacement) => {
                    for &out in replacement {
                        push(&mut chars, out);
                    }
                }
                None => push(&mut chars, ch),
            }
        }
        let mut marked = String::with_capacity(chars.len() * 3 + 3);
        let mut boundaries = Vec::with_capacity(chars.len() + 2);
        if chars.first() != Some(&' ') {
            boundaries.push(marked.len());
            marked.push(WORD_MARKER);
        }
        for ch in chars {
            boundaries.push(marked.len());
            marked.push(if ch == ' ' { WORD_MARKER } else { ch });
        }
        boundaries.push(marked.len());
        (marked, boundaries)
    }
}

/// The embedding rows in the file's own dtype.
#[derive(Debug, Clone)]
enum Rows {
    /// IEEE half-precision bit patterns, row-major.
    F16(Vec<u16>),
    /// Signed bytes, row-major; a row's values times its scale are its vector.
    I8 {
        values: TableBytes,
        scales: LeArray<f32>,
    },
}

/// One tensor's bytes: the built-in table's are read where the binary holds them, so
/// that only the pages a question uses are ever touched (copying them was most of
/// loading it, and 2 MB of every process); a table read from a file owns them.
#[derive(Debug, Clone)]
enum TableBytes {
    Static(&'static [u8]),
    Owned(Vec<u8>),
}

/// A tensor copied out of a file's bytes, which are dropped after loading.
fn owned_bytes(tensor: &[u8]) -> TableBytes {
    TableBytes::Owned(tensor.to_vec())
}

impl TableBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            TableBytes::Static(bytes) => bytes,
            TableBytes::Owned(bytes) => bytes,
        }
    }

    fn get(&self, range: std::ops::Range<usize>) -> Option<&[u8]> {
        self.as_slice().get(range)
    }
}

/// A four-byte little-endian value, as the table stores its scores, ids and offsets.
trait LeValue: Copy {
    fn from_le_bytes(bytes: [u8; 4]) -> Self;
}

impl LeValue for f32 {
    fn from_le_bytes(bytes: [u8; 4]) -> f32 {
        f32::from_le_bytes(bytes)
    }
}

impl LeValue for i32 {
    fn from_le_bytes(bytes: [u8; 4]) -> i32 {
        i32::from_le_bytes(bytes)
    }
}

impl LeValue for u32 {
    fn from_le_bytes(bytes: [u8; 4]) -> u32 {
        u32::from_le_bytes(bytes)
    }
}

/// A tensor of four-byte values read in place: decoding a value on use costs a load
/// and no more, where decoding all 60,000 at start cost their memory in every process.
#[derive(Debug, Clone)]
struct LeArray<T> {
    bytes: TableBytes,
    values: std::marker::PhantomData<T>,
}

impl<T: LeValue> LeArray<T> {
    /// The values of `bytes`; a trailing part of a value is ignored (the tensor's shape
    /// was checked against its byte count before).
    fn new(bytes: TableBytes) -> LeArray<T> {
        LeArray {
            bytes,
            values: std::marker::PhantomData,
        }
    }

    fn len(&self) -> usize {
        self.bytes.as_slice().len() / 4
    }

    fn get(&self, index: usize) -> Option<T> {
        let start = index.checked_mul(4)?;
        let chunk = self.bytes.get(start..start.checked_add(4)?)?;
        Some(T::from_le_bytes(chunk.try_into().ok()?))
    }

    fn iter(&self) -> impl Iterator<Item = T> + '_ {
        le_values(self.bytes.as_slice())
    }
}

impl Rows {
    /// Adds row `row` (as f32) to `sum`; rows were checked against `dims` at load.
    fn add_row(&self, row: usize, dims: usize, sum: &mut [f32]) {
        let range = row * dims..(row + 1) * dims;
        match self {
            Rows::F16(bits) => {
                if let Some(values) = bits.get(range) {
                    for (total, &value) in sum.iter_mut().zip(values) {
                        *total += f16_to_f32(value);
                    }
                }
            }
            Rows::I8 { values, scales } => {
                if let (Some(values), Some(scale)) = (values.get(range), scales.get(row)) {
                    for (total, &value) in sum.iter_mut().zip(values) {
                        *total += f32::from(value as i8) * scale;
                    }
                }
            }
        }
    }
}

/// The teacher's normalizer, one entry per rewritten code point.
#[derive(Debug, Clone, Default)]
struct Normalizer {
    /// Rewritten code points, strictly ascending (checked at load) for binary search.
    code_points: Vec<u32>,
    /// `replacements[offsets[i]..offsets[i + 1]]` replaces `code_points[i]`.
    offsets: Vec<usize>,
    replacements: Vec<char>,
}

impl Normalizer {
    /// What `ch` becomes, or `None` when it stays as it is (an empty slice deletes it).
    fn replacement(&self, ch: char) -> Option<&[char]> {
        let index = self.code_points.binary_search(&u32::from(ch)).ok()?;
        let start = *self.offsets.get(index)?;
        let end = *self.offsets.get(index + 1)?;
        self.replacements.get(start..end)
    }
}

/// Converts an IEEE 754 half-precision bit pattern to f32 (exactly: every half is a
/// float). Written out rather than taken from the `half` crate, as it is ten lines.
fn f16_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits & 0x8000) << 16;
    let exponent = u32::from((bits >> 10) & 0x1f);
    let mantissa = u32::from(bits & 0x03ff);
    match exponent {
        // Zero and subnormals: mantissa × 2^-24, exact in f32.
        0 => {
            let magnitude = mantissa as f32 * f32::from_bits(0x3380_0000);
            if sign == 0 {
                magnitude
            } else {
                -magnitude
            }
        }
        // Infinities and NaNs keep their payload's top bits.
        0x1f => f32::from_bits(sign | 0x7f80_0000 | (mantissa << 13)),
        // Normal numbers: rebias the exponent from 15 to 127.
        _ => f32::from_bits(sign | ((exponent + 112) << 23) | (mantissa << 13)),
    }
}

/// The element types the table uses, with their safetensors names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dtype {
    F16,
    F32,
    I8,
    U8,
    U32,
    I32,
}

impl Dtype {
    fn name(self) -> &'static str {
        match self {
            Dtype::F16 => "F16",
            Dtype::F32 => "F32",
            Dtype::I8 => "I8",
            Dtype::U8 => "U8",
            Dtype::U32 => "U32",
            Dtype::I32 => "I32",
        }
    }

    fn width(self) -> usize {
        match self {
            Dtype::I8 | Dtype::U8 => 1,
            Dtype::F16 => 2,
            Dtype::F32 | Dtype::U32 | Dtype::I32 => 4,
        }
    }
}

/// One tensor's entry in a safetensors header.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TensorEntry {
    dtype: String,
    shape: Vec<u64>,
    data_offsets: [u64; 2],
}

/// A parsed safetensors file: its header entries, string metadata and data section.
/// Written by hand rather than with the `safetensors` crate: the format is a length, a
/// JSON header and raw little-endian bytes, and serde_json already reads the header.
struct SafeTensors<'a> {
    entries: BTreeMap<String, TensorEntry>,
    metadata: BTreeMap<String, String>,
    data: &'a [u8],
}

/// A tensor's shape and its bytes, checked against its dtype.
struct Tensor<'a> {
    shape: Vec<usize>,
    bytes: &'a [u8],
}

impl<'a> SafeTensors<'a> {
    fn parse(bytes: &'a [u8]) -> Result<SafeTensors<'a>, String> {
        let Some((length_bytes, rest)) = bytes.split_first_chunk::<8>() else {
            return Err(format!(
                "{} bytes is too short for the 8-byte header length",
                bytes.len()
            ));
        };
        let header_length = u64::from_le_bytes(*length_bytes);
        let header_end = usize::try_from(header_length)
            .ok()
            .filter(|&length| length <= rest.len())
            .ok_or_else(|| {
                format!(
                    "the header claims {header_length} bytes but only {} follow",
                    rest.len()
                )
            })?;
        let (header, data) = rest.split_at(header_end);
        let raw: BTreeMap<String, serde_json::Value> = serde_json::from_slice(header)
            .map_err(|error| format!("the header is not a JSON object: {error}"))?;
        let mut entries = BTreeMap::new();
        let mut metadata = BTreeMap::new();
        for (name, value) in raw {
            if name == "__metadata__" {
                metadata = serde_json::from_value(value)
                    .map_err(|error| format!("__metadata__ is not a map of strings: {error}"))?;
            } else {
                let entry: TensorEntry = serde_json::from_value(value)
                    .map_err(|error| format!("tensor {name}: {error}"))?;
                entries.insert(name, entry);
            }
        }
        Ok(SafeTensors {
            entries,
            metadata,
            data,
        })
    }

    fn dtype(&self, name: &str) -> Result<&str, String> {
        self.entries
            .get(name)
            .map(|entry| entry.dtype.as_str())
            .ok_or_else(|| format!("tensor {name} is missing"))
    }

    /// The tensor `name`, which must have `dtype` and as many bytes as its shape says.
    fn tensor(&self, name: &str, dtype: Dtype) -> Result<Tensor<'a>, String> {
        let entry = self
            .entries
            .get(name)
            .ok_or_else(|| format!("tensor {name} is missing"))?;
        if entry.dtype != dtype.name() {
            return Err(format!(
                "tensor {name} has dtype {}, expected {}",
                entry.dtype,
                dtype.name()
            ));
        }
        let shape = entry
            .shape
            .iter()
            .map(|&dim| usize::try_from(dim).ok())
            .collect::<Option<Vec<usize>>>()
            .ok_or_else(|| format!("tensor {name} has an impossible shape {:?}", entry.shape))?;
        let byte_count = shape
            .iter()
            .try_fold(dtype.width(), |total, &dim| total.checked_mul(dim))
            .ok_or_else(|| format!("tensor {name} has an impossible shape {:?}", entry.shape))?;
        let [start, end] = entry.data_offsets;
        let range = usize::try_from(start)
            .ok()
            .zip(usize::try_from(end).ok())
            .filter(|(start, end)| start <= end && *end <= self.data.len());
        let Some((start, end)) = range else {
            return Err(format!(
                "tensor {name} has data offsets {start}..{end} outside the {} data bytes",
                self.data.len()
            ));
        };
        if end - start != byte_count {
            return Err(format!(
                "tensor {name} has {} data bytes but shape {:?} needs {byte_count}",
                end - start,
                entry.shape
            ));
        }
        Ok(Tensor {
            shape,
            bytes: &self.data[start..end],
        })
    }

    /// The tensor `name` as a vector of `length` elements.
    fn vector(
        &self,
        name: &str,
        dtype: Dtype,
        length: Option<usize>,
    ) -> Result<Tensor<'a>, String> {
        let tensor = self.tensor(name, dtype)?;
        match (tensor.shape.as_slice(), length) {
            ([actual], Some(expected)) if *actual != expected => Err(format!(
                "tensor {name} has {actual} elements, expected {expected}"
            )),
            ([_], _) => Ok(tensor),
            (shape, _) => Err(format!(
                "tensor {name} has shape {shape:?}, expected one dimension"
            )),
        }
    }

    fn metadata(&self, key: &str) -> Result<&str, String> {
        self.metadata
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| format!("metadata {key} is missing"))
    }
}

/// Builds a table from a file's bytes, checking everything a broken file could get wrong.
fn parse_table<'a>(
    bytes: &'a [u8],
    keep: impl Fn(&'a [u8]) -> TableBytes,
) -> Result<StaticEmbeddings, String> {
    let file = SafeTensors::parse(bytes)?;
    let format = file.metadata("format")?;
    if format != TABLE_FORMAT {
        return Err(format!("format is {format:?}, expected {TABLE_FORMAT:?}"));
    }
    let unknown_score = file
        .metadata("unk_score")?
        .parse::<f32>()
        .ok()
        .filter(|score| score.is_finite())
        .ok_or("metadata unk_score is not a finite number")?;

    let (rows, piece_count, dims) = parse_rows(&file, &keep)?;
    let scores: LeArray<f32> = LeArray::new(keep(
        file.vector("scores", Dtype::F32, Some(piece_count))?.bytes,
    ));
    if let Some(row) = scores.iter().position(|score| !score.is_finite()) {
        return Err(format!("the score of piece {row} is not finite"));
    }
    let teacher_ids = LeArray::new(keep(
        file.vector("teacher_ids", Dtype::I32, Some(piece_count))?
            .bytes,
    ));
    let row_by_piece = parse_pieces(&file, piece_count, &keep)?;
    let normalizer = parse_normalizer(&file)?;
    Ok(StaticEmbeddings {
        dims,
        rows,
        scores,
        teacher_ids,
        row_by_piece,
        unknown_score,
        normalizer,
    })
}

/// The embedding rows, their count and their width.
fn parse_rows<'a>(
    file: &SafeTensors<'a>,
    keep: impl Fn(&'a [u8]) -> TableBytes,
) -> Result<(Rows, usize, usize), String> {
    let dtype = match file.dtype("embeddings")? {
        "F16" => Dtype::F16,
        "I8" => Dtype::I8,
        other => {
            return Err(format!(
                "tensor embeddings has dtype {other}, expected F16 or I8"
            ))
        }
    };
    let embeddings = file.tensor("embeddings", dtype)?;
    let (piece_count, dims) = match embeddings.shape.as_slice() {
        &[piece_count, dims] if piece_count > 0 && dims > 0 && piece_count <= u32::MAX as usize => {
            (piece_count, dims)
        }
        shape => {
            return Err(format!(
                "tensor embeddings has shape {shape:?}, expected [pieces, dims], both non-zero"
            ))
        }
    };
    let rows = if dtype == Dtype::F16 {
        let bits = u16_values(embeddings.bytes);
        if let Some(index) = bits.iter().position(|&value| value & 0x7c00 == 0x7c00) {
            return Err(format!(
                "row {} of embeddings holds an infinity or NaN",
                index / dims
            ));
        }
        Rows::F16(bits)
    } else {
        let scales: LeArray<f32> = LeArray::new(keep(
            file.vector("scales", Dtype::F32, Some(piece_count))?.bytes,
        ));
        if let Some(row) = scales.iter().position(|scale| !scale.is_finite()) {
            return Err(format!("the scale of row {row} is not finite"));
        }
        Rows::I8 {
            values: keep(embeddings.bytes),
            scales,
        }
    };
    Ok((rows, piece_count, dims))
}

/// The table's pieces and the row of each: the pieces' bytes stay in one blob and the
/// hash table holds row numbers only. Keyed by the table's own pieces, never by what
/// people type (a lookup inserts nothing), so the fast hash is safe here.
#[derive(Debug, Clone)]
struct PieceIndex {
    bytes: TableBytes,
    /// Piece `row` is `bytes[offsets[row]..offsets[row + 1]]` (checked at load).
    offsets: LeArray<u32>,
    rows: hashbrown::HashTable<u32>,
    /// The longest piece, in characters.
    longest_chars: usize,
    /// Whether no piece has a word marker after its first character (true of the
    /// teacher's vocabulary), which lets segmentation stop at the next word.
    markers_only_first: bool,
}

impl PieceIndex {
    fn piece(&self, row: u32) -> &[u8] {
        let row = row as usize;
        match (self.offsets.get(row), self.offsets.get(row + 1)) {
            (Some(start), Some(end)) => self.bytes.get(start as usize..end as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The row of `piece`, if the table has it.
    fn row(&self, piece: &str) -> Option<u32> {
        let piece = piece.as_bytes();
        self.rows
            .find(FxBuildHasher.hash_one(piece), |&row| {
                self.piece(row) == piece
            })
            .copied()
    }
}

/// The piece → row index, with what segmentation needs to know of the pieces.
fn parse_pieces<'a>(
    file: &SafeTensors<'a>,
    piece_count: usize,
    keep: impl Fn(&'a [u8]) -> TableBytes,
) -> Result<PieceIndex, String> {
    let offset_bytes = file
        .vector("piece_offsets", Dtype::U32, Some(piece_count + 1))?
        .bytes;
    // Decoded for checking and indexing only; the index reads them in place.
    let offsets = u32_values(offset_bytes);
    let piece_bytes = file.vector("piece_bytes", Dtype::U8, None)?.bytes;
    // One pass over all the pieces' bytes, then each piece's ends checked to fall between
    // characters: the same as checking every piece, for a fraction of the cost.
    let all_pieces = std::str::from_utf8(piece_bytes)
        .map_err(|error| format!("the piece bytes are not UTF-8: {error}"))?;
    let mut rows = hashbrown::HashTable::with_capacity(piece_count);
    let mut longest_chars = 0;
    let mut markers_only_first = true;
    for (row, pair) in offsets.windows(2).enumerate() {
        let (start, end) = (pair[0] as usize, pair[1] as usize);
        let piece = all_pieces
            .get(start..end)
            .filter(|_| start <= end)
            .ok_or_else(|| {
                format!(
                    "piece {row} has offsets {start}..{end} outside the {} piece bytes or \
                     inside a character",
                    piece_bytes.len()
                )
            })?;
        let bytes = piece.as_bytes();
        // Characters are the bytes that do not continue one (UTF-8 checked above).
        let char_count = bytes.iter().filter(|&&byte| (byte as i8) >= -0x40).count();
        if char_count == 0 {
            return Err(format!("piece {row} is empty"));
        }
        if char_count > MAX_PIECE_CHARS {
            return Err(format!(
                "piece {row} has {char_count} characters, more than {MAX_PIECE_CHARS}"
            ));
        }
        longest_chars = longest_chars.max(char_count);
        markers_only_first &= !piece.chars().skip(1).any(|ch| ch == WORD_MARKER);
        let hash = FxBuildHasher.hash_one(bytes);
        let piece_at = |other: u32| {
            let other = other as usize;
            piece_bytes.get(offsets[other] as usize..offsets[other + 1] as usize)
        };
        if let Some(first) = rows.find(hash, |&other| piece_at(other) == Some(bytes)) {
            return Err(format!("piece {row} repeats piece {first} ({piece:?})"));
        }
        rows.insert_unique(hash, row as u32, |&other| {
            FxBuildHasher.hash_one(piece_at(other).unwrap_or(&[]))
        });
    }
    Ok(PieceIndex {
        bytes: keep(piece_bytes),
        offsets: LeArray::new(keep(offset_bytes)),
        rows,
        longest_chars,
        markers_only_first,
    })
}

fn parse_normalizer(file: &SafeTensors) -> Result<Normalizer, String> {
    let code_points = u32_values(file.vector("norm_cp", Dtype::U32, None)?.bytes);
    let offsets = u32_values(
        file.vector("norm_offsets", Dtype::U32, Some(code_points.len() + 1))?
            .bytes,
    );
    let replacements = u32_values(file.vector("norm_out", Dtype::U32, None)?.bytes)
        .into_iter()
        .enumerate()
        .map(|(index, code_point)| {
            char::from_u32(code_point).ok_or_else(|| {
                format!("norm_out[{index}] = {code_point:#x} is not a Unicode scalar value")
            })
        })
        .collect::<Result<Vec<char>, String>>()?;
    if let Some(index) = code_points.windows(2).position(|pair| pair[0] >= pair[1]) {
        return Err(format!(
            "norm_cp is not strictly ascending at index {}",
            index + 1
        ));
    }
    for (index, pair) in offsets.windows(2).enumerate() {
        let (start, end) = (pair[0] as usize, pair[1] as usize);
        if start > end || end > replacements.len() {
            return Err(format!(
                "norm_offsets {start}..{end} of entry {index} are outside the {} replacements",
                replacements.len()
            ));
        }
        if end - start > MAX_REPLACEMENT_CHARS {
            return Err(format!(
                "normalizer entry {index} expands to {} code points, more than {MAX_REPLACEMENT_CHARS}",
                end - start
            ));
        }
    }
    Ok(Normalizer {
        code_points,
        offsets: offsets.into_iter().map(|offset| offset as usize).collect(),
        replacements,
    })
}

fn u16_values(bytes: &[u8]) -> Vec<u16> {
    bytes
        .chunks_exact(2)
        .map(|chunk| u16::from_le_bytes([chunk[0], chunk[1]]))
        .collect()
}

/// The four-byte little-endian values of `bytes`, in order; a trailing part of a value
/// is ignored.
fn le_values<T: LeValue>(bytes: &[u8]) -> impl Iterator<Item = T> + '_ {
    bytes
        .chunks_exact(4)
        .map(|chunk| T::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
}

fn u32_values(bytes: &[u8]) -> Vec<u32> {
    le_values(bytes).collect()
}

fn f32_values(bytes: &[u8]) -> Vec<f32> {
    le_values(bytes).collect()
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod real_table;

/*
 * Ananke grammar warm-up text: original code, not part of the build.
 *
 * A growable byte buffer with a small C interface, written in the comment styles many crates
 * use: block comments (nested ones too), doc blocks, and comments after code.
 */

//! Byte buffers that cross an FFI boundary.
/*! The C functions below take and return raw pointers; each says what it needs. */

use std::borrow::Borrow;
use std::fmt::{self, Debug, Display};
use std::os::raw::{c_char, c_int};

/** A buffer that owns its bytes and remembers how much of it was read. */
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Buffer {
    bytes: Vec<u8>, // the whole contents
    read: usize,    /* how far `read_chunk` got */
}

impl Buffer {
    /// An empty buffer with room for `capacity` bytes.
    pub fn with_capacity(capacity: usize) -> Self {
        Buffer {
            bytes: Vec::with_capacity(capacity),
            read: 0,
        }
    }

    pub fn push<B: AsRef<[u8]> + ?Sized>(&mut self, data: &B) -> &mut Self {
        self.bytes.extend_from_slice(data.as_ref()); // append, never shrink
        self
    }

    /* Returns up to `n` unread bytes and moves past them.
    /* Nested: the caller decides what an empty slice means. */
     */
    pub fn read_chunk(&mut self, n: usize) -> &[u8] {
        let start = self.read;
        let end = (start + n).min(self.bytes.len());
        self.read = end;
        &self.bytes[start..end]
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.read /* never negative: read <= len */
    }

    pub fn contains<Q>(&self, needle: &Q) -> bool
    where
        Q: Borrow<[u8]> + ?Sized,
    {
        let needle = needle.borrow();
        !needle.is_empty() && self.bytes.windows(needle.len()).any(|w| w == needle)
    }
}

impl Debug for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffer")
            .field("len", &self.bytes.len()) // bytes held
            .field("read", &self.read)
            .finish()
    }
}

impl Display for Buffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.bytes.iter().enumerate() {
            if i > 0 && i % 16 == 0 {
                writeln!(f)?;
            }
            write!(f, "{:02x} ", b)?;
        }
        Ok(())
    }
}

pub const HEADER: &[u8] = b"BUF1";
pub const ESCAPES: &str = r"C:\temp\buffers\*.bin";
pub const PATTERN: &str = r#"^"(?P<key>[a-z_]+)"\s*=\s*(?P<value>.*)$"#;
pub const RAW_QUOTES: &str = r##"a "#quoted"# word"##;
pub const NUL: u8 = b'\0';
pub const TAB: char = '\t';
pub const APOSTROPHE: char = '\'';

/// Parses `key = value` lines, skipping `#` and `/* ... */` comment lines.
pub fn parse_settings(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let line = line.trim();
        if in_block {
            in_block = !line.ends_with("*/");
            continue;
        }
        if line.starts_with("/*") {
            in_block = !line.ends_with("*/");
            continue;
        }
        if line.is_empty() || line.starts_with('#') {
            continue; // comment or blank
        }
        if let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_owned(), v.trim().trim_matches('"').to_owned()));
        }
    }
    out
}

pub trait Sink {
    fn write_all(&mut self, data: &[u8]) -> Result<usize, SinkError>;

    /** Writes the header, then the data. */
    fn write_framed(&mut self, data: &[u8]) -> Result<usize, SinkError> {
        let head = self.write_all(HEADER)?;
        Ok(head + self.write_all(data)?)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SinkError {
    Full { wanted: usize, room: usize },
    Closed,
}

impl Sink for Buffer {
    fn write_all(&mut self, data: &[u8]) -> Result<usize, SinkError> {
        const LIMIT: usize = 1 << 20; /* 1 MiB */
        let room = LIMIT.saturating_sub(self.bytes.len());
        if data.len() > room {
            return Err(SinkError::Full {
                wanted: data.len(),
                room,
            });
        }
        self.push(data);
        Ok(data.len())
    }
}

pub mod checks {
    use super::Buffer;

    pub fn is_framed(buf: &Buffer) -> bool {
        buf.bytes.starts_with(super::HEADER)
    }
}

/* ---- C interface ------------------------------------------------------------------------ */

/// Creates a buffer; the caller frees it with `buffer_free`.
#[no_mangle]
pub extern "C" fn buffer_new(capacity: c_int) -> *mut Buffer {
    let capacity = if capacity < 0 { 0 } else { capacity as usize };
    Box::into_raw(Box::new(Buffer::with_capacity(capacity)))
}

/// # Safety
/// `buf` must come from `buffer_new` and `data` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn buffer_push(buf: *mut Buffer, data: *const c_char, len: usize) -> c_int {
    if buf.is_null() || data.is_null() {
        return -1;
    }
    let slice = std::slice::from_raw_parts(data as *const u8, len);
    match (*buf).write_all(slice) {
        Ok(n) => n as c_int,
        Err(SinkError::Full { .. }) => -2,
        Err(SinkError::Closed) => -3,
    }
}

/// # Safety
/// `buf` must come from `buffer_new` and not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn buffer_free(buf: *mut Buffer) {
    if !buf.is_null() {
        drop(Box::from_raw(buf)); // runs Buffer's destructor
    }
}

extern "C" {
    fn strlen(s: *const c_char) -> usize;
}

/// # Safety
/// `s` must be a NUL-terminated string.
pub unsafe fn c_len(s: *const c_char) -> usize {
    strlen(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing() {
        let mut b = Buffer::with_capacity(8);
        b.write_framed(b"abc").unwrap();
        assert!(checks::is_framed(&b));
        assert_eq!(b.remaining(), 7); /* header + 3 */
        assert!(b.contains(&b"BUF"[..]));
    }

    #[test]
    fn settings() {
        let parsed = parse_settings("/* header\n   lines */\na = \"1\"\n# note\nb=two\n");
        assert_eq!(
            parsed,
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "two".to_owned())
            ]
        );
    }
}

// Ananke grammar warm-up text: original code, not part of the build.

//! A borrowing lexer for a small INI-like configuration format.

use std::borrow::Cow;
use std::fmt;
use std::iter::Peekable;
use std::str::CharIndices;

pub const MAX_KEY_LEN: usize = 0x40;
pub const FLAGS_DEFAULT: u8 = 0b0000_0101;
pub const PERMS: u32 = 0o644;
pub const BIG: u64 = 1_000_000_007u64;
pub const RATIO: f64 = 1.618_033_988_749_895;
pub const TINY: f32 = 2.5e-3_f32;
pub const NEG: i128 = -170_141_183_460_469_231_731_687_303_715_884_105_728;
pub static MAGIC: &[u8; 4] = b"INI\x00";
pub static BANNER: &str = r#"config "v1" \ raw"#;
pub static HASHY: &str = r##"contains "# inside"##;
static SEPARATORS: [char; 3] = ['=', ':', '\u{2192}'];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token<'src> {
    Section(&'src str),
    Key(&'src str),
    Separator(char),
    Value(Cow<'src, str>),
    Number(i64),
    Float(f64),
    Bool(bool),
    Comment(&'src str),
    Newline,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..{}: {}",
            self.span.start, self.span.end, self.message
        )
    }
}

impl std::error::Error for LexError {}

pub struct Lexer<'src> {
    src: &'src str,
    chars: Peekable<CharIndices<'src>>,
    expect_value: bool,
}

impl<'src> Lexer<'src> {
    pub fn new(src: &'src str) -> Self {
        Lexer {
            src,
            chars: src.char_indices().peekable(),
            expect_value: false,
        }
    }

    fn error<T>(
        &self,
        start: usize,
        end: usize,
        message: impl Into<String>,
    ) -> Result<T, LexError> {
        Err(LexError {
            span: Span { start, end },
            message: message.into(),
        })
    }

    fn take_while<P>(&mut self, start: usize, mut pred: P) -> &'src str
    where
        P: FnMut(char) -> bool,
    {
        let mut end = start;
        while let Some(&(i, c)) = self.chars.peek() {
            if !pred(c) {
                break;
            }
            end = i + c.len_utf8();
            self.chars.next();
        }
        &self.src[start..end]
    }

    fn quoted(&mut self, start: usize) -> Result<Cow<'src, str>, LexError> {
        let mut owned: Option<String> = None;
        let body_start = start + 1;
        loop {
            let Some((i, c)) = self.chars.next() else {
                return self.error(start, self.src.len(), "unterminated string");
            };
            match (c, owned.as_mut()) {
                ('"', None) => return Ok(Cow::Borrowed(&self.src[body_start..i])),
                ('"', Some(_)) => return Ok(Cow::Owned(owned.take().unwrap_or_default())),
                ('\\', _) => {
                    let buf = owned.get_or_insert_with(|| self.src[body_start..i].to_string());
                    let escaped = match self.chars.next() {
                        Some((_, 'n')) => '\n',
                        Some((_, 't')) => '\t',
                        Some((_, '0')) => '\0',
                        Some((_, q @ ('"' | '\\' | '\''))) => q,
                        Some((j, other)) => {
                            return self.error(
                                i,
                                j + other.len_utf8(),
                                format!("bad escape \\{other}"),
                            )
                        }
                        None => return self.error(i, i + 1, "dangling backslash"),
                    };
                    buf.push(escaped);
                }
                (_, Some(buf)) => buf.push(c),
                (_, None) => {}
            }
        }
    }

    fn scalar(&mut self, start: usize) -> Token<'src> {
        let text = self.take_while(start, |c| c != '\n' && c != '#').trim_end();
        match text {
            "true" | "yes" | "on" => Token::Bool(true),
            "false" | "no" | "off" => Token::Bool(false),
            t if t.starts_with("0x") => i64::from_str_radix(&t[2..], 16)
                .map(Token::Number)
                .unwrap_or(Token::Value(Cow::Borrowed(t))),
            t => {
                if let Ok(n) = t.replace('_', "").parse::<i64>() {
                    Token::Number(n)
                } else if let Ok(x) = t.parse::<f64>() {
                    Token::Float(x)
                } else {
                    Token::Value(Cow::Borrowed(t))
                }
            }
        }
    }
}

impl<'src> Iterator for Lexer<'src> {
    type Item = Result<(Span, Token<'src>), LexError>;

    fn next(&mut self) -> Option<Self::Item> {
        let (start, c) = 'skip: loop {
            match self.chars.peek().copied() {
                Some((_, ' ' | '\t' | '\r')) => {
                    self.chars.next();
                }
                Some(pair) => break 'skip pair,
                None => return None,
            }
        };
        self.chars.next();
        let token = match c {
            '\n' => {
                self.expect_value = false;
                Ok(Token::Newline)
            }
            '#' | ';' => {
                let text = self.take_while(start + 1, |c| c != '\n');
                Ok(Token::Comment(text.trim()))
            }
            '[' => {
                let name = self.take_while(start + 1, |c| c != ']' && c != '\n');
                match self.chars.next() {
                    Some((_, ']')) => Ok(Token::Section(name.trim())),
                    _ => self.error(start, start + 1 + name.len(), "expected ']'"),
                }
            }
            sep if SEPARATORS.contains(&sep) => {
                self.expect_value = true;
                Ok(Token::Separator(sep))
            }
            '"' if self.expect_value => self.quoted(start).map(Token::Value),
            _ if self.expect_value => Ok(self.scalar(start)),
            c if c.is_alphanumeric() || c == '_' || c == '.' => {
                let key = self.take_while(start, |c| {
                    c.is_alphanumeric() || matches!(c, '_' | '.' | '-')
                });
                if key.len() > MAX_KEY_LEN {
                    self.error(
                        start,
                        start + key.len(),
                        format!("key longer than {MAX_KEY_LEN} bytes"),
                    )
                } else {
                    Ok(Token::Key(key))
                }
            }
            other => self.error(
                start,
                start + other.len_utf8(),
                format!("unexpected {other:?}"),
            ),
        };
        let end = self.chars.peek().map_or(self.src.len(), |&(i, _)| i);
        Some(token.map(|t| (Span { start, end }, t)))
    }
}

/// Collects `section.key = value` pairs, skipping comments.
pub fn flatten(src: &str) -> Result<Vec<(String, Token<'_>)>, LexError> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut pending_key: Option<&str> = None;
    for item in Lexer::new(src) {
        let (_, tok) = item?;
        match tok {
            Token::Section(name) => section = name.to_owned(),
            Token::Key(k) => pending_key = Some(k),
            Token::Separator(_) | Token::Comment(_) | Token::Newline => {}
            value => {
                if let Some(k) = pending_key.take() {
                    let full = if section.is_empty() {
                        k.to_owned()
                    } else {
                        format!("{section}.{k}")
                    };
                    out.push((full, value));
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
# global settings
name = "demo \"app\""
retries: 0x1F
[server]
port = 8_080
ratio → 0.75
debug = on ; trailing
"#;

    #[test]
    fn flattens_sections() {
        let pairs = flatten(SAMPLE).expect("sample lexes");
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "name",
                "retries",
                "server.port",
                "server.ratio",
                "server.debug"
            ]
        );
        assert_eq!(pairs[0].1, Token::Value(Cow::Owned("demo \"app\"".into())));
        assert_eq!(pairs[1].1, Token::Number(31));
        assert_eq!(pairs[2].1, Token::Number(8080));
        assert!(matches!(pairs[3].1, Token::Float(x) if (x - 0.75).abs() < f64::EPSILON));
    }

    #[test]
    fn reports_unterminated_strings() {
        let err = flatten("k = \"open").unwrap_err();
        assert_eq!(err.span, Span { start: 4, end: 9 });
        assert!(err.to_string().contains("unterminated"));
    }

    #[test]
    fn literal_constants_hold() {
        assert_eq!(MAGIC, &[b'I', b'N', b'I', 0]);
        assert_eq!(BANNER.len(), 17);
        assert!(HASHY.contains("\"#"));
        assert_eq!(FLAGS_DEFAULT.count_ones() as u32 + PERMS % 8, 6);
        assert!(BIG % 7 != 0 && RATIO > 1.6 && TINY < 1e-2 && NEG < 0);
    }
}

//! [`JsonReader`]: a complete JSON reader over text, for the model's own
//! readers (`model_reader.rs`). Every JSON text is read, or refused with a
//! [`Fault`] at the byte where reading stopped, so the caller can name the
//! JSON path and show the text around it.
//!
//! It reads values as serde_json reads them for the model: numbers typed
//! as serde_json types them ([`Number`]; floats correctly rounded, as
//! `str::parse` and `JSON.parse` read them), strings unescaped with the same
//! refusals (control characters, unknown escapes, lone surrogates),
//! nesting limited to 127 levels where serde_json limits it. What it does not carry is serde's
//! generic machinery: no visitor per type and field, no `Value`, no float
//! formatting (a number is quoted as written). In the npm package that
//! machinery was some 19 kB brotli of the wasm.

use std::borrow::Cow;

/// Why reading stopped, and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fault {
    /// The byte of the text reading stopped at.
    pub(crate) at: usize,
    /// What is wrong, in words.
    pub(crate) message: String,
    /// The text ended before the value did (a body cut short).
    pub(crate) eof: bool,
}

/// The result of a read.
pub(crate) type Read<T> = Result<T, Fault>;

/// A JSON number, typed as serde_json types it: an integer written
/// without fraction or exponent that fits is `Unsigned` or `Negative`,
/// anything else (`1.0`, `1e3`, `-0`, an integer past 64 bits) is `Float`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Number {
    Unsigned(u64),
    Negative(i64),
    Float(f64),
}

impl Number {
    /// The number as an `f64` (serde's `f64` fields take any number).
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Number::Unsigned(n) => n as f64,
            Number::Negative(n) => n as f64,
            Number::Float(v) => v,
        }
    }
}

/// What kind of JSON value comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    Boolean,
    Null,
    Number,
}

impl Kind {
    /// The kind in words, for a message (`an object`).
    pub(crate) fn words(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Boolean => "a boolean",
            Kind::Null => "null",
            Kind::Number => "a number",
        }
    }
}

/// serde_json's nesting limit: 127 levels read, the 128th refused.
const MAX_DEPTH: u32 = 127;

/// A position in a JSON text being read.
pub(crate) struct JsonReader<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        JsonReader {
            text,
            at: 0,
            depth: 0,
        }
    }

    /// The byte the reader stands at.
    pub(crate) fn at(&self) -> usize {
        self.at
    }

    /// Goes back to byte `at` (read before).
    pub(crate) fn rewind(&mut self, at: usize) {
        self.at = at;
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// A fault at byte `at`.
    pub(crate) fn fault(&self, at: usize, message: impl Into<String>) -> Fault {
        Fault {
            at,
            message: message.into(),
            eof: false,
        }
    }

    /// The fault of a text that ends inside a value.
    fn cut(&self) -> Fault {
        Fault {
            at: self.text.len(),
            message: "the body ends inside a JSON value (was it cut short?)".to_owned(),
            eof: true,
        }
    }

    /// A fault where the reader stands.
    fn here(&self, message: impl Into<String>) -> Fault {
        self.fault(self.at, message)
    }

    /// The next byte after whitespace, not taken.
    pub(crate) fn peek(&mut self) -> Read<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.at) {
            self.at += 1;
        }
        self.bytes().get(self.at).copied().ok_or_else(|| self.cut())
    }

    /// Takes `byte` after whitespace, or faults saying it was expected.
    fn expect(&mut self, byte: u8) -> Read<()> {
        if self.peek()? == byte {
            self.at += 1;
            Ok(())
        } else {
            Err(self.here(format!("expected `{}`", char::from(byte))))
        }
    }

    /// The kind of the value that comes next.
    pub(crate) fn kind(&mut self) -> Read<Kind> {
        Ok(match self.peek()? {
            b'{' => Kind::Object,
            b'[' => Kind::Array,
            b'"' => Kind::String,
            b't' | b'f' => Kind::Boolean,
            b'n' => Kind::Null,
            b'-' | b'0'..=b'9' => Kind::Number,
            _ => return Err(self.here("expected a JSON value")),
        })
    }

    /// A fault for the value that comes next, of the wrong kind: "expected
    /// `expected`, found a string".
    /// As serde_json, a scalar is read first, so a malformed one is a
    /// syntax fault instead.
    pub(crate) fn wrong_kind(&mut self, expected: &str) -> Fault {
        let kind = match self.kind() {
            Ok(kind) => kind,
            Err(fault) => return fault,
        };
        let start = self.at;
        let scalar = match kind {
            Kind::Object | Kind::Array => Ok(()),
            Kind::String => self.string().map(drop),
            Kind::Number => self.number().map(drop),
            Kind::Boolean => self.word(if self.bytes()[start] == b't' {
                "true"
            } else {
                "false"
            }),
            Kind::Null => self.word("null"),
        };
        self.at = start;
        match scalar {
            Ok(()) => self.here(format!("expected {expected}, found {}", kind.words())),
            Err(fault) => fault,
        }
    }

    /// Takes `word` (`null`, `true`, `false`) where the reader stands.
    fn word(&mut self, word: &str) -> Read<()> {
        if self.bytes()[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else if word.as_bytes().starts_with(&self.bytes()[self.at..]) {
            Err(self.cut())
        } else {
            Err(self.here(format!("expected `{word}`")))
        }
    }

    /// Takes `null` if it comes next.
    pub(crate) fn null(&mut self) -> Read<bool> {
        let is_null = self.peek()? == b'n';
        if is_null {
            self.word("null")?;
        }
        Ok(is_null)
    }

    /// A boolean.
    pub(crate) fn boolean(&mut self) -> Read<bool> {
        match self.peek()? {
            b't' => self.word("true").map(|()| true),
            b'f' => self.word("false").map(|()| false),
            _ => Err(self.wrong_kind("a boolean")),
        }
    }

    /// A string, borrowed when it holds no escape.
    pub(crate) fn string(&mut self) -> Read<Cow<'a, str>> {
        if self.peek()? != b'"' {
            return Err(self.wrong_kind("a string"));
        }
        self.at += 1;
        let mut owned: Option<String> = None;
        loop {
            let start = self.at;
            self.at += plain_run(&self.bytes()[start..]);
            let run = &self.text[start..self.at];
            match self.bytes().get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(run),
                        Some(mut text) => {
                            text.push_str(run);
                            Cow::Owned(text)
                        }
                    });
                }
                Some(b'\\') => {
                    let text = owned.get_or_insert_with(String::new);
                    text.push_str(run);
                    let (c, len) = unescape(&self.bytes()[self.at..]).map_err(|refusal| {
                        match refusal.message {
                            "" => self.cut(),
                            message => self.fault(self.at + refusal.at, message),
                        }
                    })?;
                    text.push(c);
                    self.at += len;
                }
                Some(_) => return Err(self.here("control character in a string (escape it)")),
                None => return Err(self.cut()),
            }
        }
    }

    /// Reads past a string as serde_json skips one: escapes checked for
    /// their form, but a lone surrogate let be (it is never decoded).
    fn skip_string(&mut self) -> Read<()> {
        self.at += 1;
        loop {
            self.at += plain_run(&self.bytes()[self.at..]);
            let escape = &self.bytes()[self.at..];
            match escape.first() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    let len = match escape.get(1) {
                        Some(b'u') => 6,
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => 2,
                        Some(_) => return Err(self.fault(self.at + 1, "invalid escape")),
                        None => return Err(self.cut()),
                    };
                    let hex = escape.get(2..len).ok_or_else(|| self.cut())?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(self
                            .fault(self.at + 2, "invalid \\u escape (four hex digits expected)"));
                    }
                    self.at += len;
                }
                Some(_) => return Err(self.here("control character in a string (escape it)")),
                None => return Err(self.cut()),
            }
        }
    }

    /// A number, with its text as written.
    pub(crate) fn number(&mut self) -> Read<(Number, &'a str)> {
        if !matches!(self.peek()?, b'-' | b'0'..=b'9') {
            return Err(self.wrong_kind("a number"));
        }
        let start = self.at;
        let text = self.number_text()?;
        let value = number_value(text).ok_or_else(|| self.fault(start, "number out of range"))?;
        Ok((value, text))
    }

    /// The text of the number the reader stands at, checked against the
    /// grammar.
    fn number_text(&mut self) -> Read<&'a str> {
        let start = self.at;
        // A number cut short is malformed, as serde_json has it.
        let end =
            number_end(self.bytes(), start).map_err(|at| self.fault(at, "malformed number"))?;
        self.at = end;
        Ok(&self.text[start..end])
    }

    /// Calls `entry` with each key of an object, the reader at its value.
    pub(crate) fn object(
        &mut self,
        entry: &mut dyn FnMut(&mut Self, Cow<'a, str>) -> Read<()>,
    ) -> Read<()> {
        if self.peek()? != b'{' {
            return Err(self.wrong_kind("an object"));
        }
        self.nest(b'}', &mut |r| {
            r.key_start()?;
            let key = r.string()?;
            r.expect(b':')?;
            entry(r, key)
        })
    }

    /// Checks that a key (a string) comes next.
    fn key_start(&mut self) -> Read<()> {
        match self.peek()? {
            b'"' => Ok(()),
            _ => Err(self.here("expected a key (a string)")),
        }
    }

    /// Calls `element` with the reader at each element of an array.
    pub(crate) fn array(&mut self, element: &mut dyn FnMut(&mut Self) -> Read<()>) -> Read<()> {
        if self.peek()? != b'[' {
            return Err(self.wrong_kind("an array"));
        }
        self.nest(b']', element)
    }

    /// Reads the members of an object or array whose opening byte comes
    /// next, up to `close`, one level deeper.
    fn nest(&mut self, close: u8, member: &mut dyn FnMut(&mut Self) -> Read<()>) -> Read<()> {
        if self.depth == MAX_DEPTH {
            return Err(self.here("nested more than 127 levels deep"));
        }
        self.depth += 1;
        self.at += 1;
        if self.peek()? == close {
            self.at += 1;
        } else {
            loop {
                member(self)?;
                match self.peek()? {
                    b',' => self.at += 1,
                    b if b == close => {
                        self.at += 1;
                        break;
                    }
                    _ => return Err(self.here(format!("expected `,` or `{}`", char::from(close)))),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads past any JSON value as serde_json skips one (an unknown
    /// field's): its grammar, not its numbers' range nor its escapes'
    /// surrogates, and no limit on nesting: the open brackets are a stack,
    /// not a recursion, so a field the API adds tomorrow is skipped however
    /// deep it is.
    pub(crate) fn skip(&mut self) -> Read<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            match self.kind()? {
                Kind::Object | Kind::Array => {
                    let close = if self.bytes()[self.at] == b'{' {
                        b'}'
                    } else {
                        b']'
                    };
                    self.at += 1;
                    if self.peek()? == close {
                        self.at += 1;
                    } else {
                        open.push(close);
                        self.skip_key(close)?;
                        continue;
                    }
                }
                Kind::String => self.skip_string()?,
                Kind::Boolean => drop(self.boolean()?),
                Kind::Null => self.word("null")?,
                Kind::Number => drop(self.number_text()?),
            }
            // After a value: close what it ends, or go on past a comma.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.peek()? {
                    b',' => {
                        self.at += 1;
                        self.skip_key(close)?;
                        break;
                    }
                    b if b == close => {
                        self.at += 1;
                        open.pop();
                    }
                    _ => return Err(self.here(format!("expected `,` or `{}`", char::from(close)))),
                }
            }
        }
    }

    /// Inside an object (`close` is `}`), reads past a member's key and
    /// colon.
    fn skip_key(&mut self, close: u8) -> Read<()> {
        if close == b'}' {
            self.key_start()?;
            self.skip_string()?;
            self.expect(b':')?;
        }
        Ok(())
    }

    /// Reads past any JSON value as serde_json reads one into a `Value`:
    /// every string decoded (a lone surrogate refused), every number in
    /// range, at most 127 levels deep.
    pub(crate) fn check(&mut self) -> Read<()> {
        match self.kind()? {
            Kind::Object => self.object(&mut |r, _| r.check()),
            Kind::Array => self.array(&mut |r| r.check()),
            Kind::String => self.string().map(drop),
            Kind::Boolean => self.boolean().map(drop),
            Kind::Null => self.word("null"),
            Kind::Number => self.number().map(drop),
        }
    }

    /// Checks that only whitespace follows.
    pub(crate) fn end(&mut self) -> Read<()> {
        match self.peek() {
            Err(fault) if fault.eof => Ok(()),
            _ => Err(self.here("trailing characters after the JSON value")),
        }
    }
}

/// An escape the reader refuses: where in it, and why (no message: the
/// text ends inside it).
pub(crate) struct EscapeRefusal {
    at: usize,
    message: &'static str,
}

/// The character of the escape `b` starts with (at its backslash), and the
/// escape's length. serde_json's refusals: an unknown escape, a `\u`
/// without four hex digits, a lone surrogate.
pub(crate) fn unescape(b: &[u8]) -> Result<(char, usize), EscapeRefusal> {
    let refuse = |at, message| EscapeRefusal { at, message };
    let c = match b.get(1) {
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return unicode_escape(b),
        Some(_) => return Err(refuse(1, "invalid escape")),
        None => return Err(refuse(b.len(), "")),
    };
    Ok((c, 2))
}

/// A `\u` escape of four hex digits, or a surrogate pair of two.
fn unicode_escape(b: &[u8]) -> Result<(char, usize), EscapeRefusal> {
    let refuse = |at, message| EscapeRefusal { at, message };
    let unit = hex4(b.get(2..6).ok_or(refuse(b.len(), ""))?)
        .ok_or(refuse(2, "invalid \\u escape (four hex digits expected)"))?;
    if !(0xD800..=0xDFFF).contains(&unit) {
        return char::from_u32(unit)
            .map(|c| (c, 6))
            .ok_or(refuse(2, "invalid \\u escape"));
    }
    let lone = refuse(6, "lone surrogate in a \\u escape");
    if unit >= 0xDC00 || b.get(6..8) != Some(b"\\u") {
        return Err(if b.len() < 8 {
            refuse(b.len(), "")
        } else {
            lone
        });
    }
    let low = hex4(b.get(8..12).ok_or(refuse(b.len(), ""))?)
        .ok_or(refuse(8, "invalid \\u escape (four hex digits expected)"))?;
    if !(0xDC00..=0xDFFF).contains(&low) {
        return Err(lone);
    }
    let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
    c.map(|c| (c, 12)).ok_or(lone)
}

/// Four hex digits as a number (a `\u` escape's code unit).
fn hex4(b: &[u8]) -> Option<u32> {
    let digits = std::str::from_utf8(b).ok()?;
    (digits.len() == 4 && digits.bytes().all(|d| d.is_ascii_hexdigit()))
        .then(|| u32::from_str_radix(digits, 16).ok())
        .flatten()
}

/// Where the JSON number starting at `start` ends, or the byte that
/// breaks its grammar.
pub(crate) fn number_end(b: &[u8], start: usize) -> Result<usize, usize> {
    let mut i = start + usize::from(b.get(start) == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digit_run(&b[i..]),
        _ => return Err(i),
    }
    if b.get(i) == Some(&b'.') {
        let run = digit_run(&b[i + 1..]);
        if run == 0 {
            return Err(i + 1);
        }
        i += 1 + run;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1 + usize::from(matches!(b.get(i + 1), Some(b'+' | b'-')));
        let run = digit_run(&b[i..]);
        if run == 0 {
            return Err(i);
        }
        i += run;
    }
    Ok(i)
}

/// The value of a number's text (in the grammar), typed as serde_json
/// types it; `None` if it is a float too large for an `f64`.
fn number_value(text: &str) -> Option<Number> {
    let integral = !text.contains(['.', 'e', 'E']);
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    if let (true, Ok(significand)) = (integral, digits.parse::<u64>()) {
        if !negative {
            return Some(Number::Unsigned(significand));
        }
        // As serde_json: `-0` and what is below i64::MIN are floats.
        let value = (significand as i64).wrapping_neg();
        if value < 0 {
            return Some(Number::Negative(value));
        }
    }
    // Correctly rounded, as `page_reader.rs` and `JSON.parse` read it (and
    // without serde_json's deserializer, whose errors would carry core's
    // float printing into the npm package, nor core's parser and its table).
    let value = crate::float_text::parse_json_float(text)?;
    value.is_finite().then_some(Number::Float(value))
}

/// The length of the run of bytes `b` starts with that a JSON string holds
/// as they are: not a quote, a backslash or a control character. Eight
/// bytes at a time while none of them is one.
pub(crate) fn plain_run(b: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `w` is zero, or below 0x20 (exact for "any").
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let has_control = |w: u64| w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    let mut at = 0;
    while let Some(chunk) = b.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        if has_zero(w ^ (ONES * u64::from(b'"')))
            || has_zero(w ^ (ONES * u64::from(b'\\')))
            || has_control(w)
        {
            break;
        }
        at += 8;
    }
    at + b[at..]
        .iter()
        .position(|b| matches!(b, b'"' | b'\\' | 0..=0x1f))
        .unwrap_or(b.len() - at)
}

/// The length of the run of ASCII digits `b` starts with.
fn digit_run(b: &[u8]) -> usize {
    b.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_bodies::Draw;

    /// Skips the whole of `text` as one value, or gives the fault.
    fn skip_all(text: &str) -> Read<()> {
        let mut r = JsonReader::new(text);
        r.skip()?;
        r.end()
    }

    #[test]
    fn it_reads_what_serde_json_reads_and_refuses_what_it_refuses() {
        let texts = [
            r#"{"a":[1,-2,3.5,-0,1e3,"x\n\u00e9\ud83d\ude00",true,false,null,{}],"b":[]}"#,
            " [ 1 , 2 ] ",
            "18446744073709551616",
            "-9223372036854775809",
            "1e400",
            "01",
            "1.",
            "-",
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\ud800\u0041""#,
            r#""\x""#,
            r#""\u12""#,
            "\"a\u{1}\"",
            "[1,]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "[1 2]",
            "nul",
            "tru",
            "[",
            "{\"a\":",
            "\"abc",
            "1 2",
            "",
            "[[[[[[[[[[[[]]]]]]]]]]]]",
            "[[[[[[[[[[[[]]]]]]]]]]]",
            r#"{"a":{"b":[{"c":{}},{"d":[1,{"e":"\ud800"}]}]},"f":1e400}"#,
            r#"{"a":{"b":[{"c":{}},{"d":[1,{"e":2}]]}]},"f":1}"#,
            r#"{"a":1,"#,
            r#"{"a":[1,2"#,
        ];
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let unclosed = "[".repeat(100_000);
        let texts: Vec<&str> = texts
            .into_iter()
            .chain([deep.as_str(), unclosed.as_str()])
            .collect();
        for text in texts {
            let serde = serde_json::from_str::<serde::de::IgnoredAny>(text);
            assert_eq!(skip_all(text).is_ok(), serde.is_ok(), "{text}: {serde:?}");
            if let (Err(ours), Err(theirs)) = (skip_all(text), serde) {
                let cut = theirs.classify() == serde_json::error::Category::Eof;
                assert_eq!(ours.eof, cut, "{text}: {ours:?} / {theirs}");
            }
        }
    }

    #[test]
    fn numbers_are_typed_as_serde_json_types_them() {
        let cases = [
            ("0", Number::Unsigned(0)),
            ("18446744073709551615", Number::Unsigned(u64::MAX)),
            (
                "18446744073709551616",
                Number::Float(18_446_744_073_709_551_616.0),
            ),
            ("-1", Number::Negative(-1)),
            ("-9223372036854775808", Number::Negative(i64::MIN)),
            (
                "-9223372036854775809",
                Number::Float(-9_223_372_036_854_775_809.0),
            ),
            ("-0", Number::Float(-0.0)),
            ("12.0", Number::Float(12.0)),
            ("1e3", Number::Float(1000.0)),
        ];
        for (text, expected) in cases {
            let mut r = JsonReader::new(text);
            assert_eq!(r.number().map(|(n, _)| n), Ok(expected), "{text}");
            let serde: serde_json::Number = serde_json::from_str(text).unwrap();
            let same = match expected {
                Number::Unsigned(n) => serde.as_u64() == Some(n),
                Number::Negative(n) => serde.as_i64() == Some(n) && serde.as_u64().is_none(),
                Number::Float(v) => serde.is_f64() && serde.as_f64() == Some(v),
            };
            assert!(same, "{text}: serde_json has {serde:?}");
        }
    }

    #[test]
    fn strings_borrow_without_escapes_and_unescape_as_serde_json_does() {
        for text in [
            r#""plain""#,
            r#""a\"b\\c\/\b\f\n\r\t""#,
            r#""\u00e9\uD83D\uDE00""#,
        ] {
            let mut r = JsonReader::new(text);
            let ours = r.string().unwrap();
            let theirs: String = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs);
            assert_eq!(matches!(ours, Cow::Borrowed(_)), !text.contains('\\'));
        }
    }

    #[test]
    fn faults_stand_at_the_byte_that_is_wrong() {
        let at = |text: &str| skip_all(text).unwrap_err().at;
        assert_eq!(at(r#"{"a":[1,x]}"#), 8);
        assert_eq!(at(r#"{"a":"\q"}"#), 7);
        assert_eq!(at("[1] 2"), 4);
        // A value read into a `Value` (a summary's `by_model` entry) is
        // limited to 127 levels, as serde_json limits it; a skipped one is not.
        let check_all = |text: &str| JsonReader::new(text).check();
        for levels in [126, 127, 128, 129] {
            let nested = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
            let serde = serde_json::from_str::<serde_json::Value>(&nested);
            assert_eq!(check_all(&nested).is_ok(), serde.is_ok(), "{levels}");
            assert_eq!(skip_all(&nested), Ok(()));
        }
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert!(check_all(&deep).unwrap_err().message.contains("127"));
        assert!(check_all("[1e400]").is_err());
        assert_eq!(skip_all("[1e400]"), Ok(()));
    }

    #[test]
    fn plain_runs_end_at_the_first_quote_backslash_or_control_character() {
        let mut d = Draw(0x1234_5678_9abc_def1);
        let alphabet = [b'a', b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xe9, 0xff, b'0'];
        for _ in 0..20_000 {
            let len = d.below(40) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    let rare = d.below(12) == 0;
                    if rare {
                        alphabet[d.below(10) as usize]
                    } else {
                        b'a' + d.below(26) as u8
                    }
                })
                .collect();
            let expected = bytes
                .iter()
                .position(|b| matches!(b, b'"' | b'\\' | 0..=0x1f))
                .unwrap_or(len);
            assert_eq!(plain_run(&bytes), expected, "{bytes:?}");
        }
    }
}

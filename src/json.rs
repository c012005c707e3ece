//! JSON text, both ways. [`write`]: a request body, as `JSON.stringify` writes it, except for two
//! kinds of hole the host fills: the caller's payloads (serialised by the host, never copied
//! into wasm) and numbers that are not safe integers (whose shortest text would cost the module
//! its float formatting code). [`parse`]: a server's answer, of which the core reads a few
//! strings (ids, errors), so numbers are skipped, not read.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::request::Json;

/// What the host writes into a body.
pub trait Holes<O> {
    /// Writes a caller's payload (or a mark the host replaces with it).
    fn payload(&mut self, payload: &O, out: &mut String);
    /// Writes the member `key` of an object whose value is a caller's payload. The host may
    /// leave the member out, as `JSON.stringify` does when a payload's `toJSON` gives nothing.
    fn member(&mut self, key: &str, payload: &O, out: &mut String) {
        string(key, out);
        out.push(':');
        self.payload(payload, out);
    }
    /// Writes a finite number that is not a safe integer.
    fn number(&mut self, n: f64, out: &mut String);
}

/// The largest integer a double holds exactly (2^53 − 1), as `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Writes `body` to `out`.
pub fn write<O>(body: &Json<O>, out: &mut String, holes: &mut dyn Holes<O>) {
    match body {
        Json::Str(s) => string(s, out),
        Json::Num(n) if !n.is_finite() => out.push_str("null"),
        // -0 is written 0, as JSON.stringify does.
        Json::Num(n) if crate::num::is_whole(*n) && n.abs() <= MAX_SAFE_INTEGER => crate::text::Piece::push_to(&(*n as i64), out),
        Json::Num(n) => holes.number(*n, out),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Payload(p) => holes.payload(p, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out, holes);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match value {
                    Json::Payload(payload) => holes.member(key, payload, out),
                    value => {
                        string(key, out);
                        out.push(':');
                        write(value, out, holes);
                    }
                }
            }
            out.push('}');
        }
    }
}

/// A JSON string as `JSON.stringify` writes it: `"` and `\` escaped, control characters as
/// `\b \t \n \f \r` or `\u00XX`, everything else as it is.
pub fn string(s: &str, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole.
    let mut run = 0;
    for (at, byte) in s.bytes().enumerate() {
        let escaped = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            b'\t' => "\\t",
            b'\n' => "\\n",
            0x0c => "\\f",
            b'\r' => "\\r",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(s.get(run..at).unwrap_or_default());
        run = at + 1;
        match escaped {
            "" => {
                out.push_str("\\u00");
                out.extend(char::from_digit(u32::from(byte >> 4), 16));
                out.extend(char::from_digit(u32::from(byte & 0xf), 16));
            }
            escaped => out.push_str(escaped),
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

/// A parsed JSON value; numbers are only known to be there.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    Null,
    Bool(bool),
    Number,
    Str(String),
    Array(Vec<Parsed>),
    Object(Vec<(String, Parsed)>),
}

impl Parsed {
    /// Member `key` of an object (the last one, as `JSON.parse` keeps).
    pub fn get(&self, key: &str) -> Option<&Parsed> {
        match self {
            Parsed::Object(members) => members.iter().rev().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    /// The strings of member `key` when it is an array (its other items left out).
    pub fn strings(&self, key: &str) -> Option<Vec<String>> {
        match self.get(key)? {
            Parsed::Array(items) => Some(items.iter().filter_map(|item| if let Parsed::Str(s) = item { Some(s.clone()) } else { None }).collect()),
            _ => None,
        }
    }
}

/// How deep an answer may nest: a deeper one is not read (rather than risk the stack).
const MAX_DEPTH: usize = 64;

/// Parses a JSON text (RFC 8259, as `JSON.parse` takes it); `None` when it is not JSON.
pub fn parse(text: &str) -> Option<Parsed> {
    let mut reader = Reader { text: text.as_bytes(), at: 0 };
    let value = reader.value(0)?;
    reader.space();
    (reader.at == text.len()).then_some(value)
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        while matches!(self.text.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn next(&mut self) -> Option<u8> {
        let byte = *self.text.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn literal(&mut self, rest: &[u8], value: Parsed) -> Option<Parsed> {
        let end = self.at + rest.len();
        (self.text.get(self.at..end)? == rest).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Parsed> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.space();
        Some(match self.next()? {
            b'n' => self.literal(b"ull", Parsed::Null)?,
            b't' => self.literal(b"rue", Parsed::Bool(true))?,
            b'f' => self.literal(b"alse", Parsed::Bool(false))?,
            b'"' => Parsed::Str(self.string()?),
            b'[' => {
                let mut items = Vec::new();
                self.space();
                if self.text.get(self.at) == Some(&b']') {
                    self.at += 1;
                } else {
                    loop {
                        items.push(self.value(depth + 1)?);
                        self.space();
                        match self.next()? {
                            b',' => {}
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
                Parsed::Array(items)
            }
            b'{' => {
                let mut members = Vec::new();
                self.space();
                if self.text.get(self.at) == Some(&b'}') {
                    self.at += 1;
                } else {
                    loop {
                        self.space();
                        if self.next()? != b'"' {
                            return None;
                        }
                        let key = self.string()?;
                        self.space();
                        if self.next()? != b':' {
                            return None;
                        }
                        members.push((key, self.value(depth + 1)?));
                        self.space();
                        match self.next()? {
                            b',' => {}
                            b'}' => break,
                            _ => return None,
                        }
                    }
                }
                Parsed::Object(members)
            }
            b'-' | b'0'..=b'9' => {
                // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, checked, not converted.
                self.at -= 1;
                let digits = |r: &mut Self| {
                    let from = r.at;
                    while r.text.get(r.at).is_some_and(u8::is_ascii_digit) {
                        r.at += 1;
                    }
                    r.at > from
                };
                if self.text.get(self.at) == Some(&b'-') {
                    self.at += 1;
                }
                let from = self.at;
                // No leading zero before other digits ("01"), as JSON.parse.
                if !digits(self) || (self.text.get(from) == Some(&b'0') && self.at - from > 1) {
                    return None;
                }
                if self.text.get(self.at) == Some(&b'.') {
                    self.at += 1;
                    if !digits(self) {
                        return None;
                    }
                }
                if matches!(self.text.get(self.at), Some(b'e' | b'E')) {
                    self.at += 1;
                    if matches!(self.text.get(self.at), Some(b'+' | b'-')) {
                        self.at += 1;
                    }
                    if !digits(self) {
                        return None;
                    }
                }
                Parsed::Number
            }
            _ => return None,
        })
    }

    /// The rest of a string, after its opening quote.
    fn string(&mut self) -> Option<String> {
        let mut out = String::new();
        let mut run = self.at;
        loop {
            match self.next()? {
                b'"' => {
                    out.push_str(core::str::from_utf8(self.text.get(run..self.at - 1)?).ok()?);
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(core::str::from_utf8(self.text.get(run..self.at - 1)?).ok()?);
                    let escaped = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let unit = self.hex4()?;
                            match unit {
                                0xd800..=0xdbff if self.text.get(self.at..self.at + 2) == Some(b"\\u") => {
                                    let save = self.at;
                                    self.at += 2;
                                    let low = self.hex4()?;
                                    if (0xdc00..=0xdfff).contains(&low) {
                                        char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)).unwrap_or('\u{fffd}')
                                    } else {
                                        self.at = save;
                                        '\u{fffd}'
                                    }
                                }
                                unit => char::from_u32(unit).unwrap_or('\u{fffd}'),
                            }
                        }
                        _ => return None,
                    };
                    out.push(escaped);
                    run = self.at;
                }
                0..=0x1f => return None,
                _ => {}
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let hex = self.text.get(self.at..self.at + 4).filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))?;
        self.at += 4;
        u32::from_str_radix(core::str::from_utf8(hex).ok()?, 16).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Marks;
    impl Holes<u8> for Marks {
        fn payload(&mut self, payload: &u8, out: &mut String) {
            out.push_str(&format!("<p{payload}>"));
        }
        fn number(&mut self, n: f64, out: &mut String) {
            out.push_str(&format!("<n{n}>"));
        }
    }

    fn text(body: &Json<u8>) -> String {
        let mut out = String::new();
        write(body, &mut out, &mut Marks);
        out
    }

    #[test]
    fn writes_what_json_stringify_writes() {
        let body = Json::Object(vec![
            ("s", Json::Str("é\"\\/\u{1}\u{1f}\u{7f}\u{2028}\n\r\t\u{8}\u{c}😀".into())),
            ("n", Json::Array(vec![Json::Num(10.0), Json::Num(-0.0), Json::Num(-3.0), Json::Num(1_700_000_000_123.0)])),
            ("b", Json::Array(vec![Json::Bool(true), Json::Bool(false)])),
            ("x", Json::Array(vec![Json::Num(f64::NAN), Json::Num(f64::INFINITY)])),
            ("e", Json::Object(vec![])),
            ("a", Json::Array(vec![])),
        ]);
        // The same as JSON.stringify's output for this object (checked in Node).
        assert_eq!(
            text(&body),
            r#"{"s":"é\"\\/\u0001\u001f"#.to_string()
                + "\u{7f}\u{2028}"
                + r#"\n\r\t\b\f😀","n":[10,0,-3,1700000000123],"b":[true,false],"x":[null,null],"e":{},"a":[]}"#
        );
    }

    #[test]
    fn payloads_and_unsafe_numbers_are_holes() {
        let body = Json::Array(vec![Json::Payload(3), Json::Num(1.5), Json::Num(9_007_199_254_740_992.0), Json::Num(9_007_199_254_740_991.0)]);
        assert_eq!(text(&body), "[<p3>,<n1.5>,<n9007199254740992>,9007199254740991]");
    }

    #[test]
    fn parses_answers_and_reads_their_strings() {
        let answer = parse(r#" {"event_id":"a\"b\u00e9\ud83d\ude00\ud800x","n":-1.5e+3,"ok":true,"z":null,
            "event_ids":["x",1,"y"],"nested":{"a":[[],{}]}} "#).unwrap();
        assert_eq!(answer.get("event_id"), Some(&Parsed::Str("a\"bé😀\u{fffd}x".into())));
        assert_eq!(answer.get("n"), Some(&Parsed::Number));
        assert_eq!(answer.strings("event_ids"), Some(vec!["x".to_string(), "y".to_string()]));
        assert_eq!(answer.strings("ok"), None);
        assert_eq!(parse(r#"{"a":1,"a":"last"}"#).unwrap().get("a"), Some(&Parsed::Str("last".into())));
        assert_eq!(parse("[1, 2, 0, -0.5]"), Some(Parsed::Array(vec![Parsed::Number; 4])));
    }

    #[test]
    fn what_is_not_json_is_none_never_a_trap() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        for bad in ["", "{", "{\"a\"}", "{\"a\":}", "[1,]", "tru", "\"\\x\"", "\"a", "1.", "-", "1e", "{} x", "<html>", "01", "-01", "\"\\u+041\"", &deep, "\"\u{1}\"", "\"\\ud8"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        assert_eq!(parse("\"é\""), Some(Parsed::Str("é".into())));
    }
}

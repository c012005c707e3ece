//! A request body's JSON text, as `JSON.stringify` writes it ([`write`]), except for two kinds of
//! hole the host fills: the caller's payloads (serialised by the host, never copied into wasm)
//! and numbers that are not safe integers (whose shortest text would cost the module its float
//! formatting code). A server's answer is read by the host's own parser
//! ([`crate::core::host::Host::parse_answer`]).

use crate::core::request::Json;

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
        Json::Num(n) if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER => {
            out.push_str(&(*n as i64).to_string())
        }
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
            (
                "s",
                Json::Str("é\"\\/\u{1}\u{1f}\u{7f}\u{2028}\n\r\t\u{8}\u{c}😀".into()),
            ),
            (
                "n",
                Json::Array(vec![
                    Json::Num(10.0),
                    Json::Num(-0.0),
                    Json::Num(-3.0),
                    Json::Num(1_700_000_000_123.0),
                ]),
            ),
            ("b", Json::Array(vec![Json::Bool(true), Json::Bool(false)])),
            (
                "x",
                Json::Array(vec![Json::Num(f64::NAN), Json::Num(f64::INFINITY)]),
            ),
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
        let body = Json::Array(vec![
            Json::Payload(3),
            Json::Num(1.5),
            Json::Num(9_007_199_254_740_992.0),
            Json::Num(9_007_199_254_740_991.0),
        ]);
        assert_eq!(
            text(&body),
            "[<p3>,<n1.5>,<n9007199254740992>,9007199254740991]"
        );
    }
}

//! Messages and printed lines, written without `core::fmt`: [`text!`] joins its pieces (strings,
//! whole numbers, errors) into one `String`. The formatting machinery would add kilobytes to the
//! .wasm for what the core needs of it: joining text and writing integers in decimal.

#[allow(unused_imports)]
use crate::prelude::*;

/// What [`text!`] can join.
pub trait Piece {
    /// Appends the piece's text to `out`.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

impl<T: Piece + ?Sized> Piece for Box<T> {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

impl Piece for u64 {
    fn push_to(&self, out: &mut String) {
        push_decimal(*self, out);
    }
}

impl Piece for u32 {
    fn push_to(&self, out: &mut String) {
        push_decimal(u64::from(*self), out);
    }
}

impl Piece for u16 {
    fn push_to(&self, out: &mut String) {
        push_decimal(u64::from(*self), out);
    }
}

impl Piece for usize {
    fn push_to(&self, out: &mut String) {
        push_decimal(*self as u64, out);
    }
}

impl Piece for i64 {
    fn push_to(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_decimal(self.unsigned_abs(), out);
    }
}

impl Piece for i32 {
    fn push_to(&self, out: &mut String) {
        i64::from(*self).push_to(out);
    }
}

impl Piece for bool {
    fn push_to(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

/// How many characters `s` has (`s.chars().count()`, without core's counting code): the bytes
/// that start one.
pub fn chars(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

/// A whole number written in decimal, an optional `+` before its digits (`str::parse::<u64>`,
/// without core's parsing code); `None` when it is anything else or does not fit.
pub fn parse_decimal(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    digits.bytes().try_fold(0u64, |n, b| match b {
        b'0'..=b'9' => n.checked_mul(10)?.checked_add(u64::from(b - b'0')),
        _ => None,
    })
}

/// `n` in decimal.
pub fn push_decimal(mut n: u64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        if let Some(digit) = digits.get_mut(start) {
            *digit = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || start == 0 {
            break;
        }
    }
    digits
        .get(start..)
        .unwrap_or_default()
        .iter()
        .for_each(|&digit| out.push(char::from(digit)));
}

/// Joins its pieces (anything [`Piece`]) into a new `String`:
/// `text!("event ", index, ": ", error)`.
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {{
        let mut out = $crate::prelude::String::new();
        $crate::core::text::push!(&mut out, $($piece),+);
        out
    }};
}

/// Appends its pieces to a `String`: `push!(out, "got ", found)`.
macro_rules! push {
    ($out:expr, $($piece:expr),+ $(,)?) => {{
        $( $crate::core::text::Piece::push_to(&$piece, $out); )+
    }};
}

// The crate's own, not exported: every module has both (lib.rs declares this module first, with
// `#[macro_use]`); `text!` reaches `push!` by its path.
pub(crate) use push;

#[cfg(test)]
mod tests {
    #[test]
    fn it_joins_strings_and_numbers_as_format_does() {
        let owned = String::from("owned");
        assert_eq!(
            text!("a ", owned, " ", &owned, " ", 0u32, " ", 7u16, " ", 42usize),
            "a owned owned 0 7 42"
        );
        for n in [0u64, 9, 10, 99, 100, 65_535, 1_732_000_000_123, u64::MAX] {
            assert_eq!(text!(n), n.to_string());
        }
        for n in [
            0i64,
            -1,
            -9_007_199_254_740_991,
            9_007_199_254_740_991,
            i64::MIN,
            i64::MAX,
        ] {
            assert_eq!(text!(n), n.to_string());
        }
        assert_eq!(text!(true, "/", false), "true/false");
    }

    #[test]
    fn it_counts_characters_and_parses_decimals_as_core_does() {
        for s in ["", "abc", "é", "naïve – ✓ 𝄞", "\u{10FFFF}x"] {
            assert_eq!(super::chars(s), s.chars().count(), "{s}");
        }
        for s in [
            "0",
            "7",
            "+7",
            "0042",
            "18446744073709551615",
            "18446744073709551616",
            "",
            "+",
            "-1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "++1",
            "٣",
        ] {
            assert_eq!(super::parse_decimal(s), s.parse::<u64>().ok(), "{s:?}");
        }
    }
}

//! A caller's objects as the core reads them, handed over in one crossing of the JS/wasm
//! boundary instead of one (or three) per option: the JS side reads every member the core may
//! read (the names of a [`Table`]) and writes what it found as one short text; [`parse`] turns
//! that text into [`Snap`]s, which the core reads as any other [`Object`]. Payloads stay JS
//! values: a snapshot names them by their place in the call's `held` array and is never a copy.
//!
//! The text, one value after another (`<n>` is a decimal number, `<name>` one character: the
//! member's index in its table plus 65):
//! - `u` undefined or null; `t` / `f` a boolean; `n<16 hex digits>` a number's IEEE 754 bits;
//! - `s<n>:<text>` a string of `n` UTF-16 code units;
//! - `x<digit>` another kind: 5 an array where none is read, 7 a BigInt, 8 a Symbol, 9 a revoked
//!   Proxy;
//! - `h<n>;` a function (a hook), `held[n]`;
//! - `o<n>{<name><value>…}` an object, `held[n]` on the JS side, with the members its table
//!   names (none for a payload); `a<n>;` an AbortSignal, `held[n]`;
//! - `[<value>…]` an array where the table reads one; `L` one longer than the JS side reads (100 000 items);
//! - `!<n>:<text>` reading it threw, with the thrown error's message.

use std::rc::Rc;

use crate::core::error::Error;
use crate::core::value::{Object, Value};

/// What the core reads at one member: a plain value, an object whose members come from another
/// table (the `env` option), or an array (whose objects are read with the table given).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inner {
    Value,
    Object(usize),
    Array(Option<usize>),
}

/// The most members a table may have: a member's tag is the character `A` + its index, and
/// from the 61st on it would be `}` and beyond.
pub const MAX_MEMBERS: usize = 60;

/// How deep a snapshot may nest (options → `events` → an event → its `childrenIds` is 4): a
/// deeper text is refused, never followed down (the JS side's tables cannot make one).
const MAX_DEPTH: usize = 8;

/// The members the core reads from the objects of one place, each with what it reads inside.
pub type Table = &'static [(&'static str, Inner)];

/// The tables as the JS side takes them, once per isolate: tables joined with `|`, members with
/// a space, `name`, `name:o<table>` or `name:a<table or ->`.
pub fn tables_text(tables: &[Table]) -> String {
    let mut text = String::new();
    for (t, table) in tables.iter().enumerate() {
        if t > 0 {
            text.push('|');
        }
        for (m, (name, inner)) in table.iter().enumerate() {
            if m > 0 {
                text.push(' ');
            }
            text.push_str(name);
            match inner {
                Inner::Value => {}
                Inner::Object(t) => text.push_str(&format!(":o{t}")),
                Inner::Array(Some(t)) => text.push_str(&format!(":a{t}")),
                Inner::Array(None) => text.push_str(":a-"),
            }
        }
    }
    text
}

/// A caller's object as the JS side read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Snap(Rc<Node>);

#[derive(Debug, PartialEq)]
struct Node {
    /// Its place in the call's `held` array.
    held: u32,
    signal: bool,
    members: Vec<(&'static str, Item)>,
    /// A bit per member present (see [`name_bit`]): most of the names the core asks for are
    /// absent, and the mask answers those without comparing them against every member.
    present: u64,
}

/// A name's bit in [`Node::present`]: from its length and its first and last bytes (names that
/// share a bit are told apart by the search).
fn name_bit(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let (first, last) = (
        bytes.first().copied().unwrap_or(0),
        bytes.last().copied().unwrap_or(0),
    );
    1 << ((bytes.len() * 7 + usize::from(first) + usize::from(last) * 3) & 63)
}

/// One member as read.
#[derive(Clone, Debug, PartialEq)]
enum Item {
    Value(Value<Snap>),
    Array(Vec<Value<Snap>>),
    TooLong,
    Unreadable(String),
}

impl Snap {
    /// Its place in the call's `held` array, where the JS value is.
    pub fn held(&self) -> u32 {
        self.0.held
    }

    fn member(&self, key: &str) -> Option<&Item> {
        if self.0.present & name_bit(key) == 0 {
            return None;
        }
        self.0
            .members
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, item)| item)
    }
}

impl Object for Snap {
    fn get(&self, key: &'static str) -> Result<Value<Snap>, Error> {
        match self.member(key) {
            None => Ok(Value::Absent),
            Some(Item::Value(value)) => Ok(value.clone()),
            Some(Item::Array(_) | Item::TooLong) => Ok(Value::Other("an array")),
            Some(Item::Unreadable(reason)) => Err(Error::Unreadable {
                option: key,
                reason: reason.clone(),
            }),
        }
    }

    fn is_abort_signal(&self) -> bool {
        self.0.signal
    }

    fn items(&self, key: &'static str) -> Result<Option<Vec<Value<Snap>>>, Error> {
        match self.member(key) {
            None | Some(Item::Value(Value::Absent)) => Ok(None),
            Some(Item::Array(items)) => Ok(Some(items.clone())),
            Some(Item::TooLong) => Err(Error::InvalidOption {
                option: key,
                expected: "an array of at most 100000 items",
                found: "a longer one".into(),
            }),
            Some(Item::Value(other)) => Err(Error::InvalidOption {
                option: key,
                expected: "an array",
                found: other.kind(),
            }),
            Some(Item::Unreadable(reason)) => Err(Error::Unreadable {
                option: key,
                reason: reason.clone(),
            }),
        }
    }
}

/// Reads one value from `text` per table number of `tops`, each top value's members from its table.
pub fn parse(text: &str, tops: &[usize], tables: &[Table]) -> Result<Vec<Value<Snap>>, Error> {
    let mut parser = Parser {
        text,
        at: 0,
        tables,
        depth: 0,
    };
    let unreadable = || Error::Unreadable {
        option: "options",
        reason: "the logger's JS side sent a snapshot it cannot read".into(),
    };
    let mut items = Vec::with_capacity(tops.len());
    for table in tops {
        items.push(parser.value(Some(*table)).ok_or_else(unreadable)?);
    }
    if parser.at != text.len() {
        return Err(unreadable());
    }
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        values.push(item.into_value()?);
    }
    Ok(values)
}

impl Item {
    fn into_value(self) -> Result<Value<Snap>, Error> {
        match self {
            Item::Value(value) => Ok(value),
            Item::Array(_) | Item::TooLong => Ok(Value::Other("an array")),
            Item::Unreadable(reason) => Err(Error::Unreadable {
                option: "options",
                reason,
            }),
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
    tables: &'t [Table],
    /// How many objects and arrays the value being read is inside.
    depth: usize,
}

impl Parser<'_> {
    fn next(&mut self) -> Option<u8> {
        let byte = *self.text.as_bytes().get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// A decimal number up to (and without) `end`.
    fn number(&mut self, end: u8) -> Option<usize> {
        let mut n: usize = 0;
        loop {
            match self.next()? {
                byte if byte == end => return Some(n),
                byte @ b'0'..=b'9' => {
                    n = n.checked_mul(10)?.checked_add(usize::from(byte - b'0'))?
                }
                _ => return None,
            }
        }
    }

    /// `<n>:<text>`: `n` UTF-16 code units of text.
    fn string(&mut self) -> Option<String> {
        let units = self.number(b':')?;
        let rest = self.text.get(self.at..)?;
        // ASCII, the common case: one byte per unit.
        let end = match rest.get(..units) {
            Some(head) if head.is_ascii() => units,
            _ => {
                let (mut counted, mut end) = (0, 0);
                for c in rest.chars() {
                    if counted >= units {
                        break;
                    }
                    counted += c.len_utf16();
                    end += c.len_utf8();
                }
                if counted != units {
                    return None;
                }
                end
            }
        };
        self.at += end;
        Some(rest.get(..end)?.to_string())
    }

    fn value(&mut self, table: Option<usize>) -> Option<Item> {
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let item = self.item(table);
        self.depth -= 1;
        item
    }

    fn item(&mut self, table: Option<usize>) -> Option<Item> {
        let value = match self.next()? {
            b'u' => Value::Absent,
            b't' => Value::Bool(true),
            b'f' => Value::Bool(false),
            b'n' => {
                // 16 hex digits, read by hand: no `from_str_radix` code.
                let hex = self.text.get(self.at..self.at + 16)?;
                self.at += 16;
                let bits = hex.bytes().try_fold(0u64, |bits, b| {
                    Some(bits << 4 | u64::from(char::from(b).to_digit(16)?))
                })?;
                Value::Number(f64::from_bits(bits))
            }
            b's' => Value::String(self.string()?),
            b'x' => Value::Other(match self.next()? {
                b'5' => "an array",
                b'7' => "a BigInt",
                b'8' => "a Symbol",
                b'9' => "a revoked Proxy",
                _ => "a value of an unknown kind",
            }),
            kind @ (b'a' | b'h') => {
                let held = u32::try_from(self.number(b';')?).ok()?;
                let snap = Snap(Rc::new(Node {
                    held,
                    signal: kind == b'a',
                    members: Vec::new(),
                    present: 0,
                }));
                if kind == b'a' {
                    Value::Object(snap)
                } else {
                    Value::Function(snap)
                }
            }
            b'o' => {
                let held = u32::try_from(self.number(b'{')?).ok()?;
                let names = table
                    .and_then(|t| self.tables.get(t).copied())
                    .unwrap_or_default();
                let mut members = Vec::new();
                while self.peek()? != b'}' {
                    let (name, inner) = *names.get(usize::from(self.next()?.checked_sub(65)?))?;
                    let inner = match inner {
                        Inner::Value => self.value(None)?,
                        Inner::Object(t) => self.value(Some(t))?,
                        Inner::Array(t) => self.value(t)?,
                    };
                    members.push((name, inner));
                }
                self.at += 1;
                let present = members
                    .iter()
                    .fold(0, |mask, (name, _)| mask | name_bit(name));
                Value::Object(Snap(Rc::new(Node {
                    held,
                    signal: false,
                    members,
                    present,
                })))
            }
            b'[' => {
                let mut items = Vec::new();
                while self.peek()? != b']' {
                    match self.value(table)? {
                        Item::Value(value) => items.push(value),
                        Item::Unreadable(reason) => return Some(Item::Unreadable(reason)),
                        Item::Array(_) | Item::TooLong => items.push(Value::Other("an array")),
                    }
                }
                self.at += 1;
                return Some(Item::Array(items));
            }
            b'L' => return Some(Item::TooLong),
            b'!' => return Some(Item::Unreadable(self.string()?)),
            _ => return None,
        };
        Some(Item::Value(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: Table = &[
        ("apiKey", Inner::Value),
        ("env", Inner::Object(1)),
        ("events", Inner::Array(Some(0))),
        ("ids", Inner::Array(None)),
        ("inputs", Inner::Value),
        ("signal", Inner::Value),
    ];
    const ENV: Table = &[("HH_API_KEY", Inner::Value)];
    const TABLES: &[Table] = &[OPTIONS, ENV];

    fn one(text: &str) -> Snap {
        match parse(text, &[0], TABLES).unwrap().pop() {
            Some(Value::Object(snap)) => snap,
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn tables_text_names_every_member_and_what_is_inside() {
        assert_eq!(
            tables_text(TABLES),
            "apiKey env:o1 events:a0 ids:a- inputs signal|HH_API_KEY"
        );
    }

    #[test]
    fn reads_every_kind_of_value() {
        let snap = one("o0{As3:k\u{e9}yBo1{As1:e}Eo2{}Fa3;}");
        assert_eq!(snap.get("apiKey"), Ok(Value::String("kéy".into())));
        let Ok(Value::Object(env)) = snap.get("env") else {
            panic!()
        };
        assert_eq!(env.get("HH_API_KEY"), Ok(Value::String("e".into())));
        assert_eq!(env.held(), 1);
        let Ok(Value::Object(inputs)) = snap.get("inputs") else {
            panic!()
        };
        assert_eq!((inputs.held(), inputs.is_abort_signal()), (2, false));
        let Ok(Value::Object(signal)) = snap.get("signal") else {
            panic!()
        };
        assert_eq!((signal.held(), signal.is_abort_signal()), (3, true));
        assert_eq!(snap.get("ids"), Ok(Value::Absent));
        let values = parse("tfn3ff8000000000000x7u", &[0; 5], TABLES).unwrap();
        assert_eq!(
            values,
            vec![
                Value::Bool(true),
                Value::Bool(false),
                Value::Number(1.5),
                Value::Other("a BigInt"),
                Value::Absent
            ]
        );
    }

    #[test]
    fn every_member_of_the_real_tables_is_found_when_present_and_only_then() {
        // The presence mask answers "absent" without a search: it must never hide a member.
        for (t, table) in crate::core::options::TABLES.iter().enumerate() {
            for (m, (name, inner)) in table.iter().enumerate() {
                let tag = char::from(b'A' + m as u8);
                let value = match inner {
                    Inner::Array(_) => "[]".to_string(),
                    _ => "t".to_string(),
                };
                let Some(Value::Object(snap)) = parse(
                    &format!("o0{{{tag}{value}}}"),
                    &[t],
                    &crate::core::options::TABLES,
                )
                .unwrap()
                .pop() else {
                    panic!("{name}: not an object")
                };
                match inner {
                    Inner::Array(_) => assert_eq!(snap.items(name), Ok(Some(Vec::new())), "{name}"),
                    _ => assert_eq!(snap.get(name), Ok(Value::Bool(true)), "{name}"),
                }
                for (other, _) in table.iter().filter(|(other, _)| other != name) {
                    assert_eq!(snap.get(other), Ok(Value::Absent), "{other} beside {name}");
                }
            }
        }
    }

    #[test]
    fn strings_count_utf16_units_and_may_hold_anything() {
        // "😀" is two UTF-16 units; the text may hold the format's own characters.
        let snap = one("o0{As7:😀}{!u:}");
        assert_eq!(snap.get("apiKey"), Ok(Value::String("😀}{!u:".into())));
    }

    #[test]
    fn arrays_hold_values_and_objects_read_with_their_table() {
        let snap = one("o0{C[o1{As1:a}o2{}]D[s1:xn4000000000000000]}");
        let Ok(Some(events)) = snap.items("events") else {
            panic!()
        };
        let [Value::Object(first), Value::Object(second)] = &events[..] else {
            panic!()
        };
        assert_eq!(first.get("apiKey"), Ok(Value::String("a".into())));
        assert_eq!(second.get("apiKey"), Ok(Value::Absent));
        assert_eq!(
            snap.items("ids"),
            Ok(Some(vec![Value::String("x".into()), Value::Number(2.0)]))
        );
        assert_eq!(snap.get("ids"), Ok(Value::Other("an array")));
        assert_eq!(snap.items("apiKey"), Ok(None));
    }

    #[test]
    fn unreadable_members_and_long_arrays_are_errors_when_read() {
        let snap = one("o0{A!4:boomCLDs1:x}");
        assert_eq!(
            snap.get("apiKey"),
            Err(Error::Unreadable {
                option: "apiKey",
                reason: "boom".into()
            })
        );
        assert!(matches!(
            snap.items("events"),
            Err(Error::InvalidOption {
                option: "events",
                ..
            })
        ));
        assert!(matches!(
            snap.items("ids"),
            Err(Error::InvalidOption {
                option: "ids",
                expected: "an array",
                ..
            })
        ));
        let snap = one("o0{C!4:trap}");
        assert_eq!(
            snap.items("events"),
            Err(Error::Unreadable {
                option: "events",
                reason: "trap".into()
            })
        );
    }

    #[test]
    fn a_bad_text_is_an_error_never_a_trap() {
        let deep = "[".repeat(20) + &"]".repeat(20);
        for bad in [
            "",
            "o",
            "o0{",
            "o0{Z}",
            "o0{As9:ab}",
            "s2:é",
            "n12",
            "n+3ff8000000000000",
            "q",
            "o0{A",
            "[",
            "u!",
            "o99999999999999999999{}",
            &deep,
        ] {
            assert!(parse(bad, &[0], TABLES).is_err(), "{bad:?}");
        }
    }
}

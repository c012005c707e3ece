//! What the core sees of a caller's values: a [`Payload`] is a value kept as the host has it (a
//! `JsValue` in wasm, never copied into wasm; a `serde_json::Value` in host tests), and a
//! [`Value`] is one sorted into the kinds the options care about.

use serde::Serialize;

/// A value read from a caller's object, sorted by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<P> {
    /// `undefined` or `null`: the option is not given.
    Absent,
    /// A boolean.
    Bool(bool),
    /// A number (possibly NaN or infinite: validation decides).
    Number(f64),
    /// A string.
    String(String),
    /// A non-array, non-function object, kept as the host's value.
    Object(P),
    /// An array, kept as the host's value.
    Array(P),
    /// A function (a hook: `onError`, `redact`), kept as the host's value.
    Function(P),
    /// A member whose reading threw (a getter, a Proxy): what it threw.
    Unreadable(String),
    /// Anything else; the text names its kind for messages ("an array", "a BigInt", ...).
    Other(&'static str),
}

impl<P> Value<P> {
    /// The kind of the value, as an error message names it ("a string", "an object"...).
    pub fn kind(&self) -> String {
        match self {
            Value::Absent => "nothing".into(),
            Value::Bool(b) => format!("the boolean {b}"),
            Value::Number(n) if n.is_nan() => "NaN".into(),
            Value::Number(n) if n.is_infinite() => {
                format!("{}Infinity", if *n < 0.0 { "-" } else { "" })
            }
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => {
                format!("the number {}", *n as i64)
            }
            Value::Number(_) => "a fractional number".into(),
            Value::String(s) => format!("a string of {} characters", s.chars().count()),
            Value::Object(_) => "an object".into(),
            Value::Array(_) => "an array".into(),
            Value::Function(_) => "a function".into(),
            Value::Unreadable(_) => "a member that throws when read".into(),
            Value::Other(kind) => (*kind).into(),
        }
    }
}

/// A caller's value as the host keeps it.
pub trait Payload: Clone + std::fmt::Debug + Serialize {
    /// The value, sorted by kind.
    fn value(&self) -> Value<Self>;
    /// True when the value is an `AbortSignal`.
    fn is_abort_signal(&self) -> bool;
    /// True when the value has a function member `name` (a queue's `send`, a `Deno.Kv`'s
    /// `enqueue`).
    fn has_function(&self, name: &'static str) -> bool;
    /// An object's own members (a layer of options, a server's answer, a message), each value
    /// kept as the host's; or why it cannot be read (what reading it threw).
    fn members(&self) -> Result<Vec<(String, Self)>, String>;
    /// An object's members named in `names` (an object of options), each by its index in
    /// `names` and sorted by kind; other members are not read. Or why it cannot be read.
    fn named_members(
        &self,
        names: &'static [&'static str],
    ) -> Result<Vec<(usize, Value<Self>)>, String>;
    /// An array's items, each kept as the host's; or why it cannot be read.
    fn items(&self) -> Result<Vec<Self>, String>;
    /// The member `name` of plain data (a parsed answer), sorted by kind: absent when the value
    /// is not an object or has no such member.
    fn member(&self, name: &'static str) -> Value<Self>;
}

#[cfg(test)]
impl Payload for serde_json::Value {
    /// Host tests write a function as `{"function": "<what it does>"}` (see
    /// src/core/api/tests.rs) and a member that throws when read as `{"throws": "<reason>"}`.
    fn value(&self) -> Value<Self> {
        use serde_json::Value as J;
        match self {
            J::Null => Value::Absent,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            J::String(s) => Value::String(s.clone()),
            J::Array(_) => Value::Array(self.clone()),
            J::Object(o) if o.contains_key("function") => Value::Function(self.clone()),
            J::Object(o) => match o.get("throws").and_then(J::as_str) {
                Some(reason) => Value::Unreadable(reason.into()),
                None => Value::Object(self.clone()),
            },
        }
    }

    /// In host tests, a signal is written `{"aborted": false}`.
    fn is_abort_signal(&self) -> bool {
        self.get("aborted")
            .is_some_and(serde_json::Value::is_boolean)
    }

    /// In host tests, a queue is written `{"queue": "cloudflare" | "deno" | "custom"}`, which
    /// has the functions of that kind of queue; else a member that is a function counts.
    fn has_function(&self, name: &'static str) -> bool {
        let functions: &[&str] = match self.get("queue").and_then(serde_json::Value::as_str) {
            Some("cloudflare") => &["send", "sendBatch"],
            Some("deno") => &["enqueue", "listenQueue"],
            Some("custom") => &["send"],
            _ => &[],
        };
        functions.contains(&name)
            || matches!(self.get(name).map(|m| m.value()), Some(Value::Function(_)))
    }

    fn members(&self) -> Result<Vec<(String, Self)>, String> {
        match self {
            serde_json::Value::Object(o) => {
                Ok(o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            _ => Err("not an object".into()),
        }
    }

    fn member(&self, name: &'static str) -> Value<Self> {
        self.get(name).map_or(Value::Absent, Payload::value)
    }

    fn named_members(
        &self,
        names: &'static [&'static str],
    ) -> Result<Vec<(usize, Value<Self>)>, String> {
        let named = |(name, value): (String, Self)| {
            let index = names.iter().position(|known| *known == name)?;
            Some((index, value.value()))
        };
        Ok(self.members()?.into_iter().filter_map(named).collect())
    }

    fn items(&self) -> Result<Vec<Self>, String> {
        match self {
            serde_json::Value::Array(items) => Ok(items.clone()),
            _ => Err("not an array".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Value;

    #[test]
    fn kind_names_numbers_as_whole_or_fractional() {
        let kind = |n: f64| Value::<()>::Number(n).kind();
        assert_eq!(
            [
                kind(3.0),
                kind(-0.0),
                kind(f64::NAN),
                kind(f64::NEG_INFINITY),
                kind(1.5),
                kind(1e300)
            ],
            [
                "the number 3",
                "the number 0",
                "NaN",
                "-Infinity",
                "a fractional number",
                "a fractional number"
            ]
        );
    }
}

//! What the core sees of a caller's values: a [`Value`] is a JS value sorted into the kinds the
//! options care about, and an [`Object`] is something whose members can be read. The wasm build
//! implements [`Object`] for `JsValue`; host tests implement it for `serde_json::Value`. User
//! payloads stay `Object`s end to end: the core never copies or walks them.

use crate::core::error::Error;

/// A value read from a caller's object, sorted by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<O> {
    /// `undefined` or `null`: the option is not given.
    Absent,
    /// A boolean.
    Bool(bool),
    /// A number (possibly NaN or infinite: validation decides).
    Number(f64),
    /// A string.
    String(String),
    /// A non-array, non-function object, kept as the host's value.
    Object(O),
    /// A function (a hook: `onError`, `redact`), kept as the host's value.
    Function(O),
    /// Anything else; the text names its kind for messages ("an array", "a BigInt", ...).
    Other(&'static str),
}

impl<O> Value<O> {
    /// The kind of the value, as an error message names it ("a string", "an object"...).
    pub fn kind(&self) -> String {
        match self {
            Value::Absent => "nothing".into(),
            Value::Bool(b) => format!("the boolean {b}"),
            // Whole numbers only: formatting any f64 would cost the module ~17 KB of float code.
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
            Value::Function(_) => "a function".into(),
            Value::Other(kind) => (*kind).into(),
        }
    }
}

/// An object whose members the core can read.
pub trait Object: Sized + Clone {
    /// Reads member `key`; an error when reading it throws (a getter, a Proxy).
    fn get(&self, key: &'static str) -> Result<Value<Self>, Error>;
    /// True when the value is an `AbortSignal`.
    fn is_abort_signal(&self) -> bool;
    /// The elements of member `key` when it is an array; `None` when it is absent; an error
    /// when it is anything else or cannot be read.
    fn items(&self, key: &'static str) -> Result<Option<Vec<Value<Self>>>, Error>;
}

/// The JS side reads only the members its tables name (the options' and an answer's): one the
/// core reads that no table names would always look absent in wasm. Host tests read through
/// this check.
#[cfg(test)]
fn assert_read_by_js(key: &str) {
    let mut tables = crate::core::options::TABLES
        .iter()
        .chain([&crate::core::api::ANSWER_NAMES]);
    assert!(
        tables.any(|table| table.iter().any(|(name, _)| *name == key)),
        "{key} is read but no table names it"
    );
}

#[cfg(test)]
impl Object for serde_json::Value {
    fn get(&self, key: &'static str) -> Result<Value<Self>, Error> {
        assert_read_by_js(key);
        Ok(json_value(self.get(key)))
    }
    fn items(&self, key: &'static str) -> Result<Option<Vec<Value<Self>>>, Error> {
        assert_read_by_js(key);
        match self.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Array(items)) => Ok(Some(
                items.iter().map(|item| json_value(Some(item))).collect(),
            )),
            Some(_) => Err(Error::InvalidOption {
                option: key,
                expected: "an array",
                found: "not an array".into(),
            }),
        }
    }

    /// In host tests, a signal is written `{"aborted": false}`.
    fn is_abort_signal(&self) -> bool {
        self.get("aborted")
            .is_some_and(serde_json::Value::is_boolean)
    }
}

#[cfg(test)]
fn json_value(value: Option<&serde_json::Value>) -> Value<serde_json::Value> {
    use serde_json::Value as J;
    match value {
        None | Some(J::Null) => Value::Absent,
        Some(J::Bool(b)) => Value::Bool(*b),
        Some(J::Number(n)) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        Some(J::String(s)) => Value::String(s.clone()),
        Some(J::Array(_)) => Value::Other("an array"),
        // Host tests write a function as {"function": "<what it does>"} (see src/core/api/tests.rs).
        Some(v @ J::Object(o)) if o.contains_key("function") => Value::Function(v.clone()),
        Some(v @ J::Object(_)) => Value::Object(v.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::Value;

    #[test]
    fn kind_names_numbers_without_float_formatting() {
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

//! A [`Record`]: the members of an object the core reads by name (a server's answer, an outbox's
//! message, what a trace recorded of a span, the `env` option), copied once from the host
//! ([`Payload::members`]); each value stays the host's until it is read by kind.

use crate::core::value::{Payload, Value};

/// An object's own members, by name.
pub struct Record<P> {
    members: Vec<(String, P)>,
}

impl<P: Payload> Record<P> {
    /// The members of `object`; what reading it threw, or what it is when not an object.
    pub fn of(object: &P) -> Result<Self, String> {
        match object.value() {
            Value::Object(object) => Ok(Record {
                members: object.members()?,
            }),
            other => Err(format!("it is {}, not an object", other.kind())),
        }
    }

    /// The member `name` as the host's value, when given (`undefined` and `null` count as
    /// absent).
    pub fn get(&self, name: &str) -> Option<&P> {
        self.find(name)
            .filter(|value| !matches!(value.value(), Value::Absent))
    }

    /// The member `name` sorted by kind (absent when the object has no such member).
    pub fn value(&self, name: &str) -> Value<P> {
        self.find(name).map_or(Value::Absent, Payload::value)
    }

    fn find(&self, name: &str) -> Option<&P> {
        let (_, value) = self.members.iter().find(|(member, _)| member == name)?;
        Some(value)
    }

    /// A text member, when given; what it is instead when not text.
    pub fn text(&self, name: &str) -> Result<Option<String>, String> {
        match self.value(name) {
            Value::Absent => Ok(None),
            Value::String(text) => Ok(Some(text)),
            other => Err(wrong(name, "text", &other)),
        }
    }

    /// A member that must be text.
    pub fn required_text(&self, name: &str) -> Result<String, String> {
        self.text(name)?.ok_or_else(|| format!("it has no {name}"))
    }

    /// A whole-number member from 0 to `u32::MAX`, when given.
    pub fn count(&self, name: &str) -> Result<Option<u32>, String> {
        match self.value(name) {
            Value::Absent => Ok(None),
            Value::Number(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                Ok(Some(n as u32))
            }
            other => Err(wrong(name, "a whole number", &other)),
        }
    }
}

/// Why a member cannot be read: what it is instead of what it must be.
fn wrong<P>(name: &str, expected: &str, found: &Value<P>) -> String {
    format!("its {name} is {}, not {expected}", found.kind())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_members_by_name_and_kind() {
        let record = Record::of(&json!({"a": "x", "n": 3, "f": 1.5, "z": null})).unwrap();
        assert_eq!(record.text("a"), Ok(Some("x".into())));
        assert_eq!(record.count("n"), Ok(Some(3)));
        assert_eq!(record.text("z"), Ok(None), "null is absent");
        assert_eq!(record.value("z"), Value::Absent);
        assert_eq!(
            record.count("f"),
            Err("its f is a fractional number, not a whole number".into())
        );
        assert_eq!(
            record.text("n"),
            Err("its n is the number 3, not text".into())
        );
        assert_eq!(record.required_text("b"), Err("it has no b".into()));
        assert_eq!(
            Record::of(&json!([1])).err(),
            Some("it is an array, not an object".into())
        );
    }
}

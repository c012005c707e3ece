//! [`JsPayload`]: a caller's JS value as the core holds it. The core reads an object member by
//! member ([`Payload::members`]); every value stays a `JsValue`, never copied into wasm, and goes
//! into a request body as it is (`serde_wasm_bindgen::preserve`). Nothing here may let a JS exception
//! unwind through wasm: the kinds are told by `typeof` and by wasm-bindgen's `instanceof`, which
//! catches, and an object is read only as the plain copy src/npm/plain.js makes of it.

use std::cell::RefCell;

use js_sys::{Array, Reflect, Uint16Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::reflect::{interned, member};
use crate::core::value::{Payload, Value};

#[wasm_bindgen(module = "/src/npm/plain.js")]
extern "C" {
    /// A member whose reading threw (src/npm/plain.js).
    type Unreadable;
    #[wasm_bindgen(method, getter)]
    fn reason(this: &Unreadable) -> String;
    /// An object's members as `[name, value, ...]`, read inside try/catch, or an `Unreadable`.
    fn members(value: &JsValue) -> JsValue;
    /// An object's members named in `names`: `[Uint16Array of (index, kind) pairs, value, ...]`,
    /// read inside try/catch, or an `Unreadable`.
    #[wasm_bindgen(js_name = namedMembers)]
    fn named_members(value: &JsValue, names: &Array) -> JsValue;
    /// An array's items in a new array, read inside try/catch, or an `Unreadable`.
    fn items(value: &JsValue) -> JsValue;
}

/// A caller's value, kept in JS.
#[derive(Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct JsPayload(#[serde(with = "serde_wasm_bindgen::preserve")] pub JsValue);

impl JsPayload {
    /// Sorted as [`Payload::value`] sorts, asking first for what an object of options is: absent
    /// or an object, not a string.
    pub fn options(self) -> Value<Self> {
        let value = &self.0;
        if value.is_undefined() {
            Value::Absent
        } else if value.is_object()
            && !value.is_instance_of::<Array>()
            && !value.is_instance_of::<Unreadable>()
        {
            Value::Object(self)
        } else {
            self.value()
        }
    }
}

/// Never asks JS: `JsValue`'s own `Debug` runs JS that a caller's value can make throw (a
/// revoked Proxy), and an exception must not unwind through wasm.
impl std::fmt::Debug for JsPayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsPayload(..)")
    }
}

impl Payload for JsPayload {
    /// The likeliest kinds first (an option is mostly a string, a payload an object): each
    /// test is a call into JS.
    fn value(&self) -> Value<Self> {
        let value = &self.0;
        if let Some(text) = value.as_string() {
            Value::String(text)
        } else if value.is_object() {
            if let Some(unreadable) = value.dyn_ref::<Unreadable>() {
                Value::Unreadable(unreadable.reason())
            } else if value.is_instance_of::<Array>() {
                Value::Array(self.clone())
            } else {
                Value::Object(self.clone())
            }
        } else if value.is_undefined() || value.is_null() {
            Value::Absent
        } else if let Some(n) = value.as_f64() {
            Value::Number(n)
        } else if let Some(b) = value.as_bool() {
            Value::Bool(b)
        } else if value.is_function() {
            Value::Function(self.clone())
        } else if value.is_bigint() {
            Value::Other("a BigInt")
        } else {
            Value::Other("a Symbol")
        }
    }

    /// A real `AbortSignal`: an instance whose `aborted` reads as a boolean (a look-alike made
    /// from the prototype throws there). `instanceof` and `Reflect.get` both catch.
    fn is_abort_signal(&self) -> bool {
        self.0.is_instance_of::<AbortSignal>()
            && Reflect::get(&self.0, &interned("aborted"))
                .is_ok_and(|aborted| aborted.as_bool().is_some())
    }

    fn has_function(&self, name: &'static str) -> bool {
        member(&self.0, name).is_function()
    }

    fn members(&self) -> Result<Vec<(String, Self)>, String> {
        let flat = copied(members(&self.0))?;
        let pair = |i: u32| {
            let name = flat.get(2 * i).as_string().unwrap_or_default();
            (name, JsPayload(flat.get(2 * i + 1)))
        };
        Ok((0..flat.length() / 2).map(pair).collect())
    }

    fn member(&self, name: &'static str) -> Value<Self> {
        JsPayload(member(&self.0, name)).value()
    }

    fn named_members(
        &self,
        names: &'static [&'static str],
    ) -> Result<Vec<(usize, Value<Self>)>, String> {
        let found = NAMES.with(|given| {
            let mut given = given.borrow_mut();
            let array = match &*given {
                Some((listed, array)) if std::ptr::eq(*listed, names) => array.clone(),
                _ => {
                    let array: Array = names.iter().map(|name| JsValue::from_str(name)).collect();
                    *given = Some((names, array.clone()));
                    array
                }
            };
            drop(given);
            named_members(&self.0, &array)
        });
        let found = copied(found)?;
        let described = Uint16Array::new(&found.get(0)).to_vec();
        let mut named = Vec::with_capacity(described.len() / 2);
        let mut pairs = described.iter();
        while let (Some(&index), Some(&kind)) = (pairs.next(), pairs.next()) {
            let value = found.get(u32::try_from(named.len() + 1).unwrap_or(u32::MAX));
            named.push((usize::from(index), of_kind(kind, value)));
        }
        Ok(named)
    }

    fn items(&self) -> Result<Vec<Self>, String> {
        Ok(copied(items(&self.0))?.iter().map(JsPayload).collect())
    }
}

thread_local! {
    /// The names of the last list an object was read by (the options'), as a JS array made
    /// once: src/npm/plain.js keeps its lookup of them while the array is the same.
    static NAMES: RefCell<Option<(&'static [&'static str], Array)>> = const { RefCell::new(None) };
}

/// A value of the kind src/npm/plain.js told (its `kind`), sorted without asking JS again.
fn of_kind(kind: u16, value: JsValue) -> Value<JsPayload> {
    match kind {
        0 => Value::Absent,
        1 => Value::Bool(value.as_bool().unwrap_or(false)),
        2 => Value::Number(value.as_f64().unwrap_or(f64::NAN)),
        3 => Value::String(value.as_string().unwrap_or_default()),
        4 => Value::Object(JsPayload(value)),
        5 => Value::Array(JsPayload(value)),
        6 => Value::Function(JsPayload(value)),
        7 => Value::Unreadable(
            value
                .dyn_ref::<Unreadable>()
                .map_or_else(String::new, Unreadable::reason),
        ),
        8 => Value::Other("a BigInt"),
        _ => Value::Other("a Symbol"),
    }
}

/// What src/npm/plain.js copied: an array, or why it could not.
fn copied(copy: JsValue) -> Result<Array, String> {
    match copy.dyn_ref::<Unreadable>() {
        Some(unreadable) => Err(unreadable.reason()),
        None => Ok(copy.unchecked_into()),
    }
}

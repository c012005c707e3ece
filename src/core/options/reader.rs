//! The [`Reader`]: one option read through a call's layers (the call's object, then a client's
//! defaults; for a batch's event, the event first), camelCase before snake_case, then the `env`
//! option and the host's environment; and checked for its kind.

use std::rc::Rc;

use super::layer::{Env, Layer, Opt, Var};
use super::Given;
use crate::core::error::Error;
use crate::core::ids::is_uuid;
use crate::core::keys::{self, Found};
use crate::core::record::Record;
use crate::core::sampling::SampleRate;
use crate::core::value::{Payload, Value};

/// The host's environment variables (`process.env`, `Deno.env`), by name.
pub type HostEnv<'h> = &'h dyn Fn(&'static str) -> Option<String>;

/// Where a number option must lie, and how its error says so.
#[derive(Clone, Copy)]
pub(super) struct Bounds {
    pub min: f64,
    pub max: f64,
    /// Whole numbers only.
    pub whole: bool,
    pub expected: &'static str,
}

impl Bounds {
    /// A time or a duration in milliseconds: a finite number ≥ 0.
    pub const fn non_negative(expected: &'static str) -> Bounds {
        Bounds {
            min: 0.0,
            max: f64::INFINITY,
            whole: false,
            expected,
        }
    }
}

/// Where `sampleRate` lies.
pub(super) const SAMPLE_RATE: Bounds = Bounds {
    min: SampleRate::MIN,
    max: SampleRate::MAX,
    whole: false,
    expected: SampleRate::EXPECTED,
};

/// Reads a call's options through its layers, the `env` option and the host's environment.
pub(super) struct Reader<'h, P> {
    /// The layers, highest priority first.
    layers: Vec<Rc<Layer<P>>>,
    env: Option<Rc<Env<P>>>,
    /// Not generic: one copy of the reader in the module, whatever the caller's closure.
    host_env: HostEnv<'h>,
}

/// Reads an object of options (the call's, a client's defaults, an event, a span) into a layer.
pub(super) fn layer<P: Payload>(object: &P, name: &'static str) -> Result<Layer<P>, Error> {
    Layer::read(object).map_err(|reason| Error::Unreadable {
        option: name,
        reason,
    })
}

impl<'h, P: Payload> Reader<'h, P> {
    pub fn new(given: &Given<P>, host_env: HostEnv<'h>) -> Result<Self, Error> {
        let Value::Object(call) = &given.call else {
            return Err(Error::NotAnObject {
                found: kind_name(&given.call),
            });
        };
        let mut layers = vec![Rc::new(layer(call, "options")?)];
        match &given.defaults {
            Value::Absent => {}
            Value::Object(defaults) => layers.push(Rc::new(layer(defaults, "defaults")?)),
            other => {
                let expected = "an object (the client's defaults)";
                return Err(invalid_named("defaults", expected, other));
            }
        }
        let mut reader = Reader {
            layers,
            env: None,
            host_env,
        };
        reader.env = match reader.option(Opt::Env)? {
            Value::Absent => None,
            Value::Object(env) => {
                let env = Record::of(&env).map_err(|reason| Error::Unreadable {
                    option: "env",
                    reason,
                })?;
                Some(Rc::new(Env::of(&env)))
            }
            other => {
                let expected = "an object of environment bindings, like a Worker's env";
                return Err(invalid(Opt::Env, expected, &other));
            }
        };
        Ok(reader)
    }

    /// A reader of `layers` alone: a span's own options, without the call's layers or env.
    pub fn of(layers: Vec<Layer<P>>, host_env: HostEnv<'h>) -> Self {
        Reader {
            layers: layers.into_iter().map(Rc::new).collect(),
            env: None,
            host_env,
        }
    }

    /// The same reader with `top` as its highest layer (a batch's event).
    pub fn under(&self, top: Layer<P>) -> Self {
        let mut layers = Vec::with_capacity(self.layers.len() + 1);
        layers.push(Rc::new(top));
        layers.extend(self.layers.iter().cloned());
        Reader {
            layers,
            env: self.env.clone(),
            host_env: self.host_env,
        }
    }

    /// The first layer's answer that is not `None`.
    fn first<T>(
        &self,
        read: impl Fn(&Layer<P>) -> Result<Option<T>, Error>,
    ) -> Result<Option<T>, Error> {
        for layer in &self.layers {
            if let Some(found) = read(layer)? {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The option from the highest layer that gives it, camelCase first (given means neither
    /// undefined nor null).
    pub fn option(&self, opt: Opt) -> Result<Value<P>, Error> {
        let given = |value: &Value<P>| !matches!(value, Value::Absent);
        Ok(self
            .first(|layer| given_in(layer, opt, given))?
            .unwrap_or(Value::Absent))
    }

    /// An array option's items, from the highest layer that gives it.
    pub fn items(&self, opt: Opt) -> Result<Option<Vec<P>>, Error> {
        match self.option(opt)? {
            Value::Absent => Ok(None),
            Value::Array(array) => array.items().map(Some).map_err(|reason| Error::Unreadable {
                option: opt.name(),
                reason,
            }),
            other => Err(invalid(opt, "an array", &other)),
        }
    }

    /// A text option; empty counts as absent, as in the reference, so that the other spelling
    /// or a client's default is read.
    pub fn text(&self, opt: Opt) -> Result<Option<String>, Error> {
        self.first(|layer| text_in(layer, opt))
    }

    /// A text option, else `var` from the `env` option, else `var` from the host's environment.
    pub fn text_or_env(&self, opt: Opt, var: Var) -> Result<Option<String>, Error> {
        Ok(self.found(opt, var)?.map(|found| found.value))
    }

    /// As [`Self::text_or_env`], with the layer it came from and how the user names that source.
    pub fn found(&self, opt: Opt, var: Var) -> Result<Option<Found>, Error> {
        self.found_within(opt, var, keys::Origin::HostEnv)
    }

    /// As [`Self::found`], looking no farther than `farthest`: where a rival option was found
    /// already, a farther place cannot win over it, and a host lookup is saved.
    pub fn found_within(
        &self,
        opt: Opt,
        var: Var,
        farthest: keys::Origin,
    ) -> Result<Option<Found>, Error> {
        let near_enough = |index: usize| keys::Origin::Options(index) <= farthest;
        for (index, layer) in self.layers.iter().enumerate() {
            if !near_enough(index) {
                break;
            }
            if let Some(value) = text_in(layer, opt)? {
                return Ok(Some(Found {
                    value,
                    origin: keys::Origin::Options(index),
                    name: opt.name(),
                }));
            }
        }
        let env = self
            .env
            .as_ref()
            .filter(|_| keys::Origin::EnvOption <= farthest);
        if let Some(Value::String(value)) = env.map(|env| env.get(var)) {
            if !value.is_empty() {
                return Ok(Some(Found {
                    value,
                    origin: keys::Origin::EnvOption,
                    name: var.name(),
                }));
            }
        }
        if farthest < keys::Origin::HostEnv {
            return Ok(None);
        }
        let value = (self.host_env)(var.name()).filter(|s| !s.is_empty());
        Ok(value.map(|value| Found {
            value,
            origin: keys::Origin::HostEnv,
            name: var.name(),
        }))
    }

    /// The `env` option's `HH_OUTBOX` binding.
    pub fn env_outbox(&self) -> Value<P> {
        self.env
            .as_ref()
            .map_or(Value::Absent, |env| env.outbox().clone())
    }

    /// A hook option: a function, kept as the host's value.
    pub fn hook(&self, opt: Opt) -> Result<Option<P>, Error> {
        match self.option(opt)? {
            Value::Absent => Ok(None),
            Value::Function(hook) => Ok(Some(hook)),
            other => Err(invalid(opt, "a function", &other)),
        }
    }

    /// An id option that, when given, must be a UUID.
    pub fn uuid(&self, opt: Opt) -> Result<Option<String>, Error> {
        match self.text(opt)? {
            // Whole, not cut: the message is redacted, then cut, as one (a cut key would not
            // be masked).
            Some(id) if !is_uuid(&id) => Err(Error::InvalidUuid {
                option: opt.name(),
                value: id,
            }),
            id => Ok(id),
        }
    }

    /// `sampleRate`: a number from 0 to 1; every trace when it is not given.
    pub fn sample_rate(&self) -> Result<SampleRate, Error> {
        let rate = self.number(Opt::SampleRate, SAMPLE_RATE)?;
        Ok(rate.and_then(SampleRate::new).unwrap_or_default())
    }

    /// A payload: any object, kept as the host's value.
    pub fn payload(&self, opt: Opt) -> Result<Option<P>, Error> {
        match self.option(opt)? {
            Value::Absent => Ok(None),
            Value::Object(o) => Ok(Some(o)),
            other => Err(invalid(opt, "an object", &other)),
        }
    }

    /// A boolean option.
    pub fn boolean(&self, opt: Opt) -> Result<Option<bool>, Error> {
        match self.option(opt)? {
            Value::Absent => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            other => Err(invalid(opt, "a boolean", &other)),
        }
    }

    /// A finite number within `bounds`.
    pub fn number(&self, opt: Opt, bounds: Bounds) -> Result<Option<f64>, Error> {
        match self.option(opt)? {
            Value::Absent => Ok(None),
            Value::Number(n)
                if n.is_finite()
                    && (bounds.min..=bounds.max).contains(&n)
                    && (!bounds.whole || n.fract() == 0.0) =>
            {
                Ok(Some(n))
            }
            Value::Number(n) if n.is_finite() => {
                Err(invalid(opt, bounds.expected, &Value::<P>::Number(n)))
            }
            other => Err(invalid(opt, "a finite number", &other)),
        }
    }
}

/// An option of one layer where `given` holds of it, camelCase first. A member whose reading
/// threw is an error, named after the option.
fn given_in<P>(
    layer: &Layer<P>,
    opt: Opt,
    given: fn(&Value<P>) -> bool,
) -> Result<Option<Value<P>>, Error>
where
    P: Clone,
{
    let spelled = layer.get(opt);
    for value in [&spelled.camel, &spelled.snake] {
        if let Value::Unreadable(reason) = value {
            return Err(Error::Unreadable {
                option: opt.name(),
                reason: reason.clone(),
            });
        }
        if given(value) {
            return Ok(Some(value.clone()));
        }
    }
    Ok(None)
}

/// A text option of one layer, camelCase first; an empty string counts as absent.
fn text_in<P: Clone>(layer: &Layer<P>, opt: Opt) -> Result<Option<String>, Error> {
    let given = |value: &Value<P>| {
        !matches!(value, Value::Absent) && !matches!(value, Value::String(s) if s.is_empty())
    };
    match given_in(layer, opt, given)? {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(invalid(opt, "a string", &other)),
    }
}

/// The error of an option that holds a value of the wrong kind.
pub(super) fn invalid<P>(opt: Opt, expected: &'static str, found: &Value<P>) -> Error {
    invalid_named(opt.name(), expected, found)
}

pub(super) fn invalid_named<P>(
    option: &'static str,
    expected: &'static str,
    found: &Value<P>,
) -> Error {
    Error::InvalidOption {
        option,
        expected,
        found: found.kind(),
    }
}

/// `result`'s value, or (keeping the first failure in `failed`) the type's default.
pub(super) fn first_failure<T: Default>(failed: &mut Option<Error>, result: Result<T, Error>) -> T {
    result.unwrap_or_else(|error| {
        failed.get_or_insert(error);
        T::default()
    })
}

pub(super) fn kind_name<P>(value: &Value<P>) -> &'static str {
    match value {
        Value::Absent => "undefined or null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::Function(_) => "a function",
        Value::Unreadable(_) => "an object that throws when read",
        Value::Other(kind) => kind,
    }
}

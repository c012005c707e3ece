//! API keys: which key a call sends, and the shape of HoneyHive's typed keys.
//!
//! HoneyHive's current platform issues typed, project-scoped keys: ingestion keys
//! (`hh_ingst_…`, for requests that create sessions or write events) and fine-grained data-plane
//! keys (`hh_fgdp_…`). A typed key is its prefix, 24 letters or digits, `_`, and 64 characters of
//! `[A-Za-z0-9_-]`. A value with a typed prefix and any other shape is a truncated or damaged
//! copy, refused with a message that names where it came from, never the key. Any other value is
//! a key of the reference's kind, sent as it is.
//!
//! Every call of this package writes, so each sends the ingestion key when one is given, else
//! the API key (as HoneyHive's Python SDK does). Keys come from layers (the call's options, a
//! client's defaults, the `env` option, the host's environment): the nearest layer that has
//! either key decides, and within one layer the ingestion key wins.

/// The prefixes of HoneyHive's typed keys.
pub const TYPED_PREFIXES: [&str; 2] = ["hh_ingst_", "hh_fgdp_"];
/// Letters or digits after the prefix.
const ID_CHARS: usize = 24;
/// Characters of `[A-Za-z0-9_-]` after the `_` that follows the id.
const SECRET_CHARS: usize = 64;

/// What a key is, by its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// A well-formed typed key: project-scoped, made for the current platform.
    Typed,
    /// A key without a typed prefix: the reference's kind, sent as given.
    Untyped,
    /// A typed prefix without the typed shape: a truncated or damaged copy.
    Malformed,
}

/// Sorts a key by its text.
pub fn kind(key: &str) -> KeyKind {
    let Some(rest) = TYPED_PREFIXES
        .iter()
        .find_map(|prefix| key.strip_prefix(prefix))
    else {
        return KeyKind::Untyped;
    };
    let bytes = rest.as_bytes();
    let well_formed = bytes.len() == ID_CHARS + 1 + SECRET_CHARS
        && bytes.iter().take(ID_CHARS).all(u8::is_ascii_alphanumeric)
        && bytes.get(ID_CHARS) == Some(&b'_')
        && bytes
            .iter()
            .skip(ID_CHARS + 1)
            .all(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if well_formed {
        KeyKind::Typed
    } else {
        KeyKind::Malformed
    }
}

/// Where a value was found, nearest first: a layer of options (0: the call's own, 1: a client's
/// defaults; a batch's event comes before both), the `env` option, the host's environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// The options object at this index of the reader's layers.
    Options(usize),
    /// The `env` option (e.g. a Worker's bindings).
    EnvOption,
    /// The host's environment (`process.env`, `Deno.env`).
    HostEnv,
}

/// A value and where it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    pub value: String,
    pub origin: Origin,
    /// The option's camelCase name, or the variable's name (for the `env` option and the host).
    pub name: &'static str,
}

impl Found {
    /// How the user names where it came from: the option (`apiKey`), `env.HH_API_KEY`, or the
    /// variable. Made only for a message: most values found never need it.
    pub fn source(&self) -> String {
        match self.origin {
            Origin::EnvOption => format!("env.{}", self.name),
            _ => self.name.to_string(),
        }
    }
}

/// The key a call sends: of the two found, the one from the nearer layer; in the same layer, the
/// ingestion key.
pub fn choose(api_key: Option<Found>, ingestion_key: Option<Found>) -> Option<Found> {
    match (api_key, ingestion_key) {
        (Some(api), Some(ingestion)) if api.origin < ingestion.origin => Some(api),
        (_, Some(ingestion)) => Some(ingestion),
        (api, None) => api,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A well-formed typed key with this prefix.
    pub(crate) fn typed(prefix: &str) -> String {
        format!(
            "{prefix}{}_{}",
            "a1B2c3D4e5F6g7H8i9J0k1L2",
            "x".repeat(30) + "-_" + &"Y9".repeat(16)
        )
    }

    fn found(value: &str, origin: Origin) -> Option<Found> {
        Some(Found {
            value: value.into(),
            origin,
            name: "",
        })
    }

    #[test]
    fn typed_keys_have_the_prefix_24_alphanumerics_an_underscore_and_64_more() {
        assert_eq!(kind(&typed("hh_ingst_")), KeyKind::Typed);
        assert_eq!(kind(&typed("hh_fgdp_")), KeyKind::Typed);
        assert_eq!(typed("hh_ingst_").len(), 9 + 24 + 1 + 64);
    }

    #[test]
    fn a_typed_prefix_with_another_shape_is_malformed() {
        let key = typed("hh_ingst_");
        assert_eq!(
            kind(key.get(..key.len() - 1).unwrap()),
            KeyKind::Malformed,
            "truncated"
        );
        assert_eq!(kind(&format!("{key}x")), KeyKind::Malformed, "too long");
        assert_eq!(
            kind(&key.replacen("a1B2", "a1-2", 1)),
            KeyKind::Malformed,
            "a dash in the id"
        );
        assert_eq!(
            kind(&key.replacen("L2_", "L2.", 1)),
            KeyKind::Malformed,
            "no underscore after the id"
        );
        assert_eq!(
            kind(&key.replacen("Y9", "Y!", 1)),
            KeyKind::Malformed,
            "a character outside the set"
        );
        assert_eq!(kind("hh_ingst_"), KeyKind::Malformed, "the prefix alone");
        assert_eq!(kind("hh_ingst_é"), KeyKind::Malformed, "non-ASCII");
    }

    #[test]
    fn other_keys_are_untyped() {
        for key in ["hh-test-key", "abc", "HH_INGST_abc", "hh_ingest_abc", ""] {
            assert_eq!(kind(key), KeyKind::Untyped, "{key}");
        }
    }

    #[test]
    fn the_nearer_layer_decides_and_in_one_layer_the_ingestion_key_wins() {
        let call = Origin::Options(0);
        let chosen = |api, ingestion| choose(api, ingestion).map(|f| f.value);
        assert_eq!(
            chosen(found("api", call), found("ing", call)),
            Some("ing".into())
        );
        assert_eq!(
            chosen(found("api", call), found("ing", Origin::HostEnv)),
            Some("api".into())
        );
        assert_eq!(
            chosen(
                found("api", Origin::HostEnv),
                found("ing", Origin::EnvOption)
            ),
            Some("ing".into())
        );
        assert_eq!(
            chosen(found("api", Origin::Options(1)), None),
            Some("api".into())
        );
        assert_eq!(
            chosen(None, found("ing", Origin::HostEnv)),
            Some("ing".into())
        );
        assert_eq!(chosen(None, None), None);
        assert!(
            Origin::Options(0) < Origin::Options(1)
                && Origin::Options(9) < Origin::EnvOption
                && Origin::EnvOption < Origin::HostEnv
        );
    }
}

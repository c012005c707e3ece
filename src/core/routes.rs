//! Which API a call speaks, and where.
//!
//! Two families of routes: the reference's (`POST /session/start`, `POST /events`, `PUT /events`,
//! `POST /events/batch`, with `{"session": …}` / `{"event": …}` bodies) at `serverUrl`, and
//! HoneyHive's v2 routes (`POST /v1/sessions`, `POST /v1/events`, `PUT /v1/events/{event_id}`,
//! `POST /v1/events/batch`, bare bodies) at `dataPlaneUrl`. `serverUrl` / `HH_API_URL` keep the
//! reference's routes; `dataPlaneUrl` / `HH_DATA_PLANE_URL` select the v2 API. Both in the same
//! layer is an error that says which to keep; across layers the nearer one wins. With neither,
//! a typed key (one made for the current platform) goes to the data plane's v2 API, and any
//! other key to the reference's API at its URL: a user of the reference sees no change.

use crate::core::error::Error;
use crate::core::keys::{Found, KeyKind};

/// The reference's API.
pub const DEFAULT_SERVER_URL: &str = "https://api.honeyhive.ai";
/// HoneyHive's data plane, home of the v2 API.
pub const DEFAULT_DATA_PLANE_URL: &str = "https://api.dp1.us.honeyhive.ai";

/// The platform a call speaks to: a family of routes and bodies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// The reference logger's routes and bodies.
    Reference,
    /// HoneyHive's v2 API (`/v1/...` routes, bare objects).
    V2,
}

/// Where a call goes: the API it speaks and the base URL, without a trailing `/`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub api: Platform,
    pub base_url: String,
}

/// The target of a call from the URLs found, and the kind of key it sends.
pub fn choose(
    server_url: Option<Found>,
    data_plane_url: Option<Found>,
    key: KeyKind,
) -> Result<Target, Error> {
    let (api, url) = match (server_url, data_plane_url) {
        (Some(server), Some(data_plane)) if server.origin == data_plane.origin => {
            return Err(Error::TwoServerUrls {
                server_url: server.source(),
                data_plane_url: data_plane.source(),
            });
        }
        (Some(server), Some(data_plane)) if data_plane.origin < server.origin => {
            (Platform::V2, data_plane.value)
        }
        (Some(server), _) => (Platform::Reference, server.value),
        (None, Some(data_plane)) => (Platform::V2, data_plane.value),
        (None, None) if key == KeyKind::Typed => (Platform::V2, DEFAULT_DATA_PLANE_URL.to_string()),
        (None, None) => (Platform::Reference, DEFAULT_SERVER_URL.to_string()),
    };
    // Cut after the last byte that is not `/` (the end of a character): no reverse char search.
    let end = url
        .bytes()
        .rposition(|b| b != b'/')
        .map_or(0, |last| last + 1);
    let base_url = url.get(..end).unwrap_or_default().to_string();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(Error::InvalidServerUrl(base_url));
    }
    Ok(Target { api, base_url })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::keys::Origin;

    fn found(value: &str, origin: Origin, name: &'static str) -> Option<Found> {
        Some(Found {
            value: value.into(),
            origin,
            name,
        })
    }

    #[test]
    fn server_url_keeps_the_reference_routes() {
        let t = choose(
            found("http://h/", Origin::Options(0), "serverUrl"),
            None,
            KeyKind::Typed,
        )
        .unwrap();
        assert_eq!(
            t,
            Target {
                api: Platform::Reference,
                base_url: "http://h".into()
            }
        );
    }

    #[test]
    fn data_plane_url_selects_the_v2_api() {
        let t = choose(
            None,
            found("https://dp.example//", Origin::HostEnv, "HH_DATA_PLANE_URL"),
            KeyKind::Untyped,
        )
        .unwrap();
        assert_eq!(
            t,
            Target {
                api: Platform::V2,
                base_url: "https://dp.example".into()
            }
        );
    }

    #[test]
    fn both_in_one_layer_is_an_error_that_names_both() {
        let error = choose(
            found("http://a", Origin::EnvOption, "HH_API_URL"),
            found("http://b", Origin::EnvOption, "HH_DATA_PLANE_URL"),
            KeyKind::Untyped,
        )
        .unwrap_err();
        assert_eq!(
            error,
            Error::TwoServerUrls {
                server_url: "env.HH_API_URL".into(),
                data_plane_url: "env.HH_DATA_PLANE_URL".into()
            }
        );
    }

    #[test]
    fn across_layers_the_nearer_one_wins() {
        let near_dp = choose(
            found("http://a", Origin::HostEnv, "HH_API_URL"),
            found("http://b", Origin::Options(1), "dataPlaneUrl"),
            KeyKind::Untyped,
        );
        assert_eq!(
            near_dp.unwrap(),
            Target {
                api: Platform::V2,
                base_url: "http://b".into()
            }
        );
        let near_server = choose(
            found("http://a", Origin::Options(0), "serverUrl"),
            found("http://b", Origin::Options(1), "dataPlaneUrl"),
            KeyKind::Typed,
        );
        assert_eq!(
            near_server.unwrap(),
            Target {
                api: Platform::Reference,
                base_url: "http://a".into()
            }
        );
    }

    #[test]
    fn without_urls_a_typed_key_goes_to_the_data_plane_and_any_other_to_the_reference_api() {
        assert_eq!(
            choose(None, None, KeyKind::Typed).unwrap(),
            Target {
                api: Platform::V2,
                base_url: DEFAULT_DATA_PLANE_URL.into()
            }
        );
        assert_eq!(
            choose(None, None, KeyKind::Untyped).unwrap(),
            Target {
                api: Platform::Reference,
                base_url: DEFAULT_SERVER_URL.into()
            }
        );
    }

    #[test]
    fn urls_must_be_http() {
        let error = choose(
            None,
            found("ftp://x", Origin::Options(0), "dataPlaneUrl"),
            KeyKind::Typed,
        )
        .unwrap_err();
        assert_eq!(error, Error::InvalidServerUrl("ftp://x".into()));
    }
}

//! For the site's own server (feature `ssr`): the visitor's decision as a
//! request tells it, for handlers and server functions.

use http::HeaderMap;

use crate::core::{server_decision, ConsentConfig, ServerDecision};

/// The request headers a server-rendered page depends on once the provider
/// reads the visitor's decision: the value of the response's `Vary` header.
pub const VARY: &str = "Cookie, Sec-GPC";

/// The visitor's decision from a request's headers (the config's
/// [`ConsentConfig::server_cookie`] copy and `Sec-GPC`), checked by the core
/// as the browser checks its own storage; now as the server's clock says.
/// Without a copy, or with one that does not pass, nothing optional is granted.
///
/// ```
/// use leptos_consent::core::ConsentConfig;
/// use leptos_consent::server::request_decision;
///
/// let cfg = ConsentConfig::from_json(r#"{ "revision": 1, "server_cookie": { "name": "lcc" },
///     "categories": [{ "id": "necessary", "title": "Necessary", "read_only": true },
///                    { "id": "performance", "title": "Performance" }] }"#).unwrap();
/// let headers = http::HeaderMap::new();
/// assert!(!request_decision(&headers, &cfg).category("performance"));
/// ```
///
/// A page rendered from these headers differs from one visitor to another:
/// send it with `Vary:` [`VARY`] and `Cache-Control: private`, so that no
/// shared cache serves one visitor's page (with the tags their choice runs)
/// to others.
pub fn request_decision(headers: &HeaderMap, cfg: &ConsentConfig) -> ServerDecision {
    // Over HTTP/2 a browser may split its cookies over several `cookie` headers:
    // read as one, so that two copies of one name, in any of them, count as none.
    // (Read as bytes: another cookie's odd byte must not hide the copy.)
    let cookies = headers
        .get_all(http::header::COOKIE)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let gpc = headers
        .get("sec-gpc")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    server_decision(cfg, Some(&cookies), gpc.as_deref(), now)
}

//! Security headers on every response.
//!
//! The pages load scripts and styles only from `/static` (no inline script, no `eval`), so a
//! label that slips through escaping still could not run. SVG diagrams are inline in the page;
//! their presentation comes from `/static/app.css` and attributes, not inline `<style>`, so
//! `style-src` stays `'self'` too.

use std::net::IpAddr;

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, CONTENT_TYPE, HOST, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse as _, Response};

use crate::state::AppState;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; \
form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to the response of `request`.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Refuses requests whose `Host` is a domain name other than `localhost` while the viewer only
/// listens on loopback. A web page on another site could otherwise point its own domain at
/// 127.0.0.1 (DNS rebinding) and read the models through the visitor's browser.
pub async fn host_guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok());
    if state.any_host_allowed() || host.is_none_or(is_local_host) {
        return next.run(request).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(CONTENT_TYPE, "text/plain; charset=utf-8")],
        "この名前ではアクセスできません。http://127.0.0.1 または http://localhost を使ってください\n\
         forbidden host: use http://127.0.0.1 or http://localhost\n",
    )
        .into_response()
}

/// Returns true for `localhost` (and `*.localhost`) and IP literals, with or without a port.
#[must_use]
pub fn is_local_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':').map_or(host, |(name, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                name
            } else {
                host
            }
        })
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<IpAddr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_names_and_addresses_pass() {
        for host in [
            "127.0.0.1:8080",
            "localhost",
            "LOCALHOST:80",
            "[::1]:3000",
            "app.localhost",
            "192.168.1.5",
        ] {
            assert!(is_local_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
        ] {
            assert!(!is_local_host(host), "{host}");
        }
    }
}

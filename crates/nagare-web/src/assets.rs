//! The viewer's static files (script, style sheet, icon), embedded in the binary at build time
//! so that `nagare serve` needs nothing but the binary and the models.

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// Every static file: name, content type, content.
const FILES: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../web/static/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../../web/static/app.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../../web/static/favicon.svg"),
    ),
];

/// Returns the static file `name`, or 404. The name is only compared with the table above.
pub async fn serve(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => (
            [(CONTENT_TYPE, *content_type), (CACHE_CONTROL, "no-cache")],
            *body,
        )
            .into_response(),
        None => crate::pages::not_found_plain(),
    }
}

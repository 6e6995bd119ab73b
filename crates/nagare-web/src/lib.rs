//! The web viewer: a front end over the `nagare` facade (axum + tokio + askama).

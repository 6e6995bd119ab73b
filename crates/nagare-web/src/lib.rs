//! The web viewer (`nagare serve`): a front end over the `nagare` facade (axum + tokio + askama).
//!
//! Pages: the portfolio `/`, the candidates ranking `/ranking`, a process
//! `/p/<procedure>/<variant>`, a comparison `/c/<procedure>`; downloads (SVG, JSON, CSV, XLSX)
//! beside them; `/events` announces reloads (Server-Sent Events) when files in the served
//! folder change. Route parameters are only ever looked up among the scanned files, never
//! joined into paths. Templates and assets are embedded in the binary.

pub mod assets;
pub mod download;
pub mod engine;
pub mod i18n;
pub mod load;
pub mod pages;
pub mod ranking;
pub mod security;
pub mod state;
pub mod views;
pub mod watch;
pub mod xlsx;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context as _;
use axum::Router;
use axum::routing::get;
use nagare::syntax::Lang;

pub use state::AppState;

/// How to run the viewer.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The folder of models.
    pub folder: PathBuf,
    /// The address to bind; loopback by default so the models are not exposed to the network.
    pub host: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the portfolio in the default browser once listening.
    pub open: bool,
    /// The language of the start-up lines and errors on the terminal (pages negotiate their own).
    pub lang: Lang,
}

impl ServeConfig {
    /// Returns the default configuration for `folder` (127.0.0.1:8080).
    #[must_use]
    pub fn new(folder: impl Into<PathBuf>) -> Self {
        Self {
            folder: folder.into(),
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            open: false,
            lang: Lang::Ja,
        }
    }
}

/// Returns the viewer's routes over `state` (no file watching: see [`watch::start`]).
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::portfolio))
        .route("/portfolio.json", get(download::portfolio_json))
        .route("/portfolio.csv", get(download::portfolio_csv))
        .route("/portfolio.xlsx", get(xlsx::portfolio_xlsx))
        .route("/ranking", get(ranking::ranking))
        .route("/candidates.csv", get(ranking::candidates_csv))
        .route("/candidates.xlsx", get(xlsx::portfolio_candidates_xlsx))
        .route("/p/{procedure}/{variant}", get(pages::process))
        .route(
            "/p/{procedure}/{variant}/diagram.svg",
            get(download::diagram_svg),
        )
        .route(
            "/p/{procedure}/{variant}/handoffs.svg",
            get(download::handoff_svg),
        )
        .route(
            "/p/{procedure}/{variant}/metrics.json",
            get(download::metrics_json),
        )
        .route(
            "/p/{procedure}/{variant}/metrics.csv",
            get(download::metrics_csv),
        )
        .route(
            "/p/{procedure}/{variant}/metrics.xlsx",
            get(xlsx::metrics_xlsx),
        )
        .route(
            "/p/{procedure}/{variant}/candidates.json",
            get(download::candidates_json),
        )
        .route(
            "/p/{procedure}/{variant}/candidates.csv",
            get(download::candidates_csv),
        )
        .route(
            "/p/{procedure}/{variant}/candidates.xlsx",
            get(xlsx::candidates_xlsx),
        )
        .route("/c/{procedure}", get(pages::compare))
        .route("/c/{procedure}/from.svg", get(download::compare_from_svg))
        .route("/c/{procedure}/to.svg", get(download::compare_to_svg))
        .route("/c/{procedure}/diff.json", get(download::diff_json))
        .route("/c/{procedure}/diff.csv", get(download::diff_csv))
        .route("/c/{procedure}/diff.xlsx", get(xlsx::diff_xlsx))
        .route("/events", get(pages::events))
        .route("/static/{file}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::host_guard,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .with_state(state)
}

/// Loads the folder, starts watching it and serves the viewer until Ctrl-C.
///
/// # Errors
/// If the folder cannot be read, the address cannot be bound or the watcher cannot start.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let folder = config.folder.clone();
    let state = tokio::task::spawn_blocking(move || AppState::load(&folder))
        .await
        .context("loading task failed")??;
    watch::start(&state)?;
    if !config.host.is_loopback() {
        state.allow_any_host();
    }
    let address = SocketAddr::new(config.host, config.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| match config.lang {
            Lang::Ja => format!("{address} で待ち受けできません"),
            Lang::En => format!("cannot listen on {address}"),
        })?;
    let bound = listener.local_addr().context("no local address")?;
    let url = display_url(bound);
    let snapshot = state.snapshot();
    let count = snapshot.procedures.len();
    let root = state.root().display();
    match config.lang {
        Lang::Ja => println!("nagare: {root} の {count} 件の手続を表示中"),
        Lang::En if count == 1 => println!("nagare: serving 1 procedure from {root}"),
        Lang::En => println!("nagare: serving {count} procedures from {root}"),
    }
    println!("nagare: {url}");
    if config.open {
        open_browser(&url);
    }
    // Ctrl-C stops accepting connections; open pages keep an event stream open forever, so
    // after a short grace period the server stops without waiting for them.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        // If the handler cannot be installed, serve until the process is killed.
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = stop_tx.send(true);
        }
    });
    let mut graceful_rx = stop_rx.clone();
    let server = axum::serve(listener, router(state))
        .with_graceful_shutdown(async move {
            let _ = graceful_rx.wait_for(|stop| *stop).await;
        })
        .into_future();
    let mut deadline_rx = stop_rx;
    let deadline = async move {
        let _ = deadline_rx.wait_for(|stop| *stop).await;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    };
    tokio::select! {
        result = server => result.context("server failed"),
        () = deadline => Ok(()),
    }
}

/// Returns the URL to print for a bound address (IPv6 in brackets).
#[must_use]
pub fn display_url(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

/// Asks the desktop to open `url`; failure only prints a note (the URL is printed anyway).
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("nagare: ブラウザを開けません / cannot open a browser ({program}): {error}");
    }
}

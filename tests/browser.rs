//! Browser tests in real headless Chromium: starts the viewer on a temporary copy of the fixture
//! models and runs `tests/browser/run.mjs` (playwright-core + axe-core), which checks the
//! portfolio, the compare marks, the language switch, live reload and accessibility, and saves
//! screenshots into `target/browser-screenshots`.
//!
//! Needs `/usr/bin/chromium` (or `$NAGARE_CHROMIUM`) and `npm ci` in `tests/browser`. Without them
//! the test prints SKIPPED and why; with the `CI` environment variable set it fails instead.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixtures") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Returns why the browser test cannot run here, if it cannot.
fn missing_prerequisite(browser_dir: &Path, chromium: &Path) -> Option<String> {
    if !chromium.exists() {
        return Some(format!(
            "Chromium not found at {} (apt-get install chromium fonts-noto-cjk, or set NAGARE_CHROMIUM)",
            chromium.display()
        ));
    }
    for package in ["playwright-core", "axe-core"] {
        if !browser_dir.join("node_modules").join(package).exists() {
            return Some(format!(
                "{package} is not installed (run `npm ci` in {})",
                browser_dir.display()
            ));
        }
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".to_owned());
    }
    None
}

#[test]
fn viewer_in_headless_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("browser");
    let chromium = std::env::var_os("NAGARE_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if let Some(why) = missing_prerequisite(&browser_dir, &chromium) {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser test cannot run in CI: {why}"
        );
        eprintln!("SKIPPED viewer_in_headless_chromium: {why}");
        return;
    }

    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&browser_dir.join("fixtures"), dir.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (url, server) = runtime.block_on(async {
        let state = nagare_web::AppState::load(dir.path()).expect("load fixtures");
        nagare_web::watch::start(&state).expect("watch");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = nagare_web::display_url(listener.local_addr().expect("address"));
        let app = nagare_web::router(state);
        let server = tokio::spawn(async move { axum::serve(listener, app).await });
        (url, server)
    });

    let screenshots = root.join("../target/browser-screenshots");
    let output = Command::new("node")
        .arg(browser_dir.join("run.mjs"))
        .arg(&url)
        .arg(dir.path())
        .arg(&screenshots)
        .env("NAGARE_CHROMIUM", &chromium)
        .current_dir(&browser_dir)
        .output()
        .expect("run node");
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

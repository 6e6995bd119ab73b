//! The web viewer (`nagare serve`): every page and download through the Router, escaping of
//! hostile labels, path traversal and symlinks, language choice, reloads, and one real server
//! on loopback driven by a real HTTP client (including live reload over Server-Sent Events).
//!
//! Fixtures are copied from `tests/browser/fixtures` into a temporary folder per test; only the
//! smoke test at the end reads the bundled `models/`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt as _;
use nagare_web::{AppState, router};
use tower::ServiceExt as _;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser/fixtures")
}

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

/// Returns a temporary copy of the fixtures and its app.
fn app() -> (tempfile::TempDir, AppState, Router) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixtures(), dir.path());
    let state = AppState::load(dir.path()).expect("load fixtures");
    let app = router(state.clone());
    (dir, state, app)
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

async fn get_with(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::builder().uri(uri);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    get_with(app, uri, &[]).await
}

#[tokio::test]
async fn portfolio_lists_procedures_totals_and_files_with_errors() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert!(r.body.contains("<html lang=\"ja\">"), "Japanese by default");
    assert!(r.body.contains("廃車申告テスト"));
    assert!(r.body.contains("href=\"/c/haisha\""), "compare link");
    assert!(r.body.contains("href=\"/p/haisha/as-is\""));
    assert!(r.body.contains("合計 (年間)"), "portfolio totals row");
    // 371.1 staff hours per year As-Is, 80 To-Be (metrics stage), shown with the delta.
    assert!(r.body.contains("371.1"), "As-Is staff hours shown");
    // The broken file is listed with a link straight to its diagnostics.
    assert!(r.body.contains("href=\"/p/broken/as-is#diagnostics\""));
    assert!(r.body.contains("broken/as-is.flow"));
}

#[tokio::test]
async fn procedures_with_errors_are_left_out_of_totals_and_ranking() {
    let (_dir, _state, app) = app();
    let ja = get(&app, "/").await.body;
    assert!(
        ja.contains("エラーのある 1 件は集計と優先順位から除外しています"),
        "the exclusion is said"
    );
    assert!(ja.contains("集計外"), "the row says it is not counted");
    let ranking = ja
        .split("id=\"ranking-h\"")
        .nth(1)
        .expect("ranking section")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert!(
        ranking.contains("廃車申告テスト"),
        "a valid procedure is ranked"
    );
    assert!(
        !ranking.contains("/p/broken/"),
        "the broken file is not ranked"
    );
    let en = get(&app, "/?lang=en").await.body;
    assert!(en.contains("Procedures with errors (1) are left out"));
}

#[tokio::test]
async fn excel_downloads_are_workbooks() {
    let (_dir, _state, app) = app();
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    for (uri, name) in [
        ("/portfolio.xlsx", "portfolio-metrics.xlsx"),
        ("/candidates.xlsx", "candidates.xlsx"),
        (
            "/p/haisha/as-is/candidates.xlsx",
            "haisha-as-is-candidates.xlsx",
        ),
        ("/c/haisha/diff.xlsx", "haisha-as-is-to-be-diff.xlsx"),
        ("/p/haisha/to-be/metrics.xlsx", "haisha-to-be-metrics.xlsx"),
        (
            "/c/haisha/diff.xlsx?lang=en",
            "haisha-as-is-to-be-diff.xlsx",
        ),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(r.header(header::CONTENT_TYPE), xlsx, "{uri}");
        assert!(
            r.header(header::CONTENT_DISPOSITION)
                .starts_with(&format!("attachment; filename=\"{name}\"")),
            "{uri}: {}",
            r.header(header::CONTENT_DISPOSITION)
        );
        assert!(r.body.starts_with("PK"), "{uri}: a zip container");
        assert!(r.body.len() > 1000, "{uri}: {} bytes", r.body.len());
    }
    for uri in [
        "/p/nope/as-is/candidates.xlsx",
        "/c/nope/diff.xlsx",
        "/c/haisha/diff.xlsx?to=nope",
        "/c/broken/diff.xlsx",
    ] {
        assert_eq!(get(&app, uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // The pages link to them.
    assert!(
        get(&app, "/")
            .await
            .body
            .contains("href=\"/portfolio.xlsx\"")
    );
    assert!(
        get(&app, "/")
            .await
            .body
            .contains("href=\"/candidates.xlsx\"")
    );
    assert!(
        get(&app, "/c/haisha")
            .await
            .body
            .contains("href=\"/c/haisha/diff.xlsx\"")
    );
    assert!(
        get(&app, "/p/haisha/as-is")
            .await
            .body
            .contains("href=\"/p/haisha/as-is/candidates.xlsx\"")
    );
}

#[tokio::test]
async fn durations_read_the_same_in_tables_tooltips_and_diagrams() {
    let (_dir, _state, app) = app();
    let page = get(&app, "/p/haisha/as-is").await.body;
    // S5 waits one day: the steps table (which the tooltip reads) and the diagram's own
    // description of the box say it the same way, never in raw minutes.
    let row = page
        .split("<tr data-key=\"S5\">")
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .expect("S5 row");
    assert!(row.contains("待ち 1日"), "{row}");
    let desc = page
        .split("data-step=\"S5\"")
        .nth(1)
        .and_then(|r| r.split("<desc>").nth(1))
        .and_then(|r| r.split("</desc>").next())
        .expect("S5 description");
    assert!(
        desc.contains("待ち 1日") && !desc.contains("1440"),
        "{desc}"
    );
    let en = get(&app, "/p/haisha/as-is?lang=en").await.body;
    assert!(en.contains("wait 1 d") && !en.contains("1440"));
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let (_dir, _state, app) = app();
    for uri in [
        "/",
        "/p/haisha/as-is",
        "/c/haisha",
        "/static/app.js",
        "/nope",
        "/p/haisha/as-is/diagram.svg",
    ] {
        let r = get(&app, uri).await;
        let csp = r.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("default-src 'none'"), "{uri}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe"),
            "{uri}: {csp}"
        );
        assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
        assert_eq!(r.header(header::REFERRER_POLICY), "no-referrer", "{uri}");
    }
}

#[tokio::test]
async fn foreign_host_names_are_refused_on_loopback() {
    let (_dir, state, app) = app();
    // DNS rebinding: another site's name pointed at 127.0.0.1 must not read the models.
    let r = get_with(
        &app,
        "/p/haisha/as-is/metrics.json",
        &[("host", "evil.example:8080")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(!r.body.contains("haisha"));
    for host in ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"] {
        assert_eq!(
            get_with(&app, "/", &[("host", host)]).await.status,
            StatusCode::OK,
            "{host}"
        );
    }
    // Serving on the network (`--host 0.0.0.0`) accepts any name.
    state.allow_any_host();
    assert_eq!(
        get_with(&app, "/", &[("host", "nagare.city.example")])
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn process_page_shows_diagram_steps_metrics_handoffs_and_candidates() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/p/haisha/as-is").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("data-diagram=\"main\""));
    assert!(
        r.body.contains("id=\"step-S4\""),
        "render stage's step ids kept"
    );
    assert!(r.body.contains("<table class=\"steps\" id=\"steps-main\">"));
    assert!(r.body.contains("税務システムに入力する"));
    assert!(r.body.contains("data-metric=\"handoffs.structural\""));
    assert!(r.body.contains("class=\"handoff-map\""));
    assert!(r.body.contains("class=\"candidates\""), "candidates listed");
    assert!(
        !r.body.contains("<style>"),
        "no inline style: the CSP forbids it"
    );
    assert!(!r.body.contains("style=\""), "no inline style attributes");
}

#[tokio::test]
async fn compare_page_marks_changes_and_links_them_to_both_diagrams() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/c/haisha").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "text/html; charset=utf-8");
    // Both diagrams, ids prefixed so they never collide.
    assert!(r.body.contains("id=\"from-step-S5\""));
    assert!(r.body.contains("id=\"to-step-S7\""));
    assert!(
        !r.body.contains("id=\"step-S1\""),
        "unprefixed id on the compare page"
    );
    // S5 and S6 are removed (declared in `削除:`), S7 is new, S4 moved to the RPA lane.
    assert!(
        r.body.contains("diff-removed\" data-step=\"S5\""),
        "S5 removed"
    );
    assert!(r.body.contains("diff-added\" data-step=\"S7\""), "S7 added");
    assert!(
        r.body.contains("data-from=\"S5\" data-to=\"\""),
        "removal linked to the As-Is box"
    );
    assert!(
        r.body.contains("data-from=\"S4\" data-to=\"S4\""),
        "change linked to both boxes"
    );
    assert!(r.body.contains("class=\"kpi\""), "KPI delta table");
    assert!(r.body.contains("class=\"bar-from\""), "KPI bars");
    assert!(r.body.contains("id=\"summary\""));
    // Marks never rely on colour alone: a legend with icons and words.
    assert!(r.body.contains("mark-removed") && r.body.contains("削除"));
}

#[tokio::test]
async fn compare_with_a_can_be_offers_both_targets() {
    let (dir, state, app) = app();
    let to_be = std::fs::read_to_string(dir.path().join("haisha/to-be.flow")).expect("read");
    std::fs::write(
        dir.path().join("haisha/can-be.flow"),
        to_be.replace("版: To-Be", "版: Can-Be"),
    )
    .expect("write");
    state.reload().expect("reload");
    let r = get(&app, "/c/haisha").await;
    assert!(r.body.contains("比較対象"), "choice of target shown");
    assert!(r.body.contains("href=\"/c/haisha?to=can-be\""));
    let r = get(&app, "/c/haisha?to=can-be&lang=en").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("href=\"/c/haisha/diff.json?to=can-be\""));
    assert!(
        r.body.contains("href=\"/c/haisha?to=can-be&#38;lang=ja\""),
        "switch keeps the target"
    );
    let diff: serde_json::Value =
        serde_json::from_str(&get(&app, "/c/haisha/diff.json?to=can-be").await.body).expect("json");
    assert_eq!(diff["to"], "haisha/can-be.flow");
    assert_eq!(
        get(&app, "/c/haisha?to=nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/c/haisha/diff.csv?to=nope").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn loose_flow_files_are_procedures_named_by_their_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("loose.flow"),
        "業務: ばらのファイル\n版: To-Be\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 申請する [電子]\n",
    )
    .expect("write");
    let app = router(AppState::load(dir.path()).expect("load"));
    let portfolio = get(&app, "/").await.body;
    assert!(portfolio.contains("ばらのファイル"));
    assert!(
        portfolio.contains("href=\"/p/loose/to-be\""),
        "variant from the 版: header"
    );
    assert_eq!(get(&app, "/p/loose/to-be").await.status, StatusCode::OK);
}

#[tokio::test]
async fn compare_without_a_to_be_explains_what_is_missing() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/c/broken").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("As-Is と To-Be"));
}

#[tokio::test]
async fn downloads_have_content_types_and_file_names() {
    let (_dir, _state, app) = app();
    let cases = [
        (
            "/p/haisha/as-is/diagram.svg",
            "image/svg+xml",
            "haisha-as-is.svg",
        ),
        (
            "/p/haisha/as-is/handoffs.svg",
            "image/svg+xml",
            "haisha-as-is-handoffs.svg",
        ),
        (
            "/p/haisha/as-is/metrics.json",
            "application/json",
            "haisha-as-is-metrics.json",
        ),
        (
            "/p/haisha/as-is/metrics.csv",
            "text/csv; charset=utf-8",
            "haisha-as-is-metrics.csv",
        ),
        (
            "/p/haisha/as-is/candidates.json",
            "application/json",
            "haisha-as-is-candidates.json",
        ),
        (
            "/p/haisha/as-is/candidates.csv",
            "text/csv; charset=utf-8",
            "haisha-as-is-candidates.csv",
        ),
        (
            "/c/haisha/from.svg",
            "image/svg+xml",
            "haisha-as-is-vs-to-be.svg",
        ),
        (
            "/c/haisha/to.svg",
            "image/svg+xml",
            "haisha-to-be-vs-as-is.svg",
        ),
        (
            "/c/haisha/diff.json",
            "application/json",
            "haisha-as-is-to-be-diff.json",
        ),
        (
            "/c/haisha/diff.csv",
            "text/csv; charset=utf-8",
            "haisha-as-is-to-be-diff.csv",
        ),
        ("/portfolio.json", "application/json", "portfolio.json"),
        ("/portfolio.csv", "text/csv; charset=utf-8", "portfolio.csv"),
    ];
    for (uri, content_type, name) in cases {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(r.header(header::CONTENT_TYPE), content_type, "{uri}");
        let disposition = r.header(header::CONTENT_DISPOSITION);
        assert!(
            disposition.starts_with(&format!(
                "attachment; filename=\"{name}\"; filename*=UTF-8''"
            )),
            "{uri}: {disposition}"
        );
        match content_type {
            "application/json" => {
                serde_json::from_str::<serde_json::Value>(&r.body).expect("valid JSON");
            }
            "image/svg+xml" => assert!(r.body.starts_with("<svg"), "{uri}"),
            _ => assert!(
                r.body.starts_with('\u{feff}') && r.body.contains("\r\n"),
                "{uri}"
            ),
        }
    }
    let diff: serde_json::Value =
        serde_json::from_str(&get(&app, "/c/haisha/diff.json").await.body).expect("json");
    assert!(
        diff["diff"]["changes"]
            .as_array()
            .is_some_and(|c| c.len() >= 6)
    );
    let metrics = get(&app, "/p/haisha/as-is/metrics.csv").await.body;
    assert!(metrics.contains("handoffs.structural,引継ぎ,Handoffs,"));
    // The SVG's own text follows the language.
    let en = get(&app, "/c/haisha/from.svg?lang=en").await.body;
    assert!(en.contains(">removed<") && !en.contains(">削除<"));
    for uri in ["/static/app.js", "/static/app.css", "/static/favicon.svg"] {
        assert_eq!(get(&app, uri).await.status, StatusCode::OK, "{uri}");
    }
    assert_eq!(
        get(&app, "/static/app.js")
            .await
            .header(header::CONTENT_TYPE),
        "text/javascript; charset=utf-8"
    );
}

#[tokio::test]
async fn non_ascii_download_names_have_an_ascii_fallback() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixtures().join("haisha"), &dir.path().join("廃車"));
    let app = router(AppState::load(dir.path()).expect("load"));
    let r = get(&app, "/p/%E5%BB%83%E8%BB%8A/as-is/diagram.svg").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header(header::CONTENT_DISPOSITION),
        "attachment; filename=\"__-as-is.svg\"; filename*=UTF-8''%E5%BB%83%E8%BB%8A-as-is.svg"
    );
    let page = get(&app, "/").await.body;
    assert!(
        page.contains("href=\"/p/%E5%BB%83%E8%BB%8A/as-is\""),
        "links are percent-encoded"
    );
}

#[tokio::test]
async fn hostile_labels_are_escaped_everywhere() {
    let (_dir, _state, app) = app();
    for uri in [
        "/",
        "/p/xss/as-is",
        "/p/xss/to-be",
        "/c/xss",
        "/p/xss/as-is/diagram.svg",
        "/p/xss/as-is/handoffs.svg",
        "/c/xss/from.svg",
        "/c/xss/to.svg",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        for raw in [
            "<script>alert",
            "<img src=x",
            "<i>住民",
            "<b>申請書",
            "<b>:",
        ] {
            assert!(!r.body.contains(raw), "{uri} contains unescaped {raw}");
        }
        // The handoff map shows only actors, so it has no process name to look for.
        assert!(
            uri.ends_with("handoffs.svg")
                || [
                    "&lt;script&gt;alert(",
                    "&#60;script&#62;alert(",
                    "&lt;script>alert("
                ]
                .iter()
                .any(|e| r.body.contains(e)),
            "{uri}: the label is shown, escaped"
        );
    }
    // askama escapes with numeric references (`&#60;`), the render stage with named ones.
    let page = get(&app, "/p/xss/as-is").await.body;
    assert!(page.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(page.contains("&#34;quoted&#34;"));
    // A literal `&amp;` in an actor name stays visible as written: escaped once more.
    assert!(page.contains("&#38;amp;") && page.contains("&amp;amp;"));
    let json = get(&app, "/p/xss/as-is/metrics.json").await;
    assert_eq!(json.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
}

#[tokio::test]
async fn route_parameters_never_reach_the_file_system() {
    let (dir, _state, app) = app();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(outside.path().join("secret")).expect("mkdir");
    std::fs::write(
        outside.path().join("secret/as-is.flow"),
        "業務: TOPSECRET\n担当:\n  a: 住民\n流れ:\n  S1 a: x\n",
    )
    .expect("write");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("secret"), dir.path().join("escape"))
            .expect("symlink dir");
        std::os::unix::fs::symlink(
            outside.path().join("secret/as-is.flow"),
            dir.path().join("haisha/evil.flow"),
        )
        .expect("symlink file");
    }
    // Reload with the symlinks in place (they must be refused by the scan).
    let state = AppState::load(dir.path()).expect("load");
    let app2 = router(state);
    for app in [&app, &app2] {
        for uri in [
            "/p/..%2f..%2fetc/passwd",
            "/p/..%2F..%2F..%2Fetc%2Fpasswd/as-is",
            "/p/%2e%2e/%2e%2e",
            "/p/..%5c..%5cwindows/win.ini",
            "/p/haisha/..%2f..%2f..%2fetc%2fpasswd",
            "/p/haisha/..%5Cas-is.flow",
            "/p/haisha/as-is.flow",
            "/p/../p/haisha/as-is/../../../etc/passwd",
            "/c/..%2f..%2fetc",
            "/c/%2e%2e",
            "/static/..%2fCargo.toml",
            "/static/%2e%2e%2f%2e%2e%2fCargo.toml",
            "/static/..%5c..%5cCargo.toml",
            "/p/escape/as-is",
            "/p/haisha/evil",
            "/p/escape/as-is/diagram.svg",
            "/c/escape/diff.json",
        ] {
            let r = get(app, uri).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
            assert!(
                !r.body.contains("root:") && !r.body.contains("TOPSECRET"),
                "{uri}"
            );
            assert!(!r.body.contains("[workspace]"), "{uri}");
        }
        let portfolio = get(app, "/").await.body;
        assert!(
            !portfolio.contains("TOPSECRET"),
            "a symlink out of the folder was followed"
        );
    }
    #[cfg(unix)]
    assert!(
        get(&app2, "/")
            .await
            .body
            .contains("points outside the served folder"),
        "refused symlinks are reported"
    );
}

#[tokio::test]
async fn files_with_errors_show_diagnostics_with_line_and_column() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/p/broken/as-is").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"diagnostics\""));
    // `S2 まどぐち:` on line 10 names an undeclared actor (column 6 counts characters).
    assert!(
        r.body.contains("broken/as-is.flow:10:6"),
        "line:column shown"
    );
    assert!(r.body.contains("class=\"caret\""), "caret under the source");
    // The span is highlighted in the source line, and the caret line starts with the same
    // text drawn invisible (not spaces), so the caret lines up in any font.
    assert!(
        r.body
            .contains("S2 <span class=\"at\">まどぐち</span>: 受け付ける"),
        "source excerpt with the span highlighted"
    );
    assert!(
        r.body
            .contains("<span class=\"caret-pad\" aria-hidden=\"true\">  S2 </span><span class=\"caret\">^^^^^^^^</span>"),
        "caret after the invisible source text"
    );
    // As much of the diagram as can be drawn.
    assert!(r.body.contains("data-diagram=\"main\""));
    let en = get(&app, "/p/broken/as-is?lang=en").await.body;
    assert!(en.contains("(line 10, column 6)"));
}

#[tokio::test]
async fn language_from_query_cookie_and_accept_language() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/?lang=en").await;
    assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("Procedures"));
    assert!(r.header(header::SET_COOKIE).starts_with("lang=en; Path=/"));
    assert!(r.body.contains("href=\"/?lang=ja\""), "visible switch back");
    let r = get_with(&app, "/c/haisha", &[("cookie", "lang=en")]).await;
    assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("Change in metrics"));
    assert!(
        r.header(header::SET_COOKIE).is_empty(),
        "cookie only set on an explicit choice"
    );
    // Japanese unless English is asked for with the switch: an English browser gets Japanese.
    let r = get_with(&app, "/", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(r.body.contains("<html lang=\"ja\">") && r.body.contains("手続一覧"));
    let r = get(&app, "/p/missing/as-is?lang=en").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Page not found"));
}

#[tokio::test]
async fn reload_picks_up_edits_additions_and_deletions() {
    let (dir, state, app) = app();
    let generation = state.snapshot().generation;
    let to_be = dir.path().join("haisha/to-be.flow");
    let text = std::fs::read_to_string(&to_be).expect("read");
    std::fs::write(
        &to_be,
        text.replace("オンラインで申請する", "スマホで申請する"),
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("new-proc")).expect("mkdir");
    std::fs::write(
        dir.path().join("new-proc/as-is.flow"),
        "業務: 新しい手続\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 申請する\n",
    )
    .expect("write");
    assert_eq!(state.reload().expect("reload"), generation + 1);
    assert!(
        get(&app, "/c/haisha")
            .await
            .body
            .contains("スマホで申請する")
    );
    assert_eq!(get(&app, "/p/new-proc/as-is").await.status, StatusCode::OK);
    assert!(get(&app, "/").await.body.contains("新しい手続"));
    std::fs::remove_file(&to_be).expect("rm");
    state.reload().expect("reload");
    assert_eq!(
        get(&app, "/p/haisha/to-be").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&app, "/c/haisha").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn events_stream_starts_with_the_current_generation() {
    let (_dir, state, app) = app();
    let response = app
        .clone()
        .oneshot(
            Request::get("/events")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();
    let frame = body.frame().await.expect("a frame").expect("ok");
    let text = String::from_utf8_lossy(frame.data_ref().expect("data")).into_owned();
    let generation = state.snapshot().generation;
    assert!(
        text.contains(&format!("event: reload\ndata: {generation}\n")),
        "{text}"
    );
}

/// A real server on 127.0.0.1 with the file watcher, a real HTTP client, and a live reload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_server_on_loopback_serves_pages_and_announces_saves() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixtures(), dir.path());
    let state = AppState::load(dir.path()).expect("load");
    nagare_web::watch::start(&state).expect("watch");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    assert!(address.ip().is_loopback());
    let app = router(state.clone());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let base = nagare_web::display_url(address);
    let client = reqwest::Client::new();

    for path in [
        "",
        "p/haisha/as-is",
        "c/haisha",
        "p/broken/as-is",
        "static/app.js",
    ] {
        let response = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
    }
    let response = client
        .get(format!("{base}p/..%2f..%2fetc/passwd"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);

    // Live reload: subscribe, save a file the way editors do (write + rename), and the stream
    // announces the next generation.
    let mut events = client
        .get(format!("{base}events"))
        .send()
        .await
        .expect("events");
    let first =
        String::from_utf8_lossy(&events.chunk().await.expect("chunk").expect("data")).into_owned();
    let generation = state.snapshot().generation;
    assert!(first.contains(&format!("data: {generation}")), "{first}");
    let to_be = dir.path().join("haisha/to-be.flow");
    let text = std::fs::read_to_string(&to_be).expect("read");
    let temp = dir.path().join("haisha/.to-be.flow.swp");
    let saved = Instant::now();
    std::fs::write(
        &temp,
        text.replace("オンラインで申請する", "スマホで申請する"),
    )
    .expect("write");
    std::fs::rename(&temp, &to_be).expect("rename");
    let announced = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let chunk = events.chunk().await.expect("chunk").expect("stream open");
            let text = String::from_utf8_lossy(&chunk).into_owned();
            if text.contains(&format!("data: {}", generation + 1)) {
                return saved.elapsed();
            }
        }
    })
    .await
    .expect("reload announced within 5 s");
    assert!(
        announced < Duration::from_secs(1),
        "announced after {announced:?}"
    );
    let page = client
        .get(format!("{base}c/haisha"))
        .send()
        .await
        .expect("GET");
    assert!(
        page.text()
            .await
            .expect("text")
            .contains("スマホで申請する")
    );
    server.abort();
}

/// The bundled models: every page and download answers 200.
#[tokio::test]
async fn smoke_every_page_of_the_bundled_models() {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    let state = AppState::load(&models).expect("load models/");
    let app = router(state.clone());
    let snapshot = state.snapshot();
    assert!(snapshot.procedures.len() >= 5, "models/ has procedures");
    let mut uris = vec![
        "/".to_owned(),
        "/portfolio.csv".to_owned(),
        "/portfolio.json".to_owned(),
        "/portfolio.xlsx".to_owned(),
        "/candidates.xlsx".to_owned(),
    ];
    for procedure in snapshot.procedures.values() {
        let name = nagare_web::views::encode_segment(&procedure.name);
        if procedure.pair.is_some() {
            uris.extend(
                [
                    "",
                    "/diff.json",
                    "/diff.csv",
                    "/diff.xlsx",
                    "/from.svg",
                    "/to.svg",
                ]
                .map(|s| format!("/c/{name}{s}")),
            );
        }
        for entry in &procedure.entries {
            let base = format!(
                "/p/{name}/{}",
                nagare_web::views::encode_segment(&entry.slug)
            );
            uris.extend(
                [
                    "",
                    "/diagram.svg",
                    "/handoffs.svg",
                    "/metrics.json",
                    "/metrics.csv",
                    "/candidates.json",
                    "/candidates.csv",
                    "/candidates.xlsx",
                    "/metrics.xlsx",
                ]
                .map(|s| format!("{base}{s}")),
            );
        }
    }
    for uri in &uris {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        if !uri.ends_with(".xlsx") {
            assert!(!has_negative_zero(&r.body), "{uri} shows a negative zero");
        }
    }
    // The English pages too (their numbers are formatted separately).
    for uri in uris.iter().filter(|u| !u.contains('.')) {
        let body = get(&app, &format!("{uri}?lang=en")).await.body;
        assert!(
            !has_negative_zero(&body),
            "{uri}?lang=en shows a negative zero"
        );
    }
}

/// Returns true if `text` has `-0`, `−0`, `-0.0`… that is not the start of a larger number
/// (`−0.02` is fine, `−0.0 h` is not).
fn has_negative_zero(text: &str) -> bool {
    ["-0", "−0"].iter().any(|sign| {
        text.match_indices(sign).any(|(at, m)| {
            let before = text[..at].chars().next_back();
            // `2024-01` or `x-0` are not numbers with a sign.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                return false;
            }
            let rest = &text[at + m.len()..];
            let digits: String = rest
                .chars()
                .take_while(|c| *c == '.' || *c == '0')
                .collect();
            let next = rest[digits.len()..].chars().next();
            !next.is_some_and(|c| c.is_ascii_digit())
        })
    })
}

#[test]
fn negative_zero_detector_tells_zero_from_small_numbers() {
    assert!(has_negative_zero("saves −0.0 h"));
    assert!(has_negative_zero("<td>-0</td>"));
    assert!(!has_negative_zero("−0.02 (改善)"));
    assert!(!has_negative_zero("2024-01-02, step-0, −0.5"));
}

#[tokio::test]
async fn ranking_page_lists_procedures_by_hours_saved_and_every_finding() {
    let (_dir, _state, app) = app();
    let ja = get(&app, "/ranking").await;
    assert_eq!(ja.status, StatusCode::OK);
    assert_eq!(ja.header(header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert!(ja.body.contains("<html lang=\"ja\">"));
    assert!(ja.body.contains("<h1>改善候補の優先順位</h1>"));
    // The candidates stage's column title and the Japanese rule names.
    assert!(ja.body.contains("削減時間が最大の候補"));
    assert!(ja.body.contains("オンライン申請"), "rule names in Japanese");
    assert!(ja.body.contains("廃車申告テスト"));
    // Each procedure links to its process page's candidates and to its findings below.
    assert!(ja.body.contains("href=\"/p/haisha/as-is#candidates\""));
    assert!(ja.body.contains("href=\"#findings-haisha\""));
    assert!(ja.body.contains("id=\"findings-haisha\""));
    // Steps of a finding link to their rows on the process page, which has those anchors.
    assert!(ja.body.contains("href=\"/p/haisha/as-is#row-"));
    let process = get(&app, "/p/haisha/as-is").await.body;
    assert!(process.contains("id=\"row-S1\""), "step rows have anchors");
    // The procedure with errors is left out, and it is said.
    assert!(
        ja.body
            .contains("エラーのある 1 件は集計と優先順位から除外しています")
    );
    assert!(
        !ja.body.contains("/p/broken/"),
        "the broken file is not ranked"
    );
    // Downloads.
    assert!(ja.body.contains("href=\"/candidates.csv\""));
    assert!(ja.body.contains("href=\"/candidates.xlsx\""));

    let en = get(&app, "/ranking?lang=en").await;
    assert_eq!(en.status, StatusCode::OK);
    assert_eq!(en.header(header::CONTENT_TYPE), "text/html; charset=utf-8");
    assert!(en.body.contains("<html lang=\"en\">"));
    assert!(en.body.contains("Largest saving"));
    assert!(
        en.body.contains("Online application"),
        "rule names in English"
    );
    assert!(en.body.contains("Procedures with errors (1) are left out"));
    assert!(
        !en.body.contains("改善候補の優先順位"),
        "no Japanese UI text"
    );
}

#[tokio::test]
async fn ranking_is_linked_from_the_nav_and_the_portfolio() {
    let (_dir, _state, app) = app();
    for uri in ["/", "/p/haisha/as-is", "/c/haisha", "/ranking", "/nope"] {
        let body = get(&app, uri).await.body;
        assert!(
            body.contains("<a href=\"/\">手続一覧</a> <a href=\"/ranking\">優先順位</a>"),
            "{uri}: nav link beside the portfolio"
        );
    }
    let portfolio = get(&app, "/").await.body;
    let section = portfolio
        .split("id=\"ranking-h\"")
        .nth(1)
        .expect("ranking section")
        .split("</section>")
        .next()
        .unwrap_or_default();
    assert!(section.contains("href=\"/ranking\""));
    assert!(section.contains("href=\"/candidates.csv\""));
}

#[tokio::test]
async fn ranking_csv_is_the_candidates_stage_ranking_with_bom_and_crlf() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/candidates.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert!(
        r.header(header::CONTENT_DISPOSITION)
            .starts_with("attachment; filename=\"candidates.csv\""),
        "{}",
        r.header(header::CONTENT_DISPOSITION)
    );
    let body = r.body.strip_prefix('\u{feff}').expect("byte order mark");
    let mut lines = body.split("\r\n");
    assert_eq!(
        lines.next(),
        Some(
            "rank,process,name,volume_per_year,staff_hours,resident_hours,total_hours,findings,top_rule,top_score,top_title,top_hours"
        )
    );
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    assert!(rows.iter().any(|l| l.starts_with("1,")), "{rows:?}");
    assert!(
        rows.iter().any(|l| l.contains("廃車申告テスト")),
        "{rows:?}"
    );
    assert!(!body.replace("\r\n", "").contains('\n'), "CRLF only");
    // Titles in the chosen language.
    let en = get(&app, "/candidates.csv?lang=en").await.body;
    assert!(en.starts_with('\u{feff}'));
    assert_ne!(en, r.body, "the top finding's title follows the language");
}

#[tokio::test]
async fn ranking_page_escapes_hostile_procedure_names() {
    let (_dir, _state, app) = app();
    let r = get(&app, "/ranking").await;
    assert_eq!(r.status, StatusCode::OK);
    for raw in ["<script>alert", "<img src=x", "<i>住民", "<b>申請書"] {
        assert!(!r.body.contains(raw), "ranking contains unescaped {raw}");
    }
    assert!(
        r.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "the hostile name is ranked and shown escaped"
    );
}

#[tokio::test]
async fn a_to_be_without_its_as_is_fills_the_to_be_column() {
    let (dir, _state, _app) = app();
    let folder = dir.path().join("tobe-only");
    std::fs::create_dir_all(&folder).expect("mkdir");
    std::fs::write(
        folder.join("to-be.flow"),
        "業務: 新しい申請\n版: To-Be\n件数: 250/年\n\n担当:\n  住民: 住民\n  窓口: 職員\n\n流れ:\n  S1 住民: オンラインで申請する [電子, 5分]\n  S2 窓口: 画面で確認する [電子, 6分]\n",
    )
    .expect("write");
    let app = router(AppState::load(dir.path()).expect("load"));
    let body = get(&app, "/").await.body;
    let row = body
        .split("data-procedure=\"tobe-only\"")
        .nth(1)
        .expect("row of the To-Be-only procedure")
        .split("</tr>")
        .next()
        .unwrap_or_default();
    // Before: its To-Be figures were shown in the As-Is column (`25.0 → —`).
    assert!(
        row.contains("<span class=\"from\">—</span> → <span class=\"to\">25.0</span>"),
        "the To-Be's 25.0 staff hours/year are in the To-Be column: {row}"
    );
    assert!(row.contains(">250<"), "its volume is shown");
    assert!(
        row.contains("href=\"/p/tobe-only/to-be\">新しい申請</a>"),
        "a procedure without a comparison links its name to its only variant"
    );
}

#[tokio::test]
async fn error_counts_read_as_words_in_both_languages() {
    let (_dir, _state, app) = app();
    let en = get(&app, "/p/broken/as-is?lang=en").await.body;
    let ja = get(&app, "/p/broken/as-is?lang=ja").await.body;
    let count = ja.matches("class=\"diag is-error\"").count();
    assert!(count > 1, "the fixture has several errors");
    assert!(en.contains(&format!(">{count} errors</span>")));
    assert!(ja.contains(&format!(">{count} エラー</span>")));
    // One error is singular in English (it read `1 errors`).
    let (dir, _state, _app) = self::app();
    std::fs::write(
        dir.path().join("broken/as-is.flow"),
        "業務: 壊れた手続\n版: As-Is\n\n担当:\n  住民: 住民\n\n流れ:\n  S1 住民: 申請書を書く [紙, 10ふん]\n",
    )
    .expect("write");
    let app = router(AppState::load(dir.path()).expect("load"));
    let en = get(&app, "/p/broken/as-is?lang=en").await.body;
    assert!(en.contains(">1 error</span>"), "singular");
    assert!(!en.contains("1 errors"));
}

#[tokio::test]
async fn a_comparison_of_a_file_with_errors_says_it_is_partial() {
    let (dir, _state, app) = app();
    let clean = get(&app, "/c/haisha").await.body;
    assert!(
        !clean.contains("id=\"compare-errors\""),
        "no notice without errors"
    );
    let path = dir.path().join("haisha/to-be.flow");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("  S9 まどぐち: 確認する [5分]\n");
    std::fs::write(&path, text).expect("write");
    let app = router(AppState::load(dir.path()).expect("load"));
    let ja = get(&app, "/c/haisha").await.body;
    assert!(ja.contains("id=\"compare-errors\""));
    assert!(ja.contains("読み取れた部分だけ"));
    let en = get(&app, "/c/haisha?lang=en").await.body;
    assert!(en.contains("covers only what could be read"));
}

#[tokio::test]
async fn the_ranking_shows_its_sort_key_and_savings_with_units() {
    let (_dir, _state, app) = app();
    let ja = get(&app, "/ranking").await.body;
    // Units in column titles carry a word joiner, so `(時間/年)` never breaks at its slash.
    assert!(
        ja.contains("削減時間の合計 (時間/\u{2060}年)"),
        "the ranking key is a column"
    );
    assert!(ja.contains("職員の削減時間 (時間/\u{2060}年)"));
    // Each finding's savings carry their unit (it read `削減時間 (時間/年) 0.0`).
    assert!(ja.contains("削減見込み: 職員 "), "{ja}");
    assert!(ja.contains(" 時間/年、住民 "));
    let en = get(&app, "/ranking?lang=en").await.body;
    assert!(en.contains("Total hours saved/year"));
    assert!(en.contains(" staff hours and "));
    let portfolio = get(&app, "/").await.body;
    assert!(portfolio.contains("削減時間の合計 (時間/\u{2060}年)"));
    assert!(portfolio.contains("業務量 (時間/\u{2060}年)"));
}

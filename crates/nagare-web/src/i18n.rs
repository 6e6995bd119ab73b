//! Every UI string of the viewer in Japanese and English, and how a request chooses its language.
//!
//! Labels written in the user's models are shown as written; only the viewer's own words are
//! translated here. A test checks that every key used by a template exists in the table.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;
pub use nagare::syntax::Lang;

/// The table: key, Japanese, English. Sorted by key (a test checks it): lookups are a binary
/// search and a reader finds entries quickly. Column titles write their unit as
/// `(時間/\u{2060}年)`: the invisible word joiner keeps a wrapping title from breaking the unit
/// after its slash (`(時間/` then `年)`).
const TABLE: &[(&str, &str, &str)] = &[
    ("action.compare", "比較する", "Compare"),
    ("attr.attach", "添付", "attach"),
    ("attr.decision", "判断", "decision"),
    ("attr.end", "終了", "end"),
    ("attr.exceptions", "例外", "exceptions"),
    ("attr.fill", "記入", "fill"),
    ("attr.id_check", "本人確認", "ID check"),
    ("attr.inspection", "現地調査", "inspection"),
    ("attr.item", "現物", "item"),
    ("attr.legal_paper", "法定紙", "legal paper"),
    ("attr.legal_presence", "法定対面", "legal presence"),
    ("attr.manual_check", "全件目視", "manual check"),
    ("attr.note", "備考", "note"),
    ("attr.produce", "作成", "produce"),
    ("attr.read", "参照", "read"),
    ("attr.replaces", "置換", "replaces"),
    ("attr.rule_based", "定型", "rule-based"),
    ("attr.seal", "押印", "seal"),
    ("attr.signature", "署名", "signature"),
    ("attr.start", "開始", "start"),
    ("attr.subprocess", "サブプロセス", "subprocess"),
    ("attr.system", "システム", "system"),
    ("attr.transcribe", "転記", "transcribe"),
    ("attr.visit", "来庁", "visit"),
    ("attr.wait", "待ち", "wait"),
    ("attr.waiting", "待機", "waiting"),
    ("cand.caveats", "注意点", "Caveats"),
    (
        "cand.hours",
        "職員の削減時間 (時間/\u{2060}年)",
        "Staff hours saved/year",
    ),
    (
        "cand.none",
        "改善候補は見つかりませんでした",
        "No candidates found",
    ),
    (
        "cand.pending",
        "改善候補は準備中です",
        "Candidates are not available yet",
    ),
    (
        "cand.resident_hours",
        "住民の削減時間 (時間/\u{2060}年)",
        "Resident hours saved/year",
    ),
    (
        "cand.saving",
        "点数 {score}・削減見込み: 職員 {staff} 時間/年、住民 {resident} 時間/年",
        "Score {score} · saves {staff} staff hours and {resident} resident hours a year",
    ),
    ("cand.score", "点数", "Score"),
    ("cand.steps", "対象の手順", "Steps"),
    (
        "cand.total_hours",
        "削減時間の合計 (時間/\u{2060}年)",
        "Total hours saved/year",
    ),
    ("col.asis", "As-Is", "As-Is"),
    ("col.delta", "差", "Change"),
    (
        "col.handoffs",
        "引継ぎ (人から人、1件あたり)",
        "Handoffs between people per case",
    ),
    ("col.hours", "業務量 (時間/\u{2060}年)", "Staff hours/year"),
    (
        "col.paper",
        "紙接点 (回/\u{2060}年)",
        "Paper touchpoints/year",
    ),
    ("col.pct", "増減率", "Change %"),
    ("col.procedure", "手続", "Procedure"),
    ("col.status", "状態", "Status"),
    ("col.tobe", "To-Be", "To-Be"),
    ("col.variants", "版", "Variants"),
    (
        "col.visits",
        "来庁回数 (回/\u{2060}年)",
        "Office visits/year",
    ),
    ("col.volume", "件数/年", "Cases/year"),
    ("compare.changes", "手順の変化", "Step changes"),
    (
        "compare.changes_help",
        "項目を押すと両方の図で該当する手順を表示します",
        "Select an item to show its steps in both diagrams",
    ),
    (
        "compare.has_errors",
        "As-Is か To-Be のファイルにエラーがあります。この比較は読み取れた部分だけのものなので、先に各版のページでエラーを直してください",
        "The As-Is or the To-Be file has errors: this comparison covers only what could be read. Fix the errors on each variant's page first",
    ),
    ("compare.kpi", "指標の変化", "Change in metrics"),
    ("compare.layout", "配置", "Layout"),
    (
        "compare.missing",
        "比較には As-Is と To-Be (または Can-Be) の両方のファイルが必要です",
        "Comparing needs both an As-Is and a To-Be (or Can-Be) file",
    ),
    (
        "compare.no_changes",
        "手順の変化はありません",
        "No step changes",
    ),
    (
        "compare.pending",
        "差分は準備中です",
        "The comparison is not available yet",
    ),
    ("compare.side", "横並び", "Side by side"),
    ("compare.similarity", "類似度", "Similarity"),
    (
        "compare.similarity_help",
        "As-Is と To-Be の流れがどれだけ同じか: 残った手順 (変化の大きさで重み付け) と残ったつながりの割合。100% は同じ流れ、0% はすべて作り直し",
        "How much of the As-Is flow the To-Be keeps: the share of steps kept (weighted by how much they changed) and of connections kept. 100% is the same flow, 0% a complete redesign",
    ),
    ("compare.stacked", "縦並び", "Stacked"),
    ("compare.target", "比較対象", "Compare with"),
    ("compare.title", "比較", "Compare"),
    ("diag.column", "列", "column"),
    ("diag.error", "エラー", "error"),
    ("diag.hint", "ヒント", "hint"),
    ("diag.line", "行", "line"),
    ("diag.warning", "警告", "warning"),
    ("diagram.actual", "原寸 (100%)", "Actual size (100%)"),
    (
        "diagram.candidates",
        "紫の太い枠は、改善候補のある手順です（下の「改善候補」を参照）。",
        "A thick purple outline marks a step with an improvement candidate (see Improvement candidates below).",
    ),
    ("diagram.fit", "全体表示", "Fit"),
    (
        "diagram.help",
        "ドラッグで移動、+/− で拡大縮小、0 で全体表示。全体表示ではホイールで拡大縮小、幅に合わせる・原寸ではホイールでスクロール (Ctrl+ホイールで拡大縮小)",
        "Drag to pan, +/− to zoom, 0 to fit. When fitted the wheel zooms; in fit width and actual size it scrolls (Ctrl+wheel zooms)",
    ),
    (
        "diagram.partial",
        "このファイルにはエラーがあるため、図は描ける部分だけを表示しています",
        "This file has errors: the diagram shows only what could be drawn",
    ),
    (
        "diagram.pending",
        "図は準備中です",
        "The diagram is not available yet",
    ),
    ("diagram.view", "表示方法", "View"),
    ("diagram.width", "幅に合わせる", "Fit width"),
    ("diagram.zoom_in", "拡大", "Zoom in"),
    ("diagram.zoom_out", "縮小", "Zoom out"),
    ("dl.title", "ダウンロード", "Download"),
    ("error.back", "一覧に戻る", "Back to the portfolio"),
    (
        "error.not_found",
        "ページが見つかりません",
        "Page not found",
    ),
    (
        "error.not_found_detail",
        "この手続または版はフォルダにありません",
        "This procedure or variant is not in the folder",
    ),
    ("legend.title", "凡例", "Legend"),
    (
        "live.updated",
        "ファイルが更新されたため表示を更新しました",
        "The file changed: the page was updated",
    ),
    ("mark.added", "追加", "added"),
    ("mark.changed", "変更", "changed"),
    ("mark.removed", "削除", "removed"),
    ("medium.digital", "電子", "digital"),
    ("medium.email", "メール", "email"),
    ("medium.fax", "FAX", "fax"),
    ("medium.in_person", "対面", "in person"),
    ("medium.mail", "郵送", "mail"),
    ("medium.paper", "紙", "paper"),
    ("medium.phone", "電話", "phone"),
    ("metric.name", "指標", "Metric"),
    ("metric.value", "値", "Value"),
    ("nav.label", "メイン", "Main"),
    ("nav.portfolio", "手続一覧", "Portfolio"),
    ("nav.ranking", "優先順位", "Ranking"),
    ("nav.skip", "本文へ移動", "Skip to content"),
    (
        "nav.tagline",
        "業務フローの As-Is / To-Be",
        "As-Is / To-Be process flows",
    ),
    (
        "portfolio.empty",
        "このフォルダには .flow ファイルがありません",
        "There are no .flow files in this folder",
    ),
    (
        "portfolio.errors",
        "エラーのあるファイル",
        "Files with errors",
    ),
    (
        "portfolio.excluded",
        "エラーのある {n} 件は集計と優先順位から除外しています（ファイルを直すと含まれます）",
        "Procedures with errors ({n}) are left out of the totals and the ranking (fix the files to include them)",
    ),
    ("portfolio.findings", "候補数", "Candidates"),
    (
        "portfolio.intro",
        "フォルダ内のすべての手続と、As-Is から To-Be への効果",
        "Every procedure in the folder and its As-Is → To-Be effect",
    ),
    ("portfolio.rank", "順位", "Rank"),
    (
        "portfolio.ranking",
        "改善候補の優先順位 (削減時間の合計が大きい順)",
        "Where to start: procedures by total hours saved",
    ),
    (
        "portfolio.ranking_note",
        "As-Is の改善候補による年間の削減見込みです。職員と住民の削減時間の合計が大きい順に並べ、同じ手順は一度だけ数えます",
        "Hours per year the As-Is candidates would save, staff and residents together, largest first; each step is counted once",
    ),
    ("portfolio.title", "手続一覧", "Procedures"),
    ("portfolio.top", "主な候補", "Top candidate"),
    ("portfolio.totals", "合計 (年間)", "Total (per year)"),
    (
        "portfolio.totals_note",
        "来庁回数と紙接点は 1件あたりの値 × 件数/年 の年間合計です",
        "Visits and paper touchpoints are annual totals: per case × cases per year",
    ),
    ("process.candidates", "改善候補", "Improvement candidates"),
    ("process.diagnostics", "診断", "Diagnostics"),
    ("process.diagram", "業務フロー図", "Flow diagram"),
    ("process.file", "ファイル", "File"),
    ("process.handoffs", "引継ぎマップ", "Handoff map"),
    ("process.metrics", "指標", "Metrics"),
    ("process.steps", "手順の一覧", "Steps"),
    ("process.volume", "件数", "Volume"),
    (
        "ranking.details",
        "手続ごとの改善候補",
        "Candidates by procedure",
    ),
    (
        "ranking.empty",
        "優先順位を付けられる手続がありません",
        "There is no procedure to rank",
    ),
    (
        "ranking.more",
        "優先順位とすべての改善候補を見る",
        "See the full ranking and every candidate",
    ),
    ("ranking.open", "候補を見る", "View candidates"),
    ("ranking.rules", "該当ルール", "Rules"),
    ("ranking.title", "改善候補の優先順位", "Candidates ranking"),
    (
        "ranking.top_hours",
        "その候補の削減時間 (時間/\u{2060}年)",
        "Its hours saved/year",
    ),
    ("status.error", "エラー", "error"),
    ("status.errors", "エラー", "errors"),
    ("status.excluded", "集計外", "not counted"),
    ("status.ok", "正常", "OK"),
    ("step.actor", "担当", "Actor"),
    ("step.attrs", "属性", "Attributes"),
    ("step.id", "ID", "ID"),
    ("step.label", "手順", "Step"),
    (
        "step.show",
        "図でこの手順を表示",
        "Show this step in the diagram",
    ),
    ("step.show_all", "すべて図で表示", "Show all in the diagram"),
    ("trend.better", "改善", "better"),
    ("trend.worse", "悪化", "worse"),
    ("unit.day", "日", " d"),
    ("unit.hour", "時間", " h"),
    ("unit.minute", "分", " min"),
    ("unit.per_year", "/年", "/year"),
];

/// Returns the UI string `key` in `lang`; an unknown key is returned as is (a test forbids them).
#[must_use]
pub fn t(key: &'static str, lang: Lang) -> &'static str {
    match TABLE.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
        Ok(i) => match lang {
            Lang::Ja => TABLE[i].1,
            Lang::En => TABLE[i].2,
        },
        Err(_) => key,
    }
}

/// Returns true if `key` is in the table.
#[must_use]
pub fn has_key(key: &str) -> bool {
    TABLE.binary_search_by(|(k, _, _)| (*k).cmp(key)).is_ok()
}

/// Returns the language code used in `lang=` query parameters, cookies and `<html lang>`.
#[must_use]
pub fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// Returns the language named by a `lang=` value or cookie (`ja`, `en`, `en-US`…), if any.
#[must_use]
pub fn parse_code(value: &str) -> Option<Lang> {
    let primary = value.split(['-', '_']).next()?.trim().to_ascii_lowercase();
    match primary.as_str() {
        "ja" => Some(Lang::Ja),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// Where the language of a response came from: an explicit `?lang=` must also set the cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangSource {
    Query,
    Cookie,
    Default,
}

/// Returns the language for a request: `?lang=` first, then the `lang` cookie (the switch's
/// remembered choice), else Japanese.
///
/// `Accept-Language` is deliberately not consulted: the viewer is Japanese unless someone asks
/// for English with the switch. A consultant's English browser on a meeting-room screen must not
/// turn the city's own pages English unasked, and the same URL shows everyone the same page.
#[must_use]
pub fn negotiate(query_lang: Option<&str>, headers: &HeaderMap) -> (Lang, LangSource) {
    if let Some(lang) = query_lang.and_then(parse_code) {
        return (lang, LangSource::Query);
    }
    let cookie_lang = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix("lang="))
        .find_map(parse_code);
    match cookie_lang {
        Some(lang) => (lang, LangSource::Cookie),
        None => (Lang::Ja, LangSource::Default),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::ACCEPT_LANGUAGE;

    #[test]
    fn table_keys_are_sorted_unique_and_both_languages_are_filled() {
        for pair in TABLE.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{} must sort before {}",
                pair[0].0,
                pair[1].0
            );
        }
        for (key, ja, en) in TABLE {
            assert!(
                !ja.is_empty() && !en.is_empty(),
                "{key} lacks a translation"
            );
        }
    }

    /// Returns every template and every Rust source of the crate except this table.
    fn corpus() -> Vec<(std::path::PathBuf, String)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [root.join("../../web/templates"), root.join("src")] {
            for entry in std::fs::read_dir(&dir).expect("folder") {
                let path = entry.expect("entry").path();
                if path.file_name().is_some_and(|n| n == "i18n.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("text");
                files.push((path, text));
            }
        }
        files
    }

    #[test]
    fn every_key_used_by_a_template_or_the_code_exists() {
        let prefixes: Vec<&str> = TABLE
            .iter()
            .filter_map(|(k, _, _)| k.split_once('.').map(|(p, _)| p))
            .collect();
        let mut checked = 0;
        for (path, text) in corpus() {
            // Every quoted word that looks like a key (`prefix.name`) must be in the table.
            for quoted in text.split('"').skip(1).step_by(2) {
                let Some((prefix, rest)) = quoted.split_once('.') else {
                    continue;
                };
                // File names (`app.js`, `process.html`, `diagram.svg`) are not keys.
                let is_file = [
                    "js", "css", "svg", "json", "csv", "xlsx", "html", "flow", "toml",
                ]
                .contains(&rest);
                let is_key_like = prefixes.contains(&prefix)
                    && !is_file
                    && !rest.is_empty()
                    && rest.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                if is_key_like {
                    assert!(
                        has_key(quoted),
                        "{}: unknown i18n key {quoted}",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "expected many keys in use, found {checked}");
    }

    #[test]
    fn every_key_in_the_table_is_used() {
        let corpus: String = corpus().into_iter().map(|(_, text)| text).collect();
        for (key, _, _) in TABLE {
            assert!(
                corpus.contains(&format!("\"{key}\"")),
                "unused i18n key {key}"
            );
        }
    }

    #[test]
    fn query_beats_cookie_beats_the_japanese_default() {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("en-US,en;q=0.9"));
        assert_eq!(negotiate(None, &headers), (Lang::Ja, LangSource::Default));
        headers.insert(COOKIE, HeaderValue::from_static("a=b; lang=en"));
        assert_eq!(negotiate(None, &headers), (Lang::En, LangSource::Cookie));
        assert_eq!(
            negotiate(Some("ja"), &headers),
            (Lang::Ja, LangSource::Query)
        );
        assert_eq!(negotiate(Some("fr"), &HeaderMap::new()).0, Lang::Ja);
    }
}

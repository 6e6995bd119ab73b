//! What clerks write that nagare must understand (or explain): volumes in other periods, times
//! in the words people use, and branches whose empty body hides an indentation slip. Accepted
//! forms assert the value understood; rejected ones snapshot the messages in both languages
//! (line:column, what is wrong, how to fix).

use std::fmt::Write as _;

use nagare_syntax::ast::{AttrKind, HeaderValue, Stmt};
use nagare_syntax::{Diagnostic, LineIndex, Severity, format, parse};

fn render(source: &str, diags: &[Diagnostic]) -> String {
    let index = LineIndex::new(source);
    let mut out = String::new();
    for d in diags {
        let at = index.line_col(source, d.span().start);
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{severity}[{}] {}:{}", d.code, at.line, at.column);
        let _ = writeln!(out, "  ja: {}\n  en: {}", d.message.ja, d.message.en);
        for label in d.labels.iter().filter(|l| !l.message.en.is_empty()) {
            let at = index.line_col(source, label.span.start);
            let _ = writeln!(
                out,
                "  label {}:{}: {} / {}",
                at.line, at.column, label.message.ja, label.message.en
            );
        }
        for h in &d.hints {
            let _ = writeln!(out, "  hint: {} / {}", h.ja, h.en);
        }
    }
    out
}

fn volume_file(value: &str) -> String {
    format!("業務: x\n件数: {value}\n担当:\n  a: 住民\n流れ:\n  S1 a: 書く [10分]\n")
}

/// Returns the cases per year understood from `件数: value`, or the diagnostics.
fn volume(value: &str) -> Result<f64, String> {
    let src = volume_file(value);
    let (file, diags) = parse(&src);
    let parsed = file.lines.iter().find_map(|l| match &l.stmt {
        Stmt::Header(h) => match h.parsed {
            HeaderValue::Volume(v) => Some(v),
            _ => None,
        },
        _ => None,
    });
    match parsed {
        Some(v) if diags.is_empty() => Ok(v),
        _ => Err(render(&src, &diags)),
    }
}

#[test]
fn volumes_in_other_periods_are_converted_to_per_year() {
    let cases: &[(&str, f64)] = &[
        ("1200", 1200.0),
        ("1200/年", 1200.0),
        ("1,200件/年", 1200.0),
        ("50/月", 600.0),
        ("50 per month", 600.0),
        ("50 a month", 600.0),
        ("50 cases per month", 600.0),
        ("50 cases/month", 600.0),
        ("1,200 applications/year", 1_200.0),
        ("月50件", 600.0),
        ("月に50件", 600.0),
        ("毎月50件", 600.0),
        ("年間1,200件", 1200.0),
        ("年間 1,200 件", 1200.0),
        ("年1200件", 1200.0),
        ("週10件", 520.0),
        ("10/week", 520.0),
        ("1日5件", 1200.0),
        ("1日あたり5件", 1200.0),
        ("5/日", 1200.0),
        ("5 per day", 1200.0),
        ("5件/開庁日", 1200.0),
        ("1,200 / year", 1200.0),
        ("1,200 per annum", 1200.0),
        ("1200 annually", 1200.0),
        ("５０／月", 600.0),
        ("５０件／月", 600.0),
        ("１，２００件／年", 1200.0),
        ("約1200件", 1200.0),
        ("1200件程度", 1200.0),
        ("about 1200", 1200.0),
        ("1.2万件", 12000.0),
        ("1万2千件", 12000.0),
        ("1万2000件/年", 12000.0),
        ("300/四半期", 1200.0),
        ("1200件（R5実績）", 1200.0),
        ("1200 (FY2023)", 1200.0),
        ("1200台/年", 1200.0),
        ("600人/半年", 1200.0),
        ("毎年1200件", 1200.0),
        ("1200/年度", 1200.0),
        ("1か月あたり50件", 600.0),
        ("10 per week", 520.0),
        ("5 daily", 1200.0),
        ("50/mo", 600.0),
    ];
    for &(text, expected) in cases {
        let got = volume(text).unwrap_or_else(|e| panic!("`{text}` rejected:\n{e}"));
        assert!(
            (got - expected).abs() < 1e-9,
            "`{text}`: {got} per year, expected {expected}"
        );
    }
}

#[test]
fn volumes_that_cannot_be_read_say_why() {
    let mut out = String::new();
    for text in [
        "1000〜1500件",
        "千二百件",
        "50/期",
        "たくさん",
        "月50件/年",
        "0/月",
        "-5/月",
    ] {
        let got = volume(text)
            .err()
            .unwrap_or_else(|| panic!("`{text}` accepted"));
        let _ = writeln!(out, "## 件数: {text}\n{got}");
    }
    insta::assert_snapshot!(out);
}

/// A time as (p50, p90) in minutes.
type Time = (f64, Option<f64>);

/// Returns the (work, wait) times of the first step of a flow whose step has `[attrs]`.
fn times(attrs: &str) -> Result<(Option<Time>, Option<Time>), String> {
    let src = format!("業務: x\n担当:\n  a: 住民\n流れ:\n  S1 a: 書く [{attrs}]\n");
    let (file, diags) = parse(&src);
    if !diags.is_empty() {
        return Err(render(&src, &diags));
    }
    let mut work = None;
    let mut wait = None;
    for line in &file.lines {
        if let Stmt::Step(s) = &line.stmt {
            for a in &s.attrs {
                match a.kind {
                    AttrKind::Work(d) => work = Some((d.p50, d.p90)),
                    AttrKind::Wait(d) => wait = Some((d.p50, d.p90)),
                    _ => {}
                }
            }
        }
    }
    Ok((work, wait))
}

#[test]
fn times_written_as_clerks_write_them_are_understood() {
    // One business day is 365/240 calendar days of elapsed time (docs/dsl.md, Units).
    let bd = 1440.0 * 365.0 / 240.0;
    let work: &[(&str, f64, Option<f64>)] = &[
        ("10 mins", 10.0, None),
        ("2hrs", 120.0, None),
        ("1 hr", 60.0, None),
        ("30秒", 0.5, None),
        ("5m", 5.0, None),
        ("5 m", 5.0, None),
        ("5min.", 5.0, None),
        ("3日間", 3.0 * 1440.0, None),
        ("1週間", 7.0 * 1440.0, None),
        ("2か月", 60.0 * 1440.0, None),
        ("2ヶ月", 60.0 * 1440.0, None),
        ("2カ月", 60.0 * 1440.0, None),
        ("2ケ月", 60.0 * 1440.0, None),
        ("1時間半", 90.0, None),
        ("1時間30分", 90.0, None),
        ("1h30m", 90.0, None),
        ("1 hour 30 minutes", 90.0, None),
        ("2日半", 2.5 * 1440.0, None),
        ("1ヶ月半", 45.0 * 1440.0, None),
        ("約10分", 10.0, None),
        ("about 10 min", 10.0, None),
        ("10分程度", 10.0, None),
        ("10分ほど", 10.0, None),
        ("10分くらい", 10.0, None),
        ("5分/件", 5.0, None),
        ("１０分", 10.0, None),
        ("10〜15分", 10.0, Some(15.0)),
        ("10分から20分", 10.0, Some(20.0)),
        ("10 to 20 min", 10.0, Some(20.0)),
        ("1時間〜1時間30分", 60.0, Some(90.0)),
        ("10分〜20", 10.0, Some(20.0)),
        ("作業 約1.5時間", 90.0, None),
    ];
    for &(text, p50, p90) in work {
        let (got, _) = times(text).unwrap_or_else(|e| panic!("`{text}` rejected:\n{e}"));
        let (g50, g90) = got.unwrap_or_else(|| panic!("`{text}`: no work time"));
        assert!(
            (g50 - p50).abs() < 1e-9,
            "`{text}`: {g50} min, expected {p50}"
        );
        assert_eq!(g90.is_some(), p90.is_some(), "`{text}`");
        if let (Some(g), Some(e)) = (g90, p90) {
            assert!((g - e).abs() < 1e-9, "`{text}`: p90 {g}, expected {e}");
        }
    }
    let wait: &[(&str, f64, Option<f64>)] = &[
        ("待ち 1営業日", bd, None),
        ("待ち 2〜3営業日", 2.0 * bd, Some(3.0 * bd)),
        ("wait 2 business days", 2.0 * bd, None),
        ("待ち 5開庁日", 5.0 * bd, None),
        ("待ち 約3日", 3.0 * 1440.0, None),
        ("待ち15分", 15.0, None),
    ];
    for &(text, p50, p90) in wait {
        let (_, got) = times(text).unwrap_or_else(|e| panic!("`{text}` rejected:\n{e}"));
        let (g50, g90) = got.unwrap_or_else(|| panic!("`{text}`: no wait"));
        assert!(
            (g50 - p50).abs() < 1e-6,
            "`{text}`: {g50} min, expected {p50}"
        );
        assert_eq!(g90.map(f64::round), p90.map(f64::round), "`{text}`");
    }
}

#[test]
fn near_miss_times_get_a_precise_error_with_a_suggestion() {
    let mut out = String::new();
    for text in [
        "5ふん",
        "10ぷん",
        "15 ミニッツ",
        "5時",
        "10 minits",
        "半日",
        "即日",
        "待ち 翌日",
        "待ち 数日",
        "1営業日",
        "3日以内",
        "最大3日",
        "within 3 days",
        "5M",
        "1時間30",
        "10",
    ] {
        let got = times(text)
            .err()
            .unwrap_or_else(|| panic!("`{text}` accepted"));
        let _ = writeln!(out, "## [{text}]\n{got}");
    }
    insta::assert_snapshot!(out);
}

fn flow(body: &str) -> String {
    format!("業務: x\n担当:\n  窓口: 職員\n流れ:\n{body}")
}

/// The normal uses of an empty branch give nothing: `それ以外:` alone (the rest continue), and
/// an empty `もし` beside a branch that jumps.
#[test]
fn ordinary_empty_branches_are_quiet() {
    for body in [
        "  S1 窓口: 確認する [5分]\n    もし 不備あり 10%:\n      S2 窓口: 返す [5分]\n      → S1\n    それ以外:\n  S3 窓口: 受理する [5分]\n",
        "  S1 窓口: 確認する [5分]\n  もし 不備なし 90%:\n  もし 不備あり 10%: → S1\n  S3 窓口: 受理する [5分]\n",
        "  S1 窓口: 確認する [5分]\n    もし 不備あり 10%: → S1\n    S3 窓口: 受理する [5分]\n",
        "  S1 窓口: 確認する [5分]\n    もし 不備あり 10%:\n      終了: 却下\n  S3 窓口: 受理する [5分]\n",
    ] {
        let src = flow(body);
        let (_, diags) = parse(&src);
        assert!(diags.is_empty(), "{src}\n{}", render(&src, &diags));
    }
}

/// A decision in which no branch does anything changes nothing (W0108); a step at the same
/// indentation as an empty last branch was probably meant as its body (W0109); a step indented
/// under a branch that already jumps cannot be its body (E0109).
#[test]
fn suspicious_empty_branches_are_reported() {
    let mut out = String::new();
    for (name, body) in [
        (
            "every branch empty",
            "  S1 窓口: 確認する [5分]\n    もし 不備あり 10%:\n    それ以外:\n  S3 窓口: 受理する [5分]\n",
        ),
        (
            "single empty if",
            "  S1 窓口: 確認する [5分]\n  もし 不備あり 10%:\n  S3 窓口: 受理する [5分]\n",
        ),
        (
            "step at the branch's indentation",
            "  S1 窓口: 確認する [5分]\n    もし 不備あり 10%:\n    S2 窓口: 返す [5分]\n  S3 窓口: 受理する [5分]\n",
        ),
        (
            "end at the empty else's indentation",
            "  窓口: 審査する [5分]\n    if 不可 10%: → S1\n    else:\n    終了: 却下\n  S1 窓口: 受理する [5分]\n",
        ),
        (
            "step under a branch that jumps",
            "  S1 窓口: 確認する [5分]\n    もし 不備あり 10%: → S1\n      S2 窓口: 返す [5分]\n  S3 窓口: 受理する [5分]\n",
        ),
    ] {
        let src = flow(body);
        let (_, diags) = parse(&src);
        assert!(!diags.is_empty(), "{name}: nothing reported");
        let _ = writeln!(out, "## {name}\n{body}--\n{}", render(&src, &diags));
    }
    insta::assert_snapshot!(out);
}

/// `nagare fmt` must not resolve the W0109 ambiguity silently: it keeps the lines at the
/// branch's level, so the formatted file parses the same and warns the same.
#[test]
fn fmt_keeps_the_ambiguous_line_at_the_branch_level() {
    let src = flow(
        "  S1 窓口: 確認する [5分]\n      もし 不備あり 10%:\n      S2 窓口: 返す [5分]\n        もし 再提出 5%: → S1\n      S2b 窓口: 記録する [1分]\n   S3 窓口: 受理する [5分]\n",
    );
    let formatted = format(&src).expect("only a warning");
    insta::assert_snapshot!(formatted);
    assert_eq!(format(&formatted).expect("formats again"), formatted);
    let codes = |s: &str| {
        parse(s)
            .1
            .iter()
            .map(|d| d.code.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&src), ["W0109"]);
    assert_eq!(codes(&formatted), codes(&src));
}

/// Header keys, variants and actor kinds in the words clerks use are understood.
#[test]
fn clerk_synonyms_for_headers_variants_and_kinds() {
    use nagare_syntax::ast::{ActorKindKw, HeaderKey, VariantKw};
    let src = "業務名: 転入届\n版: 現行\n年間件数: 1,200\n所管課: 市民課\n担当:\n  a: 市民\n  b: 会計年度任用職員\n  c: 委託先\n  d: 基幹システム\n  e: ロボット\n流れ:\n  S1 a: 書く [10分]\n  S2 b: 受け付ける [5分]\n  S3 c: 配送する [5分]\n  S4 d: 記録する [1分]\n  S5 e: 通知する [1分]\n";
    let (file, diags) = parse(src);
    assert!(diags.is_empty(), "{}", render(src, &diags));
    let headers: Vec<(HeaderKey, &HeaderValue)> = file
        .lines
        .iter()
        .filter_map(|l| match &l.stmt {
            Stmt::Header(h) => Some((h.key, &h.parsed)),
            _ => None,
        })
        .collect();
    assert_eq!(headers[0].0, HeaderKey::Process);
    assert_eq!(headers[1].1, &HeaderValue::Variant(VariantKw::AsIs));
    assert_eq!(headers[2].1, &HeaderValue::Volume(1200.0));
    assert_eq!(headers[3].0, HeaderKey::Department);
    let kinds: Vec<Option<ActorKindKw>> = file
        .lines
        .iter()
        .filter_map(|l| match &l.stmt {
            Stmt::Actor(a) => Some(a.kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            Some(ActorKindKw::Resident),
            Some(ActorKindKw::Staff),
            Some(ActorKindKw::External),
            Some(ActorKindKw::System),
            Some(ActorKindKw::Rpa),
        ]
    );
}

/// Advice where a guess would mislead: a `]` hidden in a comment, a fee in kanji, and kinds
/// that depend on the role (`事業者` applies or is a contractor).
#[test]
fn advice_for_hidden_brackets_kanji_fees_and_role_dependent_kinds() {
    let src = "業務: x\n手数料: 三百円\n担当:\n  a: 事業者\n  b: 法務局\n  c: AI-OCR\n流れ:\n  S1 a: 書く [郵送, 10分 # 記入時間]\n";
    let (_, diags) = parse(src);
    insta::assert_snapshot!(render(src, &diags));
}

/// Probabilities written as clerks write them: `１０％`, `(10%)`, `約10%`, `10パーセント`, `1割`,
/// `1割5分`; before, all but the first silently became part of the condition and the branch got
/// 50%.
#[test]
fn probabilities_in_other_forms_are_read() {
    let cases: &[(&str, f64)] = &[
        ("もし不備あり１０％：⇒Ｓ１", 0.10),
        ("もし 不備あり (10%): → S1", 0.10),
        ("もし 不備あり（１０％）： → S1", 0.10),
        ("もし 不備あり 約10%: → S1", 0.10),
        ("もし 不備あり 10 %: → S1", 0.10),
        ("もし 不備あり 10パーセント: → S1", 0.10),
        ("if incomplete 10 percent: -> S1", 0.10),
        ("もし 不備あり 1割: → S1", 0.10),
        ("もし 不備あり 1割5分: → S1", 0.15),
        ("もし 不備あり 0.5割: → S1", 0.05),
    ];
    // A condition ending in 約 as part of a word keeps it.
    let src = "業務: x\n担当:\n  a: 職員\n流れ:\n  S1 a: 確認する [1分]\n    もし 契約 30%: → S1\n";
    let (file, _) = parse(src);
    assert!(file.lines.iter().any(|l| matches!(
        &l.stmt,
        Stmt::Branch(b) if b.condition.as_ref().is_some_and(|c| c.text == "契約")
    )));
    for &(branch, expected) in cases {
        let src =
            format!("業務: x\n担当:\n  a: 職員\n流れ:\n  S1 a: 確認する [1分]\n    {branch}\n");
        let (file, diags) = parse(&src);
        assert!(diags.is_empty(), "{branch}\n{}", render(&src, &diags));
        let b = file
            .lines
            .iter()
            .find_map(|l| match &l.stmt {
                Stmt::Branch(b) => Some(b),
                _ => None,
            })
            .expect("a branch");
        let p = b.probability.expect("a probability").value;
        assert!((p - expected).abs() < 1e-9, "{branch}: {p}");
        let condition = b.condition.as_ref().map(|c| c.text.as_str());
        assert!(
            matches!(condition, Some("不備あり" | "incomplete")),
            "{branch}: condition {condition:?}"
        );
    }
}

/// A number or a `%` left at the end of a condition is reported (W0110) instead of silently
/// sharing; a comparison (`金額 > 10000`) and a one-word condition are not.
#[test]
fn a_probability_that_is_not_read_is_reported() {
    let src = "業務: x\n担当:\n  a: 職員\n流れ:\n  S1 a: 確認する [1分]\n    もし 不備あり 0.3: → S1\n    もし 不備なし 0.7:\n  S2 a: 審査する [1分]\n    if incomplete (p=10%): -> S1\n  S3 a: 判定する [1分]\n    もし 金額 > 10000 20%: → S1\n    もし 2:\n  S4 a: 見る [1分]\n    もし 不備率 5%以上 30%: → S1\n    もし 不備率 5%未満:\n";
    let (_, diags) = parse(src);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(
        codes,
        ["W0110", "W0110", "W0110"],
        "{}",
        render(src, &diags)
    );
    insta::assert_snapshot!(render(src, &diags));
}

/// Attribute words clerks use for the same thing are understood; before, `所要時間 10分` was an
/// unknown attribute whose "did you mean" pointed at the wait (`待ち時間`), the wrong meaning.
#[test]
fn attribute_synonyms_are_understood() {
    use nagare_syntax::ast::{FlagKw, MediumKw};
    let cases: &[(&str, AttrKind)] = &[
        ("紙媒体", AttrKind::Medium(MediumKw::Paper)),
        ("電子申請", AttrKind::Medium(MediumKw::Digital)),
        ("WEB", AttrKind::Medium(MediumKw::Digital)),
        ("来所", AttrKind::Visit),
        ("郵便", AttrKind::Medium(MediumKw::Mail)),
        ("電子メール", AttrKind::Medium(MediumKw::Email)),
        ("Ｅメール", AttrKind::Medium(MediumKw::Email)),
        ("捺印", AttrKind::Flag(FlagKw::Seal)),
        ("印鑑", AttrKind::Flag(FlagKw::Seal)),
        ("自署", AttrKind::Flag(FlagKw::Signature)),
    ];
    for (text, expected) in cases {
        let src = format!("業務: x\n担当:\n  a: 職員\n流れ:\n  S1 a: x [{text}, 5分]\n");
        let (file, diags) = parse(&src);
        assert!(diags.is_empty(), "{text}\n{}", render(&src, &diags));
        let got = file.lines.iter().find_map(|l| match &l.stmt {
            Stmt::Step(s) => s.attrs.first().map(|a| a.kind.clone()),
            _ => None,
        });
        assert_eq!(got.as_ref(), Some(expected), "{text}");
    }
    for (text, work, wait) in [
        ("所要時間 10分", Some(10.0), None),
        ("処理時間10分", Some(10.0), None),
        ("待機 15分", None, Some(15.0)),
        ("待機時間 15分", None, Some(15.0)),
        ("5分/回", Some(5.0), None),
    ] {
        let (w, t) = times(text).unwrap_or_else(|e| panic!("`{text}` rejected:\n{e}"));
        assert_eq!(w.map(|w| w.0), work, "{text}");
        assert_eq!(t.map(|t| t.0), wait, "{text}");
    }
}

/// Section keywords in the other words clerks use (`登場人物:`, `帳票:`, `業務フロー:`); before,
/// each gave a cascade of "unknown header" and "undeclared actor" errors.
#[test]
fn section_synonyms_open_their_sections() {
    use nagare_syntax::ast::SectionKind;
    let src = "業務: x\n登場人物:\n  a: 職員\n帳票:\n  申請書: 紙 [氏名]\n業務フロー:\n  S1 a: 受ける [5分, 参照=申請書]\n";
    let (file, diags) = parse(src);
    assert!(diags.is_empty(), "{}", render(src, &diags));
    let kinds: Vec<SectionKind> = file
        .lines
        .iter()
        .filter_map(|l| match &l.stmt {
            Stmt::Section(s) => Some(s.kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Actors,
            SectionKind::Documents,
            SectionKind::Flow
        ]
    );
}

//! RPA: staff transcription (re-keying), roster building in a spreadsheet, batch notices and
//! cross-checks across systems. One finding per step, scored by DOMAIN.md §6.

use nagare_model::{DocMedium, DocRole, Endpoint, Medium, StepId, StepKind};
use nagare_syntax::Text;

use super::{Score, annual_hours, count_en, lin_share, no_volume_note, num, round1, savings};
use crate::context::Ctx;
use crate::finding::{Blocker, BlockerKind, Difficulty, Finding, HoursSaved, RuleId};

/// What kind of clerical work makes a step an RPA candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Work {
    /// 転記: re-keying from a document or system into a system.
    Transcription,
    /// 名簿作成: building a roster or list in a spreadsheet.
    Roster,
    /// 通知書作成: producing printed notices or lists.
    Notices,
    /// 照合: cross-checking data across systems.
    CrossCheck,
}

impl Work {
    fn text(self) -> Text {
        match self {
            Self::Transcription => Text::new("転記（再入力）", "re-keying"),
            Self::Roster => Text::new("表計算での名簿作成", "roster building in a spreadsheet"),
            Self::Notices => Text::new("通知書・一覧の作成", "production of notices and lists"),
            Self::CrossCheck => Text::new("システム間の照合", "cross-check across systems"),
        }
    }
}

/// Words in a step label that mean a cross-check (照合, 突合…).
const CROSS_CHECK_WORDS: &[&str] = &["照合", "突合", "突き合", "cross-check", "reconcil"];

/// Words in a document name that mean a roster or list.
const ROSTER_WORDS: &[&str] = &["名簿", "一覧", "台帳", "roster", "list", "ledger"];

/// Returns the staff steps that are RPA candidates, with the kind of work.
pub(super) fn detect(ctx: &Ctx<'_>) -> Vec<(StepId, Work)> {
    let mut out = Vec::new();
    for (s, step) in ctx.model.steps.iter().enumerate() {
        if !ctx.is_staff(s) || !matches!(step.kind, StepKind::Task | StepKind::Decision) {
            continue;
        }
        // Work at the counter with the resident, or with a physical item, is not a robot's.
        if step.medium == Some(Medium::InPerson) || step.item.is_some() {
            continue;
        }
        let label = step.label.to_lowercase();
        let cross_check = CROSS_CHECK_WORDS.iter().any(|w| label.contains(w));
        if step.kind == StepKind::Decision && !cross_check {
            // A judgement is not clerical work a robot can take over.
            continue;
        }
        let spreadsheet = step.system.as_deref().is_some_and(Ctx::is_spreadsheet)
            || step
                .transcription
                .as_ref()
                .is_some_and(|t| matches!(&t.to, Endpoint::System(n) if Ctx::is_spreadsheet(n)));
        let produces_roster = step.docs.iter().any(|u| {
            u.role == DocRole::Produce
                && ROSTER_WORDS
                    .iter()
                    .any(|w| ctx.doc_name(u.doc).to_lowercase().contains(w))
        });
        // Batch notices are printed from a system; printing one's own draft is not (e-approval
        // removes that instead).
        let produces_print = step.system.is_some()
            && step.docs.iter().any(|u| {
                u.role == DocRole::Produce && ctx.doc_medium(u.doc) == Some(DocMedium::Printed)
            });
        let work = if spreadsheet || (produces_roster && step.transcription.is_none()) {
            Some(Work::Roster)
        } else if step.transcription.is_some() {
            Some(Work::Transcription)
        } else if cross_check {
            Some(Work::CrossCheck)
        } else if produces_print {
            Some(Work::Notices)
        } else {
            None
        };
        if let Some(work) = work {
            out.push((s, work));
        }
    }
    out
}

/// Returns the medium of the data a step works from, and its share of the input points:
/// structured data > PDF > printed paper (OCR ≈99 %) > boxed handwriting (≈93 %) > free
/// handwriting (≈70 %).
pub(super) fn input_of(ctx: &Ctx<'_>, s: StepId) -> (DocMedium, f64) {
    let step = ctx.step(s);
    let medium = match step.transcription.as_ref().map(|t| &t.from) {
        Some(Endpoint::Document(d)) => ctx.doc_medium(*d).unwrap_or(DocMedium::Data),
        Some(Endpoint::System(_)) => DocMedium::Data,
        None => step
            .docs
            .iter()
            .filter(|u| u.role == DocRole::Read)
            .filter_map(|u| ctx.doc_medium(u.doc))
            .max_by_key(|m| medium_rank(*m))
            .unwrap_or(DocMedium::Data),
    };
    (medium, input_share(medium))
}

/// Returns how hard a medium is for a robot to read (higher is harder).
fn medium_rank(m: DocMedium) -> u8 {
    match m {
        DocMedium::Data => 0,
        DocMedium::Pdf => 1,
        DocMedium::Printed => 2,
        DocMedium::PaperForm => 3,
        DocMedium::Handwritten => 4,
    }
}

fn input_share(m: DocMedium) -> f64 {
    match m {
        DocMedium::Data => 1.0,
        DocMedium::Pdf => 10.0 / 15.0,
        DocMedium::Printed => 8.0 / 15.0,
        DocMedium::PaperForm => 4.0 / 15.0,
        DocMedium::Handwritten => 0.0,
    }
}

fn medium_text(m: DocMedium) -> Text {
    match m {
        DocMedium::Data => Text::new("構造化データ", "structured data"),
        DocMedium::Pdf => Text::new("PDF", "PDF"),
        DocMedium::Printed => Text::new("印刷された紙（OCR 約99%）", "printed paper (OCR ≈99%)"),
        DocMedium::PaperForm => Text::new(
            "様式への手書き（OCR 約93%）",
            "handwriting on a fixed form (OCR ≈93%)",
        ),
        DocMedium::Handwritten => Text::new(
            "自由記述の手書き（OCR 約70%）",
            "free handwriting (OCR ≈70%)",
        ),
    }
}

/// Returns one RPA finding per candidate step, leaving out steps whose estimated saving is below
/// `rpa.min_hours_per_year` (when the volume is known: without it hours cannot be judged).
pub(super) fn findings(ctx: &Ctx<'_>) -> Vec<Finding> {
    let min = ctx.settings.rpa.min_hours_per_year;
    detect(ctx)
        .into_iter()
        .map(|(s, work)| finding(ctx, s, work))
        .filter(|f| ctx.volume().is_none() || f.hours.staff >= min)
        .collect()
}

#[allow(clippy::too_many_lines)] // one criterion after another; splitting hides the score's shape
fn finding(ctx: &Ctx<'_>, s: StepId, work: Work) -> Finding {
    let w = &ctx.settings.rpa;
    let step = ctx.step(s);
    let key = ctx.key(s);
    let mut score = Score::default();
    let mut reasons = vec![Text::new(
        format!("{key}「{}」: {}", step.label, work.text().ja),
        format!("{key} \"{}\": {}", step.label, work.text().en),
    )];
    let mut prerequisites = Vec::new();
    let mut blockers = Vec::new();

    let minutes = ctx.work(s) * ctx.v(s);
    let hours = annual_hours(ctx, minutes);
    score.add(
        "hours",
        Text::new("年間作業時間", "annual hours"),
        w.hours,
        lin_share(hours, w.hours_min, w.hours_full),
        Text::new(
            format!(
                "年 {} 時間（{} 時間未満 0 点、{} 時間で満点）",
                num(hours, 1),
                num(w.hours_min, 0),
                num(w.hours_full, 0)
            ),
            format!(
                "{} h a year (0 below {} h, full at {} h)",
                num(hours, 1),
                num(w.hours_min, 0),
                num(w.hours_full, 0)
            ),
        ),
    );
    if ctx.volume().is_some() {
        reasons.push(Text::new(
            format!("職員の作業が年 {} 時間", num(hours, 1)),
            format!("{} staff hours a year", num(hours, 1)),
        ));
    }

    let stated = step.rule_based.filter(|r| (1..=5).contains(r));
    let rule_based = stated.unwrap_or(w.default_rule_based);
    score.add(
        "rule_based",
        Text::new("定型性", "rule-based"),
        w.rule_based,
        f64::from(rule_based.saturating_sub(1)) / 4.0,
        match stated {
            Some(r) => Text::new(format!("定型 {r}/5"), format!("rule-based {r}/5")),
            None => Text::new(
                format!("定型が書かれていないため {rule_based}/5 とみなす"),
                format!("rule-based not stated: assumed {rule_based}/5"),
            ),
        },
    );

    let (medium, share) = input_of(ctx, s);
    score.add(
        "input",
        Text::new("入力の構造", "input structure"),
        w.input,
        share,
        {
            let text = medium_text(medium);
            // A space before a Latin word (PDF), none before Japanese text.
            let gap = if text.ja.starts_with(|c: char| c.is_ascii()) {
                " "
            } else {
                ""
            };
            Text::new(
                format!("入力は{gap}{}", text.ja),
                format!("input is {}", text.en),
            )
        },
    );
    if medium.is_paper() {
        prerequisites.push(Text::new(
            "紙の入力を先にデータ化する（オンライン申請または AI-OCR）",
            "turn the paper input into data first (online application or AI-OCR)",
        ));
    }

    let stated_rate = step
        .exception_rate
        .filter(|r| r.is_finite() && (0.0..=1.0).contains(r));
    let rate = stated_rate.unwrap_or(w.default_exception_rate);
    score.add(
        "exceptions",
        Text::new("例外の少なさ", "few exceptions"),
        w.exceptions,
        1.0 - lin_share(rate, 0.0, w.exceptions_zero_at),
        match stated_rate {
            Some(r) => Text::new(
                format!(
                    "例外 {}%（{}% で 0 点）",
                    num(r * 100.0, 0),
                    num(w.exceptions_zero_at * 100.0, 0)
                ),
                format!(
                    "exceptions {}% (0 points at {}%)",
                    num(r * 100.0, 0),
                    num(w.exceptions_zero_at * 100.0, 0)
                ),
            ),
            None => Text::new(
                format!(
                    "例外率が書かれていないため {}% とみなす",
                    num(rate * 100.0, 0)
                ),
                format!(
                    "exception rate not stated: assumed {}%",
                    num(rate * 100.0, 0)
                ),
            ),
        },
    );

    // Stability (a proxy; the model has no change history): half for a step that is not on a
    // rework loop, half for a target that is a declared core system (stable screens) rather than
    // a spreadsheet users rearrange.
    let target = target_system(ctx, s);
    let declared = target
        .as_deref()
        .is_some_and(|t| ctx.is_declared_system(t) && !Ctx::is_spreadsheet(t));
    let rework = ctx.in_rework(s);
    let stability = (if rework { 0.0 } else { 0.5 }) + if declared { 0.5 } else { 0.0 };
    score.add(
        "stability",
        Text::new("安定性", "stability"),
        w.stability,
        stability,
        Text::new(
            format!(
                "{}、{}",
                if rework {
                    format!("差戻しで 1 件あたり {} 回実行", num(ctx.v(s), 2))
                } else {
                    "差戻しループの外".to_owned()
                },
                match (&target, declared) {
                    (Some(t), true) => format!("入力先「{t}」は登録済みのシステム"),
                    (Some(t), false) => format!("入力先「{t}」は画面が変わりやすい"),
                    (None, _) => "入力先のシステムが書かれていない".to_owned(),
                }
            ),
            format!(
                "{}, {}",
                if rework {
                    format!("runs {} times per case (send-backs)", num(ctx.v(s), 2))
                } else {
                    "not on a send-back loop".to_owned()
                },
                match (&target, declared) {
                    (Some(t), true) => format!("target {t} is a declared system"),
                    (Some(t), false) => format!("target {t} changes easily"),
                    (None, _) => "no target system stated".to_owned(),
                }
            ),
        ),
    );

    let decisions_ok = ctx.decisions <= w.max_decisions;
    let systems_ok = ctx.systems.len() <= w.max_systems;
    score.add(
        "complexity",
        Text::new("複雑さ", "complexity"),
        w.complexity,
        (if decisions_ok { 0.5 } else { 0.0 }) + if systems_ok { 0.5 } else { 0.0 },
        Text::new(
            format!(
                "判断 {} 箇所（{} 箇所以下で可）、システム {} 個（{} 個以下で可）",
                ctx.decisions,
                w.max_decisions,
                ctx.systems.len(),
                w.max_systems
            ),
            format!(
                "{} (≤ {} is fine), {} (≤ {} is fine)",
                count_en(ctx.decisions, "decision", "decisions"),
                w.max_decisions,
                count_en(ctx.systems.len(), "system", "systems"),
                w.max_systems
            ),
        ),
    );

    small_workload(&mut score, ctx, hours);

    let manual = step.flags.manual_check;
    score.add(
        "manual_check",
        Text::new("全件目視", "every item checked by hand"),
        w.manual_check_penalty,
        if manual { 1.0 } else { 0.0 },
        if manual {
            Text::new(
                "全件を目視で確認し直す必要がある（公表事例では 8 倍遅くなった）",
                "every item must still be checked by hand (a published case got 8× slower)",
            )
        } else {
            Text::new("全件目視の指定なし", "no check of every item by hand")
        },
    );
    if manual {
        blockers.push(Blocker {
            kind: BlockerKind::ManualCheck,
            step: key.clone(),
            text: Text::new(
                format!("{key}: 全件目視が残ると効果が出ない"),
                format!("{key}: checking every item by hand cancels the gain"),
            ),
        });
    }

    // Exceptions stay with staff, so only the rule-following share of the work is saved.
    let saved = hours * (1.0 - rate);
    let formula = if ctx.volume().is_some() {
        Text::new(
            format!(
                "件数 × v({key}) {} × 作業 {} 分 ÷ 60 × (1 − 例外率 {}%)",
                num(ctx.v(s), 2),
                num(ctx.work(s), 1),
                num(rate * 100.0, 0)
            ),
            format!(
                "volume × v({key}) {} × work {} min ÷ 60 × (1 − exception rate {}%)",
                num(ctx.v(s), 2),
                num(ctx.work(s), 1),
                num(rate * 100.0, 0)
            ),
        )
    } else {
        no_volume_note()
    };
    let departments = ctx.departments().len();
    Finding {
        rule: RuleId::Rpa,
        process: ctx.model.process.id.clone(),
        steps: vec![key.clone()],
        title: Text::new(
            format!("{key} の{}を RPA に任せる", work.text().ja),
            format!("Give the {} of {key} to RPA", work.text().en),
        ),
        score: score.total(),
        criteria: score.criteria,
        reasons,
        hours: HoursSaved {
            staff: round1(saved),
            resident: 0.0,
            formula,
            per_step: savings(ctx, vec![(s, saved, 0.0)]),
        },
        prerequisites,
        blockers,
        extent: None,
        difficulty: Some(Difficulty::from_departments(departments)),
    }
}

/// Scales the criteria other than hours by hours ÷ `hours_min` when the step takes less than
/// `hours_min` a year: however rule-based and structured, a robot for a few hours' work a year
/// does not repay its build and upkeep, so the score must follow the hours (DOMAIN.md §6 gives
/// hours no points below 20 h; this makes the other criteria agree). Recorded as a negative
/// contribution so the score stays the sum of its breakdown.
fn small_workload(score: &mut Score, ctx: &Ctx<'_>, hours: f64) {
    let w = &ctx.settings.rpa;
    let others_max = w.rule_based + w.input + w.exceptions + w.stability + w.complexity;
    let label = Text::new("作業量が小さい", "small workload");
    let (factor, why) = match ctx.volume() {
        Some(_) if hours < w.hours_min && w.hours_min > 0.0 => {
            let factor = (hours / w.hours_min).clamp(0.0, 1.0);
            (
                factor,
                Text::new(
                    format!(
                        "年 {} 時間は {} 時間未満: ほかの基準の点を {}% に縮める（時間 ÷ {} 時間）",
                        num(hours, 1),
                        num(w.hours_min, 0),
                        num(factor * 100.0, 0),
                        num(w.hours_min, 0)
                    ),
                    format!(
                        "{} h a year is below {} h: the other criteria count {}% (hours ÷ {} h)",
                        num(hours, 1),
                        num(w.hours_min, 0),
                        num(factor * 100.0, 0),
                        num(w.hours_min, 0)
                    ),
                ),
            )
        }
        Some(_) => (
            1.0,
            Text::new(
                format!("年 {} 時間以上", num(w.hours_min, 0)),
                format!("at least {} h a year", num(w.hours_min, 0)),
            ),
        ),
        None => (
            1.0,
            Text::new(
                "件数が書かれていないため縮めない",
                "no annual volume stated: not applied",
            ),
        ),
    };
    let hours_points = score
        .criteria
        .iter()
        .filter(|c| c.id == "hours")
        .map(|c| c.points)
        .sum::<f64>();
    let others = (score.points() - hours_points).max(0.0);
    score.add_points(
        "small_workload",
        label,
        -others_max.max(0.0),
        -others * (1.0 - factor),
        why,
    );
}

/// Returns the system a step writes into: the transcription target, else `システム=`.
fn target_system(ctx: &Ctx<'_>, s: StepId) -> Option<String> {
    let step = ctx.step(s);
    match step.transcription.as_ref().map(|t| &t.to) {
        Some(Endpoint::System(name)) => Some(name.clone()),
        _ => step.system.clone(),
    }
}

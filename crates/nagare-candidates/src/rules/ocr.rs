//! AI-OCR: fixed-layout paper forms (pre-printed forms, printed lists) feeding a staff
//! transcription step, a few hundred sheets a year or more. Free handwriting (≈70 % accuracy in
//! published pilots) is not a candidate. When the procedure can go online, online comes first and
//! OCR is sized on the paper channel that remains.

use std::collections::BTreeSet;

use nagare_model::{DocMedium, DocRole, Endpoint, StepId, StepKind};
use nagare_syntax::Text;

use super::{Score, annual_hours, lin_share, log_share, no_volume_note, num, round1, savings};
use crate::context::Ctx;
use crate::finding::{Finding, HoursSaved, RuleId};

/// Returns the staff transcription steps whose source is a fixed-layout paper document.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    (0..ctx.model.steps.len())
        .filter(|&s| source_doc(ctx, s).is_some())
        .collect()
}

/// Returns the fixed-layout paper document a staff step re-keys from, if any.
fn source_doc(ctx: &Ctx<'_>, s: StepId) -> Option<usize> {
    let step = ctx.step(s);
    if !ctx.is_staff(s) || step.kind != StepKind::Task {
        return None;
    }
    match step.transcription.as_ref().map(|t| &t.from) {
        Some(Endpoint::Document(d))
            if matches!(
                ctx.doc_medium(*d),
                Some(DocMedium::PaperForm | DocMedium::Printed)
            ) =>
        {
            Some(*d)
        }
        _ => None,
    }
}

/// Returns one AI-OCR finding per step with enough sheets a year, leaving out steps whose
/// estimated saving is below `ai_ocr.min_hours_per_year` (when the volume is known).
pub(super) fn findings(ctx: &Ctx<'_>) -> Vec<Finding> {
    let online_possible = !super::online::detect(ctx).is_empty();
    let min = ctx.settings.ai_ocr.min_hours_per_year;
    detect(ctx)
        .into_iter()
        .filter_map(|s| finding(ctx, s, online_possible))
        .filter(|f| ctx.volume().is_none() || f.hours.staff >= min)
        .collect()
}

#[allow(clippy::too_many_lines)] // one criterion after another; splitting hides the score's shape
fn finding(ctx: &Ctx<'_>, s: StepId, online_possible: bool) -> Option<Finding> {
    let w = &ctx.settings.ai_ocr;
    let doc = source_doc(ctx, s)?;
    let medium = ctx.doc_medium(doc)?;
    let key = ctx.key(s);
    let doc_name = ctx.doc_name(doc);
    let from_resident = ctx.model.steps.iter().enumerate().any(|(r, step)| {
        ctx.is_resident(r)
            && step
                .docs
                .iter()
                .any(|u| u.doc == doc && matches!(u.role, DocRole::Fill | DocRole::Attach))
    });
    let online_first = online_possible && from_resident;
    let paper_share = if online_first {
        1.0 - ctx.settings.online_uptake
    } else {
        1.0
    };
    let sheets = ctx.volume().map(|v| v * ctx.v(s) * paper_share);
    if sheets.is_some_and(|n| n < w.min_sheets) {
        return None;
    }

    let mut score = Score::default();
    let mut reasons = vec![Text::new(
        format!("{key} で様式の決まった紙「{doc_name}」を手で入力している"),
        format!("{key} re-keys the fixed-layout paper \"{doc_name}\" by hand"),
    )];
    let mut prerequisites = Vec::new();

    match sheets {
        Some(n) => score.add(
            "sheets",
            Text::new("枚数", "sheets"),
            w.sheets,
            log_share(n, w.min_sheets, w.sheets_full),
            Text::new(
                format!(
                    "紙 年 {} 枚（{} 枚で 0 点、{} 枚で満点、対数）",
                    num(n, 0),
                    num(w.min_sheets, 0),
                    num(w.sheets_full, 0)
                ),
                format!(
                    "{} sheets a year (0 at {}, full at {}, log scale)",
                    num(n, 0),
                    num(w.min_sheets, 0),
                    num(w.sheets_full, 0)
                ),
            ),
        ),
        None => score.add(
            "sheets",
            Text::new("枚数", "sheets"),
            w.sheets,
            0.0,
            Text::new(
                "件数が書かれていないため 0 点",
                "no annual volume stated: 0 points",
            ),
        ),
    }

    let (accuracy, accuracy_text) = match medium {
        DocMedium::Printed => (w.accuracy_printed, Text::new("活字", "printed text")),
        _ => (
            w.accuracy_boxed,
            Text::new("枠内の手書き", "boxed handwriting"),
        ),
    };
    score.add(
        "accuracy",
        Text::new("読取精度", "expected accuracy"),
        w.accuracy,
        lin_share(accuracy, w.accuracy_free, w.accuracy_printed),
        Text::new(
            format!(
                "{}: 約 {}%（自由記述 {}% で 0 点、活字 {}% で満点。公表された実証値）",
                accuracy_text.ja,
                num(accuracy * 100.0, 0),
                num(w.accuracy_free * 100.0, 0),
                num(w.accuracy_printed * 100.0, 0)
            ),
            format!(
                "{}: about {}% (0 at free handwriting {}%, full at printed {}%; published pilots)",
                accuracy_text.en,
                num(accuracy * 100.0, 0),
                num(w.accuracy_free * 100.0, 0),
                num(w.accuracy_printed * 100.0, 0)
            ),
        ),
    );

    let minutes = ctx.work(s) * ctx.v(s) * paper_share;
    let hours = annual_hours(ctx, minutes);
    let rpa = &ctx.settings.rpa;
    score.add(
        "hours",
        Text::new("年間入力時間", "annual keying hours"),
        w.hours,
        lin_share(hours, rpa.hours_min, rpa.hours_full),
        Text::new(
            format!(
                "紙の分の入力 年 {} 時間（{} 時間未満 0 点、{} 時間で満点）",
                num(hours, 1),
                num(rpa.hours_min, 0),
                num(rpa.hours_full, 0)
            ),
            format!(
                "{} h a year keying the paper channel (0 below {} h, full at {} h)",
                num(hours, 1),
                num(rpa.hours_min, 0),
                num(rpa.hours_full, 0)
            ),
        ),
    );

    let into_system = matches!(
        ctx.step(s).transcription.as_ref().map(|t| &t.to),
        Some(Endpoint::System(_))
    );
    score.add(
        "target",
        Text::new("取込先", "data feeds a system"),
        w.target,
        if into_system { 1.0 } else { 0.0 },
        if into_system {
            Text::new(
                "読み取ったデータをシステムへ取り込める",
                "the read data goes into a system",
            )
        } else {
            Text::new(
                "転記先がシステムではない",
                "the transcription target is not a system",
            )
        },
    );

    if online_first {
        reasons.push(Text::new(
            format!(
                "オンライン申請を先に進め、OCR は残る紙の申請（{}%）だけに使う",
                num(paper_share * 100.0, 0)
            ),
            format!(
                "put the application online first; use OCR only for the paper applications that remain ({}%)",
                num(paper_share * 100.0, 0)
            ),
        ));
        prerequisites.push(Text::new(
            "オンライン申請の導入（先に行う）",
            "online application (first)",
        ));
    }
    if medium == DocMedium::PaperForm {
        prerequisites.push(Text::new(
            "OCR 向けの枠付き様式",
            "a form with boxed fields for OCR",
        ));
    }
    prerequisites.push(Text::new(
        "読取結果を確認する手順（精度は 100% ではない）",
        "a step to check the read results (accuracy is below 100%)",
    ));

    // The share read correctly no longer needs keying; corrections stay with staff.
    let saved = hours * accuracy;
    let formula = if ctx.volume().is_some() {
        Text::new(
            format!(
                "件数 × 紙の割合 {} × v({key}) {} × 作業 {} 分 ÷ 60 × 読取精度 {}%",
                num(paper_share, 2),
                num(ctx.v(s), 2),
                num(ctx.work(s), 1),
                num(accuracy * 100.0, 0)
            ),
            format!(
                "volume × paper share {} × v({key}) {} × work {} min ÷ 60 × accuracy {}%",
                num(paper_share, 2),
                num(ctx.v(s), 2),
                num(ctx.work(s), 1),
                num(accuracy * 100.0, 0)
            ),
        )
    } else {
        no_volume_note()
    };
    Some(Finding {
        rule: RuleId::AiOcr,
        process: ctx.model.process.id.clone(),
        steps: vec![key.clone()],
        title: if online_first {
            Text::new(
                format!("{key} の残る紙の申請を AI-OCR で読み取る（オンライン化の後）"),
                format!("Read the remaining paper forms of {key} with AI-OCR (after going online)"),
            )
        } else {
            Text::new(
                format!("{key} の紙「{doc_name}」を AI-OCR で読み取る"),
                format!("Read the paper \"{doc_name}\" of {key} with AI-OCR"),
            )
        },
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
        blockers: Vec::new(),
        extent: None,
        difficulty: None,
    })
}

//! Online application (オンライン申請): resident steps on paper, in person, by post, fax or phone.
//!
//! Criteria and default weights are DOMAIN.md §6. Blockers (legal paper or presence, a physical
//! item, an on-site inspection) are reported, not scored, and make the finding "partly online".

use std::collections::{BTreeMap, BTreeSet};

use nagare_model::{DocRole, Endpoint, Medium, StepId, StepKind};
use nagare_syntax::Text;

use super::{
    Score, annual_hours, as_f64, keys, no_volume_note, num, resident_uses, round1, savings,
};
use crate::context::Ctx;
use crate::finding::{Blocker, BlockerKind, Extent, Finding, HoursSaved, RuleId};

/// Returns the resident task steps that use an analogue channel.
pub(super) fn detect(ctx: &Ctx<'_>) -> BTreeSet<StepId> {
    (0..ctx.model.steps.len())
        .filter(|&s| ctx.analogue_resident(s))
        .collect()
}

/// Returns the blockers of full online application anywhere in the process.
pub(crate) fn blockers(ctx: &Ctx<'_>) -> Vec<Blocker> {
    let mut out = Vec::new();
    for (s, step) in ctx.model.steps.iter().enumerate() {
        let key = ctx.key(s);
        if step.flags.legal_paper {
            out.push(Blocker {
                kind: BlockerKind::LegalPaper,
                step: key.clone(),
                text: Text::new(
                    format!("{key}: 法令で紙の原本が必要"),
                    format!("{key}: the law requires a paper original"),
                ),
            });
        }
        if step.flags.legal_presence {
            out.push(Blocker {
                kind: BlockerKind::LegalPresence,
                step: key.clone(),
                text: Text::new(
                    format!("{key}: 法令で本人の出頭が必要"),
                    format!("{key}: the law requires presence in person"),
                ),
            });
        }
        if let (true, Some(item)) = (item_handed_over(ctx, s), &step.item) {
            out.push(Blocker {
                kind: BlockerKind::PhysicalItem,
                step: key.clone(),
                text: Text::new(
                    format!("{key}: 現物（{item}）の受け渡しが残る"),
                    format!("{key}: a physical item ({item}) must still be handed over"),
                ),
            });
        }
        if step.flags.inspection {
            out.push(Blocker {
                kind: BlockerKind::Inspection,
                step: key.clone(),
                text: Text::new(
                    format!("{key}: 現地調査が残る"),
                    format!("{key}: an on-site inspection remains"),
                ),
            });
        }
    }
    out
}

/// Returns true if a step hands a physical item to the city: on an office visit or in a staff
/// step. An item the resident gets elsewhere (a fee sticker bought at a shop) is not a blocker:
/// online payment replaces it.
fn item_handed_over(ctx: &Ctx<'_>, s: StepId) -> bool {
    let step = ctx.step(s);
    step.item.is_some() && (step.flags.visit || !ctx.is_resident(s))
}

/// Returns true if an in-person step cannot be replaced: presence required or an item handed over.
fn visit_blocked(ctx: &Ctx<'_>, s: StepId) -> bool {
    ctx.step(s).flags.legal_presence || item_handed_over(ctx, s)
}

/// Returns the online-application finding, if any resident step is analogue.
pub(super) fn finding(ctx: &Ctx<'_>) -> Option<Finding> {
    let steps = detect(ctx);
    if steps.is_empty() {
        return None;
    }
    let w = &ctx.settings.online;
    let mut score = Score::default();
    let mut reasons = Vec::new();
    let mut prerequisites = Vec::new();

    reasons.push(Text::new(
        format!(
            "住民の手続が紙・来庁・郵送・電話で行われている（{}）",
            keys(ctx, steps.iter().copied())
        ),
        format!(
            "residents act on paper, in person, by post or by phone ({})",
            keys(ctx, steps.iter().copied())
        ),
    ));

    super::volume_criterion(&mut score, ctx, w.volume);

    // Visits: an office visit is removable unless one of its steps needs presence or an item.
    let mut visits_total = 0.0;
    let mut visits_removable = 0.0;
    let mut removable_groups: Vec<StepId> = Vec::new();
    for &start in &ctx.visit_starts {
        let v = ctx.visit_starts_at(start);
        visits_total += v;
        let blocked = ctx
            .visit_members
            .get(&start)
            .is_some_and(|m| m.iter().any(|&s| visit_blocked(ctx, s)));
        if !blocked {
            visits_removable += v;
            removable_groups.push(start);
        }
    }
    score.add(
        "visits",
        Text::new("来庁の削減", "visits removable"),
        w.visits,
        visits_removable.min(1.0),
        Text::new(
            format!(
                "来庁 {} 回/件のうち {} 回を省ける（1 回/件で満点）",
                num(visits_total, 1),
                num(visits_removable, 1)
            ),
            format!(
                "{} of {} office visits per case can go (full at 1 per case)",
                num(visits_removable, 1),
                num(visits_total, 1)
            ),
        ),
    );
    if visits_removable > 0.0 {
        reasons.push(Text::new(
            format!("来庁 {} 回/件をなくせる", num(visits_removable, 1)),
            format!(
                "{} office visits per case can be removed",
                num(visits_removable, 1)
            ),
        ));
    }

    // Handwriting: every field the resident writes, plus repeated and gov-held fields again.
    let written = ctx.fields_written();
    let (_, repeats, _) = ctx.duplicate_fields();
    let gov_held_fields: usize = resident_uses(ctx, DocRole::Fill)
        .iter()
        .filter(|(_, u)| ctx.doc_gov_held(u.doc))
        .map(|(_, u)| ctx.use_fields(u).len())
        .sum();
    let units = written + repeats + gov_held_fields;
    score.add(
        "handwriting",
        Text::new("手書き・重複記入", "handwriting and duplicate fields"),
        w.handwriting,
        as_f64(units) / w.fields_full.max(1.0),
        Text::new(
            format!(
                "手書き {written} 項目、重複 {repeats} 回、行政保有 {gov_held_fields} 項目（計 {units}、{} で満点）",
                num(w.fields_full, 0)
            ),
            format!(
                "{written} handwritten fields, {repeats} repeated, {gov_held_fields} gov-held (total {units}, full at {})",
                num(w.fields_full, 0)
            ),
        ),
    );

    // Attachments: none or all gov-held (fetchable by data linkage) is best for an online form.
    let attachments: BTreeSet<usize> = resident_uses(ctx, DocRole::Attach)
        .iter()
        .map(|(_, u)| u.doc)
        .collect();
    let gov_held = attachments.iter().filter(|&&d| ctx.doc_gov_held(d)).count();
    let (share, why) = if attachments.is_empty() {
        (1.0, Text::new("添付書類なし", "no attachments"))
    } else {
        (
            as_f64(gov_held) / as_f64(attachments.len()),
            Text::new(
                format!(
                    "添付書類 {} 件のうち行政保有 {gov_held} 件（情報連携で省ける）",
                    attachments.len()
                ),
                format!(
                    "{gov_held} of {} attachments are held by the city (fetchable by data linkage)",
                    attachments.len()
                ),
            ),
        )
    };
    score.add(
        "attachments",
        Text::new("添付書類", "attachments"),
        w.attachments,
        share,
        why,
    );

    // Identity check: replaceable by the My Number card unless presence is required there.
    let id_steps: Vec<StepId> = (0..ctx.model.steps.len())
        .filter(|&s| ctx.step(s).flags.id_check)
        .collect();
    let id_blocked = id_steps.iter().any(|&s| ctx.step(s).flags.legal_presence);
    let (share, why) = if id_steps.is_empty() {
        (1.0, Text::new("本人確認なし", "no identity check"))
    } else if id_blocked {
        (
            0.0,
            Text::new(
                "本人確認に法定の対面が必要",
                "the identity check requires presence by law",
            ),
        )
    } else {
        prerequisites.push(Text::new(
            "マイナンバーカードによる本人確認（公的個人認証）",
            "identity check with the My Number card (JPKI signature)",
        ));
        (
            1.0,
            Text::new(
                format!(
                    "本人確認（{}）はマイナンバーカードで代替できる",
                    keys(ctx, id_steps.iter().copied())
                ),
                format!(
                    "the identity check ({}) can use the My Number card",
                    keys(ctx, id_steps.iter().copied())
                ),
            ),
        )
    };
    score.add(
        "id_check",
        Text::new("本人確認の代替", "identity check replaceable"),
        w.id_check,
        share,
        why,
    );

    let priority = ctx.model.process.national_priority;
    score.add(
        "priority",
        Text::new("国の重点手続", "national priority"),
        w.priority,
        if priority { 1.0 } else { 0.0 },
        if priority {
            Text::new(
                "オンライン化の国の重点手続",
                "on a national priority list for online application",
            )
        } else {
            Text::new("重点手続ではない", "not a national priority procedure")
        },
    );
    if priority {
        reasons.push(Text::new(
            "国がオンライン化を求める重点手続",
            "a national priority procedure for online application",
        ));
    }

    // Back office import: the data already ends in a named system (re-keyed today), so an online
    // form's data can be imported instead; a system without a recorded transcription is half.
    let transcription_targets: BTreeSet<String> = ctx
        .model
        .steps
        .iter()
        .filter_map(|s| s.transcription.as_ref())
        .filter_map(|t| match &t.to {
            Endpoint::System(name) => Some(name.clone()),
            Endpoint::Document(_) => None,
        })
        .collect();
    let (share, why) = if let Some(target) = transcription_targets
        .iter()
        .find(|n| !Ctx::is_spreadsheet(n))
        .or(transcription_targets.iter().next())
    {
        (
            1.0,
            Text::new(
                format!("申請データは「{target}」に転記されている: 取込に置き換えられる"),
                format!("the data is re-keyed into {target} today: it can be imported instead"),
            ),
        )
    } else if !ctx.systems.is_empty() {
        prerequisites.push(Text::new(
            "受付データを業務システムへ取り込む手段（CSV 取込など）",
            "a way to import the received data into the business system (CSV import)",
        ));
        (
            0.5,
            Text::new(
                "業務システムはあるが転記先が書かれていない",
                "a business system exists but no transcription into it is recorded",
            ),
        )
    } else {
        prerequisites.push(Text::new(
            "受付データを扱う業務システム",
            "a business system to receive the data",
        ));
        (
            0.0,
            Text::new(
                "事務処理が紙だけで行われている",
                "the back office works on paper only",
            ),
        )
    };
    score.add(
        "import",
        Text::new("データ取込", "back office can import data"),
        w.import,
        share,
        why,
    );

    let fee = ctx.model.process.fee_yen.unwrap_or(0.0);
    let fee_blocks = fee > 0.0 && !ctx.model.process.online_payment;
    score.add(
        "fee",
        Text::new("手数料（オンライン決済なし）", "fee without online payment"),
        w.fee_penalty,
        if fee_blocks { 1.0 } else { 0.0 },
        if fee_blocks {
            Text::new(
                format!("手数料 {} 円をオンラインで払えない", num(fee, 0)),
                format!("the fee of {} yen cannot be paid online", num(fee, 0)),
            )
        } else {
            Text::new(
                "手数料なし、またはオンライン決済あり",
                "no fee, or it can be paid online",
            )
        },
    );
    if fee_blocks {
        prerequisites.push(Text::new(
            "手数料のオンライン決済",
            "online payment of the fee",
        ));
    }

    let blockers = blockers(ctx);
    let extent = if blockers.is_empty() {
        Extent::Full
    } else {
        Extent::Partial
    };
    if extent == Extent::Partial {
        reasons.push(Text::new(
            format!(
                "一部オンライン化: {}",
                blockers
                    .iter()
                    .map(|b| b.text.ja.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            format!(
                "partly online: {}",
                blockers
                    .iter()
                    .map(|b| b.text.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }

    let hours = hours(ctx, &steps, &removable_groups);
    let title = match extent {
        Extent::Full => Text::new("申請をオンライン化する", "Put the application online"),
        Extent::Partial => Text::new(
            "申請を一部オンライン化する（残る手続は紙・来庁）",
            "Put the application partly online (some steps stay on paper or in person)",
        ),
    };
    Some(Finding {
        rule: RuleId::Online,
        process: ctx.model.process.id.clone(),
        steps: steps.iter().map(|&s| ctx.key(s)).collect(),
        title,
        score: score.total(),
        criteria: score.criteria,
        reasons,
        hours,
        prerequisites,
        blockers,
        extent: Some(extent),
        difficulty: None,
    })
}

/// Returns hours saved: resident travel, work and waits of removable visits, post/fax work and
/// phone waits; staff re-keying of resident-filled documents (the data arrives structured).
fn hours(ctx: &Ctx<'_>, steps: &BTreeSet<StepId>, removable: &[StepId]) -> HoursSaved {
    let uptake = ctx.settings.online_uptake;
    let travel = ctx.settings.travel_minutes;
    let mut per_step: Vec<(StepId, f64, f64)> = Vec::new();
    let mut removable_members = BTreeSet::new();
    for &start in removable {
        if let Some(members) = ctx.visit_members.get(&start) {
            removable_members.extend(members.iter().copied());
        }
    }
    // The travel of a removable visit is saved at the step where it begins; a visit can begin at
    // a clerk's in-person step (the counter calls the resident in), and its travel is then shown
    // at the visit's first in-person resident step, or at the clerk's step when it has none.
    let mut travel_at: BTreeMap<StepId, f64> = BTreeMap::new();
    for &start in removable {
        let at = if steps.contains(&start) {
            start
        } else {
            ctx.visit_members
                .get(&start)
                .and_then(|m| m.iter().copied().find(|s| steps.contains(s)))
                .unwrap_or(start)
        };
        *travel_at.entry(at).or_insert(0.0) += travel * ctx.visit_starts_at(start);
    }
    let listed: BTreeSet<StepId> = steps.iter().chain(travel_at.keys()).copied().collect();
    for &s in &listed {
        let step = ctx.step(s);
        let mut minutes = travel_at.get(&s).copied().unwrap_or(0.0);
        if !steps.contains(&s) {
            // Only the travel of a visit begun at a clerk's step: its work stays.
        } else if removable_members.contains(&s) {
            minutes += (ctx.work(s) + ctx.wait(s)) * ctx.v(s);
        } else if matches!(step.medium, Some(Medium::Mail | Medium::Fax)) {
            minutes += ctx.work(s) * ctx.v(s);
        } else if step.medium == Some(Medium::Phone) {
            minutes += ctx.wait(s) * ctx.v(s);
        }
        per_step.push((s, 0.0, annual_hours(ctx, minutes) * uptake));
    }
    let filled: BTreeSet<usize> = resident_uses(ctx, DocRole::Fill)
        .iter()
        .map(|(_, u)| u.doc)
        .collect();
    for (s, step) in ctx.model.steps.iter().enumerate() {
        let from_resident_form = step
            .transcription
            .as_ref()
            .is_some_and(|t| matches!(t.from, Endpoint::Document(d) if filled.contains(&d)));
        if ctx.is_staff(s) && step.kind == StepKind::Task && from_resident_form {
            let minutes = ctx.work(s) * ctx.v(s);
            per_step.push((s, annual_hours(ctx, minutes) * uptake, 0.0));
        }
    }
    per_step.sort_by_key(|(s, _, _)| *s);
    let staff: f64 = per_step.iter().map(|p| p.1).sum();
    let resident: f64 = per_step.iter().map(|p| p.2).sum();
    let formula = if ctx.volume().is_some() {
        Text::new(
            format!(
                "住民: 件数 × 移行率 {} × Σ v(s)·(来庁1回の移動 {} 分 + 来庁中の作業・待ち、郵送の作業、電話の待ち)。職員: 件数 × 移行率 × Σ v(s)·(住民記入書類からの転記の作業時間)（データ取込で不要になる）",
                num(uptake, 2),
                num(travel, 0)
            ),
            format!(
                "resident: volume × uptake {} × Σ v(s)·(travel {} min per visit + work and waits while at the office, posting work, phone waits). Staff: volume × uptake × Σ v(s)·(work of re-keying resident-filled forms), replaced by data import",
                num(uptake, 2),
                num(travel, 0)
            ),
        )
    } else {
        no_volume_note()
    };
    HoursSaved {
        staff: round1(staff),
        resident: round1(resident),
        formula,
        per_step: savings(ctx, per_step),
    }
}

//! The diff workbook: a summary sheet, every metric's As-Is, To-Be and change, every step
//! change, and the handoffs between actors that changed.

use nagare_diff::{ChangeClass, Diff, MatchKind, StepRef};
use nagare_graph::Unit;
use nagare_syntax::{Lang, Text};

use crate::ExportError;
use crate::metrics::{heading, unit_num};
use crate::sheet::{Cell, Num, Table, Tone};

fn process(p: &nagare_diff::ProcessRef) -> String {
    if p.name.is_empty() {
        p.id.clone()
    } else {
        format!("{} ({})", p.name, p.id)
    }
}

fn match_name(kind: MatchKind) -> Text {
    match kind {
        MatchKind::Id => Text::new("同じ工程ID", "same step id"),
        MatchKind::Link => Text::new("置換の指定", "link in the To-Be"),
        MatchKind::Auto => Text::new(
            "自動（名称・担当・書類・位置）",
            "automatic (label, actor, documents, position)",
        ),
    }
}

fn summary_table(diff: &Diff, lang: Lang) -> Table {
    let mut table = Table::new(
        &Text::new("概要", "Summary"),
        &[Text::new("項目", "Item"), Text::new("値", "Value")],
        lang,
    );
    table.max_width = 60.0;
    table.wrap = true;
    let mut row =
        |item: Text, value: Cell| table.rows.push(vec![Cell::text(item.get(lang)), value]);
    row(
        Text::new("As-Is", "As-Is"),
        Cell::text(process(&diff.as_is)),
    );
    row(
        Text::new("As-Is の版", "As-Is variant"),
        Cell::text(&diff.as_is.variant),
    );
    row(
        Text::new("To-Be", "To-Be"),
        Cell::text(process(&diff.to_be)),
    );
    row(
        Text::new("To-Be の版", "To-Be variant"),
        Cell::text(&diff.to_be.variant),
    );
    row(
        Text::new("要約", "Summary"),
        Cell::text(diff.summary.get(lang)),
    );
    row(
        Text::new("類似度", "Similarity"),
        Cell::num(diff.similarity, Num::Percent),
    );
    row(
        Text::new("変化の数", "Changes"),
        Cell::count(diff.changes.len()),
    );
    for class in ChangeClass::ALL {
        let n = diff.changes.iter().filter(|c| c.has(class)).count();
        if n > 0 {
            let label = class.label();
            row(
                Text::new(format!("　{}", label.ja), format!("  {}", label.en)),
                Cell::count(n),
            );
        }
    }
    let s = &diff.structural;
    row(
        Text::new("工程間の引継ぎ（As-Is）", "Step handoffs (As-Is)"),
        Cell::count(s.handoffs_as_is),
    );
    row(
        Text::new("工程間の引継ぎ（To-Be）", "Step handoffs (To-Be)"),
        Cell::count(s.handoffs_to_be),
    );
    row(
        Text::new("流れの辺（As-Is）", "Flow edges (As-Is)"),
        Cell::count(s.edges_as_is),
    );
    row(
        Text::new("流れの辺（To-Be）", "Flow edges (To-Be)"),
        Cell::count(s.edges_to_be),
    );
    row(
        Text::new("残った辺", "Edges kept"),
        Cell::count(s.edges_kept),
    );
    row(Text::new("新しい辺", "New edges"), Cell::count(s.edges_new));
    row(
        Text::new("来庁がなくなった工程", "Steps whose visit is gone"),
        Cell::text(s.visits_removed.join(" ")),
    );
    row(
        Text::new("来庁が増えた工程", "Steps with a new visit"),
        Cell::text(s.visits_added.join(" ")),
    );
    row(
        Text::new("なくなった担当", "Lanes removed"),
        Cell::text(s.lanes_removed.join(crate::list_separator(lang))),
    );
    row(
        Text::new("増えた担当", "Lanes added"),
        Cell::text(s.lanes_added.join(crate::list_separator(lang))),
    );
    table
}

fn deltas_table(diff: &Diff, lang: Lang) -> Table {
    let mut table = Table::new(
        &Text::new("指標の差分", "Metric deltas"),
        &[
            Text::new("指標", "Metric"),
            Text::new("キー", "Key"),
            Text::new("As-Is", "As-Is"),
            Text::new("To-Be", "To-Be"),
            Text::new("増減", "Change"),
            Text::new("増減率", "Change (%)"),
            Text::new("評価", "Verdict"),
        ],
        lang,
    );
    table.freeze_columns = 1;
    for d in &diff.metric_deltas {
        let num = unit_num(d.unit);
        let text = |ja: &str, en: &str| Text::new(ja, en).get(lang).to_owned();
        let verdict = match d.improved {
            Some(true) => Cell::Toned(text("改善", "better"), Tone::Good),
            Some(false) => Cell::Toned(text("悪化", "worse"), Tone::Bad),
            None if d.change.is_some_and(|c| c.abs() > 1e-9) => Cell::text(text("中立", "neutral")),
            None if d.change.is_some() => Cell::text(text("変化なし", "unchanged")),
            None => Cell::text(text("比較不可", "not comparable")),
        };
        table.rows.push(vec![
            Cell::text(heading(&d.label, d.unit).get(lang)),
            Cell::text(&d.key),
            Cell::opt(d.as_is, num),
            Cell::opt(d.to_be, num),
            // A yes/no value has no meaningful difference: the verdict says it.
            match (d.change, d.unit) {
                (Some(c), unit) if unit != Unit::Bool => Cell::change(c, num),
                _ => Cell::Empty,
            },
            // `percent` is in percent; Excel's % format wants the fraction.
            d.percent
                .map_or(Cell::Empty, |p| Cell::change(p / 100.0, Num::Percent)),
            verdict,
        ]);
    }
    table
}

fn keys(steps: &[StepRef]) -> String {
    steps
        .iter()
        .map(|s| s.key.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn labels(steps: &[StepRef]) -> String {
    steps
        .iter()
        .map(|s| s.label.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}

fn actors(steps: &[StepRef], lang: Lang) -> String {
    let mut names: Vec<&str> = Vec::new();
    for s in steps {
        if !names.contains(&s.actor.as_str()) {
            names.push(&s.actor);
        }
    }
    names.join(crate::list_separator(lang))
}

fn changes_table(diff: &Diff, lang: Lang) -> Table {
    let mut table = Table::new(
        &Text::new("工程の変化", "Step changes"),
        &[
            Text::new("番号", "No."),
            Text::new("変化", "Change"),
            Text::new("変化キー", "Change keys"),
            Text::new("As-Is 工程", "As-Is steps"),
            Text::new("As-Is 内容", "As-Is labels"),
            Text::new("As-Is 担当", "As-Is actors"),
            Text::new("To-Be 工程", "To-Be steps"),
            Text::new("To-Be 内容", "To-Be labels"),
            Text::new("To-Be 担当", "To-Be actors"),
            Text::new("対応づけ", "Matched by"),
            Text::new("類似度", "Similarity"),
            Text::new("詳細", "Detail"),
            Text::new("削除の理由", "Reason for removal"),
        ],
        lang,
    );
    table.freeze_columns = 2;
    for (i, c) in diff.changes.iter().enumerate() {
        let classes: Vec<String> = c
            .classes
            .iter()
            .map(|k| k.label().get(lang).to_owned())
            .collect();
        let class_keys: Vec<&str> = c.classes.iter().map(|k| k.as_str()).collect();
        // The weakest pair's score: a merge is only as certain as its least similar step.
        let score = c.links.iter().map(|l| l.score).reduce(f64::min);
        table.rows.push(vec![
            Cell::count(i + 1),
            Cell::text(classes.join(crate::list_separator(lang))),
            Cell::text(class_keys.join(" ")),
            Cell::text(keys(&c.as_is)),
            Cell::text(labels(&c.as_is)),
            Cell::text(actors(&c.as_is, lang)),
            Cell::text(keys(&c.to_be)),
            Cell::text(labels(&c.to_be)),
            Cell::text(actors(&c.to_be, lang)),
            c.matched_by
                .map_or(Cell::Empty, |m| Cell::text(match_name(m).get(lang))),
            Cell::opt(score, Num::Percent),
            Cell::text(c.detail.get(lang)),
            c.reason.as_ref().map_or(Cell::Empty, Cell::text),
        ]);
    }
    table
}

fn handoffs_table(diff: &Diff, lang: Lang) -> Table {
    let mut table = Table::new(
        &Text::new("引継ぎの変化", "Handoff changes"),
        &[
            Text::new("引継ぎ元", "From"),
            Text::new("引継ぎ先", "To"),
            Text::new("As-Is", "As-Is"),
            Text::new("To-Be", "To-Be"),
            Text::new("増減", "Change"),
        ],
        lang,
    );
    for h in &diff.structural.handoffs {
        #[allow(clippy::cast_precision_loss)] // counts in a process model are far below 2^52
        let change = h.to_be as f64 - h.as_is as f64;
        table.rows.push(vec![
            Cell::text(&h.from),
            Cell::text(&h.to),
            Cell::count(h.as_is),
            Cell::count(h.to_be),
            Cell::change(change, Num::Int),
        ]);
    }
    table
}

/// Returns an XLSX workbook of `diff`: a summary (processes, summary line, similarity, number of
/// changes by class, structural counts), the metric deltas (As-Is, To-Be, change, change in %
/// and whether it is better), every step change in flow order, and the handoff changes.
///
/// # Errors
/// Only when the XLSX writer refuses the workbook (see [`ExportError`]).
pub fn diff_xlsx(diff: &Diff, lang: Lang) -> Result<Vec<u8>, ExportError> {
    crate::workbook(
        &Text::new("As-Is / To-Be 比較", "As-Is / To-Be comparison"),
        &[
            summary_table(diff, lang),
            deltas_table(diff, lang),
            changes_table(diff, lang),
            handoffs_table(diff, lang),
        ],
        lang,
    )
}

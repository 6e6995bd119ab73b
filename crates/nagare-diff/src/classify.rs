//! Change classes of matched step groups and their human-readable details.
//!
//! A group (1:1 pair, merge or split) is compared as two aggregated sides, so that a merge of a
//! paper step and a counter step into one online step is still "digitised".

use nagare_model::{DocRole, Endpoint, Medium, Model, StepId, StepKind};
use nagare_syntax::Text;

use crate::matching::{Group, Matching, Side, pair_score};
use crate::types::{ChangeClass, PairLink, StepChange, StepRef};

/// Returns true if the resident comes to the office (or meets staff in person) at `step`.
pub(crate) fn has_visit(side: &Side, step: StepId) -> bool {
    let s = &side.model.steps[step];
    s.flags.visit
        || (side.actor_kind(step) == nagare_model::ActorKind::Resident
            && s.medium == Some(Medium::InPerson))
}

/// Returns true if `step` is handled on paper, in person, by phone, mail or fax.
fn is_analogue(model: &Model, step: StepId) -> bool {
    let s = &model.steps[step];
    matches!(
        s.medium,
        Some(Medium::Paper | Medium::InPerson | Medium::Phone | Medium::Mail | Medium::Fax)
    ) || s.flags.visit
        || s.docs.iter().any(|u| {
            model
                .documents
                .get(u.doc)
                .is_some_and(|d| d.medium.is_paper())
        })
        // Re-keying from a paper form handles paper even if the step lists no document.
        || s.transcription.as_ref().is_some_and(|t| {
            matches!(t.from, Endpoint::Document(d)
                if model.documents.get(d).is_some_and(|d| d.medium.is_paper()))
        })
}

/// Returns true if `step` is positively digital: a digital medium, a machine actor, or only
/// electronic documents.
fn is_digital(side: &Side, step: StepId) -> bool {
    let model = side.model;
    let s = &model.steps[step];
    if is_analogue(model, step) {
        return false;
    }
    s.medium.is_some_and(Medium::is_digital)
        || side.actor_kind(step).is_automated()
        || (!s.docs.is_empty()
            && s.docs.iter().all(|u| {
                model
                    .documents
                    .get(u.doc)
                    .is_some_and(|d| !d.medium.is_paper())
            }))
}

fn medium_text(medium: Medium) -> (&'static str, &'static str) {
    match medium {
        Medium::Paper => ("紙", "paper"),
        Medium::Digital => ("電子", "digital"),
        Medium::InPerson => ("対面", "in person"),
        Medium::Phone => ("電話", "phone"),
        Medium::Mail => ("郵送", "mail"),
        Medium::Fax => ("FAX", "fax"),
        Medium::Email => ("メール", "email"),
    }
}

/// Returns a duration for display (`10分`, `1.5時間`, `2日` / `10 min`, `1.5 h`, `2 d`).
pub(crate) fn minutes_text(minutes: Option<f64>) -> Text {
    minutes.map_or_else(|| Text::new("なし", "none"), crate::number::duration)
}

/// An attribute compared between the sides: a stable key and its display text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Attr {
    key: String,
    ja: String,
    en: String,
}

fn attr(key: impl Into<String>, ja: impl Into<String>, en: impl Into<String>) -> Attr {
    Attr {
        key: key.into(),
        ja: ja.into(),
        en: en.into(),
    }
}

fn endpoint_name(model: &Model, e: &Endpoint) -> String {
    match e {
        Endpoint::Document(d) => model
            .documents
            .get(*d)
            .map_or_else(String::new, |d| d.name.clone()),
        Endpoint::System(name) => name.clone(),
    }
}

fn attributes(model: &Model, step: StepId) -> Vec<Attr> {
    let s = &model.steps[step];
    let f = &s.flags;
    let mut out = Vec::new();
    for (on, key, ja, en) in [
        (f.seal, "seal", "押印", "seal"),
        (f.signature, "signature", "署名", "signature"),
        (f.id_check, "id-check", "本人確認", "ID check"),
        (f.visit, "visit", "来庁", "visit"),
        (f.legal_paper, "legal-paper", "法定紙", "legal paper"),
        (
            f.legal_presence,
            "legal-presence",
            "法定対面",
            "legal presence",
        ),
        (f.inspection, "inspection", "現地調査", "inspection"),
        (f.manual_check, "manual-check", "全件目視", "manual check"),
    ] {
        if on {
            out.push(attr(key, ja, en));
        }
    }
    let kind = match s.kind {
        StepKind::Task => None,
        StepKind::Decision => Some(("判断", "decision")),
        StepKind::Wait => Some(("待機", "waiting")),
        StepKind::Start => Some(("開始", "start")),
        StepKind::End => Some(("終了", "end")),
        StepKind::Subprocess => Some(("サブプロセス", "subprocess")),
    };
    if let Some((ja, en)) = kind {
        out.push(attr(format!("kind:{en}"), ja, en));
    }
    if let Some(item) = &s.item {
        out.push(attr(
            format!("item:{item}"),
            format!("現物={item}"),
            format!("item={item}"),
        ));
    }
    if let Some(system) = &s.system {
        out.push(attr(
            format!("system:{system}"),
            format!("システム={system}"),
            format!("system={system}"),
        ));
    }
    if let Some(t) = &s.transcription {
        let (from, to) = (endpoint_name(model, &t.from), endpoint_name(model, &t.to));
        out.push(attr(
            format!("transcription:{from}->{to}"),
            format!("転記 {from}→{to}"),
            format!("re-keying {from}→{to}"),
        ));
    }
    out
}

/// One document use, comparable across models (by name, not index).
type DocKey = (String, DocRole, Vec<String>);

fn doc_uses(model: &Model, step: StepId) -> Vec<DocKey> {
    model.steps[step]
        .docs
        .iter()
        .filter_map(|u| {
            let d = model.documents.get(u.doc)?;
            let mut fields = if u.fields.is_empty() {
                d.fields.clone()
            } else {
                u.fields.clone()
            };
            fields.sort();
            Some((d.name.clone(), u.role, fields))
        })
        .collect()
}

/// The aggregated facts of one side of a group.
struct Facts {
    actors: Vec<String>,
    all_automated: bool,
    any_analogue: bool,
    all_digital: bool,
    media: Vec<Medium>,
    work: Option<f64>,
    wait: Option<f64>,
    docs: Vec<DocKey>,
    attrs: Vec<Attr>,
}

fn sum(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.fold(None, |acc, v| match (acc, v) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    })
}

fn facts(side: &Side, steps: &[StepId]) -> Facts {
    let model = side.model;
    let mut actors: Vec<String> = steps
        .iter()
        .map(|&s| side.actor_name(s).to_owned())
        .collect();
    actors.sort();
    actors.dedup();
    let mut media: Vec<Medium> = steps
        .iter()
        .filter_map(|&s| model.steps[s].medium)
        .collect();
    media.sort();
    media.dedup();
    let mut docs: Vec<DocKey> = steps.iter().flat_map(|&s| doc_uses(model, s)).collect();
    docs.sort();
    docs.dedup();
    let mut attrs: Vec<Attr> = steps.iter().flat_map(|&s| attributes(model, s)).collect();
    attrs.sort();
    attrs.dedup();
    Facts {
        actors,
        all_automated: steps.iter().all(|&s| side.actor_kind(s).is_automated()),
        any_analogue: steps.iter().any(|&s| is_analogue(model, s)),
        all_digital: steps.iter().all(|&s| is_digital(side, s)),
        media,
        work: sum(steps.iter().map(|&s| model.steps[s].work.map(|m| m.p50))),
        wait: sum(steps.iter().map(|&s| model.steps[s].wait.map(|m| m.p50))),
        docs,
        attrs,
    }
}

fn same_time(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => false,
    }
}

fn analogue_text(side: &Side, steps: &[StepId], media: &[Medium]) -> (String, String) {
    let analogue: Vec<Medium> = media.iter().copied().filter(|m| !m.is_digital()).collect();
    if analogue.is_empty() {
        let visit = steps.iter().any(|&s| has_visit(side, s));
        return if visit {
            ("来庁".into(), "visit".into())
        } else {
            ("紙".into(), "paper".into())
        };
    }
    let ja: Vec<&str> = analogue.iter().map(|m| medium_text(*m).0).collect();
    let en: Vec<&str> = analogue.iter().map(|m| medium_text(*m).1).collect();
    (ja.join("・"), en.join(", "))
}

fn media_text(media: &[Medium]) -> (String, String) {
    if media.is_empty() {
        return ("指定なし".into(), "unspecified".into());
    }
    let ja: Vec<&str> = media.iter().map(|m| medium_text(*m).0).collect();
    let en: Vec<&str> = media.iter().map(|m| medium_text(*m).1).collect();
    (ja.join("・"), en.join(", "))
}

/// Returns the classes and detail of a group whose two sides are both non-empty.
fn classify_group(a: &Side, b: &Side, group: &Group) -> (Vec<ChangeClass>, Text) {
    let (fa, fb) = (facts(a, &group.as_is), facts(b, &group.to_be));
    let mut classes = Vec::new();
    let mut ja: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    let keys = |side: &Side, steps: &[StepId]| -> Vec<String> {
        steps
            .iter()
            .map(|&s| side.model.steps[s].key.clone())
            .collect()
    };
    if group.as_is.len() > 1 {
        classes.push(ChangeClass::Merged);
        let k = keys(a, &group.as_is);
        ja.push(format!("{} を統合", k.join("・")));
        en.push(format!("merges {}", k.join(", ")));
    }
    if group.to_be.len() > 1 {
        classes.push(ChangeClass::Split);
        let k = keys(b, &group.to_be);
        ja.push(format!("{} に分割", k.join("・")));
        en.push(format!("split into {}", k.join(", ")));
    }
    if group.as_is.len() == 1 && group.to_be.len() == 1 {
        let (la, lb) = (
            &a.model.steps[group.as_is[0]].label,
            &b.model.steps[group.to_be[0]].label,
        );
        if a.sigs[group.as_is[0]].norm != b.sigs[group.to_be[0]].norm {
            classes.push(ChangeClass::Relabelled);
            ja.push(format!("「{la}」→「{lb}」"));
            en.push(format!("“{la}” → “{lb}”"));
        }
    }
    if fa.actors != fb.actors {
        classes.push(ChangeClass::Moved);
        ja.push(format!(
            "{} → {}",
            fa.actors.join("・"),
            fb.actors.join("・")
        ));
        en.push(format!(
            "{} → {}",
            fa.actors.join(", "),
            fb.actors.join(", ")
        ));
    }
    if !fa.all_automated && fb.all_automated {
        classes.push(ChangeClass::Automated);
        if fa.actors == fb.actors {
            ja.push("自動化".into());
            en.push("automated".into());
        }
    }
    if fa.any_analogue && !fb.any_analogue && fb.all_digital {
        classes.push(ChangeClass::Digitised);
        let (fja, fen) = analogue_text(a, &group.as_is, &fa.media);
        ja.push(format!("{fja} → 電子"));
        en.push(format!("{fen} → digital"));
    } else if fa.media != fb.media {
        classes.push(ChangeClass::MediumChanged);
        let ((aj, ae), (bj, be)) = (media_text(&fa.media), media_text(&fb.media));
        ja.push(format!("{aj} → {bj}"));
        en.push(format!("{ae} → {be}"));
    }
    if !same_time(fa.work, fb.work) || !same_time(fa.wait, fb.wait) {
        classes.push(ChangeClass::TimeChanged);
        if !same_time(fa.work, fb.work) {
            let (x, y) = (minutes_text(fa.work), minutes_text(fb.work));
            ja.push(format!("作業 {} → {}", x.ja, y.ja));
            en.push(format!("work {} → {}", x.en, y.en));
        }
        if !same_time(fa.wait, fb.wait) {
            let (x, y) = (minutes_text(fa.wait), minutes_text(fb.wait));
            ja.push(format!("待ち {} → {}", x.ja, y.ja));
            en.push(format!("wait {} → {}", x.en, y.en));
        }
    }
    if fa.docs != fb.docs {
        classes.push(ChangeClass::DocumentsChanged);
        let names = |d: &[DocKey]| {
            let mut n: Vec<String> = d.iter().map(|k| k.0.clone()).collect();
            n.dedup();
            n
        };
        let (na, nb) = (names(&fa.docs), names(&fb.docs));
        let gone: Vec<&String> = na.iter().filter(|n| !nb.contains(n)).collect();
        let new: Vec<&String> = nb.iter().filter(|n| !na.contains(n)).collect();
        let mut parts: Vec<String> = new.iter().map(|n| format!("+{n}")).collect();
        parts.extend(gone.iter().map(|n| format!("−{n}")));
        if parts.is_empty() {
            ja.push("書類の項目・用途".into());
            en.push("document fields or roles".into());
        } else {
            ja.push(format!("書類 {}", parts.join(" ")));
            en.push(format!("documents {}", parts.join(" ")));
        }
    }
    if fa.attrs != fb.attrs {
        classes.push(ChangeClass::AttributesChanged);
        for x in fb
            .attrs
            .iter()
            .filter(|x| !fa.attrs.iter().any(|y| y.key == x.key))
        {
            ja.push(format!("+{}", x.ja));
            en.push(format!("+{}", x.en));
        }
        for x in fa
            .attrs
            .iter()
            .filter(|x| !fb.attrs.iter().any(|y| y.key == x.key))
        {
            ja.push(format!("−{}", x.ja));
            en.push(format!("−{}", x.en));
        }
    }
    if classes.is_empty() {
        classes.push(ChangeClass::Unchanged);
        ja.push("変更なし".into());
        en.push("unchanged".into());
    }
    classes.sort();
    (classes, Text::new(ja.join("・"), en.join("; ")))
}

fn step_ref(side: &Side, step: StepId) -> StepRef {
    let s = &side.model.steps[step];
    StepRef {
        key: s.key.clone(),
        label: s.label.clone(),
        actor: side.actor_name(step).to_owned(),
    }
}

/// Returns one change per group, removed and added step, in report order (see [`crate::Diff`]).
pub(crate) fn changes(a: &Side, b: &Side, matching: &Matching) -> Vec<StepChange> {
    let n_t = b.model.steps.len();
    // Sort keys: (As-Is anchor, 0) for groups and removed steps, (anchor, 1 + To-Be index) for added
    // steps, whose anchor is the group of the nearest earlier To-Be step.
    let mut anchor_of_to_be: Vec<Option<i64>> = vec![None; n_t];
    let mut keyed: Vec<((i64, usize), StepChange)> = Vec::new();
    for group in &matching.groups {
        let first = group.as_is.iter().min().copied().unwrap_or(0);
        let anchor = i64::try_from(first).unwrap_or(i64::MAX);
        for &t in &group.to_be {
            anchor_of_to_be[t] = Some(anchor);
        }
        let (classes, detail) = classify_group(a, b, group);
        let mut links: Vec<PairLink> = group
            .links
            .iter()
            .map(|&(i, j, by)| PairLink {
                as_is: a.model.steps[i].key.clone(),
                to_be: b.model.steps[j].key.clone(),
                by,
                score: round4(pair_score(a, i, b, j).0),
            })
            .collect();
        links.sort_by(|x, y| x.as_is.cmp(&y.as_is).then(x.to_be.cmp(&y.to_be)));
        let matched_by = group.links.iter().map(|l| l.2).min();
        keyed.push((
            (anchor, 0),
            StepChange {
                as_is: group.as_is.iter().map(|&s| step_ref(a, s)).collect(),
                to_be: group.to_be.iter().map(|&s| step_ref(b, s)).collect(),
                classes,
                matched_by,
                links,
                reason: None,
                detail,
            },
        ));
    }
    for (step, reason) in &matching.removed {
        let detail = reason.as_ref().map_or_else(
            || Text::new("削除", "removed"),
            |r| Text::new(format!("削除: {r}"), format!("removed: {r}")),
        );
        keyed.push((
            (i64::try_from(*step).unwrap_or(i64::MAX), 0),
            StepChange {
                as_is: vec![step_ref(a, *step)],
                to_be: Vec::new(),
                classes: vec![ChangeClass::Removed],
                matched_by: None,
                links: Vec::new(),
                reason: reason.clone(),
                detail,
            },
        ));
    }
    for &t in &matching.added {
        let anchor = (0..t).rev().find_map(|p| anchor_of_to_be[p]).unwrap_or(-1);
        keyed.push((
            (anchor, 1 + t),
            StepChange {
                as_is: Vec::new(),
                to_be: vec![step_ref(b, t)],
                classes: vec![ChangeClass::Added],
                matched_by: None,
                links: Vec::new(),
                reason: None,
                detail: Text::new("追加", "added"),
            },
        ));
    }
    keyed.sort_by_key(|x| x.0);
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// Rounds to four decimals so that serialised scores are stable across platforms' last bits.
pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

//! Writes a step's attributes in the `.flow` attribute syntax (`紙, 10分, 待ち 1日, 押印`), for the
//! flow printer and for the `documentation` of exported BPMN tasks.

use nagare_model::{DocRole, Endpoint, Medium, Minutes, Model, Step, StepKind};

/// Returns the attribute items of `step`, in the order of docs/dsl.md §4.
#[must_use]
pub fn step_attributes(model: &Model, step: &Step) -> Vec<String> {
    let mut items = Vec::new();
    match step.kind {
        StepKind::Task => {}
        StepKind::Decision => items.push("判断".to_owned()),
        StepKind::Wait => items.push("待機".to_owned()),
        StepKind::Subprocess => items.push("サブプロセス".to_owned()),
        StepKind::Start => items.push("開始".to_owned()),
        StepKind::End => items.push("終了".to_owned()),
    }
    if step.flags.visit {
        items.push("来庁".to_owned());
    }
    if let Some(medium) = step.medium
        && !(step.flags.visit && medium == Medium::InPerson)
    {
        items.push(
            match medium {
                Medium::Paper => "紙",
                Medium::Digital => "電子",
                Medium::InPerson => "対面",
                Medium::Phone => "電話",
                Medium::Mail => "郵送",
                Medium::Fax => "FAX",
                Medium::Email => "メール",
            }
            .to_owned(),
        );
    }
    if let Some(work) = step.work {
        items.push(duration(work));
    }
    if let Some(wait) = step.wait {
        items.push(format!("待ち {}", duration(wait)));
    }
    for doc_use in &step.docs {
        let Some(document) = model.documents.get(doc_use.doc) else {
            continue;
        };
        let key = match doc_use.role {
            DocRole::Fill => "記入",
            DocRole::Read => "参照",
            DocRole::Produce => "作成",
            DocRole::Attach => "添付",
        };
        if doc_use.fields.is_empty() {
            items.push(format!("{key}={}", document.name));
        } else {
            items.push(format!(
                "{key}={}({})",
                document.name,
                doc_use.fields.join(", ")
            ));
        }
    }
    if let Some(transcription) = &step.transcription {
        let name = |endpoint: &Endpoint| match endpoint {
            Endpoint::Document(doc) => model
                .documents
                .get(*doc)
                .map_or_else(String::new, |d| d.name.clone()),
            Endpoint::System(system) => system.clone(),
        };
        items.push(format!(
            "転記 {}→{}",
            name(&transcription.from),
            name(&transcription.to)
        ));
    }
    let flags = [
        (step.flags.seal, "押印"),
        (step.flags.signature, "署名"),
        (step.flags.id_check, "本人確認"),
        (step.flags.legal_paper, "法定紙"),
        (step.flags.legal_presence, "法定対面"),
        (step.flags.inspection, "現地調査"),
        (step.flags.manual_check, "全件目視"),
    ];
    items.extend(
        flags
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, word)| (*word).to_owned()),
    );
    if let Some(item) = &step.item {
        items.push(format!("現物={item}"));
    }
    if let Some(system) = &step.system {
        items.push(format!("システム={system}"));
    }
    if let Some(rule) = step.rule_based {
        items.push(format!("定型={rule}"));
    }
    if let Some(rate) = step.exception_rate {
        items.push(format!("例外 {}%", number(rate * 100.0)));
    }
    if !step.replaces.is_empty() {
        items.push(format!("置換 {}", step.replaces.join(" ")));
    }
    if let Some(note) = &step.note {
        items.push(format!(
            "備考={}",
            one_line(note).replace([',', '、', '，', ']', '［', '］'], " ")
        ));
    }
    items
}

/// Returns `text` on one line: BPMN names often hold line breaks, a `.flow` statement cannot.
#[must_use]
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Returns a duration in the largest unit that divides it (`1日`, `2時間`, `10分`), with a p90.
fn duration(minutes: Minutes) -> String {
    let unit = |m: f64| -> (f64, &'static str) {
        if m >= 1440.0 && (m / 1440.0).fract() == 0.0 {
            (m / 1440.0, "日")
        } else if m >= 60.0 && (m / 60.0).fract() == 0.0 {
            (m / 60.0, "時間")
        } else {
            (m, "分")
        }
    };
    match minutes.p90 {
        Some(p90) => {
            // Both ends share the unit of the smaller one, as the DSL reads one unit.
            let (_, u) = unit(minutes.p50);
            let divisor = match u {
                "日" => 1440.0,
                "時間" => 60.0,
                _ => 1.0,
            };
            format!(
                "{}〜{}{u}",
                number(minutes.p50 / divisor),
                number(p90 / divisor)
            )
        }
        None => {
            let (value, u) = unit(minutes.p50);
            format!("{}{u}", number(value))
        }
    }
}

/// Returns a number with at most two decimals and no trailing zeros (deterministic).
pub(crate) fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // In tests a panic is the failure report.
mod tests {
    use super::*;

    #[test]
    fn durations_use_the_largest_whole_unit() {
        let m = |p50, p90| Minutes { p50, p90 };
        assert_eq!(duration(m(10.0, None)), "10分");
        assert_eq!(duration(m(90.0, None)), "90分");
        assert_eq!(duration(m(120.0, None)), "2時間");
        assert_eq!(duration(m(1440.0, None)), "1日");
        assert_eq!(duration(m(10.0, Some(20.0))), "10〜20分");
        assert_eq!(duration(m(2.5, None)), "2.5分");
    }
}

//! Attributes of one step that contradict each other (W0107): two different media, two work
//! times or two waits. Lowering keeps one of them (the last), so without this warning the other
//! would be dropped without a word. `来庁` never conflicts: it says the resident is at the office
//! (a visit), which goes with any medium — `[紙, 来庁]` is paper handled during a visit.

use nagare_syntax::ast::{Attr, AttrKind, Duration, MediumKw};
use nagare_syntax::{Diagnostic, Text};

/// What one attribute says, for the three kinds that lowering keeps only once.
#[derive(Clone, Copy, PartialEq)]
enum Value {
    /// An explicit medium (`紙`, `電子`, `対面`, …).
    Medium(MediumKw),
    Work(Duration),
    Wait(Duration),
}

impl Value {
    fn of(attr: &Attr) -> Option<Self> {
        match attr.kind {
            AttrKind::Medium(m) => Some(Self::Medium(m)),
            AttrKind::Work(d) => Some(Self::Work(d)),
            AttrKind::Wait(d) => Some(Self::Wait(d)),
            _ => None,
        }
    }

    /// Returns the slot this value fills: 0 medium, 1 work time, 2 wait.
    fn slot(self) -> usize {
        match self {
            Self::Medium(_) => 0,
            Self::Work(_) => 1,
            Self::Wait(_) => 2,
        }
    }

    /// Returns true if `self` and `other` (same slot) say different things.
    fn differs(self, other: Self) -> bool {
        self != other
    }
}

/// Returns one W0107 warning per slot (medium, work time, wait) of `attrs` that is given twice
/// with different values; `step` names the step in the message.
///
/// The caret is on the first attribute that contradicts the first one of its slot, the first is
/// a secondary label, and any further contradicting ones are labelled too. The message says which
/// value lowering keeps, so the user knows what the numbers currently use.
pub(crate) fn conflicts(attrs: &[Attr], step: &Text) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for slot in 0..3 {
        let given: Vec<(&Attr, Value)> = attrs
            .iter()
            .filter_map(|a| Value::of(a).map(|v| (a, v)))
            .filter(|(_, v)| v.slot() == slot)
            .collect();
        let Some(&(first, first_value)) = given.first() else {
            continue;
        };
        let differing: Vec<&Attr> = given
            .iter()
            .skip(1)
            .filter(|(_, v)| v.differs(first_value))
            .map(|(a, _)| *a)
            .collect();
        let Some((&second, others)) = differing.split_first() else {
            continue;
        };
        // "two" only when it is exactly two; with a third the message says "several".
        let (count_ja, count_en) = if others.is_empty() {
            ("二つ", "two different")
        } else {
            ("複数", "several different")
        };
        let kept = kept(&given).unwrap_or(second);
        // The English plural is irregular (`media`), so it is spelt out.
        let (what, plural, hint) = match slot {
            0 => (Text::new("媒体", "medium"), "media", media_hint(&given)),
            1 => (
                Text::new("作業時間", "work time"),
                "work times",
                Text::new(
                    "一つにしてください。ふだん 5分・長いと 10分 なら `5〜10分`、待っている時間なら `待ち 10分` と書きます",
                    "keep one: for usually 5 minutes and 10 when long write `5-10min`; for time spent waiting write `wait 10min`",
                ),
            ),
            _ => (
                Text::new("待ち時間", "wait"),
                "waits",
                Text::new(
                    "一つにしてください。ふだん 1日・長いと 3日 なら `待ち 1〜3日` と書きます",
                    "keep one: for usually 1 day and 3 when long write `wait 1-3d`",
                ),
            ),
        };
        let mut d = Diagnostic::warning(
            "W0107",
            second.span,
            Text::new(
                format!(
                    "{} に{}が{}書かれています (`{}` と `{}`)。使われるのは `{}` だけです",
                    step.ja, what.ja, count_ja, first.text, second.text, kept.text
                ),
                format!(
                    "{} has {} {} (`{}` and `{}`); only `{}` is used",
                    step.en, count_en, plural, first.text, second.text, kept.text
                ),
            ),
        )
        .with_label_message(Text::new(
            format!("二つ目の{}", what.ja),
            format!("second {}", what.en),
        ))
        .with_secondary(
            first.span,
            Text::new(format!("一つ目の{}", what.ja), format!("first {}", what.en)),
        );
        for more in others {
            d = d.with_secondary(
                more.span,
                Text::new(format!("これも{}", what.ja), format!("another {}", what.en)),
            );
        }
        out.push(d.with_hint(hint));
    }
    out
}

/// Returns the attribute whose value lowering keeps among `given` (one slot): the last one.
fn kept<'a>(given: &[(&'a Attr, Value)]) -> Option<&'a Attr> {
    given.last().map(|(a, _)| *a)
}

/// Returns the W0107 hint for two media, fitted to the pair the user wrote: paper sent by post
/// (`[郵送, 紙]`) needs different advice from on-screen work at the counter (`[対面, 電子]`).
fn media_hint(given: &[(&Attr, Value)]) -> Text {
    let has = |m: MediumKw| given.iter().any(|(_, v)| *v == Value::Medium(m));
    let channel = [
        MediumKw::Mail,
        MediumKw::Fax,
        MediumKw::Email,
        MediumKw::Phone,
    ]
    .into_iter()
    .find(|&m| has(m));
    match channel {
        Some(m) if has(MediumKw::Paper) => {
            let (ja, en) = match m {
                MediumKw::Mail => ("郵送", "mail"),
                MediumKw::Fax => ("FAX", "fax"),
                MediumKw::Email => ("メール", "email"),
                _ => ("電話", "phone"),
            };
            Text::new(
                format!(
                    "媒体は送り方の `{ja}` だけにし、紙の書類は `作成=通知書` や `参照=申請書` のように書類として書いてください (紙の書類を使う工程は紙接点に数えます)"
                ),
                format!(
                    "keep only `{en}` (how it is sent) and name the paper document with `produce=notice` or `read=application`: a step that uses a paper document still counts as a paper touchpoint"
                ),
            )
        }
        _ if has(MediumKw::Digital) && has(MediumKw::Paper) => Text::new(
            "紙の書類を見ながら画面で処理するなら `電子` とし、紙の書類は `参照=申請書` のように書類として書いてください (紙の書類を使う工程は紙接点に数えます)",
            "for on-screen work from a paper document keep `digital` and name the document with `read=application`: a step that uses a paper document still counts as a paper touchpoint",
        ),
        _ if has(MediumKw::Digital) && has(MediumKw::InPerson) => Text::new(
            "一つにしてください。窓口で職員が画面に入力するなら `対面`、住民がオンラインで申請するなら `電子` と書きます",
            "keep one: for staff typing into a system at the counter write `in-person`; for a resident applying online write `digital`",
        ),
        _ => Text::new(
            "この手順がどう行われるかを表す媒体を一つだけ書いてください",
            "keep the one medium that says how this step is done",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nagare_syntax::Span;

    fn attr(text: &str, start: usize, kind: AttrKind) -> Attr {
        Attr {
            text: text.to_owned(),
            span: Span::new(start, start + text.len()),
            kind,
        }
    }

    fn minutes(p50: f64) -> Duration {
        Duration { p50, p90: None }
    }

    fn step() -> Text {
        Text::new("手順 T1", "step T1")
    }

    #[test]
    fn two_media_warn_with_caret_on_the_second() {
        let attrs = [
            attr("対面", 0, AttrKind::Medium(MediumKw::InPerson)),
            attr("電子", 10, AttrKind::Medium(MediumKw::Digital)),
            attr("5分", 20, AttrKind::Work(minutes(5.0))),
        ];
        let ds = conflicts(&attrs, &step());
        assert_eq!(ds.len(), 1);
        let d = &ds[0];
        assert_eq!(d.code, "W0107");
        assert_eq!(d.span(), attrs[1].span);
        assert_eq!(d.labels[1].span, attrs[0].span);
        assert!(
            d.message.en.contains("only `電子` is used"),
            "{}",
            d.message.en
        );
    }

    #[test]
    fn a_visit_goes_with_any_medium() {
        for (word, medium) in [
            ("対面", MediumKw::InPerson),
            ("電子", MediumKw::Digital),
            ("紙", MediumKw::Paper),
        ] {
            let attrs = [
                attr(word, 0, AttrKind::Medium(medium)),
                attr("来庁", 10, AttrKind::Visit),
            ];
            assert!(conflicts(&attrs, &step()).is_empty(), "{word} + 来庁");
        }
    }

    #[test]
    fn times_and_waits_warn_separately_and_equal_values_do_not() {
        let attrs = [
            attr("5分", 0, AttrKind::Work(minutes(5.0))),
            attr("待ち 1日", 10, AttrKind::Wait(minutes(1440.0))),
            attr("10分", 20, AttrKind::Work(minutes(10.0))),
            attr("待ち 2日", 30, AttrKind::Wait(minutes(2880.0))),
            attr("待ち 3日", 40, AttrKind::Wait(minutes(4320.0))),
        ];
        let ds = conflicts(&attrs, &step());
        assert_eq!(ds.len(), 2);
        assert_eq!(ds[0].span(), attrs[2].span);
        assert_eq!(ds[1].span(), attrs[3].span);
        // The third wait is labelled too, and it is the one kept.
        assert_eq!(ds[1].labels.len(), 3);
        assert!(
            ds[1].message.en.contains("only `待ち 3日`"),
            "{}",
            ds[1].message.en
        );
        assert!(
            ds[1].message.en.contains("several different waits"),
            "{}",
            ds[1].message.en
        );
        assert!(
            ds[0].message.en.contains("two different work times"),
            "{}",
            ds[0].message.en
        );

        let same = [
            attr("1時間", 0, AttrKind::Work(minutes(60.0))),
            attr("60分", 10, AttrKind::Work(minutes(60.0))),
            attr("紙", 20, AttrKind::Medium(MediumKw::Paper)),
            attr("紙", 30, AttrKind::Medium(MediumKw::Paper)),
        ];
        assert!(conflicts(&same, &step()).is_empty());
    }
}

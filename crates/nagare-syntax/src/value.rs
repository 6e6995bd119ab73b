//! Keywords, numbers, units and step attributes: the vocabulary inside a line.
//!
//! Every table lists the Japanese words first, then the English ones; matching is on folded,
//! ASCII-lower-cased text so `１０ＭＩＮ` and `10min` are the same.

// A diagnostic is returned at most once per attribute, on the error path: boxing it would add
// noise without a measurable gain.
#![allow(clippy::result_large_err)]

use crate::ast::{
    ActorKindKw, AttrKind, DocMediumKw, DocRoleKw, Duration, FlagKw, HeaderKey, MediumKw,
    SectionKind, StepKindKw, VariantKw, Word,
};
use crate::suggest::did_you_mean;
use crate::text::{Seg, name_key};
use crate::{Diagnostic, Span, Text};

pub(crate) const SECTIONS: &[(&str, SectionKind)] = &[
    ("担当", SectionKind::Actors),
    ("担当者", SectionKind::Actors),
    ("actors", SectionKind::Actors),
    ("書類", SectionKind::Documents),
    ("documents", SectionKind::Documents),
    ("流れ", SectionKind::Flow),
    ("手順", SectionKind::Flow),
    ("flow", SectionKind::Flow),
    ("削除", SectionKind::Removed),
    ("removed", SectionKind::Removed),
];

pub(crate) const HEADERS: &[(&str, HeaderKey)] = &[
    ("業務", HeaderKey::Process),
    ("手続", HeaderKey::Process),
    ("手続き", HeaderKey::Process),
    ("process", HeaderKey::Process),
    ("id", HeaderKey::Id),
    ("識別子", HeaderKey::Id),
    ("版", HeaderKey::Variant),
    ("区分", HeaderKey::Variant),
    ("variant", HeaderKey::Variant),
    ("件数", HeaderKey::Volume),
    ("volume", HeaderKey::Volume),
    ("担当課", HeaderKey::Department),
    ("所管", HeaderKey::Department),
    ("department", HeaderKey::Department),
    ("根拠", HeaderKey::Basis),
    ("根拠法令", HeaderKey::Basis),
    ("basis", HeaderKey::Basis),
    ("legal", HeaderKey::Basis),
    ("備考", HeaderKey::Note),
    ("note", HeaderKey::Note),
    ("重点", HeaderKey::Priority),
    ("重点手続", HeaderKey::Priority),
    ("priority", HeaderKey::Priority),
    ("手数料", HeaderKey::Fee),
    ("fee", HeaderKey::Fee),
    ("オンライン決済", HeaderKey::OnlinePayment),
    ("online-payment", HeaderKey::OnlinePayment),
];

const VARIANTS: &[(&str, VariantKw)] = &[
    ("現状", VariantKw::AsIs),
    ("as-is", VariantKw::AsIs),
    ("asis", VariantKw::AsIs),
    ("as is", VariantKw::AsIs),
    ("当面", VariantKw::CanBe),
    ("can-be", VariantKw::CanBe),
    ("canbe", VariantKw::CanBe),
    ("can be", VariantKw::CanBe),
    ("あるべき姿", VariantKw::ToBe),
    ("見直し後", VariantKw::ToBe),
    ("to-be", VariantKw::ToBe),
    ("tobe", VariantKw::ToBe),
    ("to be", VariantKw::ToBe),
];

const ACTOR_KINDS: &[(&str, ActorKindKw)] = &[
    ("住民", ActorKindKw::Resident),
    ("申請者", ActorKindKw::Resident),
    ("resident", ActorKindKw::Resident),
    ("applicant", ActorKindKw::Resident),
    ("職員", ActorKindKw::Staff),
    ("staff", ActorKindKw::Staff),
    ("外部", ActorKindKw::External),
    ("他機関", ActorKindKw::External),
    ("external", ActorKindKw::External),
    ("システム", ActorKindKw::System),
    ("system", ActorKindKw::System),
    ("rpa", ActorKindKw::Rpa),
];

const DOC_MEDIA: &[(&str, DocMediumKw)] = &[
    ("紙", DocMediumKw::PaperForm),
    ("様式", DocMediumKw::PaperForm),
    ("paper", DocMediumKw::PaperForm),
    ("form", DocMediumKw::PaperForm),
    ("手書き", DocMediumKw::Handwritten),
    ("handwritten", DocMediumKw::Handwritten),
    ("印刷", DocMediumKw::Printed),
    ("printed", DocMediumKw::Printed),
    ("pdf", DocMediumKw::Pdf),
    ("データ", DocMediumKw::Data),
    ("電子", DocMediumKw::Data),
    ("data", DocMediumKw::Data),
    ("digital", DocMediumKw::Data),
];

const GOV_HELD: &[&str] = &["行政保有", "gov-held"];

/// Attributes that are a single word.
const WORD_ATTRS: &[(&str, AttrKind)] = &[
    ("紙", AttrKind::Medium(MediumKw::Paper)),
    ("paper", AttrKind::Medium(MediumKw::Paper)),
    ("電子", AttrKind::Medium(MediumKw::Digital)),
    ("デジタル", AttrKind::Medium(MediumKw::Digital)),
    ("オンライン", AttrKind::Medium(MediumKw::Digital)),
    ("digital", AttrKind::Medium(MediumKw::Digital)),
    ("online", AttrKind::Medium(MediumKw::Digital)),
    ("対面", AttrKind::Medium(MediumKw::InPerson)),
    ("in-person", AttrKind::Medium(MediumKw::InPerson)),
    ("来庁", AttrKind::Visit),
    ("visit", AttrKind::Visit),
    ("電話", AttrKind::Medium(MediumKw::Phone)),
    ("phone", AttrKind::Medium(MediumKw::Phone)),
    ("郵送", AttrKind::Medium(MediumKw::Mail)),
    ("mail", AttrKind::Medium(MediumKw::Mail)),
    ("fax", AttrKind::Medium(MediumKw::Fax)),
    ("ファクス", AttrKind::Medium(MediumKw::Fax)),
    ("ファックス", AttrKind::Medium(MediumKw::Fax)),
    ("メール", AttrKind::Medium(MediumKw::Email)),
    ("email", AttrKind::Medium(MediumKw::Email)),
    ("e-mail", AttrKind::Medium(MediumKw::Email)),
    ("押印", AttrKind::Flag(FlagKw::Seal)),
    ("seal", AttrKind::Flag(FlagKw::Seal)),
    ("署名", AttrKind::Flag(FlagKw::Signature)),
    ("signature", AttrKind::Flag(FlagKw::Signature)),
    ("本人確認", AttrKind::Flag(FlagKw::IdCheck)),
    ("id-check", AttrKind::Flag(FlagKw::IdCheck)),
    ("法定紙", AttrKind::Flag(FlagKw::LegalPaper)),
    ("legal-paper", AttrKind::Flag(FlagKw::LegalPaper)),
    ("法定対面", AttrKind::Flag(FlagKw::LegalPresence)),
    ("legal-presence", AttrKind::Flag(FlagKw::LegalPresence)),
    ("現地調査", AttrKind::Flag(FlagKw::Inspection)),
    ("inspection", AttrKind::Flag(FlagKw::Inspection)),
    ("全件目視", AttrKind::Flag(FlagKw::ManualCheck)),
    ("manual-check", AttrKind::Flag(FlagKw::ManualCheck)),
    ("判断", AttrKind::Kind(StepKindKw::Decision)),
    ("decision", AttrKind::Kind(StepKindKw::Decision)),
    ("待機", AttrKind::Kind(StepKindKw::Wait)),
    ("waiting", AttrKind::Kind(StepKindKw::Wait)),
    ("サブプロセス", AttrKind::Kind(StepKindKw::Subprocess)),
    ("別業務", AttrKind::Kind(StepKindKw::Subprocess)),
    ("subprocess", AttrKind::Kind(StepKindKw::Subprocess)),
    ("開始", AttrKind::Kind(StepKindKw::Start)),
    ("start", AttrKind::Kind(StepKindKw::Start)),
    ("終了", AttrKind::Kind(StepKindKw::End)),
    ("end", AttrKind::Kind(StepKindKw::End)),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKey {
    Wait,
    Work,
    Doc(DocRoleKw),
    Transcribe,
    Item,
    System,
    RuleBased,
    Exceptions,
    Replaces,
    Note,
}

/// Attributes that take a value (`key=value`, `key value`, `key: value`).
const VALUE_ATTRS: &[(&str, ValueKey)] = &[
    ("待ち時間", ValueKey::Wait),
    ("待ち", ValueKey::Wait),
    ("wait", ValueKey::Wait),
    ("作業時間", ValueKey::Work),
    ("作業", ValueKey::Work),
    ("work", ValueKey::Work),
    ("記入", ValueKey::Doc(DocRoleKw::Fill)),
    ("fill", ValueKey::Doc(DocRoleKw::Fill)),
    ("参照", ValueKey::Doc(DocRoleKw::Read)),
    ("read", ValueKey::Doc(DocRoleKw::Read)),
    ("作成", ValueKey::Doc(DocRoleKw::Produce)),
    ("produce", ValueKey::Doc(DocRoleKw::Produce)),
    ("添付", ValueKey::Doc(DocRoleKw::Attach)),
    ("attach", ValueKey::Doc(DocRoleKw::Attach)),
    ("転記", ValueKey::Transcribe),
    ("transcribe", ValueKey::Transcribe),
    ("現物", ValueKey::Item),
    ("item", ValueKey::Item),
    ("システム", ValueKey::System),
    ("system", ValueKey::System),
    ("定型", ValueKey::RuleBased),
    ("rule-based", ValueKey::RuleBased),
    ("例外", ValueKey::Exceptions),
    ("exceptions", ValueKey::Exceptions),
    ("exception", ValueKey::Exceptions),
    ("置換", ValueKey::Replaces),
    ("replaces", ValueKey::Replaces),
    ("備考", ValueKey::Note),
    ("note", ValueKey::Note),
];

/// Time units and their length in minutes.
pub(crate) const UNITS: &[(&str, f64)] = &[
    ("秒", 1.0 / 60.0),
    ("秒間", 1.0 / 60.0),
    ("s", 1.0 / 60.0),
    ("sec", 1.0 / 60.0),
    ("secs", 1.0 / 60.0),
    ("second", 1.0 / 60.0),
    ("seconds", 1.0 / 60.0),
    ("分", 1.0),
    ("分間", 1.0),
    ("min", 1.0),
    ("mins", 1.0),
    ("minute", 1.0),
    ("minutes", 1.0),
    ("時間", 60.0),
    ("h", 60.0),
    ("hr", 60.0),
    ("hrs", 60.0),
    ("hour", 60.0),
    ("hours", 60.0),
    ("日", 1440.0),
    ("日間", 1440.0),
    ("d", 1440.0),
    ("day", 1440.0),
    ("days", 1440.0),
    ("週", 10080.0),
    ("週間", 10080.0),
    ("w", 10080.0),
    ("week", 10080.0),
    ("weeks", 10080.0),
    ("か月", 43200.0),
    ("ヶ月", 43200.0),
    ("ヵ月", 43200.0),
    ("カ月", 43200.0),
    ("箇月", 43200.0),
    ("月", 43200.0),
    ("か月間", 43200.0),
    ("ヶ月間", 43200.0),
    ("month", 43200.0),
    ("months", 43200.0),
];

pub(crate) fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    let key = name_key(word);
    table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

pub(crate) fn section_kind(word: &str) -> Option<SectionKind> {
    lookup(SECTIONS, word)
}

pub(crate) fn header_key(word: &str) -> Option<HeaderKey> {
    lookup(HEADERS, word)
}

pub(crate) fn variant(word: &str) -> Option<VariantKw> {
    lookup(VARIANTS, word)
}

pub(crate) fn actor_kind(word: &str) -> Option<ActorKindKw> {
    lookup(ACTOR_KINDS, word)
}

pub(crate) fn actor_kind_words() -> impl Iterator<Item = &'static str> {
    ACTOR_KINDS.iter().map(|(k, _)| *k)
}

pub(crate) fn doc_medium(word: &str) -> Option<DocMediumKw> {
    lookup(DOC_MEDIA, word)
}

pub(crate) fn is_gov_held(word: &str) -> bool {
    GOV_HELD.contains(&name_key(word).as_str())
}

pub(crate) fn doc_attr_words() -> impl Iterator<Item = &'static str> {
    DOC_MEDIA
        .iter()
        .map(|(k, _)| *k)
        .chain(GOV_HELD.iter().copied())
}

/// Returns true for yes (`はい`, `yes`, `true`, `あり`), false for no, `None` otherwise.
pub(crate) fn yes_no(word: &str) -> Option<bool> {
    match name_key(word).as_str() {
        "はい" | "yes" | "true" | "あり" | "有" | "対象" | "○" => Some(true),
        "いいえ" | "no" | "false" | "なし" | "無" | "対象外" | "×" => Some(false),
        _ => None,
    }
}

/// Returns true if `s` is a valid step id: ASCII letters, digits, `-`, `_`, with a digit.
pub(crate) fn is_step_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && s.chars().any(|c| c.is_ascii_digit())
}

/// Returns a [`Word`] for `seg` (trimmed), taking the text as written from `source`.
pub(crate) fn word(source: &str, seg: Seg<'_>) -> Word {
    let seg = seg.trim();
    let span = seg.span();
    let text = source.get(span.range()).unwrap_or_default().to_owned();
    let key = name_key(&text);
    Word { text, key, span }
}

/// Parses a non-negative decimal number at the start of `seg`; returns it and the index after.
fn number(seg: Seg<'_>) -> Option<(f64, usize)> {
    let mut i = 0;
    let mut text = String::new();
    while i < seg.len() {
        let c = seg.chars[i];
        if c.is_ascii_digit() || (c == '.' && !text.contains('.')) {
            text.push(c);
        } else if c == ','
            && !text.is_empty()
            && seg.chars.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            // thousands separator inside a number (`1,200`)
        } else {
            break;
        }
        i += 1;
    }
    if !text.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v, i))
}

fn skip_ws(seg: Seg<'_>, mut i: usize) -> usize {
    while i < seg.len() && seg.chars[i].is_whitespace() {
        i += 1;
    }
    i
}

fn unit_minutes(unit: &str) -> Option<f64> {
    lookup(UNITS, unit)
}

fn unit_error(unit: Span, text: &str, suggest: bool) -> Diagnostic {
    let mut d = Diagnostic::error(
        "E0502",
        unit,
        Text::new(
            format!("`{text}` は時間の単位として分かりません"),
            format!("`{text}` is not a time unit"),
        ),
    )
    .with_label_message(Text::new("不明な単位", "unknown unit"));
    if let Some(s) = did_you_mean(text, UNITS.iter().map(|(k, _)| *k).take(take(suggest))) {
        d = d.with_hint(Text::new(
            format!("`{s}` のことですか?"),
            format!("did you mean `{s}`?"),
        ));
    }
    d.with_hint(Text::new(
        "単位は 秒・分・時間・日・週・か月 (または s, min, h, d, w, month) です。例: `10分`, `1.5時間`",
        "units are s, min, h, d, w, month (or 秒, 分, 時間, 日, 週, か月); e.g. `10min`, `1.5h`",
    ))
}

fn negative_error(span: Span, what: &Text) -> Diagnostic {
    Diagnostic::error(
        "E0503",
        span,
        Text::new(
            format!("{}に負の値は書けません", what.ja),
            format!("{} cannot be negative", what.en),
        ),
    )
    .with_hint(Text::new(
        "0 以上の値を書いてください",
        "write a value of 0 or more",
    ))
}

/// Parses a duration: `10分`, `1.5h`, `10〜20分`, `10分〜20分`, `10-20min`.
pub(crate) fn duration(seg: Seg<'_>, suggest: bool) -> Result<Duration, Diagnostic> {
    let seg = seg.trim();
    let what = Text::new("時間", "a time");
    if seg.chars.first() == Some(&'-') {
        return Err(negative_error(seg.span(), &what));
    }
    let Some((a, i)) = number(seg) else {
        return Err(Diagnostic::error(
            "E0504",
            seg.span(),
            Text::new(
                "時間は数と単位で書いてください",
                "a time needs a number and a unit",
            ),
        )
        .with_hint(Text::new(
            "例: `10分`, `1.5時間`, `2日`",
            "e.g. `10min`, `1.5h`, `2d`",
        )));
    };
    let unit_end = |from: usize| {
        let mut j = from;
        while j < seg.len() && !matches!(seg.chars[j], '~' | '-') && !seg.chars[j].is_whitespace() {
            j += 1;
        }
        j
    };
    let i = skip_ws(seg, i);
    let j = unit_end(i);
    let unit1 = seg.sub(i, j);
    let k = skip_ws(seg, j);
    let (p50, p90, last_unit) = if k < seg.len() && matches!(seg.chars[k], '~' | '-') {
        let rest = seg.from(k + 1).trim();
        let Some((b, bi)) = number(rest) else {
            return Err(Diagnostic::error(
                "E0504",
                rest.span(),
                Text::new(
                    "範囲の後ろの数がありません",
                    "the range needs a second number",
                ),
            )
            .with_hint(Text::new("例: `10〜20分`", "e.g. `10-20min`")));
        };
        let unit2 = rest.from(bi).trim();
        (a, Some(b), if unit2.is_empty() { unit1 } else { unit2 })
    } else {
        if k < seg.len() {
            let extra = seg.from(k);
            return Err(unit_error(extra.span(), &extra.folded(), suggest));
        }
        (a, None, unit1)
    };
    if last_unit.is_empty() {
        return Err(Diagnostic::error(
            "E0502",
            Span::at(seg.end as usize),
            Text::new("時間の単位がありません", "the time has no unit"),
        )
        .with_hint(Text::new(
            "数の後ろに単位を書いてください。例: `10分`, `1時間`",
            "write a unit after the number, e.g. `10min`, `1h`",
        )));
    }
    let folded = last_unit.folded();
    let Some(factor) = unit_minutes(&folded) else {
        return Err(unit_error(last_unit.span(), &folded, suggest));
    };
    // `10分〜20分`: the first part may carry its own unit, which must be a unit too.
    let factor1 = if unit1.is_empty() {
        factor
    } else {
        unit_minutes(&unit1.folded())
            .ok_or_else(|| unit_error(unit1.span(), &unit1.folded(), suggest))?
    };
    let p50 = p50 * factor1;
    let p90 = p90.map(|b| b * factor);
    if let Some(b) = p90
        && b < p50
    {
        return Err(Diagnostic::error(
            "E0505",
            seg.span(),
            Text::new(
                "範囲の後ろの値が前の値より小さくなっています",
                "the second value of the range is smaller than the first",
            ),
        )
        .with_hint(Text::new(
            "`普段〜長いとき` の順に書いてください。例: `10〜20分`",
            "write the typical value first, then the long one: `10-20min`",
        )));
    }
    Ok(Duration { p50, p90 })
}

/// Parses a percentage (`10%`, `10 %`, `１０％`) into 0.0–1.0.
pub(crate) fn percent(seg: Seg<'_>, what: &Text) -> Result<f64, Diagnostic> {
    let seg = seg.trim();
    if seg.chars.first() == Some(&'-') {
        return Err(negative_error(seg.span(), what));
    }
    let ok = number(seg).and_then(|(v, i)| {
        let rest = seg.from(i).trim();
        (rest.folded() == "%").then_some(v)
    });
    let Some(v) = ok else {
        return Err(Diagnostic::error(
            "E0506",
            seg.span(),
            Text::new(
                format!("{}は百分率で書いてください", what.ja),
                format!("{} must be a percentage", what.en),
            ),
        )
        .with_hint(Text::new("例: `10%`", "e.g. `10%`")));
    };
    if v > 100.0 {
        return Err(Diagnostic::error(
            "E0507",
            seg.span(),
            Text::new(
                format!("{}が 100% を超えています", what.ja),
                format!("{} is more than 100%", what.en),
            ),
        )
        .with_hint(Text::new(
            "0% から 100% までの値を書いてください",
            "write a value from 0% to 100%",
        )));
    }
    Ok(v / 100.0)
}

/// Returns the index where a trailing percentage (`… 10%`) starts in the trimmed `seg`.
pub(crate) fn trailing_percent(seg: Seg<'_>) -> Option<usize> {
    if seg.chars.last() != Some(&'%') {
        return None;
    }
    let mut i = seg.len() - 1;
    while i > 0 && seg.chars[i - 1].is_whitespace() {
        i -= 1;
    }
    let digits_end = i;
    while i > 0 && (seg.chars[i - 1].is_ascii_digit() || matches!(seg.chars[i - 1], '.' | '-')) {
        i -= 1;
    }
    (i < digits_end).then_some(i)
}

/// Parses the cases-per-year value of `件数:` (`1200/年`, `1,200件/年`, `100/月`, `1200`).
pub(crate) fn volume(seg: Seg<'_>) -> Result<f64, Diagnostic> {
    let seg = seg.trim();
    let invalid = || {
        Diagnostic::error(
            "E0205",
            seg.span(),
            Text::new("件数が読み取れません", "cannot read the volume"),
        )
        .with_hint(Text::new(
            "年間の件数を書いてください。例: `件数: 1200/年`, `件数: 100/月`",
            "write the cases per year, e.g. `volume: 1200/year` or `volume: 100/month`",
        ))
    };
    if seg.chars.first() == Some(&'-') {
        return Err(negative_error(seg.span(), &Text::new("件数", "the volume")));
    }
    let (v, i) = number(seg).ok_or_else(invalid)?;
    let mut rest = name_key(&seg.from(i).folded());
    for prefix in ["件", "cases", "case"] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r.trim().to_owned();
        }
    }
    let per = rest.trim_start_matches(['/', ' ']).trim();
    let factor = match per {
        "" | "年" | "year" | "y" | "yr" | "年間" => 1.0,
        "月" | "month" | "m" | "mo" => 12.0,
        "週" | "week" | "w" => 52.0,
        "日" | "day" | "d" => 240.0,
        _ => return Err(invalid()),
    };
    if v <= 0.0 {
        return Err(Diagnostic::error(
            "E0508",
            seg.span(),
            Text::new("件数は 0 より大きくしてください", "the volume must be more than 0"),
        )
        .with_hint(Text::new(
            "件数が分からなければ `件数:` の行を消してください (年間の数値は計算されません)",
            "if the volume is unknown, delete the `volume:` line (annual figures are then not computed)",
        )));
    }
    Ok(v * factor)
}

/// Parses a fee (`300円`, `300 yen`, `なし`/`none`, `0`).
pub(crate) fn fee(seg: Seg<'_>) -> Result<Option<f64>, Diagnostic> {
    let seg = seg.trim();
    let key = name_key(&seg.folded());
    if matches!(key.as_str(), "なし" | "無料" | "none" | "free" | "0") {
        return Ok(None);
    }
    let parsed = number(seg).and_then(|(v, i)| {
        let unit = name_key(&seg.from(i).folded());
        matches!(unit.as_str(), "" | "円" | "yen" | "jpy").then_some(v)
    });
    parsed.map(Some).ok_or_else(|| {
        Diagnostic::error(
            "E0206",
            seg.span(),
            Text::new("手数料が読み取れません", "cannot read the fee"),
        )
        .with_hint(Text::new(
            "例: `手数料: 300円`、無料なら `手数料: なし`",
            "e.g. `fee: 300 yen`, or `fee: none`",
        ))
    })
}

/// Splits `seg` at top-level separators (`,` and, when `semi`, nothing else), ignoring
/// separators inside parentheses or quotes. Returns the non-empty trimmed parts.
pub(crate) fn split_list(seg: Seg<'_>) -> Vec<Seg<'_>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut start = 0;
    for (i, &c) in seg.chars.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') => quote = Some('"'),
            (None, '「') => quote = Some('」'),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(seg.sub(start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(seg.from(start));
    parts
        .into_iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Splits `seg` on white space, `・` and `/` (lists of step ids).
fn split_ids(seg: Seg<'_>) -> Vec<Seg<'_>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &c) in seg.chars.iter().enumerate() {
        if c.is_whitespace() || c == '・' || c == '/' || c == ',' {
            parts.push(seg.sub(start, i));
            start = i + 1;
        }
    }
    parts.push(seg.from(start));
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Returns the index of an arrow (`→`, `⇒`, `->`, `=>`) in `seg` and its length in characters.
pub(crate) fn find_arrow(seg: Seg<'_>) -> Option<(usize, usize)> {
    for (i, &c) in seg.chars.iter().enumerate() {
        match c {
            '→' | '⇒' | '➡' => return Some((i, 1)),
            '-' | '=' if seg.chars.get(i + 1) == Some(&'>') => return Some((i, 2)),
            _ => {}
        }
    }
    None
}

/// Beyond this many diagnostics, "did you mean" is no longer computed: it keeps a huge broken
/// file linear in time (the report is capped anyway).
pub(crate) const SUGGEST_LIMIT: usize = 200;

/// Returns how many candidates a suggestion may look at (none once suggestions stop).
pub(crate) fn take(suggest: bool) -> usize {
    if suggest { usize::MAX } else { 0 }
}

/// Returns every attribute keyword, for "did you mean".
fn attr_words() -> impl Iterator<Item = &'static str> {
    WORD_ATTRS
        .iter()
        .map(|(k, _)| *k)
        .chain(VALUE_ATTRS.iter().map(|(k, _)| *k))
}

/// Parses one step attribute (already trimmed, non-empty). Errors go to `diags`.
pub(crate) fn attribute(source: &str, seg: Seg<'_>, diags: &mut Vec<Diagnostic>) -> AttrKind {
    let suggest = diags.len() <= SUGGEST_LIMIT;
    let whole = name_key(&seg.folded());
    if let Some((_, kind)) = WORD_ATTRS.iter().find(|(k, _)| *k == whole) {
        return kind.clone();
    }
    let first = seg.chars.first().copied().unwrap_or(' ');
    if first.is_ascii_digit() || first == '.' || first == '-' {
        return match duration(seg, suggest) {
            Ok(d) => AttrKind::Work(d),
            Err(d) => {
                diags.push(d);
                AttrKind::Invalid
            }
        };
    }
    // key=value, key: value or key value
    let sep = seg.find(|c| matches!(c, '=' | ':') || c.is_whitespace());
    let (key, value) = match sep {
        Some(i) => {
            let mut value = seg.from(i + 1).trim();
            // `記入 = 申請書`, `待ち : 5分`: a space before the `=` or `:` is common when people
            // align their attributes; the separator belongs to neither the key nor the value.
            if seg.chars[i].is_whitespace() && matches!(value.chars.first(), Some('=' | ':')) {
                value = value.from(1).trim();
            }
            (seg.to(i).trim(), value)
        }
        None => {
            // `待ち15分`, `定型4`: a Japanese key glued to its value.
            let glued = VALUE_ATTRS.iter().find_map(|(k, _)| {
                let n = k.chars().count();
                (!k.is_ascii() && seg.starts_with(k) && seg.len() > n).then_some(n)
            });
            match glued {
                Some(n) => (seg.to(n), seg.from(n).trim()),
                None => (seg, seg.from(seg.len())),
            }
        }
    };
    let Some(vk) = lookup(VALUE_ATTRS, &key.folded()) else {
        diags.push(unknown_attribute(source, seg, suggest));
        return AttrKind::Invalid;
    };
    if value.is_empty() {
        diags.push(
            Diagnostic::error(
                "E0509",
                seg.span(),
                Text::new(
                    format!("`{}` には値が必要です", key.folded()),
                    format!("`{}` needs a value", key.folded()),
                ),
            )
            .with_hint(value_example(vk)),
        );
        return AttrKind::Invalid;
    }
    let result = match vk {
        ValueKey::Wait => duration(value, suggest).map(AttrKind::Wait),
        ValueKey::Work => duration(value, suggest).map(AttrKind::Work),
        ValueKey::Doc(role) => doc_use(source, value, role),
        ValueKey::Transcribe => transcribe(source, value),
        ValueKey::Item => Ok(AttrKind::Item(word(source, value))),
        ValueKey::System => Ok(AttrKind::System(word(source, value))),
        ValueKey::Note => Ok(AttrKind::Note(word(source, value))),
        ValueKey::RuleBased => rule_based(value),
        ValueKey::Exceptions => {
            percent(value, &Text::new("例外の割合", "the exception rate")).map(AttrKind::Exceptions)
        }
        ValueKey::Replaces => replaces(source, value),
    };
    result.unwrap_or_else(|d| {
        diags.push(d);
        AttrKind::Invalid
    })
}

fn value_example(vk: ValueKey) -> Text {
    let (ja, en) = match vk {
        ValueKey::Wait => ("例: `待ち 15分`", "e.g. `wait 15min`"),
        ValueKey::Work => (
            "例: `作業 10分` (または単に `10分`)",
            "e.g. `work 10min` (or just `10min`)",
        ),
        ValueKey::Doc(_) => (
            "例: `記入=申請書` または `記入=申請書(氏名, 住所)`",
            "e.g. `fill=application` or `fill=application(name, address)`",
        ),
        ValueKey::Transcribe => (
            "例: `転記 申請書→税務システム`",
            "e.g. `transcribe application->tax system`",
        ),
        ValueKey::Item => ("例: `現物=ナンバープレート`", "e.g. `item=number plate`"),
        ValueKey::System => ("例: `システム=税務システム`", "e.g. `system=tax system`"),
        ValueKey::RuleBased => ("例: `定型=4` (1〜5)", "e.g. `rule-based=4` (1 to 5)"),
        ValueKey::Exceptions => ("例: `例外 5%`", "e.g. `exceptions 5%`"),
        ValueKey::Replaces => ("例: `置換 S3 S4`", "e.g. `replaces S3 S4`"),
        ValueKey::Note => ("例: `備考=繁忙期は倍`", "e.g. `note=double in March`"),
    };
    Text::new(ja, en)
}

fn unknown_attribute(source: &str, seg: Seg<'_>, suggest: bool) -> Diagnostic {
    let text = source.get(seg.span().range()).unwrap_or_default();
    let mut d = Diagnostic::error(
        "E0501",
        seg.span(),
        Text::new(
            format!("`{text}` という属性はありません"),
            format!("unknown attribute `{text}`"),
        ),
    )
    .with_label_message(Text::new("不明な属性", "unknown attribute"));
    let head = seg
        .find(|c| matches!(c, '=' | ':') || c.is_whitespace())
        .map_or(seg, |i| seg.to(i));
    if let Some(s) = did_you_mean(&head.folded(), attr_words().take(take(suggest))) {
        d = d.with_hint(Text::new(
            format!("`{s}` のことですか?"),
            format!("did you mean `{s}`?"),
        ));
    } else if is_step_id(&seg.folded()) {
        d = d.with_hint(Text::new(
            "置き換える手順の ID は空白で区切って並べます: `置換 S3 S4`",
            "list replaced step ids separated by spaces: `replaces S3 S4`",
        ));
    }
    d.with_hint(Text::new(
        "属性の一覧は docs/dsl.md の「手順の属性」にあります。属性でなく手順名の一部なら `[` `]` の外に書いてください",
        "see \"Step attributes\" in docs/dsl.md; if this is part of the label, write it outside the brackets",
    ))
}

fn doc_use(source: &str, value: Seg<'_>, role: DocRoleKw) -> Result<AttrKind, Diagnostic> {
    let (name, fields) = match value.find(|c| c == '(') {
        Some(open) => {
            let inner = value.from(open + 1);
            let Some(close) = inner.find(|c| c == ')') else {
                return Err(Diagnostic::error(
                    "E0103",
                    Span::at(value.end as usize),
                    Text::new("`)` がありません", "missing `)`"),
                )
                .with_secondary(
                    Span::new(value.off(open) as usize, value.off(open + 1) as usize),
                    Text::new("ここで開いた括弧", "opened here"),
                )
                .with_hint(Text::new(
                    "項目の並びを `)` で閉じてください。例: `記入=申請書(氏名, 住所)`",
                    "close the field list with `)`, e.g. `fill=application(name, address)`",
                )));
            };
            let fields = split_list(inner.to(close))
                .into_iter()
                .map(|f| word(source, f))
                .collect();
            (value.to(open), fields)
        }
        None => (value, Vec::new()),
    };
    Ok(AttrKind::Doc {
        role,
        doc: word(source, name),
        fields,
    })
}

fn transcribe(source: &str, value: Seg<'_>) -> Result<AttrKind, Diagnostic> {
    let Some((at, len)) = find_arrow(value) else {
        return Err(Diagnostic::error(
            "E0510",
            value.span(),
            Text::new(
                "転記は `元→先` の形で書いてください",
                "a transcription needs a source and a target: `from->to`",
            ),
        )
        .with_hint(Text::new(
            "例: `転記 廃車申告書→税務システム`",
            "e.g. `transcribe application->tax system`",
        )));
    };
    let from = value.to(at).trim();
    let to = value.from(at + len).trim();
    if from.is_empty() || to.is_empty() {
        return Err(Diagnostic::error(
            "E0510",
            value.span(),
            Text::new(
                "転記の元か先が空です",
                "the source or the target of the transcription is empty",
            ),
        )
        .with_hint(Text::new(
            "例: `転記 廃車申告書→税務システム`",
            "e.g. `transcribe application->tax system`",
        )));
    }
    Ok(AttrKind::Transcribe {
        from: word(source, from),
        to: word(source, to),
    })
}

fn rule_based(value: Seg<'_>) -> Result<AttrKind, Diagnostic> {
    let n = number(value)
        .filter(|(_, i)| *i == value.len())
        .map(|(v, _)| v);
    match n {
        Some(v) if v.fract() == 0.0 && (1.0..=5.0).contains(&v) => {
            // The range check above makes the cast exact.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            Ok(AttrKind::RuleBased(v as u8))
        }
        _ => Err(Diagnostic::error(
            "E0511",
            value.span(),
            Text::new(
                "定型の度合いは 1 から 5 の整数で書いてください",
                "rule-based must be a whole number from 1 to 5",
            ),
        )
        .with_hint(Text::new(
            "1 = 判断が多い … 5 = 完全に定型 (手順書どおり)。例: `定型=4`",
            "1 = mostly judgement … 5 = fully rule-based; e.g. `rule-based=4`",
        ))),
    }
}

fn replaces(source: &str, value: Seg<'_>) -> Result<AttrKind, Diagnostic> {
    let mut ids = Vec::new();
    for part in split_ids(value) {
        if !is_step_id(&part.folded()) {
            return Err(bad_step_id(source, part));
        }
        ids.push(word(source, part));
    }
    Ok(AttrKind::Replaces(ids))
}

/// Returns the error for a word that should be a step id but is not.
pub(crate) fn bad_step_id(source: &str, seg: Seg<'_>) -> Diagnostic {
    let text = source.get(seg.span().range()).unwrap_or_default();
    Diagnostic::error(
        "E0108",
        seg.span(),
        Text::new(
            format!("`{text}` は手順 ID ではありません"),
            format!("`{text}` is not a step id"),
        ),
    )
    .with_hint(Text::new(
        "手順 ID は英数字 (と `-`, `_`) で、数字を含みます。例: `S3`, `S12a`",
        "a step id is ASCII letters and digits (and `-`, `_`) with at least one digit, e.g. `S3`, `S12a`",
    ))
}

//! Keywords, numbers, units and step attributes: the vocabulary inside a line.
//!
//! Every table lists the Japanese words first, then the English ones; matching is on folded,
//! ASCII-lower-cased text so `１０ＭＩＮ` and `10min` are the same.

// A diagnostic is returned at most once per attribute, on the error path: boxing it would add
// noise without a measurable gain.
#![allow(clippy::result_large_err)]

use crate::ast::{
    ActorKindKw, AttrKind, DocMediumKw, DocRoleKw, FlagKw, HeaderKey, MediumKw, SectionKind,
    StepKindKw, VariantKw, Word,
};
use crate::quantity::{TimeUse, duration, number};
use crate::suggest::did_you_mean;
use crate::text::{Seg, name_key};
use crate::{Diagnostic, Span, Text};

pub(crate) const SECTIONS: &[(&str, SectionKind)] = &[
    ("担当", SectionKind::Actors),
    ("担当者", SectionKind::Actors),
    ("actors", SectionKind::Actors),
    // Other words clerks use for the same lists (a section keyword only when unindented or
    // alone on its line, so an actor or document may still bear these names).
    ("担当者一覧", SectionKind::Actors),
    ("登場人物", SectionKind::Actors),
    ("関係者", SectionKind::Actors),
    ("アクター", SectionKind::Actors),
    ("lanes", SectionKind::Actors),
    ("書類", SectionKind::Documents),
    ("documents", SectionKind::Documents),
    ("書類一覧", SectionKind::Documents),
    ("帳票", SectionKind::Documents),
    ("様式", SectionKind::Documents),
    ("forms", SectionKind::Documents),
    ("流れ", SectionKind::Flow),
    ("手順", SectionKind::Flow),
    ("flow", SectionKind::Flow),
    ("フロー", SectionKind::Flow),
    ("業務フロー", SectionKind::Flow),
    ("処理の流れ", SectionKind::Flow),
    ("steps", SectionKind::Flow),
    ("削除", SectionKind::Removed),
    ("removed", SectionKind::Removed),
];

pub(crate) const HEADERS: &[(&str, HeaderKey)] = &[
    ("業務", HeaderKey::Process),
    ("手続", HeaderKey::Process),
    ("手続き", HeaderKey::Process),
    ("業務名", HeaderKey::Process),
    ("手続名", HeaderKey::Process),
    ("手続き名", HeaderKey::Process),
    ("process", HeaderKey::Process),
    ("process name", HeaderKey::Process),
    ("id", HeaderKey::Id),
    ("識別子", HeaderKey::Id),
    ("版", HeaderKey::Variant),
    ("区分", HeaderKey::Variant),
    ("variant", HeaderKey::Variant),
    ("件数", HeaderKey::Volume),
    ("年間件数", HeaderKey::Volume),
    ("処理件数", HeaderKey::Volume),
    ("年間処理件数", HeaderKey::Volume),
    ("件数(年間)", HeaderKey::Volume),
    ("件数(年)", HeaderKey::Volume),
    ("volume", HeaderKey::Volume),
    ("annual volume", HeaderKey::Volume),
    ("cases per year", HeaderKey::Volume),
    ("担当課", HeaderKey::Department),
    ("所管", HeaderKey::Department),
    ("所管課", HeaderKey::Department),
    ("担当部署", HeaderKey::Department),
    ("department", HeaderKey::Department),
    ("division", HeaderKey::Department),
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
    ("現行", VariantKw::AsIs),
    ("as_is", VariantKw::AsIs),
    ("current", VariantKw::AsIs),
    ("as-is", VariantKw::AsIs),
    ("asis", VariantKw::AsIs),
    ("as is", VariantKw::AsIs),
    ("当面", VariantKw::CanBe),
    ("can_be", VariantKw::CanBe),
    ("can-be", VariantKw::CanBe),
    ("canbe", VariantKw::CanBe),
    ("can be", VariantKw::CanBe),
    ("あるべき姿", VariantKw::ToBe),
    ("見直し後", VariantKw::ToBe),
    ("改善後", VariantKw::ToBe),
    ("to_be", VariantKw::ToBe),
    ("to-be", VariantKw::ToBe),
    ("tobe", VariantKw::ToBe),
    ("to be", VariantKw::ToBe),
];

const ACTOR_KINDS: &[(&str, ActorKindKw)] = &[
    ("住民", ActorKindKw::Resident),
    ("申請者", ActorKindKw::Resident),
    ("市民", ActorKindKw::Resident),
    ("申請人", ActorKindKw::Resident),
    ("届出人", ActorKindKw::Resident),
    ("届出者", ActorKindKw::Resident),
    ("請求者", ActorKindKw::Resident),
    ("本人", ActorKindKw::Resident),
    ("resident", ActorKindKw::Resident),
    ("applicant", ActorKindKw::Resident),
    ("citizen", ActorKindKw::Resident),
    ("職員", ActorKindKw::Staff),
    ("staff", ActorKindKw::Staff),
    ("外部", ActorKindKw::External),
    ("他機関", ActorKindKw::External),
    ("外部機関", ActorKindKw::External),
    ("関係機関", ActorKindKw::External),
    ("委託業者", ActorKindKw::External),
    ("委託先", ActorKindKw::External),
    ("業者", ActorKindKw::External),
    ("金融機関", ActorKindKw::External),
    ("external", ActorKindKw::External),
    ("contractor", ActorKindKw::External),
    ("agency", ActorKindKw::External),
    ("システム", ActorKindKw::System),
    ("基幹システム", ActorKindKw::System),
    ("業務システム", ActorKindKw::System),
    ("system", ActorKindKw::System),
    ("rpa", ActorKindKw::Rpa),
    ("ロボット", ActorKindKw::Rpa),
    ("robot", ActorKindKw::Rpa),
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
    ("紙媒体", AttrKind::Medium(MediumKw::Paper)),
    ("paper", AttrKind::Medium(MediumKw::Paper)),
    ("電子", AttrKind::Medium(MediumKw::Digital)),
    ("デジタル", AttrKind::Medium(MediumKw::Digital)),
    ("オンライン", AttrKind::Medium(MediumKw::Digital)),
    ("電子申請", AttrKind::Medium(MediumKw::Digital)),
    ("オンライン申請", AttrKind::Medium(MediumKw::Digital)),
    ("ウェブ", AttrKind::Medium(MediumKw::Digital)),
    ("web", AttrKind::Medium(MediumKw::Digital)),
    ("digital", AttrKind::Medium(MediumKw::Digital)),
    ("online", AttrKind::Medium(MediumKw::Digital)),
    ("対面", AttrKind::Medium(MediumKw::InPerson)),
    ("in-person", AttrKind::Medium(MediumKw::InPerson)),
    ("来庁", AttrKind::Visit),
    ("来所", AttrKind::Visit),
    ("visit", AttrKind::Visit),
    ("電話", AttrKind::Medium(MediumKw::Phone)),
    ("phone", AttrKind::Medium(MediumKw::Phone)),
    ("郵送", AttrKind::Medium(MediumKw::Mail)),
    ("郵便", AttrKind::Medium(MediumKw::Mail)),
    ("mail", AttrKind::Medium(MediumKw::Mail)),
    ("fax", AttrKind::Medium(MediumKw::Fax)),
    ("ファクス", AttrKind::Medium(MediumKw::Fax)),
    ("ファックス", AttrKind::Medium(MediumKw::Fax)),
    ("メール", AttrKind::Medium(MediumKw::Email)),
    ("電子メール", AttrKind::Medium(MediumKw::Email)),
    ("eメール", AttrKind::Medium(MediumKw::Email)),
    ("email", AttrKind::Medium(MediumKw::Email)),
    ("e-mail", AttrKind::Medium(MediumKw::Email)),
    ("押印", AttrKind::Flag(FlagKw::Seal)),
    ("捺印", AttrKind::Flag(FlagKw::Seal)),
    ("印鑑", AttrKind::Flag(FlagKw::Seal)),
    ("seal", AttrKind::Flag(FlagKw::Seal)),
    ("署名", AttrKind::Flag(FlagKw::Signature)),
    ("自署", AttrKind::Flag(FlagKw::Signature)),
    ("サイン", AttrKind::Flag(FlagKw::Signature)),
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
    ("待機時間", ValueKey::Wait),
    // `[待機]` alone is the waiting kind (a word attribute, matched first); with a time it is
    // the wait.
    ("待機", ValueKey::Wait),
    ("wait", ValueKey::Wait),
    ("作業時間", ValueKey::Work),
    ("作業", ValueKey::Work),
    ("所要時間", ValueKey::Work),
    ("処理時間", ValueKey::Work),
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
    // `会計年度任用職員`, `正職員`, `担当職員`: every kind of staff member is staff.
    lookup(ACTOR_KINDS, word).or_else(|| {
        name_key(word)
            .ends_with("職員")
            .then_some(ActorKindKw::Staff)
    })
}

/// Returns advice for a kind word whose meaning depends on the role it plays (`事業者` applies
/// as a resident does, or works for the city as a contractor), instead of a spelling guess.
pub(crate) fn actor_kind_advice(word: &str) -> Option<Text> {
    let (ja, en) = match name_key(word).as_str() {
        "事業者" | "法人" | "会社" | "企業" | "business" | "company" => (
            "申請・届出をする事業者なら `申請者`、市の委託先・取引先なら `外部` と書いてください",
            "a business that applies is `applicant`; a contractor or partner of the city is `external`",
        ),
        "国" | "県" | "都道府県" | "府" | "都" | "道" | "警察" | "税務署" | "法務局"
        | "年金事務所" => (
            "国・県などほかの行政機関は `外部` です。例: `法務局: 外部`",
            "another public body (state, prefecture, police) is `external`, e.g. `Legal Affairs Bureau: external`",
        ),
        "ai-ocr" | "ocr" | "ai" => (
            "AI-OCR などの自動処理は `RPA` (ソフトウェアロボット) か `システム` です。例: `AI-OCR: RPA`",
            "automated reading such as AI-OCR is `rpa` (a software robot) or `system`, e.g. `AI-OCR: rpa`",
        ),
        _ => return None,
    };
    Some(Text::new(ja, en))
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

/// Parses a percentage (`10%`, `１０％`, `約10%`, `(10%)`, `10パーセント`, `1割`) into 0.0–1.0.
pub(crate) fn percent(seg: Seg<'_>, what: &Text) -> Result<f64, Diagnostic> {
    crate::quantity::percent(seg, what)
}

/// Returns the index where a trailing percentage (`… 10%`, `… (10%)`, `… 1割`) starts in the
/// trimmed `seg`.
pub(crate) fn trailing_percent(seg: Seg<'_>) -> Option<usize> {
    crate::quantity::trailing_percent(seg)
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
        let mut d = Diagnostic::error(
            "E0206",
            seg.span(),
            Text::new("手数料が読み取れません", "cannot read the fee"),
        );
        if key
            .chars()
            .any(|c| "一二三四五六七八九十百千万".contains(c))
        {
            d = d.with_hint(Text::new(
                "漢数字は読めません。算用数字で書いてください",
                "write the amount in digits, not in kanji",
            ));
        }
        d.with_hint(Text::new(
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
    // A bare time is the work time; `約10分`, `最大3日` and `半日` are times too (accepted or
    // explained there), not unknown attributes.
    if first.is_ascii_digit()
        || first == '.'
        || first == '-'
        || crate::quantity::looks_like_time(seg)
        || crate::quantity::is_numberless_time(&whole)
    {
        return match duration(seg, suggest, TimeUse::Work) {
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
        ValueKey::Wait => duration(value, suggest, TimeUse::Wait).map(AttrKind::Wait),
        ValueKey::Work => duration(value, suggest, TimeUse::Work).map(AttrKind::Work),
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

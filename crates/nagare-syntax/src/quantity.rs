//! Quantities inside a line: numbers (`1,200`, `1.2万`), times (`10分`, `1時間30分`,
//! `約2〜3営業日`), percentages (`10%`, `(10%)`, `1割`) and the yearly volume of the `件数:`
//! header (`50/月`, `年間1,200件`).
//!
//! People copy these from spreadsheets and notes, so the parser accepts the ways a clerk writes
//! them when only one reading is possible, and otherwise says precisely what is ambiguous and how
//! to write it (docs/dsl.md: "Volumes", "Units" and the branch probabilities).

// A diagnostic is returned at most once per value, on the error path: boxing it would add noise
// without a measurable gain.
#![allow(clippy::result_large_err)]

use crate::ast::Duration;
use crate::suggest::did_you_mean;
use crate::text::{Seg, name_key};
use crate::{Diagnostic, Span, Text};

/// Working days (開庁日) per year: converts a per-day volume to a yearly one and fixes the length
/// of a business day. 240 = the 1,920 h of one FTE (nagare-graph's default) / 8 h a day; the real
/// count of weekdays without national holidays and 12/29–1/3 is 242–245, within 2%.
pub(crate) const WORKING_DAYS_PER_YEAR: f64 = 240.0;

/// Minutes of one calendar day.
const DAY: f64 = 1440.0;

/// Elapsed minutes of one business day (営業日): a year of 365 calendar days holds
/// [`WORKING_DAYS_PER_YEAR`] of them, so a wait of one business day spans 1.52 calendar days on
/// average (weekends and holidays included), which is what lead time measures.
pub(crate) const BUSINESS_DAY: f64 = DAY * 365.0 / WORKING_DAYS_PER_YEAR;

/// Time units and their length in minutes (calendar time).
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
    // Lower-case `m` only (checked before lookup): `1h30m` is common, while `M` may be a month.
    ("m", 1.0),
    ("時間", 60.0),
    ("h", 60.0),
    ("hr", 60.0),
    ("hrs", 60.0),
    ("hour", 60.0),
    ("hours", 60.0),
    ("日", DAY),
    ("日間", DAY),
    ("d", DAY),
    ("day", DAY),
    ("days", DAY),
    ("週", 7.0 * DAY),
    ("週間", 7.0 * DAY),
    ("w", 7.0 * DAY),
    ("wk", 7.0 * DAY),
    ("wks", 7.0 * DAY),
    ("week", 7.0 * DAY),
    ("weeks", 7.0 * DAY),
    ("か月", 30.0 * DAY),
    ("ヶ月", 30.0 * DAY),
    ("ヵ月", 30.0 * DAY),
    ("カ月", 30.0 * DAY),
    ("ケ月", 30.0 * DAY),
    ("箇月", 30.0 * DAY),
    ("月", 30.0 * DAY),
    ("か月間", 30.0 * DAY),
    ("ヶ月間", 30.0 * DAY),
    ("ヵ月間", 30.0 * DAY),
    ("カ月間", 30.0 * DAY),
    ("ケ月間", 30.0 * DAY),
    ("箇月間", 30.0 * DAY),
    ("month", 30.0 * DAY),
    ("months", 30.0 * DAY),
    ("年", 365.0 * DAY),
    ("年間", 365.0 * DAY),
    ("year", 365.0 * DAY),
    ("years", 365.0 * DAY),
    ("yr", 365.0 * DAY),
    ("yrs", 365.0 * DAY),
];

/// Business-day units: elapsed time counted in working days ([`BUSINESS_DAY`] each).
const BUSINESS_UNITS: &[&str] = &[
    "営業日",
    "営業日間",
    "開庁日",
    "開庁日間",
    "稼働日",
    "business day",
    "business days",
    "working day",
    "working days",
    "workday",
    "workdays",
];

/// Kana readings and loan words written instead of a unit, with the unit meant.
const READINGS: &[(&str, &str)] = &[
    ("ふん", "分"),
    ("ぷん", "分"),
    ("ふんかん", "分間"),
    ("ぷんかん", "分間"),
    ("びょう", "秒"),
    ("じかん", "時間"),
    ("にち", "日"),
    ("にちかん", "日間"),
    ("しゅう", "週"),
    ("しゅうかん", "週間"),
    ("かげつ", "か月"),
    ("かげつかん", "か月間"),
    ("時", "時間"),
    ("ミニッツ", "分"),
    ("ミニット", "分"),
    ("アワー", "時間"),
    ("セカンド", "秒"),
    ("デイ", "日"),
    ("ウィーク", "週"),
    ("マンス", "か月"),
];

/// Words that make a time approximate; every time in a model is an estimate, so they are dropped.
const APPROX_PREFIXES: &[&str] = &[
    "約",
    "およそ",
    "おおよそ",
    "概ね",
    "おおむね",
    "大体",
    "だいたい",
    "approximately",
    "approx.",
    "approx",
    "about",
    "around",
    "roughly",
    "circa",
    "ca.",
];

const APPROX_SUFFIXES: &[&str] = &[
    "程度",
    "ほど",
    "くらい",
    "ぐらい",
    "前後",
    "位",
    "程",
    "or so",
];

/// `/件` after a time: work times are per case already.
const PER_CASE_SUFFIXES: &[&str] = &["/件", "/1件", "/回", "/人", "/case", "per case", "a case"];

/// Words that make a time a bound, not a value (`3日以内`, `最大2時間`): no single reading.
const BOUND_PREFIXES: &[&str] = &[
    "最大", "最長", "最短", "最低", "max.", "max", "up to", "within", "at most", "at least",
    "under", "over",
];
const BOUND_SUFFIXES: &[&str] = &["以内", "以上", "以下", "未満", "まで", "超"];

/// How a time is used: a business day is elapsed time, so it cannot be a work time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeUse {
    Work,
    Wait,
}

/// Parses a non-negative decimal number at the start of `seg`; returns it and the index after.
/// A comma between digits is a thousands separator (`1,200`).
pub(crate) fn number(seg: Seg<'_>) -> Option<(f64, usize)> {
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

/// Parses a count with Japanese myriad multipliers: `1200`, `1.2万`, `1万2千`, `1万2000`, `3千`.
fn count(seg: Seg<'_>) -> Option<(f64, usize)> {
    let mut total = 0.0;
    let mut i = 0;
    loop {
        let (v, n) = number(seg.from(i))?;
        i += n;
        let mult = match seg.chars.get(i) {
            Some('万') => 10_000.0,
            Some('千') => 1_000.0,
            _ => {
                total += v;
                return Some((total, i));
            }
        };
        total += v * mult;
        i += 1;
        if !seg.chars.get(i).is_some_and(char::is_ascii_digit) {
            return Some((total, i));
        }
    }
}

/// Returns true if the folded, lower-cased `seg` ends with `kw`.
fn ends_with(seg: Seg<'_>, kw: &str) -> bool {
    let n = kw.chars().count();
    seg.len() >= n && seg.from(seg.len() - n).starts_with(kw)
}

/// Returns the first word of `words` that `seg` starts with (an ASCII word must be followed by
/// white space, a digit or the end) and the rest of `seg`, trimmed.
fn leading<'a, 'w>(seg: Seg<'a>, words: &[&'w str]) -> Option<(&'w str, Seg<'a>)> {
    words.iter().find_map(|&w| {
        let n = w.chars().count();
        let alone = !w.is_ascii()
            || w.ends_with('.')
            || seg
                .chars
                .get(n)
                .is_none_or(|c| c.is_whitespace() || c.is_ascii_digit() || *c == '/');
        (seg.starts_with(w) && alone).then(|| (w, seg.from(n).trim()))
    })
}

/// Returns the first word of `words` that `seg` ends with (an ASCII word must follow white
/// space or a digit) and the rest of `seg`, trimmed.
fn trailing<'a, 'w>(seg: Seg<'a>, words: &[&'w str]) -> Option<(&'w str, Seg<'a>)> {
    words.iter().find_map(|&w| {
        let n = w.chars().count();
        if !ends_with(seg, w) {
            return None;
        }
        let before = seg.len() - n;
        let alone = !w.is_ascii()
            || w.starts_with('/')
            || before == 0
            || seg.chars[before - 1].is_whitespace()
            || seg.chars[before - 1].is_ascii_digit();
        alone.then(|| (w, seg.to(before).trim()))
    })
}

pub(crate) fn negative_error(span: Span, what: &Text) -> Diagnostic {
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

/// Returns the hint that lists the units.
fn units_hint() -> Text {
    Text::new(
        "単位は 秒・分・時間・日・週・か月・営業日 (または s, min, h, d, w, month, business days) です。例: `10分`, `1.5時間`, `1時間30分`",
        "units are s, min, h, d, w, month, business days (or 秒, 分, 時間, 日, 週, か月, 営業日); e.g. `10min`, `1.5h`, `1h 30min`",
    )
}

/// Returns the error for an unknown unit `text` at `span`, with the likeliest meant unit.
fn unit_error(span: Span, text: &str, suggest: bool) -> Diagnostic {
    let key = name_key(text);
    if let Some(bound) = BOUND_SUFFIXES.iter().find(|b| key.ends_with(*b)) {
        return bound_error(span, bound);
    }
    let mut d = Diagnostic::error(
        "E0502",
        span,
        Text::new(
            format!("`{text}` は時間の単位として分かりません"),
            format!("`{text}` is not a time unit"),
        ),
    )
    .with_label_message(Text::new("不明な単位", "unknown unit"));
    let reading = READINGS
        .iter()
        .find(|(r, _)| *r == key)
        .map(|(_, unit)| *unit);
    let words = UNITS
        .iter()
        .map(|(k, _)| *k)
        // One-letter abbreviations (`s`, `h`, `m`) would be guessed for any short typo.
        .filter(|k| !k.is_ascii() || k.len() > 1)
        .chain(BUSINESS_UNITS.iter().copied());
    let close = reading.or_else(|| did_you_mean(text, words.take(crate::value::take(suggest))));
    if let Some(s) = close {
        d = d.with_hint(Text::new(
            format!("`{s}` のことですか?"),
            format!("did you mean `{s}`?"),
        ));
    }
    d.with_hint(units_hint())
}

/// Returns the error for a bound (`3日以内`, `最大2時間`) where a value is needed.
fn bound_error(span: Span, word: &str) -> Diagnostic {
    Diagnostic::error(
        "E0502",
        span,
        Text::new(
            format!("`{word}` の付いた時間 (上限・下限) は読めません。普段かかる時間を書いてください"),
            format!("a bound (`{word}`) is not a time: write how long it usually takes"),
        ),
    )
    .with_label_message(Text::new("上限・下限", "a bound"))
    .with_hint(Text::new(
        "普段の時間だけなら `2日`、ばらつくなら `普段〜長いとき` の範囲で `1〜3日` のように書いてください",
        "write the usual time (`2d`), or a range from the usual to a long case (`1-3d`)",
    ))
}

/// Returns the E0504 error for a time without a number; a known word gets its own advice.
fn no_number_error(span: Span, text: &str) -> Diagnostic {
    let key = name_key(text);
    let advice = match key.as_str() {
        "半日" | "half a day" | "half day" => Some((
            "`半日` は作業なら勤務時間の半分 (`4時間`)、待ちなら暦の半日 (`待ち 12時間`) のどちらか決まりません。`4時間` のように数と単位で書いてください",
            "`half a day` may be half a working day (`4h` of work) or half a calendar day (`wait 12h`); write the number and the unit, e.g. `4h`",
        )),
        "即日" | "当日" | "同日" | "same day" => Some((
            "その日のうちに終わるなら、待つ時間を `待ち 2時間` のように書いてください (待たなければ何も書きません)",
            "if it is done the same day, write the waiting time, e.g. `wait 2h` (or nothing if there is no wait)",
        )),
        "翌日" | "next day" => Some(("`待ち 1日` と書いてください", "write `wait 1d`")),
        "半月" => Some(("`15日` と書いてください", "write `15d`")),
        "半年" | "half a year" => Some(("`6か月` と書いてください", "write `6 months`")),
        "数分" | "数時間" | "数日" | "数週間" | "数か月" | "数ヶ月" | "a few days"
        | "a few minutes" | "a few hours" | "several days" => Some((
            "「数」では計算できません。普段の数か範囲を `2〜3日` のように書いてください",
            "\"a few\" cannot be computed; write a number or a range, e.g. `2-3d`",
        )),
        _ => None,
    };
    let mut d = Diagnostic::error(
        "E0504",
        span,
        Text::new(
            "時間は数と単位で書いてください",
            "a time needs a number and a unit",
        ),
    );
    if let Some((ja, en)) = advice {
        d = d.with_hint(Text::new(ja, en));
    }
    d.with_hint(Text::new(
        "例: `10分`, `1.5時間`, `2日`",
        "e.g. `10min`, `1.5h`, `2d`",
    ))
}

/// Returns true for a word that names a time without a number (`半日`, `即日`, `数日`).
pub(crate) fn is_numberless_time(text: &str) -> bool {
    let key = name_key(text);
    matches!(
        key.as_str(),
        "半日"
            | "即日"
            | "当日"
            | "同日"
            | "翌日"
            | "半月"
            | "半年"
            | "数分"
            | "数時間"
            | "数日"
            | "数週間"
            | "数か月"
            | "数ヶ月"
    )
}

/// Returns true if `seg` reads as a time although it does not start with a digit: an
/// approximation or a bound followed by a number (`約10分`, `about 10 min`, `最大3日`).
pub(crate) fn looks_like_time(seg: Seg<'_>) -> bool {
    let seg = seg.trim();
    leading(seg, APPROX_PREFIXES)
        .or_else(|| leading(seg, BOUND_PREFIXES))
        .is_some_and(|(_, rest)| {
            rest.chars
                .first()
                .is_some_and(|c| c.is_ascii_digit() || *c == '.')
        })
}

/// The length of one side of a time range.
struct Amount {
    minutes: f64,
    /// The factor of the first unit written, `None` for a bare number (`10` in `10〜20分`).
    unit: Option<f64>,
    /// The span of a business-day unit, if one was used.
    business: Option<Span>,
}

/// Returns the minutes per `unit` (`None` if unknown) and whether it is a business day.
fn unit_factor(unit: Seg<'_>) -> Option<(f64, bool)> {
    let folded = unit.folded();
    let folded = folded.strip_suffix('.').unwrap_or(&folded);
    // `M` alone may be a month (`3M`) as well as minutes: only lower-case `m` is minutes.
    if folded == "M" {
        return None;
    }
    let key = name_key(folded);
    if BUSINESS_UNITS.contains(&key.as_str()) {
        return Some((BUSINESS_DAY, true));
    }
    UNITS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, f)| (*f, false))
}

/// Parses `1時間30分`, `1h 30m`, `1時間半`, `2 business days` or a bare number.
fn amount(seg: Seg<'_>, suggest: bool) -> Result<Amount, Diagnostic> {
    let seg = seg.trim();
    let starts_number = |j: usize| {
        seg.chars[j].is_ascii_digit()
            || (seg.chars[j] == '.' && seg.chars.get(j + 1).is_some_and(char::is_ascii_digit))
    };
    let mut out = Amount {
        minutes: 0.0,
        unit: None,
        business: None,
    };
    let mut i = 0;
    while i < seg.len() {
        let Some((n, len)) = number(seg.from(i)) else {
            return Err(unit_error(
                seg.from(i).span(),
                &seg.from(i).folded(),
                suggest,
            ));
        };
        let after = i + len;
        let mut j = after;
        while j < seg.len() && !starts_number(j) {
            j += 1;
        }
        let unit = seg.sub(after, j).trim();
        if unit.is_empty() {
            if i == 0 {
                // A bare number: its unit comes from the other side of a range.
                out.minutes = n;
                return Ok(out);
            }
            return Err(Diagnostic::error(
                "E0502",
                Span::at(seg.end as usize),
                Text::new("最後の数に単位がありません", "the last number has no unit"),
            )
            .with_hint(Text::new("例: `1時間30分`", "e.g. `1h 30min`")));
        }
        // `1時間半`, `2日半`: a half of the unit.
        let (unit, half) = if ends_with(unit, "半") && unit.len() > 1 {
            (unit.to(unit.len() - 1).trim(), 0.5)
        } else {
            (unit, 0.0)
        };
        let Some((factor, business)) = unit_factor(unit) else {
            let text = unit.folded();
            if text == "M" {
                return Err(Diagnostic::error(
                    "E0502",
                    unit.span(),
                    Text::new(
                        "`M` が「分」なのか「月」なのか決められません",
                        "`M` may mean minutes or months",
                    ),
                )
                .with_hint(Text::new(
                    "分なら `分` か `min`、月なら `か月` か `month` と書いてください",
                    "write `min` for minutes or `month` for months",
                )));
            }
            return Err(unit_error(unit.span(), &text, suggest));
        };
        if business {
            out.business = Some(unit.span());
        }
        out.minutes += (n + half) * factor;
        out.unit.get_or_insert(factor);
        i = j;
    }
    Ok(out)
}

/// Returns where a range splits `seg` (`〜`, `~`, `-`, `から`, ` to `): the end of the first part
/// and the start of the second.
fn range_split(seg: Seg<'_>) -> Option<(usize, usize)> {
    for k in 1..seg.len() {
        match seg.chars[k] {
            '~' | '-' => return Some((k, k + 1)),
            'か' if seg.from(k).starts_with("から") => return Some((k, k + 2)),
            't' if seg.chars[k - 1].is_whitespace()
                && seg.from(k).starts_with("to")
                && seg.chars.get(k + 2).is_some_and(|c| c.is_whitespace()) =>
            {
                return Some((k, k + 2));
            }
            _ => {}
        }
    }
    None
}

/// Parses a time: `10分`, `1.5h`, `1時間30分`, `1時間半`, `10〜20分`, `10分〜20分`, `10-20min`,
/// `約10分`, `10分程度`, `5分/件`, `待ち 2営業日`.
pub(crate) fn duration(
    seg: Seg<'_>,
    suggest: bool,
    usage: TimeUse,
) -> Result<Duration, Diagnostic> {
    let whole = seg.trim();
    let what = Text::new("時間", "a time");
    if whole.chars.first() == Some(&'-') {
        return Err(negative_error(whole.span(), &what));
    }
    if let Some((word, rest)) = leading(whole, BOUND_PREFIXES)
        && rest.chars.first().is_some_and(char::is_ascii_digit)
    {
        return Err(bound_error(whole.span(), word));
    }
    // Drop approximations (`約`, `程度`) and `/件`, in any order and number.
    let mut seg = whole;
    loop {
        let next = leading(seg, APPROX_PREFIXES)
            .or_else(|| trailing(seg, APPROX_SUFFIXES))
            .or_else(|| trailing(seg, PER_CASE_SUFFIXES));
        match next {
            Some((_, rest)) if !rest.is_empty() => seg = rest,
            _ => break,
        }
    }
    if !seg.chars.iter().any(char::is_ascii_digit) {
        return Err(no_number_error(whole.span(), &whole.folded()));
    }
    if !seg
        .chars
        .first()
        .is_some_and(|c| c.is_ascii_digit() || *c == '.')
    {
        return Err(no_number_error(whole.span(), &whole.folded()));
    }
    let (p50, p90) = match range_split(seg) {
        None => {
            let a = amount(seg, suggest)?;
            check_use(&a, usage)?;
            if a.unit.is_none() {
                return Err(missing_unit(seg));
            }
            (a.minutes, None)
        }
        Some((end, start)) => {
            let left = seg.to(end).trim();
            let right = seg.from(start).trim();
            if right.is_empty() || number(right).is_none() {
                return Err(Diagnostic::error(
                    "E0504",
                    if right.is_empty() {
                        seg.span()
                    } else {
                        right.span()
                    },
                    Text::new(
                        "範囲の後ろの数がありません",
                        "the range needs a second number",
                    ),
                )
                .with_hint(Text::new("例: `10〜20分`", "e.g. `10-20min`")));
            }
            if left.chars.first() == Some(&'-') {
                return Err(negative_error(left.span(), &what));
            }
            let a = amount(left, suggest)?;
            let b = amount(right, suggest)?;
            check_use(&a, usage)?;
            check_use(&b, usage)?;
            // `10〜20分` takes the unit of the second part, `10分〜20` that of the first.
            let (a_min, b_min) = match (a.unit, b.unit) {
                (None, None) => return Err(missing_unit(seg)),
                (None, Some(f)) => (a.minutes * f, b.minutes),
                (Some(f), None) => (a.minutes, b.minutes * f),
                (Some(_), Some(_)) => (a.minutes, b.minutes),
            };
            (a_min, Some(b_min))
        }
    };
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

fn missing_unit(seg: Seg<'_>) -> Diagnostic {
    Diagnostic::error(
        "E0502",
        Span::at(seg.end as usize),
        Text::new("時間の単位がありません", "the time has no unit"),
    )
    .with_hint(Text::new(
        "数の後ろに単位を書いてください。例: `10分`, `1時間`",
        "write a unit after the number, e.g. `10min`, `1h`",
    ))
}

/// Rejects a business day as a work time: it is elapsed time, and as work it is ambiguous
/// (8 hours of work, or a task that takes a day to come back?).
fn check_use(a: &Amount, usage: TimeUse) -> Result<(), Diagnostic> {
    match (usage, a.business) {
        (TimeUse::Work, Some(span)) => Err(Diagnostic::error(
            "E0502",
            span,
            Text::new(
                "営業日は経過した日数の単位なので、作業時間には使えません",
                "business days measure elapsed time, not work time",
            ),
        )
        .with_label_message(Text::new("作業時間の単位", "a unit of work time expected"))
        .with_hint({
            // The user's own number of days, so the suggestion can be pasted as it is.
            // f64's Display writes `2` and `1.5`: no trailing zeros to trim.
            let days = ((a.minutes / BUSINESS_DAY) * 100.0).round() / 100.0;
            let unit_en = if (days - 1.0).abs() < f64::EPSILON {
                "business day"
            } else {
                "business days"
            };
            Text::new(
                format!("待つ時間なら `待ち {days}営業日`、手を動かす時間なら `3時間` のように書いてください"),
                format!("for waiting write `wait {days} {unit_en}`; for work write the time actually worked, e.g. `3h`"),
            )
        })),
        _ => Ok(()),
    }
}

/// Marks of a percentage after its number, longest first.
const PERCENT_MARKS: &[&str] = &["パーセント", "percent", "pct", "%"];

/// Returns where the mark of a trailing percentage starts in `seg` (`%`, `パーセント`, `割`, or the
/// `割` of `1割5分`), if `seg` ends with one.
fn percent_mark_start(seg: Seg<'_>) -> Option<usize> {
    let len = seg.len();
    for mark in PERCENT_MARKS {
        let n = mark.chars().count();
        if ends_with(seg, mark) {
            let before = len - n;
            // `percent` must follow a number or a space, not end a word (`10 percent`).
            let alone = !mark.chars().all(|c| c.is_ascii_alphabetic())
                || (before > 0
                    && (seg.chars[before - 1].is_whitespace()
                        || seg.chars[before - 1].is_ascii_digit()));
            return alone.then_some(before);
        }
    }
    if seg.chars.last() == Some(&'割') {
        return Some(len - 1);
    }
    // `1割5分`: digits between `割` and `分`.
    if seg.chars.last() == Some(&'分') {
        let mut i = len - 1;
        while i > 0 && seg.chars[i - 1].is_ascii_digit() {
            i -= 1;
        }
        if i < len - 1 && i > 0 && seg.chars[i - 1] == '割' {
            return Some(i - 1);
        }
    }
    None
}

/// Returns where `[約] <number><mark>` starts at the end of `seg`.
fn bare_percent_start(seg: Seg<'_>) -> Option<usize> {
    let mut i = percent_mark_start(seg)?;
    while i > 0 && seg.chars[i - 1].is_whitespace() {
        i -= 1;
    }
    let digits_end = i;
    while i > 0 && (seg.chars[i - 1].is_ascii_digit() || matches!(seg.chars[i - 1], '.' | '-')) {
        i -= 1;
    }
    if i == digits_end {
        return None;
    }
    // `約10%`, `about 10%`: the approximation belongs to the percentage, not the condition. It
    // must stand apart (`不備あり 約10%`): `契約 30%` and `予約 10%` end in 約 as a word.
    let mut k = i;
    while k > 0 && seg.chars[k - 1].is_whitespace() {
        k -= 1;
    }
    let before = seg.to(k);
    if let Some((word, _)) = trailing(before, APPROX_PREFIXES) {
        let start = k - word.chars().count();
        if start == 0 || seg.chars[start - 1].is_whitespace() {
            return Some(start);
        }
    }
    Some(i)
}

/// Returns the index where a trailing percentage starts in the trimmed `seg`: `… 10%`,
/// `… 10 %`, `… 約10%`, `… (10%)`, `… 10パーセント`, `… 1割`, `… 1割5分`.
pub(crate) fn trailing_percent(seg: Seg<'_>) -> Option<usize> {
    if seg.chars.last() == Some(&')') {
        // `(10%)`: the whole parenthesis, when it holds only a percentage.
        let open = seg.chars.iter().rposition(|&c| c == '(')?;
        let inner = seg.sub(open + 1, seg.len() - 1).trim();
        return (!inner.is_empty() && bare_percent_start(inner) == Some(0)).then_some(open);
    }
    bare_percent_start(seg)
}

/// Parses a percentage into 0.0–1.0: `10%`, `10 %`, `１０％`, `約10%`, `(10%)`, `10パーセント`,
/// `10 percent`, `1割` (10%), `1割5分` (15%).
pub(crate) fn percent(seg: Seg<'_>, what: &Text) -> Result<f64, Diagnostic> {
    let whole = seg.trim();
    let mut s = whole;
    if s.chars.first() == Some(&'(') && s.chars.last() == Some(&')') && s.len() >= 2 {
        s = s.sub(1, s.len() - 1).trim();
    }
    if let Some((_, rest)) = leading(s, APPROX_PREFIXES)
        && !rest.is_empty()
    {
        s = rest;
    }
    if s.chars.first() == Some(&'-') {
        return Err(negative_error(whole.span(), what));
    }
    let parsed = number(s).and_then(|(v, i)| {
        let rest = s.from(i).trim();
        let text = name_key(&rest.folded());
        if PERCENT_MARKS.contains(&text.as_str()) {
            return Some(v);
        }
        // 割 is tenths and 分 hundredths: `1割5分` is 15%.
        let after = text.strip_prefix('割')?;
        if after.is_empty() {
            return Some(v * 10.0);
        }
        let tail = rest.from(1).trim();
        let (bu, j) = number(tail)?;
        (tail.from(j).folded() == "分").then_some(v * 10.0 + bu)
    });
    let Some(v) = parsed else {
        return Err(Diagnostic::error(
            "E0506",
            whole.span(),
            Text::new(
                format!("{}は百分率で書いてください", what.ja),
                format!("{} must be a percentage", what.en),
            ),
        )
        .with_hint(Text::new(
            "例: `10%` (`1割` も 10% と読みます)",
            "e.g. `10%`",
        )));
    };
    if v > 100.0 {
        return Err(Diagnostic::error(
            "E0507",
            whole.span(),
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

/// Period words of a volume and how many such periods a year has.
const PERIODS: &[(&str, f64)] = &[
    ("年", 1.0),
    ("年間", 1.0),
    ("年度", 1.0),
    ("1年", 1.0),
    ("1年間", 1.0),
    ("毎年", 1.0),
    ("year", 1.0),
    ("yr", 1.0),
    ("y", 1.0),
    ("annum", 1.0),
    ("annually", 1.0),
    ("yearly", 1.0),
    ("per annum", 1.0),
    ("半年", 2.0),
    ("半期", 2.0),
    ("四半期", 4.0),
    ("quarter", 4.0),
    ("quarterly", 4.0),
    ("月", 12.0),
    ("月間", 12.0),
    ("毎月", 12.0),
    ("か月", 12.0),
    ("ヶ月", 12.0),
    ("ヵ月", 12.0),
    ("カ月", 12.0),
    ("ケ月", 12.0),
    ("1か月", 12.0),
    ("1ヶ月", 12.0),
    ("1ヵ月", 12.0),
    ("1カ月", 12.0),
    ("1ケ月", 12.0),
    ("ひと月", 12.0),
    ("month", 12.0),
    ("mo", 12.0),
    ("m", 12.0),
    ("monthly", 12.0),
    ("週", 52.0),
    ("週間", 52.0),
    ("毎週", 52.0),
    ("1週", 52.0),
    ("1週間", 52.0),
    ("week", 52.0),
    ("wk", 52.0),
    ("w", 52.0),
    ("weekly", 52.0),
    ("日", WORKING_DAYS_PER_YEAR),
    ("1日", WORKING_DAYS_PER_YEAR),
    ("一日", WORKING_DAYS_PER_YEAR),
    ("毎日", WORKING_DAYS_PER_YEAR),
    ("開庁日", WORKING_DAYS_PER_YEAR),
    ("営業日", WORKING_DAYS_PER_YEAR),
    ("day", WORKING_DAYS_PER_YEAR),
    ("d", WORKING_DAYS_PER_YEAR),
    ("daily", WORKING_DAYS_PER_YEAR),
    ("working day", WORKING_DAYS_PER_YEAR),
    ("business day", WORKING_DAYS_PER_YEAR),
    ("workday", WORKING_DAYS_PER_YEAR),
];

/// Counter words after a volume's number: cases, people, households, vehicles, sheets.
const COUNTERS: &[&str] = &[
    "件",
    "人",
    "名",
    "世帯",
    "台",
    "通",
    "枚",
    "回",
    "applications",
    "application",
    "requests",
    "request",
    "cases",
    "case",
    "people",
    "persons",
];

/// Joining words between a period and a number (`月に50件`, `1日あたり5件`, `50 per month`).
const PERIOD_JOINERS: &[&str] = &["あたり", "当たり", "当り", "につき", "に", "で", "平均"];

/// Returns how many times `per` (a period word, after `/`, `per`, `a`) fits in a year.
fn period_factor(per: &str) -> Option<f64> {
    let mut key = name_key(per);
    for lead in ["/", "per ", "a ", "an ", "each ", "every ", "毎"] {
        if let Some(r) = key.strip_prefix(lead) {
            key = r.trim().to_owned();
        }
    }
    // `/1年`, `per 1 month`
    if let Some(r) = key.strip_prefix('1') {
        let r = r.trim();
        if PERIODS.iter().any(|(k, _)| *k == r) {
            key = r.to_owned();
        }
    }
    let key = key
        .strip_suffix('s')
        .filter(|k| k.len() > 1 && k.is_ascii())
        .map_or(key.clone(), str::to_owned);
    PERIODS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
}

/// Parses the cases-per-year value of `件数:` into cases per year: `1200`, `1,200件/年`,
/// `50/月` (×12), `月50件`, `週10件` (×52), `1日5件` (×240 working days), `年間1,200件`,
/// `volume: 50 per month`, `約1.2万件` (approximations are dropped; a trailing `(…)` note too).
pub(crate) fn volume(seg: Seg<'_>) -> Result<f64, Diagnostic> {
    let whole = seg.trim();
    let invalid = |why: Option<Text>| {
        let mut d = Diagnostic::error(
            "E0205",
            whole.span(),
            Text::new("件数が読み取れません", "cannot read the volume"),
        );
        if let Some(why) = why {
            d = d.with_hint(why);
        }
        d.with_hint(Text::new(
            "年間の件数を数字で書いてください。例: `件数: 1200/年`, `件数: 100/月` (×12), `件数: 25/週` (×52), `件数: 5/日` (×240 開庁日)",
            "write the number of cases per year in digits, e.g. `volume: 1200/year`, `volume: 100/month` (×12), `volume: 25/week` (×52), `volume: 5/day` (×240 working days)",
        ))
    };
    if whole.chars.first() == Some(&'-') {
        return Err(negative_error(
            whole.span(),
            &Text::new("件数", "the volume"),
        ));
    }
    let mut s = whole;
    // A trailing note in parentheses: `1200 (令和5年度実績)`.
    if s.chars.last() == Some(&')')
        && let Some(open) = s.chars.iter().rposition(|&c| c == '(')
        && open > 0
    {
        s = s.to(open).trim();
    }
    loop {
        let next = leading(s, APPROX_PREFIXES).or_else(|| trailing(s, APPROX_SUFFIXES));
        match next {
            Some((_, rest)) if !rest.is_empty() => s = rest,
            _ => break,
        }
    }
    // A leading period: `月50件`, `年間1,200件`, `1日あたり5件`, `毎週10件`.
    let mut factor = None;
    if !s.chars.first().is_some_and(char::is_ascii_digit) || starts_with_period(s) {
        let mut best: Option<(usize, f64)> = None;
        for (p, f) in PERIODS.iter().filter(|(p, _)| !p.is_ascii()) {
            let n = p.chars().count();
            if s.starts_with(p) && best.is_none_or(|(b, _)| n > b) {
                best = Some((n, *f));
            }
        }
        if let Some((n, f)) = best {
            let mut rest = s.from(n).trim();
            while let Some((_, r)) = leading(rest, PERIOD_JOINERS) {
                rest = r;
            }
            if rest.chars.first().is_some_and(char::is_ascii_digit) {
                factor = Some(f);
                s = rest;
            }
        }
    }
    let Some((v, i)) = count(s) else {
        let why = s
            .chars
            .iter()
            .any(|c| "一二三四五六七八九十百千万".contains(*c))
            .then(|| {
                Text::new(
                    "漢数字は読めません。算用数字で書いてください (例: `1200`)",
                    "write the number in digits (`1200`), not in kanji",
                )
            });
        return Err(invalid(why));
    };
    let mut rest = s.from(i).trim();
    if rest.chars.first().is_some_and(|c| matches!(c, '~' | '-')) {
        let middle = count(rest.from(1).trim()).map_or(v, |(b, _)| (v + b) / 2.0);
        return Err(invalid(Some(Text::new(
            format!("範囲ではなく一つの数を書いてください (中ほどなら `{middle}`)"),
            format!("write one number, not a range (the middle is `{middle}`)"),
        ))));
    }
    if let Some((_, r)) = leading(rest, COUNTERS) {
        rest = r;
    }
    let factor = match (factor, rest.is_empty()) {
        (Some(f), true) => f,
        (None, true) => 1.0,
        (None, false) => period_factor(&rest.folded()).ok_or_else(|| {
            let per = rest.folded();
            let per = per.trim_start_matches(['/', ' ']);
            invalid(Some(Text::new(
                format!("`{per}` という期間は分かりません。`/年`, `/月`, `/週`, `/日` のどれかにしてください"),
                format!("`{per}` is not a period; use `/year`, `/month`, `/week` or `/day`"),
            )))
        })?,
        (Some(_), false) => {
            return Err(invalid(Some(Text::new(
                format!("期間が二回書かれています (`{}`)", rest.folded()),
                format!("the period is written twice (`{}`)", rest.folded()),
            ))));
        }
    };
    if v <= 0.0 {
        return Err(Diagnostic::error(
            "E0508",
            whole.span(),
            Text::new("件数は 0 より大きくしてください", "the volume must be more than 0"),
        )
        .with_hint(Text::new(
            "件数が分からなければ `件数:` の行を消してください (年間の数値は計算されません)",
            "if the volume is unknown, delete the `volume:` line (annual figures are then not computed)",
        )));
    }
    Ok(v * factor)
}

/// Returns true if `s` starts with a period written with a `1` (`1日`, `1か月`, `1週間`)
/// followed by more text, so that `1日5件` is five a day and not one case per day.
fn starts_with_period(s: Seg<'_>) -> bool {
    PERIODS
        .iter()
        .filter(|(p, _)| p.starts_with('1'))
        .any(|(p, _)| {
            let n = p.chars().count();
            s.starts_with(p) && {
                let mut rest = s.from(n).trim();
                while let Some((_, r)) = leading(rest, PERIOD_JOINERS) {
                    rest = r;
                }
                rest.chars.first().is_some_and(char::is_ascii_digit)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::FoldedLine;

    fn counted(s: &str) -> Option<(f64, usize)> {
        let line = FoldedLine::new(s, 0);
        count(line.seg())
    }

    #[test]
    fn counts_with_myriad_multipliers() {
        assert_eq!(counted("1,200件"), Some((1200.0, 5)));
        assert_eq!(counted("1.2万"), Some((12_000.0, 4)));
        assert_eq!(counted("1万2千"), Some((12_000.0, 4)));
        assert_eq!(counted("1万2000"), Some((12_000.0, 6)));
        assert_eq!(counted("3千件"), Some((3_000.0, 2)));
        assert_eq!(counted("件"), None);
    }

    #[test]
    fn periods_per_year() {
        assert_eq!(period_factor("/年"), Some(1.0));
        assert_eq!(period_factor("per months"), Some(12.0));
        assert_eq!(period_factor("/ 1か月"), Some(12.0));
        assert_eq!(period_factor("a week"), Some(52.0));
        assert_eq!(period_factor("/開庁日"), Some(WORKING_DAYS_PER_YEAR));
        assert_eq!(period_factor("/期"), None);
    }

    #[test]
    fn a_business_day_is_365_over_240_calendar_days() {
        assert!((BUSINESS_DAY - 2190.0).abs() < 1e-9);
    }
}

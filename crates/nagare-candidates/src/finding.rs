//! The result types: one [`Finding`] per candidate, plain serde data for the CLI and the viewer.

use nagare_syntax::Text;
use serde::{Deserialize, Serialize};

/// The rules of DOMAIN.md §6; the serialised names are stable ids (`online`, `rpa`, `ai-ocr`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleId {
    /// オンライン申請
    Online,
    /// RPA
    Rpa,
    /// AI-OCR
    AiOcr,
    /// ワンスオンリー
    OnceOnly,
    /// 押印廃止
    Seal,
    /// 電子決裁
    EApproval,
    /// ワンストップ / 書かない窓口
    OneStop,
}

impl RuleId {
    /// Every rule, in report order.
    pub const ALL: [Self; 7] = [
        Self::Online,
        Self::Rpa,
        Self::AiOcr,
        Self::OnceOnly,
        Self::Seal,
        Self::EApproval,
        Self::OneStop,
    ];

    /// Returns the stable id (`online`, `rpa`, `ai-ocr`, `once-only`, `seal`, `e-approval`, `one-stop`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Rpa => "rpa",
            Self::AiOcr => "ai-ocr",
            Self::OnceOnly => "once-only",
            Self::Seal => "seal",
            Self::EApproval => "e-approval",
            Self::OneStop => "one-stop",
        }
    }

    /// Returns the rule's display name.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Online => Text::new("オンライン申請", "Online application"),
            Self::Rpa => Text::new("RPA", "RPA"),
            Self::AiOcr => Text::new("AI-OCR", "AI-OCR"),
            Self::OnceOnly => Text::new("ワンスオンリー", "Once only"),
            Self::Seal => Text::new("押印廃止", "Seal removal"),
            Self::EApproval => Text::new("電子決裁", "Electronic approval"),
            Self::OneStop => Text::new(
                "ワンストップ・書かない窓口",
                "One-stop / no-writing counter",
            ),
        }
    }
}

/// The points one criterion contributed to a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// Stable criterion id (`volume`, `visits`, `manual_check`…): the key of its weight in
    /// `nagare.toml` (penalties add `_penalty`: `fee_penalty`, `manual_check_penalty`).
    pub id: String,
    pub label: Text,
    /// Points given, rounded to one decimal; negative for penalties.
    pub points: f64,
    /// The weight: the most this criterion can give (negative for a penalty).
    pub max: f64,
    /// Why these points: the measured value and the scale.
    pub why: Text,
}

/// Hours a finding saves per year on one step; the portfolio counts each step once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepSaving {
    /// The step key.
    pub step: String,
    pub staff_hours: f64,
    pub resident_hours: f64,
}

/// Estimated hours saved per year, with the formula used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoursSaved {
    /// Staff hours per year, rounded to one decimal.
    pub staff: f64,
    /// Resident hours per year (work, waits while present, travel), rounded to one decimal.
    pub resident: f64,
    /// How the numbers were computed, in words with the values used.
    pub formula: Text,
    /// The same hours by step, so that overlapping findings are not counted twice.
    pub per_step: Vec<StepSaving>,
}

impl HoursSaved {
    /// Returns staff + resident hours.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.staff + self.resident
    }
}

/// What stands in the way of a full implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockerKind {
    /// 法定紙: the law requires a paper original.
    LegalPaper,
    /// 法定対面: the law requires presence.
    LegalPresence,
    /// 現物: a physical item is handed over (number plate).
    PhysicalItem,
    /// 現地調査: an on-site inspection.
    Inspection,
    /// 全件目視: every item is checked by hand.
    ManualCheck,
}

/// A blocker, reported (not scored) with the step where it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocker {
    pub kind: BlockerKind,
    /// The step key.
    pub step: String,
    pub text: Text,
}

/// How far an online application can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extent {
    /// 完全オンライン化: the whole path can go online.
    Full,
    /// 一部オンライン化: a blocker keeps part of it on paper or in person.
    Partial,
}

impl Extent {
    /// Returns the display name.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Full => Text::new("完全オンライン化", "fully online"),
            Self::Partial => Text::new("一部オンライン化", "partly online"),
        }
    }
}

/// How hard an RPA robot is to introduce, by the number of departments involved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difficulty {
    /// One department (or none stated).
    Low,
    /// Two departments.
    Medium,
    /// Three or more departments.
    High,
}

impl Difficulty {
    /// Returns the class for `departments` departments involved.
    #[must_use]
    pub fn from_departments(departments: usize) -> Self {
        match departments {
            0 | 1 => Self::Low,
            2 => Self::Medium,
            _ => Self::High,
        }
    }

    /// Returns the display name.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Low => Text::new("易（単一課）", "low (one department)"),
            Self::Medium => Text::new("中（2課）", "medium (two departments)"),
            Self::High => Text::new("難（3課以上）", "high (three or more departments)"),
        }
    }
}

/// One improvement candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    /// The process id (`shugaku-enjo`).
    pub process: String,
    /// Keys of the steps concerned, in declaration order.
    pub steps: Vec<String>,
    /// One line saying what to do.
    pub title: Text,
    /// 0–100, rounded to one decimal: the sum of the contributions, scaled so that the positive
    /// weights add up to 100.
    pub score: f64,
    pub criteria: Vec<Contribution>,
    /// Plain-language reasons, most important first.
    pub reasons: Vec<Text>,
    pub hours: HoursSaved,
    /// What must be in place first (e.g. structured input before RPA).
    pub prerequisites: Vec<Text>,
    /// Reported, not scored.
    pub blockers: Vec<Blocker>,
    /// Online application only: full or partial.
    pub extent: Option<Extent>,
    /// RPA only: difficulty by departments involved.
    pub difficulty: Option<Difficulty>,
}

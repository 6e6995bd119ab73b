//! Weights and thresholds of every rule, with the defaults of DOMAIN.md §6, read from the
//! `[candidates]` table of `nagare.toml`.
//!
//! Every key is optional; an unknown key is an error so that a misspelt weight is not silently
//! ignored (a DX office would otherwise defend a ranking built on defaults it thought it changed).
//! Keys are snake_case like the `[metrics]` table of the same file.

use nagare_syntax::Text;
use serde::{Deserialize, Serialize};

/// Everything the rules need besides the model: weights (points of each criterion) and thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CandidateSettings {
    /// Share of applications expected to move online once offered (0–1). Online savings are
    /// multiplied by it and AI-OCR is sized on the rest. Default 0.5: a large city reached ~48 %
    /// online within four months (DOMAIN.md §7, 粗大ごみ).
    pub online_uptake: f64,
    /// Travel time per office visit in minutes, counted as resident time saved per removed visit.
    pub travel_minutes: f64,
    /// Findings scoring below this are not reported (0 reports every finding that fires).
    pub min_score: f64,
    pub online: OnlineWeights,
    pub rpa: RpaWeights,
    pub ai_ocr: OcrWeights,
    pub once_only: OnceOnlyWeights,
    pub seal: SealWeights,
    pub e_approval: ApprovalWeights,
    pub one_stop: OneStopWeights,
}

impl Default for CandidateSettings {
    fn default() -> Self {
        Self {
            online_uptake: 0.5,
            travel_minutes: 30.0,
            min_score: 0.0,
            online: OnlineWeights::default(),
            rpa: RpaWeights::default(),
            ai_ocr: OcrWeights::default(),
            once_only: OnceOnlyWeights::default(),
            seal: SealWeights::default(),
            e_approval: ApprovalWeights::default(),
            one_stop: OneStopWeights::default(),
        }
    }
}

/// Online application (オンライン申請): DOMAIN.md §6 weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnlineWeights {
    /// Points for annual volume (log scale between `volume_min` and `volume_full`).
    pub volume: f64,
    pub volume_min: f64,
    pub volume_full: f64,
    /// Points for office visits per case that can be removed.
    pub visits: f64,
    /// Points for handwritten and duplicate fields (full at `fields_full`).
    pub handwriting: f64,
    pub fields_full: f64,
    /// Points for attachments that are gov-held or absent.
    pub attachments: f64,
    /// Points when the identity check can be replaced by the My Number card.
    pub id_check: f64,
    /// Points for a national priority procedure.
    pub priority: f64,
    /// Points when the back office can import the data.
    pub import: f64,
    /// Penalty (negative) for a fee that cannot be paid online.
    pub fee_penalty: f64,
}

impl Default for OnlineWeights {
    fn default() -> Self {
        Self {
            volume: 25.0,
            volume_min: 50.0,
            volume_full: 1000.0,
            visits: 20.0,
            handwriting: 15.0,
            fields_full: 10.0,
            attachments: 10.0,
            id_check: 10.0,
            priority: 10.0,
            import: 10.0,
            fee_penalty: -5.0,
        }
    }
}

/// RPA: DOMAIN.md §6 weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RpaWeights {
    /// Points for annual staff hours of the step (linear between `hours_min` and `hours_full`).
    pub hours: f64,
    pub hours_min: f64,
    pub hours_full: f64,
    /// Points for rule-based work (`定型` 1–5).
    pub rule_based: f64,
    /// `定型` assumed when a step does not state it.
    pub default_rule_based: u8,
    /// Points for structured input.
    pub input: f64,
    /// Points for few exceptions (zero at `exceptions_zero_at`).
    pub exceptions: f64,
    pub exceptions_zero_at: f64,
    /// Exception rate assumed when a step does not state it.
    pub default_exception_rate: f64,
    /// Points for stability (no rework loop, a declared core system as target).
    pub stability: f64,
    /// Points for low complexity (≤ `max_decisions` decisions, ≤ `max_systems` systems).
    pub complexity: f64,
    pub max_decisions: usize,
    pub max_systems: usize,
    /// Penalty (negative) when every item must still be checked by hand (`全件目視`).
    pub manual_check_penalty: f64,
    /// A step whose estimated saving is below this many staff hours a year is not reported: a
    /// robot for an hour's work a year never repays its build and upkeep. Not applied when the
    /// volume is unknown (the hours cannot be estimated).
    pub min_hours_per_year: f64,
}

impl Default for RpaWeights {
    fn default() -> Self {
        Self {
            hours: 30.0,
            hours_min: 20.0,
            hours_full: 200.0,
            rule_based: 20.0,
            default_rule_based: 3,
            input: 15.0,
            exceptions: 15.0,
            exceptions_zero_at: 0.3,
            default_exception_rate: 0.1,
            stability: 10.0,
            complexity: 10.0,
            max_decisions: 5,
            max_systems: 5,
            manual_check_penalty: -20.0,
            // 5 h, not 10: the published 就学援助 Can-Be hands the roster update (≈6.5 h a year
            // in the bundled model) to the same robot as the roster and the data entry.
            min_hours_per_year: 5.0,
        }
    }
}

/// AI-OCR: sheets, expected accuracy (published pilots), layout and hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OcrWeights {
    /// The rule fires only from this many paper sheets a year ("a few hundred").
    pub min_sheets: f64,
    /// Points for sheets per year (log scale between `min_sheets` and `sheets_full`).
    pub sheets: f64,
    pub sheets_full: f64,
    /// Points for expected accuracy: zero at `accuracy_free`, full at `accuracy_printed`.
    pub accuracy: f64,
    /// Published accuracy of printed text.
    pub accuracy_printed: f64,
    /// Published accuracy of boxed handwriting on a fixed-layout form.
    pub accuracy_boxed: f64,
    /// Published accuracy of free handwriting.
    pub accuracy_free: f64,
    /// Points for annual hours of the transcription (linear between the RPA thresholds).
    pub hours: f64,
    /// Points when the read data goes into a system (not another document).
    pub target: f64,
    /// A step whose estimated saving is below this many staff hours a year is not reported (as
    /// RPA; not applied when the volume is unknown).
    pub min_hours_per_year: f64,
}

impl Default for OcrWeights {
    fn default() -> Self {
        Self {
            min_sheets: 200.0,
            sheets: 40.0,
            sheets_full: 2000.0,
            accuracy: 30.0,
            accuracy_printed: 0.99,
            accuracy_boxed: 0.93,
            accuracy_free: 0.70,
            hours: 20.0,
            target: 10.0,
            min_hours_per_year: 5.0,
        }
    }
}

/// Once only (ワンスオンリー).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OnceOnlyWeights {
    /// Points for gov-held documents asked from the resident (full at `gov_held_full`).
    pub gov_held: f64,
    pub gov_held_full: f64,
    /// Points for fields asked more than once (full at `duplicates_full`).
    pub duplicates: f64,
    pub duplicates_full: f64,
    /// Points for annual volume (same log scale as online application).
    pub volume: f64,
}

impl Default for OnceOnlyWeights {
    fn default() -> Self {
        Self {
            gov_held: 40.0,
            gov_held_full: 2.0,
            duplicates: 30.0,
            duplicates_full: 5.0,
            volume: 30.0,
        }
    }
}

/// Seal removal (押印廃止). Hours weigh most so that a seal saving little time does not outrank
/// findings that save much; the rest is the resident's burden and the legal basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SealWeights {
    /// Points for the hours saved per year, staff + resident (linear, full at `hours_full`).
    pub hours: f64,
    pub hours_full: f64,
    /// Points for seals asked from residents (they must own and carry a 判子).
    pub resident: f64,
    /// Points for seals without a legal paper requirement (share of all seals).
    pub no_legal_basis: f64,
    /// Points for the number of seals (full at `count_full`).
    pub count: f64,
    pub count_full: f64,
    /// Points for annual volume (log scale as online application).
    pub volume: f64,
    /// Resident minutes per seal: finding, bringing and affixing the 判子 (working assumption).
    pub resident_minutes: f64,
    /// Share of residents who come to the office without the seal and must come again
    /// (working assumption); each such case costs one more trip (`travel_minutes`).
    pub return_visit_rate: f64,
    /// Staff minutes per seal: fetching the seal, stamping, checking the stamp. Carrying the
    /// paper and waiting for it are counted under e-approval, not here.
    pub staff_minutes: f64,
}

impl Default for SealWeights {
    fn default() -> Self {
        Self {
            hours: 30.0,
            hours_full: 100.0,
            resident: 25.0,
            no_legal_basis: 15.0,
            count: 10.0,
            count_full: 3.0,
            volume: 20.0,
            resident_minutes: 5.0,
            return_visit_rate: 0.05,
            staff_minutes: 0.5,
        }
    }
}

/// Electronic approval (電子決裁).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApprovalWeights {
    /// Points for the length of the paper approval chain (full at `chain_full` steps).
    pub chain: f64,
    pub chain_full: f64,
    /// Points for waiting on paper approvals (full at `wait_full_days` per case).
    pub wait: f64,
    pub wait_full_days: f64,
    /// Points for annual volume (log scale as online application).
    pub volume: f64,
    /// Share of the approval steps' work that e-approval removes (printing, carrying, filing).
    pub work_cut: f64,
}

impl Default for ApprovalWeights {
    fn default() -> Self {
        Self {
            chain: 30.0,
            chain_full: 3.0,
            wait: 40.0,
            wait_full_days: 3.0,
            volume: 30.0,
            work_cut: 0.5,
        }
    }
}

/// One-stop / 書かない窓口.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OneStopWeights {
    /// Points for counters met beyond the first (full at `counters_full`).
    pub counters: f64,
    pub counters_full: f64,
    /// Points for fields written on several forms (full at `duplicates_full`).
    pub duplicates: f64,
    pub duplicates_full: f64,
    /// Points for annual volume (log scale as online application).
    pub volume: f64,
}

impl Default for OneStopWeights {
    fn default() -> Self {
        Self {
            counters: 40.0,
            counters_full: 3.0,
            duplicates: 30.0,
            duplicates_full: 5.0,
            volume: 30.0,
        }
    }
}

/// Why settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// The `[candidates]` table has an unknown key or a value of the wrong type.
    #[error("invalid [candidates] settings in nagare.toml: {0}")]
    Invalid(#[from] toml::de::Error),
    /// The file is not valid TOML.
    #[error("nagare.toml is not valid TOML: {0}")]
    Syntax(toml::de::Error),
    /// `[candidates]` is not a table.
    #[error("`candidates` in nagare.toml must be a table ([candidates])")]
    NotATable,
    /// A value is outside its meaningful range.
    #[error("invalid [candidates] settings in nagare.toml: {0}")]
    OutOfRange(String),
}

impl SettingsError {
    /// Returns the error message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        let detail = match self {
            SettingsError::Invalid(e) | SettingsError::Syntax(e) => e.message().to_owned(),
            SettingsError::OutOfRange(m) => m.clone(),
            SettingsError::NotATable => String::new(),
        };
        match self {
            SettingsError::Syntax(_) => Text::new(
                format!("nagare.toml を TOML として読めません: {detail}"),
                self.to_string(),
            ),
            SettingsError::NotATable => Text::new(
                "nagare.toml の `candidates` は表（[candidates]）にしてください",
                self.to_string(),
            ),
            SettingsError::Invalid(_) | SettingsError::OutOfRange(_) => Text::new(
                format!("nagare.toml の [candidates] が正しくありません: {detail}"),
                self.to_string(),
            ),
        }
    }
}

impl CandidateSettings {
    /// Returns the settings of a `[candidates]` table (the table itself, not the whole file);
    /// missing keys take their defaults, unknown keys are an error.
    ///
    /// # Errors
    /// If a key is unknown, a value has the wrong type, or a share is outside 0–1.
    pub fn from_table(table: &toml::Table) -> Result<Self, SettingsError> {
        let settings: Self = toml::Value::Table(table.clone()).try_into()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Returns the settings in the `[candidates]` table of a whole `nagare.toml` text (defaults
    /// when the table is absent; other tables belong to other stages and are ignored).
    ///
    /// # Errors
    /// If the text is not TOML or the table is invalid (see [`Self::from_table`]).
    /// When `[candidates]` does not set `travel_minutes`, the travel time per visit of the
    /// `[metrics]` table (`travel_minutes_per_visit`) is used, so one number serves both stages.
    pub fn from_toml_str(text: &str) -> Result<Self, SettingsError> {
        let document: toml::Table = text.parse().map_err(SettingsError::Syntax)?;
        let metrics_travel = document
            .get("metrics")
            .and_then(|m| m.get("travel_minutes_per_visit"))
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
        let mut settings = match document.get("candidates") {
            None => Self::default(),
            Some(toml::Value::Table(table)) => Self::from_table(table)?,
            Some(_) => return Err(SettingsError::NotATable),
        };
        let own_travel = document
            .get("candidates")
            .and_then(|c| c.get("travel_minutes"))
            .is_some();
        if let (false, Some(minutes)) = (own_travel, metrics_travel) {
            settings.travel_minutes = minutes;
            settings.validate()?;
        }
        Ok(settings)
    }

    fn validate(&self) -> Result<(), SettingsError> {
        let shares = [
            ("online_uptake", self.online_uptake),
            ("e_approval.work_cut", self.e_approval.work_cut),
            (
                "rpa.default_exception_rate",
                self.rpa.default_exception_rate,
            ),
            ("seal.return_visit_rate", self.seal.return_visit_rate),
        ];
        for (key, value) in shares {
            if !(0.0..=1.0).contains(&value) {
                return Err(SettingsError::OutOfRange(format!(
                    "`{key}` must be between 0 and 1, got {value}"
                )));
            }
        }
        if !(1..=5).contains(&self.rpa.default_rule_based) {
            return Err(SettingsError::OutOfRange(format!(
                "`rpa.default_rule_based` must be 1–5, got {}",
                self.rpa.default_rule_based
            )));
        }
        let non_negative = [
            ("travel_minutes", self.travel_minutes),
            ("rpa.min_hours_per_year", self.rpa.min_hours_per_year),
            ("ai_ocr.min_hours_per_year", self.ai_ocr.min_hours_per_year),
            ("seal.resident_minutes", self.seal.resident_minutes),
            ("seal.staff_minutes", self.seal.staff_minutes),
        ];
        for (key, value) in non_negative {
            if !(value >= 0.0 && value.is_finite()) {
                return Err(SettingsError::OutOfRange(format!(
                    "`{key}` must be a number ≥ 0, got {value}"
                )));
            }
        }
        Ok(())
    }
}

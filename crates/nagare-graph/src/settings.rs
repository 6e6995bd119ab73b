//! Metric settings: the `[metrics]` table of a models folder's `nagare.toml`.
//!
//! The front ends read the file; this module only interprets its text, so the graph crate stays
//! free of IO. Unknown keys are errors because a misspelt key silently falling back to a default
//! would change reported numbers without anyone noticing.

use nagare_syntax::Text;
use serde::{Deserialize, Serialize};

/// Constants the metrics need that are not part of a model. Defaults are documented in
/// `docs/metrics.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Working hours of one full-time equivalent per year (FTE = staff hours / this). Default 1920.
    pub hours_per_fte: f64,
    /// Minutes a resident spends travelling to and from the office per visit. Default 30.
    pub travel_minutes_per_visit: f64,
    /// The longest wait on an in-person step that the resident spends at the office. A longer
    /// wait (`[来庁, 待ち 5日]` on a return visit) is elapsed time before the visit, spent at home:
    /// it counts in lead time but not in the resident's waiting at the office. Default 240 (4 h).
    pub max_office_wait_minutes: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            hours_per_fte: 1920.0,
            travel_minutes_per_visit: 30.0,
            max_office_wait_minutes: 240.0,
        }
    }
}

/// Why a `[metrics]` table could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// The file is not valid TOML.
    #[error("nagare.toml is not valid TOML: {0}")]
    Syntax(String),
    /// `[metrics]` is not a table.
    #[error("`metrics` must be a table ([metrics])")]
    NotATable,
    /// An unknown key or a value of the wrong type (serde's message names it).
    #[error("{0}")]
    Invalid(String),
    /// A value out of its range.
    #[error("`{key}` must be {expected}, found {found}")]
    OutOfRange {
        key: &'static str,
        expected: &'static str,
        found: f64,
    },
}

impl SettingsError {
    /// Returns the message in Japanese and English for display.
    #[must_use]
    pub fn message(&self) -> Text {
        match self {
            Self::Syntax(detail) => Text::new(
                format!("nagare.toml を TOML として読めません: {detail}"),
                self.to_string(),
            ),
            Self::NotATable => Text::new(
                "`metrics` は表 ([metrics]) で書いてください",
                self.to_string(),
            ),
            Self::Invalid(detail) => {
                // serde names an unknown key as "unknown field `x`, expected …".
                let unknown = detail
                    .strip_prefix("unknown field `")
                    .and_then(|rest| rest.split_once('`'))
                    .map(|(key, _)| key);
                let ja = unknown.map_or_else(
                    || format!("値が正しくありません: {detail}"),
                    |key| {
                        format!(
                            "不明なキー `{key}` です（使えるキー: hours_per_fte, travel_minutes_per_visit, max_office_wait_minutes）"
                        )
                    },
                );
                Text::new(ja, self.to_string())
            }
            Self::OutOfRange {
                key,
                expected,
                found,
            } => Text::new(
                format!(
                    "`{key}` は {} にしてください（値: {found}）",
                    range_ja(expected)
                ),
                self.to_string(),
            ),
        }
    }
}

fn range_ja(expected: &str) -> &'static str {
    if expected.starts_with("greater") {
        "0 より大きい有限の数"
    } else {
        "0 以上の有限の数"
    }
}

impl Settings {
    /// Returns the settings in the `[metrics]` table of a whole `nagare.toml` text (defaults when
    /// the table is absent); other tables belong to other stages and are not looked at.
    ///
    /// # Errors
    /// If the text is not TOML, `metrics` is not a table, or the table has an unknown key or a
    /// value out of range.
    pub fn from_toml(text: &str) -> Result<Self, SettingsError> {
        let root: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| SettingsError::Syntax(e.message().to_owned()))?;
        match root.get("metrics") {
            None => Ok(Self::default()),
            Some(toml::Value::Table(table)) => Self::from_table(table),
            Some(_) => Err(SettingsError::NotATable),
        }
    }

    /// Returns the settings of a `[metrics]` table (missing keys take their defaults).
    ///
    /// # Errors
    /// If the table has an unknown key, a value of the wrong type, or a value out of range.
    pub fn from_table(table: &toml::Table) -> Result<Self, SettingsError> {
        let settings: Self = toml::Value::Table(table.clone())
            .try_into()
            .map_err(|e: toml::de::Error| SettingsError::Invalid(e.message().to_owned()))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks that every value is usable (finite; FTE hours positive; travel not negative).
    ///
    /// # Errors
    /// On the first value out of range.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if !(self.hours_per_fte.is_finite() && self.hours_per_fte > 0.0) {
            return Err(SettingsError::OutOfRange {
                key: "hours_per_fte",
                expected: "greater than 0",
                found: self.hours_per_fte,
            });
        }
        if !(self.travel_minutes_per_visit.is_finite() && self.travel_minutes_per_visit >= 0.0) {
            return Err(SettingsError::OutOfRange {
                key: "travel_minutes_per_visit",
                expected: "0 or more",
                found: self.travel_minutes_per_visit,
            });
        }
        if !(self.max_office_wait_minutes.is_finite() && self.max_office_wait_minutes >= 0.0) {
            return Err(SettingsError::OutOfRange {
                key: "max_office_wait_minutes",
                expected: "0 or more",
                found: self.max_office_wait_minutes,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_table_gives_defaults() {
        let s = Settings::from_toml("[candidates]\nfoo = 1\n").expect("valid");
        assert_eq!(s, Settings::default());
        assert!((s.hours_per_fte - 1920.0).abs() < 1e-9);
    }

    #[test]
    fn reads_keys_and_integers() {
        let s = Settings::from_toml(
            "[metrics]\nhours_per_fte = 1800\ntravel_minutes_per_visit = 45.5\n",
        )
        .expect("valid");
        assert!((s.hours_per_fte - 1800.0).abs() < 1e-9);
        assert!((s.travel_minutes_per_visit - 45.5).abs() < 1e-9);
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err = Settings::from_toml("[metrics]\nhours_per_ftee = 1800\n").expect_err("must fail");
        assert!(matches!(err, SettingsError::Invalid(_)));
        assert!(err.to_string().contains("hours_per_ftee"), "{err}");
        assert!(err.message().ja.contains("hours_per_ftee"));
    }

    #[test]
    fn out_of_range_and_bad_syntax() {
        let err = Settings::from_toml("[metrics]\nhours_per_fte = 0\n").expect_err("must fail");
        assert!(matches!(
            err,
            SettingsError::OutOfRange {
                key: "hours_per_fte",
                ..
            }
        ));
        let err = Settings::from_toml("[metrics\n").expect_err("must fail");
        assert!(matches!(err, SettingsError::Syntax(_)));
        let err = Settings::from_toml("metrics = 3\n").expect_err("must fail");
        assert_eq!(err, SettingsError::NotATable);
    }
}

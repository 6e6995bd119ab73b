//! `nagare.toml`: the settings of a models folder, one table per stage.
//!
//! The front ends read the file; this module turns its text into the settings every stage takes,
//! so the CLI and the viewer agree on what a folder's `nagare.toml` means.

use nagare_candidates::CandidateSettings;
use nagare_graph::Settings as MetricSettings;
use nagare_syntax::Text;

/// The tables a `nagare.toml` may have; anything else is a mistake worth reporting.
const TABLES: [&str; 2] = ["metrics", "candidates"];

/// The settings of every stage, from one `nagare.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// `[metrics]`: hours per FTE, travel time per visit… (docs/metrics.md).
    pub metrics: MetricSettings,
    /// `[candidates]`: weights and thresholds of the improvement rules (docs/candidates.md).
    pub candidates: CandidateSettings,
}

/// Why a `nagare.toml` could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.en)]
pub struct ConfigError(pub Text);

impl ConfigError {
    /// Returns the message in both languages.
    #[must_use]
    pub fn message(&self) -> &Text {
        &self.0
    }
}

impl Config {
    /// Returns the settings of a whole `nagare.toml` text; missing tables and keys take defaults.
    ///
    /// # Errors
    /// If the text is not TOML, has a top-level key other than `[metrics]` and `[candidates]`, or
    /// one of the tables is invalid (unknown key, wrong type, value out of range).
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        let root: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            ConfigError(Text::new(
                format!("TOML として読めません: {}", e.message()),
                format!("not valid TOML: {}", e.message()),
            ))
        })?;
        if let Some(unknown) = root.keys().find(|k| !TABLES.contains(&k.as_str())) {
            let hint = nagare_syntax::did_you_mean(unknown, TABLES.iter().copied());
            let (hint_ja, hint_en) = hint.map_or_else(
                || (String::new(), String::new()),
                |h| {
                    (
                        format!("`[{h}]` のことですか？"),
                        format!(" Did you mean `[{h}]`?"),
                    )
                },
            );
            return Err(ConfigError(Text::new(
                format!(
                    "`{unknown}` という設定はありません。使えるのは `[metrics]` と `[candidates]` です。{hint_ja}"
                ),
                format!(
                    "unknown setting `{unknown}`: only `[metrics]` and `[candidates]` are allowed.{hint_en}"
                ),
            )));
        }
        let metrics = MetricSettings::from_toml(text)
            .map_err(|e| ConfigError(prefixed("[metrics]", &e.message())))?;
        let candidates = CandidateSettings::from_toml_str(text)
            .map_err(|e| ConfigError(prefixed("[candidates]", &e.message())))?;
        Ok(Self {
            metrics,
            candidates,
        })
    }
}

fn prefixed(table: &str, message: &Text) -> Text {
    Text::new(
        format!("{table}: {}", message.ja),
        format!("{table}: {}", message.en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_text_gives_defaults() {
        assert_eq!(Config::from_toml(""), Ok(Config::default()));
    }

    #[test]
    fn both_tables_are_read() {
        let config = Config::from_toml("[metrics]\nhours_per_fte = 1800\n").expect("valid");
        assert!((config.metrics.hours_per_fte - 1800.0).abs() < f64::EPSILON);
    }

    #[test]
    fn a_misspelt_table_is_refused_with_a_suggestion() {
        let error = Config::from_toml("[metric]\nhours_per_fte = 1800\n").expect_err("unknown");
        assert!(error.message().en.contains("`[metrics]`?"), "{error}");
        assert!(error.message().ja.contains("`metric`"), "{error}");
    }

    #[test]
    fn an_unknown_key_names_its_table() {
        let error = Config::from_toml("[metrics]\nhours_per_ftee = 1800\n").expect_err("unknown");
        assert!(error.message().en.starts_with("[metrics]"), "{error}");
    }
}

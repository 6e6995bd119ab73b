//! The result of a comparison: plain serde data shared by the CLI, the viewer and snapshots.

pub use nagare_graph::{Better, Unit};
use nagare_syntax::{Diagnostic, Text};
use serde::{Deserialize, Serialize};

/// The comparison of an As-Is (or Can-Be) model with a To-Be model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    pub as_is: ProcessRef,
    pub to_be: ProcessRef,
    /// Every step of both models appears in exactly one change, ordered along the As-Is flow with
    /// added steps placed after the change of the To-Be step before them.
    pub changes: Vec<StepChange>,
    pub structural: Structural,
    /// Every metric of both analyses, in the metric table's order.
    pub metric_deltas: Vec<MetricDelta>,
    /// A one-line summary of the headline figures ([`crate::SUMMARY_METRICS`], see [`crate::summary`]).
    pub summary: Text,
    /// How alike the two flows are, 0 (nothing kept) to 1 (identical); defined in the crate docs
    /// ("Similarity"), shown as a percentage.
    pub similarity: f64,
    /// Problems with the To-Be file's links (`置換`, `削除`) that only a comparison can find; spans
    /// refer to the To-Be source.
    pub diagnostics: Vec<Diagnostic>,
}

/// Which process variant a side of the comparison is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessRef {
    pub id: String,
    pub name: String,
    /// `as-is`, `can-be` or `to-be`.
    pub variant: String,
}

/// A step as referred to by a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRef {
    /// The step's key: the viewer highlights the element `step-<key>`.
    pub key: String,
    pub label: String,
    /// The actor's (lane's) name.
    pub actor: String,
}

/// What happened to one step, or to a group of steps (merge, split).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepChange {
    /// The As-Is steps involved (empty for an added step), in declaration order.
    pub as_is: Vec<StepRef>,
    /// The To-Be steps involved (empty for a removed step), in declaration order.
    pub to_be: Vec<StepRef>,
    /// Sorted; `unchanged`, `added` and `removed` stand alone.
    pub classes: Vec<ChangeClass>,
    /// The strongest evidence that tied the steps together; `None` for added and removed steps.
    pub matched_by: Option<MatchKind>,
    /// Every As-Is/To-Be pair of the group, with how it was found and its similarity.
    pub links: Vec<PairLink>,
    /// The reason given in the To-Be file's `削除:` section, for removed steps.
    pub reason: Option<String>,
    /// A short human-readable description (`紙 → 電子・窓口 → RPA`).
    pub detail: Text,
}

impl StepChange {
    /// Returns the keys of the As-Is steps.
    #[must_use]
    pub fn as_is_keys(&self) -> Vec<&str> {
        self.as_is.iter().map(|s| s.key.as_str()).collect()
    }

    /// Returns the keys of the To-Be steps.
    #[must_use]
    pub fn to_be_keys(&self) -> Vec<&str> {
        self.to_be.iter().map(|s| s.key.as_str()).collect()
    }

    /// Returns true if the change has class `class`.
    #[must_use]
    pub fn has(&self, class: ChangeClass) -> bool {
        self.classes.contains(&class)
    }
}

/// One As-Is/To-Be pair within a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairLink {
    pub as_is: String,
    pub to_be: String,
    pub by: MatchKind,
    /// The pair's similarity score 0–1 (label, actor, documents, position), also for id and link
    /// pairs, where it is informative only.
    pub score: f64,
}

/// How a pair of steps was matched, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchKind {
    /// The same explicit step id in both files.
    Id,
    /// The To-Be file says so (`置換`).
    Link,
    /// Found by label, actor, document and position similarity.
    Auto,
}

/// A kind of change of a step; a change may have several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeClass {
    /// Matched and nothing compared differs.
    Unchanged,
    /// Only in the To-Be.
    Added,
    /// Only in the As-Is (declared in `削除:` or not matched).
    Removed,
    /// Several As-Is steps became one To-Be step.
    Merged,
    /// One As-Is step became several To-Be steps.
    Split,
    /// The label was reworded (1:1 pairs only).
    Relabelled,
    /// Done by another actor (lane).
    Moved,
    /// From a person (staff, resident, external) to a system or RPA actor.
    Automated,
    /// From paper, in person, phone, mail or fax to digital handling.
    Digitised,
    /// The medium changed in another way.
    MediumChanged,
    /// Work or waiting time changed.
    TimeChanged,
    /// Documents used, their roles or fields changed.
    DocumentsChanged,
    /// Flags (seal, ID check, visit…), kind, physical item, system or transcription changed.
    AttributesChanged,
}

impl ChangeClass {
    /// Every class, in sort order.
    pub const ALL: [Self; 13] = [
        Self::Unchanged,
        Self::Added,
        Self::Removed,
        Self::Merged,
        Self::Split,
        Self::Relabelled,
        Self::Moved,
        Self::Automated,
        Self::Digitised,
        Self::MediumChanged,
        Self::TimeChanged,
        Self::DocumentsChanged,
        Self::AttributesChanged,
    ];

    /// Returns the stable kebab-case name (as in JSON).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unchanged => "unchanged",
            Self::Added => "added",
            Self::Removed => "removed",
            Self::Merged => "merged",
            Self::Split => "split",
            Self::Relabelled => "relabelled",
            Self::Moved => "moved",
            Self::Automated => "automated",
            Self::Digitised => "digitised",
            Self::MediumChanged => "medium-changed",
            Self::TimeChanged => "time-changed",
            Self::DocumentsChanged => "documents-changed",
            Self::AttributesChanged => "attributes-changed",
        }
    }

    /// Returns the CSS class the viewer uses for this class (`diff-moved`).
    #[must_use]
    pub fn css(self) -> String {
        format!("diff-{}", self.as_str())
    }

    /// Returns the display name.
    #[must_use]
    pub fn label(self) -> Text {
        let (ja, en) = match self {
            Self::Unchanged => ("変更なし", "unchanged"),
            Self::Added => ("追加", "added"),
            Self::Removed => ("削除", "removed"),
            Self::Merged => ("統合", "merged"),
            Self::Split => ("分割", "split"),
            Self::Relabelled => ("名称変更", "relabelled"),
            Self::Moved => ("担当変更", "moved"),
            Self::Automated => ("自動化", "automated"),
            Self::Digitised => ("デジタル化", "digitised"),
            Self::MediumChanged => ("媒体変更", "medium changed"),
            Self::TimeChanged => ("時間変更", "time changed"),
            Self::DocumentsChanged => ("書類変更", "documents changed"),
            Self::AttributesChanged => ("属性変更", "attributes changed"),
        };
        Text::new(ja, en)
    }

    /// Returns true for classes that change what the step does (everything but unchanged,
    /// added, removed and a mere rewording).
    #[must_use]
    pub fn is_substantive(self) -> bool {
        !matches!(
            self,
            Self::Unchanged | Self::Added | Self::Removed | Self::Relabelled
        )
    }
}

/// Changes of the flow's shape rather than of single steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Structural {
    /// Step-to-step handoffs (consecutive steps of different actors) in each model.
    pub handoffs_as_is: usize,
    pub handoffs_to_be: usize,
    /// Actor pairs whose number of handoffs changed, sorted by (from, to).
    pub handoffs: Vec<HandoffChange>,
    /// As-Is steps where the resident visits the office whose To-Be counterpart has no visit (or
    /// which were removed).
    pub visits_removed: Vec<String>,
    /// To-Be steps with a visit whose As-Is counterpart had none (or which were added).
    pub visits_added: Vec<String>,
    /// Lanes (actors with steps) of the As-Is that the To-Be no longer has, by name.
    pub lanes_removed: Vec<String>,
    /// Lanes of the To-Be that the As-Is did not have.
    pub lanes_added: Vec<String>,
    /// Step-to-step edges in each model and how many As-Is edges survive between the matched steps.
    pub edges_as_is: usize,
    pub edges_to_be: usize,
    pub edges_kept: usize,
    /// To-Be step-to-step edges with no As-Is counterpart.
    pub edges_new: usize,
}

/// The handoffs between two actors in each model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffChange {
    pub from: String,
    pub to: String,
    pub as_is: usize,
    pub to_be: usize,
}

/// One metric of both variants and its change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDelta {
    /// The stable metric key (`handoffs`, `staff-hours`).
    pub key: String,
    pub label: Text,
    pub unit: Unit,
    /// `None` when the metric is not computed for that variant (e.g. no volume given).
    pub as_is: Option<f64>,
    pub to_be: Option<f64>,
    /// To-Be − As-Is, when both exist.
    pub change: Option<f64>,
    /// The change in percent of the As-Is value; `None` when the As-Is value is 0 or missing
    /// (displayed as "new" or "—", never as infinity).
    pub percent: Option<f64>,
    pub better: Better,
    /// True if the change goes in the better direction, false if worse, `None` if unchanged,
    /// neutral or not comparable.
    pub improved: Option<bool>,
}

//! The scene: a laid-out swimlane diagram as plain serde data.
//!
//! Everything the SVG writer (or the web viewer, or a golden test) needs is here, with final
//! coordinates in pixels rounded to 0.1 so that the JSON and the SVG are byte-stable.
//! Text that depends on the display language (marker names, legend) is not stored: the scene
//! holds kinds, and sizes are computed for the wider of the Japanese and English words.

use nagare_model::{ActorKind, EdgeKind, StepKind};
use nagare_syntax::{Lang, Text};
use serde::{Deserialize, Serialize};

/// Which way the flow runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Lanes are horizontal bands, the flow runs left to right.
    #[default]
    Horizontal,
    /// Lanes are columns (actors across the top), the flow runs top to bottom.
    Vertical,
}

/// A point in pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned rectangle: top-left corner and size, in pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Returns the centre of the rectangle.
    #[must_use]
    pub fn center(&self) -> Point {
        Point {
            x: self.x + self.w / 2.0,
            y: self.y + self.h / 2.0,
        }
    }

    /// Returns the right edge.
    #[must_use]
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Returns the bottom edge.
    #[must_use]
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Returns true if the interiors of `self` and `other` overlap by more than `tolerance`.
    #[must_use]
    pub fn overlaps(&self, other: &Rect, tolerance: f64) -> bool {
        self.x + tolerance < other.right()
            && other.x + tolerance < self.right()
            && self.y + tolerance < other.bottom()
            && other.y + tolerance < self.bottom()
    }

    /// Returns true if `inner` lies inside `self` (with `tolerance` of slack).
    #[must_use]
    pub fn contains_rect(&self, inner: &Rect, tolerance: f64) -> bool {
        inner.x >= self.x - tolerance
            && inner.y >= self.y - tolerance
            && inner.right() <= self.right() + tolerance
            && inner.bottom() <= self.bottom() + tolerance
    }
}

/// A swimlane: one actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    /// The actor's index in the model (lanes are in declaration order).
    pub actor: usize,
    pub name: String,
    pub kind: ActorKind,
    pub department: Option<String>,
    /// The whole band, header included.
    pub band: Rect,
    /// The header cell that carries the actor's name.
    pub header: Rect,
    /// The actor's name wrapped to the header.
    pub header_lines: Vec<String>,
}

/// The outline drawn for a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    /// A task: rounded box.
    Task,
    /// A decision: diamond with the label inside.
    Decision,
    /// A waiting step: rounded box with an hourglass.
    Wait,
    /// A sub-process: rounded box with a `[+]` mark.
    Subprocess,
    /// An explicit start or end step: a pill (stadium) with its label.
    Event,
    /// The start of the flow: small circle.
    Start,
    /// An end of the flow: small circle with a thick border.
    End,
    /// A parallel split or join: diamond with `+`.
    Gateway,
}

/// What a node of the scene stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BoxKind {
    Start,
    End,
    Step,
    Split,
    Join,
}

/// A mark a clerk recognises at a glance, drawn as a small labelled badge on the box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerKind {
    /// 紙: paper medium or a paper document.
    Paper,
    /// 来庁: the resident comes to the office.
    Visit,
    /// 押印: a seal (red circle with 印).
    Seal,
    /// 署名: a signature.
    Signature,
    /// 転記: re-keying data.
    Transcription,
    /// A system actor or a system used by the step.
    System,
    /// An RPA robot.
    Rpa,
    /// 待ち: waiting time.
    Wait,
}

impl MarkerKind {
    /// Every marker, in legend order.
    pub const ALL: [MarkerKind; 8] = [
        Self::Paper,
        Self::Visit,
        Self::Seal,
        Self::Signature,
        Self::Transcription,
        Self::System,
        Self::Rpa,
        Self::Wait,
    ];

    /// Returns the short badge text.
    #[must_use]
    pub fn badge(self) -> Text {
        let (ja, en) = match self {
            Self::Paper => ("紙", "Paper"),
            Self::Visit => ("来庁", "Visit"),
            Self::Seal => ("印", "印"),
            Self::Signature => ("署名", "Sign"),
            Self::Transcription => ("転記", "Re-key"),
            Self::System => ("システム", "System"),
            Self::Rpa => ("RPA", "RPA"),
            Self::Wait => ("待ち", "Wait"),
        };
        Text::new(ja, en)
    }

    /// Returns the explanation used in the legend.
    #[must_use]
    pub fn meaning(self) -> Text {
        let (ja, en) = match self {
            Self::Paper => ("紙の書類・紙の処理", "paper form or paper handling"),
            Self::Visit => ("来庁（住民が窓口へ来る）", "resident visits the office"),
            Self::Seal => ("押印", "seal (hanko) required"),
            Self::Signature => ("署名", "signature required"),
            Self::Transcription => ("転記（入力し直し）", "re-keying (transcription)"),
            Self::System => ("システム処理", "done in a system"),
            Self::Rpa => ("RPA（ロボット）", "RPA robot"),
            Self::Wait => ("待ち時間", "waiting time"),
        };
        Text::new(ja, en)
    }

    /// Returns the CSS class the SVG gives a box that carries this marker.
    #[must_use]
    pub fn class(self) -> &'static str {
        match self {
            Self::Paper => "is-paper",
            Self::Visit => "is-visit",
            Self::Seal => "is-seal",
            Self::Signature => "is-signature",
            Self::Transcription => "is-transcription",
            Self::System | Self::Rpa => "is-automated",
            Self::Wait => "is-wait",
        }
    }
}

/// A marker placed on a box.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub kind: MarkerKind,
    pub rect: Rect,
}

/// A node of the diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneBox {
    /// The flow node this box draws.
    pub node: usize,
    pub kind: BoxKind,
    pub shape: Shape,
    /// The step's kind, for steps.
    pub step_kind: Option<StepKind>,
    /// The bounding box of the shape.
    pub rect: Rect,
    /// Index into [`Scene::lanes`].
    pub lane: usize,
    /// The step key (`S3`, or `n4` for steps without a user id), for steps.
    pub step_key: Option<String>,
    /// The actor's index in the model, for steps.
    pub actor: Option<usize>,
    /// The full label (also used for the tooltip).
    pub label: String,
    /// The label wrapped to the box; drawn centred in [`Self::text_area`].
    pub lines: Vec<String>,
    /// Where the label lines go.
    pub text_area: Rect,
    pub markers: Vec<Marker>,
    /// The step's attributes in both languages, one line each (accessible description).
    pub details: Vec<Text>,
}

/// A label on an edge (branch condition and/or probability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeLabel {
    pub lines: Vec<String>,
    pub rect: Rect,
}

/// A flow edge as an orthogonal polyline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneEdge {
    /// The model's edge index.
    pub edge: usize,
    /// Index into [`Scene::boxes`] of the source.
    pub from: usize,
    /// Index into [`Scene::boxes`] of the target.
    pub to: usize,
    pub kind: EdgeKind,
    /// True when drawn as going back (send-back, or any edge against the flow direction).
    pub back: bool,
    pub probability: f64,
    /// First point on the source's border, last point on the target's border (arrow head).
    pub points: Vec<Point>,
    pub label: Option<EdgeLabel>,
}

/// What a legend entry explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "kind")]
pub enum LegendKind {
    Marker(MarkerKind),
    /// The dashed send-back line.
    SendBack,
    /// The parallel gateway.
    Parallel,
    /// The decision diamond.
    Decision,
}

impl LegendKind {
    /// Returns the legend text.
    #[must_use]
    pub fn meaning(self) -> Text {
        match self {
            Self::Marker(kind) => kind.meaning(),
            Self::SendBack => Text::new("差戻し（前の手順へ戻る）", "send-back to an earlier step"),
            Self::Parallel => Text::new("並行処理の分岐・合流", "parallel split / join"),
            Self::Decision => Text::new("判断（分岐）", "decision"),
        }
    }
}

/// One legend entry: an icon and its explanation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LegendItem {
    pub kind: LegendKind,
    /// Where the icon goes.
    pub icon: Rect,
    /// Where the text starts (left end of the baseline box).
    pub text: Rect,
}

/// The legend below (horizontal) or beside (vertical) the lanes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Legend {
    pub rect: Rect,
    pub items: Vec<LegendItem>,
}

/// What a note under the lanes says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// The flow has no steps yet.
    NoSteps,
    /// Declared actors that have no step, so no lane (typically systems named only in
    /// `システム=` attributes); named here so that nothing silently disappears.
    ActorsWithoutSteps,
}

/// A line of text under the lanes about what the lanes do not show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub kind: NoteKind,
    /// The actors it names (model indices, declaration order), for
    /// [`NoteKind::ActorsWithoutSteps`].
    pub actors: Vec<usize>,
    /// Their names, in the same order.
    pub names: Vec<String>,
    /// Where the note's lines go (sized for the longer of its Japanese and English text).
    pub rect: Rect,
}

impl Note {
    /// Returns the note's text in `lang`, on one line.
    #[must_use]
    pub fn text(&self, lang: Lang) -> String {
        match (self.kind, lang) {
            (NoteKind::NoSteps, Lang::Ja) => {
                "手順がありません。「流れ:」の下に手順を書くと図になります。".to_owned()
            }
            (NoteKind::NoSteps, Lang::En) => {
                "No steps yet: write steps under “flow:” to draw the diagram.".to_owned()
            }
            (NoteKind::ActorsWithoutSteps, Lang::Ja) => {
                format!("手順のない担当（レーンなし）：{}", self.names.join("、"))
            }
            (NoteKind::ActorsWithoutSteps, Lang::En) => {
                format!("Actors without steps (no lane): {}", self.names.join(", "))
            }
        }
    }

    /// Returns the note's text in `lang` wrapped to its rectangle, as the SVG draws it.
    #[must_use]
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        crate::layout::note_lines(&self.text(lang), self.rect.w)
    }
}

/// A laid-out swimlane diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scene {
    pub direction: Direction,
    /// The process name (title of the diagram).
    pub title: String,
    /// The process id and variant, e.g. `keijidosha-haisha (as-is)`.
    pub subtitle: String,
    pub width: f64,
    pub height: f64,
    pub font_size: f64,
    pub line_height: f64,
    pub lanes: Vec<Lane>,
    pub boxes: Vec<SceneBox>,
    pub edges: Vec<SceneEdge>,
    pub legend: Option<Legend>,
    /// Notes under the lanes (no steps; actors without a lane), drawn with or without the
    /// legend. Left out of the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

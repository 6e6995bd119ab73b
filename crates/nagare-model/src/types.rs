//! The semantic model: what a process variant *is*, independent of how it was written.
//!
//! Everything downstream (graph, metrics, diff, candidates, layout) reads only these types.
//! Indices (`ActorId`, `StepId`, `DocId`, `NodeId`) are positions in the model's vectors, in
//! declaration order, so output derived from them is deterministic.

use nagare_syntax::Span;
use serde::{Deserialize, Serialize};

pub type ActorId = usize;
pub type DocId = usize;
pub type StepId = usize;
pub type NodeId = usize;
pub type BlockId = usize;

/// One process variant (one `.flow` file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub process: Process,
    pub actors: Vec<Actor>,
    pub documents: Vec<Document>,
    pub steps: Vec<Step>,
    pub flow: Flow,
    /// As-Is steps this (To-Be) variant declares removed, with the reason (`削除:` section).
    pub removed: Vec<Removal>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Variant {
    #[default]
    AsIs,
    CanBe,
    ToBe,
}

impl Variant {
    /// Returns the canonical file stem / display name (`as-is`, `can-be`, `to-be`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AsIs => "as-is",
            Self::CanBe => "can-be",
            Self::ToBe => "to-be",
        }
    }
}

/// The process header.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Process {
    /// Stable slug (`keijidosha-haisha`): the `ID:` header, else the name hint given to `compile`.
    pub id: String,
    pub name: String,
    pub variant: Variant,
    /// Cases per year (件数/年); `None` when not stated (annual metrics are then not computed).
    pub volume_per_year: Option<f64>,
    pub department: Option<String>,
    pub legal_basis: Option<String>,
    pub notes: Vec<String>,
    /// On a national priority list for online application (子育て・介護, 罹災証明書, 転出・転入…).
    pub national_priority: bool,
    /// Fee per case in yen, if any.
    pub fee_yen: Option<f64>,
    /// The fee can be paid online.
    pub online_payment: bool,
    pub span: Span,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActorKind {
    /// 住民・申請者
    Resident,
    /// 職員 (counter, section, approver)
    #[default]
    Staff,
    /// 外部 (other agency, contractor, bank)
    External,
    /// システム (基幹システム etc.)
    System,
    /// RPA robot
    Rpa,
}

impl ActorKind {
    /// Returns true for actors that are machines (system or RPA): their steps count as automated.
    #[must_use]
    pub fn is_automated(self) -> bool {
        matches!(self, Self::System | Self::Rpa)
    }
}

/// A swimlane.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub name: String,
    pub kind: ActorKind,
    pub department: Option<String>,
    pub span: Span,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum DocMedium {
    /// A pre-printed paper form (fixed layout) filled in by hand: 紙 / 様式.
    #[default]
    PaperForm,
    /// Free handwriting on paper (no fixed layout): 手書き.
    Handwritten,
    /// Printed by a system (notices, lists): 印刷.
    Printed,
    Pdf,
    /// Structured electronic data (online form, CSV, database record): データ / 電子.
    Data,
}

impl DocMedium {
    /// Returns true if the document exists on paper.
    #[must_use]
    pub fn is_paper(self) -> bool {
        matches!(self, Self::PaperForm | Self::Handwritten | Self::Printed)
    }
}

/// A form or document (書類・様式).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub name: String,
    pub medium: DocMedium,
    pub fields: Vec<String>,
    /// The city already holds this information (住民票, 課税情報, 戸籍…): asking for it breaks once-only.
    pub gov_held: bool,
    pub span: Span,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    #[default]
    Task,
    Decision,
    Wait,
    Start,
    End,
    Subprocess,
}

/// How a step is carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Medium {
    Paper,
    Digital,
    InPerson,
    Phone,
    Mail,
    Fax,
    Email,
}

impl Medium {
    /// Returns true for media that count as digital handling (digital ratio, digital completion).
    #[must_use]
    pub fn is_digital(self) -> bool {
        matches!(self, Self::Digital | Self::Email)
    }
}

/// A duration in minutes: the typical value (p50) and optionally a pessimistic one (p90).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Minutes {
    pub p50: f64,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocRole {
    /// 記入: the step's actor fills in the document (handwriting for a resident).
    Fill,
    /// 参照: reads it.
    Read,
    /// 作成: produces it (prints a notice, makes a roster).
    Produce,
    /// 添付: attaches it to an application (an attachment the resident must bring).
    Attach,
}

/// A document used by a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocUse {
    pub doc: DocId,
    pub role: DocRole,
    /// The fields concerned; empty means all of the document's fields.
    pub fields: Vec<String>,
    pub span: Span,
}

/// Where re-keyed data comes from or goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "name")]
pub enum Endpoint {
    /// A declared document (paper form, roster…).
    Document(DocId),
    /// A system, by name (a system actor's name or a free name such as `Excel`).
    System(String),
}

/// 転記: re-keying data from one place into a system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcription {
    pub from: Endpoint,
    pub to: Endpoint,
    pub span: Span,
}

/// Yes/no attributes of a step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StepFlags {
    /// 押印
    pub seal: bool,
    /// 署名
    pub signature: bool,
    /// 本人確認
    pub id_check: bool,
    /// 来庁: the resident comes to the office for this step.
    pub visit: bool,
    /// 法定紙: the law requires a paper original here (blocks full online application).
    pub legal_paper: bool,
    /// 法定対面: the law requires presence here.
    pub legal_presence: bool,
    /// 現地調査: an on-site inspection.
    pub inspection: bool,
    /// 全件目視: every item must still be checked by hand (RPA penalty).
    pub manual_check: bool,
}

/// A step of the flow (手順), as the user wrote it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The user's stable id (`S3`), if written.
    pub id: Option<String>,
    /// An id unique within the model: the user's id, else `n<index+1>`. Used for element ids.
    pub key: String,
    pub label: String,
    pub actor: ActorId,
    pub kind: StepKind,
    pub medium: Option<Medium>,
    /// Work time per execution.
    pub work: Option<Minutes>,
    /// Waiting time before/within the step (elapsed, not worked).
    pub wait: Option<Minutes>,
    pub docs: Vec<DocUse>,
    pub transcription: Option<Transcription>,
    pub flags: StepFlags,
    /// 現物: a physical item handed over (number plate…).
    pub item: Option<String>,
    /// The system used, if any.
    pub system: Option<String>,
    /// How rule-based the work is, 1 (judgement) to 5 (fully rule-based).
    pub rule_based: Option<u8>,
    /// Share of cases that are exceptions, 0.0–1.0.
    pub exception_rate: Option<f64>,
    /// As-Is step ids this step replaces (To-Be files; `置換`).
    pub replaces: Vec<String>,
    pub note: Option<String>,
    pub span: Span,
    pub label_span: Span,
}

/// The elements of the control-flow graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Node {
    /// The single start of the flow.
    Start,
    /// An end of a path (`終了`, or the implicit end after the last statement).
    End {
        label: Option<String>,
        span: Span,
    },
    Step {
        step: StepId,
    },
    /// Opens a parallel block; every outgoing edge carries the full count.
    Split {
        block: BlockId,
        span: Span,
    },
    /// Closes the parallel block with the same id; waits for all branches.
    Join {
        block: BlockId,
        span: Span,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// Ordinary sequence.
    #[default]
    Sequence,
    /// A labelled outcome of a decision.
    Branch,
    /// A jump back to an earlier step (差戻し); reversed for layering.
    SendBack,
    /// A jump forward (skipping steps).
    Jump,
    /// From a split into one parallel branch, or from a branch into the join.
    Parallel,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: NodeId,
    pub to: NodeId,
    /// Probability of taking this edge when leaving `from` (1.0 for sequence and parallel edges).
    pub probability: f64,
    /// Branch condition (`不備あり`), if any.
    pub label: Option<String>,
    pub kind: EdgeKind,
    pub span: Span,
}

/// The control flow: node 0 is always `Start`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Flow {
    pub const START: NodeId = 0;

    /// Returns the edges leaving `node`, in declaration order.
    pub fn outgoing(&self, node: NodeId) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.from == node)
    }

    /// Returns the edges entering `node`, in declaration order.
    pub fn incoming(&self, node: NodeId) -> impl Iterator<Item = &Edge> {
        self.edges.iter().filter(move |e| e.to == node)
    }

    /// Returns the node of step `step`, if the step is in the flow.
    #[must_use]
    pub fn node_of_step(&self, step: StepId) -> Option<NodeId> {
        self.nodes
            .iter()
            .position(|n| matches!(n, Node::Step { step: s } if *s == step))
    }
}

/// An As-Is step declared removed by a To-Be file (`削除:` section).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Removal {
    pub step_ids: Vec<String>,
    pub reason: String,
    pub span: Span,
}

impl Model {
    /// Returns the step with the user id or label `name` (ids first).
    #[must_use]
    pub fn step_by_name(&self, name: &str) -> Option<StepId> {
        self.steps
            .iter()
            .position(|s| s.id.as_deref() == Some(name))
            .or_else(|| self.steps.iter().position(|s| s.label == name))
    }

    /// Returns the actor named `name`.
    #[must_use]
    pub fn actor_by_name(&self, name: &str) -> Option<ActorId> {
        self.actors.iter().position(|a| a.name == name)
    }

    /// Returns the document named `name`.
    #[must_use]
    pub fn document_by_name(&self, name: &str) -> Option<DocId> {
        self.documents.iter().position(|d| d.name == name)
    }

    /// Returns the actor of `step`.
    #[must_use]
    pub fn actor_of(&self, step: StepId) -> &Actor {
        &self.actors[self.steps[step].actor]
    }
}

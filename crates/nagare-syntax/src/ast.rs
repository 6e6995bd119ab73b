//! The syntax tree of a `.flow` file.
//!
//! The file is kept as its lines (so that the formatter can reproduce comments and blank lines)
//! plus a tree over the `流れ:` lines (so that lowering sees branch bodies and parallel blocks).
//! Every node carries byte spans into the original text; words keep both the text as written
//! (`text`, used for labels and display) and a folded key (`key`, used for matching names).

use serde::Serialize;

use crate::Span;

/// A parsed `.flow` file.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct File {
    /// Every source line in order, blank and comment lines included.
    pub lines: Vec<Line>,
    /// The statements of the `流れ:` sections as a tree; each node indexes [`File::lines`].
    pub flow: Vec<FlowNode>,
    /// True when the input is not text (NUL bytes or mostly control characters): nothing else
    /// was parsed and later stages should add no further diagnostics.
    pub not_text: bool,
}

/// One source line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The whole line without its terminator.
    pub span: Span,
    /// Indentation width (a space counts 1, a tab 4, an ideographic space 2).
    pub indent: u32,
    /// Nesting level in the canonical layout (0 = header or section keyword).
    pub depth: u32,
    pub stmt: Stmt,
    /// The comment, from `#` to the end of the line.
    pub comment: Option<Span>,
}

/// What a line says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Stmt {
    /// Nothing (or only a comment).
    Blank,
    Header(Header),
    Section(Section),
    Actor(ActorDecl),
    Document(DocDecl),
    Removal(RemovalDecl),
    Step(StepStmt),
    Branch(Branch),
    Jump(Jump),
    End(End),
    Parallel(Parallel),
    ParBranch(ParBranch),
    /// A line that could not be understood (a diagnostic says why).
    Error,
}

/// A node of the flow tree: a statement line and the statements nested under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowNode {
    /// Index into [`File::lines`].
    pub line: usize,
    pub children: Vec<FlowNode>,
}

/// A piece of user text: as written, and folded for matching.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Word {
    /// The text exactly as written (trimmed).
    pub text: String,
    /// The folded comparison key (see [`crate::name_key`]).
    pub key: String,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HeaderKey {
    Process,
    Id,
    Variant,
    Volume,
    Department,
    Basis,
    Note,
    Priority,
    Fee,
    OnlinePayment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum VariantKw {
    AsIs,
    CanBe,
    ToBe,
}

/// The interpreted value of a header line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum HeaderValue {
    Text,
    Variant(VariantKw),
    /// Cases per year.
    Volume(f64),
    Bool(bool),
    /// Fee in yen (`None`: no fee).
    Fee(Option<f64>),
    /// The value could not be understood (a diagnostic says why).
    Invalid,
}

/// `key: value` before or between sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub key: HeaderKey,
    pub key_word: Word,
    pub value: Word,
    pub parsed: HeaderValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SectionKind {
    Actors,
    Documents,
    Flow,
    Removed,
}

/// A section keyword line (`流れ:`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    pub keyword: Word,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActorKindKw {
    Resident,
    Staff,
    External,
    System,
    Rpa,
}

/// `name: kind (department)` in `担当:`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorDecl {
    pub name: Word,
    /// `None` when the kind was missing or not understood (a diagnostic says why).
    pub kind: Option<ActorKindKw>,
    /// Everything after the colon, as written (for the formatter).
    pub rest: Word,
    pub department: Option<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocMediumKw {
    PaperForm,
    Handwritten,
    Printed,
    Pdf,
    Data,
}

/// `name: medium, flags [field, …]` in `書類:`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocDecl {
    pub name: Word,
    pub medium: Option<DocMediumKw>,
    pub gov_held: bool,
    /// The attributes as written (medium and flags).
    pub attrs: Vec<Word>,
    pub fields: Vec<Word>,
    /// True if a `[…]` field list was written (even an empty one).
    pub has_fields: bool,
    /// True if the name was followed by a colon (kept by the formatter: `申請書: [氏名]`).
    pub colon: bool,
}

/// `id [id …]: reason` in `削除:`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemovalDecl {
    pub ids: Vec<Word>,
    pub reason: Word,
}

/// `[id] actor: label [attributes]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepStmt {
    pub id: Option<Word>,
    pub actor: Word,
    pub label: Word,
    pub attrs: Vec<Attr>,
    /// The bracketed attribute list including the brackets, if written.
    pub attrs_span: Option<Span>,
}

/// One step attribute as written and as understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attr {
    pub text: String,
    pub span: Span,
    pub kind: AttrKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MediumKw {
    Paper,
    Digital,
    InPerson,
    Phone,
    Mail,
    Fax,
    Email,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DocRoleKw {
    Fill,
    Read,
    Produce,
    Attach,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FlagKw {
    Seal,
    Signature,
    IdCheck,
    LegalPaper,
    LegalPresence,
    Inspection,
    ManualCheck,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StepKindKw {
    Decision,
    Wait,
    Subprocess,
    Start,
    End,
}

/// A duration in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Duration {
    pub p50: f64,
    pub p90: Option<f64>,
}

/// What a step attribute means.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AttrKind {
    Medium(MediumKw),
    /// 来庁: the resident comes to the office (medium in person).
    Visit,
    Work(Duration),
    Wait(Duration),
    Doc {
        role: DocRoleKw,
        doc: Word,
        fields: Vec<Word>,
    },
    Transcribe {
        from: Word,
        to: Word,
    },
    Flag(FlagKw),
    Item(Word),
    System(Word),
    RuleBased(u8),
    /// Share of exceptional cases, 0.0–1.0.
    Exceptions(f64),
    Kind(StepKindKw),
    Replaces(Vec<Word>),
    Note(Word),
    /// Not understood (a diagnostic says why).
    Invalid,
}

/// A probability written as a percentage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percent {
    /// 0.0–1.0.
    pub value: f64,
    pub span: Span,
}

/// `もし condition p%: body` or `それ以外: body`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    pub keyword: Word,
    pub is_else: bool,
    pub condition: Option<Word>,
    pub probability: Option<Percent>,
    /// True when a percentage was written but could not be understood (already reported).
    pub probability_invalid: bool,
    /// A body on the same line after the colon.
    pub inline: Option<Inline>,
    /// True when text follows the colon but is not a jump or an end (already reported), so the
    /// branch is not "empty" even though it has no usable body.
    pub inline_invalid: bool,
}

/// The body of a branch written on its own line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Inline {
    Jump(Jump),
    End(End),
}

/// `→ target`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jump {
    /// The arrow as written (`→`, `->`, `⇒`).
    pub arrow: String,
    pub target: Word,
    pub span: Span,
}

/// `終了` / `end`, optionally `: label`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct End {
    pub keyword: Word,
    pub label: Option<Word>,
    pub span: Span,
}

/// `並行:` / `parallel:`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parallel {
    pub keyword: Word,
}

/// `分岐 name:` / `branch name:` inside a parallel block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParBranch {
    pub keyword: Word,
    pub name: Option<Word>,
}

//! Lowering: syntax tree → [`Model`]. Resolves actor, document and step names, builds the
//! control-flow graph (start, steps, ends, parallel split/join, edges with probabilities) and
//! reports what is wrong with names and branch probabilities. Graph-wide checks (reachability,
//! loops without exit) are in [`crate::check`].

mod conflict;

use std::collections::HashMap;

use nagare_syntax::ast::{
    self, ActorKindKw, AttrKind, DocMediumKw, DocRoleKw, FlagKw, FlowNode, HeaderKey, HeaderValue,
    Inline, MediumKw, StepKindKw, Stmt, VariantKw,
};
use nagare_syntax::{Diagnostic, Overflow, Span, Text, did_you_mean, name_key};

use crate::LowerOptions;
use crate::types::{
    Actor, ActorKind, DocMedium, DocRole, DocUse, Document, Edge, EdgeKind, Endpoint, Medium,
    Minutes, Model, Node, NodeId, Removal, Step, StepId, StepKind, Transcription, Variant,
};

/// Beyond this many diagnostics, "did you mean" is no longer computed: it keeps a huge broken
/// file linear in time (the report is capped anyway).
const SUGGEST_LIMIT: usize = 200;

/// A flow edge waiting for the node that comes next.
#[derive(Debug, Clone)]
struct Pending {
    from: NodeId,
    p: f64,
    label: Option<String>,
    kind: EdgeKind,
    span: Span,
}

impl Pending {
    fn seq(from: NodeId) -> Self {
        Self {
            from,
            p: 1.0,
            label: None,
            kind: EdgeKind::Sequence,
            span: Span::default(),
        }
    }
}

pub(crate) struct Lowerer<'a> {
    file: &'a ast::File,
    source: &'a str,
    pub(crate) model: Model,
    pub(crate) diags: Vec<Diagnostic>,
    /// Counts of the diagnostics dropped to keep memory bounded (see [`Overflow`]).
    pub(crate) overflow: Overflow,
    actor_by_key: HashMap<String, usize>,
    /// Actors added for undeclared names (so that step indices stay valid); not "declared".
    implicit_actors: Vec<bool>,
    doc_by_key: HashMap<String, usize>,
    step_by_id: HashMap<String, StepId>,
    step_by_label: HashMap<String, StepId>,
    /// Step of each line (by line index), filled by the pre-pass.
    line_step: Vec<Option<StepId>>,
    /// Parallel-branch scope of each step (0 = not in a parallel branch).
    step_scope: Vec<usize>,
    /// Scope id of each `分岐` line.
    line_scope: Vec<usize>,
    next_scope: usize,
    /// For each node, the index of the last step declared at or before it (-1 before any).
    node_pos: Vec<i64>,
    /// The last step lowered so far (-1 before any).
    last_pos: i64,
    blocks: usize,
    /// Steps with an attribute that could not be understood (no "missing time" warning for them).
    step_has_invalid_attr: Vec<bool>,
    /// Actors offered as "did you mean" for an undeclared name.
    suggested_actors: Vec<String>,
}

impl<'a> Lowerer<'a> {
    pub(crate) fn new(file: &'a ast::File, source: &'a str) -> Self {
        let mut model = Model::default();
        model.flow.nodes.push(Node::Start);
        Self {
            file,
            source,
            model,
            diags: Vec::new(),
            overflow: Overflow::default(),
            actor_by_key: HashMap::new(),
            implicit_actors: Vec::new(),
            doc_by_key: HashMap::new(),
            step_by_id: HashMap::new(),
            step_by_label: HashMap::new(),
            line_step: vec![None; file.lines.len()],
            step_scope: Vec::new(),
            line_scope: vec![0; file.lines.len()],
            next_scope: 1,
            node_pos: vec![-1],
            last_pos: -1,
            blocks: 0,
            suggested_actors: Vec::new(),
            step_has_invalid_attr: Vec::new(),
        }
    }

    /// Records `d`, dropping the diagnostics beyond the first [`nagare_syntax::KEEP_DIAGNOSTICS`]
    /// as it goes so that a file full of mistakes keeps memory bounded.
    fn push_diag(&mut self, d: Diagnostic) {
        push_bounded(&mut self.diags, &mut self.overflow, d);
    }

    fn suggest<'c>(
        &self,
        word: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Option<&'c str> {
        if self.diags.len() > SUGGEST_LIMIT {
            return None;
        }
        did_you_mean(word, candidates)
    }

    /// Returns how many candidates to collect for a suggestion: none once suggestions stop
    /// (keeps a huge broken file linear in time).
    fn suggest_take(&self) -> usize {
        if self.diags.len() > SUGGEST_LIMIT {
            0
        } else {
            usize::MAX
        }
    }

    pub(crate) fn run(&mut self, options: &LowerOptions) {
        if self.file.not_text {
            return;
        }
        self.headers(options);
        self.declarations();
        let flow = &self.file.flow;
        self.pre_pass(flow, 0);
        if self.model.steps.is_empty() && self.has_process_header() {
            let span = self
                .file
                .lines
                .iter()
                .find(|l| matches!(&l.stmt, Stmt::Section(s) if s.kind == ast::SectionKind::Flow))
                .map_or(self.model.process.span, |l| l.span);
            self.push_diag(
                Diagnostic::error(
                    "E0212",
                    span,
                    Text::new("手順が一つもありません", "the flow has no steps"),
                )
                .with_hint(Text::new(
                    "`流れ:` の行の下に手順を書いてください。例:\n流れ:\n  S1 住民: 申請書を書く [紙, 10分]",
                    "write steps under a `flow:` line, e.g.\nflow:\n  S1 Resident: fill in the form [paper, 10min]",
                )),
            );
        }
        let out = self.block(flow, vec![Pending::seq(0)], 0);
        // The implicit end after the last line; a flow whose every path already ends (its last
        // line is `終了: 交付済み`) gets none, which would be a second end nothing reaches.
        if !out.is_empty() {
            let end = self.add_node(Node::End {
                label: None,
                span: Span::at(self.source.len()),
            });
            self.connect(out, end);
        }
        self.unused_warnings();
        self.removed_and_replaced();
    }

    /// Warns about an As-Is step id listed under `削除:` that a To-Be step also replaces
    /// (`[置換 S2 S3]`): the step cannot be both dropped and carried into a new step. Needs only
    /// this file, so `check` reports it without the As-Is (the diff's W0601–W0603 need both).
    fn removed_and_replaced(&mut self) {
        // Built only when a message must name a step by its line.
        let index = std::cell::OnceCell::new();
        let index = || index.get_or_init(|| nagare_syntax::LineIndex::new(self.source));
        // Replaced id → the first step replacing it; one map keeps a huge file linear.
        let mut replaced_by = std::collections::BTreeMap::new();
        for step in &self.model.steps {
            for x in &step.replaces {
                replaced_by
                    .entry(nagare_syntax::name_key(x))
                    .or_insert(step);
            }
        }
        let mut found = Vec::new();
        for line in &self.file.lines {
            let Stmt::Removal(r) = &line.stmt else {
                continue;
            };
            for id in &r.ids {
                if let Some(step) = replaced_by.get(&id.key) {
                    let by = crate::names::step_phrase(step, self.source, index());
                    found.push((id.clone(), step.span, by));
                }
            }
        }
        for (id, replacer_span, by) in found {
            self.push_diag(
                Diagnostic::warning(
                    "W0106",
                    id.span,
                    Text::new(
                        format!(
                            "`{}` は `削除:` にありますが、{} が `置換` で置き換えています",
                            id.text, by.ja
                        ),
                        format!(
                            "`{}` is listed under `removed:`, but {} replaces it (`replaces`)",
                            id.text, by.en
                        ),
                    ),
                )
                .with_label_message(Text::new("削除とされた手順", "listed as removed"))
                .with_secondary(
                    replacer_span,
                    Text::new("ここで置き換えています", "replaced here"),
                )
                .with_hint(Text::new(
                    format!(
                        "新しい手順に引き継ぐなら `削除:` から `{0}` を消し、なくすなら `置換` から `{0}` を消してください",
                        id.text
                    ),
                    format!(
                        "if the new step takes it over, remove `{0}` from `removed:`; if it is dropped, remove `{0}` from `replaces`",
                        id.text
                    ),
                )),
            );
        }
    }

    fn has_process_header(&self) -> bool {
        self.file
            .lines
            .iter()
            .any(|l| matches!(&l.stmt, Stmt::Header(h) if h.key == HeaderKey::Process))
    }

    fn headers(&mut self, options: &LowerOptions) {
        let mut id = None;
        let mut has_process = false;
        let mut any_content = false;
        for line in &self.file.lines {
            if !matches!(line.stmt, Stmt::Blank) {
                any_content = true;
            }
            let Stmt::Header(h) = &line.stmt else {
                continue;
            };
            let p = &mut self.model.process;
            match (h.key, &h.parsed) {
                (_, HeaderValue::Invalid) => {}
                (HeaderKey::Process, _) => {
                    has_process = true;
                    p.name.clone_from(&h.value.text);
                    p.span = line.span;
                }
                (HeaderKey::Id, _) => id = Some(nagare_syntax::fold(&h.value.text)),
                (HeaderKey::Variant, HeaderValue::Variant(v)) => {
                    p.variant = match v {
                        VariantKw::AsIs => Variant::AsIs,
                        VariantKw::CanBe => Variant::CanBe,
                        VariantKw::ToBe => Variant::ToBe,
                    };
                }
                (HeaderKey::Volume, HeaderValue::Volume(v)) => p.volume_per_year = Some(*v),
                (HeaderKey::Department, _) => p.department = Some(h.value.text.clone()),
                (HeaderKey::Basis, _) => p.legal_basis = Some(h.value.text.clone()),
                (HeaderKey::Note, _) => p.notes.push(h.value.text.clone()),
                (HeaderKey::Priority, HeaderValue::Bool(b)) => p.national_priority = *b,
                (HeaderKey::OnlinePayment, HeaderValue::Bool(b)) => p.online_payment = *b,
                (HeaderKey::Fee, HeaderValue::Fee(f)) => p.fee_yen = *f,
                _ => {}
            }
        }
        if !any_content {
            self.push_diag(
                Diagnostic::error(
                    "E0200",
                    Span::at(0),
                    Text::new(
                        "ファイルが空です (空行とコメントしかありません)",
                        "the file is empty (only blank lines and comments)",
                    ),
                )
                .with_hint(Text::new(
                    "最低限、次の形で書いてください:\n業務: 手続の名前\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 申請書を書く",
                    "a minimal flow:\nprocess: name of the procedure\nactors:\n  Resident: resident\nflow:\n  S1 Resident: fill in the form",
                )),
            );
        } else if !has_process
            && !self
                .file
                .lines
                .iter()
                .any(|l| matches!(&l.stmt, Stmt::Header(h) if h.key == HeaderKey::Process))
        {
            self.push_diag(
                Diagnostic::error(
                    "E0201",
                    Span::at(0),
                    Text::new("`業務:` の行がありません", "the file has no `process:` line"),
                )
                .with_hint(Text::new(
                    "ファイルの最初に手続の名前を書いてください。例: `業務: 軽自動車税 廃車申告`",
                    "start the file with the procedure's name, e.g. `process: School aid application`",
                )),
            );
        }
        let p = &mut self.model.process;
        p.id = id
            // A folder name stands in for the id; white space (`印鑑 証明`) becomes `-`, as an id
            // is one word in every table, CSV column and URL it appears in.
            .or_else(|| {
                let hint = options
                    .name_hint
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join("-");
                (!hint.is_empty()).then_some(hint)
            })
            .unwrap_or_else(|| slug(&p.name));
    }

    fn declarations(&mut self) {
        for line in &self.file.lines {
            match &line.stmt {
                Stmt::Actor(a) => {
                    if a.name.key.is_empty() {
                        continue;
                    }
                    if let Some(&first) = self.actor_by_key.get(&a.name.key) {
                        let first_span = self.model.actors[first].span;
                        self.push_diag(duplicate(
                            "E0305",
                            &a.name,
                            first_span,
                            &Text::new("担当者", "actor"),
                        ));
                        continue;
                    }
                    let kind = match a.kind {
                        Some(ActorKindKw::Resident) => ActorKind::Resident,
                        Some(ActorKindKw::Staff) | None => ActorKind::Staff,
                        Some(ActorKindKw::External) => ActorKind::External,
                        Some(ActorKindKw::System) => ActorKind::System,
                        Some(ActorKindKw::Rpa) => ActorKind::Rpa,
                    };
                    self.actor_by_key
                        .insert(a.name.key.clone(), self.model.actors.len());
                    self.implicit_actors.push(false);
                    self.model.actors.push(Actor {
                        name: a.name.text.clone(),
                        kind,
                        department: a.department.as_ref().map(|d| d.text.clone()),
                        span: a.name.span,
                    });
                }
                Stmt::Document(d) => {
                    if d.name.key.is_empty() {
                        continue;
                    }
                    if let Some(&first) = self.doc_by_key.get(&d.name.key) {
                        let first_span = self.model.documents[first].span;
                        self.push_diag(duplicate(
                            "E0306",
                            &d.name,
                            first_span,
                            &Text::new("書類", "document"),
                        ));
                        continue;
                    }
                    let medium = match d.medium {
                        Some(DocMediumKw::PaperForm) | None => DocMedium::PaperForm,
                        Some(DocMediumKw::Handwritten) => DocMedium::Handwritten,
                        Some(DocMediumKw::Printed) => DocMedium::Printed,
                        Some(DocMediumKw::Pdf) => DocMedium::Pdf,
                        Some(DocMediumKw::Data) => DocMedium::Data,
                    };
                    self.doc_by_key
                        .insert(d.name.key.clone(), self.model.documents.len());
                    self.model.documents.push(Document {
                        name: d.name.text.clone(),
                        medium,
                        fields: d.fields.iter().map(|f| f.text.clone()).collect(),
                        gov_held: d.gov_held,
                        span: d.name.span,
                    });
                }
                Stmt::Removal(r) => self.model.removed.push(Removal {
                    step_ids: r.ids.iter().map(step_id_text).collect(),
                    reason: r.reason.text.clone(),
                    span: line.span,
                }),
                _ => {}
            }
        }
    }

    /// Creates every step (and its node) in declaration order, so jumps can go forward.
    fn pre_pass(&mut self, nodes: &[FlowNode], scope: usize) {
        for node in nodes {
            let line = &self.file.lines[node.line];
            let mut child_scope = scope;
            match &line.stmt {
                Stmt::Step(s) => {
                    let step = self.make_step(s);
                    let index = self.model.steps.len();
                    if let Some(id) = &s.id {
                        if let Some(&first) = self.step_by_id.get(&id.key) {
                            let first_span = self.model.steps[first].span;
                            self.push_diag(duplicate(
                                "E0303",
                                id,
                                first_span,
                                &Text::new("手順 ID", "step id"),
                            ));
                        } else {
                            self.step_by_id.insert(id.key.clone(), index);
                        }
                    }
                    self.step_by_label
                        .entry(s.label.key.clone())
                        .or_insert(index);
                    self.model.steps.push(step);
                    self.step_scope.push(scope);
                    self.step_has_invalid_attr
                        .push(s.attrs.iter().any(|a| matches!(a.kind, AttrKind::Invalid)));
                    if let Some(slot) = self.line_step.get_mut(node.line) {
                        *slot = Some(index);
                    }
                    self.model.flow.nodes.push(Node::Step { step: index });
                    self.node_pos.push(i64::try_from(index).unwrap_or(i64::MAX));
                }
                Stmt::ParBranch(_) => {
                    child_scope = self.next_scope;
                    self.next_scope += 1;
                    if let Some(slot) = self.line_scope.get_mut(node.line) {
                        *slot = child_scope;
                    }
                }
                _ => {}
            }
            self.pre_pass(&node.children, child_scope);
        }
    }

    fn resolve_actor(&mut self, name: &ast::Word) -> usize {
        if let Some(&a) = self.actor_by_key.get(&name.key) {
            return a;
        }
        let declared: Vec<&str> = self
            .model
            .actors
            .iter()
            .zip(&self.implicit_actors)
            .filter(|(_, implicit)| !**implicit)
            .map(|(a, _)| a.name.as_str())
            .take(self.suggest_take())
            .collect();
        let mut d = Diagnostic::error(
            "E0301",
            name.span,
            Text::new(
                format!("担当者 `{}` は `担当:` にありません", name.text),
                format!("actor `{}` is not declared under `actors:`", name.text),
            ),
        )
        .with_label_message(Text::new("宣言されていない担当者", "undeclared actor"));
        let end_like = matches!(
            name.key.as_str(),
            "完了" | "終わり" | "おわり" | "完" | "終" | "done" | "finish" | "finished" | "stop"
        );
        let start_like = matches!(name.key.as_str(), "開始" | "スタート" | "start" | "begin");
        if end_like {
            d = d.with_hint(Text::new(
                format!(
                    "流れをここで終えるなら `終了: {}` と書いてください",
                    name_rest(self.source, name)
                ),
                format!(
                    "to end the flow here, write `end: {}`",
                    name_rest(self.source, name)
                ),
            ));
        } else if start_like {
            d = d.with_hint(Text::new(
                "流れは最初の手順から始まるので、開始の行は要りません (消してください)",
                "a flow starts at its first step, so no start line is needed (delete it)",
            ));
        } else if let Some(s) = self.suggest(&name.text, declared.iter().copied()) {
            // The misspelt name most likely meant this actor: do not also call it unused.
            self.suggested_actors.push(name_key(s));
            d = d.with_hint(Text::new(
                format!("`{s}` のことですか?"),
                format!("did you mean `{s}`?"),
            ));
        }
        // With no name written (E0115 says so) there is nothing to declare.
        if !name.text.is_empty() {
            d = d.with_hint(Text::new(
                format!(
                    "新しい担当者なら `担当:` の下に字下げして追加してください: `  {}: 職員`",
                    name.text
                ),
                format!(
                    "if it is a new actor, declare it indented under `actors:`: `  {}: staff`",
                    name.text
                ),
            ));
        }
        self.push_diag(d);
        // Keep indices valid for later stages: an implicit actor stands in for the unknown name.
        let index = self.model.actors.len();
        self.actor_by_key.insert(name.key.clone(), index);
        self.implicit_actors.push(true);
        self.model.actors.push(Actor {
            name: name.text.clone(),
            kind: ActorKind::Staff,
            department: None,
            span: name.span,
        });
        index
    }

    fn resolve_doc(&mut self, name: &ast::Word) -> Option<usize> {
        if let Some(&d) = self.doc_by_key.get(&name.key) {
            return Some(d);
        }
        let mut d = Diagnostic::error(
            "E0302",
            name.span,
            Text::new(
                format!("書類 `{}` は `書類:` にありません", name.text),
                format!(
                    "document `{}` is not declared under `documents:`",
                    name.text
                ),
            ),
        )
        .with_label_message(Text::new("宣言されていない書類", "undeclared document"));
        let names: Vec<&str> = self
            .model
            .documents
            .iter()
            .map(|d| d.name.as_str())
            .take(self.suggest_take())
            .collect();
        if let Some(s) = self.suggest(&name.text, names.iter().copied()) {
            d = d.with_hint(Text::new(
                format!("`{s}` のことですか?"),
                format!("did you mean `{s}`?"),
            ));
        }
        d = d.with_hint(Text::new(
            format!(
                "新しい書類なら `書類:` に追加してください: `{}: 紙`",
                name.text
            ),
            format!(
                "if it is a new document, declare it under `documents:`: `{}: paper`",
                name.text
            ),
        ));
        self.push_diag(d);
        None
    }

    fn make_step(&mut self, s: &ast::StepStmt) -> Step {
        let index = self.model.steps.len();
        let actor = self.resolve_actor(&s.actor);
        let start = s.id.as_ref().map_or(s.actor.span, |w| w.span);
        let end = s.attrs_span.unwrap_or(s.label.span);
        let mut step = Step {
            id: s.id.as_ref().map(step_id_text),
            key: s
                .id
                .as_ref()
                .map_or_else(|| format!("n{}", index + 1), step_id_text),
            label: s.label.text.clone(),
            actor,
            span: start.join(end),
            label_span: s.label.span,
            ..Step::default()
        };
        let mut visit = false;
        for attr in &s.attrs {
            match &attr.kind {
                AttrKind::Medium(m) => step.medium = Some(medium(*m)),
                AttrKind::Visit => visit = true,
                AttrKind::Work(d) => step.work = Some(minutes(*d)),
                AttrKind::Wait(d) => step.wait = Some(minutes(*d)),
                AttrKind::Doc { role, doc, fields } => {
                    if let Some(id) = self.resolve_doc(doc) {
                        step.docs.push(DocUse {
                            doc: id,
                            role: match role {
                                DocRoleKw::Fill => DocRole::Fill,
                                DocRoleKw::Read => DocRole::Read,
                                DocRoleKw::Produce => DocRole::Produce,
                                DocRoleKw::Attach => DocRole::Attach,
                            },
                            fields: fields.iter().map(|f| f.text.clone()).collect(),
                            span: attr.span,
                        });
                    }
                }
                AttrKind::Transcribe { from, to } => {
                    step.transcription = Some(Transcription {
                        from: self.endpoint(from),
                        to: self.endpoint(to),
                        span: attr.span,
                    });
                }
                AttrKind::Flag(f) => match f {
                    FlagKw::Seal => step.flags.seal = true,
                    FlagKw::Signature => step.flags.signature = true,
                    FlagKw::IdCheck => step.flags.id_check = true,
                    FlagKw::LegalPaper => step.flags.legal_paper = true,
                    FlagKw::LegalPresence => step.flags.legal_presence = true,
                    FlagKw::Inspection => step.flags.inspection = true,
                    FlagKw::ManualCheck => step.flags.manual_check = true,
                },
                AttrKind::Item(w) => step.item = Some(w.text.clone()),
                AttrKind::System(w) => step.system = Some(w.text.clone()),
                AttrKind::RuleBased(n) => step.rule_based = Some(*n),
                AttrKind::Exceptions(r) => step.exception_rate = Some(*r),
                AttrKind::Kind(k) => {
                    step.kind = match k {
                        StepKindKw::Decision => StepKind::Decision,
                        StepKindKw::Wait => StepKind::Wait,
                        StepKindKw::Subprocess => StepKind::Subprocess,
                        StepKindKw::Start => StepKind::Start,
                        StepKindKw::End => StepKind::End,
                    };
                }
                AttrKind::Replaces(ids) => step.replaces.extend(ids.iter().map(step_id_text)),
                AttrKind::Note(w) => step.note = Some(w.text.clone()),
                AttrKind::Invalid => {}
            }
        }
        if visit {
            step.flags.visit = true;
            if step.medium.is_none() {
                step.medium = Some(Medium::InPerson);
            }
        }
        self.attribute_conflicts(&s.attrs, &step);
        step
    }

    /// Reports attributes of `step` that the loop above let override each other (W0107).
    fn attribute_conflicts(&mut self, attrs: &[ast::Attr], step: &Step) {
        // Cheap pre-test: most steps have at most one medium, time and wait, and naming a step
        // without an id needs a line index of the whole source.
        let count = |f: fn(&AttrKind) -> bool| attrs.iter().filter(|a| f(&a.kind)).count();
        if count(|k| matches!(k, AttrKind::Medium(_) | AttrKind::Visit)) < 2
            && count(|k| matches!(k, AttrKind::Work(_))) < 2
            && count(|k| matches!(k, AttrKind::Wait(_))) < 2
        {
            return;
        }
        let index = nagare_syntax::LineIndex::new(self.source);
        let name = crate::names::step_phrase(step, self.source, &index);
        for d in conflict::conflicts(attrs, &name) {
            self.push_diag(d);
        }
    }

    fn endpoint(&self, w: &ast::Word) -> Endpoint {
        match self.doc_by_key.get(&w.key) {
            Some(&d) => Endpoint::Document(d),
            None => Endpoint::System(w.text.clone()),
        }
    }

    fn add_node(&mut self, node: Node) -> NodeId {
        // A non-step node sits after the last step lowered so far (for send-back detection).
        self.model.flow.nodes.push(node);
        self.node_pos.push(self.last_pos);
        self.model.flow.nodes.len() - 1
    }

    fn connect(&mut self, pending: Vec<Pending>, to: NodeId) {
        for p in pending {
            self.model.flow.edges.push(Edge {
                from: p.from,
                to,
                probability: p.p,
                label: p.label,
                kind: p.kind,
                span: p.span,
            });
        }
    }

    /// Lowers a list of statements; returns the edges that leave its end.
    fn block(
        &mut self,
        nodes: &[FlowNode],
        mut incoming: Vec<Pending>,
        scope: usize,
    ) -> Vec<Pending> {
        let mut i = 0;
        while i < nodes.len() {
            let node = &nodes[i];
            let line = &self.file.lines[node.line];
            match &line.stmt {
                Stmt::Step(_) => {
                    let Some(step) = self.line_step.get(node.line).copied().flatten() else {
                        i += 1;
                        continue;
                    };
                    let step_node = step + 1;
                    self.set_pos(step);
                    self.connect(std::mem::take(&mut incoming), step_node);
                    let mut j = i + 1;
                    while j < nodes.len()
                        && matches!(self.file.lines[nodes[j].line].stmt, Stmt::Branch(_))
                    {
                        j += 1;
                    }
                    // Steps nested under the step's line (a sloppy indentation) follow it.
                    incoming = if j > i + 1 {
                        self.decision(step_node, &nodes[i + 1..j], scope)
                    } else {
                        vec![Pending::seq(step_node)]
                    };
                    if !node.children.is_empty() {
                        incoming = self.block(&node.children, incoming, scope);
                    }
                    i = j;
                    continue;
                }
                Stmt::Branch(b) => {
                    self.push_diag(
                        Diagnostic::error(
                            "E0401",
                            b.keyword.span,
                            Text::new(
                                "分岐の前に、判断する手順がありません",
                                "this branch does not follow a step",
                            ),
                        )
                        .with_hint(Text::new(
                            "`もし` の行は判断をする手順の行のすぐ下に書いてください",
                            "write `if` lines right under the step that decides",
                        )),
                    );
                    let _ = self.block(&node.children, Vec::new(), scope);
                }
                Stmt::Jump(j) => {
                    let span = j.span;
                    self.jump(std::mem::take(&mut incoming), &j.target, span, scope);
                }
                Stmt::End(e) => {
                    self.end(std::mem::take(&mut incoming), e, scope);
                }
                Stmt::Parallel(p) => {
                    incoming = self.parallel(node, p, incoming, line.span, scope);
                }
                Stmt::ParBranch(_) => {
                    // Misplaced (reported by the parser): lower its body in place.
                    incoming = self.block(&node.children, incoming, scope);
                }
                _ => {
                    incoming = self.block(&node.children, incoming, scope);
                }
            }
            i += 1;
        }
        incoming
    }

    fn set_pos(&mut self, step: StepId) {
        self.last_pos = i64::try_from(step).unwrap_or(i64::MAX);
    }

    fn decision(&mut self, step_node: NodeId, branches: &[FlowNode], scope: usize) -> Vec<Pending> {
        let lines: Vec<&ast::Branch> = branches
            .iter()
            .filter_map(|n| match &self.file.lines[n.line].stmt {
                Stmt::Branch(b) => Some(b),
                _ => None,
            })
            .collect();
        let single_if = lines.len() == 1 && !lines[0].is_else;
        // `else` must come last, once.
        for (k, b) in lines.iter().enumerate() {
            if b.is_else && k + 1 != lines.len() {
                self.push_diag(
                    Diagnostic::error(
                        "E0402",
                        b.keyword.span,
                        Text::new(
                            "`それ以外` は最後の分岐にしてください",
                            "`else` must be the last branch",
                        ),
                    )
                    .with_hint(Text::new(
                        "`それ以外:` の行を分岐の最後に移してください",
                        "move the `else:` line after the other branches",
                    )),
                );
            }
        }
        let mut probs: Vec<f64> = Vec::with_capacity(lines.len());
        let mut remain = 0.0;
        if single_if {
            let p = match lines[0].probability {
                Some(p) => p.value,
                None if lines[0].probability_invalid => 0.5,
                None => {
                    self.push_diag(
                        Diagnostic::warning(
                            "W0103",
                            lines[0].keyword.span,
                            Text::new(
                                "分岐の確率がないので 50% とみなします",
                                "the branch has no probability: assuming 50%",
                            ),
                        )
                        .with_hint(Text::new(
                            "この分岐に進む割合を書いてください。例: `もし 不備あり 10%:`",
                            "write how often this branch is taken, e.g. `if incomplete 10%:`",
                        )),
                    );
                    0.5
                }
            };
            probs.push(p);
            remain = 1.0 - p;
        } else {
            let given: f64 = lines
                .iter()
                .filter_map(|b| b.probability.map(|p| p.value))
                .sum();
            let missing = lines.iter().filter(|b| b.probability.is_none()).count();
            let span = lines
                .first()
                .map_or_else(Span::default, |b| b.keyword.span)
                .join(lines.last().map_or_else(Span::default, |b| b.keyword.span));
            let first_line = branches.first().map(|n| self.file.lines[n.line].span);
            let last_line = branches.last().map(|n| self.file.lines[n.line].span);
            let span = match (first_line, last_line) {
                (Some(a), Some(b)) => Span::new(a.start as usize, b.end as usize).join(span),
                _ => span,
            };
            let left = 1.0 - given;
            if (missing == 0 && left.abs() > 1e-6) || left < -1e-6 {
                let pct = fmt_pct(given);
                let mut d = Diagnostic::error(
                    "E0403",
                    lines.first().map_or(span, |b| b.keyword.span),
                    Text::new(
                        format!("分岐の確率の合計が {pct}% です (100% になるようにしてください)"),
                        format!("the branch probabilities add up to {pct}%, not 100%"),
                    ),
                );
                for b in lines.iter().skip(1) {
                    if let Some(p) = b.probability {
                        d = d.with_secondary(p.span, Text::new("", ""));
                    }
                }
                if left > 0.0 {
                    let rest = fmt_pct(left);
                    d = d.with_hint(Text::new(
                        format!(
                            "残りの {rest}% を `それ以外:` の分岐にするか、数値を直してください"
                        ),
                        format!(
                            "add an `else:` branch for the remaining {rest}%, or fix the numbers"
                        ),
                    ));
                } else {
                    d = d.with_hint(Text::new(
                        "合計が 100% になるように数値を直してください",
                        "fix the numbers so that they add up to 100%",
                    ));
                }
                self.push_diag(d);
            }
            let share = if missing > 0 {
                #[allow(clippy::cast_precision_loss)]
                let m = missing as f64;
                left.max(0.0) / m
            } else {
                0.0
            };
            for b in &lines {
                probs.push(b.probability.map_or(share, |p| p.value));
            }
        }
        // Keep the invariant later stages rely on (outgoing probabilities sum to 1) even when
        // the numbers were wrong and an error was reported.
        let total: f64 = probs.iter().sum::<f64>() + remain.max(0.0);
        if total > 0.0 && (total - 1.0).abs() > 1e-9 {
            for p in &mut probs {
                *p /= total;
            }
            remain = remain.max(0.0) / total;
        }
        let mut out = Vec::new();
        for (k, node) in branches.iter().enumerate() {
            let Stmt::Branch(b) = &self.file.lines[node.line].stmt else {
                continue;
            };
            let label = b
                .condition
                .as_ref()
                .map(|c| c.text.clone())
                .or_else(|| b.is_else.then(|| b.keyword.text.clone()));
            let pending = Pending {
                from: step_node,
                p: probs.get(k).copied().unwrap_or(0.0),
                label,
                kind: EdgeKind::Branch,
                span: self.file.lines[node.line].span,
            };
            match &b.inline {
                Some(Inline::Jump(j)) => self.jump(vec![pending], &j.target, j.span, scope),
                Some(Inline::End(e)) => self.end(vec![pending], e, scope),
                None if node.children.is_empty() => out.push(pending),
                None => out.extend(self.block(&node.children, vec![pending], scope)),
            }
        }
        if single_if && remain > 1e-12 {
            out.push(Pending {
                p: remain,
                ..Pending::seq(step_node)
            });
        }
        out
    }

    fn jump(&mut self, pending: Vec<Pending>, target: &ast::Word, span: Span, scope: usize) {
        let found = self
            .step_by_id
            .get(&target.key)
            .or_else(|| self.step_by_label.get(&target.key))
            .copied();
        let Some(step) = found else {
            let mut d = Diagnostic::error(
                "E0304",
                target.span,
                Text::new(
                    format!("行き先の手順 `{}` がありません", target.text),
                    format!("there is no step `{}` to jump to", target.text),
                ),
            )
            .with_label_message(Text::new("不明な手順", "unknown step"));
            let mut ids: Vec<&str> = Vec::new();
            let mut seen = std::collections::BTreeSet::new();
            for id in self
                .model
                .steps
                .iter()
                .filter_map(|s| s.id.as_deref())
                .take(self.suggest_take())
            {
                // A duplicated id (E0303) is listed once.
                if seen.insert(id) {
                    ids.push(id);
                }
            }
            match self.suggest(&target.text, ids.iter().copied()) {
                Some(s) if !crate::names::differs_only_in_number(&target.text, s) => {
                    d = d.with_hint(Text::new(
                        format!("`{s}` のことですか?"),
                        format!("did you mean `{s}`?"),
                    ));
                }
                // `S9` for `S1` is not a typo: list what exists instead of guessing.
                _ if !ids.is_empty() => {
                    let list = crate::names::id_ranges(&ids, 12);
                    d = d.with_hint(Text::new(
                        format!(
                            "`{}` という ID の手順はありません。ある ID: {list}",
                            target.text
                        ),
                        format!("no step has the id `{}`; the ids are: {list}", target.text),
                    ));
                }
                _ => {}
            }
            d = d.with_hint(Text::new(
                "行き先には手順の ID (行頭の `S1` など) を書きます。ID のない手順には ID を付けてください",
                "a jump names a step id (like `S1` at the start of a step line); give the target step an id",
            ));
            self.push_diag(d);
            // Give the dangling edges an end so the flow stays well-formed for later stages;
            // the error above already says what is wrong.
            let end = self.add_node(Node::End { label: None, span });
            self.connect(pending, end);
            return;
        };
        let target_scope = self.step_scope.get(step).copied().unwrap_or(0);
        if target_scope != scope {
            let (code, ja, en) = if scope != 0 {
                (
                    "E0406",
                    "並行の分岐の中から外へは飛べません",
                    "a jump may not leave a parallel branch",
                )
            } else {
                (
                    "E0407",
                    "並行の分岐の中へは外から飛び込めません",
                    "a jump may not enter a parallel branch",
                )
            };
            self.push_diag(
                Diagnostic::error(code, span, Text::new(ja, en))
                    .with_secondary(self.model.steps[step].span, Text::new("行き先", "target"))
                    .with_hint(Text::new(
                        "並行の各分岐は最後まで進んで合流します。差戻しは並行ブロックの外で書いてください",
                        "every parallel branch runs to its end and joins; write send-backs outside the parallel block",
                    )),
            );
        }
        let to = step + 1;
        #[allow(clippy::cast_possible_wrap)]
        let target_pos = step as i64;
        for p in pending {
            let from_pos = self.node_pos.get(p.from).copied().unwrap_or(-1);
            let kind = if target_pos <= from_pos {
                EdgeKind::SendBack
            } else {
                EdgeKind::Jump
            };
            self.model.flow.edges.push(Edge {
                from: p.from,
                to,
                probability: p.p,
                label: p.label,
                kind,
                span: if p.span.is_empty() { span } else { p.span },
            });
        }
    }

    fn end(&mut self, pending: Vec<Pending>, e: &ast::End, scope: usize) {
        if scope != 0 {
            self.push_diag(
                Diagnostic::error(
                    "E0406",
                    e.span,
                    Text::new(
                        "並行の分岐の中では `終了` できません",
                        "`end` may not appear inside a parallel branch",
                    ),
                )
                .with_hint(Text::new(
                    "並行の各分岐は最後まで進んで合流します。終了は並行ブロックの後に書いてください",
                    "every parallel branch runs to its end and joins; end the case after the parallel block",
                )),
            );
        }
        let node = self.add_node(Node::End {
            label: e.label.as_ref().map(|l| l.text.clone()),
            span: e.span,
        });
        self.connect(pending, node);
    }

    fn parallel(
        &mut self,
        node: &FlowNode,
        p: &ast::Parallel,
        incoming: Vec<Pending>,
        span: Span,
        scope: usize,
    ) -> Vec<Pending> {
        let block = self.blocks;
        self.blocks += 1;
        let split = self.add_node(Node::Split { block, span });
        self.connect(incoming, split);
        let mut to_join = Vec::new();
        let mut branches = 0;
        for child in &node.children {
            let line = &self.file.lines[child.line];
            let Stmt::ParBranch(pb) = &line.stmt else {
                continue;
            };
            branches += 1;
            let scope = self.line_scope.get(child.line).copied().unwrap_or(0);
            let start = Pending {
                from: split,
                p: 1.0,
                label: pb.name.as_ref().map(|n| n.text.clone()),
                kind: EdgeKind::Parallel,
                span: line.span,
            };
            let out = self.block(&child.children, vec![start], scope);
            to_join.extend(out);
        }
        // Lines directly under `並行:` that are not `分岐:` (E0111, reported by the parser):
        // lowered as one more branch, so that their steps stay reachable and the one mistake
        // does not also give "no branches" (E0405) and "unreachable" (E0410).
        // A stray `もし` with no stray step before it (a tab-indented branch of the step above
        // the block) is left out: it has nothing to decide here.
        let mut stray: Vec<FlowNode> = Vec::new();
        for c in &node.children {
            match self.file.lines[c.line].stmt {
                Stmt::ParBranch(_) => {}
                Stmt::Branch(_) if stray.is_empty() => {}
                _ => stray.push(c.clone()),
            }
        }
        if !stray.is_empty() {
            branches += 1;
            let start = Pending {
                kind: EdgeKind::Parallel,
                ..Pending::seq(split)
            };
            let out = self.block(&stray, vec![start], scope);
            to_join.extend(out);
        }
        if branches == 0 {
            self.push_diag(
                Diagnostic::error(
                    "E0405",
                    p.keyword.span,
                    Text::new("`並行:` の下に `分岐:` がありません", "`parallel:` has no `branch:` lines"),
                )
                .with_hint(Text::new(
                    "例:\n  並行:\n    分岐 税情報:\n      S4 税務課: 確認する\n    分岐 住記:\n      S5 市民課: 確認する",
                    "e.g.\n  parallel:\n    branch tax:\n      S4 Tax: check\n    branch registry:\n      S5 Citizens: check",
                )),
            );
        }
        let join = self.add_node(Node::Join { block, span });
        if branches == 0 {
            // Keep the flow connected: the error above says what is missing.
            to_join.push(Pending {
                kind: EdgeKind::Parallel,
                ..Pending::seq(split)
            });
        }
        for mut p in to_join {
            if p.kind == EdgeKind::Sequence {
                p.kind = EdgeKind::Parallel;
            }
            self.connect(vec![p], join);
        }
        vec![Pending::seq(join)]
    }

    fn unused_warnings(&mut self) {
        // A flow line that could not be parsed may well use the actors and documents that
        // would otherwise be reported unused: stay quiet rather than add noise to the error.
        if has_error_line(&self.file.flow, self.file) {
            return;
        }
        let mut used_actor = vec![false; self.model.actors.len()];
        let mut used_doc = vec![false; self.model.documents.len()];
        let mut names_used: Vec<String> = Vec::new();
        for s in &self.model.steps {
            if let Some(u) = used_actor.get_mut(s.actor) {
                *u = true;
            }
            for d in &s.docs {
                if let Some(u) = used_doc.get_mut(d.doc) {
                    *u = true;
                }
            }
            if let Some(t) = &s.transcription {
                for e in [&t.from, &t.to] {
                    match e {
                        Endpoint::Document(d) => {
                            if let Some(u) = used_doc.get_mut(*d) {
                                *u = true;
                            }
                        }
                        Endpoint::System(n) => names_used.push(name_key(n)),
                    }
                }
            }
            if let Some(sys) = &s.system {
                names_used.push(name_key(sys));
            }
        }
        names_used.sort();
        for (i, a) in self.model.actors.iter().enumerate() {
            if used_actor[i] || self.implicit_actors.get(i).copied().unwrap_or(false) {
                continue;
            }
            let key = name_key(&a.name);
            if names_used.binary_search(&key).is_ok() || self.suggested_actors.contains(&key) {
                continue;
            }
            push_bounded(
                &mut self.diags,
                &mut self.overflow,
                Diagnostic::warning(
                    "W0101",
                    a.span,
                    Text::new(
                        format!("担当者 `{}` はどの手順にも出てきません", a.name),
                        format!("actor `{}` is not used by any step", a.name),
                    ),
                )
                .with_hint(Text::new(
                    "使わないなら `担当:` から消してください",
                    "delete it from `actors:` if it is not needed",
                )),
            );
        }
        for (i, d) in self.model.documents.iter().enumerate() {
            if used_doc[i] {
                continue;
            }
            push_bounded(
                &mut self.diags,
                &mut self.overflow,
                Diagnostic::warning(
                    "W0102",
                    d.span,
                    Text::new(
                        format!("書類 `{}` はどの手順にも出てきません", d.name),
                        format!("document `{}` is not used by any step", d.name),
                    ),
                )
                .with_hint(Text::new(
                    "手順の属性で使ってください (例: `[記入=申請書]`)。使わないなら消してください",
                    "use it in a step attribute (e.g. `[fill=application]`) or delete it",
                )),
            );
        }
        let timed = self.model.steps.iter().filter(|s| s.work.is_some()).count();
        if timed > 0 {
            let mut missing = Vec::new();
            for (i, s) in self.model.steps.iter().enumerate() {
                if self.step_has_invalid_attr.get(i).copied().unwrap_or(false) {
                    continue;
                }
                let automated = self
                    .model
                    .actors
                    .get(s.actor)
                    .is_some_and(|a| a.kind.is_automated());
                if s.work.is_none() && s.wait.is_none() && s.kind == StepKind::Task && !automated {
                    missing.push((s.span, s));
                }
            }
            let index = std::cell::OnceCell::new();
            for (span, name) in missing {
                let index = index.get_or_init(|| nagare_syntax::LineIndex::new(self.source));
                let name = crate::names::step_phrase(name, self.source, index);
                push_bounded(&mut self.diags, &mut self.overflow,
                    Diagnostic::warning(
                        "W0104",
                        span,
                        Text::new(
                            format!("{} に作業時間がありません (ほかの手順にはあります)", name.ja),
                            format!("{} has no work time (other steps do)", name.en),
                        ),
                    )
                    .with_hint(Text::new(
                        "おおよその時間を書いてください。例: `[5分]`。時間がかからない手順なら `[0分]`",
                        "write an estimate, e.g. `[5min]`; for a step that takes no time write `[0min]`",
                    )),
                );
            }
        }
    }
}

/// Returns true if a line of the flow tree could not be parsed.
fn has_error_line(nodes: &[FlowNode], file: &ast::File) -> bool {
    nodes.iter().any(|n| {
        matches!(file.lines[n.line].stmt, Stmt::Error) || has_error_line(&n.children, file)
    })
}

/// Returns the text after the colon that follows `name` on its line (the label of a step whose
/// actor is `name`), trimmed, for a hint that rewrites the line.
fn name_rest<'s>(source: &'s str, name: &ast::Word) -> &'s str {
    let after = source.get(name.span.end as usize..).unwrap_or_default();
    let line = after.split(['\n', '\r']).next().unwrap_or_default();
    let line = line.trim_start().trim_start_matches([':', '：']).trim();
    // Drop a trailing comment and attribute list: `終了` takes a label only.
    let line = line.split(" #").next().unwrap_or(line);
    line.split(['[', '［']).next().unwrap_or(line).trim()
}

fn duplicate(code: &str, name: &ast::Word, first: Span, what: &Text) -> Diagnostic {
    Diagnostic::error(
        code,
        name.span,
        Text::new(
            format!("{} `{}` が二回宣言されています", what.ja, name.text),
            format!("{} `{}` is declared twice", what.en, name.text),
        ),
    )
    .with_label_message(Text::new("二回目", "declared again here"))
    .with_secondary(first, Text::new("最初の宣言", "first declared here"))
    .with_hint(Text::new(
        "名前を変えるか、どちらかを消してください",
        "rename one of them or delete the duplicate",
    ))
}

fn medium(m: MediumKw) -> Medium {
    match m {
        MediumKw::Paper => Medium::Paper,
        MediumKw::Digital => Medium::Digital,
        MediumKw::InPerson => Medium::InPerson,
        MediumKw::Phone => Medium::Phone,
        MediumKw::Mail => Medium::Mail,
        MediumKw::Fax => Medium::Fax,
        MediumKw::Email => Medium::Email,
    }
}

fn minutes(d: ast::Duration) -> Minutes {
    Minutes {
        p50: d.p50,
        p90: d.p90,
    }
}

/// Returns a percentage for messages: whole numbers without decimals, else one decimal.
fn fmt_pct(p: f64) -> String {
    let v = p * 100.0;
    if (v - v.round()).abs() < 1e-6 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Returns a slug of `name`: lower-case letters and digits of any script, other runs as `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in nagare_syntax::fold(name).chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "process".to_owned()
    } else {
        out
    }
}

/// Returns a step id as the model keeps it: folded to half-width (`Ｓ１` → `S1`), so that the
/// As-Is and To-Be files, `置換` and `削除:` agree however the id was typed. Step ids are ASCII
/// by definition (docs/dsl.md), so folding loses nothing the user meant.
fn step_id_text(w: &ast::Word) -> String {
    nagare_syntax::fold(&w.text)
}

/// Pushes `d` and compacts `diags` (see [`Overflow`]); a free function so that it can be called
/// while other fields of the lowerer are borrowed.
fn push_bounded(diags: &mut Vec<Diagnostic>, overflow: &mut Overflow, d: Diagnostic) {
    diags.push(d);
    overflow.compact(diags);
}

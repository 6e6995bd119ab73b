//! Programmatic construction of models, for importers (BPMN) and for tests of later stages.

use nagare_syntax::Span;

use crate::types::{
    Actor, ActorId, ActorKind, DocId, DocMedium, Document, Edge, EdgeKind, Model, Node, NodeId,
    Step, StepId, Variant,
};

/// Builds a [`Model`] piece by piece; node 0 is the start node from the outset.
#[derive(Debug, Clone)]
pub struct ModelBuilder {
    model: Model,
}

impl ModelBuilder {
    /// Returns a builder for a process named `name` (its id is `name` too until [`Self::id`]).
    #[must_use]
    pub fn new(name: &str) -> Self {
        let mut model = Model::default();
        model.process.name = name.to_owned();
        model.process.id = name.to_owned();
        model.flow.nodes.push(Node::Start);
        Self { model }
    }

    #[must_use]
    pub fn id(mut self, id: &str) -> Self {
        self.model.process.id = id.to_owned();
        self
    }

    #[must_use]
    pub fn variant(mut self, variant: Variant) -> Self {
        self.model.process.variant = variant;
        self
    }

    #[must_use]
    pub fn volume(mut self, per_year: f64) -> Self {
        self.model.process.volume_per_year = Some(per_year);
        self
    }

    pub fn actor(&mut self, name: &str, kind: ActorKind) -> ActorId {
        self.model.actors.push(Actor {
            name: name.to_owned(),
            kind,
            department: None,
            span: Span::default(),
        });
        self.model.actors.len() - 1
    }

    pub fn document(&mut self, name: &str, medium: DocMedium, fields: &[&str]) -> DocId {
        self.model.documents.push(Document {
            name: name.to_owned(),
            medium,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            gov_held: false,
            span: Span::default(),
        });
        self.model.documents.len() - 1
    }

    /// Adds a task step and its flow node (unconnected); returns the step id.
    pub fn step(&mut self, actor: ActorId, label: &str) -> StepId {
        let index = self.model.steps.len();
        self.model.steps.push(Step {
            key: format!("n{}", index + 1),
            label: label.to_owned(),
            actor,
            ..Step::default()
        });
        self.model.flow.nodes.push(Node::Step { step: index });
        index
    }

    /// Gives step `step` the user id `id` (also its key).
    pub fn step_id(&mut self, step: StepId, id: &str) {
        self.model.steps[step].id = Some(id.to_owned());
        id.clone_into(&mut self.model.steps[step].key);
    }

    /// Returns the step for further attributes.
    pub fn step_mut(&mut self, step: StepId) -> &mut Step {
        &mut self.model.steps[step]
    }

    /// Returns the flow node of `step`.
    ///
    /// # Panics
    /// If `step` was not added by this builder (a programming error, not user input).
    #[must_use]
    pub fn node_of(&self, step: StepId) -> NodeId {
        self.model
            .flow
            .node_of_step(step)
            .expect("every step added by the builder has a node")
    }

    /// Adds a non-step node (end, split, join).
    pub fn node(&mut self, node: Node) -> NodeId {
        self.model.flow.nodes.push(node);
        self.model.flow.nodes.len() - 1
    }

    /// Adds an end node.
    pub fn end(&mut self) -> NodeId {
        self.node(Node::End {
            label: None,
            span: Span::default(),
        })
    }

    /// Connects two nodes.
    pub fn edge(&mut self, from: NodeId, to: NodeId, kind: EdgeKind, probability: f64) {
        self.model.flow.edges.push(Edge {
            from,
            to,
            probability,
            label: None,
            kind,
            span: Span::default(),
        });
    }

    /// Connects `nodes` in sequence with probability 1.
    pub fn chain(&mut self, nodes: &[NodeId]) {
        for pair in nodes.windows(2) {
            self.edge(pair[0], pair[1], EdgeKind::Sequence, 1.0);
        }
    }

    /// Returns the model built so far, for further edits.
    pub fn model_mut(&mut self) -> &mut Model {
        &mut self.model
    }

    #[must_use]
    pub fn finish(self) -> Model {
        self.model
    }
}

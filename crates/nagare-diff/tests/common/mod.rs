//! A compact way to build the test models: steps in sequence, attributes by closure.

#![allow(dead_code)] // each test file uses a different part

use std::collections::HashMap;

use nagare_model::{
    ActorId, ActorKind, DocId, DocMedium, DocRole, DocUse, Medium, Minutes, Model, ModelBuilder,
    NodeId, Removal, Step, Variant,
};
use nagare_syntax::Span;

pub struct Flow {
    b: ModelBuilder,
    actors: HashMap<String, ActorId>,
    docs: HashMap<String, DocId>,
    nodes: Vec<NodeId>,
}

impl Flow {
    pub fn new(variant: Variant, actors: &[(&str, ActorKind)]) -> Self {
        let mut b = ModelBuilder::new("テスト手続")
            .variant(variant)
            .volume(1000.0);
        let mut map = HashMap::new();
        for (name, kind) in actors {
            map.insert((*name).to_owned(), b.actor(name, *kind));
        }
        Self {
            b,
            actors: map,
            docs: HashMap::new(),
            nodes: vec![0],
        }
    }

    pub fn doc(mut self, name: &str, medium: DocMedium, fields: &[&str]) -> Self {
        let id = self.b.document(name, medium, fields);
        self.docs.insert(name.to_owned(), id);
        self
    }

    /// Adds a step after the previous one; `id` may be empty.
    pub fn step(self, id: &str, actor: &str, label: &str) -> Self {
        self.step_with(id, actor, label, |_| {})
    }

    pub fn step_with(
        mut self,
        id: &str,
        actor: &str,
        label: &str,
        f: impl FnOnce(&mut Step),
    ) -> Self {
        let actor = self.actors[actor];
        let s = self.b.step(actor, label);
        if !id.is_empty() {
            self.b.step_id(s, id);
        }
        f(self.b.step_mut(s));
        self.nodes.push(self.b.node_of(s));
        self
    }

    /// Lets the last step use document `name` in `role`.
    pub fn uses(mut self, name: &str, role: DocRole) -> Self {
        let doc = self.docs[name];
        let last = self.b.model_mut().steps.len() - 1;
        self.b.step_mut(last).docs.push(DocUse {
            doc,
            role,
            fields: Vec::new(),
            span: Span::default(),
        });
        self
    }

    pub fn removed(mut self, ids: &[&str], reason: &str) -> Self {
        self.b.model_mut().removed.push(Removal {
            step_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
            reason: reason.to_owned(),
            span: Span::default(),
        });
        self
    }

    pub fn finish(mut self) -> Model {
        let end = self.b.end();
        self.nodes.push(end);
        self.b.chain(&self.nodes);
        self.b.finish()
    }
}

pub fn minutes(m: f64) -> Option<Minutes> {
    Some(Minutes { p50: m, p90: None })
}

pub fn paper(s: &mut Step) {
    s.medium = Some(Medium::Paper);
}

pub fn digital(s: &mut Step) {
    s.medium = Some(Medium::Digital);
}

//! The control flow of a model as a petgraph graph, with the structural helpers later stages share:
//! reachability, back edges (loops), a topological order that ignores them, strongly connected
//! components and the regions of parallel blocks.
//!
//! The graph holds ids only (node weight = model `NodeId`, edge weight = index into
//! `model.flow.edges`); the domain data stays in the model. Graph node `i` is model node `i`.

use nagare_model::{EdgeKind, Model, Node, NodeId};
use petgraph::graph::{DiGraph, NodeIndex};

/// Index of an edge in `model.flow.edges`.
pub type EdgeId = usize;

/// The process graph of one model.
#[derive(Debug, Clone)]
pub struct ProcessGraph {
    /// Node `i` has weight `i` (the model's `NodeId`); each edge's weight is its model `EdgeId`.
    /// Edges whose ends are not nodes of the model are left out.
    pub graph: DiGraph<NodeId, EdgeId>,
    ends: Vec<(NodeId, NodeId)>,
    valid: Vec<bool>,
    kinds: Vec<EdgeKind>,
    out: Vec<Vec<EdgeId>>,
    inc: Vec<Vec<EdgeId>>,
    back: Vec<bool>,
    reachable: Vec<bool>,
    topo: Vec<NodeId>,
}

impl ProcessGraph {
    /// Returns the graph of `model`'s flow; never panics, whatever the edges point at.
    #[must_use]
    pub fn new(model: &Model) -> Self {
        let n = model.flow.nodes.len();
        let mut graph = DiGraph::with_capacity(n, model.flow.edges.len());
        for i in 0..n {
            graph.add_node(i);
        }
        let mut out = vec![Vec::new(); n];
        let mut inc = vec![Vec::new(); n];
        let mut ends = Vec::with_capacity(model.flow.edges.len());
        let mut valid = Vec::with_capacity(model.flow.edges.len());
        let mut kinds = Vec::with_capacity(model.flow.edges.len());
        for (id, edge) in model.flow.edges.iter().enumerate() {
            let ok = edge.from < n && edge.to < n;
            ends.push((edge.from, edge.to));
            valid.push(ok);
            kinds.push(edge.kind);
            if ok {
                graph.add_edge(NodeIndex::new(edge.from), NodeIndex::new(edge.to), id);
                out[edge.from].push(id);
                inc[edge.to].push(id);
            }
        }
        let mut pg = Self {
            graph,
            ends,
            valid,
            kinds,
            out,
            inc,
            back: Vec::new(),
            reachable: vec![false; n],
            topo: Vec::new(),
        };
        pg.depth_first();
        pg
    }

    /// Classifies back edges and computes reachability and a topological order in one iterative
    /// depth-first search (iterative so that a 10,000-step chain cannot overflow the stack).
    fn depth_first(&mut self) {
        let n = self.out.len();
        self.back = vec![false; self.ends.len()];
        // 0 = unvisited, 1 = on the stack, 2 = finished.
        let mut state = vec![0u8; n];
        let mut postorder = Vec::with_capacity(n);
        let roots = std::iter::once(nagare_model::Flow::START).chain(0..n);
        for (i, root) in roots.enumerate() {
            if root >= n || state[root] != 0 {
                continue;
            }
            let from_start = i == 0;
            let mut stack = vec![(root, 0usize)];
            state[root] = 1;
            if from_start {
                self.reachable[root] = true;
            }
            while let Some((node, next)) = stack.last_mut() {
                let node = *node;
                if let Some(&edge) = self.out[node].get(*next) {
                    *next += 1;
                    let to = self.ends[edge].1;
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            if from_start {
                                self.reachable[to] = true;
                            }
                            stack.push((to, 0));
                        }
                        1 => self.back[edge] = true,
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    postorder.push(node);
                    stack.pop();
                }
            }
        }
        postorder.reverse();
        self.topo = postorder;
    }

    /// Returns the number of nodes (equal to `model.flow.nodes.len()`).
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.out.len()
    }

    /// Returns the petgraph index of model node `node`.
    #[must_use]
    pub fn index(node: NodeId) -> NodeIndex {
        NodeIndex::new(node)
    }

    /// Returns the source and target of `edge` if both are nodes of the model.
    #[must_use]
    pub fn ends(&self, edge: EdgeId) -> Option<(NodeId, NodeId)> {
        self.valid
            .get(edge)
            .copied()
            .unwrap_or(false)
            .then(|| self.ends[edge])
    }

    /// Returns the (valid) edges leaving `node`, in declaration order.
    #[must_use]
    pub fn outgoing(&self, node: NodeId) -> &[EdgeId] {
        self.out.get(node).map_or(&[], Vec::as_slice)
    }

    /// Returns the (valid) edges entering `node`, in declaration order.
    #[must_use]
    pub fn incoming(&self, node: NodeId) -> &[EdgeId] {
        self.inc.get(node).map_or(&[], Vec::as_slice)
    }

    /// Returns true if `node` can be reached from the start.
    #[must_use]
    pub fn is_reachable(&self, node: NodeId) -> bool {
        self.reachable.get(node).copied().unwrap_or(false)
    }

    /// Returns, per node, whether it can be reached from the start.
    #[must_use]
    pub fn reachable(&self) -> &[bool] {
        &self.reachable
    }

    /// Returns true if `edge` closes a cycle in a depth-first search from the start (declaration
    /// order): removing every back edge leaves the graph acyclic.
    #[must_use]
    pub fn is_back_edge(&self, edge: EdgeId) -> bool {
        self.back.get(edge).copied().unwrap_or(false)
    }

    /// Returns every back edge, in declaration order.
    #[must_use]
    pub fn back_edges(&self) -> Vec<EdgeId> {
        (0..self.back.len()).filter(|&e| self.back[e]).collect()
    }

    /// Returns the edges the model marks as send-backs (差戻し), in declaration order.
    #[must_use]
    pub fn send_back_edges(&self) -> Vec<EdgeId> {
        (0..self.kinds.len())
            .filter(|&e| self.valid[e] && self.kinds[e] == EdgeKind::SendBack)
            .collect()
    }

    /// Returns every node in a topological order of the graph without its back edges, the start
    /// first (nodes unreachable from the start come after the reachable ones they precede).
    #[must_use]
    pub fn topological_order(&self) -> &[NodeId] {
        &self.topo
    }

    /// Returns the strongly connected components in topological order (a component comes before
    /// every component it has an edge to); nodes ascending within each.
    #[must_use]
    pub fn sccs(&self) -> Vec<Vec<NodeId>> {
        let mut sccs: Vec<Vec<NodeId>> = petgraph::algo::kosaraju_scc(&self.graph)
            .into_iter()
            .map(|c| {
                let mut ids: Vec<NodeId> = c.into_iter().map(NodeIndex::index).collect();
                ids.sort_unstable();
                ids
            })
            .collect();
        // kosaraju_scc (iterative, unlike petgraph's recursive tarjan_scc) yields sinks first.
        sccs.reverse();
        sccs
    }

    /// Returns the parallel blocks of the model: for each split node, its join and the nodes
    /// strictly between them. A block whose branches reach an end, the start or the split itself
    /// without passing its join (or that has no join) is reported with `well_formed: false`.
    #[must_use]
    pub fn parallel_blocks(&self, model: &Model) -> Vec<ParallelBlock> {
        // The first join of each block id (lowering gives one per block).
        let mut joins = std::collections::BTreeMap::new();
        for (i, node) in model.flow.nodes.iter().enumerate() {
            if let Node::Join { block, .. } = node {
                joins.entry(*block).or_insert(i);
            }
        }
        let mut blocks = Vec::new();
        // One visited-mark vector for every search, stamped with the split's id, so that many
        // blocks cost the size of their regions rather than of the whole graph each.
        let mut mark = vec![usize::MAX; self.node_count()];
        for (split, node) in model.flow.nodes.iter().enumerate() {
            let Node::Split { block, .. } = node else {
                continue;
            };
            let join = joins.get(block).copied();
            let mut inside = Vec::new();
            let mut well_formed = join.is_some();
            let mut seen = |n: NodeId| std::mem::replace(&mut mark[n], split) == split;
            seen(split);
            if let Some(j) = join {
                seen(j);
            }
            let mut queue: Vec<NodeId> = Vec::new();
            for &e in self.outgoing(split) {
                let to = self.ends[e].1;
                if !seen(to) {
                    queue.push(to);
                }
            }
            while let Some(at) = queue.pop() {
                inside.push(at);
                if matches!(model.flow.nodes[at], Node::End { .. } | Node::Start) {
                    well_formed = false;
                    continue;
                }
                for &e in self.outgoing(at) {
                    let to = self.ends[e].1;
                    // A branch that comes back to its own split would multiply the case.
                    well_formed &= to != split;
                    if !seen(to) {
                        queue.push(to);
                    }
                }
            }
            inside.sort_unstable();
            blocks.push(ParallelBlock {
                split,
                join,
                inside,
                well_formed,
            });
        }
        blocks
    }
}

/// A parallel block: a split, its join, and the nodes of its branches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParallelBlock {
    pub split: NodeId,
    pub join: Option<NodeId>,
    /// Nodes reachable from the split without passing the join, ascending.
    pub inside: Vec<NodeId>,
    /// The join exists and no branch escapes to an end or the start or returns to the split.
    pub well_formed: bool,
}

#[cfg(test)]
mod tests {
    use nagare_model::{ActorKind, EdgeKind, ModelBuilder};

    use super::*;

    /// start → a → b → c → end, with c → a (send-back) and an unreachable d → end.
    fn model() -> (Model, [NodeId; 5]) {
        let mut b = ModelBuilder::new("g");
        let x = b.actor("x", ActorKind::Staff);
        let [a, bb, c, d] = ["a", "b", "c", "d"].map(|l| {
            let s = b.step(x, l);
            b.node_of(s)
        });
        let end = b.end();
        b.chain(&[0, a, bb, c, end]);
        b.edge(c, a, EdgeKind::SendBack, 0.1);
        b.edge(d, end, EdgeKind::Sequence, 1.0);
        b.edge(c, 99, EdgeKind::Sequence, 0.0);
        (b.finish(), [a, bb, c, d, end])
    }

    #[test]
    fn back_edges_topological_order_and_reachability() {
        let (m, [a, b, c, d, end]) = model();
        let pg = ProcessGraph::new(&m);
        // The send-back is the only back edge; the dangling edge to node 99 is left out.
        assert_eq!(pg.back_edges(), vec![4]);
        assert_eq!(pg.send_back_edges(), vec![4]);
        assert_eq!(pg.ends(6), None);
        assert_eq!(pg.graph.edge_count(), 6);
        let order = pg.topological_order();
        let pos = |n: NodeId| order.iter().position(|&x| x == n).expect("in order");
        assert!(pos(0) < pos(a) && pos(a) < pos(b) && pos(b) < pos(c) && pos(c) < pos(end));
        assert!(pos(d) < pos(end));
        assert!(pg.is_reachable(c) && !pg.is_reachable(d));
    }

    #[test]
    fn sccs_group_the_loop_in_topological_order() {
        let (m, [a, b, c, d, end]) = model();
        let sccs = ProcessGraph::new(&m).sccs();
        let loop_at = sccs.iter().position(|s| s == &vec![a, b, c]).expect("loop");
        let end_at = sccs.iter().position(|s| s == &vec![end]).expect("end");
        let start_at = sccs.iter().position(|s| s == &vec![0]).expect("start");
        assert!(start_at < loop_at && loop_at < end_at);
        assert!(sccs.iter().any(|s| s == &vec![d]));
    }
}

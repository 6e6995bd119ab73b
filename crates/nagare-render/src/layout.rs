//! Lane-aware layered (Sugiyama-style) layout of a flow into a [`Scene`].
//!
//! The stages, each deterministic:
//! 1. every node gets a lane: a step its actor's, start/end/gateways the lane of a neighbour;
//! 2. send-back edges (known from the model) are reversed, any remaining cycle is broken by a
//!    depth-first search in declaration order, and nodes get columns (ranks) by longest path;
//! 3. edges spanning several columns get dummy items in the lane (between the ends' lanes) with
//!    the least traffic in the way; a send-back is laid out as a forward edge from its target
//!    to its source and drawn reversed (it leaves the decision backwards and enters the earlier
//!    step from its exit side), so it takes part in ordering like any edge;
//! 4. inside a column, lanes keep their declared order and every box stays in its lane, but a
//!    dummy may move to another lane (a long edge can go round the lanes it would otherwise
//!    cross, even outside the lanes of its ends); items are ordered by barycenter sweeps over
//!    all edges, swaps of neighbours (across a lane boundary for a dummy) and sifting (each
//!    item to its best place in the column), keeping the order with the fewest crossings;
//!    then each long edge that wanders between lanes is moved back into one lane where that
//!    adds no crossing, so that it bends as little as it can;
//! 5. items are placed across the lane so that runs inside a lane are straight (a weighted
//!    least-squares fit to their neighbours under the cell's order and spacing); lanes are as
//!    wide as their content; edges are routed orthogonally: vertical runs only in the channels
//!    between columns, horizontal runs only in an item's own slot, so no edge can pass
//!    through a box; a self-loop runs in a gutter of its lane;
//! 6. a branch label sits next to its decision, in a label zone of the channel beside it
//!    (where there are no boxes), on the side its edge turns to; labels in one zone are
//!    spread so that none overlaps another.
//!
//! Coordinates are computed along two abstract axes, *main* (the flow direction) and *cross*
//! (across lanes), and mapped to x/y at the end, so both directions share one algorithm.

use nagare_model::{ActorKind, DocRole, EdgeKind, Medium, Model, Node, Step, StepKind};
use nagare_syntax::{Lang, Text};

use crate::scene::{
    BoxKind, Direction, EdgeLabel, Lane, Legend, LegendItem, LegendKind, Marker, MarkerKind, Note,
    NoteKind, Point, Rect, Scene, SceneBox, SceneEdge, Shape,
};
use crate::text::{text_width, wrap};

/// Options of [`layout`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    pub direction: Direction,
    /// Adds a legend of the markers and symbols used.
    pub legend: bool,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        Self {
            direction: Direction::Horizontal,
            legend: true,
        }
    }
}

/// Label font size (px).
pub(crate) const FONT: f64 = 13.0;
/// Label line height (px).
pub(crate) const LINE_H: f64 = 17.0;
/// Font size of badges, edge labels and the legend (px).
pub(crate) const SMALL_FONT: f64 = 11.0;
pub(crate) const SMALL_LINE_H: f64 = 14.0;
const BADGE_H: f64 = 16.0;
const BADGE_GAP: f64 = 3.0;
const PAD_X: f64 = 9.0;
const PAD_Y: f64 = 7.0;
const TASK_WRAP: f64 = 10.0 * FONT;
const DECISION_WRAP: f64 = 6.0 * FONT;
const HEADER_WRAP: f64 = 6.0 * FONT;
const LABEL_WRAP: f64 = 9.0 * SMALL_FONT;
const MAX_LINES: usize = 5;
const CIRCLE: f64 = 28.0;
/// Width an end's label wraps to, its most lines, and the space between circle and label.
const END_LABEL_WRAP: f64 = 12.0 * SMALL_FONT;
const END_LABEL_LINES: usize = 3;
pub(crate) const END_LABEL_GAP: f64 = 3.0;
const GATEWAY: f64 = 36.0;
const MIN_TASK_W: f64 = 96.0;
const MIN_TASK_H: f64 = 42.0;
/// Space between two items stacked in one cell.
const NODE_GAP: f64 = 18.0;
/// Cross size of a dummy item's slot (an edge passing through a column).
const DUMMY_SLOT: f64 = 12.0;
const LANE_PAD: f64 = 12.0;
/// Room left and right of the kind・department line in a lane header.
const KIND_PAD: f64 = 4.0;
/// Most lines the kind・department line of a lane header may wrap to.
const KIND_LINES: usize = 3;

/// Returns the kind・department line of a lane header wrapped to a header `width` wide; the
/// layout sizes the band with it and the SVG writer draws it, so both agree.
pub(crate) fn kind_wrap(text: &str, width: f64) -> Vec<String> {
    wrap(
        text,
        (width - 2.0 * KIND_PAD).max(SMALL_FONT),
        SMALL_FONT,
        KIND_LINES,
    )
}
/// Space between a box and an edge label in the channel after it.
const LABEL_GAP: f64 = 4.0;
const CH_PAD: f64 = 12.0;
const TRACK_GAP: f64 = 9.0;
const CH_MIN: f64 = 36.0;
const GUTTER_PLAIN: f64 = 10.0;
const MARGIN: f64 = 10.0;
/// Height of a one-line title block (title baseline at 26).
const TITLE_H: f64 = 44.0;
/// Title font size (px), bold.
pub(crate) const TITLE_FONT: f64 = 18.0;
/// Subtitle font size (px), after the title.
pub(crate) const SUBTITLE_FONT: f64 = 12.0;
/// Space between the title and the subtitle on one line (px).
pub(crate) const SUBTITLE_GAP: f64 = 12.0;
/// Baseline distance of the title's lines when it wraps.
pub(crate) const TITLE_LINE_H: f64 = 24.0;
/// Extra height when the subtitle goes on a line of its own.
pub(crate) const SUBTITLE_LINE_H: f64 = 18.0;
/// Most lines a long title wraps to (a process name is short; the rest ends in `…`).
const TITLE_LINES: usize = 4;
/// Widest a scene grows to keep the title on one line; a longer title wraps instead.
const TITLE_MAX_W: f64 = 960.0;
/// Narrowest scene.
const MIN_WIDTH: f64 = 320.0;
/// Most lines of a note (the names of many stepless actors; the rest ends in `…`).
const NOTE_LINES: usize = 6;
/// Indent of a note from the lanes' left edge, and the space above it.
const NOTE_INSET: f64 = 4.0;
const NOTE_GAP: f64 = 6.0;
const EPS: f64 = 0.01;

/// Lays out `model`'s flow as a swimlane diagram; pure and deterministic, never panics.
#[must_use]
pub fn layout(model: &Model, options: &LayoutOptions) -> Scene {
    Layouter::new(model, options.direction).run(options.legend)
}

/// What a box will look like, before it has a place.
struct Prep {
    kind: BoxKind,
    shape: Shape,
    step_kind: Option<StepKind>,
    step_key: Option<String>,
    actor: Option<usize>,
    label: String,
    lines: Vec<String>,
    markers: Vec<(MarkerKind, f64)>,
    details: Vec<Text>,
    /// Width and height in pixels.
    w: f64,
    h: f64,
    /// Text block size (inside the shape).
    text_w: f64,
    text_h: f64,
    /// Extra space at the bottom for a `[+]` or hourglass mark.
    foot: f64,
}

/// A slot in a cell: a node, or a dummy on a long edge.
#[derive(Clone)]
struct Item {
    node: Option<usize>,
    rank: usize,
    lane: usize,
    /// Size along the main and cross axes.
    main: f64,
    cross: f64,
    /// Centre along the cross axis (set by `place_cross`).
    center: f64,
}

/// An edge as the layout sees it.
struct LEdge {
    model_edge: usize,
    from: usize,
    to: usize,
    back: bool,
    /// A self-loop, drawn through a gutter of its lane (it has no chain).
    gutter: bool,
    /// Items from left to right: source to target, or for a back edge target to source (it
    /// is laid out as a forward edge and drawn reversed, as layered drawings do).
    chain: Vec<usize>,
    label: Option<(Vec<String>, f64, f64)>,
    out_port: f64,
    in_port: f64,
    /// Back edges: the lane boundary whose gutter the edge runs in (level `g` is above lane
    /// `g`; `lanes` is below the last lane), and the gutter line's cross coordinate.
    gutter_level: usize,
    gutter_line: f64,
    /// Track index per channel used by this edge: (channel, segment id).
    tracks: Vec<(usize, usize)>,
}

/// A vertical run inside a channel.
struct Seg {
    track: usize,
}

struct Layouter<'a> {
    model: &'a Model,
    dir: Direction,
    n: usize,
    preps: Vec<Prep>,
    lane_of: Vec<usize>,
    lanes: usize,
    items: Vec<Item>,
    edges: Vec<LEdge>,
    ranks: usize,
    cells: Vec<Vec<Vec<usize>>>,
    /// Per item, its neighbours along forward edges in the previous and next column.
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    /// Per channel (0..=ranks) the vertical runs.
    channels: Vec<Vec<Seg>>,
    /// The actor (model index) of each lane, in declaration order: only actors with a step in
    /// the flow get a lane, or every actor when the flow has no step at all.
    lane_actor: Vec<usize>,
    /// Per actor, its lane (`None` for an actor without steps, named in a note instead).
    actor_lane: Vec<Option<usize>>,
    /// Whether the flow has at least one step.
    has_steps: bool,
    /// Height of the title block above the lanes (taller when a long title wraps).
    title_h: f64,
}

impl<'a> Layouter<'a> {
    fn new(model: &'a Model, dir: Direction) -> Self {
        let n = model.flow.nodes.len();
        // An actor named only in attributes (a system in `システム=`) has no step: a lane for
        // it would be an empty band, so it gets none and a note names it instead. A flow with
        // no step at all keeps every declared lane, the only content it has.
        let mut used = vec![false; model.actors.len()];
        let mut has_steps = false;
        for node in &model.flow.nodes {
            if let Node::Step { step } = node {
                has_steps = true;
                if let Some(u) = model.steps.get(*step).and_then(|s| used.get_mut(s.actor)) {
                    *u = true;
                }
            }
        }
        let mut lane_actor = Vec::new();
        let actor_lane: Vec<Option<usize>> = used
            .iter()
            .enumerate()
            .map(|(a, &u)| {
                (u || !has_steps).then(|| {
                    lane_actor.push(a);
                    lane_actor.len() - 1
                })
            })
            .collect();
        let lanes = lane_actor.len().max(1);
        let preps = (0..n).map(|i| prep_node(model, i)).collect();
        Self {
            model,
            dir,
            n,
            preps,
            lane_of: Vec::new(),
            lanes,
            items: Vec::new(),
            edges: Vec::new(),
            ranks: 0,
            cells: Vec::new(),
            up: Vec::new(),
            down: Vec::new(),
            channels: Vec::new(),
            lane_actor,
            actor_lane,
            has_steps,
            title_h: TITLE_H,
        }
    }

    /// Returns the actor drawn in `lane`, if the lane has one (a model without actors gets
    /// one lane that has none).
    fn lane_actor(&self, lane: usize) -> Option<&nagare_model::Actor> {
        self.lane_actor
            .get(lane)
            .and_then(|&a| self.model.actors.get(a))
    }

    /// Returns (main, cross) sizes of a w×h rectangle.
    fn mc(&self, w: f64, h: f64) -> (f64, f64) {
        match self.dir {
            Direction::Horizontal => (w, h),
            Direction::Vertical => (h, w),
        }
    }

    /// Returns the rectangle with main/cross position and size, mapped to x/y.
    fn rect(&self, main: f64, cross: f64, main_size: f64, cross_size: f64) -> Rect {
        let r = match self.dir {
            Direction::Horizontal => Rect {
                x: main,
                y: cross + self.title_h,
                w: main_size,
                h: cross_size,
            },
            Direction::Vertical => Rect {
                x: cross,
                y: main + self.title_h,
                w: cross_size,
                h: main_size,
            },
        };
        round_rect(r)
    }

    fn point(&self, main: f64, cross: f64) -> Point {
        let p = match self.dir {
            Direction::Horizontal => Point {
                x: main,
                y: cross + self.title_h,
            },
            Direction::Vertical => Point {
                x: cross,
                y: main + self.title_h,
            },
        };
        Point {
            x: round1(p.x),
            y: round1(p.y),
        }
    }

    fn run(mut self, with_legend: bool) -> Scene {
        self.assign_lanes();
        self.rank_and_chain();
        self.choose_gutters();
        self.order();
        let lane_geo = self.place_cross();
        self.ports();
        let geo = self.route_channels(&lane_geo);
        self.build(&lane_geo, &geo, with_legend)
    }

    /// Gives every node a lane.
    fn assign_lanes(&mut self) {
        let flow = &self.model.flow;
        let n = self.n;
        let mut lane_of: Vec<Option<usize>> = vec![None; n];
        for (i, node) in flow.nodes.iter().enumerate() {
            if let Node::Step { step } = node {
                let lane = self
                    .model
                    .steps
                    .get(*step)
                    .and_then(|s| self.actor_lane.get(s.actor).copied().flatten());
                lane_of[i] = Some(lane.unwrap_or(0));
            }
        }
        let mut first_out: Vec<Option<usize>> = vec![None; n];
        let mut first_in: Vec<Option<usize>> = vec![None; n];
        for e in &flow.edges {
            if e.from < n && e.to < n && e.from != e.to {
                first_out[e.from].get_or_insert(e.to);
                first_in[e.to].get_or_insert(e.from);
            }
        }
        // Follows first edges backward (or forward) until a node with a lane; bounded by n.
        let walk = |start: usize, next: &[Option<usize>], lanes: &[Option<usize>]| {
            let mut cur = start;
            for _ in 0..n {
                match next[cur] {
                    Some(m) => {
                        if let Some(l) = lanes[m] {
                            return Some(l);
                        }
                        cur = m;
                    }
                    None => return None,
                }
            }
            None
        };
        let step_lanes = lane_of.clone();
        // The lane every branch of a split starts in, when they all start in the same one.
        let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
        for e in &flow.edges {
            if e.from < n && e.to < n && e.from != e.to {
                outs[e.from].push(e.to);
            }
        }
        let common_branch_lane = |i: usize| {
            let mut lanes = outs[i]
                .iter()
                .map(|&m| step_lanes[m].or_else(|| walk(m, &first_out, &step_lanes)));
            let first = lanes.next().flatten()?;
            lanes.all(|l| l == Some(first)).then_some(first)
        };
        let mut split_lane: Vec<(usize, usize)> = Vec::new();
        for (i, node) in flow.nodes.iter().enumerate() {
            let lane = match node {
                Node::Step { .. } => continue,
                Node::Start => walk(i, &first_out, &step_lanes),
                // A parallel block whose branches are all one actor's work sits in that actor's
                // lane, not in the lane of the step before it (no detour out and back).
                Node::Split { .. } => common_branch_lane(i)
                    .or_else(|| walk(i, &first_in, &step_lanes))
                    .or_else(|| walk(i, &first_out, &step_lanes)),
                Node::End { .. } | Node::Join { .. } => {
                    walk(i, &first_in, &step_lanes).or_else(|| walk(i, &first_out, &step_lanes))
                }
            };
            lane_of[i] = Some(lane.unwrap_or(0));
            if let Node::Split { block, .. } = node {
                split_lane.push((*block, lane.unwrap_or(0)));
            }
        }
        // A join sits in its split's lane so the parallel block reads as one unit.
        for (i, node) in flow.nodes.iter().enumerate() {
            if let Node::Join { block, .. } = node
                && let Some((_, l)) = split_lane.iter().find(|(b, _)| b == block)
            {
                lane_of[i] = Some(*l);
            }
        }
        self.lane_of = lane_of.into_iter().map(|l| l.unwrap_or(0)).collect();
    }

    /// Orients edges, breaks cycles, assigns ranks by longest path and builds edge chains.
    fn rank_and_chain(&mut self) {
        let n = self.n;
        let flow = &self.model.flow;
        // Oriented adjacency in declaration order: (target, edge index).
        let mut adj: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
        let mut reversed = vec![false; flow.edges.len()];
        for (i, e) in flow.edges.iter().enumerate() {
            if e.from >= n || e.to >= n || e.from == e.to {
                continue;
            }
            if e.kind == EdgeKind::SendBack {
                reversed[i] = true;
                adj[e.to].push((e.from, i));
            } else {
                adj[e.from].push((e.to, i));
            }
        }
        // Iterative DFS: an edge into a node on the stack closes a cycle; reverse it.
        let mut state = vec![0u8; n];
        let mut flipped = vec![false; flow.edges.len()];
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (v, ref mut next)) = stack.last_mut() {
                if let Some(&(w, ei)) = adj[v].get(*next) {
                    *next += 1;
                    match state[w] {
                        0 => {
                            state[w] = 1;
                            stack.push((w, 0));
                        }
                        1 => flipped[ei] = true,
                        _ => {}
                    }
                } else {
                    state[v] = 2;
                    stack.pop();
                }
            }
        }
        // Final DAG edges (from, to) and longest-path ranks by Kahn's algorithm.
        let mut dag_out: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut indeg = vec![0usize; n];
        for (i, e) in flow.edges.iter().enumerate() {
            if e.from >= n || e.to >= n || e.from == e.to {
                continue;
            }
            let back = reversed[i] != flipped[i];
            let (a, b) = if back { (e.to, e.from) } else { (e.from, e.to) };
            dag_out[a].push(b);
            indeg[b] += 1;
            reversed[i] = back;
        }
        let mut rank = vec![0usize; n];
        let mut queue: std::collections::VecDeque<usize> =
            (0..n).filter(|&v| indeg[v] == 0).collect();
        while let Some(v) = queue.pop_front() {
            for &w in &dag_out[v] {
                rank[w] = rank[w].max(rank[v] + 1);
                indeg[w] -= 1;
                if indeg[w] == 0 {
                    queue.push_back(w);
                }
            }
        }
        self.ranks = rank.iter().max().map_or(1, |m| m + 1);
        // Nodes per lane in ranks below r: occupancy[lane][r], for choosing dummy lanes.
        let mut occupancy = vec![vec![0usize; self.ranks + 1]; self.lanes];
        for v in 0..n {
            occupancy[self.lane_of[v]][rank[v] + 1] += 1;
        }
        // Short edges that pass right through a lane, per lane and channel (prefix sums over
        // channels): passes[lane][c] counts those in channels below c.
        let mut passes = vec![vec![0usize; self.ranks + 2]; self.lanes];
        for (i, e) in flow.edges.iter().enumerate() {
            if e.from >= n || e.to >= n || e.from == e.to {
                continue;
            }
            let (a, b) = if reversed[i] {
                (e.to, e.from)
            } else {
                (e.from, e.to)
            };
            let (la, lb) = (self.lane_of[a], self.lane_of[b]);
            if rank[b] == rank[a] + 1 && la.abs_diff(lb) > 1 {
                for row in &mut passes[la.min(lb) + 1..la.max(lb)] {
                    row[rank[a] + 2] += 1;
                }
            }
        }
        for row in occupancy.iter_mut().chain(passes.iter_mut()) {
            for r in 1..row.len() {
                row[r] += row[r - 1];
            }
        }
        let traffic = Traffic { occupancy, passes };
        // Items: one per node, then dummies.
        self.items = (0..n)
            .map(|i| {
                let p = &self.preps[i];
                let (main, cross) = self.mc(p.w, p.h);
                Item {
                    node: Some(i),
                    rank: rank[i],
                    lane: self.lane_of[i],
                    main,
                    cross,
                    center: 0.0,
                }
            })
            .collect();
        for (i, e) in flow.edges.iter().enumerate() {
            if e.from >= n || e.to >= n {
                continue;
            }
            let back = e.from == e.to || reversed[i];
            let gutter = e.from == e.to;
            let mut chain = Vec::new();
            if !gutter {
                let (a, b) = if back { (e.to, e.from) } else { (e.from, e.to) };
                chain.push(a);
                let lane = if rank[b] > rank[a] + 1 {
                    self.dummy_lane(&traffic, a, b, rank[a], rank[b])
                } else {
                    self.lane_of[b]
                };
                for r in rank[a] + 1..rank[b] {
                    self.items.push(Item {
                        node: None,
                        rank: r,
                        lane,
                        main: 0.0,
                        cross: DUMMY_SLOT,
                        center: 0.0,
                    });
                    chain.push(self.items.len() - 1);
                }
                chain.push(b);
            }
            let label = edge_label_text(e.label.as_deref(), e.probability, e.kind).map(|t| {
                let lines = wrap(&t, LABEL_WRAP, SMALL_FONT, 2);
                let w = lines
                    .iter()
                    .map(|l| text_width(l, SMALL_FONT))
                    .fold(0.0, f64::max)
                    + 6.0;
                #[allow(clippy::cast_precision_loss)] // a handful of lines
                let h = lines.len() as f64 * SMALL_LINE_H + 2.0;
                (lines, w, h)
            });
            self.edges.push(LEdge {
                model_edge: i,
                from: e.from,
                to: e.to,
                back,
                gutter,
                chain,
                label,
                out_port: 0.0,
                in_port: 0.0,
                gutter_level: 0,
                gutter_line: 0.0,
                tracks: Vec::new(),
            });
        }
        self.refine_dummy_lanes(&traffic.occupancy);
    }

    /// Reconsiders the lane of every long edge now that all edges have their runs: the first
    /// choice saw only the short edges. Two rounds, each edge in declaration order; an edge's
    /// own runs are taken out while it chooses. The cost is [`Self::dummy_lane`]'s, with the
    /// long edges' turns now counted among the runs that cross a lane.
    fn refine_dummy_lanes(&mut self, occupancy: &[Vec<usize>]) {
        let lanes = self.lanes;
        let channels = self.ranks + 1;
        // through[l * channels + c]: runs crossing lane l from side to side in channel c.
        let mut through = vec![0i64; lanes * channels];
        let apply = |items: &[Item], chain: &[usize], through: &mut [i64], sign: i64| {
            for pair in chain.windows(2) {
                let (p, q) = (&items[pair[0]], &items[pair[1]]);
                let c = p.rank + 1;
                for l in p.lane.min(q.lane) + 1..p.lane.max(q.lane) {
                    through[l * channels + c] += sign;
                }
            }
        };
        for e in &self.edges {
            apply(&self.items, &e.chain, &mut through, 1);
        }
        let at = |lane: usize, r: usize| {
            i64::try_from(occupancy[lane][r + 1] - occupancy[lane][r]).unwrap_or(i64::MAX / 8)
        };
        for _ in 0..2 {
            for k in 0..self.edges.len() {
                let chain = std::mem::take(&mut self.edges[k].chain);
                if chain.len() > 2 {
                    apply(&self.items, &chain, &mut through, -1);
                    let (first_item, last_item) =
                        (&self.items[chain[0]], &self.items[chain[chain.len() - 1]]);
                    let (a, b) = (first_item.lane, last_item.lane);
                    let (r1, r2) = (first_item.rank, last_item.rank);
                    let between = |x: usize, y: usize| x.min(y) + 1..x.max(y);
                    let side = |lane: usize, r: usize| at(lane, r);
                    let cost = |l: usize| -> i64 {
                        let runs: i64 = (r1 + 2..r2).map(|c| through[l * channels + c]).sum();
                        let busy: i64 = (r1 + 1..r2).map(|r| at(l, r)).sum();
                        let first: i64 = between(a, l).map(|m| side(m, r1) + side(m, r1 + 1)).sum();
                        let last: i64 = between(l, b).map(|m| side(m, r2 - 1) + side(m, r2)).sum();
                        let turns = i64::try_from(
                            l.abs_diff(a).saturating_sub(1) + l.abs_diff(b).saturating_sub(1),
                        )
                        .unwrap_or(0);
                        4 * runs + 2 * busy + 2 * (first + last) + turns
                    };
                    let current = self.items[chain[1]].lane;
                    let mut best = (cost(current), 0usize, current);
                    for l in a.min(b)..=a.max(b) {
                        let tie = if l == current { 0 } else { 1 + l.abs_diff(a) };
                        let cand = (cost(l), tie, l);
                        if cand < best {
                            best = cand;
                        }
                    }
                    for &i in &chain[1..chain.len() - 1] {
                        self.items[i].lane = best.2;
                    }
                    apply(&self.items, &chain, &mut through, 1);
                }
                self.edges[k].chain = chain;
            }
        }
    }

    /// Chooses for every back edge the lane boundary its gutter runs along.
    ///
    /// A gutter line crosses every forward edge that changes lanes across that boundary in the
    /// channels it spans, and its two vertical legs cross the lanes between the ends and the
    /// boundary. The cheapest boundary wins (ties: below the source lane, above it, nearer);
    /// back edges already placed on a boundary add a cost when their spans interleave, since
    /// such pairs must cross.
    fn choose_gutters(&mut self) {
        let levels = self.lanes + 1;
        let channels = self.ranks + 1;
        // cross[c * levels + g]: forward runs in channel c that cross boundary g; then prefix
        // sums over channels so a span costs O(1) per boundary.
        let mut cross = vec![0usize; (channels + 1) * levels];
        for e in &self.edges {
            for pair in e.chain.windows(2) {
                let (p, q) = (&self.items[pair[0]], &self.items[pair[1]]);
                let (lo, hi) = (p.lane.min(q.lane), p.lane.max(q.lane));
                let c = p.rank + 1;
                for g in lo + 1..=hi {
                    cross[(c + 1) * levels + g] += 1;
                }
            }
        }
        for c in 1..=channels {
            for g in 0..levels {
                cross[c * levels + g] += cross[(c - 1) * levels + g];
            }
        }
        // Lanes strictly between lane `l` and boundary `g`.
        let passed = |l: usize, g: usize| if g <= l { l - g } else { g - l - 1 };
        let mut placed: Vec<Vec<(usize, usize)>> = vec![Vec::new(); levels];
        for k in 0..self.edges.len() {
            if !self.edges[k].gutter {
                continue;
            }
            let (d, t) = (
                &self.items[self.edges[k].from],
                &self.items[self.edges[k].to],
            );
            let (lo, hi) = (t.rank.min(d.rank), t.rank.max(d.rank) + 1);
            let mut best = (usize::MAX, usize::MAX, 0);
            for g in 0..levels {
                // Channels lo+1..=hi-1 are crossed by the gutter line.
                let span = cross[hi * levels + g] - cross[(lo + 1) * levels + g];
                let legs = passed(d.lane, g) + passed(t.lane, g);
                let interleave = placed[g]
                    .iter()
                    .filter(|&&(a, b)| (a < lo && lo < b && b < hi) || (lo < a && a < hi && hi < b))
                    .count();
                let tie = if g == d.lane + 1 {
                    0
                } else if g == d.lane {
                    1
                } else {
                    2 + g.abs_diff(d.lane)
                };
                let cand = (span + legs + interleave, tie, g);
                if cand < best {
                    best = cand;
                }
            }
            placed[best.2].push((lo, hi));
            self.edges[k].gutter_level = best.2;
        }
    }

    /// Returns the lane a long edge travels in between its ends (exclusive ranks `r1`..`r2`).
    ///
    /// Any lane from the source's to the target's works (the edge turns in the first and/or last
    /// channel). The cost of a lane counts the edges that cross it from side to side in the
    /// channels on the way (each must cross the run), the boxes in it (the run shares their
    /// cells, and their cross-lane edges may have to cross it) and the lanes the turns pass.
    /// Ties go to the source lane (a skip edge leaves a decision straight), then the target
    /// lane, then the nearer lanes.
    fn dummy_lane(&self, traffic: &Traffic, from: usize, to: usize, r1: usize, r2: usize) -> usize {
        let (a, b) = (self.lane_of[from], self.lane_of[to]);
        let cost = |l: usize| {
            let busy = traffic.occupancy[l][r2] - traffic.occupancy[l][r1 + 1];
            // Channels strictly between the run's first and last column: r1+2 ..= r2-1.
            let through = traffic.passes[l][r2] - traffic.passes[l][(r1 + 2).min(r2)];
            // A turn passes the lanes between; boxes there next to the turn's channel have
            // edges in that channel that the turn probably crosses.
            let at =
                |lane: usize, r: usize| traffic.occupancy[lane][r + 1] - traffic.occupancy[lane][r];
            let between = |x: usize, y: usize| x.min(y) + 1..x.max(y);
            let first: usize = between(a, l).map(|m| at(m, r1) + at(m, r1 + 1)).sum();
            let last: usize = between(l, b).map(|m| at(m, r2 - 1) + at(m, r2)).sum();
            let turns = l.abs_diff(a).saturating_sub(1) + l.abs_diff(b).saturating_sub(1);
            4 * through + 2 * (busy + first + last) + turns
        };
        let mut best = (cost(a), 0usize, a);
        let (lo, hi) = (a.min(b), a.max(b));
        for l in lo..=hi {
            let tie = if l == a {
                0
            } else if l == b {
                1
            } else {
                2 + l.abs_diff(a)
            };
            let cand = (cost(l), tie, l);
            if cand < best {
                best = cand;
            }
        }
        best.2
    }

    /// Orders the items of every cell: depth-first order first, then barycenter sweeps over
    /// every edge (a back edge pulls its ends toward its gutter), keeping the order with the
    /// fewest crossings, then swaps of neighbours inside a cell while that removes crossings.
    fn order(&mut self) {
        let count = self.items.len();
        let mut up: Vec<Vec<usize>> = vec![Vec::new(); count];
        let mut down: Vec<Vec<usize>> = vec![Vec::new(); count];
        for e in &self.edges {
            for pair in e.chain.windows(2) {
                down[pair[0]].push(pair[1]);
                up[pair[1]].push(pair[0]);
            }
        }
        // Initial order: depth-first discovery from the items of rank 0, in node order.
        let mut seen = vec![false; count];
        let mut discovery: Vec<usize> = Vec::with_capacity(count);
        let mut roots: Vec<usize> = (0..count).filter(|&i| self.items[i].rank == 0).collect();
        roots.extend(0..count);
        for root in roots {
            if seen[root] {
                continue;
            }
            let mut stack = vec![root];
            while let Some(v) = stack.pop() {
                if seen[v] {
                    continue;
                }
                seen[v] = true;
                discovery.push(v);
                for &w in down[v].iter().rev() {
                    if !seen[w] {
                        stack.push(w);
                    }
                }
            }
        }
        let mut cells: Vec<Vec<Vec<usize>>> = vec![vec![Vec::new(); self.lanes]; self.ranks];
        for &i in &discovery {
            let it = &self.items[i];
            cells[it.rank][it.lane].push(i);
        }
        // Dummies may change lanes while ordering, so a lane's key range must hold a whole column.
        let big = cells
            .iter()
            .map(|r| r.iter().map(Vec::len).sum::<usize>())
            .max()
            .unwrap_or(0)
            + 1;
        // A back edge leaves its source into the next channel and enters its target from the
        // previous one, both at its gutter: fixed keys just past the last slot of the lane
        // above the boundary (boundary g has key g·big − ½).
        #[allow(clippy::cast_precision_loss)]
        let gutter_key = |g: usize| (g * big) as f64 - 0.5;
        let mut up_fixed: Vec<Vec<f64>> = vec![Vec::new(); count];
        let mut down_fixed: Vec<Vec<f64>> = vec![Vec::new(); count];
        for e in self.edges.iter().filter(|e| e.gutter) {
            down_fixed[e.from].push(gutter_key(e.gutter_level));
            up_fixed[e.to].push(gutter_key(e.gutter_level));
        }
        let mut pos = vec![0usize; count];
        index_cells(&cells, &mut pos);
        let mut graph = OrderGraph {
            lane: self.items.iter().map(|it| it.lane).collect(),
            boxed: self.items.iter().map(|it| it.node.is_some()).collect(),
            rank: self.items.iter().map(|it| it.rank).collect(),
            lanes: self.lanes,
            up: &up,
            down: &down,
            up_fixed: &up_fixed,
            down_fixed: &down_fixed,
            big,
        };
        let mut best = cells.clone();
        let mut best_cross = graph.crossings(&cells, &pos);
        // Rounds stop at no crossings, or when four rounds in a row (two down and two up)
        // found nothing better.
        let mut stale = 0;
        for round in 0..12 {
            if best_cross == 0 || stale == 4 {
                break;
            }
            let downward = round % 2 == 0;
            let order: Vec<usize> = if downward {
                (1..self.ranks).collect()
            } else {
                (0..self.ranks.saturating_sub(1)).rev().collect()
            };
            for r in order {
                // Boxes stay in their lane; a dummy (a long edge passing) goes to the lane its
                // neighbours' barycenter falls in, so that it runs where it crosses least,
                // outside the lanes of its ends if need be.
                let mut keyed: Vec<(usize, f64, f64, usize)> = Vec::new();
                for &i in cells[r].iter().flatten() {
                    let old = graph.key(&pos, i);
                    let b = graph.barycenter(&pos, i, downward).unwrap_or(old);
                    let lane = if self.items[i].node.is_some() {
                        graph.lane[i]
                    } else {
                        graph.lane_at(b, graph.lane[i])
                    };
                    keyed.push((lane, b, old, i));
                }
                keyed.sort_by(|a, b| {
                    a.0.cmp(&b.0)
                        .then(a.1.total_cmp(&b.1))
                        .then(a.2.total_cmp(&b.2))
                });
                for cell in &mut cells[r] {
                    cell.clear();
                }
                for &(lane, _, _, i) in &keyed {
                    graph.lane[i] = lane;
                    pos[i] = cells[r][lane].len();
                    cells[r][lane].push(i);
                }
            }
            graph.transpose(&mut cells, &mut pos);
            graph.sift(&mut cells, &mut pos);
            graph.transpose(&mut cells, &mut pos);
            let c = graph.crossings(&cells, &pos);
            if c < best_cross {
                best_cross = c;
                best.clone_from(&cells);
                stale = 0;
            } else {
                stale += 1;
            }
        }
        for col in &best {
            for (lane, cell) in col.iter().enumerate() {
                for &i in cell {
                    graph.lane[i] = lane;
                }
            }
        }
        index_cells(&best, &mut pos);
        let chains: Vec<&[usize]> = self.edges.iter().map(|e| e.chain.as_slice()).collect();
        graph.straighten(&mut best, &mut pos, &chains);
        for col in &best {
            for (lane, cell) in col.iter().enumerate() {
                for &i in cell {
                    self.items[i].lane = lane;
                }
            }
        }
        self.cells = best;
        self.up = up;
        self.down = down;
    }

    /// Returns the cross size of item `i`'s slot: a lane's box slot, or a dummy's thin one.
    fn item_slot(&self, slot: &[f64], i: usize) -> f64 {
        let it = &self.items[i];
        if it.node.is_some() {
            slot[it.lane]
        } else {
            DUMMY_SLOT
        }
    }

    /// Returns each item's centre along the cross axis, relative to an arbitrary origin per
    /// lane: items keep their cell order and spacing, and otherwise line up with their
    /// neighbours in the same lane so that runs of the flow inside a lane are straight.
    ///
    /// Each cell is a weighted least-squares fit to the wanted positions under the order and
    /// spacing constraints (pool-adjacent-violators), first toward predecessors, column by
    /// column, then back toward successors for items that had no predecessor in their lane.
    fn cross_offsets(&self, slot: &[f64]) -> Vec<f64> {
        let mut center = vec![0.0f64; self.items.len()];
        for col in &self.cells {
            for cell in col {
                let mut off = 0.0;
                for &i in cell {
                    let s = self.item_slot(slot, i);
                    center[i] = off + s / 2.0;
                    off += s;
                }
            }
        }
        let same_lane = |i: usize, nbs: &[usize]| -> Vec<usize> {
            nbs.iter()
                .copied()
                .filter(|&j| self.items[j].lane == self.items[i].lane)
                .collect()
        };
        let mut desired = Vec::new();
        let mut weight = Vec::new();
        let mut sep = Vec::new();
        for forward in [true, false] {
            let ranks: Vec<usize> = if forward {
                (0..self.ranks).collect()
            } else {
                (0..self.ranks).rev().collect()
            };
            for r in ranks {
                for cell in &self.cells[r] {
                    if cell.is_empty() {
                        continue;
                    }
                    desired.clear();
                    weight.clear();
                    sep.clear();
                    for (k, &i) in cell.iter().enumerate() {
                        let preds = same_lane(i, &self.up[i]);
                        let succs = same_lane(i, &self.down[i]);
                        let node = self.items[i].node.is_some();
                        let (d, w) = match (forward, preds.is_empty(), succs.is_empty()) {
                            (true, false, _) => {
                                (mean(&preds, &center), if node { 4.0 } else { 2.0 })
                            }
                            (false, false, _) => (center[i], if node { 4.0 } else { 2.0 }),
                            (false, true, false) => (mean(&succs, &center), 1.0),
                            _ => (center[i], 0.01),
                        };
                        desired.push(d);
                        weight.push(w);
                        if k > 0 {
                            sep.push(
                                (self.item_slot(slot, cell[k - 1]) + self.item_slot(slot, i)) / 2.0,
                            );
                        }
                    }
                    for (k, c) in pav(&desired, &weight, &sep).into_iter().enumerate() {
                        center[cell[k]] = c;
                    }
                }
            }
        }
        center
    }

    /// Places items along the cross axis and returns the lanes' geometry.
    fn place_cross(&mut self) -> LaneGeo {
        let lanes = self.lanes;
        let mut slot = vec![0.0f64; lanes];
        for it in self.items.iter().filter(|it| it.node.is_some()) {
            slot[it.lane] = slot[it.lane].max(it.cross + NODE_GAP);
        }
        // Gutter tracks of back edges, per lane and side (0 above the boxes, 1 below): a
        // boundary g > 0 is the bottom of lane g-1, boundary 0 the top of lane 0. Shorter spans
        // get the tracks nearer the boxes, so nested send-backs do not cross.
        let mut gutter: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); 2 * lanes];
        let mut back: Vec<(usize, usize, usize, usize)> = Vec::new();
        for (k, e) in self.edges.iter().enumerate() {
            if e.gutter {
                let (ru, rv) = (self.items[e.from].rank, self.items[e.to].rank);
                let slot = if e.gutter_level == 0 {
                    0
                } else {
                    2 * (e.gutter_level - 1).min(lanes - 1) + 1
                };
                back.push((ru.saturating_sub(rv), rv.min(ru), k, slot));
            }
        }
        back.sort_unstable();
        let mut track_of = vec![0usize; self.edges.len()];
        for &(_, _, k, slot) in &back {
            let (ru, rv) = (
                self.items[self.edges[k].from].rank,
                self.items[self.edges[k].to].rank,
            );
            let (lo, hi) = (rv.min(ru), rv.max(ru) + 1);
            let tracks = &mut gutter[slot];
            let t = (0..)
                .find(|&t| {
                    !tracks
                        .iter()
                        .any(|&(tt, a, b)| tt == t && a <= hi && lo <= b)
                })
                .unwrap_or(0);
            tracks.push((t, lo, hi));
            track_of[k] = t;
        }
        #[allow(clippy::cast_precision_loss)]
        let gutter_size = |slot: usize| {
            let t = gutter[slot].iter().map(|x| x.0 + 1).max().unwrap_or(0);
            if t == 0 {
                0.0
            } else {
                t as f64 * GUTTER_PLAIN + 2.0
            }
        };
        // Header sizes.
        let header_lines: Vec<Vec<String>> = (0..lanes)
            .map(|l| {
                let name = self.lane_actor(l).map_or("", |a| a.name.as_str());
                // A Latin word longer than the usual width ("Veterinarian") gets the whole
                // header rather than being cut; a vertical header is as wide as its band anyway.
                let longest = name
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .map(|w| text_width(w, FONT) * 1.08)
                    .fold(0.0, f64::max);
                wrap(
                    name,
                    HEADER_WRAP.max(longest.min(HEADER_WRAP + PAD_X)),
                    FONT,
                    4,
                )
            })
            .collect();
        let header_text = |lines: &[String]| {
            let w = lines
                .iter()
                .map(|l| text_width(l, FONT))
                .fold(0.0, f64::max);
            #[allow(clippy::cast_precision_loss)]
            let h = lines.len() as f64 * LINE_H;
            (w, h)
        };
        let (header_main, min_band) = match self.dir {
            Direction::Horizontal => (HEADER_WRAP + 2.0 * PAD_X + 10.0, None),
            Direction::Vertical => {
                let hm = header_lines
                    .iter()
                    .map(|l| header_text(l).1)
                    .fold(0.0, f64::max)
                    + SMALL_LINE_H
                    + 2.0 * PAD_Y;
                (hm, Some(()))
            }
        };
        let mut band_start = vec![0.0; lanes];
        let mut band_size = vec![0.0; lanes];
        let centers = self.cross_offsets(&slot);
        let mut cursor = MARGIN;
        for lane in 0..lanes {
            band_start[lane] = cursor;
            let top = gutter_size(2 * lane);
            let content_start = cursor + LANE_PAD + top;
            let mut first = f64::INFINITY;
            let mut last = f64::NEG_INFINITY;
            for cell in self.cells.iter().map(|col| &col[lane]) {
                for &i in cell {
                    let half = self.item_slot(&slot, i) / 2.0;
                    first = first.min(centers[i] - half);
                    last = last.max(centers[i] + half);
                }
            }
            let (first, content) = if first.is_finite() {
                (first, last - first)
            } else {
                (0.0, 0.0)
            };
            for cell in self.cells.iter().map(|col| &col[lane]) {
                for &i in cell {
                    self.items[i].center = content_start + centers[i] - first;
                }
            }
            let bottom_start = content_start + content;
            #[allow(clippy::cast_precision_loss)]
            for &(_, _, k, slot) in &back {
                let t = track_of[k] as f64;
                if slot == 2 * lane {
                    self.edges[k].gutter_line = content_start - 6.0 - t * GUTTER_PLAIN;
                } else if slot == 2 * lane + 1 {
                    self.edges[k].gutter_line = bottom_start + 6.0 + t * GUTTER_PLAIN;
                }
            }
            let g = bottom_start + gutter_size(2 * lane + 1);
            let (tw, th) = header_text(&header_lines[lane]);
            // The kind・department line under the name: wrapped to two lines when it does not
            // fit a horizontal header (as the SVG writer does), widening a vertical one.
            let kind_texts: Vec<String> = self.lane_actor(lane).map_or_else(Vec::new, |a| {
                [Lang::Ja, Lang::En]
                    .into_iter()
                    .map(|l| crate::svg::kind_line(a.kind, a.department.as_deref(), l))
                    .collect()
            });
            let kind_w = kind_texts
                .iter()
                .map(|t| text_width(t, SMALL_FONT))
                .fold(0.0, f64::max);
            #[allow(clippy::cast_precision_loss)] // at most KIND_LINES
            let kind_lines = kind_texts
                .iter()
                .map(|t| kind_wrap(t, header_main).len())
                .max()
                .unwrap_or(1) as f64;
            let min = match min_band {
                None => th + kind_lines * SMALL_LINE_H + 2.0 * PAD_Y,
                Some(()) => tw.max(kind_w) + 2.0 * PAD_X,
            };
            let size = (g + LANE_PAD - cursor).max(min).max(40.0);
            band_size[lane] = size;
            cursor += size;
        }
        LaneGeo {
            band_start,
            band_size,
            header_main,
            header_lines,
            cross_total: cursor + MARGIN,
        }
    }

    /// Distributes the ports of rectangular boxes along their entry and exit sides.
    fn ports(&mut self) {
        let n = self.n;
        let mut outs: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
        let mut ins: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
        for (k, e) in self.edges.iter().enumerate() {
            if e.gutter {
                outs[e.from].push((e.gutter_line, k));
                ins[e.to].push((e.gutter_line, k));
            } else if e.chain.len() >= 2 {
                let (first, last) = (e.chain[0], e.chain[e.chain.len() - 1]);
                let next = e.chain[1];
                let prev = e.chain[e.chain.len() - 2];
                outs[first].push((self.items[next].center, k));
                ins[last].push((self.items[prev].center, k));
            }
        }
        for v in 0..n {
            let center = self.items[v].center;
            let size = self.items[v].cross;
            let spread = matches!(
                self.preps[v].shape,
                Shape::Task | Shape::Wait | Shape::Subprocess | Shape::Event
            );
            for (list, is_out) in [(&mut outs[v], true), (&mut ins[v], false)] {
                list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                #[allow(clippy::cast_precision_loss)]
                let count = list.len() as f64;
                for (idx, &(_, k)) in list.iter().enumerate() {
                    #[allow(clippy::cast_precision_loss)]
                    let port = if spread && list.len() > 1 {
                        // Stay clear of the rounded corners.
                        let usable = size - 12.0;
                        center - usable / 2.0 + usable * (idx as f64 + 1.0) / (count + 1.0)
                    } else {
                        center
                    };
                    if is_out {
                        self.edges[k].out_port = port;
                    } else {
                        self.edges[k].in_port = port;
                    }
                }
            }
        }
    }

    /// Collects the vertical runs of every channel, assigns tracks and sizes the channels.
    fn route_channels(&mut self, lane: &LaneGeo) -> MainGeo {
        let ranks = self.ranks;
        self.channels = (0..=ranks).map(|_| Vec::new()).collect();
        let mut label_zone = vec![0.0f64; ranks + 1];
        let mut label_zone_end = vec![0.0f64; ranks + 1];
        let mut runs: Vec<(usize, f64, f64, usize)> = Vec::new(); // (channel, lo, hi, edge)
        for (k, e) in self.edges.iter().enumerate() {
            if e.gutter {
                let ru = self.items[e.from].rank;
                let rv = self.items[e.to].rank;
                runs.push((ru + 1, e.out_port, e.gutter_line, k));
                runs.push((rv, e.gutter_line, e.in_port, k));
            } else {
                let last = e.chain.len().saturating_sub(1);
                for (j, pair) in e.chain.windows(2).enumerate() {
                    let y1 = if j == 0 {
                        e.out_port
                    } else {
                        self.items[pair[0]].center
                    };
                    let y2 = if j + 1 == last {
                        e.in_port
                    } else {
                        self.items[pair[1]].center
                    };
                    let ch = self.items[pair[0]].rank + 1;
                    if (y1 - y2).abs() > EPS {
                        runs.push((ch, y1, y2, k));
                    }
                }
            }
            if let Some((_, w, h)) = &e.label {
                let m = match self.dir {
                    Direction::Horizontal => *w,
                    Direction::Vertical => *h,
                } + LABEL_GAP
                    + 2.0;
                // Next to the source: after it, or before it for a reversed back edge.
                let r = self.items[e.from].rank;
                if e.back && !e.gutter {
                    label_zone_end[r] = label_zone_end[r].max(m);
                } else {
                    label_zone[r + 1] = label_zone[r + 1].max(m);
                }
            }
        }
        // Each run gets its own track; tracks are ordered so that runs cross each other as
        // little as possible: insertion at the cheapest position, in (channel, lo, hi, edge)
        // order. A run enters the channel from the left at y1 and leaves to the right at y2.
        runs.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.min(a.2).total_cmp(&b.1.min(b.2)))
                .then(a.1.max(a.2).total_cmp(&b.1.max(b.2)))
                .then(a.3.cmp(&b.3))
        });
        let inside = |y: f64, a: f64, b: f64| y > a.min(b) + EPS && y < a.max(b) - EPS;
        // Crossings when run `p` gets a track left of run `q`.
        let cost = |p: &(usize, f64, f64, usize), q: &(usize, f64, f64, usize)| {
            usize::from(inside(p.2, q.1, q.2)) + usize::from(inside(q.1, p.1, p.2))
        };
        let mut track_end: Vec<Vec<f64>> = vec![Vec::new(); ranks + 1];
        let mut start = 0;
        while start < runs.len() {
            let ch = runs[start].0;
            let end = runs[start..]
                .iter()
                .position(|r| r.0 != ch)
                .map_or(runs.len(), |p| start + p);
            // Returns the position in `order` where run `i` crosses least (ties: `keep`, else
            // the first).
            let cheapest = |order: &[usize], i: usize, keep: usize| {
                let mut best = (usize::MAX, 0);
                for pos in 0..=order.len() {
                    let c: usize = order[..pos]
                        .iter()
                        .map(|&j| cost(&runs[j], &runs[i]))
                        .sum::<usize>()
                        + order[pos..]
                            .iter()
                            .map(|&j| cost(&runs[i], &runs[j]))
                            .sum::<usize>();
                    if c < best.0 || (c == best.0 && pos == keep) {
                        best = (c, pos);
                    }
                }
                best.1
            };
            let mut order: Vec<usize> = Vec::new();
            for i in start..end {
                let at = cheapest(&order, i, usize::MAX);
                order.insert(at, i);
            }
            // Then each run in turn moves to its cheapest position while that removes
            // crossings: insertion alone misses orders that a later run makes better.
            let total = |order: &[usize]| -> usize {
                let mut c = 0;
                for (a, &p) in order.iter().enumerate() {
                    for &q in &order[a + 1..] {
                        c += cost(&runs[p], &runs[q]);
                    }
                }
                c
            };
            if order.len() > 2 {
                let mut current = total(&order);
                for _ in 0..4 {
                    if current == 0 {
                        break;
                    }
                    let mut improved = false;
                    for k in 0..order.len() {
                        let i = order.remove(k);
                        let at = cheapest(&order, i, k);
                        order.insert(at, i);
                        let now = total(&order);
                        if now < current {
                            current = now;
                            improved = true;
                        }
                    }
                    if !improved {
                        break;
                    }
                }
            }
            let mut track_of_run = vec![0; end - start];
            for (t, &i) in order.iter().enumerate() {
                track_of_run[i - start] = t;
            }
            for i in start..end {
                let (_, _, _, k) = runs[i];
                self.channels[ch].push(Seg {
                    track: track_of_run[i - start],
                });
                let id = self.channels[ch].len() - 1;
                self.edges[k].tracks.push((ch, id));
            }
            track_end[ch] = vec![0.0; end - start];
            start = end;
        }
        // Main-axis geometry.
        let mut col_size = vec![0.0f64; ranks];
        for it in &self.items {
            if it.node.is_some() {
                col_size[it.rank] = col_size[it.rank].max(it.main);
            }
        }
        let mut ch_start = vec![0.0; ranks + 1];
        let mut ch_tracks = vec![0usize; ranks + 1];
        let mut col_start = vec![0.0; ranks];
        let mut m = MARGIN + lane.header_main;
        for c in 0..=ranks {
            ch_start[c] = m;
            ch_tracks[c] = track_end[c].len();
            #[allow(clippy::cast_precision_loss)]
            let w = (2.0 * CH_PAD
                + ch_tracks[c] as f64 * TRACK_GAP
                + label_zone[c]
                + label_zone_end[c])
                .max(CH_MIN);
            m += w;
            if c < ranks {
                col_start[c] = m;
                m += col_size[c].max(CIRCLE);
            }
        }
        MainGeo {
            ch_start,
            label_zone,
            col_start,
            col_size,
            main_total: m + MARGIN,
        }
    }

    fn track_main(&self, geo: &MainGeo, ch: usize, seg: usize) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let t = self.channels[ch][seg].track as f64;
        geo.ch_start[ch] + CH_PAD + geo.label_zone[ch] + t * TRACK_GAP + TRACK_GAP / 2.0
    }

    /// Places edge labels in the label zone at the start of their source's channel: each as
    /// near its wanted cross position as possible without two labels overlapping (a
    /// least-squares fit under spacing constraints). The zone holds no box, so no label can
    /// cover one; channels do not overlap, so labels of different channels cannot either.
    fn place_labels(
        &self,
        lane: &LaneGeo,
        mut pending: Vec<PendingLabel>,
        edges: &mut [SceneEdge],
    ) {
        // By zone, then source port; labels of one port: those above it (turning to lower
        // cross coordinates) first, each side in the order the edges turn, so that the labels
        // read in the same order as the branches they name.
        pending.sort_by(|a, b| {
            a.zone
                .cmp(&b.zone)
                .then(a.port.total_cmp(&b.port))
                .then((a.cross > a.port).cmp(&(b.cross > b.port)))
                .then(a.turn.total_cmp(&b.turn))
                .then(a.edge.cmp(&b.edge))
        });
        let lo = lane.band_start.first().copied().unwrap_or(MARGIN);
        let hi = lane.cross_total - MARGIN;
        let mut start = 0;
        while start < pending.len() {
            let zone = pending[start].zone;
            let end = pending[start..]
                .iter()
                .position(|p| p.zone != zone)
                .map_or(pending.len(), |p| start + p);
            let group = &pending[start..end];
            let desired: Vec<f64> = group.iter().map(|p| p.cross).collect();
            let weight = vec![1.0; group.len()];
            let sep: Vec<f64> = group.windows(2).map(|w| w[0].cross_size + 2.0).collect();
            let mut placed = pav(&desired, &weight, &sep);
            // Keep the stack inside the lanes: shift it as a whole (order and gaps stay).
            if let (Some(&first), Some(&last), Some(l)) =
                (placed.first(), placed.last(), group.last())
            {
                let over = last + l.cross_size - hi;
                let shift = if over > 0.0 { -over } else { 0.0 };
                let shift = if first + shift < lo {
                    lo - first
                } else {
                    shift
                };
                for p in &mut placed {
                    *p += shift;
                }
            }
            for (p, cross) in group.iter().zip(placed) {
                if let Some(edge) = edges.get_mut(p.edge) {
                    edge.label = Some(EdgeLabel {
                        lines: p.lines.clone(),
                        rect: self.rect(p.main, cross, p.main_size, p.cross_size),
                    });
                }
            }
            start = end;
        }
    }

    #[allow(clippy::too_many_lines)] // one pass that assembles the scene; splitting hides the flow
    fn build(mut self, lane: &LaneGeo, geo: &MainGeo, with_legend: bool) -> Scene {
        let model = self.model;
        // A file with neither steps nor actors has nothing to put in a lane: the scene is the
        // title and the "no steps" note (not a start→end in a lane without a name).
        let blank = !self.has_steps && self.lane_actor.is_empty();
        let (content_w, content_h) = match (blank, self.dir) {
            (true, _) => (0.0, 0.0),
            (false, Direction::Horizontal) => (geo.main_total, lane.cross_total),
            (false, Direction::Vertical) => (lane.cross_total, geo.main_total),
        };
        let title = model.process.name.clone();
        let subtitle = format!("{} ({})", model.process.id, model.process.variant.as_str());
        // The scene grows to show the title on one line, up to a limit; a longer title wraps.
        // Without steps it also grows to the "no steps" note, which is then all it says.
        let no_steps_line = if self.has_steps {
            0.0
        } else {
            let note = Note {
                kind: NoteKind::NoSteps,
                actors: Vec::new(),
                names: Vec::new(),
                rect: Rect::default(),
            };
            [Lang::Ja, Lang::En]
                .into_iter()
                .map(|l| text_width(&note.text(l), FONT))
                .fold(0.0, f64::max)
                + 2.0 * (MARGIN + NOTE_INSET)
                + 1.0
        };
        let width = content_w.max(MIN_WIDTH).max(
            title_one_line(&title, &subtitle)
                .max(no_steps_line)
                .min(TITLE_MAX_W),
        );
        // Rounded as the scene stores it: the SVG writer wraps the title for the stored width
        // and must come to the same lines as the layout did.
        let width = round1(width);
        self.title_h = title_height(&title, &subtitle, width);
        let center_main = |i: usize| {
            let it = &self.items[i];
            geo.col_start[it.rank] + geo.col_size[it.rank].max(CIRCLE) / 2.0
        };
        // Lanes; a horizontal band runs the scene's whole width (wider than the flow when the
        // title or the note needs it), rather than stopping short of the title's end.
        let band_main = match self.dir {
            Direction::Horizontal => width,
            Direction::Vertical => geo.main_total,
        } - 2.0 * MARGIN;
        let lanes: Vec<Lane> = (0..self.lanes)
            .filter(|_| !blank)
            .map(|l| {
                let actor = self.lane_actor(l);
                Lane {
                    actor: self.lane_actor.get(l).copied().unwrap_or(0),
                    name: actor.map_or_else(String::new, |a| a.name.clone()),
                    kind: actor.map_or(ActorKind::Staff, |a| a.kind),
                    department: actor.and_then(|a| a.department.clone()),
                    band: self.rect(MARGIN, lane.band_start[l], band_main, lane.band_size[l]),
                    header: self.rect(
                        MARGIN,
                        lane.band_start[l],
                        lane.header_main,
                        lane.band_size[l],
                    ),
                    header_lines: lane.header_lines[l].clone(),
                }
            })
            .collect();
        // Boxes, in flow node order.
        let mut boxes = Vec::with_capacity(self.n);
        for (i, p) in self.preps.iter().enumerate().filter(|_| !blank) {
            let it = &self.items[i];
            if p.shape == Shape::End && !p.lines.is_empty() {
                boxes.push(self.end_box(i, center_main(i)));
                continue;
            }
            let rect = self.rect(
                center_main(i) - it.main / 2.0,
                it.center - it.cross / 2.0,
                it.main,
                it.cross,
            );
            let badge_row = !p.markers.is_empty();
            let inner_top = rect.y
                + (rect.h - p.text_h - p.foot - if badge_row { BADGE_H + 4.0 } else { 0.0 }) / 2.0;
            let mut markers = Vec::new();
            let row_w: f64 = p.markers.iter().map(|(_, w)| w + BADGE_GAP).sum::<f64>() - BADGE_GAP;
            let mut bx = rect.x + (rect.w - row_w) / 2.0;
            for (kind, w) in &p.markers {
                markers.push(Marker {
                    kind: *kind,
                    rect: round_rect(Rect {
                        x: bx,
                        y: inner_top,
                        w: *w,
                        h: BADGE_H,
                    }),
                });
                bx += w + BADGE_GAP;
            }
            let text_top = inner_top + if badge_row { BADGE_H + 4.0 } else { 0.0 };
            let text_area = round_rect(Rect {
                x: rect.x + (rect.w - p.text_w) / 2.0,
                y: text_top,
                w: p.text_w,
                h: p.text_h,
            });
            boxes.push(SceneBox {
                node: i,
                kind: p.kind,
                shape: p.shape,
                step_kind: p.step_kind,
                rect,
                lane: it.lane,
                step_key: p.step_key.clone(),
                actor: p.actor,
                label: p.label.clone(),
                lines: p.lines.clone(),
                text_area,
                markers,
                details: p.details.clone(),
            });
        }
        // Edges.
        let mut edges = Vec::with_capacity(self.edges.len());
        let mut pending_labels = Vec::new();
        for e in self.edges.iter().filter(|_| !blank) {
            let me = &model.flow.edges[e.model_edge];
            // Left and right ends: a back edge's chain runs from its target to its source.
            let (left, right) = match (e.chain.first(), e.chain.last()) {
                (Some(&a), Some(&b)) => (a, b),
                _ => (e.from, e.to),
            };
            let from = &self.items[left];
            let to = &self.items[right];
            let exit_main = center_main(left) + self.drawn_main(left) / 2.0;
            let entry_main = center_main(right) - self.drawn_main(right) / 2.0;
            let mut pts: Vec<(f64, f64)> = vec![(exit_main, e.out_port)];
            let label = None;
            let first_turn = if e.gutter {
                // Tracks are recorded in channel order: the entry channel (left of the
                // target) comes before the exit channel (right of the source).
                let exit_ch = from.rank + 1;
                let track = |ch: usize| {
                    e.tracks
                        .iter()
                        .find(|t| t.0 == ch)
                        .map_or(geo.ch_start[ch] + CH_PAD, |&(c, s)| {
                            self.track_main(geo, c, s)
                        })
                };
                let t1 = track(exit_ch);
                let t2 = track(to.rank);
                pts.push((t1, e.out_port));
                pts.push((t1, e.gutter_line));
                pts.push((t2, e.gutter_line));
                pts.push((t2, e.in_port));
                pts.push((entry_main, e.in_port));
                e.gutter_line
            } else {
                let last = e.chain.len().saturating_sub(1);
                let mut tracks = e.tracks.iter();
                for (j, pair) in e.chain.windows(2).enumerate() {
                    let y1 = if j == 0 {
                        e.out_port
                    } else {
                        self.items[pair[0]].center
                    };
                    let y2 = if j + 1 == last {
                        e.in_port
                    } else {
                        self.items[pair[1]].center
                    };
                    if (y1 - y2).abs() > EPS
                        && let Some(&(ch, seg)) = tracks.next()
                    {
                        let t = self.track_main(geo, ch, seg);
                        pts.push((t, y1));
                        pts.push((t, y2));
                    }
                }
                pts.push((entry_main, e.in_port));
                match e.chain.get(1) {
                    Some(&next) if e.chain.len() > 2 => self.items[next].center,
                    _ => e.in_port,
                }
            };
            if let Some((lines, w, h)) = &e.label {
                // Next to the decision, on the side the edge turns to, so that two branches
                // of one decision have their labels on either side of the shared exit.
                let (ms, cs) = self.mc(*w, *h);
                let reversed = e.back && !e.gutter;
                let (port, turn) = if reversed {
                    let before = e.chain.len().saturating_sub(2);
                    let turn = match e.chain.get(before) {
                        Some(&p) if e.chain.len() > 2 => self.items[p].center,
                        _ => e.out_port,
                    };
                    (e.in_port, turn)
                } else {
                    (e.out_port, first_turn)
                };
                let cross = if turn > port + EPS {
                    port + 3.0
                } else {
                    port - cs - 3.0
                };
                let (zone, main) = if reversed {
                    (2 * to.rank, geo.col_start[to.rank] - LABEL_GAP - ms)
                } else {
                    (
                        2 * (from.rank + 1) + 1,
                        geo.ch_start[from.rank + 1] + LABEL_GAP,
                    )
                };
                pending_labels.push(PendingLabel {
                    zone,
                    port,
                    turn,
                    cross,
                    main,
                    main_size: ms,
                    cross_size: cs,
                    edge: edges.len(),
                    lines: lines.clone(),
                });
            }
            if e.back && !e.gutter {
                pts.reverse();
            }
            let points = simplify(pts.into_iter().map(|(m, c)| self.point(m, c)).collect());
            edges.push(SceneEdge {
                edge: e.model_edge,
                from: e.from,
                to: e.to,
                kind: me.kind,
                back: e.back,
                probability: me.probability,
                points,
                label,
            });
        }
        self.place_labels(lane, pending_labels, &mut edges);
        let mut height = self.title_h + content_h;
        let notes = self.notes(width, &mut height);
        let legend = with_legend.then(|| legend(&boxes, &edges, width, height));
        if let Some(l) = &legend {
            height = l.rect.bottom() + MARGIN;
        } else if !notes.is_empty() {
            height += MARGIN;
        }
        Scene {
            direction: self.dir,
            title,
            subtitle,
            width: round1(width),
            height: round1(height),
            font_size: FONT,
            line_height: LINE_H,
            lanes,
            boxes,
            edges,
            legend,
            notes,
        }
    }

    /// Returns the size along the main axis of what is drawn for item `i`: an end's circle is
    /// smaller than its item, which also holds the end's label.
    fn drawn_main(&self, i: usize) -> f64 {
        match self.preps.get(i) {
            Some(p) if p.shape == Shape::End => CIRCLE,
            _ => self.items[i].main,
        }
    }

    /// Returns the box of end node `i`: the circle in the middle of its item, the label's
    /// lines under it (inside the item, so that nothing else is placed over them).
    fn end_box(&self, i: usize, center_main: f64) -> SceneBox {
        let p = &self.preps[i];
        let it = &self.items[i];
        let rect = self.rect(
            center_main - CIRCLE / 2.0,
            it.center - CIRCLE / 2.0,
            CIRCLE,
            CIRCLE,
        );
        let text_area = round_rect(Rect {
            x: rect.center().x - p.text_w / 2.0,
            y: rect.bottom() + END_LABEL_GAP,
            w: p.text_w,
            h: p.text_h,
        });
        SceneBox {
            node: i,
            kind: p.kind,
            shape: p.shape,
            step_kind: None,
            rect,
            lane: it.lane,
            step_key: None,
            actor: None,
            label: p.label.clone(),
            lines: p.lines.clone(),
            text_area,
            markers: Vec::new(),
            details: Vec::new(),
        }
    }

    /// Returns the notes under the lanes, from `top` (moved to below the last note): that the
    /// flow has no steps, and which actors have no lane because they have no step.
    fn notes(&self, width: f64, top: &mut f64) -> Vec<Note> {
        let mut notes = Vec::new();
        if !self.has_steps {
            notes.push(Note {
                kind: NoteKind::NoSteps,
                actors: Vec::new(),
                names: Vec::new(),
                rect: Rect::default(),
            });
        }
        let stepless: Vec<usize> = self
            .actor_lane
            .iter()
            .enumerate()
            .filter(|(_, l)| l.is_none())
            .map(|(a, _)| a)
            .collect();
        if !stepless.is_empty() {
            notes.push(Note {
                kind: NoteKind::ActorsWithoutSteps,
                names: stepless
                    .iter()
                    .filter_map(|&a| self.model.actors.get(a).map(|x| x.name.clone()))
                    .collect(),
                actors: stepless,
                rect: Rect::default(),
            });
        }
        // Rounded as the scene stores it, so that the SVG wraps to the lines sized here.
        let w = round1((width - 2.0 * MARGIN - 2.0 * NOTE_INSET).max(FONT));
        for note in &mut notes {
            let lines = [Lang::Ja, Lang::En]
                .into_iter()
                .map(|l| note_lines(&note.text(l), w).len())
                .max()
                .unwrap_or(1);
            #[allow(clippy::cast_precision_loss)] // at most NOTE_LINES
            let h = lines as f64 * LINE_H;
            note.rect = round_rect(Rect {
                x: MARGIN + NOTE_INSET,
                y: *top + NOTE_GAP,
                w,
                h,
            });
            *top = note.rect.bottom();
        }
        notes
    }
}

/// Returns the width a title and subtitle need on one line, margins included.
fn title_one_line(title: &str, subtitle: &str) -> f64 {
    title_text_width(title) + SUBTITLE_GAP + text_width(subtitle, SUBTITLE_FONT) + 2.0 * MARGIN
}

/// Returns the width of `title` in the bold title font (bold Latin runs a little wider).
fn title_text_width(title: &str) -> f64 {
    text_width(title, TITLE_FONT) * 1.08
}

/// Returns the title wrapped for a scene `width` wide, and whether the subtitle goes on a line
/// of its own (when it does not fit after the title's last line); the layout sizes the title
/// block with it and the SVG writer draws it, so both agree.
pub(crate) fn title_lines(title: &str, subtitle: &str, width: f64) -> (Vec<String>, bool) {
    let room = width - 2.0 * MARGIN;
    // The tenth of slack covers a width that was rounded down to tenths.
    if title_one_line(title, subtitle) <= width + 0.1 {
        return (vec![title.to_owned()], false);
    }
    let lines = wrap(title, room / 1.08, TITLE_FONT, TITLE_LINES);
    let last = lines.last().map_or(0.0, |l| title_text_width(l));
    let own = last + SUBTITLE_GAP + text_width(subtitle, SUBTITLE_FONT) > room + EPS;
    (lines, own)
}

/// Returns the height of the title block for a scene `width` wide.
fn title_height(title: &str, subtitle: &str, width: f64) -> f64 {
    let (lines, own) = title_lines(title, subtitle, width);
    #[allow(clippy::cast_precision_loss)] // at most TITLE_LINES
    let extra = lines.len().saturating_sub(1) as f64 * TITLE_LINE_H;
    TITLE_H + extra + if own { SUBTITLE_LINE_H } else { 0.0 }
}

/// Returns a note's text wrapped to `width`, as the layout sizes it and the SVG draws it.
pub(crate) fn note_lines(text: &str, width: f64) -> Vec<String> {
    wrap(text, width, FONT, NOTE_LINES)
}

/// The ordering problem: items, their links to the neighbouring columns, and the fixed keys
/// of back-edge gutters. An item's key is `lane · big + position in its cell`.
struct OrderGraph<'g> {
    /// Each item's lane (a dummy's changes while ordering).
    lane: Vec<usize>,
    /// Whether the item is a box (which never leaves its lane) rather than a dummy.
    boxed: Vec<bool>,
    /// Each item's column.
    rank: Vec<usize>,
    /// The number of lanes.
    lanes: usize,
    up: &'g [Vec<usize>],
    down: &'g [Vec<usize>],
    up_fixed: &'g [Vec<f64>],
    down_fixed: &'g [Vec<f64>],
    big: usize,
}

impl OrderGraph<'_> {
    #[allow(clippy::cast_precision_loss)] // positions are far below 2^52
    fn key(&self, pos: &[usize], i: usize) -> f64 {
        (self.lane[i] * self.big + pos[i]) as f64
    }

    /// Returns the lane whose key range holds `key`; a key in the upper half of a range (past
    /// the lane's items, between two lanes) goes to the next lane when `current` is below, so
    /// that a dummy does not leave its lane for nothing (both lanes give the same order).
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    fn lane_at(&self, key: f64, current: usize) -> usize {
        let last = self.lanes.saturating_sub(1);
        if key < 0.0 {
            return 0;
        }
        let l = ((key / self.big as f64).floor() as usize).min(last);
        // Keys just below the next lane's first item (a gutter key, or a mean of the last item
        // of lane l and the first of lane l+1) lie between the two lanes.
        if key - (l * self.big) as f64 > (self.big as f64) / 2.0 && l < last && current > l {
            return l + 1;
        }
        l
    }

    /// Returns the keys of `i`'s neighbours in the previous (`upward`) or next column.
    fn neighbour_keys(&self, pos: &[usize], i: usize, upward: bool) -> impl Iterator<Item = f64> {
        let (links, fixed) = if upward {
            (&self.up[i], &self.up_fixed[i])
        } else {
            (&self.down[i], &self.down_fixed[i])
        };
        links
            .iter()
            .map(move |&j| self.key(pos, j))
            .chain(fixed.iter().copied())
    }

    /// Returns the mean key of `i`'s neighbours on one side, or None without neighbours there.
    fn barycenter(&self, pos: &[usize], i: usize, upward: bool) -> Option<f64> {
        let (mut sum, mut n) = (0.0, 0.0);
        for k in self.neighbour_keys(pos, i, upward) {
            sum += k;
            n += 1.0;
        }
        (n > 0.0).then(|| sum / n)
    }

    /// Returns the crossings between the links of `u` and `v` (both sides) when `u` is
    /// placed before `v` in their cell.
    fn pair_cost(&self, pos: &[usize], u: usize, v: usize) -> usize {
        let mut c = 0;
        for upward in [true, false] {
            for a in self.neighbour_keys(pos, u, upward) {
                c += self
                    .neighbour_keys(pos, v, upward)
                    .filter(|&b| a > b)
                    .count();
            }
        }
        c
    }

    /// Swaps neighbours in each column while a swap removes crossings: bounded passes, each
    /// deterministic in column order. Neighbours are taken in the column's order across lanes:
    /// two boxes swap only inside their lane, but a dummy may swap with the last or first item
    /// of the next lane, moving into that lane.
    fn transpose(&mut self, cells: &mut [Vec<Vec<usize>>], pos: &mut [usize]) {
        for _ in 0..8 {
            let mut improved = false;
            for col in cells.iter_mut() {
                let mut seq: Vec<usize> = col.iter().flatten().copied().collect();
                for k in 1..seq.len() {
                    let (u, v) = (seq[k - 1], seq[k]);
                    let (lu, lv) = (self.lane[u], self.lane[v]);
                    if lu != lv && self.boxed[u] && self.boxed[v] {
                        continue;
                    }
                    if self.pair_cost(pos, v, u) >= self.pair_cost(pos, u, v) {
                        continue;
                    }
                    improved = true;
                    seq.swap(k - 1, k);
                    if lu == lv {
                        let cell = &mut col[lu];
                        cell.swap(pos[u], pos[v]);
                        pos.swap(u, v);
                        continue;
                    }
                    // u ends lane lu's cell, v starts lane lv's (the lanes between are empty).
                    if !self.boxed[u] && !self.boxed[v] {
                        col[lu][pos[u]] = v;
                        col[lv][pos[v]] = u;
                        pos.swap(u, v);
                        self.lane.swap(u, v);
                    } else if self.boxed[v] {
                        // The dummy u follows v into its lane.
                        col[lu].pop();
                        col[lv].insert(1, u);
                        self.lane[u] = lv;
                    } else {
                        // The dummy v moves before u into u's lane.
                        col[lv].remove(0);
                        let at = col[lu].len() - 1;
                        col[lu].insert(at, v);
                        self.lane[v] = lu;
                    }
                    for l in [lu, lv] {
                        for (p, &i) in col[l].iter().enumerate() {
                            pos[i] = p;
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    /// Moves each item of each column to the position in the column with the fewest
    /// crossings (sifting): a box anywhere in its lane's cell, a dummy anywhere in the column,
    /// taking the lane of its new neighbours (its own when that still fits). Exact, since the
    /// crossings of two items of one column depend only on the neighbouring columns.
    fn sift(&mut self, cells: &mut [Vec<Vec<usize>>], pos: &mut [usize]) {
        for col in cells.iter_mut() {
            let snapshot: Vec<usize> = col.iter().flatten().copied().collect();
            if snapshot.len() < 2 {
                continue;
            }
            let mut seq = snapshot.clone();
            for &x in &snapshot {
                let Some(from) = seq.iter().position(|&i| i == x) else {
                    continue;
                };
                seq.remove(from);
                // The range of positions x may take.
                let (lo, hi) = if self.boxed[x] {
                    let l = self.lane[x];
                    let lo = seq.iter().take_while(|&&i| self.lane[i] < l).count();
                    let hi = lo + seq[lo..].iter().take_while(|&&i| self.lane[i] <= l).count();
                    (lo, hi)
                } else {
                    (0, seq.len())
                };
                let mut cost: usize = seq[lo..].iter().map(|&y| self.pair_cost(pos, x, y)).sum();
                let mut cost_before: usize =
                    seq[..lo].iter().map(|&y| self.pair_cost(pos, y, x)).sum();
                let mut best = (cost + cost_before, from.abs_diff(lo), lo);
                for (q, &y) in seq.iter().enumerate().take(hi).skip(lo) {
                    cost -= self.pair_cost(pos, x, y);
                    cost_before += self.pair_cost(pos, y, x);
                    let cand = (cost + cost_before, from.abs_diff(q + 1), q + 1);
                    if cand < best {
                        best = cand;
                    }
                }
                let at = best.2;
                seq.insert(at, x);
                if !self.boxed[x] {
                    let prev = at.checked_sub(1).map_or(0, |p| self.lane[seq[p]]);
                    let next = seq
                        .get(at + 1)
                        .map_or(self.lanes.saturating_sub(1), |&i| self.lane[i]);
                    self.lane[x] = self.lane[x].clamp(prev, next.max(prev));
                }
            }
            for cell in col.iter_mut() {
                cell.clear();
            }
            for &i in &seq {
                pos[i] = col[self.lane[i]].len();
                col[self.lane[i]].push(i);
            }
        }
    }

    /// Returns the number of crossings between links of adjacent columns for this ordering,
    /// back-edge legs included.
    fn crossings(&self, cells: &[Vec<Vec<usize>>], pos: &[usize]) -> usize {
        (0..cells.len().saturating_sub(1))
            .map(|r| self.channel_crossings(cells, pos, r))
            .sum()
    }

    /// Returns the number of crossings between the links of columns `r` and `r + 1`.
    fn channel_crossings(&self, cells: &[Vec<Vec<usize>>], pos: &[usize], r: usize) -> usize {
        let mut links: Vec<(f64, f64)> = Vec::new();
        for &i in cells[r].iter().flatten() {
            for b in self.neighbour_keys(pos, i, false) {
                links.push((self.key(pos, i), b));
            }
        }
        if let Some(next) = cells.get(r + 1) {
            for &j in next.iter().flatten() {
                for &a in &self.up_fixed[j] {
                    links.push((a, self.key(pos, j)));
                }
            }
        }
        links.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut total = 0;
        for a in 0..links.len() {
            for b in a + 1..links.len() {
                if links[a].0 < links[b].0 && links[a].1 > links[b].1 {
                    total += 1;
                }
            }
        }
        total
    }

    /// Moves item `i` of column `col` into `lane`'s cell, at the position there with the
    /// fewest crossings.
    fn move_to_lane(&mut self, col: &mut [Vec<usize>], pos: &mut [usize], i: usize, lane: usize) {
        let old = self.lane[i];
        col[old].remove(pos[i]);
        for (p, &j) in col[old].iter().enumerate() {
            pos[j] = p;
        }
        let cell = &col[lane];
        let mut after: usize = cell.iter().map(|&y| self.pair_cost(pos, i, y)).sum();
        let mut before = 0;
        let mut best = (after, 0);
        for (q, &y) in cell.iter().enumerate() {
            after -= self.pair_cost(pos, i, y);
            before += self.pair_cost(pos, y, i);
            if before + after < best.0 {
                best = (before + after, q + 1);
            }
        }
        col[lane].insert(best.1, i);
        self.lane[i] = lane;
        for (p, &j) in col[lane].iter().enumerate() {
            pos[j] = p;
        }
    }

    /// Straightens long edges: a chain of dummies that changes lanes on its way (the sweeps
    /// let dummies wander) moves as a whole into one lane between its ends when that does
    /// not add crossings, so that it bends fewer times; the ends' lanes are tried first.
    fn straighten(
        &mut self,
        cells: &mut [Vec<Vec<usize>>],
        pos: &mut [usize],
        chains: &[&[usize]],
    ) {
        for chain in chains {
            let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
                continue;
            };
            if chain.len() < 3 {
                continue;
            }
            let dummies = &chain[1..chain.len() - 1];
            let bends = |lane: &[usize]| {
                chain
                    .windows(2)
                    .filter(|w| lane[w[0]] != lane[w[1]])
                    .count()
            };
            let (a, b) = (self.lane[first], self.lane[last]);
            let current = bends(&self.lane);
            let mut candidates: Vec<usize> = (a.min(b)..=a.max(b)).collect();
            candidates.sort_by_key(|&l| {
                (
                    usize::from(l != a) + usize::from(l != b),
                    usize::from(l != a),
                    l.abs_diff(a),
                )
            });
            // The channels the chain's links use (by their left column).
            let span = self.rank[first].min(self.rank[last])..self.rank[first].max(self.rank[last]);
            for lane in candidates {
                let new_bends = usize::from(lane != a) + usize::from(lane != b);
                if new_bends >= current {
                    break;
                }
                let before: usize = span
                    .clone()
                    .map(|r| self.channel_crossings(cells, pos, r))
                    .sum();
                let saved: Vec<(usize, Vec<Vec<usize>>)> = dummies
                    .iter()
                    .map(|&d| (self.rank[d], cells[self.rank[d]].clone()))
                    .collect();
                let saved_lanes: Vec<usize> = dummies.iter().map(|&d| self.lane[d]).collect();
                for _ in 0..2 {
                    for &d in dummies {
                        self.move_to_lane(&mut cells[self.rank[d]], pos, d, lane);
                    }
                }
                let after: usize = span
                    .clone()
                    .map(|r| self.channel_crossings(cells, pos, r))
                    .sum();
                if after <= before {
                    break;
                }
                for (c, col) in saved {
                    cells[c] = col;
                    for cell in &cells[c] {
                        for (p, &j) in cell.iter().enumerate() {
                            pos[j] = p;
                        }
                    }
                }
                for (&d, &l) in dummies.iter().zip(&saved_lanes) {
                    self.lane[d] = l;
                }
            }
        }
    }
}

/// Records every item's position in its cell.
fn index_cells(cells: &[Vec<Vec<usize>>], pos: &mut [usize]) {
    for col in cells {
        for cell in col {
            for (k, &i) in cell.iter().enumerate() {
                pos[i] = k;
            }
        }
    }
}

/// Returns the mean of `values` at `idx` (0 for none).
fn mean(idx: &[usize], values: &[f64]) -> f64 {
    if idx.is_empty() {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let n = idx.len() as f64;
    idx.iter().map(|&i| values[i]).sum::<f64>() / n
}

/// Returns positions `o`, in order, that minimise `Σ weight·(o − desired)²` subject to
/// `o[k+1] − o[k] ≥ sep[k]`: isotonic regression of `desired` minus the running separation,
/// solved by pool-adjacent-violators in linear time.
fn pav(desired: &[f64], weight: &[f64], sep: &[f64]) -> Vec<f64> {
    let n = desired.len();
    let mut shift = vec![0.0f64; n];
    for k in 1..n {
        shift[k] = shift[k - 1] + sep.get(k - 1).copied().unwrap_or(0.0);
    }
    // Blocks of pooled items: (sum of weights, weighted sum of targets, item count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for k in 0..n {
        let w = weight.get(k).copied().unwrap_or(1.0).max(1e-6);
        blocks.push((w, w * (desired[k] - shift[k]), 1));
        while blocks.len() >= 2 {
            let (b, a) = (blocks[blocks.len() - 1], blocks[blocks.len() - 2]);
            if a.1 / a.0 > b.1 / b.0 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    for (sw, swt, cnt) in blocks {
        let v = swt / sw;
        for _ in 0..cnt {
            let k = out.len();
            out.push(v + shift[k]);
        }
    }
    out
}

/// A label waiting for its place.
struct PendingLabel {
    /// Zone `2c` is the end of channel `c`, `2c+1` its start.
    zone: usize,
    /// The port the edge leaves its decision by, the cross coordinate it turns to, and the
    /// label's wanted cross start (beside the port, on the side of the turn).
    port: f64,
    turn: f64,
    cross: f64,
    main: f64,
    main_size: f64,
    cross_size: f64,
    /// Index of the scene edge.
    edge: usize,
    lines: Vec<String>,
}

/// What lies in the way of a long edge, for choosing its lane (prefix sums over ranks).
struct Traffic {
    /// Per lane, the number of boxes in ranks below r.
    occupancy: Vec<Vec<usize>>,
    /// Per lane, the number of short edges crossing the lane from side to side in channels
    /// below c.
    passes: Vec<Vec<usize>>,
}

/// Cross-axis geometry of the lanes.
struct LaneGeo {
    band_start: Vec<f64>,
    band_size: Vec<f64>,
    header_main: f64,
    header_lines: Vec<Vec<String>>,
    cross_total: f64,
}

/// Main-axis geometry of columns and channels.
struct MainGeo {
    ch_start: Vec<f64>,
    /// Per channel, the main size of the label zone before its tracks.
    label_zone: Vec<f64>,
    col_start: Vec<f64>,
    col_size: Vec<f64>,
    main_total: f64,
}

/// Returns the legend for the markers and symbols that occur in the scene.
fn legend(boxes: &[SceneBox], edges: &[SceneEdge], width: f64, top: f64) -> Legend {
    let mut kinds: Vec<LegendKind> = Vec::new();
    if boxes.iter().any(|b| b.shape == Shape::Decision) {
        kinds.push(LegendKind::Decision);
    }
    if boxes.iter().any(|b| b.shape == Shape::Gateway) {
        kinds.push(LegendKind::Parallel);
    }
    if edges.iter().any(|e| e.back) {
        kinds.push(LegendKind::SendBack);
    }
    for m in MarkerKind::ALL {
        if boxes.iter().any(|b| b.markers.iter().any(|x| x.kind == m)) {
            kinds.push(LegendKind::Marker(m));
        }
    }
    let mut items = Vec::new();
    let left = MARGIN + 8.0;
    let mut x = left;
    let mut y = top + 6.0;
    let row_h = 22.0;
    for kind in kinds {
        let icon_w = match kind {
            LegendKind::Marker(m) => badge_width(m),
            LegendKind::SendBack => 36.0,
            _ => 22.0,
        };
        let meaning = kind.meaning();
        let text_w = text_width(&meaning.ja, SMALL_FONT).max(text_width(&meaning.en, SMALL_FONT));
        let item_w = icon_w + 6.0 + text_w + 18.0;
        if x > left && x + item_w > width - MARGIN {
            x = left;
            y += row_h;
        }
        items.push(LegendItem {
            kind,
            icon: round_rect(Rect {
                x,
                y: y + 3.0,
                w: icon_w,
                h: BADGE_H,
            }),
            text: round_rect(Rect {
                x: x + icon_w + 6.0,
                y: y + 3.0,
                w: text_w,
                h: BADGE_H,
            }),
        });
        x += item_w;
    }
    let h = if items.is_empty() {
        0.0
    } else {
        y + row_h - top + 6.0
    };
    Legend {
        rect: round_rect(Rect {
            x: MARGIN,
            y: top,
            w: width - 2.0 * MARGIN,
            h,
        }),
        items,
    }
}

/// Returns the edge label text: the condition and the probability when it is not certain.
fn edge_label_text(label: Option<&str>, probability: f64, kind: EdgeKind) -> Option<String> {
    let pct = (kind == EdgeKind::Branch || kind == EdgeKind::SendBack || kind == EdgeKind::Jump)
        && probability.is_finite()
        && probability > 0.0
        && probability < 1.0;
    let pct_text = pct.then(|| format!("{}%", fmt_number(probability * 100.0)));
    match (label.map(str::trim).filter(|l| !l.is_empty()), pct_text) {
        (Some(l), Some(p)) => Some(format!("{l} {p}")),
        (Some(l), None) => Some(l.to_owned()),
        (None, Some(p)) => Some(p),
        (None, None) => None,
    }
}

/// Returns `v` with at most one decimal and no trailing `.0`.
pub(crate) fn fmt_number(v: f64) -> String {
    let r = round1(v);
    if (r - r.round()).abs() < 1e-9 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Returns a duration in the largest unit that both its values fill to a tenth (`2日`, `1.5時間`,
/// `10〜20分`), so that a wait written `待ち 2日` is not shown as 2880 minutes.
pub(crate) fn duration_text(m: &nagare_model::Minutes) -> Text {
    const UNITS: [(f64, &str, &str); 3] = [
        (1440.0, "日", " d"),
        (60.0, "時間", " h"),
        (1.0, "分", " min"),
    ];
    let values: Vec<f64> = std::iter::once(m.p50).chain(m.p90).collect();
    let fits = |size: f64| {
        values
            .iter()
            .all(|v| ((v / size) * 10.0 - ((v / size) * 10.0).round()).abs() < 1e-6)
    };
    let (size, ja, en) = UNITS
        .into_iter()
        .find(|&(size, _, _)| {
            values.iter().any(|v| *v >= size)
                && values.iter().all(|v| *v >= size || *v == 0.0)
                && fits(size)
        })
        .unwrap_or(UNITS[2]);
    let number = match m.p90 {
        Some(p90) => format!("{}–{}", fmt_number(m.p50 / size), fmt_number(p90 / size)),
        None => fmt_number(m.p50 / size),
    };
    Text::new(format!("{number}{ja}"), format!("{number}{en}"))
}

/// Returns the badge width of a marker, wide enough for both languages.
pub(crate) fn badge_width(kind: MarkerKind) -> f64 {
    if kind == MarkerKind::Seal {
        return BADGE_H;
    }
    let t = kind.badge();
    text_width(&t.ja, SMALL_FONT).max(text_width(&t.en, SMALL_FONT)) + 8.0
}

/// Returns the markers of a step.
fn markers_of(model: &Model, step: &Step) -> Vec<MarkerKind> {
    let kind = model.actors.get(step.actor).map(|a| a.kind);
    let paper_doc = step.docs.iter().any(|d| {
        model
            .documents
            .get(d.doc)
            .is_some_and(|doc| doc.medium.is_paper())
            && matches!(
                d.role,
                DocRole::Fill | DocRole::Produce | DocRole::Attach | DocRole::Read
            )
    });
    let mut out = Vec::new();
    if step.medium == Some(Medium::Paper) || paper_doc {
        out.push(MarkerKind::Paper);
    }
    if step.flags.visit
        || (step.medium == Some(Medium::InPerson) && kind == Some(ActorKind::Resident))
    {
        out.push(MarkerKind::Visit);
    }
    if step.flags.seal {
        out.push(MarkerKind::Seal);
    }
    if step.flags.signature {
        out.push(MarkerKind::Signature);
    }
    if step.transcription.is_some() {
        out.push(MarkerKind::Transcription);
    }
    if kind == Some(ActorKind::System) || (step.system.is_some() && kind != Some(ActorKind::Rpa)) {
        out.push(MarkerKind::System);
    }
    if kind == Some(ActorKind::Rpa) {
        out.push(MarkerKind::Rpa);
    }
    if step.kind == StepKind::Wait || step.wait.is_some_and(|w| w.p50 > 0.0) {
        out.push(MarkerKind::Wait);
    }
    out
}

/// Returns the step's attributes as bilingual lines for the accessible description.
fn details_of(model: &Model, step: &Step) -> Vec<Text> {
    let mut out = Vec::new();
    if let Some(actor) = model.actors.get(step.actor) {
        out.push(Text::new(
            format!("担当: {}", actor.name),
            format!("actor: {}", actor.name),
        ));
    }
    if let Some(m) = step.medium {
        let (ja, en) = match m {
            Medium::Paper => ("紙", "paper"),
            Medium::Digital => ("電子", "digital"),
            Medium::InPerson => ("対面", "in person"),
            Medium::Phone => ("電話", "phone"),
            Medium::Mail => ("郵送", "mail"),
            Medium::Fax => ("FAX", "fax"),
            Medium::Email => ("メール", "e-mail"),
        };
        out.push(Text::new(format!("媒体: {ja}"), format!("medium: {en}")));
    }
    if let Some(w) = &step.work {
        let v = duration_text(w);
        out.push(Text::new(
            format!("作業 {}", v.ja),
            format!("work {}", v.en),
        ));
    }
    if let Some(w) = &step.wait {
        let v = duration_text(w);
        out.push(Text::new(
            format!("待ち {}", v.ja),
            format!("wait {}", v.en),
        ));
    }
    for d in &step.docs {
        let name = model
            .documents
            .get(d.doc)
            .map_or("?", |doc| doc.name.as_str());
        let (ja, en) = match d.role {
            DocRole::Fill => ("記入", "fills"),
            DocRole::Read => ("参照", "reads"),
            DocRole::Produce => ("作成", "produces"),
            DocRole::Attach => ("添付", "attaches"),
        };
        out.push(Text::new(format!("{ja}: {name}"), format!("{en}: {name}")));
    }
    if let Some(t) = &step.transcription {
        let end = |e: &nagare_model::Endpoint| match e {
            nagare_model::Endpoint::Document(d) => model
                .documents
                .get(*d)
                .map_or_else(|| "?".to_owned(), |doc| doc.name.clone()),
            nagare_model::Endpoint::System(s) => s.clone(),
        };
        let (a, b) = (end(&t.from), end(&t.to));
        out.push(Text::new(
            format!("転記: {a}→{b}"),
            format!("re-keys: {a} → {b}"),
        ));
    }
    let f = &step.flags;
    for (on, ja, en) in [
        (f.seal, "押印", "seal"),
        (f.signature, "署名", "signature"),
        (f.id_check, "本人確認", "ID check"),
        (f.visit, "来庁", "visit"),
        (f.legal_paper, "法定紙", "paper required by law"),
        (f.legal_presence, "法定対面", "presence required by law"),
        (f.inspection, "現地調査", "on-site inspection"),
        (f.manual_check, "全件目視", "every item checked by hand"),
    ] {
        if on {
            out.push(Text::new(ja, en));
        }
    }
    if let Some(item) = &step.item {
        out.push(Text::new(format!("現物: {item}"), format!("item: {item}")));
    }
    if let Some(s) = &step.system {
        out.push(Text::new(format!("システム: {s}"), format!("system: {s}")));
    }
    if let Some(note) = &step.note {
        out.push(Text::new(format!("備考: {note}"), format!("note: {note}")));
    }
    out
}

/// Sizes and decorates one flow node.
fn prep_node(model: &Model, i: usize) -> Prep {
    let blank = |kind, shape, size: f64, label: &str| Prep {
        kind,
        shape,
        step_kind: None,
        step_key: None,
        actor: None,
        label: label.to_owned(),
        lines: Vec::new(),
        markers: Vec::new(),
        details: Vec::new(),
        w: size,
        h: size,
        text_w: 0.0,
        text_h: 0.0,
        foot: 0.0,
    };
    match model.flow.nodes.get(i) {
        None | Some(Node::Start) => blank(BoxKind::Start, Shape::Start, CIRCLE, ""),
        Some(Node::End { label, .. }) => {
            let label = label.as_deref().unwrap_or("");
            let mut p = blank(BoxKind::End, Shape::End, CIRCLE, label);
            if !label.is_empty() {
                // The label goes under the circle; the item is as wide as the label and holds
                // it above and below (items are centred), so nothing is placed over it.
                p.lines = wrap(label, END_LABEL_WRAP, SMALL_FONT, END_LABEL_LINES);
                p.text_w = p
                    .lines
                    .iter()
                    .map(|l| text_width(l, SMALL_FONT))
                    .fold(0.0, f64::max);
                #[allow(clippy::cast_precision_loss)] // at most END_LABEL_LINES
                let text_h = p.lines.len() as f64 * SMALL_LINE_H;
                p.text_h = text_h;
                p.w = CIRCLE.max(p.text_w).ceil();
                p.h = (CIRCLE + 2.0 * (END_LABEL_GAP + text_h)).ceil();
            }
            p
        }
        Some(Node::Split { .. }) => blank(BoxKind::Split, Shape::Gateway, GATEWAY, ""),
        Some(Node::Join { .. }) => blank(BoxKind::Join, Shape::Gateway, GATEWAY, ""),
        Some(Node::Step { step }) => {
            let fallback = Step::default();
            let s = model.steps.get(*step).unwrap_or(&fallback);
            let shape = match s.kind {
                StepKind::Task => Shape::Task,
                StepKind::Decision => Shape::Decision,
                StepKind::Wait => Shape::Wait,
                StepKind::Subprocess => Shape::Subprocess,
                StepKind::Start | StepKind::End => Shape::Event,
            };
            let markers: Vec<(MarkerKind, f64)> = markers_of(model, s)
                .into_iter()
                .map(|m| (m, badge_width(m)))
                .collect();
            let badges_w = markers.iter().map(|(_, w)| w + BADGE_GAP).sum::<f64>() - BADGE_GAP;
            let badges_h = if markers.is_empty() {
                0.0
            } else {
                BADGE_H + 4.0
            };
            let wrap_w = if shape == Shape::Decision {
                DECISION_WRAP
            } else {
                TASK_WRAP
            };
            // A Latin word wider than the line would be cut in the middle ("attachment / s"):
            // widen the line for it, up to twice the usual width.
            let longest_word = s
                .label
                .split(|c: char| !c.is_ascii_alphanumeric())
                .map(|w| text_width(w, FONT))
                .fold(0.0, f64::max);
            let mut wrap_w = wrap_w.max(longest_word.min(2.0 * wrap_w));
            if wrap(&s.label, wrap_w, FONT, MAX_LINES + 1).len() > MAX_LINES {
                // A long label would be cut: widen the box (up to twice) rather than lose the
                // text; beyond that the label ends in `…` and the tooltip has all of it. The
                // 15 % leaves room for lines that break early (words, 禁則).
                #[allow(clippy::cast_precision_loss)]
                let room = text_width(&s.label, FONT) / MAX_LINES as f64 * 1.15;
                wrap_w = wrap_w.max(room.ceil().min(2.0 * wrap_w));
            }
            let lines = wrap(&s.label, wrap_w, FONT, MAX_LINES);
            let text_w = lines
                .iter()
                .map(|l| text_width(l, FONT))
                .fold(0.0, f64::max);
            #[allow(clippy::cast_precision_loss)]
            let text_h = lines.len() as f64 * LINE_H;
            let foot = if matches!(shape, Shape::Subprocess | Shape::Wait) {
                14.0
            } else {
                0.0
            };
            let inner_w = text_w.max(badges_w.max(0.0));
            let inner_h = text_h + badges_h + foot;
            let (w, h) = if shape == Shape::Decision {
                // A rectangle of w×h fits in a diamond of 2w×2h.
                (
                    (2.0 * (inner_w + 6.0)).max(80.0),
                    (2.0 * (inner_h + 4.0)).max(56.0),
                )
            } else {
                (
                    (inner_w + 2.0 * PAD_X).max(MIN_TASK_W),
                    (inner_h + 2.0 * PAD_Y).max(MIN_TASK_H),
                )
            };
            Prep {
                kind: BoxKind::Step,
                shape,
                step_kind: Some(s.kind),
                step_key: Some(s.key.clone()),
                actor: Some(s.actor),
                label: s.label.clone(),
                lines,
                markers,
                details: details_of(model, s),
                w: w.ceil(),
                h: h.ceil(),
                text_w,
                text_h,
                foot,
            }
        }
    }
}

/// Returns the polyline without repeated points and without points in the middle of a straight run.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out
            .last()
            .is_some_and(|q| (q.x - p.x).abs() < EPS && (q.y - p.y).abs() < EPS)
        {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let collinear = ((a.x - b.x).abs() < EPS && (b.x - p.x).abs() < EPS)
                || ((a.y - b.y).abs() < EPS && (b.y - p.y).abs() < EPS);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// Returns `v` rounded to one decimal (the precision of the output).
pub(crate) fn round1(v: f64) -> f64 {
    let r = (v * 10.0).round() / 10.0;
    // Avoid "-0" in the output.
    if r == 0.0 { 0.0 } else { r }
}

fn round_rect(r: Rect) -> Rect {
    Rect {
        x: round1(r.x),
        y: round1(r.y),
        w: round1(r.w),
        h: round1(r.h),
    }
}

#[cfg(test)]
mod duration_tests {
    use super::duration_text;
    use nagare_model::Minutes;

    fn text(p50: f64, p90: Option<f64>) -> (String, String) {
        let t = duration_text(&Minutes { p50, p90 });
        (t.ja, t.en)
    }

    #[test]
    fn durations_use_the_largest_unit_that_fits() {
        assert_eq!(text(2880.0, None), ("2日".into(), "2 d".into()));
        assert_eq!(text(90.0, None), ("1.5時間".into(), "1.5 h".into()));
        assert_eq!(
            text(10.0, Some(20.0)),
            ("10–20分".into(), "10–20 min".into())
        );
        assert_eq!(text(1440.0, Some(4320.0)), ("1–3日".into(), "1–3 d".into()));
        assert_eq!(text(7.0, None), ("7分".into(), "7 min".into()));
        assert_eq!(text(0.0, None), ("0分".into(), "0 min".into()));
    }
}

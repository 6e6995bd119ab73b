//! Swimlane diagrams: the fourth stage of the pipeline (syntax → model → graph → **render**).
//! `layout(&Model) -> Scene` and `svg(&Scene) -> String`, both pure and deterministic. No IO.
//!
//! The scene is plain serde data (the web viewer and golden tests use it directly); the SVG
//! writer only draws what the scene says. The handoff map (actors and how often work passes
//! between them) is laid out by layout-rs, which suits such small graphs.
//!
//! Measured with `scripts/compare-graphviz.sh` on a shared 2-core machine (process-shaped
//! flows from [`testgen`], seed 1; crossings counted alike on both sides, see [`crossings`];
//! times are one process per run, reading the graph and writing an SVG, medians of 5 runs):
//!
//! | steps | dot crossings | ours, first version | ours now | dot ms | ours ms |
//! |------:|--------------:|--------------------:|---------:|-------:|--------:|
//! |    50 |             1 |                   6 |        1 |     28 |     4.6 |
//! |   200 |             2 |                  36 |        6 |     58 |     7.8 |
//! | 1,000 |            14 |                 135 |       36 |    817 |      37 |
//! | 2,000 |            25 |                 300 |       66 |  5,398 |      74 |
//!
//! Criterion (`benches/layout.rs`, 2,000 steps): layout 9.8 ms, layout + SVG 24.8 ms (the
//! first version: 7.7 ms and 24.6 ms on the same graphs). On the 19 models in `models/` dot
//! has 0 crossings; ours went from 30 to 6 in total (dot has no lanes to respect; ours keeps
//! every step in its actor's lane).

mod handoff;
mod layout;
mod scene;
mod svg;
pub mod testgen;
pub mod text;

pub use handoff::handoff_map_svg;
pub use layout::{LayoutOptions, layout};
pub use scene::{
    BoxKind, Direction, EdgeLabel, Lane, Legend, LegendItem, LegendKind, Marker, MarkerKind, Note,
    NoteKind, Point, Rect, Scene, SceneBox, SceneEdge, Shape,
};
pub use svg::{FONT_FAMILY, SvgOptions, percent, svg};
pub use testgen::to_dot;

/// Returns the number of proper crossings between segments of different edges of `scene`
/// (orthogonal segments; touching ends and overlapping collinear runs are not counted).
///
/// The Graphviz comparison counts `dot`'s edges the same way: each edge as a polyline (its
/// Bézier pieces sampled finely), proper crossings between polylines of different edges; so
/// both sides count the points where two different edges visibly cross, and neither counts
/// edges that merely share an end or run together.
///
/// Quadratic in the number of segments: meant for tests and the Graphviz comparison, not for
/// the render path.
#[must_use]
pub fn crossings(scene: &Scene) -> usize {
    let mut horizontal: Vec<(f64, f64, f64, usize)> = Vec::new(); // (y, x0, x1, edge)
    let mut vertical: Vec<(f64, f64, f64, usize)> = Vec::new(); // (x, y0, y1, edge)
    for (k, e) in scene.edges.iter().enumerate() {
        for w in e.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a.y - b.y).abs() < 1e-6 {
                horizontal.push((a.y, a.x.min(b.x), a.x.max(b.x), k));
            } else if (a.x - b.x).abs() < 1e-6 {
                vertical.push((a.x, a.y.min(b.y), a.y.max(b.y), k));
            }
        }
    }
    // Sweep by x would be faster; sorting verticals by x and bisecting keeps it simple enough.
    vertical.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut count = 0;
    for &(y, x0, x1, k) in &horizontal {
        let start = vertical.partition_point(|v| v.0 <= x0 + 1e-6);
        for &(x, y0, y1, kv) in &vertical[start..] {
            if x >= x1 - 1e-6 {
                break;
            }
            if kv != k && y > y0 + 1e-6 && y < y1 - 1e-6 {
                count += 1;
            }
        }
    }
    count
}

/// Returns the structural handoffs of `model`: for each pair of different actors (from, to), the
/// number of flow edges that pass work from a step of one to a step of the other. Gateways and
/// the start are looked through (an edge out of a split counts from the step before it).
/// Sorted by (from, to); input for [`handoff_map_svg`] when no metrics are at hand.
#[must_use]
pub fn structural_handoffs(model: &nagare_model::Model) -> Vec<(usize, usize, f64)> {
    use nagare_model::Node;
    let flow = &model.flow;
    let n = flow.nodes.len();
    let mut first_in: Vec<Option<usize>> = vec![None; n];
    for e in &flow.edges {
        if e.from < n && e.to < n && e.from != e.to {
            first_in[e.to].get_or_insert(e.from);
        }
    }
    let actor_of = |node: usize| match flow.nodes.get(node) {
        Some(Node::Step { step }) => model.steps.get(*step).map(|s| s.actor),
        _ => None,
    };
    // Walks back through non-step nodes (bounded by the node count, so cycles end).
    let actor_before = |node: usize| {
        let mut cur = node;
        for _ in 0..=n {
            if let Some(a) = actor_of(cur) {
                return Some(a);
            }
            cur = first_in.get(cur).copied().flatten()?;
        }
        None
    };
    let mut counts: std::collections::BTreeMap<(usize, usize), f64> =
        std::collections::BTreeMap::new();
    for e in &flow.edges {
        let (Some(to), Some(from)) = (actor_of(e.to), actor_before(e.from)) else {
            continue;
        };
        if from != to {
            *counts.entry((from, to)).or_insert(0.0) += 1.0;
        }
    }
    counts.into_iter().map(|((a, b), c)| (a, b, c)).collect()
}

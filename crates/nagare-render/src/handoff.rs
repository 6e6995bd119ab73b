//! The handoff map: actors as nodes, handoff counts as labelled edges, laid out by layout-rs.
//!
//! These graphs are small (one node per actor), which is what layout-rs handles well. We keep
//! its placement but draw through our own [`RenderBackend`] so that the output is deterministic
//! (its own SVG writer keeps font classes in a hash map), uses our fonts and escapes text.

use std::fmt::Write as _;

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::Point as LPoint;
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use nagare_model::ActorKind;
use nagare_syntax::Lang;

use crate::layout::fmt_number;
use crate::svg::FONT_FAMILY;
use crate::text::{escape, text_width};

/// Above this many nodes layout-rs's crossing optimisation is switched off (it is exponential).
const OPTIMISE_LIMIT: usize = 12;

fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 || !r.is_finite() { 0.0 } else { r };
    format!("{r:.1}")
}

/// Returns an SVG of who hands work to whom: `actors` are (name, kind), `handoffs` are
/// (from actor, to actor, count per case). Edges with an unknown actor, a count that is not a
/// positive number, or the same actor at both ends are left out; with none left the SVG says
/// "no handoffs". Never panics.
#[must_use]
pub fn handoff_map_svg(
    actors: &[(String, ActorKind)],
    handoffs: &[(usize, usize, f64)],
    lang: Lang,
) -> String {
    let edges: Vec<(usize, usize, f64)> = handoffs
        .iter()
        .copied()
        .filter(|&(a, b, c)| {
            a < actors.len() && b < actors.len() && a != b && c.is_finite() && c > 0.0
        })
        .collect();
    if edges.is_empty() {
        let text = match lang {
            Lang::Ja => "引継ぎなし",
            Lang::En => "no handoffs",
        };
        return format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nagare-handoff\" width=\"240.0\" height=\"60.0\" viewBox=\"0 0 240 60\" role=\"img\" aria-label=\"{text}\" font-family=\"{FONT_FAMILY}\"><title>{text}</title><rect width=\"240\" height=\"60\" fill=\"#ffffff\"/><text x=\"120.0\" y=\"35.0\" text-anchor=\"middle\" font-size=\"14.0\" fill=\"#333333\">{text}</text></svg>\n"
        );
    }
    // Only actors that take part, in declaration order.
    let mut used: Vec<usize> = edges.iter().flat_map(|&(a, b, _)| [a, b]).collect();
    used.sort_unstable();
    used.dedup();
    let mut graph = VisualGraph::new(Orientation::LeftToRight);
    graph.dag.set_validate(false);
    let mut handle = vec![None; actors.len()];
    for &a in &used {
        let (name, _) = &actors[a];
        let size = LPoint::new((text_width(name, 14.0) + 28.0).max(70.0), 40.0);
        // The label is drawn by us (ids, escaping); layout-rs only needs the size.
        let element = Element::create_with_properties(
            ShapeKind::new_box(""),
            StyleAttr::simple(),
            Orientation::LeftToRight,
            size,
            format!("{a}"),
        );
        handle[a] = Some(graph.add_node(element));
    }
    for &(a, b, count) in &edges {
        if let (Some(ha), Some(hb)) = (handle[a], handle[b]) {
            let mut arrow = Arrow::simple(&fmt_number(count));
            arrow.properties = Some(format!("{a} {b}"));
            graph.add_edge(arrow, ha, hb);
        }
    }
    let mut backend = Backend {
        names: actors.to_vec(),
        ..Backend::default()
    };
    graph.do_it(false, used.len() > OPTIMISE_LIMIT, false, &mut backend);
    backend.finish(lang)
}

/// Collects layout-rs's draw calls and writes them as our SVG.
#[derive(Debug, Default)]
struct Backend {
    names: Vec<(String, ActorKind)>,
    body: String,
    max_x: f64,
    max_y: f64,
    /// Count labels as layout-rs places them: on the curve (a label is a node of its edge).
    labels: Vec<(LPoint, String)>,
    /// Every curve drawn, and whether it runs in the direction of its handoff.
    arrows: Vec<(Vec<(LPoint, LPoint)>, bool)>,
    /// Actor boxes (x, y, w, h), which count labels must not cover.
    boxes: Vec<(f64, f64, f64, f64)>,
}

impl Backend {
    fn grow(&mut self, x: f64, y: f64) {
        if x.is_finite() {
            self.max_x = self.max_x.max(x);
        }
        if y.is_finite() {
            self.max_y = self.max_y.max(y);
        }
    }

    /// Writes each count beside its curve (on the left of the direction of the handoff, so that
    /// the counts of a→b and b→a fall on opposite sides), on a small white box.
    fn write_labels(&mut self) {
        let labels = std::mem::take(&mut self.labels);
        for (at, text) in labels {
            // The curve through (or nearest to) the label's point, and its direction there.
            let mut best: Option<(f64, (f64, f64), bool)> = None;
            for (path, forward) in &self.arrows {
                let pts: Vec<LPoint> = path.iter().flat_map(|&(a, b)| [a, b]).collect();
                for k in 0..pts.len() {
                    let d = (pts[k].x - at.x).hypot(pts[k].y - at.y);
                    if best.is_none_or(|b| d < b.0) {
                        let (p, q) = (pts[k.saturating_sub(1)], pts[(k + 1).min(pts.len() - 1)]);
                        best = Some((d, (q.x - p.x, q.y - p.y), *forward));
                    }
                }
            }
            let (tangent, forward) = best.map_or(((1.0, 0.0), true), |b| (b.1, b.2));
            let len = tangent.0.hypot(tangent.1);
            let (tx, ty) = if len > 1e-9 {
                (tangent.0 / len, tangent.1 / len)
            } else {
                (1.0, 0.0)
            };
            let sign = if forward { 1.0 } else { -1.0 };
            let (nx, ny) = (sign * ty, -sign * tx);
            let w = text_width(&text, 12.0) + 8.0;
            let h = 16.0;
            // Far enough that the box clears the curve whatever the curve's slope.
            let mut d = 0.5 * (w * nx.abs() + h * ny.abs()) + 3.0;
            // Step further out while the box would cover an actor (bounded).
            let covers = |cx: f64, cy: f64| {
                self.boxes.iter().any(|&(x, y, bw, bh)| {
                    cx - w / 2.0 < x + bw
                        && x < cx + w / 2.0
                        && cy - h / 2.0 < y + bh
                        && y < cy + h / 2.0
                })
            };
            for _ in 0..12 {
                if !covers(at.x + nx * d, at.y + ny * d) {
                    break;
                }
                d += 6.0;
            }
            // Inside the picture: the view box starts at the origin.
            let (cx, cy) = (
                (at.x + nx * d).max(w / 2.0 + 2.0),
                (at.y + ny * d).max(h / 2.0 + 2.0),
            );
            self.grow(cx + w / 2.0, cy + h / 2.0);
            let _ = writeln!(
                self.body,
                "<g class=\"ng-count-label\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"#9a9a9a\" stroke-width=\"0.8\"/><text class=\"ng-count\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12.0\" font-weight=\"bold\" fill=\"#111111\">{}</text></g>",
                n(cx - w / 2.0),
                n(cy - h / 2.0),
                n(w),
                n(h),
                n(cx),
                n(cy + 4.0),
                escape(&text)
            );
        }
    }

    fn finish(mut self, lang: Lang) -> String {
        self.write_labels();
        let (w, h) = (self.max_x + 10.0, self.max_y + 10.0);
        let title = match lang {
            Lang::Ja => "引継ぎマップ（担当間の受け渡し回数／件）",
            Lang::En => "Handoff map (handovers per case between actors)",
        };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nagare-handoff\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{title}\" font-family=\"{FONT_FAMILY}\" font-size=\"14.0\">\n<title>{title}</title>\n<defs><marker id=\"ng-h-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333333\"/></marker><marker id=\"ng-h-arrow-start\" viewBox=\"0 0 10 10\" refX=\"1\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M10,0 L0,5 L10,10 z\" fill=\"#333333\"/></marker></defs>\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{}</svg>\n",
            self.body,
            w = n(w),
            h = n(h),
        )
    }
}

/// Returns the point halfway along a layout-rs path (`M p0 C c0 c1 p1 S c p …`, as
/// control-point pairs) and the curve's direction there.
fn curve_middle(path: &[(LPoint, LPoint)]) -> (LPoint, (f64, f64)) {
    // Cubic pieces (p0, c1, c2, p1); an `S` piece mirrors the previous second control point.
    let mut pieces: Vec<[LPoint; 4]> = Vec::new();
    if path.len() >= 2 {
        pieces.push([path[0].0, path[0].1, path[1].0, path[1].1]);
        for &(c2, p) in path.iter().skip(2) {
            let prev = pieces[pieces.len() - 1];
            let c1 = LPoint::new(2.0 * prev[3].x - prev[2].x, 2.0 * prev[3].y - prev[2].y);
            pieces.push([prev[3], c1, c2, p]);
        }
    }
    let Some(piece) = pieces.get(pieces.len() / 2) else {
        let p = path.first().map_or(LPoint::new(0.0, 0.0), |p| p.0);
        return (p, (1.0, 0.0));
    };
    // With an odd count the middle piece is cut at t = ½, with an even count the join is used.
    let t = if pieces.len() % 2 == 1 { 0.5 } else { 0.0 };
    let [a, b, c, d] = *piece;
    let u = 1.0 - t;
    let at = |a: f64, b: f64, c: f64, d: f64| {
        u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
    };
    let slope = |a: f64, b: f64, c: f64, d: f64| {
        3.0 * u * u * (b - a) + 6.0 * u * t * (c - b) + 3.0 * t * t * (d - c)
    };
    let mut tangent = (slope(a.x, b.x, c.x, d.x), slope(a.y, b.y, c.y, d.y));
    if tangent.0.hypot(tangent.1) < 1e-9 {
        tangent = (d.x - a.x, d.y - a.y);
    }
    (
        LPoint::new(at(a.x, b.x, c.x, d.x), at(a.y, b.y, c.y, d.y)),
        tangent,
    )
}

impl RenderBackend for Backend {
    fn draw_rect(
        &mut self,
        xy: LPoint,
        size: LPoint,
        _look: &StyleAttr,
        properties: Option<String>,
        _clip: Option<ClipHandle>,
    ) {
        self.grow(xy.x + size.x, xy.y + size.y);
        self.boxes.push((xy.x, xy.y, size.x, size.y));
        let actor: Option<usize> = properties.as_deref().and_then(|p| p.parse().ok());
        let (name, kind) = actor
            .and_then(|a| self.names.get(a).cloned())
            .unwrap_or_default();
        let fill = match kind {
            ActorKind::Resident => "#fbe3bd",
            ActorKind::Staff => "#d5e4f5",
            ActorKind::External => "#e2d5f2",
            ActorKind::System => "#cfead6",
            ActorKind::Rpa => "#c9e8e8",
        };
        let _ = writeln!(
            self.body,
            "<g class=\"ng-actor\" data-actor=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" stroke=\"#2b2b2b\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#111111\">{}</text></g>",
            escape(&name),
            n(xy.x),
            n(xy.y),
            n(size.x),
            n(size.y),
            n(xy.x + size.x / 2.0),
            n(xy.y + size.y / 2.0 + 5.0),
            escape(&name)
        );
    }

    fn draw_line(
        &mut self,
        start: LPoint,
        stop: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.grow(start.x.max(stop.x), start.y.max(stop.y));
        let _ = writeln!(
            self.body,
            "<path d=\"M{},{} L{},{}\" stroke=\"#333333\" fill=\"none\"/>",
            n(start.x),
            n(start.y),
            n(stop.x),
            n(stop.y)
        );
    }

    fn draw_circle(
        &mut self,
        xy: LPoint,
        size: LPoint,
        _look: &StyleAttr,
        _properties: Option<String>,
    ) {
        self.grow(xy.x + size.x / 2.0, xy.y + size.y / 2.0);
    }

    fn draw_text(&mut self, xy: LPoint, text: &str, _look: &StyleAttr) {
        // Counts are placed in `finish`, once the curves they belong to are known.
        if !text.is_empty() {
            self.labels.push((xy, text.to_owned()));
        }
    }

    fn draw_arrow(
        &mut self,
        path: &[(LPoint, LPoint)],
        _dashed: bool,
        head: (bool, bool),
        _look: &StyleAttr,
        properties: Option<String>,
        text: &str,
    ) {
        if path.len() < 2 {
            return;
        }
        for (a, b) in path {
            self.grow(a.x.max(b.x), a.y.max(b.y));
        }
        // Same curve as layout-rs's SVG writer: M p0 C c0, p1' p1 S … (control-point pairs).
        let mut d = format!(
            "M{},{} C{},{} {},{} {},{}",
            n(path[0].0.x),
            n(path[0].0.y),
            n(path[0].1.x),
            n(path[0].1.y),
            n(path[1].0.x),
            n(path[1].0.y),
            n(path[1].1.x),
            n(path[1].1.y)
        );
        for (a, b) in path.iter().skip(2) {
            let _ = write!(d, " S{},{} {},{}", n(a.x), n(a.y), n(b.x), n(b.y));
        }
        // layout-rs reverses edges that close a cycle (e.g. 窓口→住民 after 住民→窓口) and
        // then asks for the head at the start of the path: honour both ends.
        let mut marker = String::new();
        if head.0 {
            marker.push_str(" marker-start=\"url(#ng-h-arrow-start)\"");
        }
        if head.1 {
            marker.push_str(" marker-end=\"url(#ng-h-arrow)\"");
        }
        let _ = writeln!(
            self.body,
            "<path class=\"ng-handoff\" data-actors=\"{}\" d=\"{d}\" stroke=\"#333333\" stroke-width=\"1.5\" fill=\"none\"{marker}/>",
            escape(properties.as_deref().unwrap_or_default())
        );
        self.arrows.push((path.to_vec(), head.1 || !head.0));
        if !text.is_empty() {
            let (mid, _) = curve_middle(path);
            self.labels.push((mid, text.to_owned()));
        }
    }

    fn create_clip(&mut self, _xy: LPoint, _size: LPoint, _rounded_px: usize) -> ClipHandle {
        0
    }
}

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

    fn finish(self, lang: Lang) -> String {
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
        if text.is_empty() {
            return;
        }
        self.grow(xy.x + 20.0, xy.y + 10.0);
        let _ = writeln!(
            self.body,
            "<text class=\"ng-count\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12.0\" font-weight=\"bold\" fill=\"#111111\" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            n(xy.x),
            n(xy.y - 4.0),
            escape(text)
        );
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
        let marker = if head.1 {
            " marker-end=\"url(#ng-h-arrow)\""
        } else {
            ""
        };
        let _ = writeln!(
            self.body,
            "<path class=\"ng-handoff\" data-actors=\"{}\" d=\"{d}\" stroke=\"#333333\" stroke-width=\"1.5\" fill=\"none\"{marker}/>",
            escape(properties.as_deref().unwrap_or_default())
        );
        if !text.is_empty() {
            let mid = path[path.len() / 2].1;
            self.draw_text(mid, text, &StyleAttr::simple());
        }
    }

    fn create_clip(&mut self, _xy: LPoint, _size: LPoint, _rounded_px: usize) -> ClipHandle {
        0
    }
}

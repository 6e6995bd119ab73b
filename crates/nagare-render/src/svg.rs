//! SVG output of a [`Scene`]: deterministic text, every number with one decimal.
//!
//! The SVG works standalone (embedded `<style>`, presentation attributes for renderers with
//! little CSS support such as resvg) and gives the viewer hooks: element ids from step keys
//! (`step-S3`), `data-step`, and classes for markers (`is-paper`…) and for the diff status the
//! caller passes in (`diff-added`…). Status is never shown by colour alone: removed steps are
//! dashed and every status carries a text tag.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use nagare_model::{ActorKind, EdgeKind};
use nagare_syntax::Lang;

use crate::layout::{
    END_LABEL_GAP, FONT, SMALL_FONT, SMALL_LINE_H, SUBTITLE_FONT, SUBTITLE_GAP, SUBTITLE_LINE_H,
    TITLE_FONT, TITLE_LINE_H, fmt_number, title_lines,
};
use crate::scene::{
    BoxKind, LegendKind, MarkerKind, NoteKind, Point, Rect, Scene, SceneBox, Shape,
};
use crate::text::{escape, sanitize_id};

/// The font stack: Japanese fonts first so that kana and kanji never fall back to a serif face.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK JP', 'Noto Sans JP', 'Hiragino Sans', 'Yu Gothic', Meiryo, sans-serif";

/// Options of [`svg`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SvgOptions {
    /// Language of the fixed texts (legend, tags, kind names).
    pub lang: Lang,
    /// Extra CSS classes per step key, e.g. `diff-added`, `diff-removed`, `diff-changed`, or
    /// overlay classes; `diff-*` classes also draw a text tag.
    pub highlights: BTreeMap<String, Vec<String>>,
    /// Leaves out the embedded `<style>` (the viewer brings its own).
    pub no_style: bool,
}

const STYLE: &str = "
.ng-step:hover .ng-shape, .ng-step:focus .ng-shape { stroke-width: 3; }
.ng-step:focus { outline: none; }
.diff-removed .ng-shape { stroke-dasharray: 6 4; opacity: 0.75; }
.diff-added .ng-shape { stroke-width: 3; }
.ng-edge-label rect { fill-opacity: 0.92; }
";

/// Returns `v` with one decimal, as `format!("{:.1}")` would print it rounded to tenths (never
/// `-0.0`); written from integers, since float formatting was the SVG writer's hot spot.
fn n(v: f64) -> String {
    #[allow(clippy::cast_possible_truncation)] // coordinates are far below 2^62 tenths
    let tenths = (v * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.unsigned_abs();
    format!("{sign}{}.{}", t / 10, t % 10)
}

fn lane_colors(kind: ActorKind) -> (&'static str, &'static str) {
    match kind {
        ActorKind::Resident => ("#fff8ec", "#fbe3bd"),
        ActorKind::Staff => ("#f1f6fc", "#d5e4f5"),
        ActorKind::External => ("#f6f1fb", "#e2d5f2"),
        ActorKind::System => ("#eef8f0", "#cfead6"),
        ActorKind::Rpa => ("#ecf7f7", "#c9e8e8"),
    }
}

/// Returns the line under an actor's name in its lane header: its kind and department.
pub(crate) fn kind_line(kind: ActorKind, department: Option<&str>, lang: Lang) -> String {
    match department {
        Some(d) => format!("{}・{d}", kind_name(kind, lang)),
        None => kind_name(kind, lang).to_owned(),
    }
}

fn kind_name(kind: ActorKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (ActorKind::Resident, Lang::Ja) => "住民",
        (ActorKind::Resident, Lang::En) => "resident",
        (ActorKind::Staff, Lang::Ja) => "職員",
        (ActorKind::Staff, Lang::En) => "staff",
        (ActorKind::External, Lang::Ja) => "外部",
        (ActorKind::External, Lang::En) => "external",
        (ActorKind::System, Lang::Ja) => "システム",
        (ActorKind::System, Lang::En) => "system",
        (ActorKind::Rpa, Lang::Ja) => "RPA",
        (ActorKind::Rpa, Lang::En) => "RPA",
    }
}

fn kind_class(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Resident => "lane-resident",
        ActorKind::Staff => "lane-staff",
        ActorKind::External => "lane-external",
        ActorKind::System => "lane-system",
        ActorKind::Rpa => "lane-rpa",
    }
}

fn marker_colors(kind: MarkerKind) -> (&'static str, &'static str, &'static str) {
    // (fill, stroke, text): dark text on light fills for contrast.
    match kind {
        MarkerKind::Paper => ("#fff3c4", "#8a6d00", "#4d3d00"),
        MarkerKind::Visit => ("#ffe0cc", "#a34700", "#5c2800"),
        MarkerKind::Seal => ("#ffffff", "#c62828", "#c62828"),
        MarkerKind::Signature => ("#fde2e2", "#a33", "#6b1a1a"),
        MarkerKind::Transcription => ("#e8def8", "#5b3a9b", "#3a2466"),
        MarkerKind::System => ("#d9f2e0", "#1e7a3c", "#0f4420"),
        MarkerKind::Rpa => ("#d4f0f0", "#00707a", "#00424a"),
        MarkerKind::Wait => ("#eeeeee", "#555555", "#333333"),
    }
}

/// Returns the SVG text of `scene`; deterministic, all user text escaped.
#[must_use]
pub fn svg(scene: &Scene, options: &SvgOptions) -> String {
    let lang = options.lang;
    let mut out = String::with_capacity(4096 + scene.boxes.len() * 900);
    let steps = scene
        .boxes
        .iter()
        .filter(|b| b.kind == BoxKind::Step)
        .count();
    let (title, desc) = match lang {
        Lang::Ja => (
            format!("業務フロー図: {}", scene.title),
            format!(
                "{} — 担当 {} レーン、手順 {}、矢印 {}。",
                scene.subtitle,
                scene.lanes.len(),
                steps,
                scene.edges.len()
            ),
        ),
        Lang::En => (
            format!("Business flow: {}", scene.title),
            format!(
                "{} — {} lanes, {} steps, {} arrows.",
                scene.subtitle,
                scene.lanes.len(),
                steps,
                scene.edges.len()
            ),
        ),
    };
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"nagare-flow\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"ng-title ng-desc\" font-family=\"{FONT_FAMILY}\" font-size=\"{fs}\">",
        w = n(scene.width),
        h = n(scene.height),
        fs = n(FONT),
    );
    let _ = writeln!(out, "<title id=\"ng-title\">{}</title>", escape(&title));
    let _ = writeln!(out, "<desc id=\"ng-desc\">{}</desc>", escape(&desc));
    if !options.no_style {
        let _ = writeln!(out, "<style>{STYLE}</style>");
    }
    out.push_str("<defs>\n<marker id=\"ng-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333333\"/></marker>\n");
    out.push_str("<marker id=\"ng-arrow-back\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b3261e\"/></marker>\n</defs>\n");
    let _ = writeln!(
        out,
        "<rect class=\"ng-background\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(scene.width),
        n(scene.height)
    );
    write_title(&mut out, scene);
    write_lanes(&mut out, scene, lang);
    write_edges(&mut out, scene);
    out.push_str("<g class=\"ng-steps\">\n");
    for b in &scene.boxes {
        write_box(&mut out, scene, b, options);
    }
    out.push_str("</g>\n");
    write_edge_labels(&mut out, scene);
    write_notes(&mut out, scene, lang);
    write_legend(&mut out, scene, lang);
    out.push_str("</svg>\n");
    out
}

/// Writes the title and subtitle: one line as a rule, wrapped as the layout sized it when the
/// title is longer than the scene is wide.
fn write_title(out: &mut String, scene: &Scene) {
    let (lines, own_line) = title_lines(&scene.title, &scene.subtitle, scene.width);
    let subtitle = |out: &mut String| {
        let _ = write!(
            out,
            "<tspan font-size=\"{}\" font-weight=\"normal\" fill=\"#555555\" dx=\"{}\">{}</tspan>",
            n(SUBTITLE_FONT),
            SUBTITLE_GAP,
            escape(&scene.subtitle)
        );
    };
    if lines.len() == 1 && !own_line {
        let _ = write!(
            out,
            "<text class=\"ng-title\" x=\"10.0\" y=\"26.0\" font-size=\"{}\" font-weight=\"bold\" fill=\"#1a1a1a\">{}",
            n(TITLE_FONT),
            escape(&scene.title)
        );
        subtitle(out);
        out.push_str("</text>\n");
        return;
    }
    out.push_str("<g class=\"ng-title\">");
    let mut y = 26.0;
    let last = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"10.0\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\" fill=\"#1a1a1a\">{}",
            n(y),
            n(TITLE_FONT),
            escape(line)
        );
        if i == last && !own_line {
            subtitle(out);
        }
        out.push_str("</text>");
        y += TITLE_LINE_H;
    }
    if own_line {
        let _ = write!(
            out,
            "<text x=\"10.0\" y=\"{}\" font-size=\"{}\" fill=\"#555555\">{}</text>",
            n(y - TITLE_LINE_H + SUBTITLE_LINE_H),
            n(SUBTITLE_FONT),
            escape(&scene.subtitle)
        );
    }
    out.push_str("</g>\n");
}

/// Writes the notes under the lanes (no steps; actors without a lane), as plain text so that a
/// screen reader reads them too.
fn write_notes(out: &mut String, scene: &Scene, lang: Lang) {
    for note in &scene.notes {
        let class = match note.kind {
            NoteKind::NoSteps => "no-steps",
            NoteKind::ActorsWithoutSteps => "actors-without-steps",
        };
        let _ = write!(out, "<g class=\"ng-note {class}\">");
        for (i, line) in note.lines(lang).iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let y = note.rect.y + scene.line_height * (i as f64 + 0.78);
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" fill=\"#333333\">{}</text>",
                n(note.rect.x),
                n(y),
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
}

fn write_lanes(out: &mut String, scene: &Scene, lang: Lang) {
    out.push_str("<g class=\"ng-lanes\">\n");
    for (i, lane) in scene.lanes.iter().enumerate() {
        let (band, head) = lane_colors(lane.kind);
        let b = &lane.band;
        let h = &lane.header;
        let _ = write!(
            out,
            "<g class=\"ng-lane {}\" id=\"lane-{i}\" data-actor=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{band}\" stroke=\"#8899aa\" stroke-width=\"1\"/><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{head}\" stroke=\"#8899aa\" stroke-width=\"1\"/>",
            kind_class(lane.kind),
            escape(&lane.name),
            n(b.x),
            n(b.y),
            n(b.w),
            n(b.h),
            n(h.x),
            n(h.y),
            n(h.w),
            n(h.h),
        );
        let kind = kind_line(lane.kind, lane.department.as_deref(), lang);
        // The layout sized the header for exactly these lines (one when vertical: the band
        // is at least as wide as the line).
        let kind_lines = crate::layout::kind_wrap(&kind, h.w);
        #[allow(clippy::cast_precision_loss)]
        let block =
            lane.header_lines.len() as f64 * scene.line_height + 14.0 * kind_lines.len() as f64;
        let cx = h.x + h.w / 2.0;
        let mut y = h.y + (h.h - block) / 2.0 + scene.line_height * 0.78;
        for line in &lane.header_lines {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"#1a1a1a\">{}</text>",
                n(cx),
                n(y),
                escape(line)
            );
            y += scene.line_height;
        }
        for line in &kind_lines {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"#444444\">{}</text>",
                n(cx),
                n(y - 2.0),
                n(SMALL_FONT),
                escape(line)
            );
            y += 14.0;
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn path_d(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            d,
            "{}{},{}",
            if i == 0 { "M" } else { " L" },
            n(p.x),
            n(p.y)
        );
    }
    d
}

fn key_of(scene: &Scene, i: usize) -> String {
    scene.boxes.get(i).map_or_else(
        || format!("node{i}"),
        |b| b.step_key.clone().unwrap_or_else(|| format!("node{i}")),
    )
}

fn write_edges(out: &mut String, scene: &Scene) {
    out.push_str("<g class=\"ng-edges\" fill=\"none\">\n");
    for e in &scene.edges {
        if e.points.len() < 2 {
            continue;
        }
        let kind = match e.kind {
            EdgeKind::Sequence => "sequence",
            EdgeKind::Branch => "branch",
            EdgeKind::SendBack => "send-back",
            EdgeKind::Jump => "jump",
            EdgeKind::Parallel => "parallel",
        };
        let (stroke, dash, marker) = if e.back {
            ("#b3261e", " stroke-dasharray=\"7 4\"", "ng-arrow-back")
        } else {
            ("#333333", "", "ng-arrow")
        };
        let _ = writeln!(
            out,
            "<path class=\"ng-edge edge-{kind}{}\" data-edge=\"{}\" data-from=\"{}\" data-to=\"{}\" d=\"{}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash} marker-end=\"url(#{marker})\"/>",
            if e.back { " back" } else { "" },
            e.edge,
            escape(&key_of(scene, e.from)),
            escape(&key_of(scene, e.to)),
            path_d(&e.points)
        );
    }
    out.push_str("</g>\n");
}

fn write_edge_labels(out: &mut String, scene: &Scene) {
    out.push_str("<g class=\"ng-edge-labels\">\n");
    for e in &scene.edges {
        let Some(label) = &e.label else { continue };
        let r = &label.rect;
        let color = if e.back { "#8c1d18" } else { "#222222" };
        let _ = write!(
            out,
            "<g class=\"ng-edge-label\" data-edge=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" stroke=\"#bbbbbb\" stroke-width=\"0.5\"/>",
            e.edge,
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h)
        );
        for (i, line) in label.lines.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let y = r.y + 1.0 + 14.0 * i as f64 + 11.0;
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{color}\">{}</text>",
                n(r.x + 3.0),
                n(y),
                n(SMALL_FONT),
                escape(line)
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</g>\n");
}

fn diamond(r: &Rect) -> String {
    let c = r.center();
    format!(
        "M{},{} L{},{} L{},{} L{},{} Z",
        n(c.x),
        n(r.y),
        n(r.right()),
        n(c.y),
        n(c.x),
        n(r.bottom()),
        n(r.x),
        n(c.y)
    )
}

fn write_box(out: &mut String, scene: &Scene, b: &SceneBox, options: &SvgOptions) {
    let lang = options.lang;
    let r = &b.rect;
    let shape_class = match b.shape {
        Shape::Task => "task",
        Shape::Decision => "decision",
        Shape::Wait => "wait",
        Shape::Subprocess => "subprocess",
        Shape::Event => "event",
        Shape::Start => "start",
        Shape::End => "end",
        Shape::Gateway => "gateway",
    };
    let mut classes = vec!["ng-node".to_owned(), shape_class.to_owned()];
    let extra = b
        .step_key
        .as_ref()
        .and_then(|k| options.highlights.get(k))
        .cloned()
        .unwrap_or_default();
    if b.kind == BoxKind::Step {
        classes.insert(0, "ng-step".to_owned());
        for m in &b.markers {
            let c = m.kind.class().to_owned();
            if !classes.contains(&c) {
                classes.push(c);
            }
        }
    }
    for c in &extra {
        // Class names come from the caller; keep only characters valid in a class token.
        let clean: String = c
            .chars()
            .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '_')
            .collect();
        if !clean.is_empty() && !classes.contains(&clean) {
            classes.push(clean);
        }
    }
    let removed = classes.iter().any(|c| c == "diff-removed");
    let id = match &b.step_key {
        Some(k) => format!("step-{}", sanitize_id(k)),
        None => format!("node-{}", b.node),
    };
    let _ = write!(out, "<g id=\"{id}\" class=\"{}\"", classes.join(" "));
    if let Some(k) = &b.step_key {
        let _ = write!(out, " data-step=\"{}\" tabindex=\"0\"", escape(k));
    }
    let _ = write!(out, " data-node=\"{}\">", b.node);
    // Tooltip and accessible description.
    let title = match (&b.step_key, b.kind) {
        (Some(k), _) => format!("{k} {}", b.label),
        (None, BoxKind::Start) => lang_pick(lang, "開始", "start").to_owned(),
        (None, BoxKind::End) if b.label.is_empty() => lang_pick(lang, "終了", "end").to_owned(),
        (None, BoxKind::End) => format!("{}: {}", lang_pick(lang, "終了", "end"), b.label),
        (None, BoxKind::Split) => lang_pick(lang, "並行 分岐", "parallel split").to_owned(),
        (None, _) => lang_pick(lang, "並行 合流", "parallel join").to_owned(),
    };
    let _ = write!(out, "<title>{}</title>", escape(&title));
    if !b.details.is_empty() {
        let desc: Vec<&str> = b.details.iter().map(|t| t.get(lang)).collect();
        let _ = write!(out, "<desc>{}</desc>", escape(&desc.join("; ")));
    }
    let dash = if removed {
        " stroke-dasharray=\"6 4\""
    } else {
        ""
    };
    match b.shape {
        Shape::Task | Shape::Wait | Shape::Subprocess | Shape::Event => {
            let rx = if b.shape == Shape::Event {
                r.h / 2.0
            } else {
                8.0
            };
            let _ = write!(
                out,
                "<rect class=\"ng-shape\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"#ffffff\" stroke=\"#2b2b2b\" stroke-width=\"1.5\"{dash}/>",
                n(r.x),
                n(r.y),
                n(r.w),
                n(r.h),
                n(rx)
            );
            if b.shape == Shape::Subprocess {
                let c = r.center();
                let (x, y) = (c.x - 6.0, r.bottom() - 15.0);
                let _ = write!(
                    out,
                    "<rect x=\"{}\" y=\"{}\" width=\"12.0\" height=\"12.0\" fill=\"none\" stroke=\"#2b2b2b\"/><path d=\"M{},{} L{},{} M{},{} L{},{}\" stroke=\"#2b2b2b\"/>",
                    n(x),
                    n(y),
                    n(x + 6.0),
                    n(y + 2.5),
                    n(x + 6.0),
                    n(y + 9.5),
                    n(x + 2.5),
                    n(y + 6.0),
                    n(x + 9.5),
                    n(y + 6.0)
                );
            }
            if b.shape == Shape::Wait {
                let (x, y) = (r.right() - 16.0, r.bottom() - 15.0);
                let _ = write!(
                    out,
                    "<path class=\"ng-hourglass\" d=\"M{},{} L{},{} L{},{} L{},{} Z\" fill=\"#dddddd\" stroke=\"#333333\"/>",
                    n(x),
                    n(y),
                    n(x + 10.0),
                    n(y),
                    n(x),
                    n(y + 12.0),
                    n(x + 10.0),
                    n(y + 12.0)
                );
            }
        }
        Shape::Decision => {
            let _ = write!(
                out,
                "<path class=\"ng-shape\" d=\"{}\" fill=\"#fffbea\" stroke=\"#2b2b2b\" stroke-width=\"1.5\"{dash}/>",
                diamond(r)
            );
        }
        Shape::Gateway => {
            let c = r.center();
            let _ = write!(
                out,
                "<path class=\"ng-shape\" d=\"{}\" fill=\"#ffffff\" stroke=\"#2b2b2b\" stroke-width=\"1.5\"/><path d=\"M{},{} L{},{} M{},{} L{},{}\" stroke=\"#2b2b2b\" stroke-width=\"2.5\"/>",
                diamond(r),
                n(c.x - 8.0),
                n(c.y),
                n(c.x + 8.0),
                n(c.y),
                n(c.x),
                n(c.y - 8.0),
                n(c.x),
                n(c.y + 8.0)
            );
        }
        Shape::Start | Shape::End => {
            let c = r.center();
            let width = if b.shape == Shape::End { "4" } else { "1.5" };
            let fill = if b.shape == Shape::End {
                "#f2f2f2"
            } else {
                "#ffffff"
            };
            let _ = write!(
                out,
                "<circle class=\"ng-shape\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"#2b2b2b\" stroke-width=\"{width}\"/>",
                n(c.x),
                n(c.y),
                n(r.w / 2.0 - 1.0)
            );
            // An end's label: its lines under the circle, where the layout kept room.
            if b.shape == Shape::End {
                for (i, line) in b.lines.iter().enumerate() {
                    #[allow(clippy::cast_precision_loss)]
                    let y =
                        b.text_area.y + SMALL_LINE_H * i as f64 + SMALL_FONT - END_LABEL_GAP + 1.0;
                    let _ = write!(
                        out,
                        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"#333333\">{}</text>",
                        n(c.x),
                        n(y),
                        n(SMALL_FONT),
                        escape(line)
                    );
                }
            }
        }
    }
    // Label lines (an end's are drawn with its circle, smaller).
    let cx = b.text_area.x + b.text_area.w / 2.0;
    for (i, line) in b.lines.iter().enumerate().filter(|_| b.shape != Shape::End) {
        #[allow(clippy::cast_precision_loss)]
        let y = b.text_area.y + scene.line_height * (i as f64 + 0.78);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#111111\">{}</text>",
            n(cx),
            n(y),
            escape(line)
        );
    }
    for m in &b.markers {
        write_marker(out, m.kind, &m.rect, lang);
    }
    // Diff status as text, not colour alone.
    let tag = [
        ("diff-added", "追加", "added", "#1b5e20"),
        ("diff-removed", "削除", "removed", "#8c1d18"),
        ("diff-changed", "変更", "changed", "#7a4f00"),
    ]
    .into_iter()
    .find(|(c, ..)| classes.iter().any(|x| x == c));
    if let Some((_, ja, en, color)) = tag {
        let text = lang_pick(lang, ja, en);
        let w = crate::text::text_width(text, SMALL_FONT) + 8.0;
        let _ = write!(
            out,
            "<g class=\"ng-diff-tag\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14.0\" rx=\"3\" fill=\"{color}\"/><text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#ffffff\" font-weight=\"bold\">{}</text></g>",
            n(r.right() - w),
            n(r.y - 8.0),
            n(w),
            n(r.right() - w + 4.0),
            n(r.y + 3.0),
            n(SMALL_FONT - 1.0),
            escape(text)
        );
    }
    out.push_str("</g>\n");
}

fn lang_pick<'s>(lang: Lang, ja: &'s str, en: &'s str) -> &'s str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

fn write_marker(out: &mut String, kind: MarkerKind, r: &Rect, lang: Lang) {
    let (fill, stroke, text) = marker_colors(kind);
    let c = r.center();
    let class = format!(
        "ng-marker marker-{}",
        format!("{kind:?}").to_ascii_lowercase()
    );
    if kind == MarkerKind::Seal {
        let _ = write!(
            out,
            "<g class=\"{class}\"><circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10.0\" font-weight=\"bold\" fill=\"{text}\">印</text></g>",
            n(c.x),
            n(c.y),
            n(r.h / 2.0),
            n(c.x),
            n(c.y + 3.6)
        );
        return;
    }
    let label = kind.badge();
    let _ = write!(
        out,
        "<g class=\"{class}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{}\" fill=\"{text}\">{}</text></g>",
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h),
        n(c.x),
        n(c.y + 4.0),
        n(SMALL_FONT),
        escape(label.get(lang))
    );
}

fn write_legend(out: &mut String, scene: &Scene, lang: Lang) {
    let Some(legend) = &scene.legend else { return };
    if legend.items.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<g class=\"ng-legend\" aria-label=\"{}\">",
        lang_pick(lang, "凡例", "legend")
    );
    for item in &legend.items {
        let r = &item.icon;
        match item.kind {
            LegendKind::Marker(m) => write_marker(out, m, r, lang),
            LegendKind::SendBack => {
                let y = r.center().y;
                let _ = write!(
                    out,
                    "<path d=\"M{},{} L{},{}\" stroke=\"#b3261e\" stroke-width=\"1.5\" stroke-dasharray=\"7 4\" fill=\"none\" marker-end=\"url(#ng-arrow-back)\"/>",
                    n(r.x),
                    n(y),
                    n(r.right()),
                    n(y)
                );
            }
            LegendKind::Parallel => {
                let c = r.center();
                let _ = write!(
                    out,
                    "<path d=\"{}\" fill=\"#ffffff\" stroke=\"#2b2b2b\"/><path d=\"M{},{} L{},{} M{},{} L{},{}\" stroke=\"#2b2b2b\" stroke-width=\"2\"/>",
                    diamond(r),
                    n(c.x - 5.0),
                    n(c.y),
                    n(c.x + 5.0),
                    n(c.y),
                    n(c.x),
                    n(c.y - 5.0),
                    n(c.x),
                    n(c.y + 5.0)
                );
            }
            LegendKind::Decision => {
                let _ = write!(
                    out,
                    "<path d=\"{}\" fill=\"#fffbea\" stroke=\"#2b2b2b\"/>",
                    diamond(r)
                );
            }
        }
        let meaning = item.kind.meaning();
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"#222222\">{}</text>",
            n(item.text.x),
            n(item.text.y + 12.0),
            n(SMALL_FONT),
            escape(meaning.get(lang))
        );
    }
    out.push_str("</g>\n");
}

/// Returns a probability as a percentage text (`10%`), for callers that label edges themselves.
#[must_use]
pub fn percent(probability: f64) -> String {
    format!("{}%", fmt_number(probability * 100.0))
}

#[cfg(test)]
mod number_tests {
    use super::n;

    #[test]
    fn numbers_print_as_float_formatting_would() {
        for i in -20_000..20_000 {
            let v = f64::from(i) * 0.037 + 0.011;
            let r = (v * 10.0).round() / 10.0;
            let r = if r == 0.0 { 0.0 } else { r };
            assert_eq!(n(v), format!("{r:.1}"), "{v}");
        }
        assert_eq!(n(-0.04), "0.0");
        assert_eq!(n(-0.06), "-0.1");
        assert_eq!(
            n(1234.55),
            format!("{:.1}", (1234.55f64 * 10.0).round() / 10.0)
        );
    }
}

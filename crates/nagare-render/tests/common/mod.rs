//! The geometric checker shared by the layout tests: boxes inside their lane, no overlapping
//! boxes, no edge through a box, edges starting and ending on their boxes' borders, labels
//! clear of boxes, text inside its box, header and note; notes clear of everything else.

use nagare_render::text::text_width;
use nagare_render::{NoteKind, Rect, Scene, Shape};
use nagare_syntax::Lang;

const TOL: f64 = 0.25;
/// Font size of an end's label (the scene records only the main font size).
const SMALL_FONT: f64 = 11.0;

/// Returns true if the segment a–b passes through the interior of `r` (shrunk by `TOL`).
fn segment_hits(a: nagare_render::Point, b: nagare_render::Point, r: &Rect) -> bool {
    let (x0, x1) = (a.x.min(b.x), a.x.max(b.x));
    let (y0, y1) = (a.y.min(b.y), a.y.max(b.y));
    x1 > r.x + TOL && x0 < r.right() - TOL && y1 > r.y + TOL && y0 < r.bottom() - TOL
}

fn on_border(p: nagare_render::Point, r: &Rect) -> bool {
    let within_x = p.x >= r.x - TOL && p.x <= r.right() + TOL;
    let within_y = p.y >= r.y - TOL && p.y <= r.bottom() + TOL;
    ((p.x - r.x).abs() <= TOL || (p.x - r.right()).abs() <= TOL) && within_y
        || ((p.y - r.y).abs() <= TOL || (p.y - r.bottom()).abs() <= TOL) && within_x
}

/// Returns the indices of boxes whose x-range may meet [x0, x1] (boxes sorted by x).
fn candidates(
    sorted: &[(f64, usize)],
    max_w: f64,
    x0: f64,
    x1: f64,
) -> impl Iterator<Item = usize> + '_ {
    let start = sorted.partition_point(|&(x, _)| x < x0 - max_w - 1.0);
    sorted[start..]
        .iter()
        .take_while(move |&&(x, _)| x <= x1 + 1.0)
        .map(|&(_, i)| i)
}

/// Panics with `what` and the fault when `scene` breaks an invariant.
pub fn check(scene: &Scene, what: &str) {
    let no_steps = scene.notes.iter().any(|n| n.kind == NoteKind::NoSteps);
    assert!(
        !scene.boxes.is_empty() || no_steps,
        "{what}: no boxes and no note saying so"
    );
    check_text(scene, what);
    check_lanes_and_notes(scene, what);
    let mut sorted: Vec<(f64, usize)> = scene
        .boxes
        .iter()
        .enumerate()
        .map(|(i, b)| (b.rect.x, i))
        .collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let max_w = scene.boxes.iter().map(|b| b.rect.w).fold(0.0, f64::max);

    for (i, b) in scene.boxes.iter().enumerate() {
        let lane = &scene.lanes[b.lane];
        assert!(
            lane.band.contains_rect(&b.rect, TOL),
            "{what}: box {i} ({:?}) outside its lane band {:?}",
            b.rect,
            lane.band
        );
        assert!(
            !lane.header.overlaps(&b.rect, TOL),
            "{what}: box {i} over the lane header"
        );
        if let Some(actor) = b.actor {
            assert_eq!(
                scene.lanes[b.lane].actor, actor,
                "{what}: step {i} in another actor's lane"
            );
        }
        for m in &b.markers {
            assert!(
                b.rect.contains_rect(&m.rect, TOL),
                "{what}: marker outside box {i}"
            );
        }
        // Overlaps with later boxes.
        for j in candidates(&sorted, max_w, b.rect.x, b.rect.right()) {
            if j > i {
                assert!(
                    !b.rect.overlaps(&scene.boxes[j].rect, TOL),
                    "{what}: boxes {i} {:?} and {j} {:?} overlap",
                    b.rect,
                    scene.boxes[j].rect
                );
            }
        }
    }

    for (k, e) in scene.edges.iter().enumerate() {
        assert!(e.points.len() >= 2, "{what}: edge {k} has no polyline");
        let first = e.points[0];
        let last = e.points[e.points.len() - 1];
        assert!(
            on_border(first, &scene.boxes[e.from].rect),
            "{what}: edge {k} starts at {first:?}, not on box {:?}",
            scene.boxes[e.from].rect
        );
        assert!(
            on_border(last, &scene.boxes[e.to].rect),
            "{what}: edge {k} ends at {last:?}, not on box {:?}",
            scene.boxes[e.to].rect
        );
        for w in e.points.windows(2) {
            let (a, b) = (w[0], w[1]);
            assert!(
                (a.x - b.x).abs() < 1e-6 || (a.y - b.y).abs() < 1e-6,
                "{what}: edge {k} segment {a:?}-{b:?} is not orthogonal"
            );
            for i in candidates(&sorted, max_w, a.x.min(b.x), a.x.max(b.x)) {
                assert!(
                    !segment_hits(a, b, &scene.boxes[i].rect),
                    "{what}: edge {k} ({}→{}) segment {a:?}-{b:?} crosses box {i} {:?}",
                    e.from,
                    e.to,
                    scene.boxes[i].rect
                );
            }
        }
        if let Some(label) = &e.label {
            let r = &label.rect;
            for i in candidates(&sorted, max_w, r.x, r.right()) {
                assert!(
                    !r.overlaps(&scene.boxes[i].rect, TOL),
                    "{what}: label of edge {k} {r:?} overlaps box {i} {:?}",
                    scene.boxes[i].rect
                );
            }
            assert!(r.right() <= scene.width + TOL && r.bottom() <= scene.height + TOL);
        }
        assert_eq!(
            e.back,
            e.kind == nagare_model::EdgeKind::SendBack,
            "{what}: edge {k} back flag"
        );
    }
    // Labels never overlap each other (sorted by x; compare while the x-ranges can meet).
    let mut labels: Vec<(usize, &Rect)> = scene
        .edges
        .iter()
        .enumerate()
        .filter_map(|(k, e)| e.label.as_ref().map(|l| (k, &l.rect)))
        .collect();
    labels.sort_by(|a, b| a.1.x.total_cmp(&b.1.x));
    let max_label_w = labels.iter().map(|l| l.1.w).fold(0.0, f64::max);
    for (i, &(k, r)) in labels.iter().enumerate() {
        for &(k2, r2) in &labels[i + 1..] {
            if r2.x > r.x + max_label_w + 1.0 {
                break;
            }
            assert!(
                !r.overlaps(r2, TOL),
                "{what}: labels of edges {k} {r:?} and {k2} {r2:?} overlap"
            );
        }
    }
    if let Some(legend) = &scene.legend {
        for b in &scene.boxes {
            assert!(
                !legend.rect.overlaps(&b.rect, TOL),
                "{what}: legend over a box"
            );
        }
    }
}

/// Returns true if `r` lies inside the diamond drawn in `d` (with `TOL` of slack).
fn in_diamond(r: &Rect, d: &Rect) -> bool {
    let c = d.center();
    let (hw, hh) = (d.w / 2.0 + TOL, d.h / 2.0 + TOL);
    [
        (r.x, r.y),
        (r.right(), r.y),
        (r.x, r.bottom()),
        (r.right(), r.bottom()),
    ]
    .iter()
    .all(|&(x, y)| (x - c.x).abs() / hw + (y - c.y).abs() / hh <= 1.0 + 1e-9)
}

/// Checks that every text of the scene stays inside what is drawn around it: label lines in
/// their box (in the inscribed rectangle of a diamond), header lines in their header.
fn check_text(scene: &Scene, what: &str) {
    for (i, b) in scene.boxes.iter().enumerate() {
        let t = &b.text_area;
        if b.shape == Shape::End {
            check_end_label(scene, i, what);
            continue;
        }
        for line in &b.lines {
            let w = text_width(line, scene.font_size);
            assert!(
                w <= t.w + TOL,
                "{what}: box {i} line `{line}` is {w} wide, its text area {}",
                t.w
            );
        }
        #[allow(clippy::cast_precision_loss)]
        let h = b.lines.len() as f64 * scene.line_height;
        assert!(h <= t.h + TOL, "{what}: box {i} has more lines than room");
        let inside = |r: &Rect| {
            if b.shape == Shape::Decision {
                in_diamond(r, &b.rect)
            } else {
                b.rect.contains_rect(r, TOL)
            }
        };
        if !b.lines.is_empty() {
            assert!(inside(t), "{what}: box {i} text {t:?} outside {:?}", b.rect);
        }
        for m in &b.markers {
            assert!(inside(&m.rect), "{what}: box {i} badge outside its shape");
        }
    }
    for (l, lane) in scene.lanes.iter().enumerate() {
        for line in &lane.header_lines {
            let w = text_width(line, scene.font_size);
            assert!(
                w <= lane.header.w + TOL,
                "{what}: lane {l} header line `{line}` is {w} wide, the header {}",
                lane.header.w
            );
        }
        #[allow(clippy::cast_precision_loss)]
        let h = lane.header_lines.len() as f64 * scene.line_height;
        assert!(
            h <= lane.header.h + TOL,
            "{what}: lane {l} header too short"
        );
    }
}

/// Checks the label under end `i`: its lines fit their area, which lies in the end's lane and
/// is clear of every box, edge label and edge.
fn check_end_label(scene: &Scene, i: usize, what: &str) {
    let b = &scene.boxes[i];
    if b.lines.is_empty() {
        return;
    }
    let t = &b.text_area;
    for line in &b.lines {
        let w = text_width(line, SMALL_FONT);
        assert!(
            w <= t.w + TOL,
            "{what}: end {i} line `{line}` is {w} wide, its area {}",
            t.w
        );
    }
    #[allow(clippy::cast_precision_loss)]
    let h = b.lines.len() as f64 * 14.0;
    assert!(h <= t.h + TOL, "{what}: end {i} label taller than its area");
    assert!(
        t.y >= b.rect.bottom(),
        "{what}: end {i} label over its circle"
    );
    assert!(
        scene.lanes[b.lane].band.contains_rect(t, TOL),
        "{what}: end {i} label {t:?} outside its lane"
    );
    for (j, other) in scene.boxes.iter().enumerate() {
        assert!(
            j == i || !t.overlaps(&other.rect, TOL),
            "{what}: end {i} label over box {j}"
        );
    }
    for (k, e) in scene.edges.iter().enumerate() {
        if let Some(label) = &e.label {
            assert!(
                !t.overlaps(&label.rect, TOL),
                "{what}: end {i} label over edge {k}'s label"
            );
        }
        for w in e.points.windows(2) {
            assert!(
                !segment_hits(w[0], w[1], t),
                "{what}: edge {k} runs through end {i}'s label"
            );
        }
    }
}

/// Checks that lanes are side by side without overlapping, that everything lies inside the
/// scene, and that notes fit their text and stay clear of lanes, boxes, labels and legend.
fn check_lanes_and_notes(scene: &Scene, what: &str) {
    let page = Rect {
        x: 0.0,
        y: 0.0,
        w: scene.width,
        h: scene.height,
    };
    for (l, lane) in scene.lanes.iter().enumerate() {
        assert!(
            page.contains_rect(&lane.band, TOL),
            "{what}: lane {l} off the page"
        );
        assert!(
            lane.band.contains_rect(&lane.header, TOL),
            "{what}: lane {l} header outside its band"
        );
        for (m, other) in scene.lanes.iter().enumerate().skip(l + 1) {
            assert!(
                !lane.band.overlaps(&other.band, TOL),
                "{what}: lanes {l} and {m} overlap"
            );
        }
    }
    // Lanes keep the model's declaration order.
    assert!(
        scene.lanes.windows(2).all(|w| w[0].actor < w[1].actor),
        "{what}: lanes out of declaration order"
    );
    for (i, b) in scene.boxes.iter().enumerate() {
        assert!(
            page.contains_rect(&b.rect, TOL),
            "{what}: box {i} off the page"
        );
    }
    if let Some(legend) = &scene.legend {
        assert!(
            page.contains_rect(&legend.rect, TOL),
            "{what}: legend off the page"
        );
        for item in &legend.items {
            assert!(
                legend.rect.contains_rect(&item.text, TOL),
                "{what}: legend item {:?} outside the legend",
                item.kind
            );
        }
    }
    for (k, note) in scene.notes.iter().enumerate() {
        assert!(
            page.contains_rect(&note.rect, TOL),
            "{what}: note {k} off the page"
        );
        for lang in [Lang::Ja, Lang::En] {
            let lines = note.lines(lang);
            #[allow(clippy::cast_precision_loss)]
            let h = lines.len() as f64 * scene.line_height;
            assert!(
                h <= note.rect.h + TOL,
                "{what}: note {k} ({lang:?}) taller than its room"
            );
            for line in &lines {
                assert!(
                    text_width(line, scene.font_size) <= note.rect.w + TOL,
                    "{what}: note {k} line `{line}` wider than its room"
                );
            }
        }
        let clear = |r: &Rect, thing: &str| {
            assert!(
                !note.rect.overlaps(r, TOL),
                "{what}: note {k} over {thing} {r:?}"
            );
        };
        for lane in &scene.lanes {
            clear(&lane.band, "a lane");
        }
        for b in &scene.boxes {
            clear(&b.rect, "a box");
        }
        for e in &scene.edges {
            if let Some(label) = &e.label {
                clear(&label.rect, "an edge label");
            }
        }
        if let Some(legend) = &scene.legend {
            clear(&legend.rect, "the legend");
        }
        for other in scene.notes.iter().skip(k + 1) {
            clear(&other.rect, "another note");
        }
    }
}

//! SVG output: escaping of user text, stable ids and hooks for the viewer, accessibility,
//! diff highlights, markers, direction, and the handoff map.

use std::collections::BTreeMap;

use nagare_model::{ActorKind, EdgeKind, Medium, ModelBuilder, StepKind};
use nagare_render::{
    Direction, LayoutOptions, MarkerKind, Shape, SvgOptions, handoff_map_svg, layout,
    structural_handoffs, svg,
};
use nagare_syntax::Lang;

/// 住民 → 窓口 → 税務 with a send-back from the check to the form.
fn sample() -> nagare_model::Model {
    let mut b = ModelBuilder::new("軽自動車税 廃車申告").id("keijidosha-haisha");
    let resident = b.actor("住民", ActorKind::Resident);
    let counter = b.actor("窓口", ActorKind::Staff);
    let system = b.actor("税務システム", ActorKind::System);
    let s1 = b.step(resident, "廃車申告書に記入する");
    b.step_id(s1, "S1");
    b.step_mut(s1).medium = Some(Medium::Paper);
    let s2 = b.step(
        resident,
        "窓口へ提出する <script>alert('x')</script> & \"q\"",
    );
    b.step_id(s2, "S2");
    b.step_mut(s2).flags.visit = true;
    let s3 = b.step(counter, "記載内容を確認する");
    b.step_id(s3, "S3");
    b.step_mut(s3).kind = StepKind::Decision;
    b.step_mut(s3).flags.seal = true;
    let s4 = b.step(system, "税務システムに登録");
    b.step_id(s4, "受付 4");
    let end = b.end();
    let (n1, n2, n3, n4) = (b.node_of(s1), b.node_of(s2), b.node_of(s3), b.node_of(s4));
    b.chain(&[0, n1, n2, n3]);
    b.edge(n3, n4, EdgeKind::Branch, 0.9);
    b.edge(n3, n1, EdgeKind::SendBack, 0.1);
    b.model_mut().flow.edges.last_mut().expect("edge").label = Some("不備あり".to_owned());
    b.chain(&[n4, end]);
    b.finish()
}

#[test]
fn user_text_is_escaped() {
    let scene = layout(&sample(), &LayoutOptions::default());
    let out = svg(&scene, &SvgOptions::default());
    assert!(!out.contains("<script"), "raw markup leaked");
    assert!(out.contains("&lt;script&gt;"));
    assert!(out.contains("&amp;"));
    assert!(out.contains("&apos;x&apos;") || out.contains("&apos;x"));
}

#[test]
fn ids_and_data_attributes_come_from_step_keys() {
    let scene = layout(&sample(), &LayoutOptions::default());
    let out = svg(&scene, &SvgOptions::default());
    assert!(out.contains("id=\"step-S3\""));
    assert!(out.contains("data-step=\"S3\""));
    // A key with a space and kanji becomes a valid, unique id; data-step keeps the key.
    assert!(out.contains("id=\"step-_53d7__4ed8__20_4\""));
    assert!(out.contains("data-step=\"受付 4\""));
}

#[test]
fn accessible_titles_and_descriptions() {
    let scene = layout(&sample(), &LayoutOptions::default());
    let ja = svg(&scene, &SvgOptions::default());
    assert!(ja.contains("role=\"img\""));
    assert!(ja.contains("<title id=\"ng-title\">業務フロー図: 軽自動車税 廃車申告</title>"));
    assert!(ja.contains("<title>S1 廃車申告書に記入する</title>"));
    assert!(ja.contains("<desc>担当: 住民; 媒体: 紙</desc>"));
    let en = svg(
        &scene,
        &SvgOptions {
            lang: Lang::En,
            ..SvgOptions::default()
        },
    );
    assert!(en.contains("<desc>actor: 住民; medium: paper</desc>"));
    assert!(en.contains("Business flow"));
}

#[test]
fn markers_classes_and_legend() {
    let scene = layout(&sample(), &LayoutOptions::default());
    let kinds: Vec<Vec<MarkerKind>> = scene
        .boxes
        .iter()
        .map(|b| b.markers.iter().map(|m| m.kind).collect())
        .collect();
    assert!(kinds.iter().any(|k| k.contains(&MarkerKind::Paper)));
    assert!(kinds.iter().any(|k| k.contains(&MarkerKind::Visit)));
    assert!(kinds.iter().any(|k| k.contains(&MarkerKind::Seal)));
    assert!(kinds.iter().any(|k| k.contains(&MarkerKind::System)));
    let out = svg(&scene, &SvgOptions::default());
    for class in ["is-paper", "is-visit", "is-seal", "is-automated"] {
        assert!(out.contains(class), "missing {class}");
    }
    assert!(out.contains(">印</text>"));
    assert!(out.contains("差戻し"));
    let decision = scene
        .boxes
        .iter()
        .find(|b| b.step_key.as_deref() == Some("S3"))
        .expect("S3");
    assert_eq!(decision.shape, Shape::Decision);
}

#[test]
fn send_back_is_drawn_going_back_with_its_label() {
    let scene = layout(&sample(), &LayoutOptions::default());
    let back: Vec<_> = scene.edges.iter().filter(|e| e.back).collect();
    assert_eq!(back.len(), 1);
    let e = back[0];
    let from = &scene.boxes[e.from].rect;
    let to = &scene.boxes[e.to].rect;
    assert!(to.x < from.x, "the target of a send-back is to the left");
    // Drawn against the flow: it leaves the decision's entry side and its arrow head enters
    // the earlier step from that step's exit side, pointing back.
    let first = e.points[0];
    let last = e.points[e.points.len() - 1];
    assert!(
        (first.x - from.x).abs() < 0.01,
        "starts on the decision's left side"
    );
    assert!(
        (last.x - to.right()).abs() < 0.01,
        "ends on the target's right side"
    );
    let before_last = e.points[e.points.len() - 2];
    assert!(
        before_last.x > last.x,
        "the arrow head points left, into the target"
    );
    let label = e.label.as_ref().expect("label");
    assert_eq!(label.lines.join(""), "不備あり 10%");
    // The label sits next to the decision, in the channel just before it.
    assert!(label.rect.right() <= from.x && from.x - label.rect.right() < 10.0);
    let out = svg(&scene, &SvgOptions::default());
    assert!(out.contains("stroke-dasharray=\"7 4\""));
}

#[test]
fn highlights_add_classes_and_text_tags() {
    let scene = layout(&sample(), &LayoutOptions::default());
    let mut highlights = BTreeMap::new();
    highlights.insert("S1".to_owned(), vec!["diff-removed".to_owned()]);
    highlights.insert(
        "S3".to_owned(),
        vec!["diff-added".to_owned(), "bad\" onload=\"x".to_owned()],
    );
    let out = svg(
        &scene,
        &SvgOptions {
            highlights,
            ..SvgOptions::default()
        },
    );
    assert!(out.contains("class=\"ng-step ng-node task is-paper diff-removed\""));
    assert!(out.contains(">削除</text>"));
    assert!(out.contains(">追加</text>"));
    assert!(
        !out.contains("onload=\""),
        "caller classes must not inject attributes"
    );
}

#[test]
fn vertical_lanes_are_columns() {
    let model = sample();
    let scene = layout(
        &model,
        &LayoutOptions {
            direction: Direction::Vertical,
            legend: false,
        },
    );
    assert!(scene.legend.is_none());
    let l0 = &scene.lanes[0].band;
    let l1 = &scene.lanes[1].band;
    assert!(l1.x >= l0.right() - 0.01, "lanes side by side");
    let s1 = scene
        .boxes
        .iter()
        .find(|b| b.step_key.as_deref() == Some("S1"))
        .expect("S1");
    let s2 = scene
        .boxes
        .iter()
        .find(|b| b.step_key.as_deref() == Some("S2"))
        .expect("S2");
    assert!(s2.rect.y > s1.rect.bottom(), "the flow runs downwards");
}

#[test]
fn degenerate_models_do_not_panic() {
    // Only a start node, no actors.
    let empty = ModelBuilder::new("空").finish();
    let scene = layout(&empty, &LayoutOptions::default());
    // Nothing to put in a lane: no nameless lane, just the title and the "no steps" note.
    assert!(scene.lanes.is_empty() && scene.boxes.is_empty() && scene.edges.is_empty());
    assert_eq!(scene.notes.len(), 1);
    assert_eq!(scene.notes[0].kind, nagare_render::NoteKind::NoSteps);
    let _ = svg(&scene, &SvgOptions::default());
    // Edges to missing nodes, self loops, a step with an unknown actor, a cycle without send-back.
    let mut b = ModelBuilder::new("壊れた");
    let a = b.actor("A", ActorKind::Staff);
    let s1 = b.step(a, "一");
    let s2 = b.step(a, "二");
    b.step_mut(s2).actor = 99;
    let (n1, n2) = (b.node_of(s1), b.node_of(s2));
    b.chain(&[0, n1, n2, n1]);
    b.edge(n2, n2, EdgeKind::Jump, 0.5);
    b.edge(n1, 1000, EdgeKind::Sequence, 1.0);
    b.edge(usize::MAX, n1, EdgeKind::Sequence, f64::NAN);
    let model = b.finish();
    for direction in [Direction::Horizontal, Direction::Vertical] {
        let scene = layout(
            &model,
            &LayoutOptions {
                direction,
                legend: true,
            },
        );
        let out = svg(&scene, &SvgOptions::default());
        assert!(out.starts_with("<svg"));
        assert!(scene.edges.iter().all(|e| e.points.len() >= 2));
    }
}

#[test]
fn handoff_map_counts_and_empty_graph() {
    let model = sample();
    let handoffs = structural_handoffs(&model);
    // 住民→窓口 (S2→S3), 窓口→システム (S3→S4), 窓口→住民 (send-back S3→S1).
    assert_eq!(handoffs, vec![(0, 1, 1.0), (1, 0, 1.0), (1, 2, 1.0)]);
    let actors: Vec<(String, ActorKind)> = model
        .actors
        .iter()
        .map(|a| (a.name.clone(), a.kind))
        .collect();
    let out = handoff_map_svg(&actors, &handoffs, Lang::Ja);
    assert!(out.contains("data-actor=\"住民\""));
    assert!(out.contains("data-actor=\"税務システム\""));
    assert_eq!(
        out,
        handoff_map_svg(&actors, &handoffs, Lang::Ja),
        "deterministic"
    );
    // No handoffs, bad indices, self handoffs: a small SVG, never a panic.
    for bad in [
        vec![],
        vec![(0, 0, 1.0)],
        vec![(0, 9, 1.0)],
        vec![(0, 1, f64::NAN)],
    ] {
        let out = handoff_map_svg(&actors, &bad, Lang::En);
        assert!(out.contains("no handoffs"));
    }
    assert!(handoff_map_svg(&[], &[], Lang::Ja).contains("引継ぎなし"));
}

/// A handoff curve: its `data-actors`, start and end points, and whether it has an arrow head
/// at the start and at the end.
type HandoffPath = (String, (f64, f64), (f64, f64), bool, bool);

/// Returns every handoff curve of a handoff map.
fn handoff_paths(svg: &str) -> Vec<HandoffPath> {
    let mut out = Vec::new();
    for line in svg.lines().filter(|l| l.contains("class=\"ng-handoff\"")) {
        let attr = |name: &str| {
            let start = line
                .find(&format!("{name}=\""))
                .map(|i| i + name.len() + 2)?;
            let end = line[start..].find('"')? + start;
            Some(line[start..end].to_owned())
        };
        let d = attr("d").expect("d");
        let nums: Vec<f64> = d
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
            .filter_map(|t| t.parse().ok())
            .collect();
        let start = (nums[0], nums[1]);
        let end = (nums[nums.len() - 2], nums[nums.len() - 1]);
        out.push((
            attr("data-actors").expect("actors"),
            start,
            end,
            line.contains("marker-start"),
            line.contains("marker-end"),
        ));
    }
    out
}

/// Returns the centre of the actor box `name` in a handoff map.
fn actor_center(svg: &str, name: &str) -> (f64, f64) {
    let line = svg
        .lines()
        .find(|l| l.contains(&format!("data-actor=\"{name}\"")))
        .expect("actor box");
    let num = |attr: &str| -> f64 {
        let start = line.find(&format!(" {attr}=\"")).expect("attr") + attr.len() + 3;
        let end = line[start..].find('"').expect("quote") + start;
        line[start..end].parse().expect("number")
    };
    (
        num("x") + num("width") / 2.0,
        num("y") + num("height") / 2.0,
    )
}

#[test]
fn handoff_arrows_point_at_the_receiving_actor_both_ways() {
    let actors = vec![
        ("住民".to_owned(), ActorKind::Resident),
        ("窓口".to_owned(), ActorKind::Staff),
    ];
    // Both ways between two actors: layout-rs reverses one of them to break the cycle.
    let handoffs = vec![(0, 1, 2.0), (1, 0, 1.0)];
    let out = handoff_map_svg(&actors, &handoffs, Lang::Ja);
    let paths = handoff_paths(&out);
    assert_eq!(paths.len(), 2, "{out}");
    let center = [actor_center(&out, "住民"), actor_center(&out, "窓口")];
    let dist = |p: (f64, f64), q: (f64, f64)| (p.0 - q.0).hypot(p.1 - q.1);
    for (actors_attr, start, end, head_start, head_end) in paths {
        let ids: Vec<usize> = actors_attr
            .split(' ')
            .map(|t| t.parse().expect("actor id"))
            .collect();
        let to = center[ids[1]];
        assert!(
            head_start != head_end,
            "{actors_attr}: exactly one arrow head"
        );
        let head = if head_end { end } else { start };
        let tail = if head_end { start } else { end };
        assert!(
            dist(head, to) < dist(tail, to),
            "{actors_attr}: the head is at the receiving actor"
        );
    }
    // Both counts are drawn, each on its own label box, and the boxes do not overlap.
    let rects: Vec<(f64, f64, f64, f64)> = out
        .lines()
        .filter(|l| l.contains("ng-count-label"))
        .map(|l| {
            let num = |attr: &str| -> f64 {
                let start = l.find(&format!(" {attr}=\"")).expect("attr") + attr.len() + 3;
                let end = l[start..].find('"').expect("quote") + start;
                l[start..end].parse().expect("number")
            };
            (num("x"), num("y"), num("width"), num("height"))
        })
        .collect();
    assert_eq!(rects.len(), 2, "{out}");
    let (a, b) = (rects[0], rects[1]);
    let apart = a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
    assert!(apart, "count labels overlap: {a:?} {b:?}");
    assert!(out.contains(">2</text>") && out.contains(">1</text>"));
}

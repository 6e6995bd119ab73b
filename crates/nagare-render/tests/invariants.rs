//! Geometric invariants of the swimlane layout on generated flows of 50–2,000 steps, in both
//! directions: boxes inside their lane, no overlapping boxes, no edge through a box, edges
//! starting and ending on their boxes' borders, labels clear of boxes; and determinism.

use nagare_render::{Direction, LayoutOptions, SvgOptions, layout, svg, testgen};

mod common;
use common::check;

fn options(direction: Direction) -> LayoutOptions {
    LayoutOptions {
        direction,
        legend: true,
    }
}

fn run(steps: usize, seed: u64) {
    let model = testgen::generate(steps, seed);
    for direction in [Direction::Horizontal, Direction::Vertical] {
        let scene = layout(&model, &options(direction));
        check(
            &scene,
            &format!("{steps} steps, seed {seed}, {direction:?}"),
        );
    }
}

#[test]
fn invariants_50_steps() {
    for seed in 1..=8 {
        run(50, seed);
    }
}

#[test]
fn invariants_200_steps() {
    for seed in 1..=3 {
        run(200, seed);
    }
}

#[test]
fn invariants_1000_steps() {
    run(1_000, 7);
}

#[test]
fn invariants_2000_steps() {
    run(2_000, 11);
}

#[test]
fn small_flows_of_every_size() {
    for steps in 1..40 {
        run(steps, steps as u64);
    }
}

#[test]
fn deterministic_scene_and_svg() {
    for direction in [Direction::Horizontal, Direction::Vertical] {
        let model = testgen::generate(300, 5);
        let a = layout(&model, &options(direction));
        let b = layout(&model.clone(), &options(direction));
        assert_eq!(
            serde_json::to_string(&a).expect("json"),
            serde_json::to_string(&b).expect("json")
        );
        let svg_a = svg(&a, &SvgOptions::default());
        let svg_b = svg(&b, &SvgOptions::default());
        assert_eq!(svg_a, svg_b);
        assert!(svg_a.len() > 10_000);
    }
}

#[test]
fn process_shaped_flows_have_few_crossings() {
    // A regression alarm, not a proof of quality: on process-shaped flows of 200 steps the
    // layout measured 6–14 crossings for about 280 edges (seeds 1–5); the first version had
    // 36. Fail when crossings come back above one per 14 edges.
    for seed in 1..=5 {
        let model = testgen::generate(200, seed);
        let scene = layout(&model, &LayoutOptions::default());
        let crossings = nagare_render::crossings(&scene);
        assert!(
            crossings * 14 <= scene.edges.len(),
            "seed {seed}: {crossings} crossings for {} edges",
            scene.edges.len()
        );
    }
}

#[test]
fn the_checker_catches_violations() {
    // Guards against a checker that passes everything: plant each kind of fault.
    let model = testgen::generate(50, 3);
    let good = layout(&model, &LayoutOptions::default());
    let mut overlap = good.clone();
    overlap.boxes[2].rect = overlap.boxes[3].rect;
    let mut through = good.clone();
    let target = through.boxes[5].rect.center();
    let start_y = through.edges[0].points[0].y;
    through.edges[0].points.insert(1, target);
    through.edges[0].points.insert(
        1,
        nagare_render::Point {
            x: target.x,
            y: start_y,
        },
    );
    let mut detached = good.clone();
    detached.edges[1].points[0].x += 5.0;
    detached.edges[1].points[0].y += 3.0;
    let mut labels = good.clone();
    let labelled: Vec<usize> = (0..labels.edges.len())
        .filter(|&k| labels.edges[k].label.is_some())
        .collect();
    assert!(
        labelled.len() >= 2,
        "the sample has labels to plant a fault with"
    );
    let first = labels.edges[labelled[0]].label.clone();
    labels.edges[labelled[1]].label = first;
    for (name, scene) in [
        ("overlap", overlap),
        ("through", through),
        ("detached", detached),
        ("labels", labels),
    ] {
        let caught = std::panic::catch_unwind(|| check(&scene, name)).is_err();
        assert!(caught, "planted fault `{name}` not caught");
    }
}

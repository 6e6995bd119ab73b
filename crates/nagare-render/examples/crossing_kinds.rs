//! Prints the crossings of a generated flow's layout by kind of edge pair (forward/back,
//! same-lane/cross-lane), to see where crossings come from:
//! `cargo run -p nagare-render --example crossing_kinds -- <steps> [seed]`.

use std::collections::BTreeMap;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let steps: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let model = nagare_render::testgen::generate(steps, seed);
    let scene = nagare_render::layout(&model, &nagare_render::LayoutOptions::default());
    let kind = |k: usize| {
        let e = &scene.edges[k];
        let cross = scene.boxes[e.from].lane != scene.boxes[e.to].lane;
        match (e.back, cross) {
            (true, _) => "back",
            (false, true) => "fwd-cross-lane",
            (false, false) => "fwd-same-lane",
        }
    };
    let mut horizontal = Vec::new();
    let mut vertical = Vec::new();
    for (k, e) in scene.edges.iter().enumerate() {
        let last = e.points.len().saturating_sub(2);
        for (s, w) in e.points.windows(2).enumerate() {
            let (a, b) = (w[0], w[1]);
            let part = if s == 0 || s == last { "end" } else { "mid" };
            if (a.y - b.y).abs() < 1e-6 {
                horizontal.push((a.y, a.x.min(b.x), a.x.max(b.x), k, part));
            } else {
                vertical.push((a.x, a.y.min(b.y), a.y.max(b.y), k));
            }
        }
    }
    let mut by: BTreeMap<(String, String), usize> = BTreeMap::new();
    for &(y, x0, x1, k, part) in &horizontal {
        for &(x, y0, y1, kv) in &vertical {
            if kv != k && x > x0 + 1e-6 && x < x1 - 1e-6 && y > y0 + 1e-6 && y < y1 - 1e-6 {
                *by.entry((format!("H:{}:{part}", kind(k)), format!("V:{}", kind(kv))))
                    .or_default() += 1;
            }
        }
    }
    println!("total {}", nagare_render::crossings(&scene));
    for ((h, v), c) in by {
        println!("{h:20} x {v:20} {c}");
    }
}

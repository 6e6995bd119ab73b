//! Helper of `scripts/compare-graphviz.sh`: writes the same generated flow as DOT and as a
//! model, renders a model as our SVG, and counts edge crossings of both layouts.
//!
//! ```text
//! gen_dot gen <steps> <dir> [seed]      # <dir>/flow-<steps>.dot, -lanes.dot and .json
//! gen_dot render <model.json> <out.svg> # layout + SVG, as `nagare render` does
//! gen_dot scene <model.json> <out.json> # the layout's scene as JSON
//! gen_dot crossings-ours <model.json>   # crossings of our layout
//! gen_dot crossings-plain <file.plain>  # crossings of `dot -Tplain` output
//! gen_dot crossings-scene <scene.json>  # crossings of a scene (`nagare render --format json`)
//! ```
//!
//! Both sides count proper crossings between different edges' polylines (ours are orthogonal
//! already; dot's Bézier pieces are sampled at 16 points each), so a crossing means the same
//! thing on both sides: two different edges visibly cross.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map_or("", String::as_str);
    match arg(0) {
        "gen" => {
            let steps: usize = arg(1).parse().unwrap_or(50);
            let dir = std::path::Path::new(arg(2));
            let seed: u64 = arg(3).parse().unwrap_or(1);
            let model = nagare_render::testgen::generate(steps, seed);
            let dot = nagare_render::testgen::to_dot(&model);
            std::fs::write(dir.join(format!("flow-{steps}.dot")), dot).expect("write dot");
            let lanes = with_lane_clusters(&model);
            std::fs::write(dir.join(format!("flow-{steps}-lanes.dot")), lanes).expect("write dot");
            let json = serde_json::to_string(&model).expect("model is serialisable");
            std::fs::write(dir.join(format!("flow-{steps}.json")), json).expect("write model");
        }
        "render" => {
            let model = read_model(arg(1));
            let scene = nagare_render::layout(&model, &nagare_render::LayoutOptions::default());
            let svg = nagare_render::svg(&scene, &nagare_render::SvgOptions::default());
            std::fs::write(arg(2), svg).expect("write svg");
        }
        "phases" => {
            // Where the time of `render` goes: reading the model, layout, SVG.
            let t0 = std::time::Instant::now();
            let model = read_model(arg(1));
            let t1 = std::time::Instant::now();
            let scene = nagare_render::layout(&model, &nagare_render::LayoutOptions::default());
            let t2 = std::time::Instant::now();
            let svg = nagare_render::svg(&scene, &nagare_render::SvgOptions::default());
            let t3 = std::time::Instant::now();
            println!(
                "read {:?} layout {:?} svg {:?} ({} bytes)",
                t1 - t0,
                t2 - t1,
                t3 - t2,
                svg.len()
            );
        }
        "scene" => {
            let model = read_model(arg(1));
            let scene = nagare_render::layout(&model, &nagare_render::LayoutOptions::default());
            let json = serde_json::to_string(&scene).expect("scene is serialisable");
            std::fs::write(arg(2), json).expect("write scene");
        }
        "crossings-ours" => {
            let model = read_model(arg(1));
            let scene = nagare_render::layout(&model, &nagare_render::LayoutOptions::default());
            println!("{}", nagare_render::crossings(&scene));
        }
        "crossings-scene" => {
            let text = std::fs::read_to_string(arg(1)).expect("read scene");
            let scene: nagare_render::Scene = serde_json::from_str(&text).expect("scene JSON");
            println!("{}", nagare_render::crossings(&scene));
        }
        "crossings-plain" => {
            let text = std::fs::read_to_string(arg(1)).expect("read plain");
            println!("{}", plain_crossings(&text));
        }
        _ => {
            eprintln!("usage: gen_dot gen|render|crossings-ours|crossings-plain …");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

/// Returns the flow as DOT with one cluster per actor, so that dot also keeps every step in
/// its actor's band (dot cannot fix the bands' order; that only helps it).
fn with_lane_clusters(model: &nagare_model::Model) -> String {
    let plain = nagare_render::testgen::to_dot(model);
    let mut out = String::new();
    for line in plain.lines() {
        if line == "}" {
            for (a, actor) in model.actors.iter().enumerate() {
                out.push_str(&format!(
                    "  subgraph cluster_{a} {{ label=\"{}\";",
                    actor.name
                ));
                for (i, node) in model.flow.nodes.iter().enumerate() {
                    if let nagare_model::Node::Step { step } = node
                        && model.steps[*step].actor == a
                    {
                        out.push_str(&format!(" n{i};"));
                    }
                }
                out.push_str(" }\n");
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn read_model(path: &str) -> nagare_model::Model {
    let text = std::fs::read_to_string(path).expect("read model");
    serde_json::from_str(&text).expect("model JSON")
}

type Seg = ((f64, f64), (f64, f64), usize);

/// Returns the number of proper crossings between the edges of a `dot -Tplain` layout, each
/// edge taken as its spline (cubic Bézier pieces: p0 c1 c2 p1 c3 c4 p2 …) sampled finely.
fn plain_crossings(text: &str) -> usize {
    let mut segs: Vec<Seg> = Vec::new();
    for (k, line) in text.lines().filter(|l| l.starts_with("edge ")).enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let Some(count) = parts.get(3).and_then(|c| c.parse::<usize>().ok()) else {
            continue;
        };
        if count == 0 {
            continue;
        }
        let pts: Vec<(f64, f64)> = (0..count)
            .filter_map(|i| {
                let x = parts.get(4 + 2 * i)?.parse().ok()?;
                let y = parts.get(5 + 2 * i)?.parse().ok()?;
                Some((x, y))
            })
            .collect();
        let mut curve = vec![pts[0]];
        for piece in pts.windows(4).step_by(3) {
            for i in 1..=16 {
                let t = f64::from(i) / 16.0;
                let u = 1.0 - t;
                let b = |a: f64, b: f64, c: f64, d: f64| {
                    u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
                };
                curve.push((
                    b(piece[0].0, piece[1].0, piece[2].0, piece[3].0),
                    b(piece[0].1, piece[1].1, piece[2].1, piece[3].1),
                ));
            }
        }
        for w in curve.windows(2) {
            segs.push((w[0], w[1], k));
        }
    }
    count_proper(&mut segs)
}

fn count_proper(segs: &mut [Seg]) -> usize {
    segs.sort_by(|a, b| a.0.0.min(a.1.0).total_cmp(&b.0.0.min(b.1.0)));
    let mut count = 0;
    for i in 0..segs.len() {
        let (a, b, k) = segs[i];
        let max_x = a.0.max(b.0);
        for &(c, d, l) in &segs[i + 1..] {
            if c.0.min(d.0) > max_x {
                break;
            }
            if k != l && proper(a, b, c, d) {
                count += 1;
            }
        }
    }
    count
}

fn orient(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

fn proper(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    o1 * o2 < 0.0 && o3 * o4 < 0.0
}

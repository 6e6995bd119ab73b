//! Writes the SVG and scene JSON of a generated flow: `cargo run -p nagare-render --example
//! render_gen -- <steps> <out-prefix> [vertical]`, for looking at the layout by eye.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let steps: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(30);
    let prefix = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "/tmp/nagare-gen".to_owned());
    let vertical = args.get(3).is_some_and(|s| s == "vertical");
    let model = nagare_render::testgen::generate(steps, 1);
    let options = nagare_render::LayoutOptions {
        direction: if vertical {
            nagare_render::Direction::Vertical
        } else {
            nagare_render::Direction::Horizontal
        },
        legend: true,
    };
    let scene = nagare_render::layout(&model, &options);
    let svg = nagare_render::svg(&scene, &nagare_render::SvgOptions::default());
    std::fs::write(format!("{prefix}.svg"), svg).expect("write svg");
    std::fs::write(
        format!("{prefix}.json"),
        serde_json::to_string_pretty(&scene).expect("scene is serialisable"),
    )
    .expect("write json");
    eprintln!(
        "{} boxes, {} edges, {} crossings, {}x{}",
        scene.boxes.len(),
        scene.edges.len(),
        nagare_render::crossings(&scene),
        scene.width,
        scene.height
    );
}

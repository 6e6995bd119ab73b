//! Draws a `.flow` file even when it has errors (a 0-step flow, say), which `nagare render`
//! refuses: `cargo run -p nagare-render --example render_flow -- in.flow out.svg [vertical]
//! [en]`, for looking at the layout of edge cases by eye (then `examples/svg2png.rs`).

use nagare_model::{LowerOptions, lower};
use nagare_syntax::Lang;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: render_flow in.flow out.svg [vertical] [en]");
        std::process::exit(2);
    };
    let source = std::fs::read_to_string(input).expect("read the flow file");
    let (file, parse_diagnostics) = nagare_syntax::parse(&source);
    let (model, diagnostics) = lower(&file, &source, &LowerOptions::default());
    for d in parse_diagnostics.iter().chain(&diagnostics) {
        eprintln!("{} {}", d.code, d.message.en);
    }
    let vertical = args.iter().any(|a| a == "vertical");
    let lang = if args.iter().any(|a| a == "en") {
        Lang::En
    } else {
        Lang::Ja
    };
    let options = nagare_render::LayoutOptions {
        direction: if vertical {
            nagare_render::Direction::Vertical
        } else {
            nagare_render::Direction::Horizontal
        },
        legend: true,
    };
    let scene = nagare_render::layout(&model, &options);
    let svg = nagare_render::svg(
        &scene,
        &nagare_render::SvgOptions {
            lang,
            ..nagare_render::SvgOptions::default()
        },
    );
    std::fs::write(output, svg).expect("write the svg");
    eprintln!(
        "{} lanes, {} boxes, {} edges, {} crossings, {}x{}",
        scene.lanes.len(),
        scene.boxes.len(),
        scene.edges.len(),
        nagare_render::crossings(&scene),
        scene.width,
        scene.height
    );
}

//! Rasterises an SVG file to PNG with the system fonts, as `nagare render --format png` does:
//! `cargo run -p nagare-render --example svg2png -- in.svg out.png [scale [x y w h]]`.

use resvg::{tiny_skia, usvg};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: svg2png in.svg out.png [scale]");
        std::process::exit(2);
    };
    let scale: f32 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let text = std::fs::read_to_string(input).expect("read svg");
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_str(&text, &options).expect("parse svg");
    let size = tree.size();
    // Optional crop: x y w h in SVG units.
    let crop: Vec<f32> = args.iter().skip(4).filter_map(|s| s.parse().ok()).collect();
    let (x, y, w, h) = if crop.len() == 4 {
        (crop[0], crop[1], crop[2], crop[3])
    } else {
        (0.0, 0.0, size.width(), size.height())
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut pixmap = tiny_skia::Pixmap::new((w * scale).ceil() as u32, (h * scale).ceil() as u32)
        .expect("pixmap");
    pixmap.fill(tiny_skia::Color::WHITE);
    let transform = tiny_skia::Transform::from_scale(scale, scale).pre_translate(-x, -y);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.save_png(output).expect("write png");
}

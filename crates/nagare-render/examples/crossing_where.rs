//! Prints where the edges of a rendered scene cross (edge ends and the crossing point), to
//! look at each crossing: `nagare render f.flow --format json -o s.json` then
//! `cargo run -p nagare-render --example crossing_where -- s.json`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: crossing_where <scene.json>");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).expect("read scene");
    let scene: nagare_render::Scene = serde_json::from_str(&text).expect("parse scene");
    let name = |b: usize| {
        let bx = &scene.boxes[b];
        format!(
            "{}[{}]",
            bx.label.chars().take(12).collect::<String>(),
            bx.lane
        )
    };
    for (k, e) in scene.edges.iter().enumerate() {
        for (j, f) in scene.edges.iter().enumerate() {
            if j == k {
                continue;
            }
            for a in e.points.windows(2) {
                if (a[0].y - a[1].y).abs() > 1e-6 {
                    continue;
                }
                let (y, x0, x1) = (a[0].y, a[0].x.min(a[1].x), a[0].x.max(a[1].x));
                for b in f.points.windows(2) {
                    if (b[0].x - b[1].x).abs() > 1e-6 {
                        continue;
                    }
                    let (x, y0, y1) = (b[0].x, b[0].y.min(b[1].y), b[0].y.max(b[1].y));
                    if x > x0 + 1e-6 && x < x1 - 1e-6 && y > y0 + 1e-6 && y < y1 - 1e-6 {
                        println!(
                            "({x:.0},{y:.0}) H {}→{}{} x V {}→{}{}",
                            name(e.from),
                            name(e.to),
                            if e.back { " back" } else { "" },
                            name(f.from),
                            name(f.to),
                            if f.back { " back" } else { "" }
                        );
                    }
                }
            }
        }
    }
}

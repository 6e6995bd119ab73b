//! `nagare render`: draws one flow file as a swimlane diagram (SVG, PNG or the scene as JSON),
//! or its handoff map.
//!
//! PNG lives here and not in the render crate because rasterising needs fonts, and loading the
//! system's fonts is IO.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use nagare::render::{self, Direction, LayoutOptions, SvgOptions};
use nagare::syntax::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Svg,
    Png,
    Json,
    /// The flow as a plain Graphviz DOT digraph (no lanes), to compare layouts with `dot`.
    Dot,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .flow file to draw.
    pub file: PathBuf,
    /// Where to write (default: standard output for svg/json, <file>.png for png).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Output format (default: from the output file's extension, else svg).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Draw lanes as columns (actors across the top, flow downwards).
    #[arg(long)]
    pub vertical: bool,
    /// Draw the handoff map (who passes work to whom) instead of the swimlanes.
    #[arg(long)]
    pub handoff_map: bool,
    /// Leave out the legend.
    #[arg(long)]
    pub no_legend: bool,
    /// Pixel scale of PNG output.
    #[arg(long, default_value_t = 2.0)]
    pub scale: f32,
}

/// PNG output is capped at this many pixels; larger diagrams are scaled down to fit.
const MAX_PIXELS: f64 = 120_000_000.0;

pub fn run(args: &Args, lang: Lang) -> anyhow::Result<ExitCode> {
    crate::report::check_output(args.output.as_deref(), lang)?;
    let (source, compilation) = crate::report::compile_file(&args.file, lang)?;
    if compilation.has_errors() {
        crate::report::eprint_errors(&args.file, &source, &compilation.diagnostics, lang);
        let note = match lang {
            Lang::Ja => "エラーのあるフローは描けません。直してからもう一度実行してください。",
            Lang::En => "a flow with errors cannot be drawn: fix them and run again.",
        };
        eprintln!("{note}");
        return Ok(ExitCode::from(1));
    }
    let model = &compilation.model;
    let format = args.format.unwrap_or_else(|| {
        match args
            .output
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("png") => Format::Png,
            Some("json") => Format::Json,
            Some("dot" | "gv") => Format::Dot,
            _ => Format::Svg,
        }
    });
    let direction = if args.vertical {
        Direction::Vertical
    } else {
        Direction::Horizontal
    };
    let scene = render::layout(
        model,
        &LayoutOptions {
            direction,
            legend: !args.no_legend,
        },
    );
    let svg_text = if args.handoff_map {
        let actors: Vec<(String, nagare::model::ActorKind)> = model
            .actors
            .iter()
            .map(|a| (a.name.clone(), a.kind))
            .collect();
        render::handoff_map_svg(&actors, &render::structural_handoffs(model), lang)
    } else {
        render::svg(
            &scene,
            &SvgOptions {
                lang,
                ..SvgOptions::default()
            },
        )
    };
    let bytes: Vec<u8> = match format {
        Format::Svg => svg_text.into_bytes(),
        Format::Dot => {
            if args.handoff_map {
                let msg = match lang {
                    Lang::Ja => "--handoff-map は svg か png で出力してください",
                    Lang::En => "--handoff-map is available as svg or png only",
                };
                anyhow::bail!(msg);
            }
            render::to_dot(model).into_bytes()
        }
        Format::Json => {
            if args.handoff_map {
                let msg = match lang {
                    Lang::Ja => "--handoff-map は svg か png で出力してください",
                    Lang::En => "--handoff-map is available as svg or png only",
                };
                anyhow::bail!(msg);
            }
            let mut json = serde_json::to_string_pretty(&scene)?;
            json.push('\n');
            json.into_bytes()
        }
        Format::Png => png(&svg_text, args.scale, lang)?,
    };
    let output = match (&args.output, format) {
        (Some(p), _) => Some(p.clone()),
        (None, Format::Png) => Some(args.file.with_extension("png")),
        (None, _) => None,
    };
    crate::report::emit(&bytes, output.as_deref(), lang)?;
    Ok(ExitCode::SUCCESS)
}

/// Returns `svg` rasterised to PNG with the system's fonts (Noto Sans CJK for Japanese).
fn png(svg: &str, scale: f32, lang: Lang) -> anyhow::Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_str(svg, &options).context("SVG")?;
    let size = tree.size();
    let wanted = f64::from(scale.clamp(0.1, 8.0));
    let area = f64::from(size.width()) * f64::from(size.height());
    // Very long flows would need gigabytes of pixels: shrink to the cap instead of failing.
    let scale_f = wanted.min((MAX_PIXELS / area.max(1.0)).sqrt());
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // bounded by MAX_PIXELS
    let (w, h) = (
        (f64::from(size.width()) * scale_f).ceil().max(1.0) as u32,
        (f64::from(size.height()) * scale_f).ceil().max(1.0) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h).with_context(|| match lang {
        Lang::Ja => format!("{w}×{h} の画像を確保できません"),
        Lang::En => format!("cannot allocate a {w}×{h} image"),
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    #[allow(clippy::cast_possible_truncation)] // the scale is a small number
    let s = scale_f as f32;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(s, s),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().context("PNG")
}

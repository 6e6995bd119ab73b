//! Lanes only for actors with steps, notes for what the lanes do not show, flows without
//! steps, and the sizes a user notices first (long labels and titles, many lanes, long
//! flows), on flows written in the DSL; plus the full checker on every bundled model.

use nagare_model::{LowerOptions, Model, lower};
use nagare_render::text::text_width;
use nagare_render::{Direction, LayoutOptions, NoteKind, Scene, SvgOptions, layout, svg};
use nagare_syntax::Lang;

mod common;
use common::check;

const DIRECTIONS: [Direction; 2] = [Direction::Horizontal, Direction::Vertical];

/// Returns the model of `source` (diagnostics are not the point here).
fn model_of(source: &str) -> Model {
    let (file, _) = nagare_syntax::parse(source);
    lower(&file, source, &LowerOptions::default()).0
}

fn scene_of(model: &Model, direction: Direction, legend: bool) -> Scene {
    layout(model, &LayoutOptions { direction, legend })
}

fn svg_in(scene: &Scene, lang: Lang) -> String {
    svg(
        scene,
        &SvgOptions {
            lang,
            ..SvgOptions::default()
        },
    )
}

/// Two systems are named only in `システム=`: they have no step, so no lane.
const SYSTEMS_IN_ATTRIBUTES: &str = "\
業務: 転入届
担当:
  住民: 住民
  住民記録システム: システム
  市民課: 職員 (市民課)
  国保システム: システム
  保険年金課: 職員 (保険年金課)
流れ:
  S1 住民: 転入届を書く [紙, 10分]
  S2 市民課: 住民記録システムに入力する [10分, システム=住民記録システム]
  S3 保険年金課: 国保システムに入力する [10分, システム=国保システム]
";

#[test]
fn an_actor_without_steps_gets_no_lane_and_is_named_in_a_note() {
    let model = model_of(SYSTEMS_IN_ATTRIBUTES);
    assert_eq!(model.actors.len(), 5);
    for direction in DIRECTIONS {
        for legend in [true, false] {
            let scene = scene_of(&model, direction, legend);
            check(&scene, &format!("{direction:?}, legend {legend}"));
            // The other lanes keep their declared order; lane.actor is the model's index.
            let lanes: Vec<(usize, &str)> = scene
                .lanes
                .iter()
                .map(|l| (l.actor, l.name.as_str()))
                .collect();
            assert_eq!(lanes, [(0, "住民"), (2, "市民課"), (4, "保険年金課")]);
            assert_eq!(scene.notes.len(), 1, "{direction:?}");
            let note = &scene.notes[0];
            assert_eq!(note.kind, NoteKind::ActorsWithoutSteps);
            assert_eq!(note.actors, [1, 3]);
            assert_eq!(note.names, ["住民記録システム", "国保システム"]);
            // Drawn in both languages, with or without the legend.
            let ja = svg_in(&scene, Lang::Ja);
            assert!(
                ja.contains("手順のない担当（レーンなし）：住民記録システム、国保システム"),
                "{direction:?}"
            );
            let en = svg_in(&scene, Lang::En);
            assert!(en.contains("Actors without steps (no lane): 住民記録システム, 国保システム"));
            // Under the lanes, above the legend.
            let lanes_end = scene
                .lanes
                .iter()
                .map(|l| l.band.bottom())
                .fold(0.0, f64::max);
            assert!(note.rect.y >= lanes_end);
            if let Some(legend) = &scene.legend {
                assert!(legend.rect.y >= note.rect.bottom());
            }
        }
    }
}

#[test]
fn every_actor_with_a_step_keeps_its_lane_and_no_note_is_drawn() {
    let source = SYSTEMS_IN_ATTRIBUTES.replace(
        "  S3 保険年金課",
        "  S4 住民記録システム: 転入を記録する [1分]\n  S5 国保システム: 資格を作る [1分]\n  S3 保険年金課",
    );
    let model = model_of(&source);
    for direction in DIRECTIONS {
        let scene = scene_of(&model, direction, true);
        check(&scene, &format!("{direction:?}"));
        assert_eq!(scene.lanes.len(), 5);
        assert!(scene.notes.is_empty());
        let json = serde_json::to_string(&scene).expect("json");
        assert!(!json.contains("\"notes\""), "no notes, no key in the JSON");
        assert!(!svg_in(&scene, Lang::Ja).contains("ng-note"));
    }
}

#[test]
fn a_flow_without_steps_is_a_small_diagram_that_says_so() {
    // Actors but no steps: every declared lane (all the file has), start → end, the note.
    let with_actors = model_of("業務: 空の手続\n担当:\n  住民: 住民\n  市民課: 職員\n流れ:\n");
    // Only a header: no lane at all (not a nameless one), just the title and the note.
    let bare = model_of("業務: 空の手続\n");
    for direction in DIRECTIONS {
        let scene = scene_of(&with_actors, direction, true);
        check(&scene, &format!("no steps, {direction:?}"));
        assert_eq!(scene.lanes.len(), 2);
        assert_eq!(scene.boxes.len(), 2, "start and end");
        assert_eq!(scene.notes.len(), 1);
        assert_eq!(scene.notes[0].kind, NoteKind::NoSteps);
        assert!(
            scene.width <= 500.0 && scene.height <= 350.0,
            "{direction:?}: {}x{}",
            scene.width,
            scene.height
        );
        // The note fits on one line: the scene grew to it.
        for lang in [Lang::Ja, Lang::En] {
            assert_eq!(scene.notes[0].lines(lang).len(), 1);
        }
        assert!(svg_in(&scene, Lang::Ja).contains("手順がありません"));
        assert!(svg_in(&scene, Lang::En).contains("No steps yet"));

        let scene = scene_of(&bare, direction, true);
        check(&scene, &format!("header only, {direction:?}"));
        assert!(scene.lanes.is_empty() && scene.boxes.is_empty() && scene.edges.is_empty());
        assert_eq!(scene.notes.len(), 1);
        assert!(
            scene.width <= 500.0 && scene.height <= 120.0,
            "{}x{}",
            scene.width,
            scene.height
        );
        // The note sits right under the title, not under an empty band.
        assert!(scene.notes[0].rect.y < 60.0);
        let out = svg_in(&scene, Lang::Ja);
        assert!(out.contains("class=\"ng-title\"") && out.contains("手順がありません"));
    }
}

/// A label of about 200 characters, between two ordinary steps.
fn long_label() -> String {
    let mut s = "申請書の記載内容を確認し、".to_owned();
    for _ in 0..2 {
        s.push_str("添付書類（住民票の写し、所得証明書、在学証明書、保険証の写し、振込先口座の通帳の写し）がそろっているかを一つずつ確かめ、");
    }
    s.push_str("不足があれば電話で連絡して追加の提出を求める");
    s
}

#[test]
fn a_long_label_widens_its_box_and_stays_inside_it() {
    let label = long_label();
    assert!(label.chars().count() >= 150);
    let source = format!(
        "業務: 長い手順\n担当:\n  住民: 住民\n  窓口: 職員\n流れ:\n  S1 住民: 出す [5分]\n  S2 窓口: {label} [10分, 紙]\n  S3 窓口: 確認する [判断, 5分]\n    もし {label}: → S1\n  S4 住民: 受け取る [5分]\n"
    );
    let model = model_of(&source);
    for direction in DIRECTIONS {
        let scene = scene_of(&model, direction, true);
        check(&scene, &format!("{direction:?}"));
        let b = scene
            .boxes
            .iter()
            .find(|b| b.step_key.as_deref() == Some("S2"))
            .expect("S2");
        assert_eq!(b.lines.len(), 5);
        // Twice as wide as an ordinary box shows twice as much of the label before the `…`.
        let shown: usize = b.lines.iter().map(|l| l.chars().count()).sum();
        assert!(shown >= 90, "{shown} characters shown");
        assert!(b.lines[4].ends_with('…'));
        assert_eq!(b.label, label, "the tooltip keeps all of it");
        let edge_label = scene
            .edges
            .iter()
            .find_map(|e| e.label.as_ref())
            .expect("the send-back has a label");
        for line in &edge_label.lines {
            assert!(text_width(line, 11.0) <= edge_label.rect.w + 0.25);
        }
    }
}

#[test]
fn a_long_title_wraps_above_the_lanes() {
    let title = "とても長い業務名の手続で、".repeat(12);
    let source = format!(
        "業務: {title}\n担当:\n  住民: 住民\n  窓口: 職員\n流れ:\n  S1 住民: 出す [5分]\n  S2 窓口: 受け取る [5分]\n"
    );
    let model = model_of(&source);
    for direction in DIRECTIONS {
        let scene = scene_of(&model, direction, true);
        check(&scene, &format!("{direction:?}"));
        assert!(scene.width <= 960.0 + 0.1, "{}", scene.width);
        let lines = title_lines_in(&svg_in(&scene, Lang::Ja));
        assert!(lines.len() >= 3, "{lines:?}");
        title_fits(&scene, &format!("{direction:?}"));
    }
}

#[test]
fn titles_of_every_length_fit_above_the_lanes() {
    // Japanese and Latin words, cut at every length: the layout and the SVG writer must agree
    // on where the title wraps, whatever the width comes to.
    let text: Vec<char> = "粗大ごみ Collection Request と就学援助の申請 (As-Is) 手続のとても長い名前 for the Environment Division "
        .repeat(4)
        .chars()
        .collect();
    for len in (1..text.len()).step_by(5) {
        let title: String = text[..len].iter().collect();
        let title = title.trim();
        if title.is_empty() {
            continue;
        }
        let source = format!("業務: {title}\n担当:\n  住民: 住民\n流れ:\n  S1 住民: 出す [5分]\n");
        let model = model_of(&source);
        for direction in DIRECTIONS {
            let scene = scene_of(&model, direction, false);
            title_fits(&scene, &format!("{len} characters, {direction:?}"));
        }
    }
}

/// Returns the title's bold lines as the SVG draws them.
fn title_lines_in(svg: &str) -> Vec<String> {
    let head = svg.split("<g class=\"ng-lanes\">").next().unwrap_or("");
    head.split("font-weight=\"bold\" fill=\"#1a1a1a\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap_or("").to_owned())
        .collect()
}

/// Checks that every title line fits the page and that the lanes start below the title's
/// last line (and below the subtitle when it has a line of its own).
fn title_fits(scene: &Scene, what: &str) {
    let out = svg_in(scene, Lang::Ja);
    let lines = title_lines_in(&out);
    assert!(!lines.is_empty(), "{what}: no title");
    for line in &lines {
        let w = text_width(line, 18.0) * 1.08;
        assert!(
            w <= scene.width - 20.0 + 0.25 || lines.len() == 1,
            "{what}: title line `{line}` is {w} wide, the page {}",
            scene.width
        );
    }
    // Baselines of everything written before the lanes (title lines, subtitle line).
    let head = out.split("<g class=\"ng-lanes\">").next().unwrap_or("");
    let last_baseline = head
        .split("<text ")
        .skip(1)
        .filter_map(|t| t.split("y=\"").nth(1))
        .filter_map(|t| t.split('"').next())
        .filter_map(|y| y.parse::<f64>().ok())
        .fold(0.0, f64::max);
    assert!(
        last_baseline >= 26.0,
        "{what}: title baseline {last_baseline}"
    );
    let top = scene
        .lanes
        .iter()
        .map(|l| l.band.y)
        .fold(f64::INFINITY, f64::min);
    assert!(
        top >= last_baseline + 10.0,
        "{what}: lanes at {top}, title down to {last_baseline}"
    );
    // One line only when it fits (the page grew to it, up to 960).
    if lines.len() == 1 {
        assert!(
            text_width(&lines[0], 18.0) * 1.08 <= scene.width,
            "{what}: a one-line title wider than the page"
        );
    }
}

/// Returns a flow with 12 actors (long names, a long Latin name, a long department), 60
/// steps wandering between them, checks with send-backs, a long label and an unused system.
fn big_flow() -> String {
    let actors = [
        ("住民", "住民"),
        ("窓口", "職員 (市民課)"),
        ("審査係", "職員 (市民課)"),
        ("係長", "職員 (市民課)"),
        ("課長", "職員 (市民課)"),
        ("保険年金課国民健康保険係の担当者", "職員 (保険年金課)"),
        ("こども課", "職員 (こども課)"),
        ("介護保険課", "職員 (介護保険課)"),
        ("財政課", "職員 (財政課)"),
        (
            "Veterinary Inspection Office",
            "外部 (県の出先機関、動物愛護センター)",
        ),
        ("住民記録システム", "システム"),
        ("RPA", "RPA"),
    ];
    let mut s = String::from("業務: 大きな手続\n担当:\n");
    for (name, kind) in actors {
        s.push_str(&format!("  {name}: {kind}\n"));
    }
    s.push_str("  使わないシステム: システム\n流れ:\n");
    // A fixed walk over the lanes, five lanes at a time (so every lane gets steps and most
    // handoffs cross several lanes), one lane down every fifth step.
    for i in 1..=60 {
        let actor = actors[(i * 5 + usize::from(i % 5 == 0)) % actors.len()].0;
        if i == 5 {
            s.push_str(&format!("  S{i} {actor}: {} [10分, 紙]\n", long_label()));
        } else if i % 13 == 0 {
            s.push_str(&format!(
                "  S{i} {actor}: 内容に不備がないか確かめる [判断, 5分]\n"
            ));
            s.push_str(&format!("    もし 不備あり 10%: → S{}\n", i - 3));
        } else {
            s.push_str(&format!("  S{i} {actor}: 手順{i}の作業をする [5分]\n"));
        }
    }
    s
}

#[test]
fn twelve_actors_and_sixty_steps_stay_readable() {
    let model = model_of(&big_flow());
    assert_eq!(model.actors.len(), 13);
    for direction in DIRECTIONS {
        let scene = scene_of(&model, direction, true);
        check(&scene, &format!("{direction:?}"));
        assert_eq!(
            scene.boxes.iter().filter(|b| b.step_key.is_some()).count(),
            60
        );
        assert_eq!(scene.lanes.len(), 12);
        assert_eq!(scene.notes.len(), 1);
        assert_eq!(scene.notes[0].names, ["使わないシステム"]);
    }
}

#[test]
fn the_checker_catches_misplaced_notes_and_end_labels() {
    let scene = scene_of(
        &model_of(SYSTEMS_IN_ATTRIBUTES),
        Direction::Horizontal,
        true,
    );
    let mut over = scene.clone();
    over.notes[0].rect.y = over.lanes[0].band.y + 5.0;
    let mut narrow = scene;
    narrow.notes[0].rect.w = 40.0;
    // An end label moved onto a step box.
    let ended = model_of(&SYSTEMS_IN_ATTRIBUTES.replace(
        "  S3 保険年金課: 国保システムに入力する [10分, システム=国保システム]\n",
        "  S3 保険年金課: 国保システムに入力する [10分, システム=国保システム]\n  終了: 加入手続の完了\n",
    ));
    let mut end_label = scene_of(&ended, Direction::Horizontal, true);
    let end = end_label
        .boxes
        .iter()
        .position(|b| !b.lines.is_empty() && b.shape == nagare_render::Shape::End)
        .expect("a labelled end");
    check(&end_label, "end label in place");
    end_label.boxes[end].text_area = end_label.boxes[1].rect;
    for (name, scene) in [("over", over), ("narrow", narrow), ("end label", end_label)] {
        let caught = std::panic::catch_unwind(|| check(&scene, name)).is_err();
        assert!(caught, "planted fault `{name}` not caught");
    }
}

#[test]
fn every_bundled_model_passes_the_checker_in_both_directions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).expect("models/").flatten() {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if f.path().extension().is_some_and(|e| e == "flow") {
                files.push(f.path());
            }
        }
    }
    files.sort();
    assert!(files.len() >= 14, "found {} models", files.len());
    for f in files {
        let source = std::fs::read_to_string(&f).expect("readable");
        let model = model_of(&source);
        for direction in DIRECTIONS {
            let scene = scene_of(&model, direction, true);
            check(&scene, &format!("{}, {direction:?}", f.display()));
            // No lane is empty: every lane holds at least one step.
            for lane in &scene.lanes {
                assert!(
                    scene.boxes.iter().any(|b| b.actor == Some(lane.actor)),
                    "{}: lane {} is empty",
                    f.display(),
                    lane.name
                );
            }
        }
    }
}

#[test]
fn an_end_label_sits_under_its_circle_with_room_kept_for_it() {
    let source = "\
業務: 終了ラベル
担当:
  住民: 住民
  窓口: 職員
  係長: 職員
流れ:
  S1 住民: 申請書を出す [5分]
  S2 窓口: 受け付けて確認する [判断, 5分]
    もし 対象外 5%: 終了: 対象外のため受け付けず、ほかの窓口の案内をして手続を終える（理由を記録簿に書く）
    もし 不備あり 10%: 終了: 却下
    それ以外:
      S3 係長: 承認する [5分]
  S4 窓口: 交付する [5分]
";
    let model = model_of(source);
    for direction in DIRECTIONS {
        let scene = scene_of(&model, direction, true);
        // The checker holds every end label to its lane, clear of boxes, labels and edges.
        check(&scene, &format!("{direction:?}"));
        let ends: Vec<_> = scene
            .boxes
            .iter()
            .filter(|b| b.shape == nagare_render::Shape::End && !b.label.is_empty())
            .collect();
        assert_eq!(ends.len(), 2);
        let long = ends
            .iter()
            .find(|b| b.label.starts_with("対象外"))
            .expect("long end");
        assert!(
            long.lines.len() > 1 && long.lines.len() <= 3,
            "{:?}",
            long.lines
        );
        assert_eq!(long.rect.w, 28.0, "the circle keeps its size");
        let out = svg_in(&scene, Lang::Ja);
        for line in &long.lines {
            assert!(out.contains(&format!(">{line}</text>")), "{line}");
        }
    }
}

/// A parallel block whose branches are all one actor's work sits in that actor's lane, not in
/// the lane of the step before it (which drew the split in the Inspector's lane and sent both
/// branches out and back).
#[test]
fn a_parallel_block_of_one_actor_sits_in_that_actors_lane() {
    let model = model_of(
        "process: Parking permit\nactors:\n  Counter: staff\n  Inspector: staff\nflow:\n  S1 Counter: receive [5min]\n  S2 Inspector: inspect [10min]\n  parallel:\n    branch a:\n      S3 Counter: enter data [5min]\n    branch b:\n      S4 Counter: print permit [2min]\n  S5 Counter: hand over [2min]\n",
    );
    for direction in DIRECTIONS {
        let scene = scene_of(&model, direction, true);
        let counter = scene
            .lanes
            .iter()
            .position(|l| l.name == "Counter")
            .expect("a Counter lane");
        let gateways: Vec<usize> = scene
            .boxes
            .iter()
            .filter(|b| {
                matches!(
                    b.kind,
                    nagare_render::BoxKind::Split | nagare_render::BoxKind::Join
                )
            })
            .map(|b| b.lane)
            .collect();
        assert_eq!(gateways, [counter, counter], "{direction:?}");
        check(&scene, &format!("parallel of one actor, {direction:?}"));
    }
}

//! Property tests: no input panics `nagare::compile` or `nagare::syntax::format`, the model
//! keeps its invariants (valid indices; decision probabilities sum to 1), and formatting is
//! idempotent and keeps the meaning.

use nagare::model::{Model, Node};
use nagare::{CompileOptions, compile};
use proptest::prelude::*;

const VALID: &str = "業務: 軽自動車税 廃車申告
版: As-Is
件数: 1200/年  # 想定
担当:
  住民: 住民
  窓口: 職員 (税務課)
  税務システム: システム
書類:
  申請書: 紙 [氏名, 住所]
流れ:
  S1 住民: 申請書に記入する [紙, 10分, 記入=申請書]
  S2 窓口: 確認する [5〜8分, 本人確認]
    もし 不備あり 10%: → S1
    もし 却下 5%: 終了: 却下
    それ以外:
  並行:
    分岐 税:
      S3 税務システム: 照会する [1分]
    分岐 住記:
      S4 窓口: 住記を確認する [2分]
  S5 窓口: 入力する [転記 申請書→税務システム, 8分]
";

/// Pieces that steer random text into the grammar's corners.
const TOKENS: &[&str] = &[
    ":",
    "：",
    "[",
    "]",
    "［",
    "］",
    "(",
    ")",
    "（",
    "→",
    "->",
    "⇒",
    "もし ",
    "それ以外",
    "else",
    "並行:",
    "分岐 ",
    "終了",
    "end",
    "\n",
    "\r\n",
    "\r",
    " ",
    "  ",
    "　",
    "\t",
    "#",
    "＃",
    "S1",
    "S2",
    "住民",
    "窓口",
    "10分",
    "1.5h",
    "-3分",
    "10〜20分",
    "%",
    "50%",
    "110%",
    "「",
    "」",
    "\"",
    ",",
    "、",
    "=",
    "記入=申請書",
    "転記 申請書→X",
    "業務: x",
    "流れ:",
    "担当:",
    "書類:",
    "削除:",
    "\u{FEFF}",
    "\u{0}",
    "é",
    "🙂",
    "ｶﾞ",
    "１",
    "\u{200B}",
];

fn check_invariants(model: &Model, has_errors: bool) {
    let n = model.flow.nodes.len();
    assert!(matches!(model.flow.nodes.first(), Some(Node::Start)));
    for s in &model.steps {
        assert!(s.actor < model.actors.len());
        for d in &s.docs {
            assert!(d.doc < model.documents.len());
        }
    }
    let mut sums = vec![0.0f64; n];
    let mut has_out = vec![false; n];
    for e in &model.flow.edges {
        assert!(e.from < n && e.to < n);
        assert!(e.probability.is_finite() && e.probability >= 0.0);
        if !matches!(model.flow.nodes[e.from], Node::Split { .. }) {
            sums[e.from] += e.probability;
        }
        has_out[e.from] = true;
    }
    for (i, node) in model.flow.nodes.iter().enumerate() {
        if has_out[i] && !matches!(node, Node::Split { .. }) {
            // A file with errors lowers to as much as could be understood: a branch whose
            // target is missing is left out, so its node may keep less than 1 (never more,
            // which keeps the expected-visits system solvable).
            if has_errors {
                assert!(sums[i] <= 1.0 + 1e-6, "node {i} sums to {}", sums[i]);
            } else {
                assert!((sums[i] - 1.0).abs() < 1e-6, "node {i} sums to {}", sums[i]);
            }
        }
    }
}

/// Returns the model as JSON without spans (formatting moves text, not meaning).
fn without_spans(model: &Model) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                map.remove("span");
                map.remove("label_span");
                map.values_mut().for_each(strip);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(model).expect("models serialise");
    strip(&mut v);
    v
}

fn exercise(source: &str) {
    let options = CompileOptions::default();
    let compiled = compile(source, &options);
    check_invariants(&compiled.model, compiled.has_errors());
    // Every later stage takes whatever the compiler returned (the viewer shows broken files too).
    let analysis = nagare::graph::analyze(&compiled.model, &nagare::graph::Settings::default());
    let _ = nagare::candidates::find(
        &compiled.model,
        &analysis,
        &nagare::candidates::CandidateSettings::default(),
    );
    let scene = nagare::render::layout(&compiled.model, &nagare::render::LayoutOptions::default());
    assert!(
        nagare::render::svg(&scene, &nagare::render::SvgOptions::default()).starts_with("<svg")
    );
    if let Ok(formatted) = nagare::syntax::format(source) {
        let again = nagare::syntax::format(&formatted).expect("formatted text parses");
        assert_eq!(again, formatted, "fmt is idempotent");
        let reformatted = compile(&formatted, &options);
        assert_eq!(
            without_spans(&reformatted.model),
            without_spans(&compiled.model)
        );
        let codes = |c: &nagare::Compilation| {
            c.diagnostics
                .iter()
                .map(|d| d.code.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(&reformatted), codes(&compiled));
    }
}

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..80).prop_map(|t| t.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Duplicate(usize, usize),
    Insert(usize, &'static str),
}

fn mutated_valid() -> impl Strategy<Value = String> {
    let len = VALID.chars().count();
    let mutation = prop_oneof![
        (0..len, 0..12usize).prop_map(|(a, n)| Mutation::Delete(a, n)),
        (0..len, 0..40usize).prop_map(|(a, n)| Mutation::Duplicate(a, n)),
        (0..len, prop::sample::select(TOKENS)).prop_map(|(a, t)| Mutation::Insert(a, t)),
    ];
    prop::collection::vec(mutation, 1..6).prop_map(|ms| {
        let mut chars: Vec<char> = VALID.chars().collect();
        for m in ms {
            match m {
                Mutation::Delete(a, n) => {
                    let a = a.min(chars.len());
                    let b = (a + n).min(chars.len());
                    chars.drain(a..b);
                }
                Mutation::Duplicate(a, n) => {
                    let a = a.min(chars.len());
                    let b = (a + n).min(chars.len());
                    let copy: Vec<char> = chars[a..b].to_vec();
                    chars.splice(b..b, copy);
                }
                Mutation::Insert(a, t) => {
                    let a = a.min(chars.len());
                    chars.splice(a..a, t.chars());
                }
            }
        }
        chars.into_iter().collect()
    })
}

/// 256 cases from a fixed seed, so that a CI run is repeatable: a failure here is the same
/// failure on every machine. Hunt further with another seed and more cases, e.g.
/// `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=20000 cargo test -p nagare --test robustness`.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if config.rng_seed == proptest::test_runner::RngSeed::Random {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x6e61_6761_7265);
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        exercise(&s);
    }

    #[test]
    fn arbitrary_byte_like_text_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(s in token_soup()) {
        exercise(&s);
    }

    #[test]
    fn mutations_of_a_valid_flow_never_panic(s in mutated_valid()) {
        exercise(&s);
    }
}

#[test]
fn the_seed_flow_is_valid() {
    let compiled = compile(VALID, &CompileOptions::default());
    assert!(!compiled.has_errors(), "{:#?}", compiled.diagnostics);
    exercise(VALID);
}

#[test]
fn deep_nesting_and_long_lines_are_bounded() {
    let mut deep = String::from("業務: x\n担当:\n  a: 職員\n流れ:\n  S0 a: b\n");
    for i in 0..2_000 {
        deep.push_str(&" ".repeat(2 * i + 4));
        deep.push_str("もし c 50%:\n");
    }
    let compiled = compile(&deep, &CompileOptions::default());
    assert!(compiled.diagnostics.iter().any(|d| d.code == "E0110"));
    let long = format!(
        "業務: x\n流れ:\n  S1 a: {}[{}]\n",
        "あ".repeat(200_000),
        "1分, ".repeat(20_000)
    );
    let compiled = compile(&long, &CompileOptions::default());
    assert!(compiled.diagnostics.len() <= nagare::MAX_DIAGNOSTICS + 1);
}

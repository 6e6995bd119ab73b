//! Property: `nagare fmt` re-indents flows without changing what they mean. Random flows built
//! from steps, branches (empty, with a body, ending on their line), `else`, jumps, ends and
//! parallel blocks at random indentations are formatted; whenever formatting is allowed (no
//! errors), the formatted text must lower to the same steps and edges with the same diagnostic
//! codes, and formatting it again must change nothing. This targets the indentation rules of
//! branch bodies (W0108, W0109, E0109) more densely than the workspace-wide property test.

use nagare_model::{LowerOptions, Model};
use nagare_syntax::Diagnostic;
use proptest::prelude::*;

fn lower(src: &str) -> (Model, Vec<Diagnostic>) {
    let (file, mut diags) = nagare_syntax::parse(src);
    let (model, more) = nagare_model::lower(&file, src, &LowerOptions::default());
    diags.extend(more);
    diags.sort_by_key(|d| d.span().start);
    (model, diags)
}

/// Returns what the flow means: steps (key, label) and edges, without source positions.
fn meaning(model: &Model) -> (Vec<(String, String)>, Vec<String>) {
    let steps = model
        .steps
        .iter()
        .map(|s| (s.key.clone(), s.label.clone()))
        .collect();
    let edges = model
        .flow
        .edges
        .iter()
        .map(|e| {
            format!(
                "{}->{} {:?} {:.6} {:?}",
                e.from, e.to, e.kind, e.probability, e.label
            )
        })
        .collect();
    (steps, edges)
}

/// Indentations as written: spaces, a tab (4 columns) and ideographic spaces (2 columns each).
const PADS: &[&str] = &[
    "  ",
    "    ",
    "      ",
    "        ",
    "   ",
    "          ",
    "\t",
    "  \t",
    "\u{3000}",
    "\u{3000}\u{3000}",
];

fn statement() -> impl Strategy<Value = (usize, u8, u8)> {
    // (indentation, kind, a number used for ids and jump targets)
    // Steps and empty branches dominate: they make the indentation cases of W0108/W0109.
    let kind = prop_oneof![
        4 => prop_oneof![Just(0u8), Just(1), Just(2)],
        2 => Just(3u8),
        1 => Just(4u8),
        1 => Just(5u8),
        1 => prop_oneof![Just(6u8), Just(7), Just(10)],
        1 => prop_oneof![Just(8u8), Just(9)],
    ];
    (0..PADS.len(), kind, 1u8..8)
}

fn render((indent, kind, n): (usize, u8, u8), line: usize) -> String {
    let pad = PADS[indent];
    let body = match kind {
        0 | 1 => format!("S{line} a: x{line} [1分]"),
        2 => format!("a: y{line} [1分]"),
        // The probability in the forms clerks use; formatting must keep each as written.
        3 => format!(
            "もし c{line} {}:",
            ["10%", "(10%)", "約10%", "1割", "１０％"][usize::from(n) % 5]
        ),
        4 => format!("もし c{line} 10%: → S{n}"),
        5 => "それ以外:".to_owned(),
        6 => format!("終了: e{line}"),
        7 => format!("→ S{n}"),
        8 => "並行:".to_owned(),
        10 => format!("if d{line} 20%:  # note"),
        _ => format!("分岐 b{line}:"),
    };
    format!("{pad}{body}\n")
}

/// `cases` from a fixed seed, so that a CI run is repeatable (as in `crates/nagare/tests/
/// robustness.rs`); hunt further with `PROPTEST_RNG_SEED=$RANDOM PROPTEST_CASES=20000`.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases);
    if std::env::var_os("PROPTEST_CASES").is_some() {
        config.cases = ProptestConfig::default().cases;
    }
    if config.rng_seed == proptest::test_runner::RngSeed::Random {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x6e61_6761_7265);
    }
    config
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn fmt_keeps_meaning_and_diagnostics(lines in prop::collection::vec(statement(), 1..14)) {
        let mut src = String::from("業務: x\n担当:\n  a: 職員\n流れ:\n");
        for (i, l) in lines.iter().enumerate() {
            src.push_str(&render(*l, i + 1));
        }
        let Ok(formatted) = nagare_syntax::format(&src) else {
            return Ok(());
        };
        let again = nagare_syntax::format(&formatted).ok();
        prop_assert_eq!(again.as_deref(), Some(formatted.as_str()));
        let (before, d1) = lower(&src);
        let (after, d2) = lower(&formatted);
        prop_assert_eq!(meaning(&after), meaning(&before), "{}\n--\n{}", src, formatted);
        let codes = |d: &[Diagnostic]| d.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
        prop_assert_eq!(codes(&d2), codes(&d1), "{}\n--\n{}", src, formatted);
    }
}

/// One decision as clerks write it: a step, its branches (at the step's indentation or deeper;
/// empty, ending on their line, or with a one-step body) and a following step at the step's or
/// the branches' indentation.
fn decision() -> impl Strategy<Value = (bool, Vec<u8>, bool, bool)> {
    (
        any::<bool>(),
        prop::collection::vec(0u8..4, 0..3),
        any::<bool>(),
        any::<bool>(),
    )
}

fn render_decision(
    (deep, branches, has_else, follow_deep): &(bool, Vec<u8>, bool, bool),
    k: usize,
) -> String {
    let step = "  ";
    let branch = if *deep { "    " } else { "  " };
    let mut s = format!("{step}S{k} a: x{k} [1分]\n");
    for (i, b) in branches.iter().enumerate() {
        match b {
            0 => s.push_str(&format!("{branch}もし c{k}{i} 10%:\n")),
            1 => s.push_str(&format!("{branch}もし c{k}{i} 10%: → S1\n")),
            2 => s.push_str(&format!(
                "{branch}もし c{k}{i} 10%:\n{branch}  B{k}{i} a: y [1分]\n"
            )),
            _ => s.push_str(&format!("{branch}もし c{k}{i} 10%: 終了\n")),
        }
    }
    if *has_else && !branches.is_empty() {
        s.push_str(&format!("{branch}それ以外:\n"));
    }
    let follow = if *follow_deep { branch } else { step };
    s.push_str(&format!("{follow}F{k} a: z{k} [1分]\n"));
    s
}

proptest! {
    #![proptest_config(config(2000))]

    #[test]
    fn fmt_keeps_meaning_of_decisions(blocks in prop::collection::vec(decision(), 1..5)) {
        let mut src = String::from("業務: x\n担当:\n  a: 職員\n流れ:\n");
        for (k, b) in blocks.iter().enumerate() {
            src.push_str(&render_decision(b, k + 1));
        }
        let formatted = nagare_syntax::format(&src).map_err(|d| {
            TestCaseError::fail(format!("refused:\n{src}\n{d:#?}"))
        })?;
        let again = nagare_syntax::format(&formatted).ok();
        prop_assert_eq!(again.as_deref(), Some(formatted.as_str()));
        let (before, d1) = lower(&src);
        let (after, d2) = lower(&formatted);
        prop_assert_eq!(meaning(&after), meaning(&before), "{}\n--\n{}", src, formatted);
        let codes = |d: &[Diagnostic]| d.iter().map(|d| d.code.clone()).collect::<Vec<_>>();
        prop_assert_eq!(codes(&d2), codes(&d1), "{}\n--\n{}", src, formatted);
    }
}

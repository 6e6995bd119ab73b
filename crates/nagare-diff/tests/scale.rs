//! The matcher on generated 2,000-step pairs with a known answer: it must recover the truth.

#[path = "../benches/support/generate.rs"]
mod generate;

use nagare_diff::{ChangeClass, diff_models};

/// Returns the share of As-Is steps whose outcome (To-Be counterpart or removal) is correct.
#[allow(clippy::cast_precision_loss)]
fn accuracy(n: usize, change: f64, seed: u64) -> f64 {
    let pair = generate::pair(n, change, seed);
    let d = diff_models(&pair.as_is, &pair.to_be);
    let key_index = |keys: &[&str], model: &nagare_model::Model| -> Vec<usize> {
        keys.iter()
            .filter_map(|k| model.steps.iter().position(|s| s.key == *k))
            .collect()
    };
    let mut correct = 0;
    for c in &d.changes {
        let a = key_index(&c.as_is_keys(), &pair.as_is);
        let t = key_index(&c.to_be_keys(), &pair.to_be);
        for &i in &a {
            let ok = match pair.truth[i] {
                None => c.has(ChangeClass::Removed),
                Some(j) => t.contains(&j),
            };
            if ok {
                correct += 1;
            }
        }
    }
    correct as f64 / n as f64
}

#[test]
fn recovers_generated_changes() {
    for seed in [1, 42] {
        let acc = accuracy(2_000, 0.2, seed);
        assert!(acc >= 0.95, "seed {seed}: accuracy {acc}");
    }
}

#[test]
fn every_step_appears_exactly_once() {
    let pair = generate::pair(500, 0.4, 7);
    let d = diff_models(&pair.as_is, &pair.to_be);
    let mut a: Vec<&str> = d.changes.iter().flat_map(|c| c.as_is_keys()).collect();
    let mut t: Vec<&str> = d.changes.iter().flat_map(|c| c.to_be_keys()).collect();
    a.sort_unstable();
    t.sort_unstable();
    let (na, nt) = (a.len(), t.len());
    a.dedup();
    t.dedup();
    assert_eq!((a.len(), t.len()), (na, nt));
    assert_eq!((na, nt), (pair.as_is.steps.len(), pair.to_be.steps.len()));
}

//! Exact solution of the sparse fixed-point systems behind v(s) and the lead time.
//!
//! Each unknown satisfies `x_i = c_i + max(x_k for k in max_of_i) + Σ a_ij x_j`. The unknowns are
//! split into strongly connected components of their dependencies and solved in dependency order,
//! so a loop-free flow is a single substitution pass and each loop is a small system of its own.
//! A loop's system is solved by sparse Gaussian elimination in flow order: for a chain with a
//! send-back the fill-in stays one column per loop, so a 10,000-step loop costs O(n), not O(n³).
//!
//! No pivoting is needed: the matrices are `I − A` with `A ≥ 0` and spectral radius below 1
//! whenever every loop can be left (a non-singular M-matrix), for which elimination in any order
//! is stable and never meets a zero pivot. A (near-)zero pivot therefore means a loop that cannot
//! be left; its unknowns are reported and set to 0 instead of producing inf or NaN.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};

/// One equation: `x = constant + max(x_k, k ∈ max_of) + Σ coefficient · x_j`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub constant: f64,
    pub terms: Vec<(usize, f64)>,
    /// Unknowns of which the maximum is added (parallel branches); empty adds nothing.
    pub max_of: Vec<usize>,
}

/// Below this a pivot is treated as zero: the loop is (numerically) never left.
const PIVOT_EPSILON: f64 = 1e-10;

/// Returns the solution and the unknowns that belong to a singular component (set to 0).
///
/// `rank[i]` orders unknowns inside a component (flow order keeps fill-in small).
pub(crate) fn solve(rows: &[Row], rank: &[usize]) -> (Vec<f64>, Vec<usize>) {
    let n = rows.len();
    let mut deps: DiGraph<(), ()> = DiGraph::with_capacity(n, n);
    for _ in 0..n {
        deps.add_node(());
    }
    for (i, row) in rows.iter().enumerate() {
        for &(j, a) in &row.terms {
            if j < n && a != 0.0 {
                deps.add_edge(NodeIndex::new(i), NodeIndex::new(j), ());
            }
        }
        for &k in &row.max_of {
            if k < n {
                deps.add_edge(NodeIndex::new(i), NodeIndex::new(k), ());
            }
        }
    }
    let mut x = vec![0.0; n];
    let mut singular = Vec::new();
    let mut component_of = vec![usize::MAX; n];
    // kosaraju_scc (iterative, unlike petgraph's recursive tarjan_scc, so long flows cannot
    // overflow the stack) yields components in postorder: every dependency's component first.
    for (c, component) in petgraph::algo::kosaraju_scc(&deps).into_iter().enumerate() {
        let mut members: Vec<usize> = component.into_iter().map(NodeIndex::index).collect();
        for &m in &members {
            component_of[m] = c;
        }
        if members.len() == 1 {
            let i = members[0];
            let row = &rows[i];
            let mut value = row.constant + max_known(row, &x);
            let mut diagonal = 1.0;
            for &(j, a) in &row.terms {
                if j == i {
                    diagonal -= a;
                } else if j < n {
                    value += a * x[j];
                }
            }
            if diagonal < PIVOT_EPSILON {
                // A self-loop taken with probability ≥ 1: never left.
                singular.push(i);
            } else {
                x[i] = (value / diagonal).max(0.0);
            }
            continue;
        }
        members.sort_by_key(|&m| (rank.get(m).copied().unwrap_or(usize::MAX), m));
        if !solve_component(rows, &members, &component_of, c, &mut x) {
            for &m in &members {
                x[m] = 0.0;
            }
            singular.extend(members);
        }
    }
    for v in &mut x {
        if !v.is_finite() {
            *v = 0.0;
        }
    }
    singular.sort_unstable();
    (x, singular)
}

fn max_known(row: &Row, x: &[f64]) -> f64 {
    row.max_of
        .iter()
        .filter_map(|&k| x.get(k).copied())
        .fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.max(v)))
        })
        .unwrap_or(0.0)
}

/// Solves one strongly connected component in place; returns false if it is singular.
fn solve_component(
    rows: &[Row],
    members: &[usize],
    component_of: &[usize],
    component: usize,
    x: &mut [f64],
) -> bool {
    let k = members.len();
    let local: BTreeMap<usize, usize> = members.iter().enumerate().map(|(l, &g)| (g, l)).collect();
    let mut matrix: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); k];
    let mut rhs = vec![0.0; k];
    let mut col_rows: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); k];
    for (l, &g) in members.iter().enumerate() {
        let row = &rows[g];
        *matrix[l].entry(l).or_insert(0.0) += 1.0;
        col_rows[l].insert(l);
        let mut constant = row.constant;
        let inside_max = row
            .max_of
            .iter()
            .any(|&m| component_of.get(m) == Some(&component));
        if inside_max {
            // Only a malformed parallel block puts a branch in the same loop as its split: fall
            // back to the sum of the branches, which keeps the system linear and finite.
            for &m in &row.max_of {
                add_term(
                    &mut matrix,
                    &mut col_rows,
                    &mut constant,
                    &local,
                    x,
                    l,
                    m,
                    1.0,
                );
            }
        } else {
            constant += max_known(row, x);
        }
        for &(j, a) in &row.terms {
            add_term(
                &mut matrix,
                &mut col_rows,
                &mut constant,
                &local,
                x,
                l,
                j,
                a,
            );
        }
        rhs[l] = constant;
    }
    for p in 0..k {
        let pivot = matrix[p].get(&p).copied().unwrap_or(0.0);
        if !pivot.is_finite() || pivot.abs() < PIVOT_EPSILON {
            return false;
        }
        let below: Vec<usize> = col_rows[p].range(p + 1..).copied().collect();
        let pivot_row: Vec<(usize, f64)> =
            matrix[p].range(p + 1..).map(|(&c, &v)| (c, v)).collect();
        for r in below {
            let Some(a) = matrix[r].remove(&p) else {
                continue;
            };
            let factor = a / pivot;
            for &(c, v) in &pivot_row {
                *matrix[r].entry(c).or_insert(0.0) -= factor * v;
                col_rows[c].insert(r);
            }
            rhs[r] -= factor * rhs[p];
        }
    }
    let mut local_x = vec![0.0; k];
    for p in (0..k).rev() {
        let mut value = rhs[p];
        for (&c, &v) in matrix[p].range(p + 1..) {
            value -= v * local_x[c];
        }
        let pivot = matrix[p].get(&p).copied().unwrap_or(0.0);
        local_x[p] = value / pivot;
        if !local_x[p].is_finite() {
            return false;
        }
    }
    // Every quantity solved here (visits, minutes) is non-negative: a negative value means the
    // matrix was not an M-matrix (a loop that multiplies the case), so the true value is unbounded.
    if local_x.iter().any(|v| *v < -1e-9) {
        return false;
    }
    for (l, &g) in members.iter().enumerate() {
        x[g] = local_x[l].max(0.0);
    }
    true
}

/// Moves `a · x_j` to the left-hand side if `j` is in the component, else into the constant.
#[allow(clippy::too_many_arguments)] // a private helper of one function; a struct would obscure it
fn add_term(
    matrix: &mut [BTreeMap<usize, f64>],
    col_rows: &mut [BTreeSet<usize>],
    constant: &mut f64,
    local: &BTreeMap<usize, usize>,
    x: &[f64],
    row: usize,
    j: usize,
    a: f64,
) {
    if let Some(&lj) = local.get(&j) {
        *matrix[row].entry(lj).or_insert(0.0) -= a;
        col_rows[lj].insert(row);
    } else if let Some(v) = x.get(j) {
        *constant += a * v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(constant: f64, terms: &[(usize, f64)]) -> Row {
        Row {
            constant,
            terms: terms.to_vec(),
            max_of: Vec::new(),
        }
    }

    #[test]
    fn chain_with_send_back_is_geometric() {
        // x0 = 1 + 0.1 x2; x1 = x0; x2 = x1  → x = 1/0.9 each.
        let rows = [
            row(1.0, &[(2, 0.1)]),
            row(0.0, &[(0, 1.0)]),
            row(0.0, &[(1, 1.0)]),
        ];
        let (x, singular) = solve(&rows, &[0, 1, 2]);
        assert!(singular.is_empty());
        for v in x {
            assert!((v - 1.0 / 0.9).abs() < 1e-12, "{v}");
        }
    }

    #[test]
    fn self_loop_and_max() {
        // x0 = 2 + 0.5 x0 → 4; x1 = 1; x2 = max(x0, x1) + 1 = 5.
        let rows = [
            row(2.0, &[(0, 0.5)]),
            row(1.0, &[]),
            Row {
                constant: 1.0,
                terms: Vec::new(),
                max_of: vec![0, 1],
            },
        ];
        let (x, _) = solve(&rows, &[0, 1, 2]);
        assert!((x[0] - 4.0).abs() < 1e-12);
        assert!((x[2] - 5.0).abs() < 1e-12);
    }

    #[test]
    fn closed_loop_is_reported_not_infinite() {
        let rows = [row(1.0, &[(1, 1.0)]), row(0.0, &[(0, 1.0)])];
        let (x, singular) = solve(&rows, &[0, 1]);
        assert_eq!(singular, vec![0, 1]);
        assert!(x.iter().all(|v| v.is_finite()));
    }

    #[test]
    fn long_loop_is_linear_and_exact() {
        let n = 5000;
        let mut rows = vec![row(1.0, &[(n - 1, 0.2)])];
        for i in 1..n {
            rows.push(row(0.0, &[(i - 1, 1.0)]));
        }
        let rank: Vec<usize> = (0..n).collect();
        let (x, singular) = solve(&rows, &rank);
        assert!(singular.is_empty());
        assert!((x[n - 1] - 1.25).abs() < 1e-9);
    }
}

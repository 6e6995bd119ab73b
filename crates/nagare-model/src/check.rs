//! Graph-wide validation of a lowered flow: every step reachable from the start, and an end
//! reachable from every step (a loop with no way out is reported with its path, as `just`
//! prints dependency cycles). Linear in the size of the flow.

use nagare_syntax::{Diagnostic, Overflow, Span, Text};

use crate::types::{Model, Node, NodeId};

/// Appends the reachability problems of `model.flow` to `diags`.
/// Pushes through `overflow`, so that a flow with thousands of unreachable steps keeps memory
/// bounded.
pub(crate) fn check_flow(
    model: &Model,
    source: &str,
    diags: &mut Vec<Diagnostic>,
    overflow: &mut Overflow,
) {
    // Built only when a message must name a step by its line (most flows have no problem).
    let index = std::cell::OnceCell::new();
    let index = || index.get_or_init(|| nagare_syntax::LineIndex::new(source));
    let flow = &model.flow;
    let n = flow.nodes.len();
    let mut out: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    let mut inc: Vec<Vec<NodeId>> = vec![Vec::new(); n];
    for e in &flow.edges {
        if e.from < n && e.to < n {
            out[e.from].push(e.to);
            inc[e.to].push(e.from);
        }
    }
    let reach = search(&out, [0].into_iter().filter(|_| n > 0));
    let ends = flow
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, node)| matches!(node, Node::End { .. }))
        .map(|(i, _)| i);
    let coreach = search(&inc, ends);

    for (i, node) in flow.nodes.iter().enumerate() {
        if let Node::Step { step } = node
            && !reach[i]
            && let Some(s) = model.steps.get(*step)
        {
            let name = crate::names::step_phrase(s, source, index());
            diags.push(
                Diagnostic::error(
                    "E0410",
                    s.span,
                    Text::new(
                        format!("{} にはどこからも到達できません", name.ja),
                        format!("{} can never be reached", name.en),
                    ),
                )
                .with_label_message(Text::new("到達できない手順", "unreachable step"))
                .with_hint(Text::new(
                    "この手順の前に `→` や `終了` があると、そこで流れが切れます。手順に ID を付けて `→ ID` で飛ぶか、並びを直してください",
                    "a jump or `end` above it cuts the flow; give it an id and jump to it, or move it",
                )),
            );
            overflow.compact(diags);
        }
    }

    let stuck: Vec<bool> = (0..n).map(|i| reach[i] && !coreach[i]).collect();
    let mut covered = vec![false; n];
    for start in 0..n {
        if !stuck[start] || covered[start] || !matches!(flow.nodes[start], Node::Step { .. }) {
            continue;
        }
        // Walk forward inside the stuck region until a node repeats: that is the loop.
        let mut order: Vec<NodeId> = Vec::new();
        let mut index_of = std::collections::HashMap::new();
        let mut cur = start;
        let cycle = loop {
            if let Some(&k) = index_of.get(&cur) {
                break Some(order[k..].to_vec());
            }
            if covered[cur] {
                // Leads into a trap already reported: do not report it again.
                break None;
            }
            index_of.insert(cur, order.len());
            order.push(cur);
            match out[cur].iter().find(|&&t| stuck[t]) {
                Some(&next) => cur = next,
                None => break None,
            }
        };
        let reaches_covered = covered[cur];
        // Everything reachable from here is trapped too: report it once. Nodes already covered
        // are not walked again, so the whole check stays linear.
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            if covered[v] {
                continue;
            }
            covered[v] = true;
            stack.extend(out[v].iter().copied().filter(|&w| !covered[w]));
        }
        if reaches_covered {
            continue;
        }
        let name = |node: NodeId| match &flow.nodes[node] {
            Node::Step { step } => model
                .steps
                .get(*step)
                .map_or_else(String::new, crate::names::step_short),
            Node::Split { .. } => "(並行/parallel)".to_owned(),
            Node::Join { .. } => "(合流/join)".to_owned(),
            Node::Start => "(開始/start)".to_owned(),
            Node::End { .. } => "(終了/end)".to_owned(),
        };
        let span_of = |node: NodeId| match &flow.nodes[node] {
            Node::Step { step } => model
                .steps
                .get(*step)
                .map_or_else(Span::default, |s| s.span),
            Node::Split { span, .. } | Node::Join { span, .. } | Node::End { span, .. } => *span,
            Node::Start => Span::default(),
        };
        match cycle {
            Some(cycle) => {
                let mut path: Vec<String> = cycle.iter().map(|&c| name(c)).collect();
                path.push(name(cycle[0]));
                let path = path.join(" → ");
                let mut d = Diagnostic::error(
                    "E0411",
                    span_of(cycle[0]),
                    Text::new(
                        format!("抜け出せないループがあります: {path}"),
                        format!("this loop can never exit: {path}"),
                    ),
                )
                .with_label_message(Text::new("ループの始まり", "the loop starts here"));
                for &c in cycle.iter().skip(1).take(10) {
                    d = d.with_secondary(span_of(c), Text::new("ループの一部", "part of the loop"));
                }
                diags.push(d.with_hint(Text::new(
                    "差戻しの分岐には、先へ進む場合も書いてください (例: `もし 不備あり 10%: → S1` なら残り 90% は次へ進みます)。確率 100% の差戻しになっていないか確かめてください",
                    "a send-back needs a way forward too (`if incomplete 10%: -> S1` lets the other 90% go on); check for a 100% send-back",
                )));
            }
            None => {
                let last = order.last().copied().unwrap_or(start);
                diags.push(
                    Diagnostic::error(
                        "E0411",
                        span_of(last),
                        Text::new(
                            format!("{} から終了にたどり着けません", name(last)),
                            format!("no path from {} to an end", name(last)),
                        ),
                    )
                    .with_hint(Text::new(
                        "この後に続く手順か `終了` を書いてください",
                        "add the steps that follow, or `end`",
                    )),
                );
            }
        }
        overflow.compact(diags);
    }
}

/// Returns which nodes are reachable from `starts` along `adj`.
fn search(adj: &[Vec<NodeId>], starts: impl Iterator<Item = NodeId>) -> Vec<bool> {
    let mut seen = vec![false; adj.len()];
    let mut stack: Vec<NodeId> = Vec::new();
    for s in starts {
        if s < adj.len() && !seen[s] {
            seen[s] = true;
            stack.push(s);
        }
    }
    while let Some(v) = stack.pop() {
        for &w in &adj[v] {
            if !seen[w] {
                seen[w] = true;
                stack.push(w);
            }
        }
    }
    seen
}

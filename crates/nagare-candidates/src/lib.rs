//! Improvement candidates, beside the graph stage: rules of DOMAIN.md §6 over a model and its metrics. No IO.

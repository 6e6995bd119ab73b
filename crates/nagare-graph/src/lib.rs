//! Process graph and metrics: the third stage of the pipeline (syntax → model → **graph** → render).
//! Builds a petgraph graph of a [`nagare_model::Model`], computes expected visits per case and every
//! metric of DOMAIN.md §4. No IO.

//! Swimlane diagrams: the fourth stage of the pipeline (syntax → model → graph → **render**).
//! `layout(&Model) -> Scene` and `svg(&Scene) -> String`, both pure and deterministic. No IO.

//! Every model in `models/` compiles without errors.

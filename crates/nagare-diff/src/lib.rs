//! As-Is / To-Be comparison, beside the graph stage: step matching, change classes, metric deltas. No IO.

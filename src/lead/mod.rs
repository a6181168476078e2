//! Per-lead state and feature extraction. Being written; see issue 3.

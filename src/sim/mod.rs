//! The lead simulator with ground truth. Being written; see issue 3.

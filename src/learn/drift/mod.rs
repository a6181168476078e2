//! Concept-drift detectors: ADWIN (Bifet & Gavaldà, 2007) and Page-Hinkley (Page, 1954).
//!
//! What it is for: watching a learner's prequential error (or any real-valued signal) and saying
//! when its distribution changed, with River 0.26's semantics so detections match River's exactly.
//! What it is not: a policy; what to do on drift (swap a model, alert) belongs to the caller.

pub mod adwin;
mod cut_test;
mod exponential_histogram;

pub use adwin::{Adwin, AdwinParams};
pub mod page_hinkley;

pub use page_hinkley::{PageHinkley, PageHinkleyMode, PageHinkleyParams};

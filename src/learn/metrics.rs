//! Prequential metrics: accuracy, log loss, ROC AUC and their rolling-window versions.
//! Being written; see issue 2.

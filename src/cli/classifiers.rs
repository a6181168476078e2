//! The classifiers `leadstream eval` can build, by name, with `--seed` and `--set KEY=VALUE`
//! applied through each learner's [`Hyperparams`].
//!
//! What it is for: one place mapping CLI model names to learners, so every CLI path and the
//! benchmark script agree on what `hoeffding-tree` or `logistic` means.
//! What it is not: a registry of every learner in the crate; only those `eval` exposes.

use crate::learn::hoeffding::{HoeffdingAdaptiveTreeParams, HoeffdingTreeParams};
use crate::learn::logistic::LogisticRegressionParams;
use crate::learn::{Classifier, Hyperparams};

use super::CliError;

/// A classifier `leadstream eval` can build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// VFDT: River's `tree.HoeffdingTreeClassifier()`.
    HoeffdingTree,
    /// River's `tree.HoeffdingAdaptiveTreeClassifier()`.
    HoeffdingAdaptiveTree,
    /// River's `preprocessing.StandardScaler() | linear_model.LogisticRegression()`.
    Logistic,
}

impl ModelKind {
    /// Every model, in the order they are listed in messages.
    pub const ALL: [ModelKind; 3] = [
        ModelKind::HoeffdingTree,
        ModelKind::HoeffdingAdaptiveTree,
        ModelKind::Logistic,
    ];

    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::HoeffdingTree => "hoeffding-tree",
            ModelKind::HoeffdingAdaptiveTree => "hoeffding-adaptive-tree",
            ModelKind::Logistic => "logistic",
        }
    }

    /// The model called `name`.
    ///
    /// # Errors
    /// [`CliError::Input`] listing the known names when `name` is not one of them.
    pub fn parse(name: &str) -> Result<Self, CliError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
                CliError::Input(format!(
                    "unknown model `{name}` (known: {})",
                    known.join(", ")
                ))
            })
    }

    /// Whether the model has a `seed` hyperparameter.
    pub fn has_seed(self) -> bool {
        matches!(self, ModelKind::HoeffdingAdaptiveTree)
    }
}

/// How to build a model: which one, its seed (ignored by models without one) and `KEY=VALUE`
/// settings applied after the seed, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelSpec {
    /// Which model.
    pub kind: ModelKind,
    /// `--seed`, if given.
    pub seed: Option<u64>,
    /// `--set` pairs, in command-line order.
    pub settings: Vec<(String, String)>,
}

/// Splits `KEY=VALUE` at the first `=`.
///
/// # Errors
/// [`CliError::Input`] when there is no `=` or the key is empty.
pub fn parse_setting(text: &str) -> Result<(String, String), CliError> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(CliError::Input(format!(
            "--set `{text}`: expected KEY=VALUE"
        ))),
    }
}

fn configure<P: Hyperparams>(mut params: P, spec: &ModelSpec) -> Result<P, CliError> {
    if let Some(seed) = spec.seed {
        if P::KEYS.contains(&"seed") {
            params.set("seed", &seed.to_string())?;
        }
    }
    for (key, value) in &spec.settings {
        params.set(key, value)?;
    }
    Ok(params)
}

/// Builds the model for `n_features` features and classes `0..n_classes`.
///
/// # Errors
/// [`CliError::Param`] for an unknown key, a value that does not parse, or a setting (or class
/// count) the learner refuses when it is built.
pub fn build(
    spec: &ModelSpec,
    n_features: usize,
    n_classes: usize,
) -> Result<Box<dyn Classifier>, CliError> {
    Ok(match spec.kind {
        ModelKind::HoeffdingTree => {
            Box::new(configure(HoeffdingTreeParams::default(), spec)?.build(n_features, n_classes)?)
        }
        ModelKind::HoeffdingAdaptiveTree => Box::new(
            configure(HoeffdingAdaptiveTreeParams::default(), spec)?
                .build(n_features, n_classes)?,
        ),
        ModelKind::Logistic => Box::new(
            configure(LogisticRegressionParams::default(), spec)?.build(n_features, n_classes)?,
        ),
    })
}

/// The seed the model will use: `--seed`, else a `seed` given with `--set`, else the default
/// (`None` for models without a seed).
pub fn effective_seed(spec: &ModelSpec) -> Option<u64> {
    if !spec.kind.has_seed() {
        return None;
    }
    let from_set = spec
        .settings
        .iter()
        .rev()
        .find(|(k, _)| k == "seed")
        .and_then(|(_, v)| v.parse().ok());
    from_set
        .or(spec.seed)
        .or(Some(HoeffdingAdaptiveTreeParams::default().seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_listed() {
        for kind in ModelKind::ALL {
            assert_eq!(ModelKind::parse(kind.name()).unwrap(), kind);
        }
        let err = ModelKind::parse("forest").unwrap_err().to_string();
        assert!(err.contains("unknown model `forest`"), "{err}");
        assert!(err.contains("hoeffding-tree"), "{err}");
    }

    #[test]
    fn settings_reach_the_params_and_unknown_keys_fail() {
        let spec = |settings: &[(&str, &str)]| ModelSpec {
            kind: ModelKind::HoeffdingTree,
            seed: Some(3),
            settings: settings
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        };
        assert!(build(&spec(&[("grace_period", "50")]), 2, 2).is_ok());
        let err = build(&spec(&[("nope", "1")]), 2, 2)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("unknown hyperparameter `nope`"), "{err}");
        let err = build(&spec(&[("delta", "2")]), 2, 2)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("delta"), "{err}");
        assert_eq!(parse_setting("a=b=c").unwrap(), ("a".into(), "b=c".into()));
        assert!(parse_setting("novalue").is_err());
    }

    #[test]
    fn the_seed_shown_is_the_seed_used() {
        let mut spec = ModelSpec {
            kind: ModelKind::HoeffdingAdaptiveTree,
            seed: Some(5),
            settings: Vec::new(),
        };
        assert_eq!(effective_seed(&spec), Some(5));
        spec.settings.push(("seed".into(), "9".into()));
        assert_eq!(effective_seed(&spec), Some(9));
        spec.kind = ModelKind::Logistic;
        assert_eq!(effective_seed(&spec), None);
    }
}

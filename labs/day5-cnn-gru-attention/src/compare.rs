//! Train each architecture on the same data, from several seeds, and put the numbers side by
//! side: accuracy as a mean and a spread, and what each model costs.

use crate::training::{self, Classifier, Settings};
use crate::{cnn, figures, gru, transformer};
use burn::prelude::Device;
use dl4mir_train::{Batcher, LossLog, seed_everything};
use serde_json::{Value, json};

/// The three models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Architecture {
    Cnn,
    Gru,
    Attention,
}

impl Architecture {
    pub const ALL: [Architecture; 3] =
        [Architecture::Cnn, Architecture::Gru, Architecture::Attention];

    pub fn name(self) -> &'static str {
        match self {
            Architecture::Cnn => "cnn",
            Architecture::Gru => "gru",
            Architecture::Attention => "attention",
        }
    }

    // ANCHOR: learning_rates
    /// Each architecture's learning rate: the choice of `--lr-sweep` on the default run
    /// (seed 42), recorded in `lr-sweep.json` beside the crate (a test keeps the two equal).
    pub fn default_lr(self) -> f64 {
        match self {
            Architecture::Cnn => 3e-3,
            Architecture::Gru => 1e-2,
            Architecture::Attention => 3e-3,
        }
    }
    // ANCHOR_END: learning_rates
}

/// The same notes as batches, for every model.
pub struct Batches {
    pub train: Batcher,
    pub validation: Batcher,
    pub test: Batcher,
    /// The test notes' classes, in the test batcher's order.
    pub truth: Vec<usize>,
    pub classes: usize,
}

/// One model trained from one seed and tested.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub test_accuracy: f64,
    pub macro_f1: f64,
    pub parameters: usize,
    pub train_seconds: f64,
    pub ms_per_step: f64,
    pub ms_per_clip: f64,
    pub validation_accuracy: Vec<f32>,
    pub losses: LossLog,
}

/// One architecture trained from every seed, at one learning rate.
pub struct Trials {
    pub architecture: Architecture,
    pub lr: f64,
    /// One per seed, in seed order.
    pub outcomes: Vec<Outcome>,
}

/// Figures the first seed's models draw of themselves.
pub struct Inspect<'a> {
    pub out: &'a std::path::Path,
    pub clip: (&'a str, &'a [f32]),
}

/// Choices beside the architecture.
pub struct Options<'a> {
    /// A GRU that reads the frames both ways.
    pub bidirectional: bool,
    /// Draw the model's figure (the first seed's model).
    pub inspect: Option<&'a Inspect<'a>>,
}

/// Train `architecture` from `seed` and test it.
pub fn train_and_test(
    architecture: Architecture,
    batches: &Batches,
    settings: Settings,
    (device, seed): (&Device, u64),
    Options { bidirectional, inspect }: Options,
) -> anyhow::Result<Outcome> {
    let (mels, classes) = (crate::features::N_MELS, batches.classes);
    let rng = seed_everything(device, seed);
    let run = (device, rng);
    match architecture {
        Architecture::Cnn => {
            let (outcome, model) =
                fit(cnn::Cnn::new(classes, device), batches, settings, run)?;
            if let Some(inspect) = inspect {
                let maps = model.first_activations_of(inspect.clip.1, device);
                figures::cnn_activations(
                    &maps,
                    inspect.clip.0,
                    &inspect.out.join("cnn_activations"),
                )?;
            }
            Ok(outcome)
        }
        Architecture::Gru => {
            let model = match bidirectional {
                true => gru::GruClassifier::bidirectional(mels, 64, classes, device),
                false => gru::GruClassifier::new(mels, 64, classes, device),
            };
            Ok(fit(model, batches, settings, run)?.0)
        }
        Architecture::Attention => {
            let model = transformer::AttentionClassifier::new(mels, 64, 4, 2, classes, device);
            let (outcome, model) = fit(model, batches, settings, run)?;
            if let Some(inspect) = inspect {
                let weights = model.attention_of(inspect.clip.1, device);
                figures::attention(&weights, inspect.clip, &inspect.out.join("attention"))?;
            }
            Ok(outcome)
        }
    }
}

/// Train, time and test one model.
pub fn fit<M: Classifier>(
    model: M,
    batches: &Batches,
    settings: Settings,
    (device, rng): (&Device, dl4mir_train::SeededRng),
) -> anyhow::Result<(Outcome, M)> {
    let parameters = model.num_params();
    let trained = training::train(
        model,
        (&batches.train, &batches.validation),
        settings,
        (device, rng),
    )?;
    let (predicted, ms_per_clip) =
        training::timed_predict(&trained.model, &batches.test, device);
    let report = dl4mir_eval::classification::classification_report(
        &batches.truth,
        &predicted,
        batches.classes,
    )?;
    let losses = &trained.losses;
    let outcome = Outcome {
        test_accuracy: report.accuracy,
        macro_f1: report.macro_avg.f1,
        parameters,
        train_seconds: losses.train_seconds,
        ms_per_step: 1e3 * losses.train_seconds / losses.steps.len().max(1) as f64,
        ms_per_clip,
        validation_accuracy: losses
            .per_epoch
            .get("validation_accuracy")
            .cloned()
            .unwrap_or_default(),
        losses: trained.losses,
    };
    Ok((outcome, trained.model))
}

// ANCHOR: summary
/// Mean and spread (sample standard deviation; 0 for one seed) of a measure over seeds.
pub fn mean_and_spread(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let spread = if values.len() > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt()
    } else {
        0.0
    };
    (mean, spread)
}

/// One architecture's line of the comparison table, for `metrics.json`.
pub fn summary(outcomes: &[Outcome], lr: f64) -> Value {
    let over_seeds = |measure: fn(&Outcome) -> f64| {
        mean_and_spread(&outcomes.iter().map(measure).collect::<Vec<_>>())
    };
    let (accuracy, accuracy_spread) = over_seeds(|o| o.test_accuracy);
    let (f1, f1_spread) = over_seeds(|o| o.macro_f1);
    json!({
        "test_accuracy": accuracy, "test_accuracy_spread": accuracy_spread,
        "test_accuracies": outcomes.iter().map(|o| o.test_accuracy).collect::<Vec<_>>(),
        "macro_f1": f1, "macro_f1_spread": f1_spread,
        "validation_accuracy_per_epoch": mean_curve(outcomes),
        "parameters": outcomes[0].parameters, "lr": lr,
        "train_seconds": over_seeds(|o| o.train_seconds).0,
        "ms_per_step": over_seeds(|o| o.ms_per_step).0,
        "ms_per_clip": over_seeds(|o| o.ms_per_clip).0,
    })
}
// ANCHOR_END: summary

/// The validation accuracy after each epoch, averaged over seeds.
pub fn mean_curve(outcomes: &[Outcome]) -> Vec<f64> {
    let epochs = outcomes.iter().map(|o| o.validation_accuracy.len()).min().unwrap_or(0);
    (0..epochs)
        .map(|e| {
            outcomes.iter().map(|o| o.validation_accuracy[e] as f64).sum::<f64>()
                / outcomes.len() as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sample_spread() {
        assert_eq!(mean_and_spread(&[0.5]), (0.5, 0.0));
        let (mean, spread) = mean_and_spread(&[0.6, 0.7, 0.8]);
        assert!((mean - 0.7).abs() < 1e-12 && (spread - 0.1).abs() < 1e-12, "{mean} {spread}");
    }
}

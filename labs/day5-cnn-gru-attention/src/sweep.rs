//! `--lr-sweep`: each architecture trained at every candidate learning rate from the run's
//! seed, scored on the validation notes (never the test string). The default rates
//! (`Architecture::default_lr`) are this sweep's choices on the default run, recorded in
//! `lr-sweep.json` beside the crate; a test keeps the two in step.

use crate::compare::{self, Architecture, Batches, Options};
use crate::training::Settings;
use burn::prelude::Device;
use serde_json::{Map, Value, json};

/// The candidates: a factor of about 3 apart, around Adam's usual 1e-3.
pub const CANDIDATES: [f64; 4] = [1e-3, 3e-3, 1e-2, 3e-2];

/// One architecture's sweep: each candidate rate with its score, and the best rate.
pub type Swept = (Architecture, Vec<(f64, f64)>, f64);

/// Epochs at the end whose validation accuracy is averaged: one epoch's is noisy.
const LAST_EPOCHS: usize = 3;

// ANCHOR: sweep
/// Mean validation accuracy of the last epochs for every candidate rate, and the best.
pub fn sweep(
    architecture: Architecture,
    batches: &Batches,
    settings: Settings,
    (device, seed): (&Device, u64),
) -> anyhow::Result<(Vec<(f64, f64)>, f64)> {
    let mut scores = Vec::new();
    for lr in CANDIDATES {
        let settings = Settings { lr, ..settings };
        let options = Options { bidirectional: false, inspect: None };
        let outcome =
            compare::train_and_test(architecture, batches, settings, (device, seed), options)?;
        let curve = &outcome.validation_accuracy;
        let last = &curve[curve.len().saturating_sub(LAST_EPOCHS)..];
        let score = last.iter().map(|&a| a as f64).sum::<f64>() / last.len().max(1) as f64;
        println!(
            "  {} at lr {lr}: validation accuracy {score:.3} (mean of the last epochs)",
            architecture.name()
        );
        scores.push((lr, score));
    }
    let best = scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|&(lr, _)| lr)
        .expect("candidates");
    Ok((scores, best))
}
// ANCHOR_END: sweep

/// The sweep's results for `metrics.json`: per architecture, each rate's score (keyed
/// `1e-3`, `3e-3`, ...: no dots, since the book's keys are dotted paths) and the best.
pub fn to_json(results: &[Swept]) -> Value {
    let mut all = Map::new();
    for (architecture, scores, best) in results {
        let by_rate: Map<String, Value> =
            scores.iter().map(|(lr, s)| (format!("{lr:e}"), json!(s))).collect();
        all.insert(
            architecture.name().into(),
            json!({"validation_accuracy": by_rate, "best_lr": best}),
        );
    }
    all.into()
}

/// The sweep as a Markdown table: one row per architecture, one column per rate.
pub fn table(results: &[Swept]) -> String {
    let rates: Vec<String> = CANDIDATES.iter().map(|lr| format!("lr {lr}")).collect();
    let mut lines = vec![
        format!("| model | {} | chosen |", rates.join(" | ")),
        format!("|---|{}---:|", "---:|".repeat(CANDIDATES.len())),
    ];
    for (architecture, scores, best) in results {
        let cells: Vec<String> =
            scores.iter().map(|(_, s)| format!("{:.1}%", 100.0 * s)).collect();
        lines.push(format!("| {} | {} | {best} |", architecture.name(), cells.join(" | ")));
    }
    lines.join("\n") + "\n"
}

//! The lab's figures, each written as PNG and SVG into the output folder.

use dl4mir_plot::{BarChart, ConfusionMatrix, LinePlot, Series, save};
use dl4mir_train::LossLog;
use std::path::Path;

/// Training loss at every step, validation loss at the end of every epoch, on one axis.
pub fn loss_curves(
    losses: &LossLog,
    steps_per_epoch: usize,
    path: &Path,
) -> anyhow::Result<()> {
    // A log axis cannot show a loss of exactly 0 (a network that fits one note perfectly).
    let positive =
        |points: Vec<(f64, f64)>| points.into_iter().filter(|&(_, l)| l > 0.0).collect();
    let train = positive(
        losses.steps.iter().enumerate().map(|(i, &l)| ((i + 1) as f64, l as f64)).collect(),
    );
    let validation = positive(
        losses
            .validation
            .iter()
            .enumerate()
            .map(|(epoch, &l)| (((epoch + 1) * steps_per_epoch) as f64, l as f64))
            .collect(),
    );
    let figure = LinePlot {
        title: "Cross-entropy while training".into(),
        x_label: "step".into(),
        y_label: "cross-entropy".into(),
        series: vec![
            Series::new("training batch", train),
            Series::new("validation (each epoch)", validation),
        ],
        log_y: true,
    };
    save(&figure, path)?;
    Ok(())
}

pub fn confusion(
    counts: Vec<Vec<usize>>,
    names: &[String],
    test_string: u8,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = ConfusionMatrix {
        title: format!("MLP on the held-out string {test_string}"),
        counts,
        class_names: names.to_vec(),
    };
    save(&figure, path)?;
    Ok(())
}

/// Held-out accuracy of each model the run trained.
pub fn accuracies(rows: &[(String, f64)], path: &Path) -> anyhow::Result<()> {
    let figure = BarChart {
        title: "Test accuracy by model".into(),
        y_label: "accuracy".into(),
        categories: rows.iter().map(|(name, _)| name.clone()).collect(),
        values: rows.iter().map(|&(_, accuracy)| accuracy).collect(),
        errors: None,
    };
    save(&figure, path)?;
    Ok(())
}

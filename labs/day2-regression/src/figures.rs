//! The lab's figures, each written as PNG and SVG into the output folder.

use dl4mir_plot::{ConfusionMatrix, LinePlot, Scatter, Series, save};
use std::path::Path;

pub fn predicted_vs_true(
    truth: &[f64],
    predicted: &[f64],
    test_string: u8,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = Scatter {
        title: format!("Pitch of the held-out string {test_string}: predicted vs true"),
        x_label: "true MIDI note".into(),
        y_label: "predicted MIDI note".into(),
        points: truth.iter().zip(predicted).map(|(&t, &p)| (t, p)).collect(),
        labels: vec![0; truth.len()],
        class_names: vec![format!("string {test_string}")],
    };
    save(&figure, path)?;
    Ok(())
}

pub fn curves(
    title: &str,
    x_label: &str,
    y_label: &str,
    series: Vec<Series>,
    log_y: bool,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = LinePlot {
        title: title.into(),
        x_label: x_label.into(),
        y_label: y_label.into(),
        series,
        log_y,
    };
    save(&figure, path)?;
    Ok(())
}

pub fn losses(values: &[f64]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| (i as f64, v))
        .collect()
}

pub fn confusion(
    counts: Vec<Vec<usize>>,
    names: &[String],
    path: &Path,
) -> anyhow::Result<()> {
    let figure = ConfusionMatrix {
        title: "Softmax regression, held-out strings".into(),
        counts,
        class_names: names.to_vec(),
    };
    save(&figure, path)?;
    Ok(())
}

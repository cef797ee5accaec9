//! The lab's figures, each written as PNG and SVG into the output folder.

use crate::features::Spectrogram;
use dl4mir_plot::{FrequencyScale, Heatmap, HeatmapGrid, LinePlot, Scatter, Series, save};
use dl4mir_train::LossLog;
use std::path::Path;

/// The two loss terms on the training notes and the total on the held-out string, per epoch.
pub fn loss_terms(losses: &LossLog, title: &str, path: &Path) -> anyhow::Result<()> {
    let series = |name: &str, values: &[f32]| {
        Series::new(
            name,
            values
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0)
                .map(|(i, &v)| ((i + 1) as f64, v as f64))
                .collect(),
        )
    };
    let empty = Vec::new();
    let term = |name: &str| losses.per_epoch.get(name).unwrap_or(&empty);
    let figure = LinePlot {
        title: title.into(),
        x_label: "epoch".into(),
        y_label: "loss".into(),
        series: vec![
            series("reconstruction (train)", term("reconstruction")),
            series("KL (train)", term("kl")),
            series("total (held-out string)", &losses.validation),
        ],
        log_y: true,
    };
    save(&figure, path)?;
    Ok(())
}

pub fn latent_map(
    points: Vec<(f64, f64)>,
    labels: Vec<usize>,
    names: Vec<String>,
    (model, kept): (&str, f64),
    path: &Path,
) -> anyhow::Result<()> {
    let figure = Scatter {
        title: format!(
            "{model}: latent means, PC 1 and 2 ({:.0}% of their variance)",
            100.0 * kept
        ),
        x_label: "PC 1".into(),
        y_label: "PC 2".into(),
        points,
        labels,
        class_names: names,
    };
    save(&figure, path)?;
    Ok(())
}

/// Spectrograms given in dB re. the input's peak (floored at -80 dB), side by side.
pub fn spectrograms(
    spec: &Spectrogram,
    panels: &[(String, Vec<f32>)],
    title: &str,
    path: &Path,
) -> anyhow::Result<()> {
    let panel = |(name, row): &(String, Vec<f32>)| Heatmap {
        title: name.clone(),
        data: spec
            .unflatten(row)
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|&v| v.max(-80.0) as f64).collect())
            .collect(),
        x_label: "time (s)".into(),
        x_range: Some((0.0, spec.seconds)),
        y_label: "frequency (Hz)".into(),
        frequency: FrequencyScale::Linear { max_hz: spec.sr as f64 / 2.0 },
        colorbar: Some("dB re. input peak".into()),
    };
    let figure = HeatmapGrid {
        title: title.into(),
        panels: panels.iter().map(panel).collect(),
        columns: panels.len(),
    };
    save(&figure, path)?;
    Ok(())
}

/// Each model's KL per code dimension (mean over the held-out notes), largest first.
pub fn kl_per_dimension(models: &[(&str, Vec<f64>)], path: &Path) -> anyhow::Result<()> {
    let series = models
        .iter()
        .map(|(name, kl)| {
            let mut sorted = kl.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            let points = sorted
                .iter()
                .enumerate()
                .map(|(i, &v)| ((i + 1) as f64, v.max(1e-4)))
                .collect();
            Series::new(*name, points)
        })
        .collect();
    let figure = LinePlot {
        title: "KL per code dimension, largest first (held-out notes)".into(),
        x_label: "dimension (by rank)".into(),
        y_label: "KL (nats)".into(),
        series,
        log_y: true,
    };
    save(&figure, path)?;
    Ok(())
}

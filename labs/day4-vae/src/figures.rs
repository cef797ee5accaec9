//! The lab's figures, each written as PNG and SVG into the output folder.

use crate::features::Spectrogram;
use dl4mir_plot::{FrequencyScale, Heatmap, LinePlot, Scatter, Series, save};
use dl4mir_train::LossLog;
use std::path::Path;

/// The two loss terms on the training notes and the total on the held-out string, per epoch.
pub fn loss_terms(losses: &LossLog, path: &Path) -> anyhow::Result<()> {
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
        title: "VAE loss per spectrogram".into(),
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
    kept: f64,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = Scatter {
        title: format!(
            "Latent means, first two principal components ({:.0}% of their variance)",
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

/// A flattened spectrogram in dB relative to 1 (the input's peak), as a heat map.
pub fn spectrogram(spec: &Spectrogram, row: &[f32], title: &str, path: &Path) -> anyhow::Result<()> {
    let figure = Heatmap {
        title: title.into(),
        // -80 dB is the floor: the decoder's ReLU outputs exact zeros.
        data: spec
            .unflatten(row)
            .rows()
            .into_iter()
            .map(|r| r.iter().map(|&v| 20.0 * (v.max(1e-4) as f64).log10()).collect())
            .collect(),
        x_label: "time (s)".into(),
        x_range: Some((0.0, spec.seconds)),
        y_label: "frequency (Hz)".into(),
        frequency: FrequencyScale::Linear { max_hz: spec.sr as f64 / 2.0 },
        colorbar: Some("dB re. input peak".into()),
    };
    save(&figure, path)?;
    Ok(())
}

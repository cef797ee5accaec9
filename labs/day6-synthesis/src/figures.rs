//! The lab's figures, each written as PNG and SVG into the output folder.

use crate::measures::spectrogram_db;
use crate::notes::SR;
use dl4mir_plot::{FrequencyScale, Heatmap, HeatmapGrid, LinePlot, Series, save};
use dl4mir_train::LossLog;
use std::path::Path;

/// Spectrograms (dB re. the first panel's peak, 80 dB shown) side by side.
pub fn spectrograms(
    panels: &[(String, &[f32])],
    title: &str,
    path: &Path,
) -> anyhow::Result<()> {
    let reference = spectrogram_db(panels[0].1, None)?;
    let peak = reference.iter().copied().fold(f32::MIN, f32::max);
    let mut heatmaps = Vec::new();
    for (name, audio) in panels {
        let db = spectrogram_db(audio, Some(peak))?;
        heatmaps.push(Heatmap {
            title: name.clone(),
            data: db
                .rows()
                .into_iter()
                .map(|r| r.iter().map(|&v| (v - peak) as f64).collect())
                .collect(),
            x_label: "time (s)".into(),
            x_range: Some((0.0, audio.len() as f64 / SR as f64)),
            y_label: "frequency (Hz)".into(),
            frequency: FrequencyScale::Linear { max_hz: SR as f64 / 2.0 },
            colorbar: Some("dB re. original peak".into()),
        });
    }
    let figure =
        HeatmapGrid { title: title.into(), columns: heatmaps.len(), panels: heatmaps };
    save(&figure, path)?;
    Ok(())
}

/// Training loss per epoch and held-out loss after each, for several models.
pub fn losses(models: &[(&str, &LossLog)], title: &str, path: &Path) -> anyhow::Result<()> {
    let points = |values: &[f32]| -> Vec<(f64, f64)> {
        values.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v as f64)).collect()
    };
    let mut series = Vec::new();
    for (name, log) in models {
        series.push(Series::new(format!("{name} (train)"), points(&log.epochs)));
        series.push(Series::new(format!("{name} (held-out string)"), points(&log.validation)));
    }
    let figure = LinePlot {
        title: title.into(),
        x_label: "epoch".into(),
        y_label: "multi-resolution spectral loss".into(),
        series,
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

/// Curves `(name, [(x, y)])` on one plot.
pub fn curves(
    series: Vec<(String, Vec<(f64, f64)>)>,
    (title, x_label, y_label): (&str, &str, &str),
    log_y: bool,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = LinePlot {
        title: title.into(),
        x_label: x_label.into(),
        y_label: y_label.into(),
        series: series.into_iter().map(|(name, points)| Series::new(name, points)).collect(),
        log_y,
    };
    save(&figure, path)?;
    Ok(())
}

//! The lab's figures, each written as PNG and SVG into the output folder.

use dl4mir_plot::{FrequencyScale, Heatmap, HeatmapGrid, LinePlot, Series, save};
use dl4mir_train::LossLog;
use std::path::Path;

/// The similarity matrix of a batch of test captions (rows) and clips (columns), in the
/// order given (sorted by effect, the right answers fall in blocks near the diagonal).
pub fn similarity(matrix: Vec<Vec<f64>>, title: &str, path: &Path) -> anyhow::Result<()> {
    let n = matrix[0].len();
    let panel = Heatmap {
        title: "cosine similarity".into(),
        data: matrix, // row 0 (the first caption) at the bottom
        x_label: format!("clip (1-{n}, by effect)"),
        x_range: None,
        y_label: "caption (bottom: first)".into(),
        frequency: FrequencyScale::Rows,
        colorbar: Some("cosine".into()),
    };
    save(&HeatmapGrid { title: title.into(), panels: vec![panel], columns: 1 }, path)?;
    Ok(())
}

/// Training loss per epoch and validation loss after each, for several models.
pub fn losses(models: &[(&str, &LossLog)], path: &Path) -> anyhow::Result<()> {
    let points = |values: &[f32]| -> Vec<(f64, f64)> {
        values.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v as f64)).collect()
    };
    let mut series = Vec::new();
    for (name, log) in models {
        series.push(Series::new(format!("{name} (train)"), points(&log.epochs)));
        series.push(Series::new(format!("{name} (validation)"), points(&log.validation)));
    }
    let figure = LinePlot {
        title: "Contrastive loss per epoch".into(),
        x_label: "epoch".into(),
        y_label: "symmetric cross-entropy".into(),
        series,
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

/// The captioners' training loss per epoch (next-token cross-entropy).
pub fn caption_losses(models: &[(&str, &LossLog)], path: &Path) -> anyhow::Result<()> {
    let series = models
        .iter()
        .map(|(name, log)| {
            let points = log
                .epochs
                .iter()
                .enumerate()
                .map(|(i, &v)| ((i + 1) as f64, v as f64))
                .collect();
            Series::new(name.to_string(), points)
        })
        .collect();
    let figure = LinePlot {
        title: "Captioning: next-token cross-entropy per epoch".into(),
        x_label: "epoch".into(),
        y_label: "cross-entropy (nats per token)".into(),
        series,
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

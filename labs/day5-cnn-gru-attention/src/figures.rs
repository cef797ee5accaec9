//! The figures that look inside the models.

use crate::features;
use dl4mir_plot::{FrequencyScale, Heatmap, HeatmapGrid, LinePlot, Series, save};
use std::path::Path;

fn rows_of(values: &[f32], columns: usize) -> Vec<Vec<f64>> {
    values.chunks(columns).map(|r| r.iter().map(|&v| v as f64).collect()).collect()
}

/// The CNN's first block seen through one clip: each of its 16 channels' activation map
/// (after batch norm and ReLU, before pooling), over mel band and time.
pub fn cnn_activations(maps: &[f32], clip: &str, path: &Path) -> anyhow::Result<()> {
    let (frames, mels) = (features::frames(), features::N_MELS);
    let panels = maps
        .chunks(mels * frames)
        .enumerate()
        .map(|(i, map)| Heatmap {
            title: format!("channel {}", i + 1),
            data: rows_of(map, frames),
            x_label: "time (s)".into(),
            x_range: Some((0.0, features::SECONDS)),
            y_label: "mel band".into(),
            frequency: FrequencyScale::Rows,
            colorbar: None,
        })
        .collect();
    let title =
        format!("The CNN's first block on {clip}: what each of its 16 filters responds to");
    save(&HeatmapGrid { title, panels, columns: 4 }, path)?;
    Ok(())
}

/// One clip's attention: which frames (columns) each frame (row) attends to, averaged over
/// the heads of the last layer, with the clip's spectrogram beside it.
pub fn attention(
    weights: &[f32],
    (clip, spectrogram): (&str, &[f32]),
    path: &Path,
) -> anyhow::Result<()> {
    let (seconds, frames) = (features::SECONDS, features::frames());
    let panels = vec![
        Heatmap {
            title: format!("{clip}: log-mel input"),
            data: rows_of(spectrogram, frames),
            x_label: "time (s)".into(),
            x_range: Some((0.0, seconds)),
            y_label: "mel band".into(),
            frequency: FrequencyScale::Rows,
            colorbar: None,
        },
        Heatmap {
            title: "attention (last layer, mean of heads)".into(),
            data: rows_of(weights, frames),
            x_label: "attended frame".into(),
            x_range: None,
            y_label: "attending frame".into(),
            frequency: FrequencyScale::Rows,
            colorbar: None,
        },
    ];
    save(
        &HeatmapGrid { title: "Self-attention over one clip".into(), panels, columns: 2 },
        path,
    )?;
    Ok(())
}

/// Validation accuracy after each epoch, one line per architecture (the mean over seeds).
pub fn validation_curves(
    results: &[crate::compare::Trials],
    path: &Path,
) -> anyhow::Result<()> {
    let series = results
        .iter()
        .map(|trials| {
            let curve = crate::compare::mean_curve(&trials.outcomes);
            Series::new(
                trials.architecture.name(),
                curve.iter().enumerate().map(|(e, &a)| ((e + 1) as f64, a)).collect(),
            )
        })
        .collect();
    let figure = LinePlot {
        title: "Validation accuracy per epoch".into(),
        x_label: "epoch".into(),
        y_label: "accuracy".into(),
        series,
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

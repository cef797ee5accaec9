//! The lab's figures, each written as PNG and SVG into the output folder.

use dl4mir_plot::{BarChart, FrequencyScale, Heatmap, LinePlot, Scatter, Series, save};
use std::path::Path;

/// The whole recording as its envelope (the largest and smallest sample of each 10 ms),
/// which is what a waveform plot shows at book width anyway.
pub fn waveform(y: &[f32], sr: u32, title: &str, path: &Path) -> anyhow::Result<()> {
    let block = (sr / 100) as usize;
    let (mut upper, mut lower) = (Vec::new(), Vec::new());
    for (i, chunk) in y.chunks(block).enumerate() {
        let t = (i * block) as f64 / sr as f64;
        upper.push((t, chunk.iter().fold(f32::MIN, |m, &v| m.max(v)) as f64));
        lower.push((t, chunk.iter().fold(f32::MAX, |m, &v| m.min(v)) as f64));
    }
    let figure = LinePlot {
        title: title.into(),
        x_label: "time (s)".into(),
        y_label: "amplitude".into(),
        series: vec![
            Series::new("largest sample per 10 ms", upper),
            Series::new("smallest", lower),
        ],
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

/// The log-magnitude spectrogram, seconds across and Hz up.
pub fn spectrogram(y: &[f32], sr: u32, title: &str, path: &Path) -> anyhow::Result<()> {
    use dl4mir_audio::{DbParams, Ref, StftParams, amplitude_to_db, magnitude, stft};
    let params = StftParams::default();
    let db = amplitude_to_db(
        &magnitude(&stft(y, &params)?),
        &DbParams { reference: Ref::Max, ..DbParams::amplitude() },
    )?;
    let figure = Heatmap {
        title: title.into(),
        data: db.rows().into_iter().map(|r| r.iter().map(|&v| v as f64).collect()).collect(),
        x_label: "time (s)".into(),
        x_range: Some((0.0, y.len() as f64 / sr as f64)),
        y_label: "frequency (Hz)".into(),
        frequency: FrequencyScale::Linear { max_hz: sr as f64 / 2.0 },
        colorbar: Some("dB".into()),
    };
    save(&figure, path)?;
    Ok(())
}

/// Percent of the variance per component, and their running total.
pub fn scree(percent: &[f64], path: &Path) -> anyhow::Result<()> {
    let mut total = 0.0;
    let cumulative = percent
        .iter()
        .enumerate()
        .map(|(i, p)| {
            total += p;
            ((i + 1) as f64, total)
        })
        .collect();
    let each = percent.iter().enumerate().map(|(i, &p)| ((i + 1) as f64, p)).collect();
    let figure = LinePlot {
        title: "Scree plot: variance explained per principal component".into(),
        x_label: "component".into(),
        y_label: "% of the variance".into(),
        series: vec![
            Series::new("this component", each),
            Series::new("components 1 to k", cumulative),
        ],
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

/// Points on the first two components, one colour per class.
pub fn projection(
    points: &[(f64, f64)],
    labels: &[usize],
    names: &[String],
    title: &str,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = Scatter {
        title: title.into(),
        x_label: "principal component 1".into(),
        y_label: "principal component 2".into(),
        points: points.to_vec(),
        labels: labels.to_vec(),
        class_names: names.to_vec(),
    };
    save(&figure, path)?;
    Ok(())
}

/// One bar per (feature set, number of effects).
pub fn separability(
    categories: Vec<String>,
    values: Vec<f64>,
    path: &Path,
) -> anyhow::Result<()> {
    let figure = BarChart {
        title: "Fisher's J of the 2-D PCA projection, per feature set and number of effects"
            .into(),
        y_label: "J".into(),
        categories,
        values,
        errors: None,
    };
    save(&figure, path)?;
    Ok(())
}

/// Two trajectories over time.
pub fn trajectories(series: Vec<Series>, path: &Path) -> anyhow::Result<()> {
    let figure = LinePlot {
        title: "Spectral centroid over time".into(),
        x_label: "time (s)".into(),
        y_label: "semitones from A4".into(),
        series,
        log_y: false,
    };
    save(&figure, path)?;
    Ok(())
}

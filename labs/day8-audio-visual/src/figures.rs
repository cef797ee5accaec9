//! The lab's figures and sounds.

use crate::localisation::{Method, SceneMaps};
use crate::scenes::Scene;
use crate::separation::{Estimates, SCORED_SAMPLES};
use crate::sources::SR;
use crate::spectra::{BINS, magnitude_of};
use crate::sprites::SIZE;
use crate::training::{Analysed, Mixture};
use dl4mir_audio::{WavFormat, write_wav};
use dl4mir_plot::{
    FrequencyScale, Heatmap, HeatmapGrid, ImageGrid, ImagePanel, LinePlot, Series, save,
};
use dl4mir_train::LossLog;
use std::path::Path;

/// The training losses of each model, step by step.
pub fn losses(out: &Path, logs: &[(&str, LossLog)]) -> anyhow::Result<()> {
    let series = logs
        .iter()
        .map(|(name, log)| {
            let points =
                log.steps.iter().enumerate().map(|(i, &l)| (i as f64, l as f64)).collect();
            Series::new(*name, points)
        })
        .collect();
    let figure = LinePlot {
        title: "Training loss (weighted BCE for binary masks, weighted L1 for ratio masks)"
            .into(),
        x_label: "step".into(),
        y_label: "loss".into(),
        series,
        log_y: true,
    };
    save(&figure, out.join("losses"))?;
    Ok(())
}

fn log_spectrogram(audio: &[f32], title: String) -> anyhow::Result<Heatmap> {
    let magnitude = magnitude_of(audio)?;
    let data = (0..BINS)
        .map(|b| {
            magnitude.row(b).iter().map(|&m| 20.0 * (m as f64).max(1e-4).log10()).collect()
        })
        .collect();
    Ok(Heatmap {
        title,
        data,
        x_label: "s".into(),
        x_range: Some((0.0, audio.len() as f64 / SR as f64)),
        y_label: "Hz".into(),
        frequency: FrequencyScale::Linear { max_hz: SR as f64 / 2.0 },
        colorbar: None,
    })
}

/// Spectrograms of one test mixture: the mixture and each source's ideal binary mask; then
/// each source, true and separated by both models. Its sounds as WAVs, at one gain.
pub fn separation(
    out: &Path,
    (mixture, _): &(Mixture, Analysed),
    (names, estimates): (&[&str], &[Estimates]),
) -> anyhow::Result<()> {
    let of =
        |name: &str| &estimates[names.iter().position(|n| *n == name).expect("estimated")][0];
    let effect = |n: usize| mixture.scenes[n].players[0].look.effect;
    let mut panels = vec![log_spectrogram(&mixture.mix[..SCORED_SAMPLES], "mixture".into())?];
    for n in 0..2 {
        panels.push(log_spectrogram(
            &of("ideal_binary_masks")[n],
            format!("{}: ideal binary mask", effect(n)),
        )?);
    }
    for n in 0..2 {
        panels.push(log_spectrogram(
            &mixture.sources[n][..SCORED_SAMPLES],
            format!("{}: true", effect(n)),
        )?);
        panels.push(log_spectrogram(
            &of("binary_masks")[n],
            format!("{}: binary masks", effect(n)),
        )?);
        panels.push(log_spectrogram(
            &of("ratio_masks")[n],
            format!("{}: ratio masks", effect(n)),
        )?);
    }
    let grid =
        HeatmapGrid { title: "One test mixture, separated (dB)".into(), panels, columns: 3 };
    save(&grid, out.join("separation"))?;

    let sounds: Vec<(String, &[f32])> =
        std::iter::once(("mixture".to_string(), &mixture.mix[..SCORED_SAMPLES]))
            .chain((0..2).flat_map(|n| {
                [
                    (format!("source{}_true", n + 1), &mixture.sources[n][..SCORED_SAMPLES]),
                    (format!("source{}_binary", n + 1), &of("binary_masks")[n][..]),
                    (format!("source{}_ratio", n + 1), &of("ratio_masks")[n][..]),
                ]
            }))
            .collect();
    // One gain for all, so that the sources sound as loud as they are in the mixture.
    let peak = sounds.iter().flat_map(|(_, s)| s.iter()).fold(0.0f32, |m, v| m.max(v.abs()));
    let gain = if peak > 1e-6 { 0.9 / peak } else { 1.0 };
    for (name, audio) in sounds {
        let scaled: Vec<f32> = audio.iter().map(|v| v * gain).collect();
        let path = out.join(format!("{name}.wav"));
        write_wav(&path, &scaled, SR, WavFormat::Int16)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The first test crowds: each scene's first frame with the truth outlined, then the maps
/// of the main methods over it.
pub fn localisation(out: &Path, shown_scenes: &[(&Scene, &SceneMaps)]) -> anyhow::Result<()> {
    let shown = [
        Method::AudioVisual,
        Method::ObjectPrior,
        Method::Motion,
        Method::Synchrony,
        Method::AudioVisualTimesSynchrony,
    ];
    let mut panels = Vec::new();
    for &(scene, scene_maps) in shown_scenes {
        let frame = scene.frame(0);
        let plane = SIZE * SIZE;
        let rgb: Vec<[f64; 3]> =
            (0..plane).map(|i| [0, 1, 2].map(|c| frame[c * plane + i] as f64)).collect();
        let outline: Vec<bool> = scene_maps.truth.iter().map(|&t| t > 0.0).collect();
        let panel = |title: String, heat: Option<Vec<f64>>| ImagePanel {
            title,
            width: SIZE,
            height: SIZE,
            rgb: rgb.clone(),
            heat,
            outline: Some(outline.clone()),
        };
        let sounding: Vec<String> =
            scene.sounding().map(|p| p.look.effect.to_string()).collect();
        panels.push(panel(format!("sounding: {}", sounding.join(", ")), None));
        for method in shown {
            panels
                .push(panel(short_label(method).into(), Some(scene_maps.of(method).to_vec())));
        }
    }
    let grid = ImageGrid {
        title:
            "Test crowds, then twins: where the sound comes from (white: the sounding sprites)"
                .into(),
        panels,
        columns: 1 + shown.len(),
    };
    save(&grid, out.join("localisation"))?;
    Ok(())
}

fn short_label(method: Method) -> &'static str {
    match method {
        Method::AudioVisual => "audio-visual",
        Method::ObjectPrior => "object prior",
        Method::Motion => "motion",
        Method::Synchrony => "synchrony (ours)",
        Method::AudioVisualTimesSynchrony => "a-v x synchrony (ours)",
        other => other.label(),
    }
}

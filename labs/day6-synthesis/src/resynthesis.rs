//! Part 1: DDX7 against DDSP's harmonic-plus-noise, both trained to resynthesize clean
//! guitar notes from their pitch and loudness, tested on a string neither heard.

use crate::batch::NoteBatch;
use crate::ddx7::{self, Ddx7};
use crate::hpn::Hpn;
use crate::measures::{MeanSpectra, judge, median};
use crate::notes::{HOP, Note, NoteChoice, SR, load_notes, split_by_string};
use crate::tcn::TcnConfig;
use crate::training::{Settings, train};
use crate::{figures, sound};
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_datasets::{Effect, Pickup};
use dl4mir_ddsp::loss::MultiResolution;
use dl4mir_train::{LossLog, RunSize, SeededRng};
use serde_json::{Value, json};
use std::path::Path;
use std::time::Instant;

/// The sizes of part 1 for a run size.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sizes {
    pub frets: Vec<u8>,
    pub seconds: f64,
    pub tcn_width: usize,
    pub gru_width: usize,
    pub settings: Settings,
    /// Sine frequencies tried in the loss-against-frequency figure (odd: 440 Hz is one).
    pub sweep_points: usize,
}

impl Sizes {
    pub fn of(size: RunSize) -> Self {
        let settings = |epochs, batch_size| Settings { epochs, batch_size, lr: 2e-3 };
        match size {
            RunSize::Quick => Sizes {
                frets: vec![0, 5, 10],
                seconds: 0.256,
                tcn_width: 16,
                gru_width: 32,
                settings: settings(4, 6),
                sweep_points: 41,
            },
            RunSize::Default => Sizes {
                frets: (0..=11).collect(),
                seconds: 0.512,
                tcn_width: 32,
                gru_width: 128,
                settings: settings(8, 8),
                sweep_points: 121,
            },
            RunSize::Full => Sizes {
                frets: (0..=22).collect(),
                seconds: 2.048,
                tcn_width: 128,
                gru_width: 512,
                settings: settings(300, 16),
                sweep_points: 401,
            },
        }
    }
}

/// One trained decoder and its held-out outputs.
struct Resynthesized {
    key: &'static str,
    parameters: usize,
    losses: LossLog,
    outputs: Vec<Vec<f32>>,
    seconds_to_synthesize: f64,
}

// ANCHOR: run
pub fn run(
    common: &dl4mir_train::CommonArgs,
    test_string: u8,
    (device, rng): (&Device, &mut SeededRng),
    out: &Path,
) -> anyhow::Result<(Value, Vec<(String, LossLog)>)> {
    let sizes = Sizes::of(common.size());
    let choice = NoteChoice {
        effect: Effect::Clean,
        pickup: Pickup::Middle,
        frets: sizes.frets.clone(),
        seconds: sizes.seconds,
    };
    let notes = load_notes(common.dataset, &common.data_home(), &choice, common.seed)?;
    let (train_notes, test_notes) = split_by_string(notes, test_string)?;
    let settings = Settings {
        epochs: common.epochs.unwrap_or(sizes.settings.epochs),
        batch_size: common.batch_size.unwrap_or(sizes.settings.batch_size),
        lr: common.lr.unwrap_or(sizes.settings.lr),
    };
    let samples = choice.samples();
    // DDX7's dropout of 0.5 suits its 120,000 steps; our few hundred learn faster without.
    let dropout = if common.size() == RunSize::Full { 0.5 } else { 0.0 };
    let tcn = TcnConfig {
        inputs: 2,
        width: sizes.tcn_width,
        outputs: 6,
        blocks: 5,
        kernel: 3,
        dropout,
    };
    let ratios = ddx7::RATIOS;
    let data = (&train_notes[..], &test_notes[..]);

    let ddx7_model = Ddx7::new(tcn, samples, device);
    let (ddx7_model, ddx7_losses) = train(
        ddx7_model,
        Ddx7::forward,
        data,
        (settings, "DDX7"),
        Some(&ratios),
        (device, rng),
    )?;
    let hpn_model = Hpn::new(sizes.gru_width, samples, device);
    let (hpn_model, hpn_losses) =
        train(hpn_model, Hpn::forward, data, (settings, "HpN"), None, (device, rng))?;
    // ANCHOR_END: run

    let inference = device.clone().without_autodiff();
    let test_refs: Vec<&Note> = test_notes.iter().collect();
    let batch = NoteBatch::new(&test_refs, Some(&ratios), &inference);
    let ddx7_valid = ddx7_model.valid();
    let hpn_valid = hpn_model.valid();
    let models = vec![
        synthesize("ddx7", ddx7_valid.num_params(), ddx7_losses, || {
            ddx7_valid.forward(&batch)
        }),
        synthesize("hpn", hpn_valid.num_params(), hpn_losses, || hpn_valid.forward(&batch)),
    ];
    let loss = MultiResolution::ddx7();
    let mean_spectra = MeanSpectra::of(&train_notes)?;
    let audio_seconds = (test_notes.len() * samples) as f64 / SR as f64;
    let mut metrics = serde_json::Map::new();
    for m in &models {
        let mut entry = judge(&loss, &test_notes, &m.outputs, None)?;
        entry["parameters"] = m.parameters.into();
        entry["real_time_factor"] = (m.seconds_to_synthesize / audio_seconds).into();
        entry["final_train_loss"] = json!(m.losses.epochs.last());
        entry["final_held_out_loss"] = json!(m.losses.validation.last());
        entry["train_seconds"] = m.losses.train_seconds.into();
        metrics.insert(m.key.into(), entry);
        println!(
            "{}: {} parameters; held-out string {test_string}: spectral distance {:.3}, log-mel L1 {:.3}, \
             median pitch error {:.2} semitones, real-time factor {:.3}",
            m.key,
            m.parameters,
            metrics[m.key]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
            metrics[m.key]["log_mel_l1"].as_f64().unwrap_or(f64::NAN),
            metrics[m.key]["pitch_median_error_semitones"].as_f64().unwrap_or(f64::NAN),
            metrics[m.key]["real_time_factor"].as_f64().unwrap_or(f64::NAN),
        );
    }
    // Trivial baselines: silence, and for the log-mel the mean training log-mel.
    let silence = vec![vec![0.0f32; samples]; test_notes.len()];
    metrics.insert("silence".into(), judge(&loss, &test_notes, &silence, None)?);
    metrics.insert(
        "mean_spectrum".into(),
        judge(&loss, &test_notes, &silence, Some(&mean_spectra))?,
    );
    // A reference, not trivial: a sine at the known pitch under the note's own loudness.
    let sines: Vec<Vec<f32>> = test_notes.iter().map(loudness_sine).collect();
    metrics.insert("sine".into(), judge(&loss, &test_notes, &sines, None)?);
    println!(
        "baselines: silence {:.3}, a sine at the pitch with the note's loudness {:.3} (spectral distance); \
         the mean training spectrum {:.3} (log-mel L1)",
        metrics["silence"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
        metrics["sine"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
        metrics["mean_spectrum"]["log_mel_l1"].as_f64().unwrap_or(f64::NAN),
    );

    listen(&test_notes, &models, &ddx7_valid, &batch, out)?;
    let logs: Vec<(&str, &LossLog)> =
        vec![("DDX7", &models[0].losses), ("HpN", &models[1].losses)];
    figures::losses(&logs, "Resynthesis: spectral loss per epoch", &out.join("fm_losses"))?;
    let sweep = loss_against_frequency(&loss, sizes.sweep_points, samples, out)?;
    metrics.insert("loss_against_frequency".into(), sweep);
    metrics.insert(
        "setup".into(),
        json!({
            "notes": choice.describe(), "train_notes": train_notes.len(), "test_notes": test_notes.len(),
            "test_string": test_string, "samples": samples, "sr": SR, "hop": HOP,
            "algorithm": ddx7::plucked_algorithm().describe(), "ratios": ratios,
            "max_level_cycles": ddx7::MAX_LEVEL, "modulation_index_rad": ddx7::MAX_LEVEL * std::f64::consts::TAU,
            "tcn": tcn, "tcn_receptive_field_frames": tcn.receptive_field(), "gru_width": sizes.gru_width,
            "settings": settings,
        }),
    );
    let logs = models.into_iter().map(|m| (m.key.to_string(), m.losses)).collect();
    Ok((Value::Object(metrics), logs))
}

/// Synthesize the held-out batch once (timed) and split it into notes.
fn synthesize(
    key: &'static str,
    parameters: usize,
    losses: LossLog,
    forward: impl Fn() -> Tensor<2>,
) -> Resynthesized {
    let started = Instant::now();
    let outputs = crate::batch::rows(forward());
    let seconds_to_synthesize = started.elapsed().as_secs_f64();
    Resynthesized { key, parameters, losses, outputs, seconds_to_synthesize }
}

/// A sine at the note's known pitch whose amplitude follows its loudness (dB, per frame).
fn loudness_sine(note: &Note) -> Vec<f32> {
    let peak_db = note.loudness_db.iter().copied().fold(f32::MIN, f32::max);
    let frames: Vec<f64> =
        note.loudness_db.iter().map(|&ld| 10f64.powf((ld - peak_db) as f64 / 20.0)).collect();
    let envelope = dl4mir_ddsp::control::upsample_host(&frames, HOP);
    let phase = dl4mir_ddsp::control::phases(
        &vec![note.f0_hz(); note.frames()],
        HOP,
        SR as f64,
        &[1.0],
    );
    phase.iter().zip(envelope).map(|(&p, a)| 0.5 * a as f32 * p.sin()).collect()
}

/// WAVs and spectrograms of two held-out notes (the lowest and highest fret), and DDX7's
/// operator levels for the first.
fn listen(
    notes: &[Note],
    models: &[Resynthesized],
    ddx7: &Ddx7,
    batch: &NoteBatch,
    out: &Path,
) -> anyhow::Result<()> {
    let lowest = (0..notes.len()).min_by_key(|&i| notes[i].fret).expect("a note");
    let highest = (0..notes.len()).max_by_key(|&i| notes[i].fret).expect("a note");
    for (name, i) in [("low", lowest), ("high", highest)] {
        sound::write(&out.join(format!("fm_original_{name}.wav")), &notes[i].audio)?;
        let mut panels = vec![("original".to_string(), &notes[i].audio[..])];
        for m in models {
            sound::write(&out.join(format!("fm_{}_{name}.wav", m.key)), &m.outputs[i])?;
            panels.push((
                if m.key == "ddx7" { "DDX7" } else { "HpN" }.to_string(),
                &m.outputs[i][..],
            ));
        }
        let title = format!(
            "Held-out note {} (fret {}): original and resyntheses",
            notes[i].id, notes[i].fret
        );
        figures::spectrograms(&panels, &title, &out.join(format!("fm_spectrograms_{name}")))?;
    }
    // The six levels the TCN chose for the low note, frame by frame.
    let levels = ddx7.levels(batch.controls.clone().slice_dim(0, lowest..lowest + 1));
    let [_, frames, ops] = levels.dims();
    let values: Vec<f32> = levels.into_data().iter::<f32>().collect();
    let series = (0..ops)
        .map(|k| {
            let points = (0..frames)
                .map(|t| ((t * HOP) as f64 / SR as f64, values[t * ops + k] as f64))
                .collect();
            (format!("OP{}", k + 1), points)
        })
        .collect();
    figures::curves(
        series,
        (
            "DDX7's operator levels for the low held-out note",
            "time (s)",
            "output level (cycles)",
        ),
        false,
        &out.join("fm_levels"),
    )
}

// ANCHOR: sweep
/// The spectral loss between a 440 Hz sine and sines from 220 to 880 Hz: flat almost
/// everywhere, so its gradient with respect to frequency says nothing about which way the
/// target lies. DDX7 therefore fixes the frequencies (the known f0 times fixed ratios) and
/// learns only levels. Returns the curve's summary.
fn loss_against_frequency(
    loss: &MultiResolution,
    points: usize,
    samples: usize,
    out: &Path,
) -> anyhow::Result<Value> {
    let device = Device::flex();
    let sine = |f: f64| -> Vec<f32> {
        (0..samples)
            .map(|n| (0.5 * (std::f64::consts::TAU * f * n as f64 / SR as f64).sin()) as f32)
            .collect()
    };
    let frequencies: Vec<f64> =
        (0..points).map(|i| 220.0 * 4f64.powf(i as f64 / (points - 1) as f64)).collect();
    let row = |y: Vec<f32>| Tensor::<2>::from_data(TensorData::new(y, [1, samples]), &device);
    let target = row(sine(440.0));
    let values: Vec<f64> = frequencies
        .iter()
        .map(|&f| loss.loss(row(sine(f)), target.clone()).into_scalar::<f32>() as f64)
        .collect();
    let curve: Vec<(f64, f64)> =
        frequencies.iter().copied().zip(values.iter().copied()).collect();
    figures::curves(
        vec![("multi-resolution loss to a 440 Hz sine".into(), curve)],
        ("The spectral loss against a sine's frequency", "frequency of the sine (Hz)", "loss"),
        false,
        &out.join("loss_against_frequency"),
    )?;
    // The dip: the run of frequencies around 440 Hz where the loss is under half its median.
    let plateau = median(values.clone());
    let centre = points / 2; // 220 * 4^(1/2) = 440 Hz, `points` being odd
    let below = |i: &usize| values[*i] < 0.5 * plateau;
    let low = (0..=centre).rev().take_while(below).last().unwrap_or(centre);
    let high = (centre..points).take_while(below).last().unwrap_or(centre);
    let semitones = |i: usize| (12.0 * (frequencies[i] / 440.0).log2()).abs();
    Ok(json!({
        "median": plateau, "at_440_hz": values[centre],
        "dip_half_width_semitones": semitones(low).max(semitones(high)),
        "grid_step_semitones": 24.0 / (points - 1) as f64,
    }))
}
// ANCHOR_END: sweep

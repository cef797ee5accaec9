//! Part 3's run: RAVE-lite trained on TubeScreamer notes, judged on the held-out string's
//! TubeScreamer notes (reconstruction) and on its clean notes (the learned effect: is the
//! output nearer the real TubeScreamer recording of the same note than the clean input is?).
//! Each clip is a crop of its note at a random level ([`crate::clips`]); the held-out ones
//! are drawn once, from the seed.

use crate::batch::rows;
use crate::clips::{CROP_ROOM, Crop, GAIN_DB, Sources};
use crate::measures::{MeanSpectra, judge};
use crate::notes::{Note, NoteChoice, SR, load_notes, split_by_string};
use crate::rave::{self, ATTENUATION_DB, BANDS, RaveConfig};
use crate::{figures, sound};
use burn::grad_clipping::GradientClippingConfig;
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_datasets::{Effect, Pickup};
use dl4mir_ddsp::loss::MultiResolution;
use dl4mir_ddsp::pqmf::Pqmf;
use dl4mir_train::{LossLog, RunSize, SeededRng, progress, run_epoch};
use serde_json::{Value, json};
use std::path::Path;

/// RAVE v1's KL weight, reached after a warm-up over the first half of training (RAVE v2's
/// schedule: the decoder learns to use the code before the KL can close it).
pub const KL_WEIGHT: f64 = 0.1;

/// How far into the warm-up `epoch` (from 1) of `epochs` is, 0 to 1: the KL's weight is
/// this times [`KL_WEIGHT`], and (ours) the posterior draw's spread is this times its own.
/// RAVE draws with the full spread from the first step; in a few hundred steps that makes
/// the decoder learn to ignore a latent that is still mostly noise, and it never turns back
/// (the latent then does no better than zero: the table's "pitch alone" row tells).
pub fn warm_up(epoch: usize, epochs: usize) -> f64 {
    (2.0 * (epoch - 1) as f64 / epochs as f64).min(1.0)
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Sizes {
    pub frets: Vec<u8>,
    pub seconds: f64,
    pub config: RaveConfig,
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
}

impl Sizes {
    pub fn of(size: RunSize) -> Self {
        let config = |width, latent| RaveConfig { width, latent, stride: 4 };
        match size {
            RunSize::Quick => Sizes {
                frets: vec![0, 5, 10],
                seconds: 0.256,
                config: config(16, 8),
                epochs: 6,
                batch_size: 6,
                lr: 2e-3,
            },
            RunSize::Default => Sizes {
                frets: (0..=11).collect(),
                seconds: 0.256,
                config: config(32, 8),
                epochs: 32,
                batch_size: 8,
                lr: 2e-3,
            },
            RunSize::Full => Sizes {
                frets: (0..=22).collect(),
                seconds: 2.048,
                config: config(128, 16),
                epochs: 400,
                batch_size: 16,
                lr: 1e-3,
            },
        }
    }
}

/// RAVE's distances: the full band (2048..128) and the bands (256..64: a band of a short
/// clip has a few hundred samples).
struct Distances {
    full: MultiResolution,
    bands: MultiResolution,
}

impl Distances {
    fn new() -> Self {
        let full = MultiResolution::rave();
        let bands =
            MultiResolution { fft_sizes: vec![256, 128, 64], ..MultiResolution::rave() };
        Self { full, bands }
    }

    // ANCHOR: loss
    /// Spectral distance of the audio and of the bands, plus 0.1 KL.
    fn loss(
        &self,
        pqmf: &Pqmf,
        pass: &rave::Pass,
        target: Tensor<2>,
        kl_weight: f64,
    ) -> (Tensor<1>, Tensor<1>) {
        let [batch, samples] = target.dims();
        let target_bands =
            pqmf.analysis(target.clone()).reshape([batch * BANDS, samples / BANDS]);
        let bands = pass.bands.clone().reshape([batch * BANDS, samples / BANDS]);
        let spectral =
            self.full.loss(pass.audio.clone(), target) + self.bands.loss(bands, target_bands);
        let kl = crate::posterior::kl(pass.mean.clone(), pass.log_variance.clone());
        (spectral.clone() + kl.clone().mul_scalar(kl_weight), kl)
    }
    // ANCHOR_END: loss
}

/// Each output scaled to the RMS of its target.
fn at_level_of(outputs: Vec<Vec<f32>>, targets: &[Note]) -> Vec<Vec<f32>> {
    let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
    outputs
        .into_iter()
        .zip(targets)
        .map(|(y, t)| {
            let gain = rms(&t.audio) / rms(&y).max(1e-9);
            y.iter().map(|v| v * gain).collect()
        })
        .collect()
}

fn audio_tensor(notes: &[&Note], device: &Device) -> Tensor<2> {
    let samples = notes[0].audio.len();
    let values: Vec<f32> = notes.iter().flat_map(|n| n.audio.iter().copied()).collect();
    Tensor::from_data(TensorData::new(values, [notes.len(), samples]), device)
}

/// `with_pitch`: give the decoder the pitch's source (ours; `--rave-without-pitch` turns it
/// off, for RAVE's own decoder).
pub fn run(
    common: &dl4mir_train::CommonArgs,
    (test_string, with_pitch): (u8, bool),
    (device, rng): (&Device, &mut SeededRng),
    out: &Path,
) -> anyhow::Result<(Value, Vec<(String, LossLog)>)> {
    let sizes = Sizes::of(common.size());
    // The notes are loaded with room for a crop to start in.
    let choice = |effect| NoteChoice {
        effect,
        pickup: Pickup::Middle,
        frets: sizes.frets.clone(),
        seconds: sizes.seconds + CROP_ROOM as f64 / SR as f64,
    };
    let effect_choice = choice(Effect::TubeScreamer);
    let (train_notes, test_notes) = split_by_string(
        load_notes(common.dataset, &common.data_home(), &effect_choice, common.seed)?,
        test_string,
    )?;
    let clean =
        load_notes(common.dataset, &common.data_home(), &choice(Effect::Clean), common.seed)?;
    // The held-out string's clean notes that have a TubeScreamer twin (same fret).
    let pairs: Vec<(Note, Note)> = clean
        .into_iter()
        .filter(|c| c.string == test_string)
        .filter_map(|c| test_notes.iter().find(|t| t.fret == c.fret).map(|t| (c, t.clone())))
        .collect();
    anyhow::ensure!(
        !pairs.is_empty(),
        "no clean note of string {test_string} has a TubeScreamer twin: fetch both effects"
    );
    let samples = effect_choice.samples() - CROP_ROOM;
    let config = sizes.config;
    anyhow::ensure!(
        samples.is_multiple_of(config.samples_per_latent_frame()),
        "clips of {samples} samples do not fill whole latent frames of {}",
        config.samples_per_latent_frame()
    );
    let (epochs, batch_size, lr) = (
        common.epochs.unwrap_or(sizes.epochs),
        common.batch_size.unwrap_or(sizes.batch_size),
        common.lr.unwrap_or(sizes.lr),
    );
    let pqmf = Pqmf::new(ATTENUATION_DB, BANDS)?;
    let distances = Distances::new();
    distances.full.check(samples)?;
    distances.bands.check(samples / BANDS)?;
    let sources = with_pitch
        .then(|| Sources::new(train_notes.iter().chain(&test_notes), samples, &pqmf));
    let source_of = |clips: &[&Note], device: &Device| {
        sources.as_ref().map(|sources| sources.tensor(clips, device))
    };
    // The held-out clips, drawn once: TubeScreamer crops at random levels, and the clean
    // notes cropped where their twins are, at the recording's own level.
    let test_clips: Vec<Note> =
        test_notes.iter().map(|n| Crop::draw(rng).apply(n, samples)).collect();
    let pairs: Vec<(Note, Note)> = pairs
        .iter()
        .map(|(clean, twin)| {
            let crop = Crop { gain_db: 0.0, ..Crop::draw(rng) };
            (crop.apply(clean, samples), crop.apply(twin, samples))
        })
        .collect();

    // ANCHOR: train
    let mut model = config.init(device);
    let mut optimizer = AdamConfig::new()
        .with_epsilon(1e-8)
        .with_grad_clipping(Some(GradientClippingConfig::Norm(2.0)))
        .init();
    let mut log = LossLog::default();
    let bar = progress(
        (epochs * train_notes.len().div_ceil(batch_size)) as u64,
        "training RAVE-lite".into(),
    );
    for epoch in 1..=epochs {
        let mut order: Vec<usize> = (0..train_notes.len()).collect();
        dl4mir_eval::split::shuffle(&mut order, rand_core::Rng::next_u64(rng));
        let lr_now = crate::training::decayed_lr(lr, epoch, epochs);
        let warmed = warm_up(epoch, epochs);
        // Every epoch, new crops at new levels.
        let clips: Vec<Note> =
            train_notes.iter().map(|n| Crop::draw(rng).apply(n, samples)).collect();
        let batches = order.chunks(batch_size).map(|r| {
            let batch: Vec<&Note> = r.iter().map(|&i| &clips[i]).collect();
            (audio_tensor(&batch, device), source_of(&batch, device))
        });
        let mut kl_sum = 0.0f64;
        let mut steps = 0usize;
        run_epoch(epoch, batches, &bar, lr_now, &mut log, |(audio, source)| {
            let pass = model.forward(&pqmf, audio.clone(), source, warmed);
            let kl_weight = KL_WEIGHT * warmed;
            let (loss, kl) = distances.loss(&pqmf, &pass, audio, kl_weight);
            kl_sum += kl.into_scalar::<f32>() as f64;
            steps += 1;
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(lr_now, model.clone(), grads);
            value
        })?;
        log.record("kl", (kl_sum / steps.max(1) as f64) as f32);
    }
    bar.finish_and_clear();
    // ANCHOR_END: train

    let inference = device.clone().without_autodiff();
    let valid = model.valid();
    let test_refs: Vec<&Note> = test_clips.iter().collect();
    let test_audio = audio_tensor(&test_refs, &inference);
    let test_source = source_of(&test_refs, &inference);
    let held_out = valid.forward(&pqmf, test_audio.clone(), test_source.clone(), 0.0);
    let reconstructions = rows(held_out.audio.clone());
    let loss = MultiResolution::ddx7();
    let mut metrics = serde_json::Map::new();
    metrics
        .insert("reconstruction".into(), judge(&loss, &test_clips, &reconstructions, None)?);
    // What the latent adds: the same decoder given the pitch alone (the latent at zero, the
    // prior's mean).
    if test_source.is_some() {
        let zero = valid.decode(held_out.mean.zeros_like(), test_source);
        let pitch_alone = rows(pqmf.synthesis(zero));
        metrics.insert("pitch_alone".into(), judge(&loss, &test_clips, &pitch_alone, None)?);
    }
    // The bank alone (analysis then synthesis): the best a decoder of the bands could do.
    let through_bank = rows(pqmf.synthesis(pqmf.analysis(test_audio)));
    metrics.insert("pqmf_alone".into(), judge(&loss, &test_clips, &through_bank, None)?);
    let silence = vec![vec![0.0f32; samples]; test_clips.len()];
    metrics.insert("silence".into(), judge(&loss, &test_clips, &silence, None)?);
    // The mean over training clips drawn as training drew them.
    let mean_clips: Vec<Note> =
        train_notes.iter().map(|n| Crop::draw(rng).apply(n, samples)).collect();
    metrics.insert(
        "mean_spectrum".into(),
        judge(&loss, &test_clips, &silence, Some(&MeanSpectra::of(&mean_clips)?))?,
    );

    // The learned effect: clean in, judged against the real effect's recording.
    let (clean_notes, effect_twins): (Vec<Note>, Vec<Note>) = pairs.into_iter().unzip();
    let clean_refs: Vec<&Note> = clean_notes.iter().collect();
    let clean_source = source_of(&clean_refs, &inference);
    let through =
        valid.forward(&pqmf, audio_tensor(&clean_refs, &inference), clean_source.clone(), 0.0);
    if let Some(source) = clean_source {
        let zero = valid.decode(through.mean.zeros_like(), Some(source));
        let alone = at_level_of(rows(pqmf.synthesis(zero)), &effect_twins);
        metrics
            .insert("effect_pitch_alone".into(), judge(&loss, &effect_twins, &alone, None)?);
    }
    // Both judged at their twin's level: an overdrive's output level is its level knob's,
    // and a log-spectral measure would otherwise weigh the level above the sound.
    let through_rows = at_level_of(rows(through.audio), &effect_twins);
    let clean_rows =
        at_level_of(clean_notes.iter().map(|n| n.audio.clone()).collect(), &effect_twins);
    metrics
        .insert("effect_from_clean".into(), judge(&loss, &effect_twins, &through_rows, None)?);
    metrics.insert("clean_itself".into(), judge(&loss, &effect_twins, &clean_rows, None)?);

    let (latent, frames) = (config.latent, samples / config.samples_per_latent_frame());
    metrics.insert(
        "setup".into(),
        json!({
            "notes": effect_choice.describe(), "train_notes": train_notes.len(), "test_notes": test_notes.len(),
            "clean_pairs": clean_notes.len(), "samples": samples, "sr": SR, "bands": BANDS, "pqmf_taps": pqmf.taps(),
            "attenuation_db": ATTENUATION_DB, "config": config, "latent_frames_per_clip": frames,
            "samples_per_latent_frame": config.samples_per_latent_frame(), "compression": config.compression(),
            "kl_weight": KL_WEIGHT, "pitch_source": with_pitch, "crop_room": CROP_ROOM,
            "note_samples": samples + CROP_ROOM, "gain_db": {"low": GAIN_DB.0, "high": GAIN_DB.1}, "epochs": epochs, "batch_size": batch_size, "lr": lr,
            "parameters": valid.num_params(), "final_kl": log.per_epoch.get("kl").and_then(|v| v.last()),
            "final_train_loss": log.epochs.last(),
        }),
    );
    println!(
        "RAVE-lite: {} parameters, one latent frame of {latent} per {} samples ({}x fewer numbers); held-out \
         TubeScreamer notes: spectral distance {:.3} (silence {:.3}, the bank alone {:.3}); clean notes through it: \
         {:.3} from the real TubeScreamer note, against {:.3} for the clean note itself",
        valid.num_params(),
        config.samples_per_latent_frame(),
        config.compression(),
        metrics["reconstruction"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
        metrics["silence"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
        metrics["pqmf_alone"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
        metrics["effect_from_clean"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
        metrics["clean_itself"]["spectral_distance"].as_f64().unwrap_or(f64::NAN),
    );

    // Sounds, spectrograms and latent trajectories of the first pair (its TubeScreamer twin
    // cropped as the clean note is), and one held-out clip with its reconstruction.
    let k = 0;
    let twin = test_clips.iter().position(|t| t.fret == clean_notes[k].fret).expect("twin");
    sound::write(&out.join("rave_tubescreamer_original.wav"), &test_clips[twin].audio)?;
    sound::write(&out.join("rave_tubescreamer_reconstruction.wav"), &reconstructions[twin])?;
    sound::write(&out.join("rave_clean_input.wav"), &clean_notes[k].audio)?;
    sound::write(&out.join("rave_clean_through.wav"), &through_rows[k])?;
    sound::write(&out.join("rave_clean_twin.wav"), &effect_twins[k].audio)?;
    let panels = vec![
        ("clean input".to_string(), &clean_notes[k].audio[..]),
        ("through RAVE-lite".to_string(), &through_rows[k][..]),
        ("real TubeScreamer".to_string(), &effect_twins[k].audio[..]),
    ];
    figures::spectrograms(
        &panels,
        &format!("A learned effect: clean fret {} in, TubeScreamer out", clean_notes[k].fret),
        &out.join("rave_spectrograms"),
    )?;
    let latent_of = |pass_mean: Tensor<3>, i: usize| -> Vec<f32> {
        pass_mean.slice_dim(0, i..i + 1).into_data().iter::<f32>().collect()
    };
    let clean_latent = latent_of(through.mean, k);
    let twin_ref = [&effect_twins[k]];
    let (twin_mean, _) = valid.encode(pqmf.analysis(audio_tensor(&twin_ref, &inference)));
    let effect_latent = latent_of(twin_mean, 0);
    let seconds_per_frame = config.samples_per_latent_frame() as f64 / SR as f64;
    let mut series = Vec::new();
    for d in 0..latent.min(3) {
        for (name, values) in [("clean", &clean_latent), ("TubeScreamer", &effect_latent)] {
            let points = (0..frames)
                .map(|t| ((t as f64 + 0.5) * seconds_per_frame, values[d * frames + t] as f64))
                .collect();
            series.push((format!("z{} ({name})", d + 1), points));
        }
    }
    figures::curves(
        series,
        (
            "Latent trajectories of one note, clean and overdriven",
            "time (s)",
            "posterior mean",
        ),
        false,
        &out.join("rave_latents"),
    )?;
    let curve =
        log.epochs.iter().enumerate().map(|(i, &v)| ((i + 1) as f64, v as f64)).collect();
    figures::curves(
        vec![("spectral distances + 0.1 KL (train)".into(), curve)],
        ("RAVE-lite: loss per epoch", "epoch", "loss"),
        false,
        &out.join("rave_losses"),
    )?;
    Ok((Value::Object(metrics), vec![("rave".to_string(), log)]))
}

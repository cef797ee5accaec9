//! Part 2: synthesizer programming as Faronbi et al. (ICASSP 2023) frame it. Random
//! patches of three synthesizers are rendered at random guitar pitches; a network reads
//! each sound's log-mel and predicts its patch. Three ways of sharing the network are
//! compared on held-out patches by parameter error and by the log-spectral distance (LSD)
//! between the sounds of the true and the predicted patch. Then our addition: the predicted
//! patch re-rendered through the differentiable synth and a spectral loss against the
//! target sound, beside more training on the parameter loss alone. Last, the network
//! programs each synth to imitate guitar notes.

use crate::batch::uniform;
use crate::measures::{log_mel, log_spectral_distance, mean};
use crate::notes::{NoteChoice, SR, load_notes};
use crate::posterior::kl;
use crate::programmer::{Programmer, ProgrammerConfig, Variant};
use crate::synths::Synth;
use crate::{figures, sound};
use burn::optim::{AdamConfig, GradientsParams};
use burn::prelude::*;
use burn::tensor::TensorData;
use dl4mir_datasets::{Effect, Pickup};
use dl4mir_ddsp::loss::MultiResolution;
use dl4mir_plot::{BarChart, save};
use dl4mir_train::{LossLog, RunSize, SeededRng, progress, run_epoch};
use rand_core::Rng;
use serde_json::{Value, json};
use std::path::Path;

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Sizes {
    pub patches_per_synth: usize,
    pub seconds: f64,
    pub epochs: usize,
    /// Epochs of the re-rendering comparison, after the joint-heads network's own.
    pub extra_epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    pub config: ProgrammerConfig,
    /// Final KL weight, reached by a linear warm-up over the first half of training (theirs:
    /// to 1 over 100 epochs; ours smaller, since our reconstruction terms are means).
    pub beta: f64,
    /// Weight of the re-rendered spectral loss (ours).
    pub rerender_weight: f64,
}

impl Sizes {
    pub fn of(size: RunSize) -> Self {
        let config = |hidden, latent, head_width| ProgrammerConfig {
            mel: 0,
            hidden,
            latent,
            head_width,
        };
        let base = Sizes {
            patches_per_synth: 240,
            seconds: 0.256,
            epochs: 24,
            extra_epochs: 4,
            batch_size: 32,
            lr: 1e-3,
            config: config(256, 16, 128),
            beta: 1e-3,
            rerender_weight: 0.01,
        };
        match size {
            RunSize::Quick => Sizes {
                patches_per_synth: 48,
                epochs: 10,
                extra_epochs: 1,
                batch_size: 16,
                config: config(64, 8, 32),
                ..base
            },
            RunSize::Default => base,
            RunSize::Full => Sizes {
                patches_per_synth: 4000,
                epochs: 200,
                extra_epochs: 40,
                config: config(512, 64, 1024),
                ..base
            },
        }
    }

    fn samples(&self) -> usize {
        NoteChoice {
            effect: Effect::Clean,
            pickup: Pickup::Middle,
            frets: vec![],
            seconds: self.seconds,
        }
        .samples()
    }
}

/// One rendered patch.
#[derive(Debug, Clone)]
struct Sound {
    synth: Synth,
    f0_hz: f64,
    patch: Vec<f32>,
    audio: Vec<f32>,
    /// The log-mel, flattened, standardised with the training sounds' statistics.
    mel: Vec<f32>,
}

/// Everything the synths share: the additive synth's noise (one row, every note).
struct Rendering {
    noise: Vec<f32>,
}

impl Rendering {
    fn noise(&self, batch: usize, device: &Device) -> Tensor<2> {
        let n = self.noise.len();
        Tensor::<2>::from_data(TensorData::new(self.noise.clone(), [1, n]), device)
            .repeat_dim(0, batch)
    }

    fn render(
        &self,
        synth: Synth,
        patches: &[Vec<f32>],
        f0: &[f64],
        device: &Device,
    ) -> Vec<Vec<f32>> {
        let mut out = Vec::new();
        for (chunk, f) in patches.chunks(64).zip(f0.chunks(64)) {
            let values: Vec<f32> = chunk.concat();
            let patch = Tensor::<2>::from_data(
                TensorData::new(values, [chunk.len(), synth.count()]),
                device,
            );
            let audio = synth.render(patch, f, self.noise(chunk.len(), device));
            out.extend(crate::batch::rows(audio));
        }
        out
    }
}

/// `n` random patches of `synth` at random pitches of the guitar (E2 to E5), rendered.
fn random_sounds(
    synth: Synth,
    n: usize,
    rendering: &Rendering,
    rng: &mut SeededRng,
    device: &Device,
) -> anyhow::Result<Vec<Sound>> {
    let patches: Vec<Vec<f32>> =
        (0..n).map(|_| (0..synth.count()).map(|_| uniform(rng)).collect()).collect();
    let f0: Vec<f64> = (0..n)
        .map(|_| crate::notes::midi_to_hz(40.0 + (rng.next_u32() % 37) as f64))
        .collect();
    let audio = rendering.render(synth, &patches, &f0, device);
    patches
        .into_iter()
        .zip(f0)
        .zip(audio)
        .map(|((patch, f0_hz), audio)| {
            let mel = log_mel(&audio)?.iter().copied().collect();
            Ok(Sound { synth, f0_hz, patch, audio, mel })
        })
        .collect()
}

/// Per-feature mean and standard deviation of the training mels; applied to `mels`.
struct Standardiser {
    mean: Vec<f32>,
    std: Vec<f32>,
}

impl Standardiser {
    fn fit(rows: &[&[f32]]) -> Self {
        let d = rows[0].len();
        let n = rows.len() as f32;
        let mean: Vec<f32> =
            (0..d).map(|j| rows.iter().map(|r| r[j]).sum::<f32>() / n).collect();
        let std = (0..d)
            .map(|j| {
                (rows.iter().map(|r| (r[j] - mean[j]).powi(2)).sum::<f32>() / n)
                    .sqrt()
                    .max(1e-3)
            })
            .collect();
        Self { mean, std }
    }

    fn apply(&self, row: &[f32]) -> Vec<f32> {
        row.iter().zip(&self.mean).zip(&self.std).map(|((v, m), s)| (v - m) / s).collect()
    }
}

/// A trained variant: one network (`separate` has one per synth, in `Synth::ALL` order).
struct Trained {
    variant: Variant,
    networks: Vec<Programmer>,
    losses: LossLog,
}

impl Trained {
    /// The predicted patches of `sounds` (all of one synth), from the posterior mean.
    fn predict(&self, synth: Synth, mels: &[&[f32]], device: &Device) -> Vec<Vec<f32>> {
        let (network, head) = match self.variant {
            Variant::Separate => (&self.networks[synth.index()], 0),
            Variant::JointHeads => (&self.networks[0], synth.index()),
            Variant::JointDecoder => (&self.networks[0], 0),
        };
        let input = mel_tensor(mels, device);
        let code = network.forward(input, false).code;
        let mask = (self.variant == Variant::JointDecoder)
            .then(|| one_hot(&vec![synth; mels.len()], device));
        let patch = network.patch(head, code, mask);
        let [n, width] = patch.dims();
        let values: Vec<f32> = patch.into_data().iter::<f32>().collect();
        (0..n).map(|i| values[i * width..i * width + synth.count()].to_vec()).collect()
    }
}

fn mel_tensor(mels: &[&[f32]], device: &Device) -> Tensor<2> {
    let d = mels[0].len();
    Tensor::from_data(TensorData::new(mels.concat(), [mels.len(), d]), device)
}

fn one_hot(synths: &[Synth], device: &Device) -> Tensor<2> {
    let values: Vec<f32> = synths
        .iter()
        .flat_map(|s| (0..3).map(move |k| if k == s.index() { 1.0 } else { 0.0 }))
        .collect();
    Tensor::from_data(TensorData::new(values, [synths.len(), 3]), device)
}

/// What a training run optimises besides the mel and the KL.
#[derive(Clone, Copy)]
struct Objective<'a> {
    beta: f64,
    /// The re-rendered spectral loss and its weight (ours), or `None`.
    rerender: Option<(&'a MultiResolution, f64, &'a Rendering)>,
}

// ANCHOR: step
/// The loss of one batch: mel reconstruction (MSE) + each head's parameter MSE, weighted by
/// its share of the batch (as Keras averages a masked output) + beta KL [+ the re-rendered
/// spectral loss].
fn batch_loss(
    variant: Variant,
    network: &Programmer,
    sounds: &[&Sound],
    objective: Objective,
    device: &Device,
) -> Tensor<1> {
    let mels: Vec<&[f32]> = sounds.iter().map(|s| &s.mel[..]).collect();
    let input = mel_tensor(&mels, device);
    let pass = network.forward(input.clone(), true);
    let mut loss = (pass.mel.clone() - input).powf_scalar(2.0).mean()
        + kl(pass.mean, pass.log_variance).mul_scalar(objective.beta);
    let n = sounds.len() as f64;
    match variant {
        Variant::JointDecoder => {
            // One head as long as the longest patch; shorter patches zero-padded (theirs).
            let width = Synth::ALL.iter().map(|s| s.count()).max().expect("synths");
            let targets: Vec<f32> = sounds
                .iter()
                .flat_map(|s| {
                    let mut p = s.patch.clone();
                    p.resize(width, 0.0);
                    p
                })
                .collect();
            let targets = Tensor::<2>::from_data(
                TensorData::new(targets, [sounds.len(), width]),
                device,
            );
            let synths: Vec<Synth> = sounds.iter().map(|s| s.synth).collect();
            let patch = network.patch(0, pass.code, Some(one_hot(&synths, device)));
            loss = loss + (patch - targets).powf_scalar(2.0).mean();
        }
        Variant::Separate | Variant::JointHeads => {
            for synth in Synth::ALL {
                let rows: Vec<i64> = (0..sounds.len())
                    .filter(|&i| sounds[i].synth == synth)
                    .map(|i| i as i64)
                    .collect();
                if rows.is_empty() {
                    continue;
                }
                let index = Tensor::<1, Int>::from_data(
                    TensorData::new(rows.clone(), [rows.len()]),
                    device,
                );
                let head = if variant == Variant::Separate { 0 } else { synth.index() };
                let patch = network.patch(head, pass.code.clone().select(0, index), None);
                let chosen: Vec<&Sound> = rows.iter().map(|&i| sounds[i as usize]).collect();
                let targets: Vec<f32> =
                    chosen.iter().flat_map(|s| s.patch.iter().copied()).collect();
                let targets = Tensor::<2>::from_data(
                    TensorData::new(targets, [rows.len(), synth.count()]),
                    device,
                );
                let share = rows.len() as f64 / n;
                loss =
                    loss + (patch.clone() - targets).powf_scalar(2.0).mean().mul_scalar(share);
                if let Some((spectral, weight, rendering)) = objective.rerender {
                    // Ours: hear the predicted patch and compare it with the target sound.
                    let f0: Vec<f64> = chosen.iter().map(|s| s.f0_hz).collect();
                    let heard = synth.render(patch, &f0, rendering.noise(rows.len(), device));
                    let audio: Vec<f32> =
                        chosen.iter().flat_map(|s| s.audio.iter().copied()).collect();
                    let target = Tensor::<2>::from_data(
                        TensorData::new(audio, [rows.len(), rendering.noise.len()]),
                        device,
                    );
                    loss = loss + spectral.loss(heard, target).mul_scalar(weight * share);
                }
            }
        }
    }
    loss
}
// ANCHOR_END: step

/// Train one network on `sounds` for `epochs` (continuing `start` if given).
fn train_network(
    variant: Variant,
    network: Programmer,
    sounds: &[&Sound],
    (sizes, epochs, objective): (&Sizes, usize, Objective),
    (device, rng): (&Device, &mut SeededRng),
    name: &str,
) -> anyhow::Result<(Programmer, LossLog)> {
    let mut network = network;
    let mut optimizer = AdamConfig::new().with_epsilon(1e-8).init();
    let mut log = LossLog::default();
    let bar = progress(
        (epochs * sounds.len().div_ceil(sizes.batch_size)) as u64,
        format!("training {name}"),
    );
    for epoch in 1..=epochs {
        let mut order: Vec<usize> = (0..sounds.len()).collect();
        dl4mir_eval::split::shuffle(&mut order, rng.next_u64());
        // The KL weight rises over the first half of the epochs (ours: a rerun keeps it).
        let ramp = if objective.rerender.is_some() {
            1.0
        } else {
            (2.0 * epoch as f64 / epochs as f64).min(1.0)
        };
        let objective = Objective { beta: objective.beta * ramp, ..objective };
        let batches = order
            .chunks(sizes.batch_size)
            .map(|rows| rows.iter().map(|&i| sounds[i]).collect::<Vec<_>>());
        run_epoch(epoch, batches, &bar, sizes.lr, &mut log, |batch| {
            let loss = batch_loss(variant, &network, &batch, objective, device);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &network);
            network = optimizer.step(sizes.lr, network.clone(), grads);
            value
        })?;
    }
    bar.finish_and_clear();
    Ok((network, log))
}

/// Parameter error and LSD of one way of predicting patches, per synth and overall.
fn assess(
    predict: impl Fn(Synth, &[&Sound]) -> Vec<Vec<f32>>,
    tests: &[Vec<Sound>],
    rendering: &Rendering,
    device: &Device,
) -> anyhow::Result<Value> {
    let mut entry = serde_json::Map::new();
    let (mut maes, mut lsds) = (Vec::new(), Vec::new());
    for (synth, sounds) in Synth::ALL.iter().zip(tests) {
        let refs: Vec<&Sound> = sounds.iter().collect();
        let predicted = predict(*synth, &refs);
        let errors: Vec<f64> = predicted
            .iter()
            .zip(sounds)
            .flat_map(|(p, s)| p.iter().zip(&s.patch).map(|(a, b)| (a - b).abs() as f64))
            .collect();
        let f0: Vec<f64> = sounds.iter().map(|s| s.f0_hz).collect();
        let heard = rendering.render(*synth, &predicted, &f0, device);
        let lsd: Vec<f64> = sounds
            .iter()
            .zip(&heard)
            .map(|(s, h)| log_spectral_distance(&s.audio, h))
            .collect::<anyhow::Result<_>>()?;
        let (mae, lsd) = (mean(&errors), mean(&lsd));
        entry.insert(synth.key().into(), json!({"parameter_mae": mae, "lsd_db": lsd}));
        maes.push(mae);
        lsds.push(lsd);
    }
    entry.insert("parameter_mae".into(), mean(&maes).into());
    entry.insert("lsd_db".into(), mean(&lsds).into());
    Ok(Value::Object(entry))
}

// ANCHOR: run
pub fn run(
    common: &dl4mir_train::CommonArgs,
    test_string: u8,
    (device, rng): (&Device, &mut SeededRng),
    out: &Path,
) -> anyhow::Result<(Value, Vec<(String, LossLog)>)> {
    let mut sizes = Sizes::of(common.size());
    sizes.epochs = common.epochs.unwrap_or(sizes.epochs);
    sizes.batch_size = common.batch_size.unwrap_or(sizes.batch_size);
    sizes.lr = common.lr.unwrap_or(sizes.lr);
    let samples = sizes.samples();
    let inference = device.clone().without_autodiff();
    let rendering =
        Rendering { noise: (0..samples).map(|_| 2.0 * uniform(rng) - 1.0).collect() };
    // Four fifths of each synth's patches train, the rest test.
    let (mut trains, mut tests) = (Vec::new(), Vec::new());
    for synth in Synth::ALL {
        let mut sounds =
            random_sounds(synth, sizes.patches_per_synth, &rendering, rng, &inference)?;
        let test = sounds.split_off(sizes.patches_per_synth * 4 / 5);
        trains.push(sounds);
        tests.push(test);
    }
    let all_train: Vec<&[f32]> = trains.iter().flatten().map(|s| &s.mel[..]).collect();
    let standardiser = Standardiser::fit(&all_train);
    for s in trains.iter_mut().chain(tests.iter_mut()).flatten() {
        s.mel = standardiser.apply(&s.mel);
    }
    let config = ProgrammerConfig { mel: trains[0][0].mel.len(), ..sizes.config };
    let counts: Vec<usize> = Synth::ALL.iter().map(|s| s.count()).collect();
    let objective = Objective { beta: sizes.beta, rerender: None };
    let train_all: Vec<&Sound> = trains.iter().flatten().collect();

    let mut trained = Vec::new();
    for variant in Variant::ALL {
        let (networks, losses) = match variant {
            Variant::Separate => {
                let (mut networks, mut losses) = (Vec::new(), LossLog::default());
                for (synth, sounds) in Synth::ALL.iter().zip(&trains) {
                    let refs: Vec<&Sound> = sounds.iter().collect();
                    let network = config.init(&[synth.count()], None, device);
                    let name = format!("separate ({})", synth.key());
                    let (network, log) = train_network(
                        variant,
                        network,
                        &refs,
                        (&sizes, sizes.epochs, objective),
                        (device, rng),
                        &name,
                    )?;
                    networks.push(network);
                    losses.train_seconds += log.train_seconds;
                    losses.epochs = log.epochs;
                }
                (networks, losses)
            }
            Variant::JointHeads | Variant::JointDecoder => {
                let network = match variant {
                    Variant::JointHeads => config.init(&counts, None, device),
                    _ => {
                        config.init(&[*counts.iter().max().expect("synths")], Some(3), device)
                    }
                };
                let (network, log) = train_network(
                    variant,
                    network,
                    &train_all,
                    (&sizes, sizes.epochs, objective),
                    (device, rng),
                    variant.key(),
                )?;
                (vec![network], log)
            }
        };
        trained.push(Trained { variant, networks, losses });
    }
    // Ours: the joint-heads network trained on, with and without hearing its patches.
    let spectral =
        MultiResolution { fft_sizes: vec![1024, 256, 64], ..MultiResolution::ddx7() };
    let start = trained[1].networks[0].clone();
    let with = Objective {
        rerender: Some((&spectral, sizes.rerender_weight, &rendering)),
        ..objective
    };
    let mut continued = Vec::new();
    for (key, objective) in [("parameters_only", objective), ("rerendered", with)] {
        let (network, losses) = train_network(
            Variant::JointHeads,
            start.clone(),
            &train_all,
            (
                &sizes,
                sizes.extra_epochs,
                Objective { rerender: objective.rerender, beta: sizes.beta },
            ),
            (device, rng),
            key,
        )?;
        continued.push((
            key,
            Trained { variant: Variant::JointHeads, networks: vec![network], losses },
        ));
    }
    // ANCHOR_END: run

    let valid = |t: &Trained| Trained {
        variant: t.variant,
        networks: t.networks.iter().map(|n| n.valid()).collect(),
        losses: t.losses.clone(),
    };
    let mut metrics = serde_json::Map::new();
    let mut bars = Vec::new();
    let predict_with = |t: &Trained| {
        let (t, device) = (valid(t), inference.clone());
        move |synth: Synth, sounds: &[&Sound]| {
            let mels: Vec<&[f32]> = sounds.iter().map(|s| &s.mel[..]).collect();
            t.predict(synth, &mels, &device)
        }
    };
    for t in &trained {
        let mut entry = assess(predict_with(t), &tests, &rendering, &inference)?;
        entry["train_seconds"] = t.losses.train_seconds.into();
        bars.push((t.variant.key().replace('_', " "), entry.clone()));
        metrics.insert(t.variant.key().into(), entry);
    }
    let mut extra = serde_json::Map::new();
    for (key, t) in &continued {
        let entry = assess(predict_with(t), &tests, &rendering, &inference)?;
        bars.push((format!("+ {}", key.replace('_', " ")), entry.clone()));
        extra.insert((*key).into(), entry);
    }
    extra.insert("extra_epochs".into(), sizes.extra_epochs.into());
    extra.insert("weight".into(), sizes.rerender_weight.into());
    extra.insert("fft_sizes".into(), json!(spectral.fft_sizes));
    metrics.insert("rerender".into(), Value::Object(extra));
    // The trivial baseline: every test patch predicted as the mean training patch.
    let means: Vec<Vec<f32>> = trains
        .iter()
        .map(|sounds| {
            (0..sounds[0].patch.len())
                .map(|j| sounds.iter().map(|s| s.patch[j]).sum::<f32>() / sounds.len() as f32)
                .collect()
        })
        .collect();
    let baseline = assess(
        |synth, sounds| vec![means[synth.index()].clone(); sounds.len()],
        &tests,
        &rendering,
        &inference,
    )?;
    bars.push(("mean patch".into(), baseline.clone()));
    metrics.insert("mean_patch".into(), baseline);
    for (name, entry) in &bars {
        println!(
            "programming, {name}: parameter error {:.3}, LSD {:.2} dB (held-out patches)",
            entry["parameter_mae"].as_f64().unwrap_or(f64::NAN),
            entry["lsd_db"].as_f64().unwrap_or(f64::NAN)
        );
    }
    lsd_bars(&bars, &out.join("programming_lsd"))?;

    let final_network = valid(&continued[1].1);
    let guitar = imitate_guitar(
        common,
        test_string,
        &sizes,
        (&final_network, &standardiser, &means),
        &rendering,
        &inference,
        out,
    )?;
    metrics.insert("guitar".into(), guitar);
    metrics.insert(
        "setup".into(),
        json!({
            "sizes": sizes, "samples": samples, "sr": SR, "train_patches": train_all.len(),
            "test_patches": tests.iter().map(Vec::len).sum::<usize>(),
            "parameters": Synth::ALL.iter().map(|s| (s.key().to_string(), json!(s.parameters()))).collect::<serde_json::Map<_, _>>(),
            "mel_values": config.mel,
        }),
    );
    let logs = trained
        .into_iter()
        .map(|t| (format!("programming_{}", t.variant.key()), t.losses))
        .collect();
    Ok((Value::Object(metrics), logs))
}

/// One bar per way of programming: the held-out LSD, averaged over the three synths (the
/// per-synth numbers are in `metrics.json`).
fn lsd_bars(bars: &[(String, Value)], path: &Path) -> anyhow::Result<()> {
    let figure = BarChart {
        title: "Synthesizer programming: LSD between the true and the predicted patch's sound"
            .into(),
        y_label: "log-spectral distance (dB), mean of three synths".into(),
        categories: bars.iter().map(|(name, _)| name.clone()).collect(),
        values: bars.iter().map(|(_, e)| e["lsd_db"].as_f64().unwrap_or(f64::NAN)).collect(),
        errors: None,
    };
    save(&figure, path)?;
    Ok(())
}

// ANCHOR: guitar
/// The network, shown guitar notes, programs each synth to imitate them: LSD to the guitar
/// against the mean patch's, WAVs and spectrograms for the first note.
fn imitate_guitar(
    common: &dl4mir_train::CommonArgs,
    test_string: u8,
    sizes: &Sizes,
    (network, standardiser, means): (&Trained, &Standardiser, &[Vec<f32>]),
    rendering: &Rendering,
    device: &Device,
    out: &Path,
) -> anyhow::Result<Value> {
    let choice = NoteChoice {
        effect: Effect::Clean,
        pickup: Pickup::Middle,
        frets: vec![0, 5, 10],
        seconds: sizes.seconds,
    };
    let notes: Vec<_> = load_notes(common.dataset, &common.data_home(), &choice, common.seed)?
        .into_iter()
        .filter(|n| n.string == test_string)
        .collect();
    anyhow::ensure!(!notes.is_empty(), "no clean notes of string {test_string} to imitate");
    let mels: Vec<Vec<f32>> = notes
        .iter()
        .map(|n| {
            Ok(standardiser.apply(&log_mel(&n.audio)?.iter().copied().collect::<Vec<_>>()))
        })
        .collect::<anyhow::Result<_>>()?;
    let mel_refs: Vec<&[f32]> = mels.iter().map(|m| &m[..]).collect();
    let f0: Vec<f64> = notes.iter().map(|n| n.f0_hz()).collect();
    let mut entry = serde_json::Map::new();
    let mut panels_audio = vec![("guitar".to_string(), notes[0].audio.clone())];
    sound::write(&out.join("programming_guitar.wav"), &notes[0].audio)?;
    for synth in Synth::ALL {
        let patches = network.predict(synth, &mel_refs, device);
        let heard = rendering.render(synth, &patches, &f0, device);
        let mean_heard = rendering.render(
            synth,
            &vec![means[synth.index()].clone(); notes.len()],
            &f0,
            device,
        );
        let lsd = |sounds: &[Vec<f32>]| -> anyhow::Result<f64> {
            let v: Vec<f64> = notes
                .iter()
                .zip(sounds)
                .map(|(n, h)| log_spectral_distance(&n.audio, h))
                .collect::<anyhow::Result<_>>()?;
            Ok(mean(&v))
        };
        entry.insert(
            synth.key().into(),
            json!({"lsd_db": lsd(&heard)?, "mean_patch_lsd_db": lsd(&mean_heard)?, "first_patch": patches[0]}),
        );
        sound::write(&out.join(format!("programming_guitar_{}.wav", synth.key())), &heard[0])?;
        panels_audio.push((format!("{} synth", synth.key()), heard[0].clone()));
    }
    entry.insert("notes".into(), notes.len().into());
    entry.insert("first_note".into(), notes[0].id.clone().into());
    let panels: Vec<(String, &[f32])> =
        panels_audio.iter().map(|(n, a)| (n.clone(), &a[..])).collect();
    figures::spectrograms(
        &panels,
        &format!("{}: the guitar and three synths programmed to imitate it", notes[0].id),
        &out.join("programming_guitar"),
    )?;
    Ok(Value::Object(entry))
}
// ANCHOR_END: guitar

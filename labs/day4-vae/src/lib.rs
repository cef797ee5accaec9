//! # day4-vae: a variational autoencoder of guitar-effect spectrograms, and its sounds
//!
//! The lab of Day 4, in the order the chapter tells it:
//!
//! 1. each note's magnitude spectrogram, flattened and scaled to peak 1 ([`features`]);
//! 2. the VAE: encoder, reparameterisation, decoder ([`model`]); the loss, squared error
//!    plus the KL divergence to the prior ([`loss`]), whose closed form is checked against
//!    a Monte-Carlo estimate ([`kl`]);
//! 3. training with Adam, test on one guitar string ([`training`]);
//! 4. listening: Griffin-Lim turns inputs, reconstructions, draws from the prior and an
//!    interpolation into WAV files ([`sound`]); a map of the latent space ([`latent`]).

pub mod features;
mod figures;
pub mod kl;
pub mod latent;
pub mod loss;
pub mod model;
pub mod sound;
pub mod training;

use burn::prelude::*;
use dl4mir_datasets::{Class, Effect, IfMissing, Track, open_classes};
use dl4mir_train::{
    Batcher, Checkpoint, CommonArgs, RunReport, RunSize, RunSummary, Stopwatch, seed_everything,
};
use features::Spectrogram;
use model::{Vae, VaeConfig};
use ndarray::Array2;
use std::path::Path;
use training::Settings;

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(about = "A variational autoencoder of guitar-effect spectrograms (Day 4 of the dl4mir course)")]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The guitar string the VAE is tested on (never seen in training).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// Weight of the KL term (1 = the notebook's VAE; 0 = a plain autoencoder).
    #[arg(long, default_value_t = 1.0)]
    pub beta: f64,
    /// Chunks the first layer's long inner product is split into (1 = a plain product).
    #[arg(long, default_value_t = 180, value_parser = clap::value_parser!(u64).range(1..))]
    pub split_k: u64,
}

/// Values that cannot train stop the run with the fix.
fn refuse_bad_values(cli: &Cli) -> anyhow::Result<()> {
    cli.common.check_training_values(4, 0.001)?;
    if !(cli.beta.is_finite() && cli.beta >= 0.0) {
        anyhow::bail!("--beta {} must be 0 or more, e.g. 1 (the VAE) or 0 (a plain autoencoder)", cli.beta);
    }
    Ok(())
}

/// Which notes are heard in the book: a clean note, a distorted one and a reverberant one
/// from the held-out string (the first of each that the run has).
const HEARD: [Effect; 3] = [Effect::Clean, Effect::Rat, Effect::HallReverb];

/// Run the lab: writes `metrics.json`, the figures, the WAV files and `twin.json`.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    refuse_bad_values(cli)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day4-vae");
    std::fs::create_dir_all(&out).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    // ANCHOR: sizes
    let (spec, per_effect, default_epochs, default_batch) = match args.size() {
        RunSize::Quick => (Spectrogram::QUICK, Some(8), 4, 8),
        RunSize::Default => (Spectrogram::DEFAULT, Some(30), 12, 16),
        RunSize::Full => (Spectrogram::FULL, None, 50, 4),
    };
    // ANCHOR_END: sizes
    let settings = Settings {
        epochs: args.epochs.unwrap_or(default_epochs),
        batch_size: args.batch_size.unwrap_or(default_batch),
        lr: args.lr.unwrap_or(1e-3),
        beta: cli.beta,
    };

    // ANCHOR: run
    // Every effect its own class; a partial real download trains on the effects it has.
    let classes: Vec<Class> = Effect::ALL.iter().map(|&e| (e.to_string(), vec![e])).collect();
    let (choice, home) = (args.dataset, args.data_home());
    let (tracks, effect_index) =
        open_classes(choice, &home, &classes, per_effect, args.seed, IfMissing::GoOn)?;
    let (features, cache) = spec.matrix(&home, &tracks)?;
    let (test, train): (Vec<usize>, Vec<usize>) =
        (0..tracks.len()).partition(|&i| tracks[i].string == cli.test_string);
    anyhow::ensure!(
        !train.is_empty() && !test.is_empty(),
        "the VAE needs notes on string {} to test (found {}) and on the others to train (found {}); \
         fetch more with `cargo run -p dl4mir-datasets -- download` or choose another --test-string",
        cli.test_string,
        test.len(),
        train.len()
    );
    let batcher = |rows: &[usize]| {
        Batcher::new(
            dl4mir_train::select_rows(&features, spec.width(), rows),
            spec.width(),
            vec![0; rows.len()],
            settings.batch_size,
        )
    };
    let config = VaeConfig::new(spec.width()).with_split_k(cli.split_k as usize);
    let rng = seed_everything(&device, args.seed);
    let checkpoint = Checkpoint::in_dir(&out);
    let (vae, losses) = training::train(
        &config,
        &batcher(&train)?,
        &batcher(&test)?,
        settings,
        (&device, rng),
        Some((&checkpoint, args.resume)),
    )?;
    // ANCHOR_END: run
    println!(
        "{} notes of 13 effects: {} train, {} test (string {}); input {} x {} = {} values, {} parameters",
        tracks.len(),
        train.len(),
        test.len(),
        cli.test_string,
        spec.bins(),
        spec.frames(),
        spec.width(),
        config.parameter_count()
    );

    let inference = (vae.valid(), device.clone().without_autodiff());
    let means = encode_means(&inference, &features, spec.width())?;
    let (points, kept) = latent::first_two_components(&means)?;
    let pc1: Vec<f64> = points.iter().map(|p| p.0).collect();
    let midi: Vec<f64> = tracks.iter().map(|t| t.midi as f64).collect();
    let pitch_correlation = latent::correlation(&pc1, &midi).abs();
    let active = latent::active_dimensions(&means);
    println!(
        "latent: {active} of {} dimensions in use; PC 1 of the means correlates with pitch at {pitch_correlation:.2}",
        means.ncols()
    );
    let names: Vec<String> = classes.into_iter().map(|(name, _)| name).collect();
    figures::latent_map(points, effect_index, names, kept, &out.join("latent"))?;
    figures::loss_terms(&losses, &out.join("loss"))?;
    let heard = listen(&inference, &spec, &tracks, (&features, &means), &test, args.seed, &out)?;

    let mut metrics = serde_json::Map::new();
    let last = |name: &str| losses.per_epoch.get(name).and_then(|v| v.last().copied()).unwrap_or(f32::NAN);
    metrics.insert("notes".into(), tracks.len().into());
    metrics.insert("train_notes".into(), train.len().into());
    metrics.insert("test_notes".into(), test.len().into());
    metrics.insert("inputs".into(), spec.width().into());
    metrics.insert("parameters".into(), config.parameter_count().into());
    metrics.insert(
        "split_k_chunks".into(),
        dl4mir_train::split_k::nearest_divisor(spec.width(), config.split_k).into(),
    );
    metrics.insert("train_reconstruction".into(), last("reconstruction").into());
    metrics.insert("train_kl".into(), last("kl").into());
    metrics.insert("test_loss".into(), losses.validation.last().copied().unwrap_or(f32::NAN).into());
    metrics.insert("latent_pca_variance_kept".into(), kept.into());
    metrics.insert("latent_active_dimensions".into(), active.into());
    metrics.insert("latent_pc1_pitch_correlation".into(), pitch_correlation.into());
    metrics.insert("heard".into(), serde_json::json!(heard));
    write_twin_inputs(&cache, &spec, &train, &test, settings, &out)?;

    let summary = RunSummary {
        lab: "day4-vae".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: serde_json::json!({
            "spectrogram": spec, "notes_per_effect": per_effect, "test_string": cli.test_string,
            "epochs": settings.epochs, "batch_size": settings.batch_size, "lr": settings.lr, "beta": settings.beta,
            "hidden": [config.hidden_1, config.hidden_2], "latent": config.latent, "split_k": config.split_k,
            "optimizer": "Adam (eps 1e-8)",
        }),
    };
    let trained = settings.epochs * train.len();
    let run_report = summary.finish(losses, metrics, trained, &stopwatch);
    run_report.write(&out)?;
    Ok(run_report)
}

/// The mean code of every note, `[notes, latent]`, 64 notes at a time.
fn encode_means(
    (vae, device): &(Vae, Device),
    features: &[f32],
    width: usize,
) -> anyhow::Result<Array2<f64>> {
    let n = features.len() / width;
    let mut values = Vec::new();
    for chunk in features.chunks(64 * width) {
        let x = Tensor::<2>::from_data(TensorData::new(chunk.to_vec(), [chunk.len() / width, width]), device);
        values.extend(vae.encode(x).0.into_data().iter::<f32>().map(f64::from));
    }
    Ok(Array2::from_shape_vec((n, values.len() / n.max(1)), values)?)
}

/// Decode codes `[n, latent]` (given as rows) to flattened spectrograms.
fn decode(vae: &Vae, device: &Device, codes: &[Vec<f32>]) -> Vec<Vec<f32>> {
    let latent = codes[0].len();
    let flat: Vec<f32> = codes.iter().flatten().copied().collect();
    let z = Tensor::<2>::from_data(TensorData::new(flat, [codes.len(), latent]), device);
    let x = vae.decode(z).into_data().try_to_vec::<f32>().expect("f32 output");
    x.chunks(x.len() / codes.len()).map(<[f32]>::to_vec).collect()
}

// ANCHOR: listen
/// The WAV files: for each heard note its original excerpt, its input spectrogram and its
/// reconstruction through Griffin-Lim; two draws from the prior; an interpolation in five
/// steps from the first heard note to the last. Returns the heard notes' ids.
fn listen(
    (vae, device): &(Vae, Device),
    spec: &Spectrogram,
    tracks: &[Track],
    (features, means): (&[f32], &Array2<f64>),
    test: &[usize],
    seed: u64,
    out: &Path,
) -> anyhow::Result<Vec<String>> {
    let width = spec.width();
    let row = |i: usize| &features[i * width..(i + 1) * width];
    let mut heard: Vec<usize> =
        HEARD.iter().filter_map(|&e| test.iter().copied().find(|&i| tracks[i].effect == e)).collect();
    if heard.len() < 2 {
        heard = test.iter().copied().take(2).collect(); // a partial dataset: any two notes
    }
    // The heard notes' mean codes, already computed for the latent map.
    let codes: Vec<Vec<f32>> =
        heard.iter().map(|&i| means.row(i).iter().map(|&v| v as f32).collect()).collect();
    let reconstructions = decode(vae, device, &codes);
    for (k, (&i, reconstruction)) in heard.iter().zip(&reconstructions).enumerate() {
        let name = slug(&tracks[i].effect.to_string());
        let load =
            dl4mir_audio::LoadParams { sr: Some(sound::OUT_SR), offset: 0.0, duration: Some(spec.seconds) };
        let (original, _) = dl4mir_audio::load(&tracks[i].audio_path, &load)?;
        sound::write(&out.join(format!("original_{name}.wav")), original)?;
        sound::write(&out.join(format!("input_{name}.wav")), sound::render(spec, row(i))?)?;
        sound::write(&out.join(format!("reconstruction_{name}.wav")), sound::render(spec, reconstruction)?)?;
        if k == 0 {
            let id = &tracks[i].id;
            figures::spectrogram(spec, row(i), &format!("{id}: input"), &out.join("spectrogram_input"))?;
            let title = format!("{id}: reconstruction");
            figures::spectrogram(spec, reconstruction, &title, &out.join("spectrogram_reconstruction"))?;
        }
    }
    // Draws from the prior N(0, I): what the decoder makes of codes no note gave.
    let mut rng = <rand_chacha::ChaCha8Rng as rand_core::SeedableRng>::seed_from_u64(seed);
    let latent = codes[0].len();
    let draws: Vec<Vec<f32>> =
        (0..2).map(|_| (0..latent).map(|_| kl::standard_normal(&mut rng) as f32).collect()).collect();
    for (k, spectrogram) in decode(vae, device, &draws).iter().enumerate() {
        sound::write(&out.join(format!("prior_{}.wav", k + 1)), sound::render(spec, spectrogram)?)?;
    }
    // From the first heard note's code to the last's, in five steps.
    let (a, b) = (&codes[0], &codes[codes.len() - 1]);
    let steps: Vec<Vec<f32>> = (0..5)
        .map(|s| {
            let t = s as f32 / 4.0;
            a.iter().zip(b).map(|(x, y)| (1.0 - t) * x + t * y).collect()
        })
        .collect();
    let parts = decode(vae, device, &steps)
        .iter()
        .map(|s| sound::render(spec, s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    sound::write(&out.join("interpolation.wav"), sound::concatenate(&parts, 0.15))?;
    Ok(heard.iter().map(|&i| tracks[i].id.clone()).collect())
}
// ANCHOR_END: listen

/// `hall reverb` -> `hall-reverb`, for file names.
fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

/// `twin.json`: where the features are and how this run split and trained, for
/// `labs/day4-vae/twin.py` (the same VAE in PyTorch, for the speed comparison).
fn write_twin_inputs(
    cache: &Path,
    spec: &Spectrogram,
    train: &[usize],
    test: &[usize],
    settings: Settings,
    out: &Path,
) -> anyhow::Result<()> {
    let twin = serde_json::json!({
        "features": cache, "width": spec.width(), "train": train, "test": test,
        "epochs": settings.epochs, "batch_size": settings.batch_size, "lr": settings.lr, "beta": settings.beta,
    });
    let path = out.join("twin.json");
    std::fs::write(&path, twin.to_string())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

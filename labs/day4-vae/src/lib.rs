//! # day4-vae: variational autoencoders of guitar-effect spectrograms, and their sounds
//!
//! The lab of Day 4, in the order the chapter tells it:
//!
//! 1. each note's magnitude spectrogram, flattened and scaled to peak 1, and the same in
//!    standardised dB ([`features`]);
//! 2. the VAE: encoder, reparameterisation, decoder ([`model`]); the loss, squared error
//!    plus the KL divergence to the prior ([`loss`]), whose closed form is checked against
//!    a Monte-Carlo estimate ([`kl`]);
//! 3. two of them trained with Adam and tested on one guitar string ([`training`],
//!    [`models`]): the notebook's, and the default one that keeps the notes' pitch;
//! 4. what each reconstruction keeps: log-spectral distance and pitch ([`evaluate`]), the
//!    KL of each code dimension, beside a trivial baseline (the mean training spectrogram);
//! 5. listening: Griffin-Lim turns inputs, reconstructions, draws from the prior and
//!    interpolations into WAV files ([`sound`]); a map of the latent space ([`latent`]).

pub mod evaluate;
pub mod features;
mod figures;
pub mod kl;
pub mod latent;
pub mod loss;
pub mod model;
pub mod models;
pub mod sound;
pub mod training;

use burn::prelude::*;
use dl4mir_datasets::select::Selection;
use dl4mir_datasets::{Class, Effect, IfMissing, Pickup, Track, open_classes_where};
use dl4mir_train::{
    Batcher, Checkpoint, CommonArgs, LossLog, RunReport, RunSize, RunSummary, Stopwatch,
    seed_everything,
};
use evaluate::{is_hit, is_octave_error, log_spectral_distance, midi_to_hz};
use features::{Decibels, Spectrogram, to_db};
use models::{Assessment, Input, ModelName};
use serde_json::{Value, json};
use std::path::Path;
use training::Settings;

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(
    about = "Variational autoencoders of guitar-effect spectrograms (Day 4 of the dl4mir course)"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The guitar string the VAEs are tested on (never seen in training).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// Which notes: the held-out string's neighbours, which play its pitches (the default),
    /// or a random sample of every pickup, string and fret.
    #[arg(long, value_enum, default_value_t = Notes::Neighbours)]
    pub notes: Notes,
    /// Which VAEs to train: both (the default), or only one of them.
    #[arg(long, value_enum, default_value_t = Models::Both)]
    pub model: Models,
    /// Final weight of the KL term (1 = the evidence lower bound; 0 = a plain autoencoder).
    #[arg(long, default_value_t = 1.0)]
    pub beta: f64,
    /// Chunks the first layer's long inner product is split into (1 = a plain product).
    #[arg(long, default_value_t = 180, value_parser = clap::value_parser!(u64).range(1..))]
    pub split_k: u64,
}

/// `--model`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Models {
    Both,
    /// The notebook's VAE only.
    Notebook,
    /// The default dB VAE only.
    Db,
}

impl Models {
    fn list(self) -> Vec<ModelName> {
        match self {
            Models::Both => vec![ModelName::Notebook, ModelName::Db],
            Models::Notebook => vec![ModelName::Notebook],
            Models::Db => vec![ModelName::Db],
        }
    }
}

/// Values that cannot train stop the run with the fix.
fn refuse_bad_values(cli: &Cli) -> anyhow::Result<()> {
    cli.common.check_training_values(4, 0.001)?;
    if !(cli.beta.is_finite() && cli.beta >= 0.0) {
        anyhow::bail!(
            "--beta {} must be 0 or more, e.g. 1 (the VAE) or 0 (a plain autoencoder)",
            cli.beta
        );
    }
    Ok(())
}

// ANCHOR: notes
/// `--notes`: which notes a run reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Notes {
    /// The Middle pickup's frets 0-9 on the held-out string and the strings beside it, which
    /// play the same pitches (string 6 fret 5 is string 5 fret 0, string 4 fret 4 is string
    /// 5 fret 9): every held-out pitch is heard in training, on another string.
    Neighbours,
    /// A sample of every pickup, string and fret: most held-out pitches are never heard.
    Random,
}

/// The frets of [`Notes::Neighbours`].
pub const FRETS: [u8; 10] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/// `--quick`'s: four of them whose pitches the neighbours still play (for string 5: fret 0
/// is string 6's fret 5, fret 4 its fret 9; fret 5 is string 4's open string, fret 9 its
/// fret 4).
pub const QUICK_FRETS: [u8; 4] = [0, 4, 5, 9];

impl Notes {
    /// Keep the chosen notes of a selection (`--full` takes every note, as the notebook).
    pub fn narrow<'a>(
        self,
        size: RunSize,
        test_string: u8,
        s: Selection<'a>,
    ) -> Selection<'a> {
        match (self, size) {
            (Notes::Neighbours, RunSize::Default) => {
                s.pickups(&[Pickup::Middle]).strings(&neighbours(test_string)).frets(&FRETS)
            }
            (Notes::Neighbours, RunSize::Quick) => s
                .pickups(&[Pickup::Middle])
                .strings(&neighbours(test_string))
                .frets(&QUICK_FRETS),
            _ => s,
        }
    }
}
// ANCHOR_END: notes

impl Notes {
    /// At most this many notes of each effect: all of the neighbours', a sample of 30 (8
    /// with `--quick`) of a random choice, every note with `--full`.
    pub fn per_effect(self, size: RunSize) -> Option<usize> {
        match (self, size) {
            (Notes::Neighbours, _) | (_, RunSize::Full) => None,
            (Notes::Random, RunSize::Quick) => Some(8),
            (Notes::Random, RunSize::Default) => Some(30),
        }
    }

    /// In words, for the summary and `metrics.json`.
    pub fn describe(self, size: RunSize, test_string: u8) -> String {
        let strings: Vec<String> = neighbours(test_string).iter().map(u8::to_string).collect();
        let kept = match (self, size) {
            (Notes::Neighbours, RunSize::Default) => {
                format!("Middle pickup, strings {}, frets 0-9", strings.join(", "))
            }
            (Notes::Neighbours, RunSize::Quick) => {
                format!("Middle pickup, strings {}, frets 0, 4, 5, 9", strings.join(", "))
            }
            _ => "every pickup, string and fret".into(),
        };
        match self.per_effect(size) {
            Some(n) => format!("{kept}, a sample of {n} per effect"),
            None => kept,
        }
    }
}

/// The held-out string and the strings beside it.
fn neighbours(test_string: u8) -> Vec<u8> {
    (test_string.saturating_sub(1).max(1)..=(test_string + 1).min(6)).collect()
}

/// Which notes are heard in the book: a clean note, a distorted one, a reverberant one and
/// one through a tape echo, from the held-out string (the first of each that the run has).
const HEARD: [Effect; 4] = [Effect::Clean, Effect::Rat, Effect::HallReverb, Effect::TapeEcho];

/// One trained model and what was measured of it.
struct Trained {
    name: ModelName,
    vae: model::Vae,
    input: Input,
    losses: LossLog,
    settings: Settings,
    parameters: usize,
    assessment: Assessment,
}

/// Run the lab: writes `metrics.json`, the figures, the WAV files and `twin.json`.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    refuse_bad_values(cli)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day4-vae");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    // ANCHOR: sizes
    let (spec, default_epochs, default_batch) = match args.size() {
        RunSize::Quick => (Spectrogram::QUICK, 6, 8),
        RunSize::Default => (Spectrogram::DEFAULT, 12, 16),
        RunSize::Full => (Spectrogram::FULL, 50, 4),
    };
    // ANCHOR_END: sizes
    let sizes = (
        args.epochs.unwrap_or(default_epochs),
        args.batch_size.unwrap_or(default_batch),
        args.lr.unwrap_or(1e-3),
    );

    // ANCHOR: run
    // Every effect its own class; a partial real download trains on the effects it has.
    let classes: Vec<Class> = Effect::ALL.iter().map(|&e| (e.to_string(), vec![e])).collect();
    let (choice, home) = (args.dataset, args.data_home());
    let (notes, size) = (cli.notes, args.size());
    let (tracks, effect_index) = open_classes_where(
        choice,
        &home,
        &classes,
        |s| notes.narrow(size, cli.test_string, s),
        (notes.per_effect(size), args.seed),
        IfMissing::GoOn,
    )?;
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
    let width = spec.width();
    let decibels = Decibels::fit(&features, width, &train);
    let inference = device.clone().without_autodiff();
    let mut trained = Vec::new();
    for name in cli.model.list() {
        let (config, settings) =
            models::recipe(name, width, cli.split_k as usize, sizes, cli.beta);
        let input = match name {
            ModelName::Notebook => Input::Magnitude,
            ModelName::Db => Input::Decibels(decibels.clone()),
        };
        let batcher = |rows: &[usize]| {
            let values: Vec<f32> = rows
                .iter()
                .flat_map(|&i| input.encode(&features[i * width..(i + 1) * width]))
                .collect();
            Batcher::new(values, width, vec![0; rows.len()], settings.batch_size)
        };
        let rng = seed_everything(&device, args.seed);
        let checkpoint = match name {
            ModelName::Db => Checkpoint::in_dir(&out),
            ModelName::Notebook => Checkpoint::named(&out, "notebook"),
        };
        let (vae, losses) = training::train(
            &config,
            &batcher(&train)?,
            &batcher(&test)?,
            settings,
            (&device, rng),
            Some((&checkpoint, args.resume)),
        )?;
        let vae = vae.valid();
        let assessment =
            models::assess((&vae, &inference), &input, &spec, (&features, &tracks), &test)?;
        trained.push(Trained {
            name,
            vae,
            input,
            losses,
            settings,
            parameters: config.parameter_count(),
            assessment,
        });
    }
    // ANCHOR_END: run
    println!(
        "{} notes of {} effects ({}): {} train, {} test (string {}); input {} x {} = {} values ({} s at {} Hz)",
        tracks.len(),
        effect_index.iter().max().map_or(0, |m| m + 1),
        notes.describe(size, cli.test_string),
        train.len(),
        test.len(),
        cli.test_string,
        spec.bins(),
        spec.frames(),
        width,
        spec.seconds,
        spec.sr
    );

    let references = references(&spec, &features, &tracks, &test, &decibels)?;
    let names: Vec<String> = classes.into_iter().map(|(name, _)| name).collect();
    let mut metrics = serde_json::Map::new();
    metrics.insert("notes".into(), tracks.len().into());
    metrics.insert("train_notes".into(), train.len().into());
    metrics.insert("test_notes".into(), test.len().into());
    let test_notes: Vec<Value> = test
        .iter()
        .map(|&i| json!({"effect": tracks[i].effect.to_string(), "midi": tracks[i].midi}))
        .collect();
    metrics.insert("test_note_list".into(), test_notes.into());
    let heard_in_training = test
        .iter()
        .filter(|&&i| train.iter().any(|&j| tracks[j].midi == tracks[i].midi))
        .count();
    metrics.insert("test_pitches_heard_in_training".into(), heard_in_training.into());
    metrics.insert("inputs".into(), width.into());
    metrics.insert(
        "split_k_chunks".into(),
        dl4mir_train::split_k::nearest_divisor(width, cli.split_k as usize).into(),
    );
    metrics.insert("active_variance_threshold".into(), latent::ACTIVE_VARIANCE.into());
    metrics.insert("input".into(), references.input.clone());
    metrics.insert("baseline".into(), references.baseline.clone());
    for t in &trained {
        let key = t.name.key();
        metrics.insert(key.into(), model_metrics(t, &tracks, &test));
        print_summary(t, test.len());
        figures::loss_terms(
            &t.losses,
            &format!("{key} VAE: loss per spectrogram"),
            &out.join(format!("loss_{key}")),
        )?;
        let (points, kept) = t.assessment.pca.clone();
        let map = (format!("{key} VAE"), kept);
        figures::latent_map(
            points,
            effect_index.clone(),
            names.clone(),
            (&map.0, map.1),
            &out.join(format!("latent_{key}")),
        )?;
    }
    println!(
        "baseline (the mean training spectrogram): log-spectral distance {:.1} dB, pitch within a semitone {}/{}; \
         the inputs themselves through Griffin-Lim: {}/{}",
        references.baseline["lsd_db"].as_f64().unwrap_or(f64::NAN),
        references.baseline["pitch_hits"],
        test.len(),
        references.input["pitch_hits"],
        test.len()
    );
    let kl: Vec<(&str, Vec<f64>)> = trained
        .iter()
        .map(|t| (t.name.key(), t.assessment.kl_per_dimension.clone()))
        .collect();
    figures::kl_per_dimension(&kl, &out.join("kl_per_dimension"))?;
    let heard =
        listen((&trained, &inference), &spec, &tracks, (&features, &test), args.seed, &out)?;
    metrics.insert("heard".into(), heard);
    write_twin_inputs(&cache, &spec, &train, &test, trained[0].settings, &out)?;

    let hyperparameters: serde_json::Map<String, Value> = trained
        .iter()
        .map(|t| {
            let s = t.settings;
            (
                t.name.key().to_string(),
                json!({
                    "epochs": s.epochs, "batch_size": s.batch_size, "lr": s.lr, "weights": s.weights,
                    "warmup_epochs": s.warmup_epochs, "latent": t.assessment.means.ncols(),
                }),
            )
        })
        .collect();
    let summary = RunSummary {
        lab: "day4-vae".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: json!({
            "spectrogram": spec, "notes_per_effect": notes.per_effect(size), "notes": notes.describe(size, cli.test_string), "test_string": cli.test_string,
            "epochs": sizes.0, "batch_size": sizes.1, "lr": sizes.2, "beta": cli.beta,
            "hidden": [512, 256], "split_k": cli.split_k, "optimizer": "Adam (eps 1e-8)",
            "models": hyperparameters,
        }),
    };
    let trained_samples = sizes.0 * train.len() * trained.len();
    // The report's loss curve is the last model's (the default's when both train).
    let mut losses = trained.last().expect("at least one model").losses.clone();
    for t in &trained[..trained.len() - 1] {
        for (name, values) in &t.losses.per_epoch {
            losses.per_epoch.insert(format!("{}_{name}", t.name.key()), values.clone());
        }
        losses.train_seconds += t.losses.train_seconds;
    }
    let run_report = summary.finish(losses, metrics, trained_samples, &stopwatch);
    run_report.write(&out)?;
    Ok(run_report)
}

/// One model's numbers for `metrics.json`.
fn model_metrics(t: &Trained, tracks: &[Track], test: &[usize]) -> Value {
    let a = &t.assessment;
    let last = |name: &str| {
        t.losses.per_epoch.get(name).and_then(|v| v.last().copied()).unwrap_or(f32::NAN)
    };
    let errors: Vec<f64> = test
        .iter()
        .zip(&a.pitch)
        .filter_map(|(&i, p)| {
            p.map(|f| evaluate::semitones(f, midi_to_hz(tracks[i].midi)).abs())
        })
        .collect();
    json!({
        "parameters": t.parameters,
        "train_reconstruction": last("reconstruction"),
        "train_kl": last("kl"),
        "test_loss": t.losses.validation.last().copied().unwrap_or(f32::NAN),
        "lsd_db": a.lsd_db,
        "pitch_hits": a.pitch_hits,
        "pitch_hit_rate": a.pitch_hits as f64 / test.len() as f64,
        "pitch_median_error_semitones": median(errors),
        "pitch_hz": a.pitch,
        "pitch_octave_errors": octave_errors(&a.pitch, tracks, test),
        "kl_total": a.kl_per_dimension.iter().sum::<f64>(),
        "kl_max_dimension": a.kl_per_dimension.iter().copied().fold(0.0, f64::max),
        "kl_per_dimension": a.kl_per_dimension,
        "latent": a.means.ncols(),
        "active_dimensions": a.active_dimensions,
        "latent_pca_variance_kept": a.pca.1,
        "latent_pc1_pitch_correlation": a.pc1_pitch_correlation,
    })
}

/// How many of the held-out notes' pitch estimates are an octave off.
fn octave_errors(pitch: &[Option<f64>], tracks: &[Track], test: &[usize]) -> usize {
    let truth = |&i: &usize| midi_to_hz(tracks[i].midi);
    test.iter().zip(pitch).filter(|(i, p)| is_octave_error(**p, truth(i))).count()
}

fn median(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn print_summary(t: &Trained, n_test: usize) {
    let a = &t.assessment;
    println!(
        "{} VAE: reconstruction {:.1} + KL {:.2} per training note; held out: log-spectral distance {:.1} dB, \
         pitch within a semitone {}/{}, KL {:.1} nats over {} dimensions, {} active (variance of the mean > {})",
        t.name.key(),
        t.losses.per_epoch.get("reconstruction").and_then(|v| v.last()).unwrap_or(&f32::NAN),
        t.losses.per_epoch.get("kl").and_then(|v| v.last()).unwrap_or(&f32::NAN),
        a.lsd_db,
        a.pitch_hits,
        n_test,
        a.kl_per_dimension.iter().sum::<f64>(),
        a.means.ncols(),
        a.active_dimensions,
        latent::ACTIVE_VARIANCE
    );
}

/// The numbers a model must be read against.
struct References {
    /// The inputs' own pitch through Griffin-Lim: what a perfect reconstruction would score.
    input: Value,
    /// The mean training spectrogram (in dB) as every note's "reconstruction".
    baseline: Value,
}

// ANCHOR: baseline
fn references(
    spec: &Spectrogram,
    features: &[f32],
    tracks: &[Track],
    test: &[usize],
    decibels: &Decibels,
) -> anyhow::Result<References> {
    let width = spec.width();
    let inputs: Vec<Vec<f32>> =
        test.iter().map(|&i| features[i * width..(i + 1) * width].to_vec()).collect();
    let truth = |k: usize| midi_to_hz(tracks[test[k]].midi);
    let hits = |pitch: &[Option<f64>]| {
        pitch.iter().enumerate().filter(|(k, p)| is_hit(**p, truth(*k))).count()
    };
    let input_pitch = models::pitches(spec, &inputs)?;
    let mean_db = decibels.mean_db();
    let lsd: f64 = inputs
        .iter()
        .map(|x| {
            log_spectral_distance(
                spec,
                &x.iter().map(|&v| to_db(v)).collect::<Vec<_>>(),
                mean_db,
            )
        })
        .sum::<f64>()
        / test.len() as f64;
    let mean_magnitude: Vec<f32> = mean_db.iter().map(|db| 10f32.powf(db / 20.0)).collect();
    let baseline_pitch = models::pitches(spec, std::slice::from_ref(&mean_magnitude))?[0];
    let baseline_hits = hits(&vec![baseline_pitch; test.len()]);
    Ok(References {
        input: json!({
            "pitch_hits": hits(&input_pitch),
            "pitch_hit_rate": hits(&input_pitch) as f64 / test.len() as f64,
            "pitch_octave_errors": octave_errors(&input_pitch, tracks, test),
            "pitch_hz": input_pitch,
        }),
        baseline: json!({
            "lsd_db": lsd, "pitch_hz": baseline_pitch, "pitch_hits": baseline_hits,
            "pitch_hit_rate": baseline_hits as f64 / test.len() as f64,
        }),
    })
}
// ANCHOR_END: baseline

// ANCHOR: listen
/// The WAV files: for each heard note its original excerpt, its input spectrogram and each
/// model's reconstruction through Griffin-Lim; for the last model (the default), two draws
/// from the prior and interpolations in five steps between heard notes. Returns, per heard
/// note (by effect), its id, its pitch and the pitch of each reconstruction.
fn listen(
    (trained, device): (&[Trained], &burn::prelude::Device),
    spec: &Spectrogram,
    tracks: &[Track],
    (features, test): (&[f32], &[usize]),
    seed: u64,
    out: &Path,
) -> anyhow::Result<Value> {
    let width = spec.width();
    let row = |i: usize| &features[i * width..(i + 1) * width];
    // Positions in `test` of the heard notes.
    let mut heard: Vec<usize> = HEARD
        .iter()
        .filter_map(|&e| (0..test.len()).find(|&k| tracks[test[k]].effect == e))
        .collect();
    if heard.len() < 2 {
        heard = (0..test.len().min(2)).collect(); // a partial dataset: any two notes
    }
    let mut report = serde_json::Map::new();
    for (n, &k) in heard.iter().enumerate() {
        let track = &tracks[test[k]];
        let name = slug(&track.effect.to_string());
        let load = dl4mir_audio::LoadParams {
            sr: Some(sound::OUT_SR),
            offset: 0.0,
            duration: Some(spec.seconds),
        };
        let (original, _) = dl4mir_audio::load(&track.audio_path, &load)?;
        sound::write(&out.join(format!("original_{name}.wav")), original)?;
        sound::write(
            &out.join(format!("input_{name}.wav")),
            sound::render(spec, row(test[k]))?,
        )?;
        let mut entry = json!({
            "id": track.id,
            "effect": track.effect.to_string(),
            "pitch_hz": midi_to_hz(track.midi),
        });
        let mut panels = vec![(
            "input".to_string(),
            row(test[k]).iter().map(|&v| to_db(v)).collect::<Vec<_>>(),
        )];
        for t in trained {
            let key = t.name.key();
            let reconstruction = &t.assessment.reconstructions[k];
            sound::write(
                &out.join(format!("{key}_{name}.wav")),
                sound::render(spec, reconstruction)?,
            )?;
            // A silent reconstruction has no pitch: the book prints the word.
            entry[format!("{key}_pitch_hz")] =
                t.assessment.pitch[k].map_or(json!("none (silent)"), |f| json!(f));
            panels.push((format!("{key} VAE"), t.assessment.reconstructions_db[k].clone()));
        }
        if n == 0 {
            figures::spectrograms(
                spec,
                &panels,
                &format!("{}: input and reconstructions", track.id),
                &out.join("spectrograms"),
            )?;
        }
        report.insert(name, entry);
    }
    let default = trained.last().expect("a model");
    let code = |k: usize| -> Vec<f32> {
        default.assessment.means.row(test[k]).iter().map(|&v| v as f32).collect()
    };
    // Draws from the prior N(0, I): what the decoder makes of codes no note gave.
    let mut rng = <rand_chacha::ChaCha8Rng as rand_core::SeedableRng>::seed_from_u64(seed);
    let latent = default.assessment.means.ncols();
    let draws: Vec<Vec<f32>> = (0..2)
        .map(|_| (0..latent).map(|_| kl::standard_normal(&mut rng) as f32).collect())
        .collect();
    for (d, output) in models::decode(&default.vae, device, &draws).iter().enumerate() {
        let magnitude = default.input.output_magnitude(output);
        sound::write(
            &out.join(format!("prior_{}.wav", d + 1)),
            sound::render(spec, &magnitude)?,
        )?;
    }
    // From the first heard note's code to the third's (clean to hall reverb) and, for
    // exercise 3, from the first to the second (clean to distortion), in five steps.
    let pairs = [
        ("interpolation", 0, heard.len().min(3) - 1),
        ("interpolation_exercise", 0, 1.min(heard.len() - 1)),
    ];
    for (file, a, b) in pairs {
        let (a, b) = (code(heard[a]), code(heard[b]));
        let steps: Vec<Vec<f32>> = (0..5)
            .map(|s| {
                let t = s as f32 / 4.0;
                a.iter().zip(&b).map(|(x, y)| (1.0 - t) * x + t * y).collect()
            })
            .collect();
        let parts = models::decode(&default.vae, device, &steps)
            .iter()
            .map(|o| sound::render(spec, &default.input.output_magnitude(o)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        sound::write(&out.join(format!("{file}.wav")), sound::concatenate(&parts, 0.15))?;
    }
    Ok(Value::Object(report))
}
// ANCHOR_END: listen

/// `hall reverb` -> `hall-reverb`, for file names.
fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}

/// `twin.json`: where the features are and how this run split and trained the notebook's
/// VAE, for `labs/day4-vae/twin.py` (the same VAE in PyTorch, for the speed comparison).
fn write_twin_inputs(
    cache: &Path,
    spec: &Spectrogram,
    train: &[usize],
    test: &[usize],
    settings: Settings,
    out: &Path,
) -> anyhow::Result<()> {
    let twin = json!({
        "features": cache, "width": spec.width(), "train": train, "test": test,
        "epochs": settings.epochs, "batch_size": settings.batch_size, "lr": settings.lr, "beta": settings.weights.kl,
    });
    let path = out.join("twin.json");
    std::fs::write(&path, twin.to_string())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

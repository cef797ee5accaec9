//! # day8-audio-visual: the sound of pixels
//!
//! The lab of Day 8, in the order the chapter tells it:
//!
//! 1. **generated scenes** ([`sprites`], [`scenes`], [`sources`]): sprites whose shape and
//!    colour name an effect, each sounding a crop of an EGFxSet note of that effect, or
//!    silent; bouncing with a loudness envelope, or still; with the whole truth kept;
//! 2. **mix and separate** (Sound of Pixels; [`spectra`], [`model`], [`training`],
//!    [`separation`]): two solo scenes' sounds added, a U-Net and an image CNN trained to
//!    take each back out given its picture, with binary and ratio masks, scored by BSS Eval
//!    between the mixture (floor) and the ideal masks (ceiling);
//! 3. **localisation** ("How to Listen?"; [`localisation`]): each pixel's mask as a map of
//!    what sounds, beside an audio-free object prior, on solo scenes, on crowds where some
//!    sprites are silent, and on twins (two sprites alike, one of them silent);
//! 4. **motion** (Flowgrad; [`motion`]): motion energy alone and times the map, and our own
//!    synchrony of motion with loudness.

mod figures;
pub mod localisation;
pub mod model;
pub mod motion;
pub mod scenes;
pub mod separation;
pub mod sources;
pub mod spectra;
pub mod sprites;
pub mod training;

use crate::localisation::{Method, SceneMaps};
use crate::model::ModelConfig;
use crate::scenes::{Layout, Scene};
use crate::separation::Estimator;
use crate::sources::Notes;
use crate::spectra::MaskKind;
use crate::training::{Analysed, Mixture, Settings};
use burn::module::Module;
use dl4mir_train::{
    CommonArgs, RunReport, RunSize, RunSummary, SeededRng, Stopwatch, seed_everything,
};
use rand_core::SeedableRng;
use serde_json::{Value, json};

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(
    about = "Audio-visual learning: mix-and-separate, sound localisation and motion (Day 8 of the dl4mir course)"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Which part to run: all (the default), or one.
    #[arg(long, value_enum, default_value_t = Part::All)]
    pub part: Part,
    /// The guitar string whose notes the test scenes sound (never heard in training).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
}

/// `--part`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    All,
    /// Train on binary and on ratio masks; separate the test mixtures.
    Separation,
    /// Train on binary masks; localise on solo scenes, crowds and twins.
    Localisation,
}

impl Part {
    fn runs(self, part: Part) -> bool {
        self == Part::All || self == part
    }
}

/// The sizes of a run.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Sizes {
    pub per_class: Option<usize>,
    pub settings: Settings,
    pub model: ModelConfig,
    /// Test mixtures for separation, and test scenes of each layout for localisation.
    pub test_mixtures: usize,
    pub test_scenes: usize,
}

impl Sizes {
    fn of(size: RunSize) -> Self {
        let (per_class, steps, batch_size, test_mixtures, test_scenes) = match size {
            RunSize::Quick => (Some(8), 200, 8, 12, 16),
            RunSize::Default => (Some(24), 1000, 8, 40, 80),
            RunSize::Full => (None, 4000, 32, 256, 400),
        };
        let (channels, unet_width, frame_width) = match size {
            RunSize::Quick => (8, 4, 8),
            RunSize::Default => (8, 8, 8),
            RunSize::Full => (32, 32, 32),
        };
        Sizes {
            per_class,
            settings: Settings { steps, batch_size, lr: 3e-3 },
            model: ModelConfig { channels, unet_width, levels: 4, frame_width },
            test_mixtures,
            test_scenes,
        }
    }
}

/// Run the lab: writes `metrics.json`, the figures and the separated sounds.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    args.check_training_values(8, 3e-3)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day8-audio-visual");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let mut rng = seed_everything(&device, args.seed);
    let mut sizes = Sizes::of(args.size());
    // An epoch here is a fixed number of steps on fresh mixtures (there is no dataset to
    // pass over: every step mixes new pairs).
    sizes.settings.steps =
        args.epochs.map_or(sizes.settings.steps, |e| e * training::STEPS_PER_EPOCH);
    sizes.settings.batch_size = args.batch_size.unwrap_or(sizes.settings.batch_size);
    sizes.settings.lr = args.lr.unwrap_or(sizes.settings.lr);
    let notes = Notes::load(args, sizes.per_class, cli.test_string)?;

    // The test mixtures and scenes are drawn first, so every part sees the same ones.
    let test_mixtures = (0..sizes.test_mixtures)
        .map(|_| {
            let mixture = Mixture::draw(&notes, &notes.test, false, &mut rng);
            let analysed = Analysed::of(&mixture.mix, &mixture.sources)?;
            Ok((mixture, analysed))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let scenes_of = |layout, rng: &mut SeededRng| -> Vec<Scene> {
        (0..sizes.test_scenes).map(|_| Scene::draw(layout, &notes, &notes.test, rng)).collect()
    };
    let solo_scenes = scenes_of(Layout::Solo, &mut rng);
    let crowd_scenes = scenes_of(Layout::Crowd, &mut rng);
    // The twins draw from a generator of their own (the seed's second stream), so that
    // adding them changed no other scene, mixture or step.
    let mut twins_rng = SeededRng::seed_from_u64(args.seed);
    twins_rng.set_stream(1);
    let twin_scenes = scenes_of(Layout::Twins, &mut twins_rng);

    // ANCHOR: run
    let kinds: &[MaskKind] = if cli.part.runs(Part::Separation) {
        &[MaskKind::Binary, MaskKind::Ratio]
    } else {
        &[MaskKind::Binary]
    };
    let mut trained = training::train_each(
        kinds,
        (&sizes.model, sizes.settings),
        (&notes, &notes.train),
        (&device, &mut rng),
    )?;
    // ANCHOR_END: run
    let trained_samples = sizes.settings.steps * sizes.settings.batch_size * kinds.len();
    let mut logs = Vec::new();
    let mut models = Vec::new();
    for (kind, (model, log)) in kinds.iter().zip(trained.drain(..)) {
        logs.push((kind.name(), log));
        models.push(model.valid());
    }
    let binary = &models[0];
    let eval_device = device.clone().without_autodiff();
    let mut metrics = serde_json::Map::new();

    if cli.part.runs(Part::Separation) {
        let ratio = &models[1];
        let systems = [
            ("mixture", Estimator::Mixture),
            ("binary_masks", Estimator::Model(binary, MaskKind::Binary)),
            ("binary_masks_unthresholded", Estimator::Model(binary, MaskKind::Ratio)),
            ("ratio_masks", Estimator::Model(ratio, MaskKind::Ratio)),
            (
                "binary_masks_swapped_pictures",
                Estimator::SwappedPictures(binary, MaskKind::Binary),
            ),
            ("ideal_binary_masks", Estimator::Ideal(MaskKind::Binary)),
            ("ideal_ratio_masks", Estimator::Ideal(MaskKind::Ratio)),
        ];
        let estimates = systems
            .iter()
            .map(|&(_, estimator)| {
                separation::estimates(estimator, &test_mixtures, &eval_device)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let scores = separation::score(&test_mixtures, &estimates)?;
        let mut separation = serde_json::Map::new();
        for ((name, _), scores) in systems.iter().zip(scores) {
            separation.insert(name.to_string(), json!(scores));
        }
        check_separation(&separation)?;
        let names: Vec<&str> = systems.iter().map(|(name, _)| *name).collect();
        figures::separation(&out, &test_mixtures[0], (&names, &estimates))?;
        metrics.insert("separation".into(), Value::Object(separation));
        metrics.insert("test_mixtures".into(), test_mixtures.len().into());
    }

    if cli.part.runs(Part::Localisation) {
        let mut localisation = serde_json::Map::new();
        let mut all_maps = Vec::new();
        let layouts =
            [("solo", &solo_scenes), ("crowd", &crowd_scenes), ("twins", &twin_scenes)];
        for (name, scenes) in layouts {
            let maps = localisation::maps(binary, scenes, &notes, &eval_device)?;
            localisation.insert(name.into(), localisation_table(&maps)?);
            all_maps.push(maps);
        }
        // The figure: four crowds, then two twins.
        let crowds = crowd_scenes.iter().zip(&all_maps[1]).take(4);
        let shown: Vec<_> =
            crowds.chain(twin_scenes.iter().zip(&all_maps[2]).take(2)).collect();
        figures::localisation(&out, &shown)?;
        metrics.insert("localisation".into(), Value::Object(localisation));
        metrics.insert("test_scenes".into(), sizes.test_scenes.into());
    }

    let summary = RunSummary {
        lab: "day8-audio-visual".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: json!(sizes),
    };
    let losses = logs[0].1.clone();
    figures::losses(&out, &logs)?;
    let report = summary.finish(losses, metrics, trained_samples, &stopwatch);
    report.write(&out)?;
    Ok(report)
}

/// cIoU, AUC and mean IoU of every method on one set of scenes.
fn localisation_table(maps: &[SceneMaps]) -> anyhow::Result<Value> {
    let mut table = serde_json::Map::new();
    for method in Method::ALL {
        table.insert(method.key().into(), json!(localisation::score(maps, method)?));
    }
    Ok(Value::Object(table))
}

/// A model that separates no better than the mixture is a bug, not a result. Every model
/// must hold less of the other source than the mixture does (a higher SIR); the soft masks
/// (ratio masks, and the binary model's masks before the threshold) must also be closer to
/// the source overall (a higher SDR). The thresholded binary masks may trade their SDR away:
/// every unsure cell they cut or keep whole adds artifacts (a lower SAR), which on a short
/// run costs more than the interference it removes. And the binary model must separate the
/// wrong source when given the wrong picture.
fn check_separation(separation: &serde_json::Map<String, Value>) -> anyhow::Result<()> {
    let measure = |name: &str, key: &str| separation[name][key].as_f64().unwrap_or(f64::NAN);
    let models = ["binary_masks", "binary_masks_unthresholded", "ratio_masks"];
    for model in models.iter().chain(&["binary_masks_swapped_pictures"]) {
        for key in ["sdr", "sir", "sar"] {
            let value = measure(model, key);
            anyhow::ensure!(
                value.is_finite(),
                "the {model} model's {key} is {value}: its estimates are silent or broken; train \
                 longer (--epochs) or check the data"
            );
        }
    }
    for model in models {
        let soft = model != "binary_masks";
        for key in if soft { &["sir", "sdr"][..] } else { &["sir"][..] } {
            anyhow::ensure!(
                measure(model, key) > measure("mixture", key),
                "the {model} model separates no better than no separation at all ({} {:.2} dB vs \
                 the mixture's {:.2} dB): train longer (--epochs) or check the data",
                key.to_uppercase(),
                measure(model, key),
                measure("mixture", key)
            );
        }
    }
    // A model that ignores the picture gives both sources the same masks, and swapping the
    // pictures would change nothing.
    anyhow::ensure!(
        measure("binary_masks_swapped_pictures", "sir") < measure("binary_masks", "sir"),
        "the binary model separates as well with the other scene's picture (SIR {:.2} dB, with \
         its own {:.2} dB): it does not look at the picture; train longer (--epochs)",
        measure("binary_masks_swapped_pictures", "sir"),
        measure("binary_masks", "sir")
    );
    Ok(())
}

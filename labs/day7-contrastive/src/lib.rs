//! # day7-contrastive: one space for sound and words
//!
//! The lab of Day 7, in the order the chapter tells it:
//!
//! 1. **two encoders, one space** (MusCALL, after CLIP): captions written from each clip's
//!    metadata ([`captions`]), a word-level [`tokenizer`], Day 5's CNN for the audio and a
//!    small causal transformer for the text ([`text`]), joined by bias-free projections and
//!    a learned temperature ([`model`]), trained on the symmetric cross-entropy ([`loss`],
//!    [`training`]);
//! 2. **retrieval** ([`retrieval`]): text to audio and audio to text on a held-out string,
//!    with every clip a caption is true of counted as a right answer;
//! 3. **zero-shot classification** ([`zero_shot`]): effects named by prompts, no classifier
//!    head, beside Day 5's supervised CNN on the same notes ([`supervised`]); then one
//!    effect left out of training entirely and found by a prompt of words seen in training.

pub mod captioner;
pub mod captioning;
pub mod captions;
pub mod data;
pub mod distill;
mod figures;
pub mod loss;
pub mod model;
pub mod retrieval;
pub mod supervised;
pub mod text;
pub mod tokenizer;
pub mod training;
pub mod zero_shot;

use crate::captioner::CaptionerConfig;
use crate::captioning::CaptioningSettings;
use crate::captions::captions_of;
use crate::data::{Clips, LOG_MEL};
use crate::model::TowersConfig;
use crate::text::TextConfig;
use crate::tokenizer::{Tokenizer, words};
use crate::training::Settings;
use dl4mir_datasets::{Effect, Pickup};
use dl4mir_train::{CommonArgs, RunReport, RunSize, RunSummary, Stopwatch, seed_everything};
use serde_json::{Value, json};

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(
    about = "Contrastive audio-language learning: retrieval and zero-shot classification (Day 7 of the dl4mir course)"
)]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Which part to run: all (the default), or one.
    #[arg(long, value_enum, default_value_t = Part::All)]
    pub part: Part,
    /// The guitar string the models are tested on (never heard in training): Day 5's.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub test_string: u8,
    /// The effect left out of training for the true zero-shot test (its folder name, e.g.
    /// "Sweep Echo").
    #[arg(long, default_value = "Sweep Echo", value_parser = parse_effect)]
    pub held_out_effect: Effect,
}

fn parse_effect(name: &str) -> Result<Effect, String> {
    Effect::ALL
        .iter()
        .copied()
        .find(|e| e.folder().eq_ignore_ascii_case(name) || e.to_string().eq_ignore_ascii_case(name))
        .filter(|&e| e != Effect::Clean)
        .ok_or_else(|| {
            let names: Vec<_> = Effect::ALL[1..].iter().map(|e| e.folder()).collect();
            format!("`{name}` is not an effect of EGFxSet (clean cannot be held out); choose one of {}", names.join(", "))
        })
}

/// `--part`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    All,
    /// Train the joint model and score retrieval.
    Retrieval,
    /// Train the joint model, classify by prompts, then the held-out effect and Day 5's CNN.
    ZeroShot,
    /// Train the joint model, then caption its embeddings (ClipCap).
    Captioning,
}

impl Part {
    fn runs(self, part: Part) -> bool {
        self == Part::All || self == part
    }
}

/// The sizes of a run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sizes {
    pub per_class: Option<usize>,
    pub settings: Settings,
    pub towers: TowersConfig,
    pub captioning: CaptioningSettings,
    /// ClipCap's prefix length k (its MLP variant's 10).
    pub prefix: usize,
    pub decoder_width: usize,
    pub decoder_layers: usize,
}

impl Sizes {
    fn of(size: RunSize, vocabulary: usize, context: usize) -> Self {
        let text = |width, layers| TextConfig {
            vocabulary,
            context,
            width,
            heads: 4,
            layers,
            dropout: 0.1,
        };
        let (per_class, epochs, batch_size, cnn_widths, width, layers) = match size {
            RunSize::Quick => (Some(16), 12, 16, [1, 8, 16, 32], 32, 1),
            RunSize::Default => (Some(40), 24, 32, [1, 16, 32, 64], 64, 2),
            RunSize::Full => (None, 60, 64, [1, 32, 64, 128], 128, 4),
        };
        let (language_model_epochs, caption_epochs) = match size {
            RunSize::Quick => (6, 6),
            RunSize::Default => (40, 16),
            RunSize::Full => (40, 60),
        };
        Sizes {
            per_class,
            settings: Settings { epochs, batch_size, lr: 1e-3 },
            towers: TowersConfig {
                cnn_widths,
                audio_width: width,
                text: text(width, layers),
                shared: width / 2,
            },
            captioning: CaptioningSettings {
                language_model_epochs,
                epochs: caption_epochs,
                batch_size,
                lr: 1e-3,
                frozen_mapper_lr: 3e-3,
            },
            prefix: 10,
            decoder_width: width,
            decoder_layers: layers,
        }
    }
}

/// The vocabulary of every caption the generator can write for `indices`.
fn fit_tokenizer(clips: &Clips, indices: &[usize]) -> Tokenizer {
    let texts: Vec<String> = indices
        .iter()
        .flat_map(|&i| captions_of(&clips.facts[i]).into_iter().flatten().map(|c| c.text))
        .collect();
    let longest = texts.iter().map(|t| words(t).len()).max().unwrap_or(1);
    Tokenizer::fit(texts.iter().map(String::as_str), longest + 2)
}

/// Run the lab: writes `metrics.json`, the figures and the WAV files of the queries.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    args.check_training_values(32, 1e-3)?;
    let stopwatch = Stopwatch::start();
    let device = dl4mir_train::device(args.device)?;
    let out = args.out_dir("day7-contrastive");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let mut rng = seed_everything(&device, args.seed);
    let size = args.size();
    let clips = Clips::load(args, Sizes::of(size, 0, 0).per_class, cli.test_string)?;
    let tokenizer = fit_tokenizer(&clips, &clips.train);
    let mut sizes = Sizes::of(size, tokenizer.vocabulary_size(), tokenizer.context);
    sizes.settings.epochs = args.epochs.unwrap_or(sizes.settings.epochs);
    sizes.settings.batch_size = args.batch_size.unwrap_or(sizes.settings.batch_size);
    sizes.settings.lr = args.lr.unwrap_or(sizes.settings.lr);

    // ANCHOR: run
    let (model, log) = training::train(
        sizes.towers.init(&device),
        &clips,
        (&clips.train, &clips.validation),
        (&tokenizer, sizes.settings, "the joint model"),
        (&device, &mut rng),
    )?;
    // ANCHOR_END: run
    let mut metrics = serde_json::Map::new();
    let mut trained_samples = clips.train.len() * sizes.settings.epochs;
    let mut logs = vec![("joint", log.clone())];
    let mut caption_logs_of_run = Vec::new();
    if cli.part.runs(Part::Retrieval) {
        let (retrieval_metrics, student_log) =
            retrieval_part(&clips, (&model, &tokenizer), &sizes, (&device, &mut rng), &out)?;
        metrics.extend(retrieval_metrics);
        trained_samples += clips.train.len() * sizes.settings.epochs;
        logs.push(("into the frozen text space", student_log));
    }
    if cli.part.runs(Part::Captioning) {
        let (captioning, caption_logs) =
            captioning_part(&clips, (&model, &tokenizer), &sizes, (&device, &mut rng))?;
        trained_samples += clips.train.len()
            * (sizes.captioning.language_model_epochs + 2 * sizes.captioning.epochs);
        metrics.insert("captioning".into(), captioning);
        caption_logs_of_run = caption_logs;
    }
    if cli.part.runs(Part::ZeroShot) {
        let (zero_shot, held_out_log) =
            zero_shot_part(cli, &clips, (&model, &tokenizer), &sizes, (&device, &mut rng))?;
        trained_samples += 2 * clips.train.len() * sizes.settings.epochs;
        metrics.insert("zero_shot".into(), zero_shot);
        logs.push(("held-out effect", held_out_log));
    }
    figures::losses(
        &logs.iter().map(|(n, l)| (*n, l)).collect::<Vec<_>>(),
        &out.join("losses"),
    )?;
    if !caption_logs_of_run.is_empty() {
        let named: Vec<(&str, &dl4mir_train::LossLog)> =
            caption_logs_of_run.iter().map(|(n, l)| (n.as_str(), l)).collect();
        figures::caption_losses(&named, &out.join("caption_losses"))?;
    }
    // The captions of one training clip through a pedal with many words to its name.
    let example = clips
        .train
        .iter()
        .copied()
        .find(|&i| clips.tracks[i].effect == Effect::TapeEcho)
        .unwrap_or(clips.train[0]);
    let setup = json!({
        "clips": clips.tracks.len(), "train_clips": clips.train.len(), "validation_clips": clips.validation.len(),
        "test_clips": clips.test.len(), "vocabulary": tokenizer.vocabulary_size(), "context": tokenizer.context,
        "log_mel": { "sr": LOG_MEL.sr, "seconds": LOG_MEL.seconds, "n_mels": LOG_MEL.n_mels, "frames": LOG_MEL.frames() },
        "sizes": sizes, "parameters": burn::module::Module::num_params(&model),
        "initial_temperature": 0.07, "final_temperature": model.temperature(),
        "example_clip": clips.tracks[example].id,
        "example_captions": numbered((0..5).map(|_| captions::random_caption(&clips.facts[example], &mut rng).text)),
        "captions_of_example": captions_of(&clips.facts[example]).iter().map(Vec::len).sum::<usize>(),
    });
    metrics.insert("setup".into(), setup.clone());
    let summary = RunSummary {
        lab: "day7-contrastive".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: args.device.name().into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: json!({
            "part": format!("{:?}", cli.part).to_lowercase(), "test_string": cli.test_string,
            "held_out_effect": cli.held_out_effect.to_string(), "setup": setup,
        }),
    };
    let mut losses = log;
    for (name, l) in logs
        .iter()
        .skip(1)
        .map(|(n, l)| (n.to_string(), l))
        .chain(caption_logs_of_run.iter().map(|(n, l)| (n.clone(), l)))
    {
        losses.per_epoch.insert(name.to_string(), l.epochs.clone());
        losses.train_seconds += l.train_seconds;
    }
    let report = summary.finish(losses, metrics, trained_samples, &stopwatch);
    report.write(&out)?;
    Ok(report)
}

/// Parts 2 and 4: retrieval with the joint model, the listening examples, then an audio
/// tower trained into the frozen text space and scored on the same queries.
fn retrieval_part(
    clips: &Clips,
    (model, tokenizer): (&model::Towers, &Tokenizer),
    sizes: &Sizes,
    (device, rng): (&burn::prelude::Device, &mut dl4mir_train::SeededRng),
    out: &std::path::Path,
) -> anyhow::Result<(serde_json::Map<String, Value>, dl4mir_train::LossLog)> {
    let mut metrics = serde_json::Map::new();
    let captions = retrieval::test_captions(clips, rng);
    let joint = (&model.audio, &model.text);
    let found = retrieval::run(joint, clips, captions.clone(), tokenizer, device)?;
    figure_of_similarities(clips, &found, out)?;
    let heard = retrieval::listen((&found.audio, &model.text), clips, tokenizer, out, device)?;
    metrics.insert("retrieval".into(), found.metrics);
    metrics.insert("queries".into(), heard);
    let (student, student_log) = training::train(
        distill::Student::new(sizes.towers.audio_tower(device), &model.text, device),
        clips,
        (&clips.train, &clips.validation),
        (tokenizer, sizes.settings, "an audio tower into the frozen text space"),
        (device, rng),
    )?;
    let distilled =
        retrieval::run((&student.audio, &model.text), clips, captions, tokenizer, device)?;
    metrics.insert("frozen_text_space".into(), distilled.metrics);
    Ok((metrics, student_log))
}

/// Part 5: ClipCap's two variants on the joint model's audio embeddings.
fn captioning_part(
    clips: &Clips,
    (model, tokenizer): (&model::Towers, &Tokenizer),
    sizes: &Sizes,
    (device, rng): (&burn::prelude::Device, &mut dl4mir_train::SeededRng),
) -> anyhow::Result<(Value, Vec<(String, dl4mir_train::LossLog)>)> {
    let config = CaptionerConfig {
        vocabulary: tokenizer.vocabulary_size(),
        context: tokenizer.context,
        prefix: sizes.prefix,
        shared: sizes.towers.shared,
        width: sizes.decoder_width,
        heads: 4,
        layers: sizes.decoder_layers,
    };
    captioning::run(&model.audio, clips, tokenizer, (config, sizes.captioning), (device, rng))
}

/// The similarity figure: the first two test clips of each effect and their captions.
fn figure_of_similarities(
    clips: &Clips,
    found: &retrieval::Retrieval,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let mut chosen: Vec<usize> = Vec::new();
    for label in 0..Effect::ALL.len() {
        chosen.extend(
            (0..clips.test.len()).filter(|&k| clips.labels[clips.test[k]] == label).take(2),
        );
    }
    let matrix = chosen
        .iter()
        .map(|&q| chosen.iter().map(|&i| found.text_to_audio[q][i]).collect())
        .collect();
    figures::similarity(matrix, "Captions x clips, 2 per effect", &out.join("similarity"))
}

fn zero_shot_part(
    cli: &Cli,
    clips: &Clips,
    (model, tokenizer): (&model::Towers, &Tokenizer),
    sizes: &Sizes,
    (device, rng): (&burn::prelude::Device, &mut dl4mir_train::SeededRng),
) -> anyhow::Result<(Value, dl4mir_train::LossLog)> {
    let labels: Vec<String> =
        Effect::ALL.iter().map(|&e| zero_shot::label_prompt(e)).collect();
    let templates: Vec<String> =
        Effect::ALL.iter().map(|&e| zero_shot::template_prompt(e)).collect();
    let by_label = zero_shot::classify(model, clips, &clips.test, &labels, tokenizer, device);
    let by_template =
        zero_shot::classify(model, clips, &clips.test, &templates, tokenizer, device);
    // Day 5's CNN, trained as Day 5 trains it, for the effects and for the pickups.
    let cnn_settings = day5_cnn_gru_attention::training::Settings {
        epochs: sizes.settings.epochs,
        batch_size: sizes.settings.batch_size,
        lr: 3e-3,
    };
    let supervised = supervised::accuracy(
        clips,
        &sizes.towers.cnn_widths,
        cnn_settings,
        (device, dl4mir_train::seed_everything(device, cli.common.seed + 1)),
    )?;
    // The upper bound for the pickup prompts: the same CNN trained on the pickup labels.
    let pickups: Vec<usize> = clips
        .facts
        .iter()
        .map(|f| Pickup::ALL.iter().position(|&p| p == f.pickup).unwrap_or(0))
        .collect();
    let supervised_pickup = supervised::accuracy_on(
        clips,
        (&pickups, Pickup::ALL.len()),
        &sizes.towers.cnn_widths,
        cnn_settings,
        (device, dl4mir_train::seed_everything(device, cli.common.seed + 2)),
    )?;
    // The true zero-shot test: the held-out effect's clips and captions are never trained on.
    let held_out = cli.held_out_effect;
    let keep = |indices: &[usize]| -> Vec<usize> {
        indices.iter().copied().filter(|&i| clips.tracks[i].effect != held_out).collect()
    };
    let (train, validation) = (keep(&clips.train), keep(&clips.validation));
    let held_tokenizer = fit_tokenizer(clips, &train);
    let unseen =
        zero_shot::unseen_words(&zero_shot::composed_prompt(held_out), &held_tokenizer);
    anyhow::ensure!(
        unseen.is_empty(),
        "the held-out prompt uses words never seen in training: {unseen:?}"
    );
    let config = TowersConfig {
        text: TextConfig {
            vocabulary: held_tokenizer.vocabulary_size(),
            context: held_tokenizer.context,
            ..sizes.towers.text
        },
        ..sizes.towers
    };
    let (held_model, held_log) = training::train(
        config.init(device),
        clips,
        (&train, &validation),
        (&held_tokenizer, sizes.settings, "without the held-out effect"),
        (device, rng),
    )?;
    let its_clips: Vec<usize> =
        (0..clips.tracks.len()).filter(|&i| clips.tracks[i].effect == held_out).collect();
    let held_out_scores = zero_shot::held_out_scores(
        &held_model,
        clips,
        held_out,
        &its_clips,
        &held_tokenizer,
        device,
    );
    Ok((
        json!({
            "label_prompts": zero_shot::accuracy(clips, &clips.test, &by_label),
            "template_prompts": zero_shot::accuracy(clips, &clips.test, &by_template),
            "supervised_cnn": { "accuracy": supervised },
            "attributes": zero_shot::attributes_by_prompts(model, clips, &clips.test, tokenizer, device),
            "supervised_cnn_pickup": { "accuracy": supervised_pickup },
            "held_out": held_out_scores,
        }),
        held_log,
    ))
}

/// Values under keys "1", "2", ...: the book's `{{#metric}}` reads objects, not lists.
pub(crate) fn numbered<T: serde::Serialize>(values: impl IntoIterator<Item = T>) -> Value {
    Value::Object(
        values.into_iter().enumerate().map(|(i, v)| ((i + 1).to_string(), json!(v))).collect(),
    )
}

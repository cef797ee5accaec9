//! # day1-pca: MIRdata and PCA
//!
//! The lab of Day 1, in the order the chapter tells it:
//!
//! 1. the dataset: what its index lists, one track's metadata, waveform and spectrogram
//!    ([`tour`]);
//! 2. features: each note's first half second at 8 kHz, its magnitude spectrum in dB
//!    ([`features`]);
//! 3. PCA by hand: standardise, covariance, power iteration with deflation; checked against
//!    a library eigensolver and against the SVD route scikit-learn takes ([`pca`]);
//! 4. the projection on two components and how well it separates the effects
//!    ([`separability`]);
//! 5. the exercise: which features separate two, then three effects best ([`exercise`]);
//! 6. for the guest talk: the total variation of a feature over time ([`total_variation`]).

pub mod exercise;
pub mod features;
mod figures;
pub mod pca;
pub mod separability;
pub mod total_variation;
pub mod tour;

use dl4mir_datasets::index::Index;
use dl4mir_datasets::synth::SynthOptions;
use dl4mir_datasets::{Class, Effect, IfMissing, Pickup, Track, open_classes, open_tracks};
use dl4mir_plot::Series;
use dl4mir_train::{CommonArgs, LossLog, RunReport, RunSize, RunSummary, Stopwatch};
use rand_chacha::ChaCha8Rng;
use rand_core::SeedableRng;
use rayon::prelude::*;
use std::path::Path;

/// The lab's command line: the flags every lab shares, then its own.
#[derive(clap::Parser, Debug)]
#[command(about = "MIRdata and PCA (Day 1 of the dl4mir course)")]
pub struct Cli {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The effects to compare: two or three of the 13, by their metadata names.
    #[arg(long, num_args = 2..=3, value_parser = parse_effect, default_values = ["clean", "tube screamer"])]
    pub effects: Vec<Effect>,
    /// The effect added for the exercise's three-way comparison (when --effects names two).
    #[arg(long, value_parser = parse_effect, default_value = "chorus")]
    pub third_effect: Effect,
    /// The track the tour shows, e.g. `Clean_Middle/3-5` (default: string 3, fret 5,
    /// middle pickup, of the first effect).
    #[arg(long)]
    pub track: Option<String>,
    /// How many principal components to find by power iteration (default 10; 4 with --quick).
    #[arg(long, value_parser = clap::value_parser!(u16).range(2..=200))]
    pub components: Option<u16>,
}

fn parse_effect(name: &str) -> Result<Effect, String> {
    Effect::parse(name).ok_or_else(|| {
        let names: Vec<String> = Effect::ALL.iter().map(|e| format!("\"{e}\"")).collect();
        format!("no effect called `{name}`; the 13 are {}", names.join(", "))
    })
}

/// Day 1 trains no network: the training flags would be silently ignored, so refuse them.
fn refuse_training_flags(args: &CommonArgs) -> anyhow::Result<()> {
    let given = [
        (args.device != dl4mir_train::DeviceChoice::Cpu, "--device"),
        (args.epochs.is_some(), "--epochs"),
        (args.batch_size.is_some(), "--batch-size"),
        (args.lr.is_some(), "--lr"),
        (args.resume, "--resume"),
    ];
    if let Some((_, flag)) = given.iter().find(|(on, _)| *on) {
        anyhow::bail!(
            "{flag} does not apply to day1-pca: PCA trains no network and runs on the CPU; leave it out"
        );
    }
    Ok(())
}

/// Tracks of one effect after another (`per_effect` of each, drawn with the seed, or all).
fn load_tracks(
    args: &CommonArgs,
    effects: &[Effect],
    per_effect: Option<usize>,
) -> anyhow::Result<Vec<Track>> {
    load_tracks_or(args, effects, per_effect, IfMissing::Stop)
}

fn load_tracks_or(
    args: &CommonArgs,
    effects: &[Effect],
    per_effect: Option<usize>,
    if_missing: IfMissing,
) -> anyhow::Result<Vec<Track>> {
    let classes: Vec<Class> = effects.iter().map(|&e| (e.to_string(), vec![e])).collect();
    let (choice, home) = (args.dataset, args.data_home());
    Ok(open_classes(choice, &home, &classes, per_effect, args.seed, if_missing)?.0)
}

/// Every track's excerpt, read in parallel, with a progress bar.
fn excerpts(tracks: &[Track]) -> anyhow::Result<Vec<Vec<f32>>> {
    let bar = dl4mir_train::progress(tracks.len() as u64, "reading excerpts".into());
    let result = tracks
        .par_iter()
        .map(|t| {
            let y = features::excerpt(t);
            bar.inc(1);
            y
        })
        .collect();
    bar.finish_and_clear();
    result
}

/// Run the lab: writes `metrics.json` and the figures into the output folder and returns
/// the report.
pub fn run(cli: &Cli) -> anyhow::Result<RunReport> {
    let args = &cli.common;
    refuse_training_flags(args)?;
    let stopwatch = Stopwatch::start();
    let out = args.out_dir("day1-pca");
    std::fs::create_dir_all(&out)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", out.display()))?;
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let (per_effect, exercise_per_effect, components) = match args.size() {
        RunSize::Quick => (Some(40), Some(25), 4),
        RunSize::Default => (None, Some(150), 10),
        RunSize::Full => (None, None, 10),
    };
    let components = cli.components.map_or(components, usize::from);
    let mut metrics = serde_json::Map::new();

    // 1. The dataset.
    let counts = tour::count_index(Index::real())?;
    println!("{}", counts.describe());
    let tour = tour_tracks(cli)?;
    println!("{}", tour::describe_track(&tour.0));
    let (y, sr) = tour.0.audio()?;
    figures::waveform(&y, sr, &format!("Waveform of {}", tour.0.id), &out.join("waveform"))?;
    figures::spectrogram(
        &y,
        sr,
        &format!("Spectrogram of {}", tour.0.id),
        &out.join("spectrogram"),
    )?;
    metrics.insert("index_tracks".into(), counts.total.into());
    let by_name = |pairs: Vec<(String, usize)>| {
        serde_json::Value::from(serde_json::Map::from_iter(
            pairs.into_iter().map(|(k, n)| (k, n.into())),
        ))
    };
    metrics.insert(
        "index_per_effect".into(),
        by_name(counts.per_effect.iter().map(|(e, n)| (e.to_string(), *n)).collect()),
    );
    metrics.insert(
        "index_per_pickup".into(),
        by_name(counts.per_pickup.iter().map(|(p, n)| (p.folder().to_string(), *n)).collect()),
    );
    metrics.insert(
        "index_per_string".into(),
        by_name(counts.per_string.iter().map(|(s, n)| (s.to_string(), *n)).collect()),
    );
    metrics.insert("tour_track".into(), tour.0.id.clone().into());

    // 2. Features.
    let tracks = load_tracks(args, &cli.effects, per_effect)?;
    let labels: Vec<usize> = tracks
        .iter()
        .map(|t| cli.effects.iter().position(|&e| e == t.effect).unwrap())
        .collect();
    let names: Vec<String> = cli.effects.iter().map(Effect::to_string).collect();
    let x = features::matrix(features::FeatureSet::FftDb, &excerpts(&tracks)?)?;
    println!("{} tracks ({}), {} features each", x.nrows(), names.join(" vs "), x.ncols());

    anyhow::ensure!(
        x.nrows() > components,
        "{} tracks are too few to find {components} components; give fewer (--components) or use more tracks",
        x.nrows()
    );

    // ANCHOR: pca
    // 3. PCA by hand: standardise, covariance, the top eigenpairs by power iteration.
    let z = pca::standardise(&x);
    let c = pca::covariance(&z)?;
    let pairs = pca::top_eigenpairs(&c, components, &mut rng)?;
    // Standardised features have variance 1 each, so the total variance (the trace of c)
    // is the number of features that vary at all.
    let total_variance = c.diag().sum();
    let percent: Vec<f64> = pairs.iter().map(|p| 100.0 * p.value / total_variance).collect();
    // ANCHOR_END: pca

    // ANCHOR: check
    // The same components from a library eigensolver, and from the SVD of z.
    let (values, vectors) = dl4mir_linalg::symmetric_eigen(&c)?;
    let library: Vec<_> =
        (0..pairs.len()).map(|k| (values[k], vectors.column(k).to_owned())).collect();
    let mine: Vec<_> = pairs.iter().map(|p| (p.value, p.vector.clone())).collect();
    let (eigen_value_diff, eigen_cosine) = pca::agreement(&mine, &library);
    let (svd_value_diff, svd_cosine) =
        pca::agreement(&mine, &pca::pca_by_svd(&z, pairs.len())?);
    // ANCHOR_END: check
    println!(
        "power iteration vs library eigensolver: variances within {eigen_value_diff:.1e}, directions |cos| >= {eigen_cosine:.9}"
    );
    println!(
        "power iteration vs SVD: variances within {svd_value_diff:.1e}, directions |cos| >= {svd_cosine:.9}"
    );
    anyhow::ensure!(
        eigen_cosine > 0.999 && svd_cosine > 0.999,
        "power iteration did not converge (|cos| {eigen_cosine:.4}, {svd_cosine:.4}); ask for fewer --components"
    );

    // 4. The projection, and how well it separates the effects.
    let points = pca::project_2d(&z, &pairs[0].vector, &pairs[1].vector);
    let fisher = separability::fisher_criterion(&points, &labels);
    figures::scree(&percent, &out.join("scree"))?;
    let title =
        format!("{} on the first two components (J = {fisher:.2})", names.join(" vs "));
    figures::projection(&points, &labels, &names, &title, &out.join("projection"))?;
    println!(
        "variance explained by the first two components: {:.1}% + {:.1}%",
        percent[0], percent[1]
    );
    println!("Fisher's criterion of the 2-D projection: J = {fisher:.3}");

    // 5. The exercise: four feature sets, two and three effects.
    let mut three = cli.effects.clone();
    if three.len() == 2 {
        three.push(cli.third_effect);
    }
    let ex_tracks = load_tracks(args, &three, exercise_per_effect)?;
    let ex_labels: Vec<usize> =
        ex_tracks.iter().map(|t| three.iter().position(|&e| e == t.effect).unwrap()).collect();
    let ex_strings: Vec<usize> = ex_tracks.iter().map(|t| t.string as usize).collect();
    let scores = exercise::compare_feature_sets(
        &excerpts(&ex_tracks)?,
        (&ex_labels, &ex_strings),
        &mut rng,
    )?;
    let categories = scores.iter().map(|s| format!("{}, {}", s.features, s.effects)).collect();
    figures::separability(
        categories,
        scores.iter().map(|s| s.fisher).collect(),
        &out.join("separability"),
    )?;
    // The headline's accuracy on held-out strings: the exercise's FFT on the first two
    // effects, on its fewer notes (cross-validating PCA on all of them would cost more
    // than the rest of the lab together).
    let accuracy = scores
        .iter()
        .find(|s| s.effects == 2 && s.features == features::FeatureSet::FftDb.name())
        .and_then(|s| s.accuracy);
    if let Some(accuracy) = accuracy {
        println!(
            "nearest-centroid accuracy of the FFT's 2-D projection, {} folds by string: {:.1}% (chance {:.1}%)",
            exercise::FOLDS,
            100.0 * accuracy,
            100.0 / names.len() as f64
        );
    }
    let table =
        exercise::table(&scores, &three.iter().map(Effect::to_string).collect::<Vec<_>>());
    println!(
        "the 2-D projection per feature set (J, and accuracy on held-out strings):\n{table}"
    );
    let table_path = out.join("separability.md");
    std::fs::write(&table_path, &table)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", table_path.display()))?;

    // Exercise 1's solution: the two reverbs, every feature set.
    let reverbs = [Effect::HallReverb, Effect::PlateReverb];
    // Optional: a partial download without them skips it rather than stopping.
    let reverb_tracks = load_tracks_or(args, &reverbs, exercise_per_effect, IfMissing::GoOn)?;
    let reverb_labels: Vec<usize> =
        reverb_tracks.iter().map(|t| usize::from(t.effect == reverbs[1])).collect();
    let reverb_strings: Vec<usize> = reverb_tracks.iter().map(|t| t.string as usize).collect();
    let both = reverb_labels.contains(&0) && reverb_labels.contains(&1);
    let reverb_scores = match both {
        true => exercise::compare_feature_sets(
            &excerpts(&reverb_tracks)?,
            (&reverb_labels, &reverb_strings),
            &mut rng,
        )?,
        false => Vec::new(),
    };
    match both {
        true => {
            println!("hall vs plate reverb (exercise 1): {}", describe_scores(&reverb_scores))
        }
        false => println!("(no recordings of one of the reverbs on disk: exercise 1 skipped)"),
    }

    // 6. Total variation of a clean and an effected note's centroid.
    let tv = total_variation_pair(&tour, &out)?;

    metrics.insert("tracks".into(), x.nrows().into());
    metrics.insert("features".into(), x.ncols().into());
    metrics.insert("explained_variance_percent".into(), serde_json::json!(percent));
    metrics.insert(
        "power_iterations".into(),
        serde_json::json!(pairs.iter().map(|p| p.iterations).collect::<Vec<_>>()),
    );
    metrics.insert("pc1_percent".into(), percent[0].into());
    metrics.insert("pc2_percent".into(), percent[1].into());
    metrics.insert("first_two_percent".into(), (percent[0] + percent[1]).into());
    metrics.insert("fisher_2d".into(), fisher.into());
    metrics.insert("accuracy_2d".into(), accuracy.into());
    metrics.insert("chance_2d".into(), (1.0 / names.len() as f64).into());
    metrics.insert("eigen_vs_library_value_diff".into(), eigen_value_diff.into());
    metrics.insert("eigen_vs_library_min_cosine".into(), eigen_cosine.into());
    metrics.insert("eigen_vs_svd_value_diff".into(), svd_value_diff.into());
    metrics.insert("eigen_vs_svd_min_cosine".into(), svd_cosine.into());
    metrics.insert(
        "exercise_effects".into(),
        serde_json::json!(three.iter().map(Effect::to_string).collect::<Vec<_>>()),
    );
    metrics.insert("exercise".into(), serde_json::to_value(&scores)?);
    metrics.insert("exercise_best".into(), best_by_effects(&scores));
    metrics.insert("reverbs".into(), by_feature_set(&reverb_scores));
    metrics.insert("reverbs_best".into(), best_by_effects(&reverb_scores));
    let used: std::collections::BTreeSet<&str> =
        tracks.iter().chain(&ex_tracks).chain(&reverb_tracks).map(|t| t.id.as_str()).collect();
    metrics.insert("notes_used".into(), used.len().into());
    metrics.insert("total_variation".into(), tv);

    let summary = RunSummary {
        lab: "day1-pca".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        seed: args.seed,
        device: "cpu".into(),
        dataset: format!("{:?}", args.dataset).to_lowercase(),
        hyperparameters: serde_json::json!({
            "effects": names,
            "excerpt_seconds": features::EXCERPT_SECONDS,
            "excerpt_sr": features::EXCERPT_SR,
            "components": pairs.len(),
            "tracks_per_effect": per_effect,
            "exercise_tracks_per_effect": exercise_per_effect,
        }),
    };
    let report = summary.finish(LossLog::default(), metrics, 0, &stopwatch);
    report.write(&out)?;
    Ok(report)
}

/// A feature set's scores on one comparison, by feature set name without spaces (the
/// book's keys are split on spaces): `{"FFT_dB": {...}}`.
fn by_feature_set(scores: &[exercise::Score]) -> serde_json::Value {
    let entries = scores.iter().map(|s| (s.features.replace(' ', "_"), serde_json::json!(s)));
    serde_json::Value::Object(entries.collect())
}

/// The best feature set by accuracy for each number of effects: `{"2": {...}, "3": {...}}`.
fn best_by_effects(scores: &[exercise::Score]) -> serde_json::Value {
    let mut counts: Vec<usize> = scores.iter().map(|s| s.effects).collect();
    counts.dedup();
    let entries = counts.iter().filter_map(|&k| {
        exercise::best(scores, k).map(|b| (k.to_string(), serde_json::json!(b)))
    });
    serde_json::Value::Object(entries.collect())
}

/// One line: each feature set's accuracy.
fn describe_scores(scores: &[exercise::Score]) -> String {
    let parts: Vec<String> = scores
        .iter()
        .map(|s| {
            format!(
                "{} {:.1}% (J {:.3})",
                s.features,
                100.0 * s.accuracy.unwrap_or(f64::NAN),
                s.fisher
            )
        })
        .collect();
    parts.join(", ")
}

/// The tour's track, and the same note through the exercise's third effect (when it is
/// on disk) for the total-variation comparison.
fn tour_tracks(cli: &Cli) -> anyhow::Result<(Track, Option<Track>)> {
    let (effect, pickup, string, fret) = match &cli.track {
        Some(id) => {
            let key = dl4mir_datasets::index::parse_track_id(id)?;
            (key.effect, key.pickup, key.string, key.fret)
        }
        None => (cli.effects[0], Pickup::Middle, 3, 5),
    };
    let args = &cli.common;
    let other = if effect == cli.third_effect { Effect::Chorus } else { cli.third_effect };
    let (dataset, home) = (args.dataset, args.data_home());
    let same_note = open_tracks(dataset, &home, &SynthOptions::default(), |s| {
        s.effects(&[effect, other]).pickups(&[pickup]).strings(&[string])
    })?;
    let find = |e: Effect| same_note.iter().find(|t| t.effect == e && t.fret == fret).cloned();
    if let Some(shown) = find(effect) {
        return Ok((shown, find(other)));
    }
    let missing = format!(
        "no recording of {effect}, {} pickup, string {string}, fret {fret} on disk",
        pickup.folder()
    );
    anyhow::ensure!(cli.track.is_none(), "{missing}; choose another with --track");
    // A partial download without the default note: show one that is there, preferably
    // one whose recording through the other effect is there too.
    let on_disk = open_tracks(dataset, &home, &SynthOptions::default(), |s| {
        s.effects(&[effect, other])
    })?;
    let twin_of = |t: &Track| {
        on_disk
            .iter()
            .find(|o| {
                o.effect == other
                    && (o.pickup, o.string, o.fret) == (t.pickup, t.string, t.fret)
            })
            .cloned()
    };
    let mut candidates = on_disk.iter().filter(|t| t.effect == effect);
    let first = candidates.clone().next().cloned();
    let chosen = candidates.find(|t| twin_of(t).is_some()).cloned().or(first);
    let Some(shown) = chosen else {
        anyhow::bail!(
            "{missing}, nor any other recording of {effect}; fetch some, or choose another with --track"
        );
    };
    println!("{missing}: the tour shows {} instead (choose one with --track)", shown.id);
    let twin = twin_of(&shown);
    Ok((shown, twin))
}

// ANCHOR: tv_pair
/// The centroid trajectories of the tour's note and of the same note through another
/// effect, their total variation per second, and a figure of both.
fn total_variation_pair(
    tour: &(Track, Option<Track>),
    out: &Path,
) -> anyhow::Result<serde_json::Value> {
    let Some(effected) = &tour.1 else {
        println!(
            "(no effected recording of the tour's note on disk: total variation skipped)"
        );
        return Ok(serde_json::Value::Null);
    };
    let mut result = serde_json::Map::new();
    let mut series = Vec::new();
    for track in [&tour.0, effected] {
        let (y, sr) = track.audio()?;
        let centroid = total_variation::centroid_semitones(&y, sr)?;
        let seconds = y.len() as f64 / sr as f64;
        let per_second = total_variation::total_variation(&centroid) / seconds;
        println!(
            "total variation of the centroid of {}: {per_second:.1} semitones per second",
            track.id
        );
        result.insert(track.effect.to_string(), per_second.into());
        let hop = seconds / centroid.len() as f64;
        let points = centroid.iter().enumerate().map(|(i, &c)| (i as f64 * hop, c)).collect();
        series.push(Series::new(format!("{} (TV {per_second:.1}/s)", track.effect), points));
    }
    figures::trajectories(series, &out.join("centroid"))?;
    Ok(result.into())
}
// ANCHOR_END: tv_pair

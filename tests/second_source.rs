//! Every lab's `--quick` run on the second source: EGFxSet's layout, recorded by SoX
//! (`datasets/second-source/make.sh`) with another string model and other effects than
//! `dl4mir-datasets`' generator. Each headline must beat chance twice over, or its trivial
//! baseline by a clear margin where two classes make that impossible: a lab tuned to the
//! synthetic sound fails here.

use clap::Parser;
use dl4mir_train::second_source::second_source_home;
use dl4mir_train::testing::{fresh_dir, one_at_a_time};
use serde_json::Value;
use std::path::Path;

/// `lab --quick --dataset egfxset --data-home <second source> --out <out> --seed 42`.
fn quick_args(lab: &str, out: &Path) -> Vec<String> {
    let home = second_source_home().expect("the second source is made (needs sox)");
    let (home, out) = (home.display().to_string(), out.display().to_string());
    let args = [lab, "--quick", "--dataset", "egfxset", "--data-home", &home, "--out", &out, "--seed", "42"];
    args.map(String::from).to_vec()
}

/// A number of the run's results, by its path of keys.
fn number(metrics: &Value, path: &[&str]) -> f64 {
    let value = path.iter().fold(metrics, |v, key| &v[key]);
    value.as_f64().unwrap_or_else(|| panic!("metrics.json has no number at {path:?}: {metrics}"))
}

/// The results in the run's `metrics.json` (its `metrics` object); the folder is removed.
fn metrics_of(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("metrics.json")).expect("the run wrote metrics.json");
    std::fs::remove_dir_all(out).ok();
    let report: Value = serde_json::from_str(&text).expect("metrics.json is JSON");
    report["metrics"].clone()
}

#[test]
fn day2_regression_and_classification_learn() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day2");
    day2_regression::run(&day2_regression::Cli::parse_from(quick_args("day2-regression", &out))).unwrap();
    let metrics = metrics_of(&out);
    let r2 = number(&metrics, &["regression_r2"]);
    let classes = metrics["classes"].as_array().map_or(0, Vec::len) as f64;
    let (logistic, cv) = (number(&metrics, &["logistic_accuracy"]), number(&metrics, &["cv_accuracy"]));
    eprintln!("day2 second source: r2 {r2:.3}, logistic {logistic:.3}, cv {cv:.3}, {classes} classes");
    assert!(r2 >= 0.5, "pitch regression R^2 {r2:.3}");
    assert!(logistic >= 0.75, "two-class logistic regression accuracy {logistic:.3} (chance 0.5)");
    assert!(cv >= 2.0 / classes, "cross-validated accuracy {cv:.3} over {classes} classes");
}

#[test]
fn day1_projection_separates_clean_from_tube_screamer() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day1");
    day1_pca::run(&day1_pca::Cli::parse_from(quick_args("day1-pca", &out))).unwrap();
    let metrics = metrics_of(&out);
    let (accuracy, chance) = (number(&metrics, &["accuracy_2d"]), number(&metrics, &["chance_2d"]));
    assert!(accuracy >= chance + 0.25, "2-D nearest-centroid accuracy {accuracy:.3}, chance {chance:.3}");
}

#[test]
fn day3_mlp_beats_the_majority() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day3");
    day3_mlp::run(&day3_mlp::Cli::parse_from(quick_args("day3-mlp", &out))).unwrap();
    let metrics = metrics_of(&out);
    let (accuracy, majority) =
        (number(&metrics, &["test_accuracy"]), number(&metrics, &["majority_accuracy"]));
    assert!(accuracy >= majority + 0.2, "test accuracy {accuracy:.3}, majority {majority:.3}");
}

#[test]
fn day4_vae_reconstructs_better_than_the_mean_spectrum() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day4");
    day4_vae::run(&day4_vae::Cli::parse_from(quick_args("day4-vae", &out))).unwrap();
    let metrics = metrics_of(&out);
    let (model, baseline) = (number(&metrics, &["db", "lsd_db"]), number(&metrics, &["baseline", "lsd_db"]));
    assert!(model <= baseline - 1.0, "log-spectral distance {model:.2} dB, mean spectrum {baseline:.2} dB");
    let (hits, notes) = (number(&metrics, &["db", "pitch_hits"]), number(&metrics, &["test_notes"]));
    let average = number(&metrics, &["baseline", "pitch_hits"]);
    assert!(
        hits >= 2.0 * average.max(1.0) && 3.0 * hits >= 2.0 * notes,
        "pitch kept on {hits} of {notes} held-out notes (the mean spectrum: {average})"
    );
}

#[test]
fn day5_every_model_beats_chance_twice() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day5");
    let args = quick_args("day5-cnn-gru-attention", &out);
    day5_cnn_gru_attention::run(&day5_cnn_gru_attention::Cli::parse_from(args)).unwrap();
    let metrics = metrics_of(&out);
    let chance = number(&metrics, &["chance_accuracy"]);
    for (name, model) in metrics["models"].as_object().expect("metrics.json lists the models") {
        let accuracy = number(model, &["test_accuracy"]);
        assert!(accuracy >= 2.0 * chance, "{name}: test accuracy {accuracy:.3}, chance {chance:.3}");
    }
}

#[test]
fn day6_synthesis_resynthesizes_programs_and_encodes() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day6");
    day6_synthesis::run(&day6_synthesis::Cli::parse_from(quick_args("day6-synthesis", &out))).unwrap();
    let metrics = metrics_of(&out);
    let fm = &metrics["fm"];
    let silence = number(fm, &["silence", "spectral_distance"]);
    for model in ["ddx7", "hpn"] {
        let distance = number(fm, &[model, "spectral_distance"]);
        let pitch = number(fm, &[model, "pitch_median_error_semitones"]);
        eprintln!(
            "day6 second source: {model} spectral distance {distance:.2} (silence {silence:.2}), pitch {pitch:.2}"
        );
        assert!(distance < 0.6 * silence, "{model}: spectral distance {distance:.2}, silence {silence:.2}");
        assert!(pitch < 0.5, "{model}: resynthesized {pitch:.2} semitones off the note");
    }
    for synth in ["fm", "additive", "subtractive"] {
        let guitar = &metrics["programming"]["guitar"][synth];
        let (lsd, mean_patch) = (number(guitar, &["lsd_db"]), number(guitar, &["mean_patch_lsd_db"]));
        assert!(
            lsd < mean_patch,
            "{synth} imitating the guitar: LSD {lsd:.2} dB, the mean patch {mean_patch:.2}"
        );
    }
    let rave = &metrics["rave"];
    let (reconstruction, silence) = (
        number(rave, &["reconstruction", "spectral_distance"]),
        number(rave, &["silence", "spectral_distance"]),
    );
    assert!(reconstruction < 0.6 * silence, "RAVE-lite: {reconstruction:.2}, silence {silence:.2}");
    let (mel, mean_mel) =
        (number(rave, &["reconstruction", "log_mel_l1"]), number(rave, &["mean_spectrum", "log_mel_l1"]));
    assert!(mel < mean_mel, "RAVE-lite: log-mel L1 {mel:.2}, the mean spectrum {mean_mel:.2}");
}

#[test]
fn day8_separates_with_the_picture_and_localises_above_the_floor() {
    let _turn = one_at_a_time();
    let out = fresh_dir("second-source-day8");
    // The run itself stops unless every model's SIR beats the mixture's, the soft masks'
    // SDR too, and the wrong picture lowers the binary model's SIR.
    let args = quick_args("day8-audio-visual", &out);
    day8_audio_visual::run(&day8_audio_visual::Cli::parse_from(args)).unwrap();
    let metrics = metrics_of(&out);
    let separation = &metrics["separation"];
    let sdr = |system: &str| number(separation, &[system, "sdr"]);
    eprintln!(
        "day8 second source: SDR mixture {:.2}, binary {:.2} (unthresholded {:.2}), ratio {:.2}, ideal {:.2}",
        sdr("mixture"),
        sdr("binary_masks"),
        sdr("binary_masks_unthresholded"),
        sdr("ratio_masks"),
        sdr("ideal_binary_masks")
    );
    // On SoX's plucks even the ideal masks gain little over the mixture (0.7 dB on the quick
    // run, against 5.8 on the synthetic set), so only the order is asked for.
    for model in ["binary_masks", "binary_masks_unthresholded", "ratio_masks"] {
        assert!(sdr(model) < sdr("ideal_binary_masks"), "{model} beats the ideal masks: {separation}");
    }
    assert!(sdr("ideal_binary_masks") > sdr("mixture"), "the ideal masks do not separate: {separation}");
    for layout in ["solo", "crowd"] {
        let table = &metrics["localisation"][layout];
        let floor = number(table, &["whole_frame", "mean_iou"]);
        for method in ["audio_visual", "object_prior", "motion", "synchrony"] {
            let iou = number(table, &[method, "mean_iou"]);
            assert!(iou > 2.0 * floor, "{layout} {method}: mean IoU {iou:.3}, the whole frame's {floor:.3}");
        }
    }
}

/// Run a lab's library `run` with these flags (the lab's name first).
fn run_lab(args: &[String]) -> anyhow::Result<()> {
    match args[0].as_str() {
        "day1-pca" => day1_pca::run(&day1_pca::Cli::parse_from(args)).map(drop),
        "day2-regression" => day2_regression::run(&day2_regression::Cli::parse_from(args)).map(drop),
        "day3-mlp" => day3_mlp::run(&day3_mlp::Cli::parse_from(args)).map(drop),
        "day4-vae" => day4_vae::run(&day4_vae::Cli::parse_from(args)).map(drop),
        "day5-cnn-gru-attention" => {
            day5_cnn_gru_attention::run(&day5_cnn_gru_attention::Cli::parse_from(args)).map(drop)
        }
        "day6-synthesis" => day6_synthesis::run(&day6_synthesis::Cli::parse_from(args)).map(drop),
        lab => anyhow::bail!("no lab {lab}"),
    }
}

/// A headline: what it measures, its value, and its trivial baseline (name, value) if any.
type Headline = (String, f64, Option<(&'static str, f64)>);

/// Each lab's headline numbers, read from its `metrics.json`.
fn headlines(lab: &str, m: &Value) -> Vec<Headline> {
    let get = |path: &[&str]| path.iter().fold(m, |v, key| &v[key]).as_f64().unwrap_or(f64::NAN);
    let classes = m["classes"].as_array().map_or(f64::NAN, |c| c.len() as f64);
    match lab {
        "day1-pca" => vec![(
            "clean vs tube screamer: 2-D PCA, nearest-centroid accuracy on held-out strings".into(),
            get(&["accuracy_2d"]),
            Some(("chance", get(&["chance_2d"]))),
        )],
        "day2-regression" => vec![
            (
                "pitch from timbre, linear regression, R²".into(),
                get(&["regression_r2"]),
                Some(("the mean", 0.0)),
            ),
            (
                "classes, softmax regression, cross-validated accuracy".into(),
                get(&["cv_accuracy"]),
                Some(("chance", 1.0 / classes)),
            ),
        ],
        "day3-mlp" => vec![
            (
                "modulation vs reverb, MLP, test accuracy".into(),
                get(&["test_accuracy"]),
                Some(("majority", get(&["majority_accuracy"]))),
            ),
            (
                "the same split, softmax regression".into(),
                get(&["softmax_regression_accuracy"]),
                Some(("majority", get(&["majority_accuracy"]))),
            ),
        ],
        "day4-vae" => vec![
            (
                "held-out notes through the default VAE, log-spectral distance (dB, lower is better)".into(),
                get(&["db", "lsd_db"]),
                Some(("mean spectrum", get(&["baseline", "lsd_db"]))),
            ),
            (
                "the same, share of reconstructions within a semitone of the note's pitch".into(),
                get(&["db", "pitch_hit_rate"]),
                Some(("mean spectrum", get(&["baseline", "pitch_hit_rate"]))),
            ),
        ],
        "day5-cnn-gru-attention" => {
            let models = m["models"].as_object().cloned().unwrap_or_default();
            let chance = get(&["chance_accuracy"]);
            models
                .iter()
                .map(|(name, model)| {
                    let accuracy = model["test_accuracy"].as_f64().unwrap_or(f64::NAN);
                    (format!("13 effects, {name}, test accuracy"), accuracy, Some(("chance", chance)))
                })
                .collect()
        }
        "day6-synthesis" => vec![
            (
                "held-out string resynthesized by DDX7, multi-resolution spectral distance (lower is better)"
                    .into(),
                get(&["fm", "ddx7", "spectral_distance"]),
                Some(("silence", get(&["fm", "silence", "spectral_distance"]))),
            ),
            (
                "held-out patches programmed by the joint-heads network, LSD (dB, lower is better)".into(),
                get(&["programming", "joint_heads", "lsd_db"]),
                Some(("mean patch", get(&["programming", "mean_patch", "lsd_db"]))),
            ),
            (
                "held-out TubeScreamer clips through RAVE-lite, log-mel L1 (lower is better)".into(),
                get(&["rave", "reconstruction", "log_mel_l1"]),
                Some(("mean spectrum", get(&["rave", "mean_spectrum", "log_mel_l1"]))),
            ),
        ],
        _ => vec![],
    }
}

/// The datasets appendix's table: every lab's default run on the synthetic set (the default
/// data home) and on the second source, headline by headline. Run by hand (minutes) and
/// commit what it writes, `book/src/appendix/second-source-table.md`.
#[test]
#[ignore = "minutes: every lab's default run, twice; writes book/src/appendix/second-source-table.md"]
fn appendix_table_of_both_sources() {
    let _turn = one_at_a_time();
    let second = second_source_home().unwrap().display().to_string();
    let labs = [
        ("Day 1", "day1-pca"),
        ("Day 2", "day2-regression"),
        ("Day 3", "day3-mlp"),
        ("Day 4", "day4-vae"),
        ("Day 5", "day5-cnn-gru-attention"),
        ("Day 6", "day6-synthesis"),
    ];
    let mut table = String::from(
        "<!-- Generated by `cargo test -p dl4mir-book-tests --test second_source -- --ignored`: do not edit. -->\n\n\
         | day | headline of the default run | synthetic set | second source (SoX) |\n|---|---|---|---|\n",
    );
    for (day, lab) in labs {
        let mut sources = Vec::new();
        for dataset in [None, Some(&second)] {
            let out = fresh_dir(&format!("second-source-table-{lab}"));
            let mut args = vec![lab.to_string(), "--out".into(), out.display().to_string()];
            if let Some(home) = dataset {
                args.extend(["--dataset".into(), "egfxset".into(), "--data-home".into(), home.clone()]);
            }
            let started = std::time::Instant::now();
            run_lab(&args).unwrap_or_else(|e| panic!("{args:?}: {e:#}"));
            eprintln!("{args:?}: {:.0} s", started.elapsed().as_secs_f64());
            sources.push(headlines(lab, &metrics_of(&out)));
        }
        for (synthetic, second) in sources[0].iter().zip(&sources[1]) {
            let cell = |(_, value, baseline): &Headline| match baseline {
                Some((name, b)) => format!("{value:.3} ({name} {b:.3})"),
                None => format!("{value:.3}"),
            };
            table += &format!("| {day} | {} | {} | {} |\n", synthetic.0, cell(synthetic), cell(second));
        }
    }
    let path = dl4mir_book_tests::project_root().join("book/src/appendix/second-source-table.md");
    std::fs::write(&path, table).unwrap();
}

//! The `--quick` run's numbers, pinned: a change in any of them is reviewed
//! (`cargo insta review`), never accepted blindly. Also: the figures exist, and real data
//! with a class missing stops with the fix.

use clap::Parser;
use dl4mir_train::testing::{assert_figures, fresh_dir, partial_real_egfxset, quick_args};
use std::path::PathBuf;

/// The synthetic tracks the tests need, made once under target/ and reused.
fn data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

#[test]
fn quick_run_metrics_and_figures() {
    let out = fresh_dir("day1-pca-quick");
    let args = quick_args("day1-pca", &out, &data_home());
    let report = day1_pca::run(&day1_pca::Cli::parse_from(args)).unwrap();
    assert_figures(
        &out,
        &["waveform", "spectrogram", "scree", "projection", "separability", "centroid"],
    );
    std::fs::remove_dir_all(&out).ok();
    insta::assert_json_snapshot!(report.snapshot(4));
}

#[test]
fn real_data_with_a_class_missing_names_it_and_the_download() {
    let home = fresh_dir("day1-pca-real");
    partial_real_egfxset(&home).unwrap();
    let out = home.join("out");
    let args = [
        "day1-pca",
        "--quick",
        "--dataset",
        "egfxset",
        "--effects",
        "clean",
        "tape echo",
        "--components",
        "2",
        "--track",
        "Clean_Middle/6-22",
        "--data-home",
        home.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let err = day1_pca::run(&day1_pca::Cli::parse_from(args)).unwrap_err().to_string();
    std::fs::remove_dir_all(&home).ok();
    // Clean and tape echo are there (1 + 2 recordings), so PCA ran; the exercise's third
    // effect, chorus, is not.
    assert!(err.contains("no recordings of `chorus`"), "{err}");
    assert!(err.contains("download --partial \"chorus\""), "{err}");
}

/// A day1-pca run on the partial real tree (clean and tape echo only), with `extra` flags;
/// returns its error.
fn partial_run_error(test: &str, extra: &[&str]) -> String {
    let home = fresh_dir(test);
    partial_real_egfxset(&home).unwrap();
    let out = home.join("out");
    let (home_arg, out_arg) = (home.to_str().unwrap(), out.to_str().unwrap());
    let mut args =
        vec!["day1-pca", "--quick", "--dataset", "egfxset", "--effects", "clean", "tape echo"];
    args.extend(["--components", "2", "--data-home", home_arg, "--out", out_arg]);
    args.extend(extra);
    let err = day1_pca::run(&day1_pca::Cli::parse_from(args)).unwrap_err().to_string();
    std::fs::remove_dir_all(&home).ok();
    err
}

#[test]
fn without_track_a_partial_download_tours_a_note_that_is_there() {
    // The default note (clean, middle pickup, string 3, fret 5) is not on disk: the tour
    // takes one that is, and the run goes on to the exercise, which stops on chorus.
    let err = partial_run_error("day1-pca-real-default-track", &[]);
    assert!(err.contains("no recordings of `chorus`"), "{err}");
}

#[test]
fn a_named_track_that_is_not_on_disk_stops_the_run() {
    let err = partial_run_error("day1-pca-real-named-track", &["--track", "Clean_Middle/3-5"]);
    assert!(
        err.contains("no recording of clean, Middle pickup, string 3, fret 5 on disk"),
        "{err}"
    );
    assert!(err.contains("--track"), "{err}");
}

#[test]
fn training_flags_are_refused_rather_than_ignored() {
    let cli = day1_pca::Cli::parse_from(["day1-pca", "--epochs", "3"]);
    let err = day1_pca::run(&cli).unwrap_err().to_string();
    assert!(err.contains("--epochs does not apply to day1-pca"), "{err}");
}

#[test]
fn an_unknown_effect_lists_the_real_names() {
    let err = day1_pca::Cli::try_parse_from(["day1-pca", "--effects", "clean", "fuzz"])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no effect called `fuzz`") && err.contains("\"tube screamer\""),
        "{err}"
    );
}

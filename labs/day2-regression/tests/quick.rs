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
    let out = fresh_dir("day2-regression-quick");
    let args = quick_args("day2-regression", &out, &data_home());
    let report = day2_regression::run(&day2_regression::Cli::parse_from(args)).unwrap();
    assert_figures(
        &out,
        &[
            "pitch",
            "pitch_without_autocorrelation",
            "regression_loss",
            "confusion",
            "learning_curve",
            "learning_rates",
        ],
    );
    std::fs::remove_dir_all(&out).ok();
    let metrics = &report.metrics;
    assert!(metrics["gradient_vs_autodiff_max_abs_difference"].as_f64().unwrap() < 1e-5);
    assert!(metrics["regression_weight_difference"].as_f64().unwrap() < 1e-6);
    insta::assert_json_snapshot!(report.snapshot(4));
}

#[test]
fn real_data_without_training_notes_says_what_is_missing() {
    let home = fresh_dir("day2-regression-real");
    partial_real_egfxset(&home).unwrap();
    let out = home.join("out");
    let args = [
        "day2-regression",
        "--quick",
        "--dataset",
        "egfxset",
        "--test-string",
        "6",
        "--data-home",
        home.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let err =
        day2_regression::run(&day2_regression::Cli::parse_from(args)).unwrap_err().to_string();
    std::fs::remove_dir_all(&home).ok();
    // One clean note is on disk (string 6, the test string), so the regression has no
    // training notes; it says so.
    assert!(
        err.contains(
            "needs clean notes on string 6 (found 1) and on the other strings (found 0)"
        ),
        "{err}"
    );
    assert!(err.contains("download --partial clean"), "{err}");
}

#[test]
fn flags_that_cannot_train_are_refused_with_the_fix() {
    for (args, expected) in [
        (vec!["--batch-size", "8"], "--batch-size does not apply"),
        (vec!["--epochs", "0"], "--epochs 0 trains nothing"),
        (vec!["--lr=-1"], "--lr -1 must be a positive number"),
    ] {
        let cli =
            day2_regression::Cli::parse_from(std::iter::once("day2-regression").chain(args));
        let err = day2_regression::run(&cli).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
}

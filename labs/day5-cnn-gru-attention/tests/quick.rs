//! The `--quick` run's numbers, pinned (`cargo insta review` for a reviewed change), and
//! its figures.

use clap::Parser;
use dl4mir_train::testing::{assert_figures, fresh_dir, one_at_a_time, quick_args};
use std::path::PathBuf;

fn data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

#[test]
fn quick_run_metrics_and_figures() {
    let _turn = one_at_a_time();
    let out = fresh_dir("day5-quick");
    let args = quick_args("day5-cnn-gru-attention", &out, &data_home());
    let report =
        day5_cnn_gru_attention::run(&day5_cnn_gru_attention::Cli::parse_from(&args)).unwrap();
    assert_figures(&out, &["validation_accuracy", "attention", "cnn_activations"]);
    std::fs::remove_dir_all(&out).ok();
    let models = &report.metrics["models"];
    let chance = report.metrics["chance_accuracy"].as_f64().unwrap();
    for model in ["cnn", "gru", "attention"] {
        assert!(models[model]["parameters"].as_u64().unwrap() > 20_000, "{model}");
        assert!(models[model]["ms_per_clip"].as_f64().unwrap() > 0.0, "{model}");
        // Even the few seconds of --quick must learn: a model at chance is a bug.
        let accuracy = models[model]["test_accuracy"].as_f64().unwrap();
        assert!(
            accuracy >= 2.0 * chance,
            "{model}: test accuracy {accuracy:.3}, chance {chance:.3}"
        );
    }
    // The exercise's GRU has twelve more inputs to its head for each of 13 classes.
    let extra = report.metrics["gru_with_descriptors"]["parameters"].as_u64().unwrap();
    assert_eq!(extra, models["gru"]["parameters"].as_u64().unwrap() + 12 * 13);
    // Times vary from run to run: pinned are the numbers, not the clock.
    let mut snapshot = report.snapshot(3);
    for path in ["models/cnn", "models/gru", "models/attention", "gru_with_descriptors"] {
        let entry = snapshot["metrics"]
            .pointer_mut(&format!("/{path}"))
            .unwrap()
            .as_object_mut()
            .unwrap();
        for clock in ["train_seconds", "ms_per_step", "ms_per_clip"] {
            entry.remove(clock);
        }
    }
    insta::assert_json_snapshot!(snapshot);
}

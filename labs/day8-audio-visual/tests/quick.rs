//! The `--quick` run's numbers, pinned: a change in any of them is reviewed
//! (`cargo insta review`), never accepted blindly. Also: every model separates better than
//! the mixture and below the ideal masks, the localisers sit between their floor and
//! ceiling, the figures and the sounds exist, and bad input is refused with the fix.

use clap::Parser;
use dl4mir_train::testing::{
    assert_figures, fresh_dir, number, one_at_a_time, quick_args, without_keys,
};
use serde_json::Value;
use std::path::PathBuf;

/// The synthetic tracks the tests need, made once under target/ and reused.
fn data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

#[test]
fn quick_run_separates_localises_and_is_pinned() {
    let _turn = one_at_a_time();
    let out = fresh_dir("day8-audio-visual-quick");
    let args = quick_args("day8-audio-visual", &out, &data_home());
    let report = day8_audio_visual::run(&day8_audio_visual::Cli::parse_from(&args)).unwrap();
    assert_figures(&out, &["separation", "localisation", "losses"]);
    for name in ["mixture", "source1_true", "source1_binary", "source2_ratio"] {
        let path = out.join(format!("{name}.wav"));
        let info = dl4mir_audio::wav_info(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(info.sr, day8_audio_visual::sources::SR, "{name}");
    }
    std::fs::remove_dir_all(&out).ok();
    let m = Value::Object(report.metrics.clone());
    separation_sits_between_the_mixture_and_the_ideal_masks(&m["separation"]);
    localisers_sit_between_their_floor_and_ceiling(&m["localisation"]);
    insta::assert_json_snapshot!(without_keys(report.snapshot(3), &["train_seconds"]));
}

/// The run itself refuses a model no better than the mixture; here also: no model reaches
/// the ideal masks, which would mean the scoring leaks the truth.
fn separation_sits_between_the_mixture_and_the_ideal_masks(separation: &Value) {
    let sdr = |system: &str| number(separation, &[system, "sdr"]);
    let sir = |system: &str| number(separation, &[system, "sir"]);
    for model in ["binary_masks", "binary_masks_unthresholded", "ratio_masks"] {
        assert!(
            sir(model) > sir("mixture"),
            "{model}: SIR {} vs the mixture's {}",
            sir(model),
            sir("mixture")
        );
        for ideal in ["ideal_binary_masks", "ideal_ratio_masks"] {
            assert!(
                sdr(model) < sdr(ideal),
                "{model}: SDR {} vs {ideal} {}",
                sdr(model),
                sdr(ideal)
            );
        }
        assert_eq!(
            number(separation, &[model, "skipped"]),
            0.0,
            "{model} left a source silent"
        );
    }
}

/// Every map scores above the whole frame; every sprite's true mask is the truth on solo
/// scenes, and only there.
fn localisers_sit_between_their_floor_and_ceiling(localisation: &Value) {
    for layout in ["solo", "crowd", "twins"] {
        let table = &localisation[layout];
        let iou = |method: &str| number(table, &[method, "mean_iou"]);
        let floor = iou("whole_frame");
        let methods = table.as_object().expect("a table per layout").keys();
        for method in methods.filter(|m| *m != "whole_frame" && *m != "every_sprite") {
            assert!(
                iou(method) > floor,
                "{layout} {method}: mean IoU {} vs the whole frame's {floor}",
                iou(method)
            );
        }
        assert_eq!(
            number(table, &["every_sprite", "mean_iou"]) == 1.0,
            layout == "solo",
            "{table}"
        );
    }
}

#[test]
fn flags_that_cannot_train_are_refused_with_the_fix() {
    for (args, expected) in [
        (vec!["--epochs", "0"], "--epochs 0 trains nothing"),
        (vec!["--batch-size", "0"], "--batch-size 0 holds no examples"),
        (vec!["--lr", "0"], "--lr 0 must be a positive number"),
    ] {
        let cli = day8_audio_visual::Cli::parse_from(
            std::iter::once("day8-audio-visual").chain(args),
        );
        let err = day8_audio_visual::run(&cli).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
    let refused =
        day8_audio_visual::Cli::try_parse_from(["day8-audio-visual", "--test-string", "7"]);
    assert!(refused.unwrap_err().to_string().contains("7 is not in 1..=6"));
}

//! The `--quick` run's numbers, pinned: a change in any of them is reviewed
//! (`cargo insta review`), never accepted blindly. Also: the models beat chance even on the
//! quick run, the figures exist, and bad input is refused with the fix.

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
fn quick_run_beats_chance_and_is_pinned() {
    let _turn = one_at_a_time();
    let out = fresh_dir("day7-contrastive-quick");
    let args = quick_args("day7-contrastive", &out, &data_home());
    let report = day7_contrastive::run(&day7_contrastive::Cli::parse_from(&args)).unwrap();
    assert_figures(&out, &["similarity", "losses", "caption_losses"]);
    for q in 1..=3 {
        let path = out.join(format!("query{q}_1.wav"));
        assert!(dl4mir_audio::wav_info(&path).is_ok(), "{}", path.display());
    }
    std::fs::remove_dir_all(&out).ok();
    let m = Value::Object(report.metrics.clone());
    // The median rank, not R@1: on the quick run's 26 queries chance is two hits at rank 1,
    // too few to tell a model from luck; the default run's R@1 is in the book.
    for direction in ["text_to_audio", "audio_to_text"] {
        let rank = number(&m, &["retrieval", direction, "median_rank"]);
        let chance = number(&m, &["retrieval", direction, "chance", "median_rank"]);
        assert!(rank < chance, "{direction}: median rank {rank} is not below chance {chance}");
    }
    let held = &m["zero_shot"]["held_out"];
    assert!(number(held, &["as_its_type"]) > number(held, &["chance_type"]), "{held}");
    let supervised = number(&m, &["zero_shot", "supervised_cnn", "accuracy"]);
    assert!(
        supervised > number(&m, &["zero_shot", "label_prompts", "chance"]),
        "{supervised}"
    );
    let captioning = &m["captioning"];
    assert_eq!(captioning["frozen_decoder_unchanged"], true, "the frozen decoder was trained");
    // Six epochs on the quick run's notes teach the captioners their words, not yet to
    // follow the audio (each writes one caption for every clip): only their training is
    // checked here; the default run's scores are in the book.
    for name in ["language model", "ClipCap MLP", "ClipCap transformer"] {
        let curve = &report.losses.per_epoch[name];
        assert!(curve.last() < curve.first(), "{name}: the loss did not fall: {curve:?}");
    }
    insta::assert_json_snapshot!(without_keys(report.snapshot(3), &["train_seconds"]));
}

#[test]
fn flags_that_cannot_train_are_refused_with_the_fix() {
    for (args, expected) in [
        (vec!["--epochs", "0"], "--epochs 0 trains nothing"),
        (vec!["--batch-size", "0"], "--batch-size 0 holds no examples"),
        (vec!["--lr", "0"], "--lr 0 must be a positive number"),
    ] {
        let cli =
            day7_contrastive::Cli::parse_from(std::iter::once("day7-contrastive").chain(args));
        let err = day7_contrastive::run(&cli).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
    let refused = day7_contrastive::Cli::try_parse_from([
        "day7-contrastive",
        "--held-out-effect",
        "wah",
    ]);
    let err = refused.unwrap_err().to_string();
    assert!(err.contains("not an effect of EGFxSet") && err.contains("Sweep Echo"), "{err}");
}

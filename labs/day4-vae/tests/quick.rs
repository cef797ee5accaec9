//! The `--quick` run's numbers, pinned: a change in any of them is reviewed
//! (`cargo insta review`), never accepted blindly. Also: the figures and the WAV files exist
//! and play, real recordings go through, and bad flags are refused.

use clap::Parser;
use dl4mir_train::testing::{
    assert_figures, fresh_dir, one_at_a_time, partial_real_egfxset, quick_args,
};
use std::path::PathBuf;

/// The synthetic tracks the tests need, made once under target/ and reused.
fn data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

#[test]
fn quick_run_metrics_figures_and_sounds() {
    let _turn = one_at_a_time();
    let out = fresh_dir("day4-vae-quick");
    let args = quick_args("day4-vae", &out, &data_home());
    let report = day4_vae::run(&day4_vae::Cli::parse_from(&args)).unwrap();
    assert_figures(
        &out,
        &[
            "loss_db",
            "loss_notebook",
            "latent_db",
            "latent_notebook",
            "spectrograms",
            "kl_per_dimension",
        ],
    );
    for name in [
        "original_clean",
        "input_clean",
        "notebook_clean",
        "db_clean",
        "db_hall-reverb",
        "notebook_tape-echo",
        "prior_1",
        "prior_2",
        "interpolation",
        "interpolation_exercise",
    ] {
        let path = out.join(format!("{name}.wav"));
        let info = dl4mir_audio::wav_info(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(info.sr, 48_000, "{name}");
        let native = dl4mir_audio::LoadParams { sr: None, ..Default::default() };
        let (y, _) = dl4mir_audio::load(&path, &native).unwrap();
        let peak = y.iter().fold(0.0f32, |m, v| m.max(v.abs()));
        // Scaled to peak 0.9, then faded in over 2 ms: a pluck's peak can fall in the fade.
        // The collapsed notebook VAE may output (near) zeros: silence, or a peak inside a fade.
        let silent_allowed = name.starts_with("notebook_") && peak < 0.901;
        assert!(
            silent_allowed || (peak > 0.5 && peak < 0.901),
            "{name} is normalised to 0.9, not {peak}"
        );
    }
    std::fs::remove_dir_all(&out).ok();
    let terms = &report.losses.per_epoch;
    assert_eq!(terms["reconstruction"].len(), report.losses.epochs.len());
    assert!(terms["kl"].iter().all(|&kl| kl >= 0.0), "a KL divergence is never negative");
    the_default_vae_learns(&report.metrics);
    insta::assert_json_snapshot!(report.snapshot(3));
}

/// Fails when the default VAE stops learning or its posterior collapses, even on the
/// quick run: it must beat the mean training spectrogram on log-spectral distance by a
/// margin, keep several code dimensions active and spend real information (KL) on them,
/// and keep the pitch of two thirds of the held-out notes (twice the mean spectrum's hits).
fn the_default_vae_learns(metrics: &serde_json::Map<String, serde_json::Value>) {
    let db = &metrics["db"];
    let (lsd, baseline) =
        (db["lsd_db"].as_f64().unwrap(), metrics["baseline"]["lsd_db"].as_f64().unwrap());
    assert!(
        lsd < baseline - 1.0,
        "db VAE: LSD {lsd:.2} dB is not clearly below the mean spectrum's {baseline:.2}"
    );
    let active = db["active_dimensions"].as_u64().unwrap();
    assert!(active >= 4, "db VAE: only {active} active dimensions: the posterior collapsed");
    let kl = db["kl_total"].as_f64().unwrap();
    assert!(
        kl > 10.0,
        "db VAE: KL {kl:.2} nats: the codes carry almost nothing about the notes"
    );
    let hits = |m: &serde_json::Value| m["pitch_hits"].as_u64().unwrap();
    let (db_hits, average) = (hits(db), hits(&metrics["baseline"]));
    let notes = metrics["test_notes"].as_u64().unwrap();
    assert!(
        db_hits >= 2 * average.max(1) && 3 * db_hits >= 2 * notes,
        "db VAE: pitch kept on {db_hits} of {notes} held-out notes (the mean spectrum: \
         {average}): the decoder has stopped drawing the partials"
    );
}

#[test]
fn real_recordings_train_and_a_missing_test_string_says_so() {
    let _turn = one_at_a_time();
    let home = fresh_dir("day4-vae-real");
    partial_real_egfxset(&home).unwrap();
    let out = home.join("out");
    let run = |test_string: &str| {
        let args = [
            "day4-vae",
            "--quick",
            // The three real notes are on other pickups and frets than the neighbours'.
            "--notes",
            "random",
            "--dataset",
            "egfxset",
            "--test-string",
            test_string,
            "--data-home",
            home.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        day4_vae::run(&day4_vae::Cli::parse_from(args))
    };
    let err = run("5").unwrap_err().to_string();
    // Two tape-echo notes (strings 1 and 2) train; the clean note on string 6 tests.
    let report = run("6").unwrap();
    std::fs::remove_dir_all(&home).ok();
    assert!(err.contains("needs notes on string 5 to test (found 0)"), "{err}");
    assert_eq!(
        (report.metrics["train_notes"].as_u64(), report.metrics["test_notes"].as_u64()),
        (Some(2), Some(1))
    );
}

#[test]
fn flags_that_cannot_train_are_refused_with_the_fix() {
    for (args, expected) in [
        (vec!["--epochs", "0"], "--epochs 0 trains nothing"),
        (vec!["--batch-size", "0"], "--batch-size 0 holds no examples"),
        (vec!["--lr", "0"], "--lr 0 must be a positive number"),
        (vec!["--beta=-1"], "--beta -1 must be 0 or more"),
    ] {
        let cli = day4_vae::Cli::parse_from(std::iter::once("day4-vae").chain(args));
        let err = day4_vae::run(&cli).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
}

/// Exercise 1's solution, run: the default VAE on the quick run's notes with beta 0, 1 and 4.
/// The KL the codes spend falls as beta rises, and the reconstructions get no closer.
#[test]
fn exercise_1_beta() {
    let _turn = one_at_a_time();
    let run = |beta: &str| {
        let out = fresh_dir(&format!("day4-vae-beta-{beta}"));
        let mut args = quick_args("day4-vae", &out, &data_home());
        args.extend(["--model".into(), "db".into(), "--beta".into(), beta.into()]);
        let report = day4_vae::run(&day4_vae::Cli::parse_from(&args)).unwrap();
        std::fs::remove_dir_all(&out).ok();
        let db = &report.metrics["db"];
        (
            db["kl_total"].as_f64().unwrap(),
            db["lsd_db"].as_f64().unwrap(),
            db["active_dimensions"].as_u64().unwrap(),
        )
    };
    let (zero, one, four) = (run("0"), run("1"), run("4"));
    println!(
        "beta 0: {zero:?}; beta 1: {one:?}; beta 4: {four:?} (KL nats, LSD dB, active dimensions)"
    );
    assert!(
        zero.0 > one.0 && one.0 > four.0,
        "KL should fall as beta rises: {zero:?} {one:?} {four:?}"
    );
    assert!(
        zero.1 <= four.1 + 0.5,
        "beta 0 should rebuild at least as closely as beta 4: {zero:?} {four:?}"
    );
}

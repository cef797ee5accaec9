//! The `--quick` run's numbers, pinned: a change in any of them is reviewed
//! (`cargo insta review`), never accepted blindly. Also: every model beats its trivial
//! baseline, the figures and the WAV files exist, and bad input is refused with the fix.

use clap::Parser;
use dl4mir_train::testing::{
    assert_figures, fresh_dir, number, one_at_a_time, partial_real_egfxset, quick_args,
    without_keys,
};
use serde_json::Value;
use std::path::PathBuf;

/// The synthetic tracks the tests need, made once under target/ and reused.
fn data_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("data-home")
}

#[test]
fn quick_run_metrics_figures_and_sounds() {
    let _turn = one_at_a_time();
    let out = fresh_dir("day6-synthesis-quick");
    let args = quick_args("day6-synthesis", &out, &data_home());
    let report = day6_synthesis::run(&day6_synthesis::Cli::parse_from(&args)).unwrap();
    assert_figures(
        &out,
        &[
            "fm_spectrograms_low",
            "fm_spectrograms_high",
            "fm_losses",
            "fm_levels",
            "loss_against_frequency",
            "programming_lsd",
            "programming_guitar",
            "rave_spectrograms",
            "rave_latents",
            "rave_losses",
        ],
    );
    for name in [
        "fm_original_low",
        "fm_ddx7_low",
        "fm_hpn_high",
        "programming_guitar",
        "programming_guitar_fm",
        "programming_guitar_subtractive",
        "rave_clean_input",
        "rave_clean_through",
        "rave_clean_twin",
        "rave_tubescreamer_reconstruction",
    ] {
        let path = out.join(format!("{name}.wav"));
        let info = dl4mir_audio::wav_info(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(info.sr, 16_000, "{name}");
    }
    std::fs::remove_dir_all(&out).ok();
    every_model_beats_its_trivial_baseline(&report.metrics);
    insta::assert_json_snapshot!(without_keys(
        report.snapshot(3),
        &["train_seconds", "real_time_factor"]
    ));
}

/// Fails when a model learns nothing, even on the quick run.
fn every_model_beats_its_trivial_baseline(metrics: &serde_json::Map<String, Value>) {
    let fm = &metrics["fm"];
    let silence = number(fm, &["silence", "spectral_distance"]);
    for model in ["ddx7", "hpn"] {
        let distance = number(fm, &[model, "spectral_distance"]);
        assert!(
            distance < 0.6 * silence,
            "{model}: spectral distance {distance:.2} against silence's {silence:.2}"
        );
        let pitch = number(fm, &[model, "pitch_median_error_semitones"]);
        assert!(
            pitch < 0.5,
            "{model} resynthesizes at the wrong pitch: {pitch:.2} semitones off"
        );
    }
    let programming = &metrics["programming"];
    let baseline = number(programming, &["mean_patch", "lsd_db"]);
    for variant in ["separate", "joint_heads", "joint_decoder"] {
        let lsd = number(programming, &[variant, "lsd_db"]);
        assert!(
            lsd < baseline,
            "{variant}: LSD {lsd:.2} dB is not below the mean patch's {baseline:.2}"
        );
    }
    let rave = &metrics["rave"];
    let (reconstruction, silence) = (
        number(rave, &["reconstruction", "spectral_distance"]),
        number(rave, &["silence", "spectral_distance"]),
    );
    assert!(
        reconstruction < 0.6 * silence,
        "RAVE-lite: {reconstruction:.2} against silence's {silence:.2}"
    );
    // Given the pitch, even six epochs put the spectrum nearer than the mean training one.
    let (mel, mean_mel) = (
        number(rave, &["reconstruction", "log_mel_l1"]),
        number(rave, &["mean_spectrum", "log_mel_l1"]),
    );
    assert!(
        mel < mean_mel,
        "RAVE-lite: log-mel L1 {mel:.2} against the mean spectrum's {mean_mel:.2}"
    );
    let bank = number(rave, &["pqmf_alone", "spectral_distance"]);
    assert!(
        bank < 0.1 * reconstruction,
        "the PQMF bank alone should be nearly transparent: {bank:.3}"
    );
}

#[test]
fn real_recordings_without_the_notes_a_part_needs_say_what_to_fetch() {
    let _turn = one_at_a_time();
    let home = fresh_dir("day6-synthesis-real");
    partial_real_egfxset(&home).unwrap();
    let out = home.join("out");
    let args = [
        "day6-synthesis",
        "--quick",
        "--part",
        "fm",
        "--dataset",
        "egfxset",
        "--data-home",
        home.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let err =
        day6_synthesis::run(&day6_synthesis::Cli::parse_from(args)).unwrap_err().to_string();
    std::fs::remove_dir_all(&home).ok();
    assert!(err.contains("cargo run -p dl4mir-datasets -- download"), "{err}");
}

#[test]
fn flags_that_cannot_train_are_refused_with_the_fix() {
    for (args, expected) in [
        (vec!["--epochs", "0"], "--epochs 0 trains nothing"),
        (vec!["--batch-size", "0"], "--batch-size 0 holds no examples"),
        (vec!["--lr", "0"], "--lr 0 must be a positive number"),
    ] {
        let cli =
            day6_synthesis::Cli::parse_from(std::iter::once("day6-synthesis").chain(args));
        let err = day6_synthesis::run(&cli).unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
    let refused =
        day6_synthesis::Cli::try_parse_from(["day6-synthesis", "--test-string", "7"]);
    assert!(refused.is_err(), "a guitar has six strings");
}

/// Exercise 2's solution: a sine whose frequency is learned through the spectral loss,
/// started at 300 Hz with a 440 Hz target, does not get there.
#[test]
fn exercise_2_a_frequency_by_gradient() {
    use burn::module::Param;
    use burn::optim::{AdamConfig, GradientsParams};
    use burn::prelude::*;

    #[derive(Module, Debug)]
    struct Sine {
        hz: Param<Tensor<1>>,
    }
    let device = Device::flex().autodiff();
    let samples = 4096;
    let t: Vec<f32> = (0..samples).map(|n| n as f32 / 16_000.0).collect();
    let t = Tensor::<1>::from_floats(t.as_slice(), &device).reshape([1, samples]);
    let target = t.clone().mul_scalar(std::f64::consts::TAU * 440.0).sin().mul_scalar(0.5);
    let loss = dl4mir_ddsp::loss::MultiResolution::ddx7();
    let mut model = Sine { hz: Param::from_tensor(Tensor::from_floats([300.0], &device)) };
    let mut optimizer = AdamConfig::new().init();
    let mut path = Vec::new();
    for _ in 0..60 {
        let hz = model.hz.val().reshape([1, 1]);
        let output = (t.clone() * hz).mul_scalar(std::f64::consts::TAU).sin().mul_scalar(0.5);
        let value = loss.loss(output, target.clone());
        let grads = GradientsParams::from_grads(value.backward(), &model);
        model = optimizer.step(2.0, model.clone(), grads);
        path.push(model.hz.val().into_scalar::<f32>());
    }
    println!("frequency every 10 steps: {:?}", path.iter().step_by(10).collect::<Vec<_>>());
    let last = *path.last().unwrap();
    assert!(
        (last - 440.0).abs() > 50.0,
        "the sine found 440 Hz ({last}): the figure's reading would be wrong"
    );
}

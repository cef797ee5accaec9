//! The pieces of dl4mir-train: batches, the NaN stop, device errors, the split-K layer.

use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use dl4mir_train::{Batcher, DeviceChoice, LossLog, device, progress, run_epoch, seed_everything};

#[test]
fn a_diverging_loss_stops_with_the_step_and_a_lower_rate() {
    let mut log = LossLog::default();
    let bar = progress(3, String::new());
    let losses = [1.0f32, f32::NAN, 0.5];
    let err = run_epoch(4, losses.iter(), &bar, 0.1, &mut log, |&l| l).unwrap_err().to_string();
    assert_eq!(
        err,
        "the loss became NaN at epoch 4, step 1: training diverged; try a lower learning rate (--lr 0.01)"
    );
    assert_eq!(log.steps, vec![1.0]);
}

#[test]
fn a_backend_not_compiled_in_is_one_line() {
    #[cfg(not(feature = "wgpu"))]
    assert_eq!(
        device(DeviceChoice::Wgpu).unwrap_err().to_string(),
        "this build has no wgpu support: rebuild with `--features wgpu` (or use --device cpu)"
    );
    #[cfg(not(feature = "cuda"))]
    assert!(
        device(DeviceChoice::Cuda).unwrap_err().to_string().starts_with("this build has no cuda support")
    );
}

#[test]
fn batches_cover_every_sample_once_per_epoch() {
    let device = device(DeviceChoice::Cpu).unwrap();
    let features: Vec<f32> = (0..10 * 2).map(|i| i as f32).collect();
    let batcher = Batcher::new(features, 2, (0..10).collect(), 4).unwrap();
    let mut rng = seed_everything(&device, 1);
    let mut seen: Vec<i64> = batcher
        .epoch(Some(&mut rng), &device)
        .flat_map(|b| b.targets.into_data().iter::<i64>().collect::<Vec<_>>())
        .collect();
    assert_eq!(batcher.batches_per_epoch(), 3);
    assert_ne!(seen, (0..10).collect::<Vec<i64>>(), "shuffled");
    seen.sort_unstable();
    assert_eq!(seen, (0..10).collect::<Vec<i64>>());
    let err = Batcher::new(vec![0.0; 5], 2, vec![0, 1], 4).unwrap_err().to_string();
    assert_eq!(err, "5 feature values do not make 2 rows of 2; each sample needs one label");
}

#[test]
fn split_k_linear_equals_linear_in_values_and_gradients() {
    use dl4mir_train::SplitKLinear;
    let device = device(DeviceChoice::Cpu).unwrap();
    seed_everything(&device, 3);
    let linear: Linear = LinearConfig::new(360, 7).init(&device);
    let split = SplitKLinear::from_linear(linear.clone(), 12);
    assert_eq!(split.chunks(), 12);
    let x = Tensor::<2>::random([4, 360], burn::tensor::Distribution::Normal(0.0, 1.0), &device);
    let (a, b) = (linear.forward(x.clone()), split.forward(x));
    let diff = (a.clone() - b.clone()).abs().max().into_scalar::<f32>();
    assert!(diff < 1e-4, "values differ by {diff}");

    // Gradients of the same loss with respect to the same weight.
    let grad_linear = a.powf_scalar(2.0).sum().backward();
    let grad_split = b.powf_scalar(2.0).sum().backward();
    let g1 = linear.weight.grad(&grad_linear).unwrap();
    let g2 = split.weight.grad(&grad_split).unwrap();
    let diff = (g1 - g2).abs().max().into_scalar::<f32>();
    assert!(diff < 1e-3, "gradients differ by {diff}");
}

#[test]
fn split_n_linear_equals_linear_in_values_and_both_gradients() {
    use dl4mir_train::SplitNLinear;
    let device = device(DeviceChoice::Cpu).unwrap();
    seed_everything(&device, 4);
    let linear: Linear = LinearConfig::new(7, 360).init(&device);
    let split = SplitNLinear::from_linear(linear.clone(), 12);
    assert_eq!(split.chunks(), 12);
    let x = Tensor::<2>::random([4, 7], burn::tensor::Distribution::Normal(0.0, 1.0), &device).require_grad();
    let (a, b) = (linear.forward(x.clone()), split.forward(x.clone()));
    let diff = (a.clone() - b.clone()).abs().max().into_scalar::<f32>();
    assert!(diff < 1e-4, "values differ by {diff}");
    let (grad_linear, grad_split) =
        (a.powf_scalar(2.0).sum().backward(), b.powf_scalar(2.0).sum().backward());
    for (g1, g2, what) in [
        (linear.weight.grad(&grad_linear).unwrap(), split.weight.grad(&grad_split).unwrap(), "weight"),
        (x.grad(&grad_linear).unwrap(), x.grad(&grad_split).unwrap(), "input"),
    ] {
        let diff = (g1 - g2).abs().max().into_scalar::<f32>();
        assert!(diff < 1e-3, "{what} gradients differ by {diff}");
    }
}

#[test]
fn the_run_report_holds_every_field_the_book_reads() {
    let stopwatch = dl4mir_train::Stopwatch::start();
    let summary = dl4mir_train::RunSummary {
        lab: "test-lab".into(),
        version: "0.1.0".into(),
        seed: 5,
        device: "cpu".into(),
        dataset: "synth".into(),
        hyperparameters: serde_json::json!({ "epochs": 2, "lr": 0.01 }),
    };
    let log = LossLog {
        steps: vec![1.0, 0.5, 0.25],
        epochs: vec![0.75, 0.25],
        train_seconds: 0.3,
        validation: vec![0.8, 0.3],
        per_epoch: [("kl".to_string(), vec![0.1, 0.05])].into(),
    };
    let mut metrics = serde_json::Map::new();
    metrics.insert("accuracy".into(), 0.9.into());
    let report = summary.finish(log, metrics, 300, &stopwatch);
    let out = std::env::temp_dir().join(format!("dl4mir-train-report-{}", std::process::id()));
    let path = report.write(&out).unwrap();
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for key in [
        "lab",
        "version",
        "seed",
        "device",
        "dataset",
        "hyperparameters",
        "losses",
        "metrics",
        "wall_time_s",
        "time_per_step_ms",
        "samples_per_second",
        "peak_memory_mb",
        "energy",
    ] {
        assert!(json.get(key).is_some(), "metrics.json lacks {key}");
    }
    assert_eq!(json["losses"]["epochs"], serde_json::json!([0.75, 0.25]));
    // Rates come from the training time alone: 0.3 s over 3 steps and 300 samples.
    assert!((json["time_per_step_ms"].as_f64().unwrap() - 100.0).abs() < 1e-9);
    assert!((json["samples_per_second"].as_f64().unwrap() - 1000.0).abs() < 1e-9);
    let method = json["energy"]["method"].as_str().unwrap();
    assert!(method == "measured" || method == "estimated", "{method}");
    let snapshot = report.snapshot(2);
    assert_eq!(snapshot["epoch_losses"], serde_json::json!([0.75, 0.25]));
    assert_eq!(snapshot["metrics"]["accuracy"], serde_json::json!(0.9));
    assert!(snapshot.get("wall_time_s").is_none(), "timings vary and stay out of snapshots");
    let text = report.summary();
    assert!(
        text.contains("loss 0.7500 -> 0.2500 over 2 epochs") && text.contains("accuracy: 0.9000"),
        "{text}"
    );
    if method == "estimated" {
        assert!(text.contains("not a measurement"), "an estimate says so: {text}");
    }
    std::fs::remove_dir_all(out).unwrap();
}

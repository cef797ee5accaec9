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

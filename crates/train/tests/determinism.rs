//! One seed, the same numbers: two CPU runs agree exactly, and a run stopped after an
//! epoch and resumed from its checkpoint ends exactly where an unbroken run ends.
//!
//! burn's generator is shared by the whole process, so the tests here take turns through
//! one lock (another test drawing from it on a parallel thread would interleave); they
//! live in their own test binary for the same reason.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::optim::{AdamConfig, GradientsParams};
use dl4mir_train::{Batcher, Checkpoint, DeviceChoice, Start, device, progress, run_epoch, seed_everything};
use std::sync::Mutex;

static BURN_GENERATOR: Mutex<()> = Mutex::new(());

/// What a run ends with: every step's loss and the trained weights.
#[derive(Debug, PartialEq)]
struct Outcome {
    losses: Vec<f32>,
    weights: Vec<f32>,
}

/// Train a linear classifier on fixed data up to `epochs`; with a checkpoint, save it after
/// every epoch, and with `resume`, start from it.
fn train(seed: u64, epochs: usize, checkpoint: Option<&Checkpoint>, resume: bool) -> Outcome {
    let device = device(DeviceChoice::Cpu).unwrap();
    let rng = seed_everything(&device, seed);
    let features: Vec<f32> = (0..400 * 8).map(|i| ((i * 7919 % 113) as f32 / 56.0) - 1.0).collect();
    let labels: Vec<usize> = (0..400).map(|i| (i * 31 % 97) % 4).collect();
    let batcher = Batcher::new(features, 8, labels, 32).unwrap();
    let fresh: Linear = LinearConfig::new(8, 4).init(&device);
    let nowhere = Checkpoint::in_dir(std::path::Path::new("/nonexistent"));
    let Start { mut model, mut optimizer, mut losses, mut rng, first_epoch } =
        checkpoint.unwrap_or(&nowhere).resume_or_start(resume, fresh, AdamConfig::new().init(), rng).unwrap();
    let loss_fn = CrossEntropyLossConfig::new().init(&device);
    let bar = progress(100, String::new());
    for epoch in first_epoch..=epochs {
        run_epoch(epoch, batcher.epoch(Some(&mut rng), &device), &bar, 1e-2, &mut losses, |batch| {
            let loss = loss_fn.forward(model.forward(batch.inputs), batch.targets);
            let value = loss.clone().into_scalar::<f32>();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            model = optimizer.step(1e-2, model.clone(), grads);
            value
        })
        .unwrap();
        if let Some(checkpoint) = checkpoint {
            checkpoint.save_epoch(epoch, &model, &optimizer, &losses, &rng).unwrap();
        }
    }
    let weights = model.weight.val().into_data().try_to_vec::<f32>().unwrap();
    Outcome { losses: losses.steps, weights }
}

#[test]
fn the_same_seed_gives_the_same_losses() {
    let _turn = BURN_GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
    let a = train(7, 2, None, false);
    assert_eq!(a.losses.len(), 2 * 13);
    assert_eq!(a, train(7, 2, None, false), "two runs with seed 7");
    assert_ne!(a.losses, train(8, 2, None, false).losses, "another seed, another initialisation and order");
}

#[test]
fn a_resumed_run_ends_where_an_unbroken_one_does() {
    let _turn = BURN_GENERATOR.lock().unwrap_or_else(|e| e.into_inner());
    let out = std::env::temp_dir().join(format!("dl4mir-resume-{}", std::process::id()));
    let checkpoint = Checkpoint::in_dir(&out);
    let unbroken = train(3, 4, None, false);
    // The numbers themselves, pinned: a change is reviewed (`cargo insta review`), not accepted blindly.
    let rounded: Vec<String> = unbroken.losses.iter().step_by(13).map(|l| format!("{l:.4}")).collect();
    insta::assert_json_snapshot!("first_loss_of_each_epoch", rounded);
    let stopped = train(3, 2, Some(&checkpoint), false);
    assert_eq!(stopped.losses[..], unbroken.losses[..2 * 13]);
    let resumed = train(3, 4, Some(&checkpoint), true);
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(resumed, unbroken, "losses and weights after 2 + 2 epochs");
}

#[test]
fn resume_without_a_checkpoint_says_how_to_start() {
    let device = device(DeviceChoice::Cpu).unwrap();
    let model: Linear = LinearConfig::new(2, 2).init(&device);
    let nowhere = Checkpoint::in_dir(std::path::Path::new("/nonexistent/dl4mir"));
    let Err(err) = nowhere.load(model, AdamConfig::new().init()) else { panic!("loaded from nowhere") };
    let err = err.to_string();
    assert!(err.contains("no checkpoint") && err.contains("without --resume"), "{err}");
}

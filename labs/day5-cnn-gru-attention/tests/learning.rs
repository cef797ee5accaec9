//! Every model must learn: on synthetic spectrograms whose class is plain to see (a band
//! of raised mel bands), a short training must beat chance by a wide margin. A model that
//! stops learning (a broken gradient, a learning rate that stalls it, a head that reads
//! nothing) fails here, where a snapshot of counts would not notice.

use day5_cnn_gru_attention::compare::{self, Architecture, Batches, Options};
use day5_cnn_gru_attention::features::{N_MELS, frames, width};
use day5_cnn_gru_attention::more_exercises::{Variant, train_variant};
use day5_cnn_gru_attention::training::Settings;
use dl4mir_train::Batcher;
use dl4mir_train::testing::one_at_a_time;

const CLASSES: usize = 4;
/// Small batches: more steps from few clips (and batch norm's running statistics, which
/// the CNN predicts with, settle within them).
const BATCH: usize = 8;

/// `per_class` clips of each class: noise in [-1, -0.5], and class `c`'s band of mel
/// bands (16 wide) raised to about 0.5 in every frame.
fn clips(per_class: usize, salt: u64) -> (Vec<f32>, Vec<usize>) {
    let (mut rows, mut labels) = (Vec::new(), Vec::new());
    let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ salt;
    let mut noise = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 40) as f32 / (1u64 << 24) as f32
    };
    for i in 0..CLASSES * per_class {
        let class = i % CLASSES;
        for mel in 0..N_MELS {
            let lit = mel / (N_MELS / CLASSES) == class;
            for _ in 0..frames() {
                rows.push(if lit { 0.3 + 0.4 * noise() } else { -1.0 + 0.5 * noise() });
            }
        }
        labels.push(class);
    }
    (rows, labels)
}

fn batches() -> Batches {
    let batcher = |per_class, salt| {
        let (rows, labels) = clips(per_class, salt);
        Batcher::new(rows, width(), labels, BATCH).unwrap()
    };
    let (test_rows, truth) = clips(8, 3);
    Batches {
        train: batcher(16, 1),
        validation: batcher(4, 2),
        test: Batcher::new(test_rows, width(), truth.clone(), BATCH).unwrap(),
        truth,
        classes: CLASSES,
    }
}

/// At least this accuracy on the synthetic test clips: chance is 1/4.
const MUST_REACH: f64 = 0.75;

fn settings(architecture: Architecture) -> Settings {
    Settings { epochs: 6, batch_size: BATCH, lr: architecture.default_lr() }
}

#[test]
fn each_architecture_learns_a_plain_task() {
    let _turn = one_at_a_time();
    let (batches, device) =
        (batches(), dl4mir_train::device(dl4mir_train::DeviceChoice::Cpu).unwrap());
    for architecture in Architecture::ALL {
        let options = Options { bidirectional: false, inspect: None };
        let outcome = compare::train_and_test(
            architecture,
            &batches,
            settings(architecture),
            (&device, 7),
            options,
        )
        .unwrap();
        assert!(
            outcome.test_accuracy >= MUST_REACH,
            "{} reached {:.3} (chance {:.3})",
            architecture.name(),
            outcome.test_accuracy,
            1.0 / CLASSES as f64
        );
    }
}

#[test]
fn each_exercise_variant_learns_a_plain_task() {
    let _turn = one_at_a_time();
    let (batches, device) =
        (batches(), dl4mir_train::device(dl4mir_train::DeviceChoice::Cpu).unwrap());
    for variant in Variant::ALL {
        let outcome =
            train_variant(variant, &batches, settings(variant.architecture()), (&device, 7))
                .unwrap();
        assert!(
            outcome.test_accuracy >= MUST_REACH,
            "{} reached {:.3}",
            variant.name(),
            outcome.test_accuracy
        );
    }
}

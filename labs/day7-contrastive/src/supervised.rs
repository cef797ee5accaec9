//! Day 5's supervised CNN on the same notes and the same log-mels: the accuracy a
//! classifier head trained on the 13 labels reaches, beside the zero-shot prompts.

use crate::data::{Clips, LOG_MEL};
use burn::prelude::*;
use day5_cnn_gru_attention::cnn::Cnn;
use day5_cnn_gru_attention::training::{Classifier, Settings, predict, train};
use dl4mir_train::{Batcher, SeededRng, select_rows};

/// Day 5's CNN reading this lab's log-mel rows.
#[derive(Module, Debug)]
pub struct SupervisedCnn {
    cnn: Cnn,
}

impl Classifier for SupervisedCnn {
    fn classify(&self, rows: Tensor<2>) -> Tensor<2> {
        let batch = rows.dims()[0];
        self.cnn.forward(rows.reshape([batch, LOG_MEL.n_mels, LOG_MEL.frames()]))
    }
}

/// Test accuracy of Day 5's CNN trained with Day 5's loop on the training notes' effects.
pub fn accuracy(
    clips: &Clips,
    widths: &[usize],
    settings: Settings,
    (device, rng): (&Device, SeededRng),
) -> anyhow::Result<f64> {
    let classes = dl4mir_datasets::Effect::ALL.len();
    accuracy_on(clips, (&clips.labels, classes), widths, settings, (device, rng))
}

/// The same for any labelling of the clips (`labels[i]` below `classes`), e.g. pickups.
pub fn accuracy_on(
    clips: &Clips,
    (labels, classes): (&[usize], usize),
    widths: &[usize],
    settings: Settings,
    (device, rng): (&Device, SeededRng),
) -> anyhow::Result<f64> {
    let batcher = |indices: &[usize]| {
        Batcher::new(
            select_rows(&clips.features, LOG_MEL.width(), indices),
            LOG_MEL.width(),
            indices.iter().map(|&i| labels[i]).collect(),
            settings.batch_size,
        )
    };
    let (train_set, validation, test) =
        (batcher(&clips.train)?, batcher(&clips.validation)?, batcher(&clips.test)?);
    let model = SupervisedCnn { cnn: Cnn::with_widths(widths, classes, device) };
    let trained = train(model, (&train_set, &validation), settings, (device, rng))?;
    let predicted = predict(&trained.model, &test, device);
    Ok(dl4mir_eval::classification::accuracy(&test.labels(), &predicted)?)
}

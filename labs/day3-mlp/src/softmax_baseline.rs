//! Day 2's softmax regression on the same inputs and the same split: what the hidden
//! layer adds over a linear model.

use crate::notes::Notes;
use crate::split::Split;
use day2_regression::softmax;
use ndarray::Array2;

/// Full-batch gradient descent steps and their size (the inputs are standardised).
pub const STEPS: usize = 300;
pub const LR: f64 = 0.1;

/// Test accuracy of softmax regression trained on the split's training notes.
pub fn test_accuracy(notes: &Notes, split: &Split) -> anyhow::Result<f64> {
    let matrix = |indices: &[usize]| -> anyhow::Result<Array2<f64>> {
        let values = dl4mir_train::select_rows(&notes.features, notes.width, indices)
            .into_iter()
            .map(f64::from)
            .collect();
        Ok(Array2::from_shape_vec((indices.len(), notes.width), values)?)
    };
    let (model, _) =
        softmax::train(&matrix(&split.train)?, &notes.labels_of(&split.train), notes.names.len(), LR, STEPS)?;
    let predicted = model.predict(&matrix(&split.test)?)?;
    Ok(dl4mir_eval::classification::accuracy(&notes.labels_of(&split.test), &predicted)?)
}

//! The contrastive loss of CLIP and MusCALL (InfoNCE in both directions): in a batch of B
//! matching (audio, text) pairs, each audio embedding must pick its own caption out of the
//! B captions, a B-way softmax classification whose right class is the diagonal, and each
//! caption its own clip; the loss is the mean of the two cross-entropies.

use burn::prelude::*;
use burn::tensor::activation::log_softmax;

// ANCHOR: loss
/// `audio`, `text`: `[batch, d]`, each row of unit length; `scale`: the logit scale
/// `exp(logit_scale)` as a `[1]` tensor. The similarity matrix is `scale * audio text^T`.
pub fn contrastive_loss(audio: Tensor<2>, text: Tensor<2>, scale: Tensor<1>) -> Tensor<1> {
    let logits = audio.matmul(text.transpose()) * scale.unsqueeze_dim::<2>(1);
    let audio_to_text = diagonal_cross_entropy(logits.clone());
    let text_to_audio = diagonal_cross_entropy(logits.transpose());
    (audio_to_text + text_to_audio).div_scalar(2.0)
}

/// The mean over rows of `-log softmax(row)[i]` at the row's own index `i`.
fn diagonal_cross_entropy(logits: Tensor<2>) -> Tensor<1> {
    let [n, _] = logits.dims();
    let eye = Tensor::<2>::eye(n, &logits.device());
    (log_softmax(logits, 1) * eye).sum().neg().div_scalar(n as f64)
}
// ANCHOR_END: loss

/// Unit length rows.
pub fn normalise(x: Tensor<2>) -> Tensor<2> {
    let norm = x.clone().powi_scalar(2).sum_dim(1).sqrt().clamp_min(1e-12);
    x / norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    fn tensor(rows: [[f32; 3]; 3], device: &Device) -> Tensor<2> {
        Tensor::from_data(TensorData::new(rows.concat(), [3, 3]), device)
    }

    #[test]
    fn three_by_three_by_hand() {
        let device = Device::flex();
        let one = Tensor::<1>::from_floats([1.0], &device);
        // Orthonormal pairs, scale 1: every row of the similarity matrix is (1, 0, 0) up to
        // order, so each cross-entropy is -log(e / (e + 2)) = log(e + 2) - 1 = 0.5514.
        let eye = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
        let loss = contrastive_loss(tensor(eye, &device), tensor(eye, &device), one.clone());
        let expected = (std::f64::consts::E + 2.0).ln() - 1.0;
        assert!((loss.into_scalar::<f32>() as f64 - expected).abs() < 1e-5);

        // Caption 3 equals caption 1, scale 2. Similarities S = [[1,0,1],[0,1,0],[0,0,0]],
        // logits 2S. Audio to text, rows: clip 1 picks caption 1 from (2, 0, 2):
        // -log(e^2 / (2e^2 + 1)); clip 2 from (0, 2, 0): -log(e^2 / (e^2 + 2)); clip 3
        // from (0, 0, 0): log 3. Text to audio uses the columns: caption 1 from (2, 0, 0),
        // caption 2 from (0, 2, 0), both -log(e^2 / (e^2 + 2)); caption 3 from (2, 0, 0)
        // picking clip 3: -log(1 / (e^2 + 2)).
        let text = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]];
        let two = Tensor::<1>::from_floats([2.0], &device);
        let loss = contrastive_loss(tensor(eye, &device), tensor(text, &device), two);
        let e2 = 2.0f64.exp();
        let audio_to_text =
            ((2.0 * e2 + 1.0) / e2).ln() + ((e2 + 2.0) / e2).ln() + 3.0f64.ln();
        let text_to_audio = 2.0 * ((e2 + 2.0) / e2).ln() + (e2 + 2.0).ln();
        let expected = (audio_to_text / 3.0 + text_to_audio / 3.0) / 2.0;
        assert!((loss.into_scalar::<f32>() as f64 - expected).abs() < 1e-5, "{expected}");
    }

    #[test]
    fn normalised_rows_have_unit_length() {
        let device = Device::flex();
        let x = normalise(Tensor::<2>::from_floats([[3.0, 4.0], [0.0, 2.0]], &device));
        let values: Vec<f32> = x.into_data().iter::<f32>().collect();
        assert_eq!(values, [0.6, 0.8, 0.0, 1.0]);
    }
}

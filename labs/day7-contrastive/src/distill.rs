//! Part 4: Wav2CLIP's idea. Wav2CLIP trains an audio encoder into CLIP's frozen image space
//! with CLIP's own contrastive loss (not a regression onto the embeddings). Here the frozen
//! space is part 1's text tower: a second audio tower, trained from scratch, learns to land
//! where the captions already are; its retrieval is then compared with the jointly
//! trained tower's.

use crate::loss::contrastive_loss;
use crate::model::{AudioTower, TextTower, clamped, initial_scale, temperature_of};
use crate::text::TokenBatch;
use crate::training::Contrastive;
use burn::module::Param;
use burn::prelude::*;

/// A new audio tower and its own logit scale (Wav2CLIP learns one too), beside a frozen
/// text tower that no optimiser step reaches.
#[derive(Module, Debug)]
pub struct Student {
    pub audio: AudioTower,
    pub logit_scale: Param<Tensor<1>>,
    /// Evaluation mode, without autodiff: frozen.
    #[module(skip)]
    pub frozen_text: TextTower,
}

impl Student {
    pub fn new(audio: AudioTower, frozen_text: &TextTower, device: &Device) -> Self {
        Self { audio, logit_scale: initial_scale(device), frozen_text: frozen_text.valid() }
    }
}

// ANCHOR: student
impl Contrastive for Student {
    fn batch_loss(&self, log_mels: Tensor<3>, tokens: &TokenBatch) -> Tensor<1> {
        let device = log_mels.device();
        let inference = device.clone().without_autodiff();
        let frozen_tokens = TokenBatch {
            ids: Tensor::from_data(tokens.ids.to_data(), &inference),
            ends: tokens.ends.clone(),
        };
        // The captions' places in the frozen space: constants for this step.
        let text =
            Tensor::from_data(self.frozen_text.embed(&frozen_tokens).into_data(), &device);
        contrastive_loss(self.audio.embed(log_mels), text, self.logit_scale.val().exp())
    }
    fn after_step(self) -> Self {
        Self { logit_scale: clamped(self.logit_scale), ..self }
    }
    fn temperature(&self) -> f64 {
        temperature_of(&self.logit_scale)
    }
}
// ANCHOR_END: student

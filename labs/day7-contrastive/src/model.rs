//! Two encoders, one space (MusCALL, after CLIP): Day 5's CNN reads the log-mel, the text
//! encoder the caption; each is followed by a bias-free linear projection into a shared
//! space and L2-normalised; a learned temperature scales their cosine similarities.

use crate::loss::{contrastive_loss, normalise};
use crate::text::{TextConfig, TextEncoder, TokenBatch};
use burn::module::Param;
use burn::nn::{Linear, LinearConfig};
use burn::prelude::*;
use day5_cnn_gru_attention::cnn::Cnn;

/// MusCALL's (and CLIP's) initial logit scale: a temperature of 0.07.
pub fn initial_logit_scale() -> f64 {
    (1.0f64 / 0.07).ln()
}

/// The logit scale is kept at or below log 100 after every step, as MusCALL's trainer
/// (and CLIP's) clamps it: past a scale of 100 the softmax is nearly one-hot and the loss
/// can fall by growing the scale alone.
pub const MAX_LOGIT_SCALE: f64 = 4.605_170_185_988_092; // ln 100

#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct TowersConfig {
    /// Day 5's CNN block widths (input channel first).
    pub cnn_widths: [usize; 4],
    /// The CNN's output (its linear head) before the projection.
    pub audio_width: usize,
    pub text: TextConfig,
    /// The shared space.
    pub shared: usize,
}

#[derive(Module, Debug)]
pub struct Towers {
    pub audio: Cnn,
    pub audio_projection: Linear,
    pub text: TextEncoder,
    pub text_projection: Linear,
    pub logit_scale: Param<Tensor<1>>,
}

impl TowersConfig {
    pub fn init(&self, device: &Device) -> Towers {
        let projection =
            |d_in| LinearConfig::new(d_in, self.shared).with_bias(false).init(device);
        Towers {
            audio: Cnn::with_widths(&self.cnn_widths, self.audio_width, device),
            audio_projection: projection(self.audio_width),
            text: self.text.init(device),
            text_projection: projection(self.text.width),
            logit_scale: Param::from_tensor(Tensor::from_floats(
                [initial_logit_scale() as f32],
                device,
            )),
        }
    }
}

// ANCHOR: towers
impl Towers {
    /// `[batch, mels, frames]` -> unit vectors `[batch, shared]`.
    pub fn embed_audio(&self, log_mels: Tensor<3>) -> Tensor<2> {
        normalise(self.audio_projection.forward(self.audio.forward(log_mels)))
    }

    /// Captions -> unit vectors `[batch, shared]`.
    pub fn embed_text(&self, tokens: &TokenBatch) -> Tensor<2> {
        normalise(self.text_projection.forward(self.text.forward(tokens)))
    }

    /// The loss of a batch of matching pairs.
    pub fn loss(&self, log_mels: Tensor<3>, tokens: &TokenBatch) -> Tensor<1> {
        let scale = self.logit_scale.val().exp();
        contrastive_loss(self.embed_audio(log_mels), self.embed_text(tokens), scale)
    }

    /// MusCALL's clamp, applied after each optimiser step.
    pub fn clamp_logit_scale(self) -> Self {
        let logit_scale =
            self.logit_scale.map(|s| s.clamp_max(MAX_LOGIT_SCALE).detach().require_grad());
        Self { logit_scale, ..self }
    }

    pub fn temperature(&self) -> f64 {
        1.0 / (self.logit_scale.val().into_scalar::<f32>() as f64).exp()
    }
}
// ANCHOR_END: towers

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

/// Day 5's CNN and a bias-free projection into the shared space.
#[derive(Module, Debug)]
pub struct AudioTower {
    cnn: Cnn,
    projection: Linear,
}

/// The text encoder and a bias-free projection into the shared space.
#[derive(Module, Debug)]
pub struct TextTower {
    encoder: TextEncoder,
    projection: Linear,
}

/// Both towers and the learned logit scale.
#[derive(Module, Debug)]
pub struct Towers {
    pub audio: AudioTower,
    pub text: TextTower,
    pub logit_scale: Param<Tensor<1>>,
}

impl TowersConfig {
    fn projection(&self, d_in: usize, device: &Device) -> Linear {
        LinearConfig::new(d_in, self.shared).with_bias(false).init(device)
    }

    pub fn audio_tower(&self, device: &Device) -> AudioTower {
        AudioTower {
            cnn: Cnn::with_widths(&self.cnn_widths, self.audio_width, device),
            projection: self.projection(self.audio_width, device),
        }
    }

    pub fn init(&self, device: &Device) -> Towers {
        Towers {
            audio: self.audio_tower(device),
            text: TextTower {
                encoder: self.text.init(device),
                projection: self.projection(self.text.width, device),
            },
            logit_scale: initial_scale(device),
        }
    }
}

/// `log(1 / 0.07)`, learned.
pub fn initial_scale(device: &Device) -> Param<Tensor<1>> {
    Param::from_tensor(Tensor::from_floats([initial_logit_scale() as f32], device))
}

/// MusCALL's clamp, applied after each optimiser step (a new leaf: the clamp itself is
/// not part of any graph).
pub fn clamped(scale: Param<Tensor<1>>) -> Param<Tensor<1>> {
    scale.map(|s| s.clamp_max(MAX_LOGIT_SCALE).detach().require_grad())
}

/// `1 / exp(logit_scale)`.
pub fn temperature_of(scale: &Param<Tensor<1>>) -> f64 {
    1.0 / (scale.val().into_scalar::<f32>() as f64).exp()
}

// ANCHOR: towers
impl AudioTower {
    /// `[batch, mels, frames]` -> unit vectors `[batch, shared]`.
    pub fn embed(&self, log_mels: Tensor<3>) -> Tensor<2> {
        normalise(self.projection.forward(self.cnn.forward(log_mels)))
    }
}

impl TextTower {
    /// Captions -> unit vectors `[batch, shared]`.
    pub fn embed(&self, tokens: &TokenBatch) -> Tensor<2> {
        normalise(self.projection.forward(self.encoder.forward(tokens)))
    }
}

impl Towers {
    /// The loss of a batch of matching pairs.
    pub fn loss(&self, log_mels: Tensor<3>, tokens: &TokenBatch) -> Tensor<1> {
        let scale = self.logit_scale.val().exp();
        contrastive_loss(self.audio.embed(log_mels), self.text.embed(tokens), scale)
    }
}
// ANCHOR_END: towers

impl Towers {
    pub fn clamp_logit_scale(self) -> Self {
        Self { logit_scale: clamped(self.logit_scale), ..self }
    }

    pub fn temperature(&self) -> f64 {
        temperature_of(&self.logit_scale)
    }
}

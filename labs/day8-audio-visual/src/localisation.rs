//! Which pixels sound? Maps from the separation model (each pixel's own mask, and how much
//! of the mixture it keeps), from the picture alone (the object prior), from motion, and
//! their products; each scored as "How to Listen?" scores them.

use crate::model::AudioVisual;
use crate::motion;
use crate::scenes::{FRAMES as VIDEO_FRAMES, Scene, mixture};
use crate::sources::{Notes, envelope};
use crate::spectra::{FRAMES, WARPED};
use crate::sprites::{FRAME_VALUES, SIZE};
use crate::training::{Analysed, add_room_tone};
use burn::prelude::*;
use burn::tensor::TensorData;
use burn::tensor::activation::sigmoid;
use dl4mir_eval::localisation::{clean_map, iou, summary};

/// The image CNN's map is `GRID x GRID` cells (one per 4 x 4 pixels).
const GRID: usize = SIZE / 4;

/// The localisers compared, in the order of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every pixel sounds: the floor.
    WholeFrame,
    /// Sound of Pixels' pixel-wise masks: how much of the mixture each pixel's mask keeps.
    AudioVisual,
    /// An object prior after EZ-VSL's, audio-free: how far each pixel's visual features are
    /// from the frame's typical ones.
    ObjectPrior,
    /// Flowgrad's "motion alone": motion energy.
    Motion,
    /// Flowgrad's product of a localisation map and motion.
    AudioVisualTimesMotion,
    /// Ours: synchrony of motion with the sound's loudness.
    Synchrony,
    /// Ours: the audio-visual map times synchrony.
    AudioVisualTimesSynchrony,
    /// Every sprite's true mask, sounding or not: the best any audio-free method can do.
    EverySprite,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::WholeFrame,
        Method::ObjectPrior,
        Method::EverySprite,
        Method::Motion,
        Method::Synchrony,
        Method::AudioVisual,
        Method::AudioVisualTimesMotion,
        Method::AudioVisualTimesSynchrony,
    ];

    /// Its key in `metrics.json`.
    pub fn key(self) -> &'static str {
        match self {
            Method::WholeFrame => "whole_frame",
            Method::AudioVisual => "audio_visual",
            Method::ObjectPrior => "object_prior",
            Method::Motion => "motion",
            Method::AudioVisualTimesMotion => "audio_visual_x_motion",
            Method::Synchrony => "synchrony",
            Method::AudioVisualTimesSynchrony => "audio_visual_x_synchrony",
            Method::EverySprite => "every_sprite",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::WholeFrame => "whole frame (floor)",
            Method::AudioVisual => "audio-visual (Sound of Pixels)",
            Method::ObjectPrior => "object prior (no audio)",
            Method::Motion => "motion alone",
            Method::AudioVisualTimesMotion => "audio-visual x motion (Flowgrad)",
            Method::Synchrony => "synchrony (ours)",
            Method::AudioVisualTimesSynchrony => "audio-visual x synchrony (ours)",
            Method::EverySprite => "every sprite's true mask",
        }
    }
}

/// The maps of one scene, `SIZE * SIZE` each, in [`Method::ALL`] order.
pub struct SceneMaps {
    pub maps: Vec<Vec<f64>>,
    pub truth: Vec<f64>,
}

impl SceneMaps {
    pub fn of(&self, method: Method) -> &[f64] {
        &self.maps
            [Method::ALL.iter().position(|&m| m == method).expect("every method has a map")]
    }
}

// ANCHOR: audio_visual_map
/// The audio-visual and object-prior maps of `scenes`, on the `GRID x GRID` cells.
///
/// Audio-visual: each cell's mask is applied to the mixture (Sound of Pixels'
/// `forward_pixelwise`), and the share of the mixture's magnitude it keeps is the cell's
/// claim; the map is each cell's claim above the frame's median claim (ours: the
/// background's features were never trained to claim nothing, max-pooling ignores them).
///
/// Object prior: each cell's feature vector's distance from the frame's median vector,
/// which the background dominates (ours, after EZ-VSL's object prior, which reads the
/// activations of an ImageNet network trained to respond to objects).
fn model_maps(
    model: &AudioVisual,
    analysed: &[Analysed],
    scenes: &[Scene],
    device: &Device,
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let b = scenes.len();
    let cells = WARPED * FRAMES;
    let log_mix: Vec<f32> = analysed.iter().flat_map(Analysed::log_input).collect();
    let mix: Vec<f32> = analysed.iter().flat_map(|a| a.warped_mix.iter().copied()).collect();
    let frames: Vec<f32> = scenes.iter().flat_map(|s| s.frame(0)).collect();
    let sound = model
        .sound
        .forward(Tensor::from_data(TensorData::new(log_mix, [b, 1, WARPED, FRAMES]), device));
    let frames = Tensor::from_data(TensorData::new(frames, [b, 3, SIZE, SIZE]), device);
    let pixels = model.frame.per_pixel(frames); // [b, GRID^2, K]
    // [b, GRID^2, cells]
    let masks = sigmoid(model.synthesizer.per_pixel(pixels.clone(), sound));
    let mix = Tensor::<3>::from_data(TensorData::new(mix, [b, 1, cells]), device);
    let claims = (masks * mix.clone()).sum_dim(2) / mix.sum_dim(2);
    let host =
        |t: Tensor<3>| -> Vec<f64> { t.into_data().iter::<f32>().map(f64::from).collect() };
    let claims = host(claims);
    let features = host(pixels);
    let channels = features.len() / (b * GRID * GRID);
    let audio_visual = claims
        .chunks(GRID * GRID)
        .map(|claim| {
            let background = median(claim.to_vec());
            claim.iter().map(|c| (c - background).max(0.0)).collect()
        })
        .collect();
    let objects = features
        .chunks(GRID * GRID * channels)
        .map(|frame| {
            let typical: Vec<f64> = (0..channels)
                .map(|k| median(frame.iter().skip(k).step_by(channels).copied().collect()))
                .collect();
            frame
                .chunks(channels)
                .map(|f| {
                    f.iter().zip(&typical).map(|(a, m)| (a - m) * (a - m)).sum::<f64>().sqrt()
                })
                .collect()
        })
        .collect();
    (audio_visual, objects)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
// ANCHOR_END: audio_visual_map

/// Every map of every scene, with its truth.
pub fn maps(
    model: &AudioVisual,
    scenes: &[Scene],
    notes: &Notes,
    device: &Device,
) -> anyhow::Result<Vec<SceneMaps>> {
    let mut out = Vec::with_capacity(scenes.len());
    for chunk in scenes.chunks(16) {
        let mixes: Vec<(Vec<f32>, Vec<Vec<f32>>)> = chunk
            .iter()
            .map(|s| {
                let sources = s.sources(notes);
                let mut mix = mixture(&sources);
                add_room_tone(&mut mix, &mut s.sound_rng());
                (mix, sources)
            })
            .collect();
        let analysed = mixes
            .iter()
            .map(|(mix, sources)| Analysed::of(mix, sources))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let (audio_visual, objects) = model_maps(model, &analysed, chunk, device);
        for (j, scene) in chunk.iter().enumerate() {
            let frames = scene.frames();
            debug_assert!(frames.iter().all(|f| f.len() == FRAME_VALUES));
            let changes = motion::changes(&frames);
            let moving = motion::energy(&changes);
            let synchrony = motion::synchrony(&changes, &envelope(&mixes[j].0, VIDEO_FRAMES));
            let av = upsample(&audio_visual[j]);
            let product =
                |other: &[f64]| av.iter().zip(other).map(|(a, b)| a * b).collect::<Vec<f64>>();
            let maps = Method::ALL
                .iter()
                .map(|method| match method {
                    Method::WholeFrame => vec![1.0; SIZE * SIZE],
                    Method::AudioVisual => av.clone(),
                    Method::ObjectPrior => upsample(&objects[j]),
                    Method::Motion => moving.clone(),
                    Method::AudioVisualTimesMotion => product(&moving),
                    Method::Synchrony => synchrony.clone(),
                    Method::AudioVisualTimesSynchrony => product(&synchrony),
                    Method::EverySprite => {
                        scene.mask_of(|_| true).iter().map(|&v| v as f64).collect()
                    }
                })
                .collect();
            let truth = scene.sounding_mask().iter().map(|&v| v as f64).collect();
            out.push(SceneMaps { maps, truth });
        }
    }
    Ok(out)
}

/// cIoU, AUC and the mean IoU of one method over a set of scenes.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Score {
    pub ciou: f64,
    pub auc: f64,
    pub mean_iou: f64,
}

// ANCHOR: score
pub fn score(maps: &[SceneMaps], method: Method) -> anyhow::Result<Score> {
    let ious = maps
        .iter()
        .map(|m| Ok(iou(&clean_map(m.of(method))?, &m.truth)?))
        .collect::<anyhow::Result<Vec<f64>>>()?;
    let s = summary(&ious)?;
    Ok(Score {
        ciou: s.ciou,
        auc: s.auc,
        mean_iou: ious.iter().sum::<f64>() / ious.len() as f64,
    })
}
// ANCHOR_END: score

/// A `GRID x GRID` map to `SIZE x SIZE`, bilinear with half-pixel centres (OpenCV's
/// `resize`, which "How to Listen?" uses), edges held.
pub fn upsample(map: &[f64]) -> Vec<f64> {
    let scale = GRID as f64 / SIZE as f64;
    let at = |i: usize| {
        let p = ((i as f64 + 0.5) * scale - 0.5).clamp(0.0, (GRID - 1) as f64);
        let low = p.floor() as usize;
        (low, (low + 1).min(GRID - 1), p - low as f64)
    };
    (0..SIZE * SIZE)
        .map(|i| {
            let ((x0, x1, tx), (y0, y1, ty)) = (at(i % SIZE), at(i / SIZE));
            let row = |y: usize| (1.0 - tx) * map[y * GRID + x0] + tx * map[y * GRID + x1];
            (1.0 - ty) * row(y0) + ty * row(y1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upsampling_keeps_a_constant_and_puts_a_cell_where_it_was() {
        assert!(upsample(&vec![0.3; GRID * GRID]).iter().all(|&v| (v - 0.3).abs() < 1e-12));
        let mut one = vec![0.0; GRID * GRID];
        one[5 * GRID + 7] = 1.0;
        let up = upsample(&one);
        let peak = (0..SIZE * SIZE).max_by(|&a, &b| up[a].total_cmp(&up[b])).unwrap();
        let (x, y) = (peak % SIZE, peak / SIZE);
        assert!((28..32).contains(&x) && (20..24).contains(&y), "peak at {x},{y}");
    }
}

//! WAV files for the book: 16-bit, 16 kHz, each scaled to peak 0.9 so that the players sit
//! at one level (a silent output stays silent).

use crate::notes::SR;
use dl4mir_audio::{WavFormat, write_wav};
use std::path::Path;

pub fn write(path: &Path, audio: &[f32]) -> anyhow::Result<()> {
    let peak = audio.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let gain = if peak > 1e-6 { 0.9 / peak } else { 1.0 };
    let scaled: Vec<f32> = audio.iter().map(|v| v * gain).collect();
    write_wav(path, &scaled, SR, WavFormat::Int16)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

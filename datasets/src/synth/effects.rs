//! The 12 effects of EGFxSet as short pieces of DSP. Settings follow the real metadata CSV
//! where it says something (rates of "120 bpm" = 2 Hz LFOs and 0.5 s delays, repeats 0.6,
//! mix 0.5); the rest is chosen by ear to sound like the pedal's family.

use crate::effect::Effect;
use std::f32::consts::PI;

/// Apply `effect` to `x` in place (sample rate `sr`).
pub fn apply(effect: Effect, x: &mut [f32], sr: f32) {
    match effect {
        Effect::Clean => {}
        Effect::BluesDriver => overdrive(x, sr, 6.0, 0.0, 5000.0),
        Effect::TubeScreamer => tube_screamer(x, sr),
        Effect::Rat => hard_clip(x, sr, 30.0, 2200.0),
        Effect::Chorus => modulated_delay(x, sr, 0.015, 0.004, 2.0, 0.0, 0.5),
        Effect::Flanger => modulated_delay(x, sr, 0.002, 0.0018, 2.0, 0.7, 0.5),
        Effect::Phaser => phaser(x, sr, 2.0),
        Effect::DigitalDelay => echo(x, sr, Echo { repeats: 0.6, lowpass_hz: None, wow: 0.0, sweep: false }),
        Effect::TapeEcho => {
            echo(x, sr, Echo { repeats: 0.6, lowpass_hz: Some(2500.0), wow: 0.002, sweep: false })
        }
        Effect::SweepEcho => echo(x, sr, Echo { repeats: 0.6, lowpass_hz: None, wow: 0.0, sweep: true }),
        Effect::HallReverb => reverb(
            x,
            sr,
            Room { size: 1.0, feedback: 0.88, damping: 0.35, predelay: 0.025, mix: 0.4, spring: false },
        ),
        Effect::PlateReverb => reverb(
            x,
            sr,
            Room { size: 0.6, feedback: 0.84, damping: 0.05, predelay: 0.0, mix: 0.4, spring: false },
        ),
        Effect::SpringReverb => reverb(
            x,
            sr,
            Room { size: 0.45, feedback: 0.8, damping: 0.5, predelay: 0.01, mix: 0.4, spring: true },
        ),
    }
}

/// One-pole low-pass coefficient for a cut-off of `hz`.
fn one_pole(hz: f32, sr: f32) -> f32 {
    1.0 - (-2.0 * PI * hz / sr).exp()
}

fn lowpass(x: &mut [f32], sr: f32, hz: f32) {
    let a = one_pole(hz, sr);
    let mut state = 0.0;
    for s in x.iter_mut() {
        state += a * (*s - state);
        *s = state;
    }
}

/// Soft clipping (tanh) of a boosted signal, then a tone low-pass: a mild overdrive.
fn overdrive(x: &mut [f32], sr: f32, gain: f32, asymmetry: f32, tone_hz: f32) {
    for s in x.iter_mut() {
        let v = gain * *s + asymmetry;
        *s = 0.5 * (v.tanh() - asymmetry.tanh());
    }
    lowpass(x, sr, tone_hz);
}

/// The Tube Screamer's mid hump: only the mids are clipped (asymmetrically), the bass
/// passes clean.
fn tube_screamer(x: &mut [f32], sr: f32) {
    let mut lows = x.to_vec();
    lowpass(&mut lows, sr, 720.0);
    for (s, low) in x.iter_mut().zip(&lows) {
        *s -= low; // the high-passed part goes into the clipper
    }
    overdrive(x, sr, 20.0, 0.3, 3200.0);
    for (s, low) in x.iter_mut().zip(&lows) {
        *s += 0.5 * low;
    }
}

/// Hard clipping with a tone filter: the RAT's fuzzier edge.
fn hard_clip(x: &mut [f32], sr: f32, gain: f32, tone_hz: f32) {
    for s in x.iter_mut() {
        *s = 0.4 * (gain * *s).clamp(-1.0, 1.0);
    }
    lowpass(x, sr, tone_hz);
}

/// Read a delay line at a fractional delay (linear interpolation).
fn read_delay(line: &[f32], write: usize, delay: f32) -> f32 {
    let len = line.len();
    let position = write as f32 - delay + len as f32;
    let i = position.floor();
    let frac = position - i;
    let (a, b) = (line[i as usize % len], line[(i as usize + 1) % len]);
    a + frac * (b - a)
}

/// Chorus (long delay, no feedback) and flanger (short delay, feedback): a delay swept by
/// a sine LFO, mixed with the dry signal.
fn modulated_delay(x: &mut [f32], sr: f32, centre: f32, depth: f32, rate_hz: f32, feedback: f32, mix: f32) {
    let mut line = vec![0.0f32; ((centre + depth) * sr) as usize + 4];
    for (n, s) in x.iter_mut().enumerate() {
        let write = n % line.len();
        let delay = (centre + depth * (2.0 * PI * rate_hz * n as f32 / sr).sin()) * sr;
        let wet = read_delay(&line, write, delay);
        line[write] = *s + feedback * wet;
        *s = (1.0 - mix) * *s + mix * wet;
    }
}

/// Four first-order all-passes whose break frequency an LFO sweeps from 300 Hz to 2 kHz;
/// mixed with the dry signal they cut moving notches.
fn phaser(x: &mut [f32], sr: f32, rate_hz: f32) {
    let mut states = [(0.0f32, 0.0f32); 4];
    let mut feedback = 0.0f32;
    for (n, s) in x.iter_mut().enumerate() {
        let lfo = 0.5 + 0.5 * (2.0 * PI * rate_hz * n as f32 / sr).sin();
        let hz = 300.0 * (2000.0f32 / 300.0).powf(lfo);
        let t = (PI * hz / sr).tan();
        let a = (t - 1.0) / (t + 1.0);
        let mut v = *s + 0.3 * feedback;
        for (x1, y1) in states.iter_mut() {
            let y = a * v + *x1 - a * *y1;
            (*x1, *y1) = (v, y);
            v = y;
        }
        feedback = v;
        *s = 0.5 * (*s + v);
    }
}

/// Settings of [`echo`].
struct Echo {
    repeats: f32,
    lowpass_hz: Option<f32>,
    /// Tape wow: delay-time wobble in seconds.
    wow: f32,
    /// A band-pass swept at 2 Hz in the feedback path (the DL4's "sweep echo").
    sweep: bool,
}

/// A 0.5 s echo (a quarter note at 120 bpm) with feedback; tape adds a darker loop and wow.
fn echo(x: &mut [f32], sr: f32, settings: Echo) {
    let delay = 0.5 * sr;
    let mut line = vec![0.0f32; (delay + settings.wow * sr) as usize + 4];
    let a = settings.lowpass_hz.map(|hz| one_pole(hz, sr));
    let (mut lp, mut band, mut low) = (0.0f32, 0.0f32, 0.0f32);
    for (n, s) in x.iter_mut().enumerate() {
        let write = n % line.len();
        let t = n as f32 / sr;
        let wet = read_delay(&line, write, delay + settings.wow * sr * (2.0 * PI * 0.7 * t).sin());
        let mut back = wet;
        if let Some(a) = a {
            lp += a * (back - lp);
            back = (1.2 * lp).tanh() / 1.2; // tape saturates a little
        }
        if settings.sweep {
            // Chamberlin state-variable filter, centre swept 400 Hz - 3 kHz at 2 Hz.
            let hz = 400.0 * 7.5f32.powf(0.5 + 0.5 * (2.0 * PI * 2.0 * t).sin());
            let f = 2.0 * (PI * hz / sr).sin();
            low += f * band;
            let high = back - low - 0.5 * band;
            band += f * high;
            back = 1.5 * band;
        }
        line[write] = *s + settings.repeats * back;
        *s = 0.5 * *s + 0.5 * wet;
    }
}

/// Settings of [`reverb`].
struct Room {
    /// Scales the delay lengths (bigger = larger room).
    size: f32,
    /// Comb feedback: the decay time.
    feedback: f32,
    /// High-frequency loss per reflection.
    damping: f32,
    /// Seconds before the reverb starts.
    predelay: f32,
    mix: f32,
    /// Add a spring's dispersion: a chain of all-passes that makes echoes "chirp".
    spring: bool,
}

/// A Schroeder/Freeverb reverb: eight damped feedback combs in parallel, four all-passes
/// in series (Freeverb's delay lengths, tuned at 44.1 kHz, scaled to `sr` and the room).
fn reverb(x: &mut [f32], sr: f32, room: Room) {
    const COMBS: [f32; 8] = [1116.0, 1188.0, 1277.0, 1356.0, 1422.0, 1491.0, 1557.0, 1617.0];
    const ALLPASSES: [f32; 4] = [556.0, 441.0, 341.0, 225.0];
    let scale = sr / 44_100.0 * room.size;
    let mut combs: Vec<(Vec<f32>, usize, f32)> =
        COMBS.iter().map(|&l| (vec![0.0; (l * scale) as usize], 0, 0.0)).collect();
    let mut allpasses: Vec<(Vec<f32>, usize)> =
        ALLPASSES.iter().map(|&l| (vec![0.0; ((l * scale) as usize).max(1)], 0)).collect();
    let mut dispersion = [(0.0f32, 0.0f32); 12];
    let predelay = (room.predelay * sr) as usize;
    let dry = x.to_vec();
    for n in 0..x.len() {
        let input = if n >= predelay { 0.015 * dry[n - predelay] } else { 0.0 };
        let mut wet = 0.0;
        for (line, idx, filter) in combs.iter_mut() {
            let out = line[*idx];
            *filter = out * (1.0 - room.damping) + *filter * room.damping;
            line[*idx] = input + room.feedback * *filter;
            *idx = (*idx + 1) % line.len();
            wet += out;
        }
        for (line, idx) in allpasses.iter_mut() {
            let delayed = line[*idx];
            line[*idx] = wet + 0.5 * delayed;
            wet = delayed - wet;
            *idx = (*idx + 1) % line.len();
        }
        if room.spring {
            for (x1, y1) in dispersion.iter_mut() {
                let y = -0.6 * wet + *x1 + 0.6 * *y1;
                (*x1, *y1) = (wet, y);
                wet = y;
            }
        }
        x[n] = (1.0 - room.mix) * dry[n] + room.mix * wet;
    }
}

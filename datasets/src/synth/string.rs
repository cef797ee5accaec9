//! A plucked guitar string: Karplus-Strong with a fractional delay, a pluck position and a
//! pickup position, after Jaffe & Smith, "Extensions of the Karplus-Strong plucked-string
//! algorithm" (1983).

use rand_chacha::ChaCha8Rng;
use rand_core::Rng;

/// Where the pickups sit, as a fraction of the scale length from the bridge (a 648 mm
/// Stratocaster: bridge 41 mm, middle 101 mm, neck 160 mm).
pub const BRIDGE: f32 = 0.063;
pub const MIDDLE: f32 = 0.156;
pub const NECK: f32 = 0.247;

/// A uniform number in [0, 1) from the generator.
pub fn uniform(rng: &mut ChaCha8Rng) -> f32 {
    (rng.next_u32() >> 8) as f32 / (1u32 << 24) as f32
}

/// `n` samples of a string at `f0` Hz, plucked at a fraction `pluck_at` of its length and
/// heard through the pickups at `pickups` (several are averaged, as a Strat's in-between
/// positions do).
pub fn pluck(f0: f32, sr: f32, n: usize, pluck_at: f32, pickups: &[f32], rng: &mut ChaCha8Rng) -> Vec<f32> {
    // Loop delay = buffer (N) + averaging filter (1/2) + allpass (d) = one period.
    let period = sr / f0;
    let buffer_len = (period - 0.5 - 0.1).floor().max(2.0) as usize;
    let d = period - 0.5 - buffer_len as f32;
    let c = (1.0 - d) / (1.0 + d); // first-order allpass with delay ~d at low frequency

    // Low notes ring for ~4 s, high ones less; rho is the loop gain per period.
    let t60 = 4.0 * (82.4 / f0).powf(0.35);
    let rho = 10f32.powf(-3.0 / (t60 * f0));

    // Excitation: a noise burst, smoothed (a finger, not a pick), with the pluck position's
    // comb (modes with a node at the plucking point are not excited).
    let mut line: Vec<f32> = (0..buffer_len).map(|_| uniform(rng) * 2.0 - 1.0).collect();
    for i in 1..buffer_len {
        line[i] = 0.6 * line[i] + 0.4 * line[i - 1];
    }
    let pluck_delay = ((pluck_at * buffer_len as f32).round() as usize).max(1);
    let excitation: Vec<f32> = (0..buffer_len)
        .map(|i| line[i] - if i >= pluck_delay { line[i - pluck_delay] } else { 0.0 })
        .collect();
    line.copy_from_slice(&excitation);

    let mut string = Vec::with_capacity(n);
    let (mut idx, mut previous, mut ap_in, mut ap_out) = (0usize, 0.0f32, 0.0f32, 0.0f32);
    for _ in 0..n {
        let x = line[idx];
        string.push(x);
        let averaged = rho * 0.5 * (x + previous);
        previous = x;
        let y = c * averaged + ap_in - c * ap_out;
        (ap_in, ap_out) = (averaged, y);
        line[idx] = y;
        idx = (idx + 1) % buffer_len;
    }

    // A pickup at fraction p hears y[n] - y[n - p * period]: modes with a node there vanish.
    let mut out = vec![0.0f32; n];
    for &p in pickups {
        let lag = ((p * period).round() as usize).max(1);
        for i in 0..n {
            out[i] += (string[i] - if i >= lag { string[i - lag] } else { 0.0 }) / pickups.len() as f32;
        }
    }
    out
}

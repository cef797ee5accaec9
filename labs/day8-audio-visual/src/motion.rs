//! Motion as a cue. Flowgrad multiplies a localisation map by the magnitude of the optical
//! flow; ours is the simplest stand-in, motion energy: how much each pixel changes from
//! frame to frame, smoothed over its neighbours. And our own localiser, named as ours:
//! synchrony, how much of each pixel's motion over time goes with the sound's loudness
//! changes.

use crate::sprites::SIZE;

/// Half the side of the box filter that spreads a change over its neighbours (pixels): a
/// flow field is smooth; frame differences of a striped sprite are patchy.
const SMOOTHING: usize = 2;

/// Per pixel, per step between frames: the summed absolute change of the three channels,
/// box-filtered. `[frames - 1][SIZE * SIZE]`.
pub fn changes(frames: &[Vec<f32>]) -> Vec<Vec<f64>> {
    let plane = SIZE * SIZE;
    frames
        .windows(2)
        .map(|pair| {
            let raw: Vec<f64> = (0..plane)
                .map(|i| {
                    (0..3)
                        .map(|c| {
                            (pair[1][c * plane + i] - pair[0][c * plane + i]).abs() as f64
                        })
                        .sum()
                })
                .collect();
            box_filter(&raw)
        })
        .collect()
}

// ANCHOR: motion
/// Motion energy: every step's change, summed (Flowgrad's "motion alone" baseline).
pub fn energy(changes: &[Vec<f64>]) -> Vec<f64> {
    let mut total = vec![0.0; SIZE * SIZE];
    for step in changes {
        total.iter_mut().zip(step).for_each(|(t, c)| *t += c);
    }
    total
}

/// Ours: how much of each pixel's change, step by step, goes with the changes of the
/// sound's loudness envelope: the slope of the pixel's changes regressed on the sound's
/// (negative slopes count as none). A slope, not a correlation: sensor noise correlates
/// with anything by chance over a few steps, but its changes are small.
pub fn synchrony(changes: &[Vec<f64>], loudness: &[f32]) -> Vec<f64> {
    let sound: Vec<f64> = loudness.windows(2).map(|w| (w[1] - w[0]).abs() as f64).collect();
    assert_eq!(sound.len(), changes.len(), "one loudness change per step between frames");
    (0..SIZE * SIZE)
        .map(|i| {
            let pixel: Vec<f64> = changes.iter().map(|step| step[i]).collect();
            slope(&sound, &pixel).max(0.0)
        })
        .collect()
}
// ANCHOR_END: motion

/// The least-squares slope of `y` on `x`, 0 where `x` is constant.
pub fn slope(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
    }
    if sxx <= 1e-12 { 0.0 } else { sxy / sxx }
}

/// The mean over the `(2 SMOOTHING + 1)^2` box around each pixel (what of it is inside the
/// frame).
fn box_filter(map: &[f64]) -> Vec<f64> {
    let r = SMOOTHING as isize;
    let size = SIZE as isize;
    (0..SIZE * SIZE)
        .map(|i| {
            let (x, y) = ((i % SIZE) as isize, (i / SIZE) as isize);
            let (mut sum, mut count) = (0.0, 0.0);
            for yy in (y - r).max(0)..=(y + r).min(size - 1) {
                for xx in (x - r).max(0)..=(x + r).min(size - 1) {
                    sum += map[(yy * size + xx) as usize];
                    count += 1.0;
                }
            }
            sum / count
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sprites::FRAME_VALUES;

    /// Frames where only pixel block (10..14, 10..14) changes, by `steps[t]` at step t.
    fn frames_changing(steps: &[f32]) -> Vec<Vec<f32>> {
        let mut level = 0.0;
        let mut frames = vec![vec![0.0; FRAME_VALUES]];
        for &s in steps {
            level += s;
            let mut frame = vec![0.0; FRAME_VALUES];
            for y in 10..14 {
                for x in 10..14 {
                    frame[y * SIZE + x] = level;
                }
            }
            frames.push(frame);
        }
        frames
    }

    #[test]
    fn motion_energy_is_where_pixels_change() {
        let map = energy(&changes(&frames_changing(&[0.1, 0.2, 0.1])));
        assert!(map[12 * SIZE + 12] > 0.0);
        assert_eq!(map[40 * SIZE + 40], 0.0);
    }

    #[test]
    fn synchrony_follows_the_sound_and_ignores_motion_out_of_time() {
        // The sound's loudness jumps at the second step; one block moves then, one at the first.
        let loudness = [0.0, 0.0, 1.0, 1.0];
        let in_time = changes(&frames_changing(&[0.0, 0.3, 0.0]));
        let out_of_time = changes(&frames_changing(&[0.3, 0.0, 0.0]));
        let in_time_value = synchrony(&in_time, &loudness)[12 * SIZE + 12];
        assert!(in_time_value > 0.0);
        assert_eq!(synchrony(&out_of_time, &loudness)[12 * SIZE + 12], 0.0);
        // A block moving as much, in time, but by a tenth: a tenth of the synchrony.
        let faint = changes(&frames_changing(&[0.0, 0.03, 0.0]));
        let faint_value = synchrony(&faint, &loudness)[12 * SIZE + 12];
        assert!((faint_value / in_time_value - 0.1).abs() < 1e-6);
    }

    #[test]
    fn slopes_of_known_series() {
        assert!((slope(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]) - 2.0).abs() < 1e-12);
        assert!((slope(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
        assert_eq!(slope(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), 0.0);
    }
}

//! The generated audio-visual scenes: a few sprites in a frame, each a player whose sound
//! is a crop of an EGFxSet note of its effect. Some sound and some are silent; some bounce
//! with a loudness envelope and some stay still, in every combination, so that neither
//! "what is there" nor "what moves" gives the answer by construction. The generator keeps
//! the whole truth: every source, every sprite's mask and box, which sprites sound.

use crate::sources::{Crop, Notes, envelope};
use crate::sprites::{FRAME_VALUES, Look, SIZE, base_hue, draw};
use dl4mir_train::{SeededRng, uniform};
use rand_core::{Rng, SeedableRng};

/// Video frames per scene (one every 1,024 samples, about 11 a second).
pub const FRAMES: usize = 8;
/// How far a moving sprite rises at its loudest, pixels.
pub const LIFT: f32 = 4.0;
/// Sprite radii, pixels (sprites 12 to 18 pixels wide), and the hue jitter, degrees.
const RADIUS: (f32, f32) = (6.0, 9.0);
const HUE_JITTER: f32 = 15.0;

/// One sprite and what it does.
#[derive(Debug, Clone)]
pub struct Player {
    pub look: Look,
    /// Its sound (when it sounds) or the note whose envelope it mimes (when it is a silent
    /// mover): a crop of a note.
    pub crop: Crop,
    pub sounding: bool,
    pub moving: bool,
    /// Pixels up in each frame (zeros for a still sprite).
    pub lifts: Vec<f32>,
}

/// What a scene holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Layout {
    /// One sounding sprite (Sound of Pixels' solo videos; the localisation set where any
    /// object detector wins).
    Solo,
    /// Two or three sprites of different effect families, at least one sounding and one
    /// silent.
    Crowd,
    /// Two sprites of one effect, one sounding and one silent: "How to Listen?"'s test that
    /// looking cannot pass, since the two look alike.
    Twins,
}

#[derive(Debug, Clone)]
pub struct Scene {
    pub players: Vec<Player>,
    /// Seeds the sensor noise of the frames, so a frame drawn twice is the same frame.
    noise_seed: u64,
}

impl Scene {
    /// Draw a scene from the notes `pool` (the training or the test notes).
    pub fn draw(layout: Layout, notes: &Notes, pool: &[usize], rng: &mut SeededRng) -> Self {
        let classes = notes.classes_among(pool);
        let count = match layout {
            Layout::Solo => 1,
            Layout::Crowd => 2 + (rng.next_u32() % 2) as usize,
            Layout::Twins => 2,
        };
        let families = match layout {
            Layout::Twins => vec![pick_distinct(&classes, 1, rng)[0]; 2],
            _ => pick_distinct(&classes, count, rng),
        };
        let sounding = match layout {
            Layout::Solo => vec![true],
            Layout::Crowd | Layout::Twins => sounding_flags(count, rng),
        };
        let places = place(count, rng);
        let mut players: Vec<Player> = families
            .iter()
            .zip(sounding)
            .zip(places)
            .map(|((&family, sounding), (centre, radius))| {
                let of_family: Vec<usize> = pool
                    .iter()
                    .copied()
                    .filter(|&i| notes.effect[i].effect_type() == family)
                    .collect();
                let note = of_family[rng.next_u32() as usize % of_family.len()];
                let effect = notes.effect[note];
                // A silent mover mimes another note of the pool, of any effect.
                let mimed = pool[rng.next_u32() as usize % pool.len()];
                let crop = Crop::draw(if sounding { note } else { mimed }, rng);
                let moving = rng.next_u32().is_multiple_of(2);
                let lifts = if moving {
                    envelope(&crop.samples(notes), FRAMES).iter().map(|e| LIFT * e).collect()
                } else {
                    vec![0.0; FRAMES]
                };
                let look = Look {
                    effect,
                    centre,
                    radius,
                    hue: base_hue(effect) + HUE_JITTER * (2.0 * uniform(rng) - 1.0),
                    stripe_phase: 4.0 * uniform(rng),
                };
                Player { look, crop, sounding, moving, lifts }
            })
            .collect();
        if layout == Layout::Twins {
            make_twins(&mut players);
        }
        Scene { players, noise_seed: rng.next_u64() }
    }

    /// Frame `t` (`[3, SIZE, SIZE]`).
    pub fn frame(&self, t: usize) -> Vec<f32> {
        let mut rng = SeededRng::seed_from_u64(self.noise_seed.wrapping_add(t as u64));
        let mut bytes = vec![0u8; 4 * FRAME_VALUES];
        rng.fill_bytes(&mut bytes);
        // 24 random bits per value, as `uniform` takes them.
        let noise: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| {
                (u32::from_le_bytes([b[0], b[1], b[2], b[3]]) >> 8) as f32
                    / (1u32 << 24) as f32
            })
            .collect();
        let sprites: Vec<(&Look, f32)> =
            self.players.iter().map(|p| (&p.look, p.lifts[t])).collect();
        draw(&sprites, &noise)
    }

    /// All [`FRAMES`] frames.
    pub fn frames(&self) -> Vec<Vec<f32>> {
        (0..FRAMES).map(|t| self.frame(t)).collect()
    }

    pub fn sounding(&self) -> impl Iterator<Item = &Player> {
        self.players.iter().filter(|p| p.sounding)
    }

    /// The sources of the sounding players, in order, each divided by their number (Sound
    /// of Pixels' `audios /= N`): they sum to the mixture.
    pub fn sources(&self, notes: &Notes) -> Vec<Vec<f32>> {
        let n = self.sounding().count() as f32;
        self.sounding()
            .map(|p| p.crop.samples(notes).iter().map(|v| v / n).collect())
            .collect()
    }

    /// A generator for what else is random about the scene's sound (its room tone), fixed
    /// by the scene.
    pub fn sound_rng(&self) -> SeededRng {
        SeededRng::seed_from_u64(self.noise_seed ^ 0x5eed_50d5)
    }

    /// The union of the masks of the players `keep` keeps, in the first frame (where each
    /// is lifted as its sound is then).
    pub fn mask_of(&self, keep: impl Fn(&Player) -> bool) -> Vec<f32> {
        let mut mask = vec![0.0f32; SIZE * SIZE];
        for player in self.players.iter().filter(|p| keep(p)) {
            for (m, p) in mask.iter_mut().zip(player.look.mask(player.lifts[0])) {
                *m = (*m).max(p);
            }
        }
        mask
    }

    /// The truth of localisation: where the first frame sounds.
    pub fn sounding_mask(&self) -> Vec<f32> {
        self.mask_of(|p| p.sounding)
    }
}

/// The sum of the scenes' sources: what is heard.
pub fn mixture(sources: &[Vec<f32>]) -> Vec<f32> {
    let mut mix = vec![0.0; sources[0].len()];
    for source in sources {
        mix.iter_mut().zip(source).for_each(|(m, s)| *m += s);
    }
    mix
}

/// `count` different classes out of `classes`, in random order.
pub fn pick_distinct<T: Copy>(classes: &[T], count: usize, rng: &mut impl Rng) -> Vec<T> {
    let mut left = classes.to_vec();
    (0..count).map(|_| left.swap_remove(rng.next_u32() as usize % left.len())).collect()
}

/// Twins share the sounding one's effect: the silent one takes its shape and its colour
/// (each keeps its own jitter of the hue).
fn make_twins(players: &mut [Player]) {
    let effect = players.iter().find(|p| p.sounding).expect("a twin sounds").look.effect;
    for player in players {
        let jitter = player.look.hue - base_hue(player.look.effect);
        player.look.effect = effect;
        player.look.hue = base_hue(effect) + jitter;
    }
}

/// For a crowd: one sprite surely sounds, another surely is silent, the rest at even odds.
fn sounding_flags(count: usize, rng: &mut impl Rng) -> Vec<bool> {
    let mut flags: Vec<bool> = (0..count).map(|_| rng.next_u32().is_multiple_of(2)).collect();
    let loud = rng.next_u32() as usize % count;
    let quiet = (loud + 1 + rng.next_u32() as usize % (count - 1)) % count;
    flags[loud] = true;
    flags[quiet] = false;
    flags
}

/// Centres and radii of `count` sprites that never overlap, even when they rise.
fn place(count: usize, rng: &mut impl Rng) -> Vec<((f32, f32), f32)> {
    let size = SIZE as f32;
    loop {
        let mut placed: Vec<((f32, f32), f32)> = Vec::new();
        for _ in 0..100 {
            let radius = RADIUS.0 + uniform(rng) * (RADIUS.1 - RADIUS.0);
            let x = radius + 1.0 + uniform(rng) * (size - 2.0 * radius - 2.0);
            let y = radius + 1.0 + LIFT + uniform(rng) * (size - 2.0 * radius - 2.0 - LIFT);
            let apart = placed.iter().all(|&((px, py), pr)| {
                (x - px).abs() > radius + pr + 1.0 || (y - py).abs() > radius + pr + LIFT + 1.0
            });
            if apart {
                placed.push(((x, y), radius));
                if placed.len() == count {
                    return placed;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::SAMPLES;
    use dl4mir_datasets::Effect;

    /// Two notes of each of five effects, a rising ramp so every crop is audible.
    fn notes() -> Notes {
        let effects =
            [Effect::Clean, Effect::Rat, Effect::Chorus, Effect::TapeEcho, Effect::HallReverb];
        let effect: Vec<Effect> = effects.iter().flat_map(|&e| [e, e]).collect();
        let audio = (0..effect.len())
            .map(|i| (0..11_025).map(|t| ((t + i) % 7) as f32 / 7.0).collect())
            .collect();
        Notes {
            audio,
            string: vec![1; effect.len()],
            train: (0..effect.len()).collect(),
            test: vec![],
            effect,
        }
    }

    fn scenes(layout: Layout, n: usize) -> (Notes, Vec<Scene>) {
        let notes = notes();
        let mut rng = SeededRng::seed_from_u64(7);
        let scenes =
            (0..n).map(|_| Scene::draw(layout, &notes, &notes.train, &mut rng)).collect();
        (notes, scenes)
    }

    #[test]
    fn crowds_mix_sounding_and_silent_sprites_of_distinct_families() {
        let (_, scenes) = scenes(Layout::Crowd, 300);
        let mut kinds = std::collections::HashSet::new();
        for scene in &scenes {
            let n = scene.players.len();
            assert!((2..=3).contains(&n));
            let mut families: Vec<_> =
                scene.players.iter().map(|p| p.look.effect.effect_type()).collect();
            families.sort();
            families.dedup();
            assert_eq!(families.len(), n, "two sprites of one family");
            assert!(
                scene.players.iter().any(|p| p.sounding)
                    && scene.players.iter().any(|p| !p.sounding)
            );
            for p in &scene.players {
                kinds.insert((p.sounding, p.moving));
                assert_eq!(p.moving, p.lifts.iter().any(|&l| l > 0.0));
            }
        }
        // Every kind of sprite occurs: sounding or silent, moving or still.
        assert_eq!(kinds.len(), 4);
    }

    #[test]
    fn sprites_never_overlap_and_stay_in_the_frame() {
        let (_, scenes) = scenes(Layout::Crowd, 100);
        for scene in &scenes {
            let masks: Vec<Vec<f32>> =
                scene.players.iter().map(|p| p.look.mask(p.lifts[0])).collect();
            let total: f32 = masks.iter().flatten().sum();
            let union: f32 = scene.mask_of(|_| true).iter().sum();
            assert_eq!(total, union);
            for p in &scene.players {
                let [x0, y0, x1, y1] = p.look.bounding_box();
                assert!(
                    x0 >= 0.0 && y0 - LIFT >= 0.0 && x1 <= SIZE as f32 && y1 <= SIZE as f32
                );
            }
        }
    }

    #[test]
    fn the_sources_sum_to_the_mixture_and_match_the_sounding_sprites() {
        let (notes, scenes) = scenes(Layout::Crowd, 20);
        for scene in &scenes {
            let sources = scene.sources(&notes);
            assert_eq!(sources.len(), scene.sounding().count());
            assert!(sources.iter().all(|s| s.len() == SAMPLES));
            for (source, player) in sources.iter().zip(scene.sounding()) {
                assert_eq!(notes.effect[player.crop.note], player.look.effect);
                let whole = player.crop.samples(&notes);
                let n = sources.len() as f32;
                assert!(source.iter().zip(&whole).all(|(s, w)| (s * n - w).abs() < 1e-6));
            }
            let mix = mixture(&sources);
            let sum: f32 = sources.iter().map(|s| s[100]).sum();
            assert!((mix[100] - sum).abs() < 1e-6);
        }
    }

    #[test]
    fn a_moving_sprite_changes_its_pixels_and_a_still_one_does_not() {
        let (_, scenes) = scenes(Layout::Crowd, 50);
        for scene in &scenes {
            let frames = scene.frames();
            for p in &scene.players {
                // The frame where it rises highest against the first frame.
                let top =
                    (0..FRAMES).max_by(|&a, &b| p.lifts[a].total_cmp(&p.lifts[b])).unwrap();
                let mask = p.look.mask(p.lifts[0]);
                let inside: Vec<usize> = (0..SIZE * SIZE).filter(|&i| mask[i] > 0.0).collect();
                let change = inside
                    .iter()
                    .map(|&i| {
                        (0..3)
                            .map(|c| {
                                (frames[top][c * SIZE * SIZE + i]
                                    - frames[0][c * SIZE * SIZE + i])
                                    .abs()
                            })
                            .sum::<f32>()
                    })
                    .sum::<f32>()
                    / inside.len() as f32;
                // Noise alone changes a pixel's three channels by at most 3 x 2 x 0.03.
                if p.lifts[top] - p.lifts[0] >= 2.0 {
                    assert!(
                        change > 0.2,
                        "a sprite that rose {} px changed {change}",
                        p.lifts[top]
                    );
                } else if !p.moving {
                    assert!(change < 0.18, "a still sprite changed {change}");
                }
            }
            // Frames are drawn the same way twice.
            assert_eq!(scene.frame(3), scene.frame(3));
        }
    }

    #[test]
    fn the_truth_is_where_the_first_frame_shows_the_sprites() {
        let (_, scenes) = scenes(Layout::Crowd, 30);
        for scene in &scenes {
            let frame = scene.frame(0);
            let everything = scene.mask_of(|_| true);
            for (i, &m) in everything.iter().enumerate() {
                // Background 0.15 +- 0.03; a sprite's brightest channel at least 0.66 - 0.03.
                let bright = (0..3).any(|c| frame[c * SIZE * SIZE + i] > 0.4);
                assert_eq!(bright, m > 0.0, "pixel {i}");
            }
        }
    }

    #[test]
    fn twins_look_alike_and_only_one_sounds() {
        let (_, scenes) = scenes(Layout::Twins, 40);
        for scene in &scenes {
            let [a, b] = &scene.players[..] else { panic!("twins are two") };
            assert_eq!(a.look.effect, b.look.effect);
            assert!((a.look.hue - b.look.hue).abs() <= 2.0 * HUE_JITTER);
            assert!(a.sounding != b.sounding, "one twin sounds, the other not");
        }
        // Either twin may be the one that sounds, and either may move.
        assert!(scenes.iter().any(|s| s.players[0].sounding));
        assert!(scenes.iter().any(|s| s.players[1].sounding));
        assert!(scenes.iter().any(|s| s.players.iter().any(|p| !p.sounding && p.moving)));
    }

    #[test]
    fn solo_scenes_hold_one_sounding_sprite() {
        let (_, scenes) = scenes(Layout::Solo, 30);
        assert!(scenes.iter().all(|s| s.players.len() == 1 && s.players[0].sounding));
    }
}

//! The pictures: each effect class is a small drawn sprite whose shape says the effect's
//! family and whose colour says which effect of the family it is. Sprites are striped, so a
//! moving one changes pixels inside it, not only along its edges (as a real player's
//! clothes and instrument do).

use dl4mir_datasets::{Effect, EffectType};

/// Frames are `SIZE x SIZE` pixels, RGB, values in [0, 1].
pub const SIZE: usize = 64;
/// Values per frame: `[3, SIZE, SIZE]`, channel by channel (burn's image layout).
pub const FRAME_VALUES: usize = 3 * SIZE * SIZE;
/// The background's grey and the sensor noise added to every pixel of every frame.
const BACKGROUND: f32 = 0.15;
const NOISE: f32 = 0.03;

/// A shape per effect family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}

impl Shape {
    pub fn of(family: EffectType) -> Self {
        match family {
            EffectType::None => Shape::Circle,
            EffectType::Distortion => Shape::Square,
            EffectType::Modulation => Shape::Triangle,
            EffectType::Delay => Shape::Diamond,
            EffectType::Reverb => Shape::Cross,
        }
    }

    /// Whether the point `(u, v)`, in units of the sprite's radius from its centre (`v`
    /// down), is inside.
    fn contains(self, u: f32, v: f32) -> bool {
        match self {
            Shape::Circle => u * u + v * v <= 1.0,
            Shape::Square => u.abs() <= 0.85 && v.abs() <= 0.85,
            // Point up: the half-width grows from 0 at the top (v = -1) to 1 at the bottom.
            Shape::Triangle => (-1.0..=0.8).contains(&v) && u.abs() <= (v + 1.0) / 1.8,
            Shape::Diamond => u.abs() + v.abs() <= 1.0,
            Shape::Cross => {
                (u.abs() <= 0.35 && v.abs() <= 1.0) || (v.abs() <= 0.35 && u.abs() <= 1.0)
            }
        }
    }
}

/// The hue (degrees) of an effect: red, green or blue by its place in its family; clean
/// is yellow.
pub fn base_hue(effect: Effect) -> f32 {
    let family = effect.effect_type();
    let place = Effect::ALL
        .iter()
        .filter(|e| e.effect_type() == family)
        .position(|&e| e == effect)
        .expect("an effect is in its own family");
    if family == EffectType::None { 55.0 } else { 120.0 * place as f32 }
}

/// One sprite as drawn: class, place, size, colour and stripes (the jitter is drawn by the
/// scene generator).
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub effect: Effect,
    /// Centre in pixels (x right, y down) in the first frame.
    pub centre: (f32, f32),
    /// Half the sprite's width, pixels.
    pub radius: f32,
    /// Degrees: the class's hue plus jitter.
    pub hue: f32,
    /// Where the diagonal stripes start, in pixels.
    pub stripe_phase: f32,
}

impl Look {
    pub fn shape(&self) -> Shape {
        Shape::of(self.effect.effect_type())
    }

    /// Whether pixel `(x, y)` is inside the sprite when it is lifted by `lift` pixels.
    pub fn covers(&self, x: usize, y: usize, lift: f32) -> bool {
        let u = (x as f32 + 0.5 - self.centre.0) / self.radius;
        let v = (y as f32 + 0.5 - self.centre.1 + lift) / self.radius;
        self.shape().contains(u, v)
    }

    /// The sprite's colour at pixel `(x, y)` of its own body (stripes move with it).
    fn colour(&self, x: usize, y: usize, lift: f32) -> [f32; 3] {
        let along = x as f32 + y as f32 + lift + self.stripe_phase;
        let stripe = if along.rem_euclid(4.0) < 2.0 { 1.0 } else { 0.7 };
        hsv_to_rgb(self.hue, 0.85, 0.95 * stripe)
    }

    /// The sprite's pixels when it is lifted by `lift`, `SIZE * SIZE` values of 0 or 1.
    pub fn mask(&self, lift: f32) -> Vec<f32> {
        (0..SIZE * SIZE).map(|i| f32::from(self.covers(i % SIZE, i / SIZE, lift))).collect()
    }

    /// The box around the sprite at rest: `[x0, y0, x1, y1]` in pixels.
    pub fn bounding_box(&self) -> [f32; 4] {
        let (x, y, r) = (self.centre.0, self.centre.1, self.radius);
        [x - r, y - r, x + r, y + r]
    }
}

/// A frame with `sprites` drawn at their lifts (pixels up), over a noisy background;
/// `noise` holds one uniform draw in [0, 1) per value of the frame.
pub fn draw(sprites: &[(&Look, f32)], noise: &[f32]) -> Vec<f32> {
    assert_eq!(noise.len(), FRAME_VALUES, "one noise draw per value");
    let plane = SIZE * SIZE;
    let mut frame = vec![BACKGROUND; FRAME_VALUES];
    for (look, lift) in sprites {
        // Only the pixels of the sprite's box, where it is now, can be inside it.
        let [x0, y0, x1, y1] = look.bounding_box();
        let columns = (x0.floor().max(0.0) as usize)..(x1.ceil() as usize).min(SIZE);
        let rows = ((y0 - lift).floor().max(0.0) as usize)
            ..((y1 - lift).ceil().max(0.0) as usize).min(SIZE);
        for y in rows {
            for x in columns.clone() {
                if look.covers(x, y, *lift) {
                    for (c, value) in look.colour(x, y, *lift).iter().enumerate() {
                        frame[c * plane + y * SIZE + x] = *value;
                    }
                }
            }
        }
    }
    for (value, draw) in frame.iter_mut().zip(noise) {
        *value = (*value + NOISE * (2.0 * draw - 1.0)).clamp(0.0, 1.0);
    }
    frame
}

/// HSV (hue in degrees) to RGB, all in [0, 1].
pub fn hsv_to_rgb(hue: f32, saturation: f32, value: f32) -> [f32; 3] {
    let h = hue.rem_euclid(360.0) / 60.0;
    let chroma = value * saturation;
    let x = chroma * (1.0 - ((h % 2.0) - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (chroma, x, 0.0),
        1 => (x, chroma, 0.0),
        2 => (0.0, chroma, x),
        3 => (0.0, x, chroma),
        4 => (x, 0.0, chroma),
        _ => (chroma, 0.0, x),
    };
    let m = value - chroma;
    [r + m, g + m, b + m]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn look(effect: Effect) -> Look {
        Look {
            effect,
            centre: (32.0, 32.0),
            radius: 8.0,
            hue: base_hue(effect),
            stripe_phase: 0.0,
        }
    }

    #[test]
    fn every_effect_has_its_own_shape_and_hue() {
        let mut seen: Vec<(Shape, i32)> = Effect::ALL
            .iter()
            .map(|&e| (Shape::of(e.effect_type()), base_hue(e) as i32))
            .collect();
        seen.sort_by_key(|&(s, h)| (s as u8, h));
        seen.dedup();
        assert_eq!(seen.len(), Effect::ALL.len());
    }

    #[test]
    fn masks_are_inside_their_boxes_and_about_the_right_size() {
        for &effect in &Effect::ALL {
            let sprite = look(effect);
            let mask = sprite.mask(0.0);
            let [x0, y0, x1, y1] = sprite.bounding_box();
            let area: f32 = mask.iter().sum();
            // Between the triangle (115 pixels) and the circle (201).
            assert!((80.0..=220.0).contains(&area), "{effect:?}: {area} pixels");
            for (i, &m) in mask.iter().enumerate() {
                let (x, y) = ((i % SIZE) as f32 + 0.5, (i / SIZE) as f32 + 0.5);
                if m > 0.0 {
                    assert!(x >= x0 && x <= x1 && y >= y0 && y <= y1, "{effect:?} at {x},{y}");
                }
            }
        }
    }

    #[test]
    fn a_lift_moves_the_sprite_up() {
        let sprite = look(Effect::Rat);
        let (x, y) = (32, 37); // inside at rest, below the sprite when lifted by 4
        assert!(sprite.covers(x, y, 0.0) && !sprite.covers(x, y, 4.0));
        assert!(sprite.covers(x, y - 4, 4.0));
    }

    #[test]
    fn drawing_puts_the_colour_on_the_mask_only() {
        let sprite = look(Effect::Chorus);
        let frame = draw(&[(&sprite, 0.0)], &[0.5; FRAME_VALUES]);
        let mask = sprite.mask(0.0);
        for (i, &m) in mask.iter().enumerate() {
            let rgb: Vec<f32> = (0..3).map(|c| frame[c * SIZE * SIZE + i]).collect();
            if m > 0.0 {
                assert!(rgb.iter().any(|&v| v > 0.5), "pixel {i}: {rgb:?}");
            } else {
                assert!(rgb.iter().all(|&v| (v - BACKGROUND).abs() < 1e-6));
            }
        }
    }

    #[test]
    fn hsv_primaries() {
        let close =
            |a: [f32; 3], b: [f32; 3]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-6);
        assert!(close(hsv_to_rgb(0.0, 1.0, 1.0), [1.0, 0.0, 0.0]));
        assert!(close(hsv_to_rgb(120.0, 1.0, 1.0), [0.0, 1.0, 0.0]));
        assert!(close(hsv_to_rgb(240.0, 1.0, 1.0), [0.0, 0.0, 1.0]));
        assert!(close(hsv_to_rgb(77.0, 0.0, 0.4), [0.4, 0.4, 0.4]));
    }
}

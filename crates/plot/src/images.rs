//! Small pictures in a grid: video frames, and heat maps laid over them (where a model
//! says the sound comes from), with the true region outlined.

use crate::colors::magma;
use crate::figure::{Error, FONT, Figure, Result, text};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One picture: RGB pixels row by row from the top, values in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub struct ImagePanel {
    pub title: String,
    pub width: usize,
    pub height: usize,
    /// `width * height` pixels.
    pub rgb: Vec<[f64; 3]>,
    /// A map over the picture (`width * height` values, any range: drawn min-max scaled in
    /// magma over the picture dimmed to grey); `None` shows the picture as it is.
    pub heat: Option<Vec<f64>>,
    /// Pixels to outline in white (the truth), `width * height` flags.
    pub outline: Option<Vec<bool>>,
}

/// Pictures in rows of `columns`, under one title.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageGrid {
    pub title: String,
    pub panels: Vec<ImagePanel>,
    pub columns: usize,
}

/// How much of a heat map's colour covers the picture under it.
const HEAT_OPACITY: f64 = 0.65;
const PANEL: u32 = 200;

impl ImagePanel {
    fn check(&self) -> Result<()> {
        let n = self.width * self.height;
        let bad = n == 0
            || self.rgb.len() != n
            || self.heat.as_ref().is_some_and(|h| h.len() != n || h.iter().any(|v| !v.is_finite()))
            || self.outline.as_ref().is_some_and(|o| o.len() != n);
        if bad {
            return Err(Error::Data(format!(
                "image `{}` needs {} x {} pixels in every layer, and finite heat",
                self.title, self.width, self.height
            )));
        }
        Ok(())
    }

    /// The colour drawn for pixel `i`.
    fn colour(&self, i: usize, range: (f64, f64)) -> RGBColor {
        let [r, g, b] = self.rgb[i];
        let byte = |v: f64| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        match &self.heat {
            None => RGBColor(byte(r), byte(g), byte(b)),
            Some(heat) => {
                let grey = 0.3 * r + 0.59 * g + 0.11 * b;
                let t = if range.1 > range.0 { (heat[i] - range.0) / (range.1 - range.0) } else { 0.0 };
                let RGBColor(hr, hg, hb) = magma(t);
                let mix = |h: u8| byte(HEAT_OPACITY * h as f64 / 255.0 + (1.0 - HEAT_OPACITY) * grey);
                RGBColor(mix(hr), mix(hg), mix(hb))
            }
        }
    }

    /// Whether pixel `(x, y)` is outlined and has a neighbour that is not.
    fn on_edge(&self, x: usize, y: usize) -> bool {
        let Some(outline) = &self.outline else { return false };
        let inside = |x: isize, y: isize| {
            x >= 0
                && y >= 0
                && (x as usize) < self.width
                && (y as usize) < self.height
                && outline[y as usize * self.width + x as usize]
        };
        let (x, y) = (x as isize, y as isize);
        inside(x, y) && [(-1, 0), (1, 0), (0, -1), (0, 1)].iter().any(|(dx, dy)| !inside(x + dx, y + dy))
    }

    fn draw_in<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let area = area.titled(&self.title, (FONT, 13)).map_err(text)?;
        let (w, h) = area.dim_in_pixel();
        let scale = ((w as usize - 8) / self.width).min((h as usize - 8) / self.height).max(1) as i32;
        let left = (w as i32 - scale * self.width as i32) / 2;
        let range = self.heat.as_ref().map_or((0.0, 1.0), |heat| {
            heat.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)))
        });
        for y in 0..self.height {
            for x in 0..self.width {
                let colour = if self.on_edge(x, y) { WHITE } else { self.colour(y * self.width + x, range) };
                let (x0, y0) = (left + scale * x as i32, scale * y as i32);
                area.draw(&Rectangle::new([(x0, y0), (x0 + scale, y0 + scale)], colour.filled()))
                    .map_err(text)?;
            }
        }
        Ok(())
    }
}

impl Figure for ImageGrid {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(self.columns.max(1)) as u32;
        (PANEL * self.columns as u32, 40 + (PANEL + 20) * rows)
    }

    fn check(&self) -> Result<()> {
        if self.panels.is_empty() || self.columns == 0 {
            return Err(Error::Data(format!(
                "image grid `{}` needs panels and at least one column",
                self.title
            )));
        }
        self.panels.iter().try_for_each(ImagePanel::check)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let area = area.titled(&self.title, (FONT, 20)).map_err(text)?;
        let rows = self.panels.len().div_ceil(self.columns);
        for (panel, cell) in self.panels.iter().zip(area.split_evenly((rows, self.columns))) {
            panel.draw_in(&cell)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(heat: Option<Vec<f64>>) -> ImagePanel {
        ImagePanel {
            title: "p".into(),
            width: 4,
            height: 3,
            rgb: vec![[0.5, 0.2, 0.9]; 12],
            heat,
            outline: Some((0..12).map(|i| i % 4 < 2).collect()),
        }
    }

    #[test]
    fn a_grid_is_written_and_bad_layers_are_refused() {
        let dir = std::env::temp_dir().join(format!("dl4mir-plot-images-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let grid = ImageGrid {
            title: "frames".into(),
            panels: vec![panel(None), panel(Some((0..12).map(f64::from).collect()))],
            columns: 2,
        };
        let (png, svg) = crate::save(&grid, dir.join("grid")).unwrap();
        assert!(png.metadata().unwrap().len() > 0 && svg.metadata().unwrap().len() > 0);
        let mut bad = grid.clone();
        bad.panels[1].heat = Some(vec![0.0; 5]);
        assert!(matches!(crate::save(&bad, dir.join("bad")), Err(Error::Data(_))));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn heat_replaces_colour_and_the_outline_is_drawn_at_the_edge_only() {
        let plain = panel(None);
        assert_eq!(plain.colour(0, (0.0, 1.0)), RGBColor(128, 51, 230));
        let hot = panel(Some(vec![1.0; 12]));
        assert_ne!(hot.colour(0, (0.0, 1.0)), plain.colour(0, (0.0, 1.0)));
        // Columns 0 and 1 are outlined: column 1 borders column 2, column 0 the frame.
        assert!(plain.on_edge(1, 1) && plain.on_edge(0, 1) && !plain.on_edge(2, 1));
    }
}

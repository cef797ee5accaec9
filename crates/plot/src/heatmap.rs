//! Heat maps: spectrograms with axes in seconds and Hz (linear, mel or log frequency) and a
//! colour bar; and grids of small heat maps (attention weights).

use crate::colors::magma;
use crate::figure::{Error, FONT, Figure, Result, text};
use dl4mir_audio::convert::{hz_to_mel, mel_to_hz};
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the rows of a heat map are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FrequencyScale {
    /// Just rows, numbered from 0 (any matrix: attention weights, a confusion of features).
    Rows,
    /// STFT bins from 0 Hz to `max_hz` (`sr / 2`), evenly spaced.
    Linear { max_hz: f64 },
    /// Mel bands from `fmin` to `fmax` Hz, evenly spaced in Slaney mel (as librosa's).
    Mel { fmin: f64, fmax: f64 },
    /// Rows evenly spaced in log frequency from `fmin` to `fmax` Hz.
    Log { fmin: f64, fmax: f64 },
}

impl FrequencyScale {
    /// The frequency (Hz) at fractional row position `t` in [0, 1] (None for plain rows).
    fn hz_at(&self, t: f64) -> Option<f64> {
        match *self {
            FrequencyScale::Rows => None,
            FrequencyScale::Linear { max_hz } => Some(t * max_hz),
            FrequencyScale::Mel { fmin, fmax } => {
                let (lo, hi) = (hz_to_mel(fmin, false), hz_to_mel(fmax, false));
                Some(mel_to_hz(lo + t * (hi - lo), false))
            }
            FrequencyScale::Log { fmin, fmax } => Some(fmin * (fmax / fmin).powf(t)),
        }
    }
}

/// A matrix drawn as colours: `data[row][column]`, row 0 at the bottom (librosa's
/// `[frequency, time]` convention, low frequencies low).
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub title: String,
    pub data: Vec<Vec<f64>>,
    pub x_label: String,
    /// The x value at the left edge of column 0 and the right edge of the last column, e.g.
    /// `(0.0, duration_s)`; `None` numbers the columns.
    pub x_range: Option<(f64, f64)>,
    pub y_label: String,
    pub frequency: FrequencyScale,
    /// Label of the colour bar (e.g. "dB"); `None` draws no colour bar.
    pub colorbar: Option<String>,
}

/// Largest number of cells drawn: bigger matrices are averaged down first, which keeps
/// SVG files small and looks the same at book width.
const MAX_ROWS: usize = 256;
const MAX_COLUMNS: usize = 400;

impl Heatmap {
    /// The data, averaged down to at most `MAX_ROWS x MAX_COLUMNS` cells.
    fn pooled(&self) -> Vec<Vec<f64>> {
        let (rows, cols) = (self.data.len(), self.data[0].len());
        let (fr, fc) = (rows.div_ceil(MAX_ROWS), cols.div_ceil(MAX_COLUMNS));
        (0..rows.div_ceil(fr))
            .map(|r| {
                (0..cols.div_ceil(fc))
                    .map(|c| {
                        let cells: Vec<f64> = (r * fr..((r + 1) * fr).min(rows))
                            .flat_map(|i| (c * fc..((c + 1) * fc).min(cols)).map(move |j| (i, j)))
                            .map(|(i, j)| self.data[i][j])
                            .filter(|v| v.is_finite())
                            .collect();
                        if cells.is_empty() {
                            f64::NAN
                        } else {
                            cells.iter().sum::<f64>() / cells.len() as f64
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn value_range(data: &[Vec<f64>]) -> (f64, f64) {
        let (lo, hi) = data
            .iter()
            .flatten()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) }
    }

    fn check_data(&self) -> Result<()> {
        let cols = self.data.first().map_or(0, Vec::len);
        if cols == 0 || self.data.iter().any(|r| r.len() != cols) {
            return Err(Error::Data(format!(
                "heat map `{}` needs a non-empty rectangular matrix",
                self.title
            )));
        }
        if !self.data.iter().flatten().any(|v| v.is_finite()) {
            return Err(Error::Data(format!("heat map `{}` has no finite value", self.title)));
        }
        Ok(())
    }

    /// Draw into `area` (used alone and in grids).
    fn draw_in<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        font: u32,
    ) -> std::result::Result<(), String> {
        let data = self.pooled();
        let (lo, hi) = Self::value_range(&data);
        let (rows, cols) = (data.len(), data[0].len());
        let (main, bar) = match &self.colorbar {
            Some(_) => {
                let (w, _) = area.dim_in_pixel();
                area.split_horizontally(w.saturating_sub(110))
            }
            None => (area.clone(), area.clone()),
        };
        let x_range = self.x_range;
        let x_format = move |c: &f64| match x_range {
            Some((a, b)) => format!("{:.2}", a + c / cols as f64 * (b - a)),
            None => format!("{c:.0}"),
        };
        let scale = self.frequency;
        let y_format = move |r: &f64| match scale.hz_at(r / rows as f64) {
            Some(hz) if hz >= 1000.0 => format!("{:.1}k", hz / 1000.0),
            Some(hz) => format!("{hz:.0}"),
            None => format!("{r:.0}"),
        };
        let mut chart = ChartBuilder::on(&main)
            .caption(&self.title, (FONT, font + 6))
            .margin(8)
            .x_label_area_size(font * 3)
            .y_label_area_size(font * 4)
            .build_cartesian_2d(0f64..cols as f64, 0f64..rows as f64)
            .map_err(text)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_label_formatter(&x_format)
            .y_label_formatter(&y_format)
            .label_style((FONT, font))
            .draw()
            .map_err(text)?;
        chart
            .draw_series(data.iter().enumerate().flat_map(|(r, row)| {
                row.iter().enumerate().map(move |(c, &v)| {
                    let color =
                        if v.is_finite() { magma((v - lo) / (hi - lo)) } else { RGBColor(255, 255, 255) };
                    Rectangle::new([(c as f64, r as f64), (c as f64 + 1.0, r as f64 + 1.0)], color.filled())
                })
            }))
            .map_err(text)?;
        if let Some(label) = &self.colorbar {
            let mut bar_chart = ChartBuilder::on(&bar)
                .margin_top(font * 2 + 8)
                .margin_bottom(font * 3 + 8)
                .margin_right(8)
                .y_label_area_size(font * 4)
                .build_cartesian_2d(0f64..1.0, lo..hi)
                .map_err(text)?;
            bar_chart
                .configure_mesh()
                .disable_mesh()
                .disable_x_axis()
                .y_desc(label)
                .label_style((FONT, font))
                .draw()
                .map_err(text)?;
            let steps = 128;
            bar_chart
                .draw_series((0..steps).map(|i| {
                    let (a, b) = (
                        lo + (hi - lo) * i as f64 / steps as f64,
                        lo + (hi - lo) * (i + 1) as f64 / steps as f64,
                    );
                    Rectangle::new([(0.0, a), (1.0, b)], magma(i as f64 / (steps - 1) as f64).filled())
                }))
                .map_err(text)?;
        }
        Ok(())
    }
}

impl Figure for Heatmap {
    fn size(&self) -> (u32, u32) {
        (900, 480)
    }

    fn check(&self) -> Result<()> {
        self.check_data()
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        self.draw_in(area, 14)
    }
}

/// Several small heat maps in a grid (e.g. one attention map per head), under one title.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapGrid {
    pub title: String,
    pub panels: Vec<Heatmap>,
    pub columns: usize,
}

impl Figure for HeatmapGrid {
    fn size(&self) -> (u32, u32) {
        let rows = self.panels.len().div_ceil(self.columns.max(1)) as u32;
        (300 * self.columns as u32, 40 + 280 * rows)
    }

    fn check(&self) -> Result<()> {
        if self.panels.is_empty() || self.columns == 0 {
            return Err(Error::Data(format!(
                "heat-map grid `{}` needs panels and at least one column",
                self.title
            )));
        }
        self.panels.iter().try_for_each(Heatmap::check_data)
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let area = area.titled(&self.title, (FONT, 22)).map_err(text)?;
        let rows = self.panels.len().div_ceil(self.columns);
        for (panel, cell) in self.panels.iter().zip(area.split_evenly((rows, self.columns))) {
            panel.draw_in(&cell, 11)?;
        }
        Ok(())
    }
}

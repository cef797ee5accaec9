//! Bar charts with optional error bars: accuracy per model, time per lab.

use crate::colors::class_color;
use crate::figure::{Error, FONT, Figure, Result, text};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar per category, optionally with a ± error (e.g. the standard deviation over folds).
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub y_label: String,
    pub categories: Vec<String>,
    pub values: Vec<f64>,
    pub errors: Option<Vec<f64>>,
}

impl Figure for BarChart {
    fn size(&self) -> (u32, u32) {
        (800, 480)
    }

    fn check(&self) -> Result<()> {
        let n = self.categories.len();
        if n == 0 || self.values.len() != n || self.errors.as_ref().is_some_and(|e| e.len() != n) {
            return Err(Error::Data(format!(
                "bar chart `{}`: {} categories, {} values{}; they must match",
                self.title,
                n,
                self.values.len(),
                self.errors.as_ref().map(|e| format!(", {} errors", e.len())).unwrap_or_default()
            )));
        }
        if self.values.iter().any(|v| !v.is_finite()) {
            return Err(Error::Data(format!("bar chart `{}`: a value is not finite", self.title)));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let error = |i: usize| self.errors.as_ref().map_or(0.0, |e| e[i]);
        let top = (0..self.values.len()).map(|i| self.values[i] + error(i)).fold(0.0f64, f64::max);
        let bottom = (0..self.values.len()).map(|i| self.values[i] - error(i)).fold(0.0f64, f64::min);
        let n = self.categories.len();
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 22))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(70)
            // `(0..m).into_segmented()` makes m + 1 cells: 0..n - 1 gives the n we need.
            .build_cartesian_2d((0..n - 1).into_segmented(), bottom * 1.1..(top * 1.1).max(1e-12))
            .map_err(text)?;
        let names = self.categories.clone();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .y_desc(&self.y_label)
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .label_style((FONT, 14))
            .draw()
            .map_err(text)?;
        chart
            .draw_series((0..n).map(|i| {
                let mut bar = Rectangle::new(
                    [(SegmentValue::Exact(i), 0.0), (SegmentValue::Exact(i + 1), self.values[i])],
                    class_color(i).filled(),
                );
                bar.set_margin(0, 0, 12, 12);
                bar
            }))
            .map_err(text)?;
        if self.errors.is_some() {
            chart
                .draw_series((0..n).map(|i| {
                    let (v, e) = (self.values[i], error(i));
                    ErrorBar::new_vertical(
                        SegmentValue::CenterOf(i),
                        v - e,
                        v,
                        v + e,
                        BLACK.stroke_width(2),
                        14,
                    )
                }))
                .map_err(text)?;
        }
        Ok(())
    }
}

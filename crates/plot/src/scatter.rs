//! Scatter plots coloured by class: PCA projections, latent spaces.

use crate::colors::class_color;
use crate::figure::{Error, FONT, Figure, Result, padded_range, text, tick, xy_chart};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Points with a class each, one colour and legend entry per class.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<(f64, f64)>,
    /// Class index of each point (into `class_names`, and [`class_color`]).
    pub labels: Vec<usize>,
    pub class_names: Vec<String>,
}

impl Figure for Scatter {
    fn size(&self) -> (u32, u32) {
        (720, 600)
    }

    fn check(&self) -> Result<()> {
        if self.points.is_empty() || self.points.len() != self.labels.len() {
            return Err(Error::Data(format!(
                "scatter `{}`: {} points and {} labels; they must be equal and non-zero",
                self.title,
                self.points.len(),
                self.labels.len()
            )));
        }
        if let Some(l) = self.labels.iter().find(|&&l| l >= self.class_names.len()) {
            return Err(Error::Data(format!("scatter `{}`: label {l} has no class name", self.title)));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let (x0, x1) = padded_range(self.points.iter().map(|p| p.0)).ok_or("no finite x")?;
        let (y0, y1) = padded_range(self.points.iter().map(|p| p.1)).ok_or("no finite y")?;
        let labels = (self.x_label.as_str(), self.y_label.as_str());
        let mut chart = xy_chart(area, &self.title, labels, ((x0, x1), (y0, y1)), &tick)?;
        for (class, name) in self.class_names.iter().enumerate() {
            let color = class_color(class);
            let members = self.points.iter().zip(&self.labels).filter(|(_, l)| **l == class).map(|(p, _)| *p);
            chart
                .draw_series(members.map(|p| Circle::new(p, 3, color.mix(0.75).filled())))
                .map_err(text)?
                .label(name.clone())
                .legend(move |(x, y)| Circle::new((x + 8, y), 4, color.filled()));
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 14))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(text)
    }
}

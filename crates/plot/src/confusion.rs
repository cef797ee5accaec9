//! Confusion matrices: counts, and the percentage of each true class (row) in each cell.

use crate::figure::{Error, FONT, Figure, Result, text};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// `counts[true][predicted]`, as `dl4mir_eval::classification::confusion_matrix` returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMatrix {
    pub title: String,
    pub counts: Vec<Vec<usize>>,
    pub class_names: Vec<String>,
}

impl Figure for ConfusionMatrix {
    fn size(&self) -> (u32, u32) {
        let n = self.class_names.len() as u32;
        (200 + 70 * n, 140 + 60 * n)
    }

    fn check(&self) -> Result<()> {
        let n = self.class_names.len();
        if n == 0 || self.counts.len() != n || self.counts.iter().any(|r| r.len() != n) {
            return Err(Error::Data(format!(
                "confusion matrix `{}`: {} class names but a {}x{} matrix",
                self.title,
                n,
                self.counts.len(),
                self.counts.first().map_or(0, Vec::len)
            )));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        let n = self.class_names.len();
        // Segmented axes put one label at the centre of each cell. True classes read top to
        // bottom, so row t is drawn at y = n - 1 - t.
        let names = self.class_names.clone();
        let x_label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        let y_names = self.class_names.clone();
        let y_label = move |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if *i < n => y_names[n - 1 - *i].clone(),
            _ => String::new(),
        };
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, (FONT, 22))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(140)
            // `(0..m).into_segmented()` makes m + 1 cells: 0..n - 1 gives the n we need.
            .build_cartesian_2d((0..n - 1).into_segmented(), (0..n - 1).into_segmented())
            .map_err(text)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(n + 1)
            .y_labels(n + 1)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc("predicted")
            .y_desc("true")
            .label_style((FONT, 13))
            .draw()
            .map_err(text)?;
        for (t, row) in self.counts.iter().enumerate() {
            let total: usize = row.iter().sum();
            let y = n - 1 - t;
            for (p, &count) in row.iter().enumerate() {
                let share = if total == 0 { 0.0 } else { count as f64 / total as f64 };
                // White to deep blue with the row share; text flips to white on dark cells.
                let shade = |full: u8| (255.0 - share * (255.0 - full as f64)) as u8;
                let fill = RGBColor(shade(8), shade(48), shade(107));
                let cell = [
                    (SegmentValue::Exact(p), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(p + 1), SegmentValue::Exact(y + 1)),
                ];
                chart.draw_series(std::iter::once(Rectangle::new(cell, fill.filled()))).map_err(text)?;
                let ink = if share > 0.5 { WHITE } else { BLACK };
                let centre = (SegmentValue::CenterOf(p), SegmentValue::CenterOf(y));
                let above = TextStyle::from((FONT, 15).into_font())
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Bottom));
                let below = TextStyle::from((FONT, 11).into_font())
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Top));
                chart
                    .draw_series([
                        Text::new(count.to_string(), centre.clone(), above),
                        Text::new(format!("{:.0}%", 100.0 * share), centre, below),
                    ])
                    .map_err(text)?;
            }
        }
        Ok(())
    }
}

//! Line plots: loss curves, train vs validation, several runs on one chart.

use crate::colors::class_color;
use crate::figure::{Error, FONT, Figure, Result, padded_range, text, tick, xy_chart};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One named line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series from a name and `(x, y)` points.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self { name: name.into(), points }
    }
}

/// Several lines sharing axes, with a legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LinePlot {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// A logarithmic y axis (losses spanning decades).
    pub log_y: bool,
}

impl LinePlot {
    /// The loss after every training step, on a log axis: the figure every lab draws.
    pub fn training_loss(step_losses: &[f32], loss_name: &str) -> Self {
        let points = step_losses.iter().enumerate().map(|(i, &l)| (i as f64, l as f64)).collect();
        LinePlot {
            title: "Training loss".into(),
            x_label: "step".into(),
            y_label: loss_name.into(),
            series: vec![Series::new("train", points)],
            log_y: true,
        }
    }
}

impl Figure for LinePlot {
    fn size(&self) -> (u32, u32) {
        (800, 480)
    }

    fn check(&self) -> Result<()> {
        if self.series.iter().all(|s| s.points.is_empty()) {
            return Err(Error::Data(format!("line plot `{}` has no points", self.title)));
        }
        if self.log_y && self.series.iter().flat_map(|s| &s.points).any(|p| p.1 <= 0.0) {
            return Err(Error::Data(format!(
                "line plot `{}`: a log y axis needs positive values",
                self.title
            )));
        }
        Ok(())
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String> {
        // A log axis is drawn as log10(y) on a linear axis, labelled back in y: plotters'
        // own log axis leaves most ticks unlabelled over less than a decade.
        let y_of = |y: f64| if self.log_y { y.log10() } else { y };
        let points = || self.series.iter().flat_map(|s| s.points.iter());
        let (x0, x1) = padded_range(points().map(|p| p.0)).ok_or("no finite x")?;
        let (y0, y1) = padded_range(points().map(|p| y_of(p.1))).ok_or("no finite y")?;
        let log_y = self.log_y;
        let y_tick = move |v: &f64| if log_y { significant(10f64.powf(*v)) } else { tick(v) };
        let labels = (self.x_label.as_str(), self.y_label.as_str());
        let mut chart = xy_chart(area, &self.title, labels, ((x0, x1), (y0, y1)), &y_tick)?;
        for (i, series) in self.series.iter().enumerate() {
            let color = class_color(i);
            let finite = series
                .points
                .iter()
                .map(|&(x, y)| (x, y_of(y)))
                .filter(|p| p.0.is_finite() && p.1.is_finite());
            chart
                .draw_series(LineSeries::new(finite, color.stroke_width(1)))
                .map_err(text)?
                .label(series.name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 14))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .position(legend_corner(points().map(|&(x, y)| (x, y_of(y))), (x0, x1), (y0, y1)))
            .draw()
            .map_err(text)
    }
}

/// The right-hand corner the lines leave free: upper right for falling curves (losses),
/// lower right for rising ones (accuracies), judged by where the points of the right
/// quarter of the plot lie.
fn legend_corner(
    points: impl Iterator<Item = (f64, f64)>,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
) -> SeriesLabelPosition {
    let right: Vec<f64> =
        points.filter(|p| p.0 >= x0 + 0.75 * (x1 - x0) && p.1.is_finite()).map(|p| p.1).collect();
    let mean = right.iter().sum::<f64>() / right.len().max(1) as f64;
    if !right.is_empty() && mean > y0 + 0.5 * (y1 - y0) {
        SeriesLabelPosition::LowerRight
    } else {
        SeriesLabelPosition::UpperRight
    }
}

/// Two significant digits: 0.0032, 0.25, 1.6, 250; below 0.001 in scientific notation.
fn significant(v: f64) -> String {
    if v <= 0.0 || !v.is_finite() {
        return tick(&v);
    }
    if v < 1e-3 {
        return format!("{v:.1e}");
    }
    let digits = (1 - v.log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_goes_where_the_lines_are_not() {
        let rising = (0..10).map(|i| (i as f64, i as f64));
        assert!(matches!(legend_corner(rising, (0.0, 9.0), (0.0, 9.0)), SeriesLabelPosition::LowerRight));
        let falling = (0..10).map(|i| (i as f64, 9.0 - i as f64));
        assert!(matches!(legend_corner(falling, (0.0, 9.0), (0.0, 9.0)), SeriesLabelPosition::UpperRight));
    }
}

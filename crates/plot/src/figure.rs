//! What every figure shares: the embedded font, the error type, and [`save`], which draws a
//! figure twice, to PNG and to SVG.

use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Once;

/// Everything that can go wrong while drawing a figure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The data cannot make this figure (empty, mismatched lengths, non-finite values).
    #[error("{0}")]
    Data(String),
    /// The file cannot be written.
    #[error("cannot write {path}: {reason}; check that the folder exists and is writable")]
    Write {
        /// The file concerned.
        path: PathBuf,
        /// What the backend said.
        reason: String,
    },
}

/// Result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The family name figures use for text.
pub(crate) const FONT: &str = "sans-serif";

/// Register the embedded DejaVu Sans once per process.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        plotters::style::register_font(FONT, FontStyle::Normal, include_bytes!("../fonts/DejaVuSans.ttf"))
            .unwrap_or_else(|_| panic!("the embedded font is a valid TTF (tested)"));
    });
}

/// A figure: its size, and how to draw it on any plotters backend.
pub trait Figure {
    /// Width and height in pixels (the SVG uses the same units).
    fn size(&self) -> (u32, u32);
    /// Check the data before anything is drawn, so bad input never leaves a half-written file.
    fn check(&self) -> Result<()>;
    /// Draw on `area`, already filled white.
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> std::result::Result<(), String>;
}

/// Write `figure` to `path` with extension `.png` and `.svg` (whatever extension `path`
/// has). Returns the two paths.
pub fn save(figure: &impl Figure, path: impl AsRef<Path>) -> Result<(PathBuf, PathBuf)> {
    register_font();
    figure.check()?;
    let (png, svg) = (path.as_ref().with_extension("png"), path.as_ref().with_extension("svg"));
    let size = figure.size();
    let fail = |path: &Path, reason: String| Error::Write { path: path.to_path_buf(), reason };
    {
        let area = BitMapBackend::new(&png, size).into_drawing_area();
        area.fill(&WHITE).map_err(|e| fail(&png, e.to_string()))?;
        figure.draw(&area).map_err(|e| fail(&png, e))?;
        area.present().map_err(|e| fail(&png, e.to_string()))?;
    }
    {
        let area = SVGBackend::new(&svg, size).into_drawing_area();
        area.fill(&WHITE).map_err(|e| fail(&svg, e.to_string()))?;
        figure.draw(&area).map_err(|e| fail(&svg, e))?;
        area.present().map_err(|e| fail(&svg, e.to_string()))?;
    }
    Ok((png, svg))
}

/// Turn any plotters error into the `String` that [`Figure::draw`] returns.
pub(crate) fn text<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// The range of finite values, padded by 5% (and widened if flat).
pub(crate) fn padded_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if lo > hi {
        return None;
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { 0.5 * lo.abs().max(1.0) };
    Some((lo - pad, hi + pad))
}

/// A tick label a person would write: `20` not `20.0`, `0.25`, `1.5e-4`, and never `-0`.
pub(crate) fn tick(v: &f64) -> String {
    let v = if v.abs() < 1e-12 { 0.0 } else { *v };
    if v == v.round() && v.abs() < 1e6 {
        format!("{v:.0}")
    } else if v.abs() >= 1e-3 && v.abs() < 1e6 {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{v:.1e}")
    }
}

/// A titled x-y chart over the given ranges, its mesh drawn with axis names and tick labels
/// (`y_tick` formats the y labels): the frame line plots and scatter plots share.
pub(crate) fn xy_chart<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    (x_label, y_label): (&str, &str),
    (x, y): ((f64, f64), (f64, f64)),
    y_tick: &dyn Fn(&f64) -> String,
) -> std::result::Result<
    ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    String,
> {
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FONT, 22))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(70)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(text)?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&tick)
        .y_label_formatter(y_tick)
        .label_style((FONT, 14))
        .draw()
        .map_err(text)?;
    Ok(chart)
}

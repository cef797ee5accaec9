//! # dl4mir-plot
//!
//! The figures of the dl4mir labs, each a struct describing the data and one call to
//! [`save`] that writes it as PNG and SVG:
//!
//! | figure | used for |
//! |---|---|
//! | [`LinePlot`] | loss curves, train vs validation, several runs |
//! | [`Scatter`] | PCA projections, latent spaces, coloured by class |
//! | [`Heatmap`] | spectrograms (axes in seconds and Hz, mel or log frequency), any matrix |
//! | [`ConfusionMatrix`] | counts with per-row percentages |
//! | [`BarChart`] | comparisons, with error bars |
//! | [`HeatmapGrid`] | attention weights, several small heat maps |
//! | [`ImageGrid`] | video frames, with a heat map and the true region over them |
//!
//! Text uses DejaVu Sans, embedded in the crate, so figures render the same on a machine
//! with no fonts installed. Class `i` always gets [`class_color`]`(i)`, so an effect has
//! the same colour in every lab.
//!
//! ```no_run
//! use dl4mir_plot::{save, LinePlot, Series};
//! let losses: Vec<(f64, f64)> = (0..100).map(|step| (step as f64, 1.0 / (1.0 + step as f64))).collect();
//! let figure = LinePlot { title: "Training loss".into(), x_label: "step".into(), y_label: "loss".into(),
//!     series: vec![Series::new("train", losses)], log_y: true };
//! save(&figure, "target/loss.png")?; // also writes target/loss.svg
//! # Ok::<(), dl4mir_plot::Error>(())
//! ```

mod bars;
mod colors;
mod confusion;
mod figure;
mod heatmap;
mod images;
mod line;
mod scatter;

pub use bars::BarChart;
pub use colors::{class_color, magma};
pub use confusion::ConfusionMatrix;
pub use figure::{Error, Figure, Result, save};
pub use heatmap::{FrequencyScale, Heatmap, HeatmapGrid};
pub use images::{ImageGrid, ImagePanel};
pub use line::{LinePlot, Series};
pub use scatter::Scatter;

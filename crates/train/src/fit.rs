//! The epoch loop, kept visible: the lab writes the step, this runs it over the batches
//! with a progress bar, records the losses, and stops on a non-finite loss.

use crate::error::{Error, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Loss after every step and the mean of every epoch.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LossLog {
    /// Every step's training loss, in order.
    pub steps: Vec<f32>,
    /// Mean training loss of each epoch.
    pub epochs: Vec<f32>,
    /// Seconds spent inside [`run_epoch`] (all epochs, resumed ones included): the time per
    /// step in the report is measured on this, without data preparation or evaluation.
    #[serde(default)]
    pub train_seconds: f64,
    /// Loss on held-out data after each epoch, where the lab measures one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validation: Vec<f32>,
    /// Other numbers a lab records once per epoch, by name (the VAE's two loss terms):
    /// kept in the checkpoint with the rest, so a resumed run's curves are whole.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub per_epoch: std::collections::BTreeMap<String, Vec<f32>>,
}

impl LossLog {
    /// Append `value` to the per-epoch series `name`.
    pub fn record(&mut self, name: &str, value: f32) {
        self.per_epoch.entry(name.to_string()).or_default().push(value);
    }
}

/// A progress bar over `steps` steps (loss, rate, ETA) that hides itself when stderr is not
/// a terminal (tests, logs, `cargo xtask book`).
pub fn progress(steps: u64, message: String) -> ProgressBar {
    let target = if std::io::stderr().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(steps), target);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} steps ({per_sec}, {eta} left)")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// Run one epoch: call `step(batch)` for each batch, which trains on it and returns its
/// loss. Stops with [`Error::NonFiniteLoss`] as soon as a loss is NaN or infinite.
pub fn run_epoch<B>(
    epoch: usize,
    batches: impl Iterator<Item = B>,
    bar: &ProgressBar,
    lr: f64,
    log: &mut LossLog,
    mut step: impl FnMut(B) -> f32,
) -> Result<f32> {
    let started = std::time::Instant::now();
    let mut total = 0.0f64;
    let mut count = 0usize;
    for (i, batch) in batches.enumerate() {
        let loss = step(batch);
        if !loss.is_finite() {
            bar.abandon();
            return Err(Error::NonFiniteLoss { epoch, step: i, loss, suggested_lr: lr / 10.0 });
        }
        log.steps.push(loss);
        total += loss as f64;
        count += 1;
        bar.inc(1);
        bar.set_message(format!("epoch {epoch} loss {loss:.4}"));
    }
    let mean = (total / count.max(1) as f64) as f32;
    log.epochs.push(mean);
    log.train_seconds += started.elapsed().as_secs_f64();
    Ok(mean)
}

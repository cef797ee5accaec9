//! The run report every lab writes: `metrics.json` (what the book and the snapshot tests
//! read) and a short summary for the person at the terminal.

use crate::error::{Error, Result};
use crate::fit::LossLog;
use crate::measure::{Energy, peak_memory_mb};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Everything a run did and measured: the lab's [`RunSummary`], then what training gave.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunReport {
    /// Which run this was (flattened: its fields sit at the top of `metrics.json`).
    #[serde(flatten)]
    pub run: RunSummary,
    pub losses: LossLog,
    /// Final numbers: accuracy, F1, ... by name.
    pub metrics: Map<String, Value>,
    /// The whole process, data preparation and evaluation included.
    pub wall_time_s: f64,
    /// Training only (the time inside the epoch loop), per step.
    pub time_per_step_ms: f64,
    /// Training only.
    pub samples_per_second: f64,
    pub peak_memory_mb: Option<f64>,
    pub energy: Energy,
}

/// How a run went, as the lab fills it in; [`RunSummary::finish`] adds the measurements.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    pub lab: String,
    /// The lab crate's version.
    pub version: String,
    pub seed: u64,
    /// `cpu`, `vulkan`, ...
    pub device: String,
    /// `synth`, `egfxset`, or a description of generated data.
    pub dataset: String,
    /// The configuration trained with (epochs, batch size, lr, model sizes...).
    pub hyperparameters: Value,
}

impl RunSummary {
    /// Complete the report with the losses, the final metrics and what the run cost.
    pub fn finish(
        self,
        losses: LossLog,
        metrics: Map<String, Value>,
        samples_trained: usize,
        stopwatch: &crate::Stopwatch,
    ) -> RunReport {
        let (wall_time_s, energy) = stopwatch.stop();
        let steps = losses.steps.len().max(1);
        let train_seconds = losses.train_seconds.max(1e-9);
        RunReport {
            run: self,
            losses,
            metrics,
            wall_time_s,
            time_per_step_ms: 1000.0 * train_seconds / steps as f64,
            samples_per_second: samples_trained as f64 / train_seconds,
            peak_memory_mb: peak_memory_mb(),
            energy,
        }
    }
}

impl RunReport {
    /// Write `metrics.json` into `out` (created if needed); returns its path.
    pub fn write(&self, out: &Path) -> Result<PathBuf> {
        std::fs::create_dir_all(out).map_err(|e| Error::Io {
            action: "create",
            path: out.into(),
            reason: e.to_string(),
        })?;
        let path = out.join("metrics.json");
        let text = serde_json::to_string_pretty(self).expect("a report serialises");
        std::fs::write(&path, text + "\n").map_err(|e| Error::Io {
            action: "write",
            path: path.clone(),
            reason: e.to_string(),
        })?;
        Ok(path)
    }

    /// What a snapshot test pins: the run's settings, losses per epoch and final metrics,
    /// with every float rounded to `digits` decimals (stable on the CPU backend across
    /// machines) and the measurements that vary from run to run (time, memory, energy)
    /// left out.
    pub fn snapshot(&self, digits: i32) -> Value {
        let value = serde_json::json!({
            "lab": self.run.lab,
            "seed": self.run.seed,
            "device": self.run.device,
            "dataset": self.run.dataset,
            "hyperparameters": self.run.hyperparameters,
            "epoch_losses": self.losses.epochs,
            "steps": self.losses.steps.len(),
            "metrics": self.metrics,
        });
        round_floats(value, 10f64.powi(digits))
    }

    /// A few lines for the terminal.
    pub fn summary(&self) -> String {
        let mut lines = vec![format!(
            "{} on {} ({} data, seed {})",
            self.run.lab, self.run.device, self.run.dataset, self.run.seed
        )];
        if let (Some(first), Some(last)) = (self.losses.epochs.first(), self.losses.epochs.last()) {
            lines.push(format!("  loss {first:.4} -> {last:.4} over {} epochs", self.losses.epochs.len()));
        }
        for (name, value) in &self.metrics {
            match value.as_f64() {
                // Lists and tables are for the figures and the book, not for a terminal line
                // (the lab prints the few of their numbers that matter itself).
                None if value.is_array() || value.is_object() => {}
                Some(_) if value.is_u64() || value.is_i64() => lines.push(format!("  {name}: {value}")),
                Some(v) => lines.push(format!("  {name}: {v:.4}")),
                None => lines.push(format!("  {name}: {value}")),
            }
        }
        let memory = self.peak_memory_mb.map_or("unknown".into(), |m| format!("{m:.0} MB"));
        if self.losses.steps.is_empty() {
            // A lab that trains no network (Day 1) has no steps to time.
            lines.push(format!("  {:.1} s, peak memory {memory}", self.wall_time_s));
        } else {
            lines.push(format!(
                "  {:.1} s, {:.2} ms/step, {:.0} samples/s, peak memory {memory}",
                self.wall_time_s, self.time_per_step_ms, self.samples_per_second
            ));
        }
        lines.push(format!("  energy: {}", self.energy.describe()));
        lines.join("\n")
    }
}

/// Round every non-integer number in `value` to a multiple of `1 / scale`.
fn round_floats(value: Value, scale: f64) -> Value {
    match value {
        Value::Number(n) if n.is_f64() => {
            let rounded = (n.as_f64().unwrap_or(f64::NAN) * scale).round() / scale;
            serde_json::Number::from_f64(rounded).map_or(Value::Null, Value::Number)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| round_floats(v, scale)).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, round_floats(v, scale))).collect())
        }
        other => other,
    }
}

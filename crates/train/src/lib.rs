//! # dl4mir-train
//!
//! What every lab needs around its model, so that the lab itself reads as the lesson:
//!
//! * [`CommonArgs`]: the flags all labs share (`--device`, `--dataset`, `--seed`, `--out`,
//!   `--quick`, `--full`, `--epochs`, `--batch-size`, `--lr`, `--resume`).
//! * [`device()`]: `--device` as a burn [`burn::tensor::Device`], with one clear line when
//!   the backend is not compiled in or absent; [`seed_everything`] from one seed.
//! * [`Batcher`]: shuffled mini-batches of device tensors from in-memory arrays.
//! * [`run_epoch`]: the loop over batches, with a progress bar and a stop on NaN.
//! * [`Checkpoint`]: save after each epoch, continue with `--resume`.
//! * [`RunReport`]: `metrics.json` and the summary, with time, memory and energy.
//! * [`lab_main`]: a lab's whole `main`; [`testing`]: helpers for its tests;
//!   [`second_source`]: recordings made by SoX, to test the labs on a sound they were not tuned to.
//!
//! `examples/mlp.rs` puts them together; the labs follow its shape.

pub mod args;
pub mod batcher;
pub mod checkpoint;
pub mod device;
mod error;
pub mod fit;
mod lab_main;
pub mod measure;
pub mod report;
pub mod second_source;
pub mod split_k;
pub mod testing;
pub mod toy;

pub use args::{CommonArgs, RunSize};
pub use batcher::{Batch, Batcher, select_rows};
pub use checkpoint::{Checkpoint, RngState, Start, TrainingState};
pub use device::{DeviceChoice, SeededRng, device, seed_everything, uniform};
pub use error::{Error, Result};
pub use fit::{LossLog, progress, run_epoch};
pub use lab_main::{keep_freed_memory, lab_main};
pub use measure::{Energy, Stopwatch};
pub use report::{RunReport, RunSummary};
pub use split_k::{SplitKLinear, SplitNLinear};

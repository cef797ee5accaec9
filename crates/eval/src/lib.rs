//! # dl4mir-eval
//!
//! How well did it work? The metrics of every dl4mir lab, each checked against the library
//! students know (scikit-learn, mir_eval) on stored reference numbers:
//!
//! * [`classification`]: accuracy, confusion matrix, per-class precision / recall / F1 with
//!   macro and weighted averages, top-k accuracy, binary ROC AUC (Days 2, 3, 5).
//! * [`regression`]: MSE, MAE, R² (Day 2).
//! * [`split`]: k-fold, stratified k-fold and grouped k-fold (group = guitar string).
//! * [`retrieval`]: recall@k, median rank, average precision (Day 7).
//! * [`tempo`]: Accuracy 1 and Accuracy 2 (Day 10).
//! * [`separation`]: SDR and SI-SDR (Day 8).
//! * [`bss_eval`]: BSS Eval's SDR, SIR and SAR, as mir_eval's `bss_eval_sources` (Day 8).
//! * [`localisation`]: sound-source localisation maps: IoU, cIoU and AUC as "How to
//!   Listen?" scores them (Day 8).
//! * [`spectral`]: the log-spectral distance (Days 4 and 6).
//!
//! Labels are class indices `0..n_classes`; scores are `f64`.

pub mod bss_eval;
pub mod classification;
mod error;
pub mod localisation;
pub mod regression;
pub mod retrieval;
pub mod separation;
pub mod spectral;
pub mod split;
pub mod tempo;
pub mod text;

pub use error::{Error, Result};

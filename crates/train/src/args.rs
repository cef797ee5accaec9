//! The flags every lab shares, as one clap `Args` struct each lab flattens into its own:
//!
//! ```ignore
//! #[derive(clap::Parser)]
//! struct Cli {
//!     #[command(flatten)]
//!     common: dl4mir_train::CommonArgs,
//!     /// The lab's own flags follow.
//!     #[arg(long, default_value_t = 5)]
//!     test_string: u8,
//! }
//! ```

use crate::device::DeviceChoice;
use dl4mir_datasets::DatasetChoice;
use std::path::PathBuf;

/// Flags common to all labs.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// Where to train: cpu (always), or a GPU backend this build has (wgpu, vulkan, cuda).
    #[arg(long, value_enum, default_value_t = DeviceChoice::Cpu)]
    pub device: DeviceChoice,
    /// The synthetic EGFxSet (offline, made on first use) or the real one.
    #[arg(long, value_enum, default_value_t = DatasetChoice::Synth)]
    pub dataset: DatasetChoice,
    /// Where datasets live (default: $DL4MIR_DATA_HOME, else ~/mir_datasets).
    #[arg(long)]
    pub data_home: Option<PathBuf>,
    /// Seed of everything random: initialisation, shuffling, sampling.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where results go (default: target/labs/<lab>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A few seconds' run, for tests and a first look.
    #[arg(long, conflicts_with = "full")]
    pub quick: bool,
    /// The original course's full-size run (slow on a CPU).
    #[arg(long)]
    pub full: bool,
    /// Override the number of epochs.
    #[arg(long)]
    pub epochs: Option<usize>,
    /// Override the batch size.
    #[arg(long)]
    pub batch_size: Option<usize>,
    /// Override the learning rate.
    #[arg(long)]
    pub lr: Option<f64>,
    /// Continue from the checkpoint in the output folder.
    #[arg(long)]
    pub resume: bool,
}

/// Which size of run the flags ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunSize {
    /// `--quick`: seconds.
    Quick,
    /// No flag: about a minute on a laptop CPU.
    Default,
    /// `--full`: the original notebook's hyperparameters.
    Full,
}

impl CommonArgs {
    /// `--quick`, `--full`, or neither.
    pub fn size(&self) -> RunSize {
        match (self.quick, self.full) {
            (true, _) => RunSize::Quick,
            (_, true) => RunSize::Full,
            _ => RunSize::Default,
        }
    }

    /// The output folder: `--out`, else `target/labs/<lab>/` under the workspace.
    pub fn out_dir(&self, lab: &str) -> PathBuf {
        self.out.clone().unwrap_or_else(|| PathBuf::from("target").join("labs").join(lab))
    }

    /// Stop with the fix when `--epochs`, `--batch-size` or `--lr` cannot train: zero epochs,
    /// an empty batch, a learning rate that is not a positive number. The hints name the
    /// lab's own values (e.g. the notebook's batch of 32 and a learning rate of 0.01).
    pub fn check_training_values(&self, batch_hint: usize, lr_hint: f64) -> crate::Result<()> {
        let refuse = |message: String| Err(crate::Error::Data(message));
        if self.epochs == Some(0) {
            return refuse("--epochs 0 trains nothing; give at least 1".into());
        }
        if self.batch_size == Some(0) {
            return refuse(format!(
                "--batch-size 0 holds no examples; give at least 1 (this lab's notebook uses {batch_hint})"
            ));
        }
        if let Some(lr) = self.lr.filter(|lr| !(lr.is_finite() && *lr > 0.0)) {
            return refuse(format!("--lr {lr} must be a positive number, e.g. {lr_hint}"));
        }
        Ok(())
    }

    /// The data home (see `dl4mir_datasets::data_home`).
    pub fn data_home(&self) -> PathBuf {
        dl4mir_datasets::data_home(self.data_home.clone())
    }
}

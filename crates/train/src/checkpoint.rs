//! Checkpoints and `--resume`: after each epoch the lab saves its model, its optimizer's
//! state, the losses so far and the shuffling generator, so a run stopped at any moment
//! continues from its last finished epoch and ends with the numbers an unbroken run gives.
//!
//! A checkpoint is a folder `<out>/checkpoint/` with
//! * `model.bpk`: the parameters (burn's burnpack format, which keeps each parameter's id,
//!   so the optimizer's state finds its parameter again);
//! * `optimizer.bpk`: e.g. Adam's moment estimates;
//! * `state.json`: the finished epoch, the losses, the generator's position.
//!
//! It is written to `checkpoint.tmp/` and then renamed, so a run killed while saving
//! leaves the previous checkpoint whole.

use crate::device::SeededRng;
use crate::error::{Error, Result};
use crate::fit::LossLog;
use burn::module::Module;
use burn::optim::ModuleOptimizer;
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

/// Where a run's checkpoint lives: `<out>/checkpoint/`.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    dir: PathBuf,
}

/// What a checkpoint records besides the tensors.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TrainingState {
    /// The last finished epoch (1-based); training resumes at `epoch + 1`.
    pub epoch: usize,
    /// Losses of the finished epochs.
    pub losses: LossLog,
    /// The shuffling generator, so the next epoch draws the same order as it would have.
    pub rng: RngState,
}

/// The exact position of a [`ChaCha8Rng`].
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RngState {
    seed: [u8; 32],
    stream: u64,
    /// A u128 does not fit in a JSON number, so it is kept as text.
    word_pos: String,
}

impl RngState {
    /// Record where `rng` is.
    pub fn of(rng: &ChaCha8Rng) -> Self {
        RngState { seed: rng.get_seed(), stream: rng.get_stream(), word_pos: rng.get_word_pos().to_string() }
    }

    /// A generator at the recorded position.
    pub fn restore(&self) -> Result<ChaCha8Rng> {
        use rand_core::SeedableRng;
        let word_pos = self.word_pos.parse::<u128>().map_err(|e| {
            Error::Data(format!(
                "the checkpoint's generator position is unreadable ({e}); run without --resume"
            ))
        })?;
        let mut rng = ChaCha8Rng::from_seed(self.seed);
        rng.set_stream(self.stream);
        rng.set_word_pos(word_pos);
        Ok(rng)
    }
}

/// Where training starts: fresh, or where the checkpoint left off.
pub struct Start<M> {
    pub model: M,
    pub optimizer: ModuleOptimizer,
    /// The losses so far (empty when starting fresh).
    pub losses: LossLog,
    /// The shuffling generator, at the position the checkpoint recorded.
    pub rng: SeededRng,
    /// The first epoch to run (1 when starting fresh).
    pub first_epoch: usize,
}

impl<M> Start<M> {
    /// A run from scratch: epoch 1, no losses yet.
    pub fn fresh(model: M, optimizer: ModuleOptimizer, rng: SeededRng) -> Self {
        Start { model, optimizer, losses: LossLog::default(), rng, first_epoch: 1 }
    }
}

impl Checkpoint {
    /// With `resume` (the `--resume` flag), continue from the checkpoint; otherwise start
    /// from the given fresh model, optimizer and generator.
    pub fn resume_or_start<M: Module>(
        &self,
        resume: bool,
        model: M,
        optimizer: ModuleOptimizer,
        rng: SeededRng,
    ) -> Result<Start<M>> {
        if !resume {
            return Ok(Start::fresh(model, optimizer, rng));
        }
        let (model, optimizer, state) = self.load(model, optimizer)?;
        let rng = state.rng.restore()?;
        Ok(Start { model, optimizer, losses: state.losses, rng, first_epoch: state.epoch + 1 })
    }

    /// Save after finishing `epoch`.
    pub fn save_epoch<M: Module>(
        &self,
        epoch: usize,
        model: &M,
        optimizer: &ModuleOptimizer,
        losses: &LossLog,
        rng: &SeededRng,
    ) -> Result<()> {
        let state = TrainingState { epoch, losses: losses.clone(), rng: RngState::of(rng) };
        self.save(model, optimizer, &state)
    }

    /// The checkpoint of the run writing into `out`.
    pub fn in_dir(out: &Path) -> Self {
        Checkpoint { dir: out.join("checkpoint") }
    }

    /// A second checkpoint beside the first, `<out>/checkpoint-<name>/`: e.g. the epoch
    /// with the best validation loss so far.
    pub fn named(out: &Path, name: &str) -> Self {
        Checkpoint { dir: out.join(format!("checkpoint-{name}")) }
    }

    /// Whether a complete checkpoint is there.
    pub fn exists(&self) -> bool {
        self.dir.join("state.json").is_file()
    }

    /// Save model, optimizer and state, replacing the previous checkpoint only once the new
    /// one is complete.
    pub fn save<M: Module>(
        &self,
        model: &M,
        optimizer: &ModuleOptimizer,
        state: &TrainingState,
    ) -> Result<()> {
        let tmp = self.dir.with_extension("tmp");
        let io = |action, path: &Path, reason: String| Error::Io { action, path: path.to_path_buf(), reason };
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| io("clear", &tmp, e.to_string()))?;
        }
        std::fs::create_dir_all(&tmp).map_err(|e| io("create", &tmp, e.to_string()))?;
        let model_path = tmp.join("model.bpk");
        model.clone().save_file(&model_path).map_err(|e| io("write", &model_path, e.to_string()))?;
        let optimizer_path = tmp.join("optimizer.bpk");
        optimizer.save(&optimizer_path).map_err(|e| io("write", &optimizer_path, e.to_string()))?;
        let state_path = tmp.join("state.json");
        let json = serde_json::to_string_pretty(state).expect("the state serialises");
        std::fs::write(&state_path, json).map_err(|e| io("write", &state_path, e.to_string()))?;
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir).map_err(|e| io("replace", &self.dir, e.to_string()))?;
        }
        std::fs::rename(&tmp, &self.dir).map_err(|e| io("move into place", &self.dir, e.to_string()))
    }

    /// Load a checkpoint into a freshly made `model` and `optimizer` of the same shape.
    /// A missing checkpoint or one from a different model is one clear error.
    pub fn load<M: Module>(
        &self,
        model: M,
        optimizer: ModuleOptimizer,
    ) -> Result<(M, ModuleOptimizer, TrainingState)> {
        if !self.exists() {
            return Err(Error::Data(format!(
                "--resume found no checkpoint in {}: run once without --resume (or pass the same --out)",
                self.dir.display()
            )));
        }
        let stale = |what: &str, reason: String| {
            Error::Data(format!(
                "the checkpoint in {} does not fit this run ({what}: {reason}); \
                 delete it or run without --resume",
                self.dir.display()
            ))
        };
        let model =
            model.try_load_file(self.dir.join("model.bpk")).map_err(|e| stale("model", e.to_string()))?;
        let optimizer =
            optimizer.load(self.dir.join("optimizer.bpk")).map_err(|e| stale("optimizer", e.to_string()))?;
        let text = std::fs::read_to_string(self.dir.join("state.json"))
            .map_err(|e| stale("state.json", e.to_string()))?;
        let state: TrainingState =
            serde_json::from_str(&text).map_err(|e| stale("state.json", e.to_string()))?;
        Ok((model, optimizer, state))
    }
}

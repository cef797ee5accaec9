//! The notes of the chosen classes, their labels, strings and features.

use crate::features;
use crate::scaling::{Scaling, scale};
use crate::split::Split;
use dl4mir_datasets::{
    Class, EffectType, IfMissing, Track, effect_classes, open_classes, type_classes,
};
use dl4mir_train::select_rows;
use dl4mir_train::{Batcher, CommonArgs};
use std::path::PathBuf;

/// What the network tells apart.
#[derive(Debug, Clone, PartialEq)]
pub enum Labels {
    /// Effect types, e.g. modulation vs reverb (the notebook's choice).
    Types(Vec<EffectType>),
    /// All 13 effects, clean included.
    Effects,
}

impl Labels {
    /// `--labels modulation,reverb`, `--labels none,distortion,modulation,delay,reverb` or
    /// `--labels effects`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.trim() == "effects" {
            return Ok(Labels::Effects);
        }
        let mut types = Vec::new();
        for name in text.split(',') {
            let t = EffectType::from_name(name).ok_or_else(|| {
                format!("`{name}` is not an effect type; use two or more of none, distortion, modulation, delay, reverb (comma-separated), or `effects` for all 13")
            })?;
            if !types.contains(&t) {
                types.push(t);
            }
        }
        if types.len() < 2 {
            return Err("name at least two effect types, e.g. modulation,reverb".into());
        }
        Ok(Labels::Types(types))
    }

    /// Each class's name and the effects it is made of.
    pub fn classes(&self) -> Vec<Class> {
        match self {
            Labels::Types(types) => type_classes(types),
            Labels::Effects => effect_classes(),
        }
    }
}

/// The run's notes and their features, row `i` for note `i`.
pub struct Notes {
    pub tracks: Vec<Track>,
    pub names: Vec<String>,
    pub labels: Vec<usize>,
    pub strings: Vec<u8>,
    /// Row `i`: note `i`'s mel spectrogram in dB, not yet scaled.
    pub features: Vec<f32>,
    pub width: usize,
    /// The cached feature file (NumPy), which the PyTorch twin reads.
    pub cache: PathBuf,
}

impl Notes {
    /// `per_class` notes of each class (all of them with `None`), and their features.
    pub fn load(
        args: &CommonArgs,
        labels: &Labels,
        per_class: Option<usize>,
    ) -> anyhow::Result<Notes> {
        let classes = labels.classes();
        let (choice, home) = (args.dataset, args.data_home());
        let (tracks, labels) =
            open_classes(choice, &home, &classes, per_class, args.seed, IfMissing::Stop)?;
        let names: Vec<String> = classes.iter().map(|(n, _)| n.clone()).collect();
        let strings = tracks.iter().map(|t| t.string).collect();
        let (features, cache) = features::matrix(&args.data_home(), &tracks)?;
        Ok(Notes { tracks, names, labels, strings, features, width: features::width(), cache })
    }

    /// Mini-batches of the split's training, validation and test notes, scaled as `scaling`
    /// says (with the training notes' statistics).
    pub fn batchers(
        &self,
        split: &Split,
        batch_size: usize,
        scaling: Scaling,
    ) -> anyhow::Result<(Batcher, Batcher, Batcher)> {
        let scaled = scale(&self.features, self.width, &split.train, scaling)?;
        let batcher = |indices: &[usize]| -> anyhow::Result<Batcher> {
            let rows = select_rows(&scaled, self.width, indices);
            Ok(Batcher::new(rows, self.width, self.labels_of(indices), batch_size)?)
        };
        Ok((batcher(&split.train)?, batcher(&split.validation)?, batcher(&split.test)?))
    }

    /// The labels of the notes `indices`.
    pub fn labels_of(&self, indices: &[usize]) -> Vec<usize> {
        indices.iter().map(|&i| self.labels[i]).collect()
    }

    /// Stop with the fix if a split leaves nothing to train or test on.
    pub fn check_split(&self, split: &Split, test_string: u8) -> anyhow::Result<()> {
        anyhow::ensure!(
            !split.test.is_empty() && !split.train.is_empty(),
            "the string split needs notes on string {test_string} (found {}) and on the other strings (found {}); \
             fetch more with `cargo run -p dl4mir-datasets -- download` or choose another --test-string",
            split.test.len(),
            split.train.len() + split.validation.len()
        );
        Ok(())
    }
}

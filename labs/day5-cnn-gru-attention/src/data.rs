//! The notes, their labels and features, and the split every model shares.

use crate::compare::Batches;
use crate::{descriptors, features};
use dl4mir_datasets::{
    Class, EffectType, IfMissing, Track, effect_classes, open_classes, type_classes,
};
use dl4mir_train::{Batcher, CommonArgs, select_rows};

/// What the models tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Labels {
    /// All 13 effects.
    Effect,
    /// The five effect types.
    Type,
}

impl Labels {
    fn classes(self) -> Vec<Class> {
        match self {
            Labels::Effect => effect_classes(),
            Labels::Type => type_classes(&EffectType::ALL),
        }
    }
}

/// Every note with its label and log-mel features, split by guitar string.
pub struct Data {
    pub tracks: Vec<Track>,
    pub labels: Vec<usize>,
    pub class_count: usize,
    /// `[tracks x features::width()]`
    pub features: Vec<f32>,
    pub train: Vec<usize>,
    pub validation: Vec<usize>,
    pub test: Vec<usize>,
}

impl Data {
    // ANCHOR: split
    /// The notes of every class (`per_class` of each, or all), their features (cached),
    /// and the split: the test string's notes for testing, one note in ten of the other
    /// strings (in id order) to check progress after each epoch, the rest for training.
    pub fn load(
        args: &CommonArgs,
        labels: Labels,
        per_class: Option<usize>,
        test_string: u8,
    ) -> anyhow::Result<Self> {
        let classes = labels.classes();
        let home = args.data_home();
        let (tracks, labels) = open_classes(
            args.dataset,
            &home,
            &classes,
            per_class,
            args.seed,
            IfMissing::Stop,
        )?;
        let (features, _) = features::matrix(&home, &tracks)?;
        let (train, validation, test) = split_by_string(&tracks, test_string);
        anyhow::ensure!(
            !test.is_empty() && !train.is_empty() && !validation.is_empty(),
            "too few notes to train, validate and test on string {test_string} \
             ({} notes in all); use more notes (leave out --quick) or another --test-string",
            tracks.len()
        );
        Ok(Self {
            tracks,
            labels,
            class_count: classes.len(),
            features,
            train,
            validation,
            test,
        })
    }
    // ANCHOR_END: split

    /// The train, validation and test notes as batches; with `extra` (`[tracks x k]`),
    /// each row is the spectrogram followed by the note's `k` extra numbers.
    pub fn batches(
        &self,
        batch_size: usize,
        extra: Option<&[f32]>,
    ) -> anyhow::Result<Batches> {
        let width = features::width();
        let k = extra.map_or(0, |e| e.len() / self.tracks.len());
        let rows = |indices: &[usize]| -> Vec<f32> {
            match extra {
                None => select_rows(&self.features, width, indices),
                Some(extra) => indices
                    .iter()
                    .flat_map(|&i| {
                        let spectrogram = &self.features[i * width..(i + 1) * width];
                        spectrogram.iter().chain(&extra[i * k..(i + 1) * k]).copied()
                    })
                    .collect(),
            }
        };
        let batcher = |indices: &[usize]| {
            Batcher::new(
                rows(indices),
                width + k,
                indices.iter().map(|&i| self.labels[i]).collect(),
                batch_size,
            )
        };
        Ok(Batches {
            train: batcher(&self.train)?,
            validation: batcher(&self.validation)?,
            test: batcher(&self.test)?,
            truth: self.test.iter().map(|&i| self.labels[i]).collect(),
            classes: self.class_count,
        })
    }

    /// The exercise's descriptors of every note, standardised on the training notes.
    pub fn descriptors(&self, args: &CommonArgs) -> anyhow::Result<Vec<f32>> {
        let mut values = descriptors::matrix(&args.data_home(), &self.tracks)?;
        descriptors::standardise(&mut values, &self.train);
        Ok(values)
    }

    /// The first test note's id and spectrogram, for the attention figure.
    pub fn first_test_clip(&self) -> (&str, &[f32]) {
        let (i, width) = (self.test[0], features::width());
        (&self.tracks[i].id, &self.features[i * width..(i + 1) * width])
    }
}

/// The split of every lab that tests on a held-out string: (train, validation, test)
/// indices; the test string's notes test, one note in ten of the others validates.
pub fn split_by_string(
    tracks: &[Track],
    test_string: u8,
) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let (test, rest): (Vec<usize>, Vec<usize>) =
        (0..tracks.len()).partition(|&i| tracks[i].string == test_string);
    let (validation, train): (Vec<usize>, Vec<usize>) =
        rest.iter().partition(|&&i| i % 10 == 0);
    (train, validation, test)
}

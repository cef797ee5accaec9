//! `--dataset synth|egfxset`, resolved in one place that every lab calls.

use crate::egfxset::{Egfxset, Track};
use crate::error::{Error, Result};
use crate::select::Selection;
use crate::synth::{SynthOptions, SynthOutcome, generate, generate_tracks};
use std::path::Path;

/// Which EGFxSet a lab trains on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DatasetChoice {
    /// The synthetic twin, generated offline on first use (`<data_home>/egfxset-synth`).
    #[default]
    Synth,
    /// The real recordings (`<data_home>/egfxset`), fetched with `download`.
    Egfxset,
}

/// Open the chosen dataset under `data_home`; the synthetic one is made first if needed,
/// with a one-line explanation and a progress bar.
pub fn open_dataset(choice: DatasetChoice, data_home: &Path, synth: &SynthOptions) -> Result<Egfxset> {
    match choice {
        DatasetChoice::Egfxset => Egfxset::initialize(data_home),
        DatasetChoice::Synth => {
            let root = synth_dir(data_home);
            if !root.join(crate::synth::SYNTH_MARKER_FILE).exists() {
                eprintln!(
                    "making the synthetic EGFxSet in {} (once; later runs reuse it; use --dataset egfxset for the real one)",
                    root.display()
                );
            }
            if let SynthOutcome::Generated { tracks } = generate(&root, synth)? {
                eprintln!("made {tracks} synthetic recordings");
            }
            Egfxset::open(&root)
        }
    }
}

/// Where the synthetic set lives under a data home.
pub fn synth_dir(data_home: &Path) -> std::path::PathBuf {
    data_home.join("egfxset-synth")
}

/// The tracks a lab selects, ready to load: what every lab calls.
///
/// * synthetic: the selected tracks that are not made yet are made now (and only those),
///   so a first run waits for the data it uses, not for all 8,970 files;
/// * real: the selected tracks whose files are present; a partial download is fine, and
///   the count found of the count the index lists is said on stderr.
///
/// ```no_run
/// use dl4mir_datasets::{data_home, open_tracks, DatasetChoice, Effect, synth::SynthOptions};
/// let tracks = open_tracks(DatasetChoice::Synth, &data_home(None), &SynthOptions::default(),
///     |s| s.effects(&[Effect::Clean, Effect::TubeScreamer]))?;
/// # Ok::<(), dl4mir_datasets::Error>(())
/// ```
pub fn open_tracks(
    choice: DatasetChoice,
    data_home: &Path,
    synth: &SynthOptions,
    select: impl for<'a> Fn(Selection<'a>) -> Selection<'a>,
) -> Result<Vec<Track>> {
    match choice {
        DatasetChoice::Synth => {
            let root = synth_dir(data_home);
            let wanted = select(Egfxset::planned_synth(&root)?.select()).tracks()?;
            let ids: Vec<String> = wanted.iter().map(|t| t.id.clone()).collect();
            if let SynthOutcome::Generated { tracks } = generate_tracks(&root, synth, &ids)? {
                eprintln!(
                    "made {tracks} synthetic recordings in {} (once; later runs reuse them; --dataset egfxset for the real ones)",
                    root.display()
                );
            }
            let set = Egfxset::open(&root)?;
            ids.iter().map(|id| set.track(id)).collect()
        }
        DatasetChoice::Egfxset => {
            let set = Egfxset::initialize(data_home)?;
            let n_listed = select(set.select()).tracks()?.len();
            let present = select(set.select().present_only()).tracks()?;
            if present.len() < n_listed {
                eprintln!(
                    "found {} of the {n_listed} recordings the index lists for this run in {} (a partial download is fine)",
                    present.len(),
                    set.root().display()
                );
            }
            Ok(present)
        }
    }
}

/// A class of a lab's classifier: its name and the effects whose recordings it holds.
pub type Class = (String, Vec<crate::Effect>);

/// One class per effect: the 13 effects, clean included.
pub fn effect_classes() -> Vec<Class> {
    crate::Effect::ALL.iter().map(|&e| (e.to_string(), vec![e])).collect()
}

/// One class per effect type, each made of all the effects of that type.
pub fn type_classes(types: &[crate::EffectType]) -> Vec<Class> {
    let of_type = |t| crate::Effect::ALL.into_iter().filter(|e| e.effect_type() == t).collect();
    types.iter().map(|&t| (t.name().to_string(), of_type(t))).collect()
}

/// What [`open_classes`] does when a class has no recordings (a partial real download).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IfMissing {
    /// Stop with [`Error::ClassMissing`], naming what to download.
    Stop,
    /// Go on with the classes that are there.
    GoOn,
}

/// The tracks of each class in turn, at most `per_class` of each (drawn with `seed`; all
/// with `None`), and each track's class index. The labs' usual first step.
pub fn open_classes(
    choice: DatasetChoice,
    data_home: &Path,
    classes: &[Class],
    per_class: Option<usize>,
    seed: u64,
    if_missing: IfMissing,
) -> Result<(Vec<Track>, Vec<usize>)> {
    open_classes_where(choice, data_home, classes, |s| s, (per_class, seed), if_missing)
}

/// [`open_classes`] among the notes `narrow` keeps (say one pickup, some strings and frets),
/// sampled after narrowing: `(per_class, seed)`.
pub fn open_classes_where(
    choice: DatasetChoice,
    data_home: &Path,
    classes: &[Class],
    narrow: impl for<'a> Fn(Selection<'a>) -> Selection<'a>,
    (per_class, seed): (Option<usize>, u64),
    if_missing: IfMissing,
) -> Result<(Vec<Track>, Vec<usize>)> {
    let (mut tracks, mut labels) = (Vec::new(), Vec::new());
    for (label, (_, effects)) in classes.iter().enumerate() {
        let found = open_tracks(choice, data_home, &SynthOptions::default(), |s| {
            let s = narrow(s.effects(effects));
            match per_class {
                Some(n) => s.sample(n, seed),
                None => s,
            }
        })?;
        labels.extend(std::iter::repeat_n(label, found.len()));
        tracks.extend(found);
    }
    if if_missing == IfMissing::Stop {
        let names: Vec<String> = classes.iter().map(|(name, _)| name.clone()).collect();
        let class_of = |t: &Track| classes.iter().position(|(_, effects)| effects.contains(&t.effect));
        require_every_class(&tracks, &names, class_of, |c| classes[c].1.clone())?;
    }
    Ok((tracks, labels))
}

/// Stop with [`Error::ClassMissing`] if a class has no tracks: `class_of` gives each
/// track's class index into `class_names` (or `None` for a track outside them), and
/// `effects_of` the effects a class is made of, for the download command in the message.
pub fn require_every_class(
    tracks: &[Track],
    class_names: &[String],
    class_of: impl Fn(&Track) -> Option<usize>,
    effects_of: impl Fn(usize) -> Vec<crate::Effect>,
) -> Result<()> {
    for (class, name) in class_names.iter().enumerate() {
        if !tracks.iter().any(|t| class_of(t) == Some(class)) {
            let root = tracks.first().and_then(|t| t.audio_path.ancestors().nth(3)).map(Path::to_path_buf);
            let download =
                effects_of(class).iter().map(|e| format!("\"{}\"", e.name())).collect::<Vec<_>>().join(" ");
            return Err(Error::ClassMissing {
                class: format!("`{name}`"),
                root: root.unwrap_or_else(|| "the dataset folder".into()),
                download,
            });
        }
    }
    Ok(())
}

//! The MIRdata part: what a dataset loader gives you. The index lists every track (with
//! the md5 of its file) whether downloaded or not; a track joins its metadata; its audio
//! is read only when asked for.

use dl4mir_datasets::index::{Index, parse_track_id};
use dl4mir_datasets::{Effect, Pickup, Track};
use std::collections::BTreeMap;

// ANCHOR: counts
/// How many tracks the index lists per effect, per pickup and per string.
pub struct Counts {
    pub total: usize,
    pub per_effect: BTreeMap<Effect, usize>,
    pub per_pickup: BTreeMap<Pickup, usize>,
    pub per_string: BTreeMap<u8, usize>,
}

pub fn count_index(index: &Index) -> anyhow::Result<Counts> {
    let mut counts = Counts {
        total: 0,
        per_effect: BTreeMap::new(),
        per_pickup: BTreeMap::new(),
        per_string: BTreeMap::new(),
    };
    for id in index.tracks.keys() {
        let key = parse_track_id(id)?;
        counts.total += 1;
        *counts.per_effect.entry(key.effect).or_default() += 1;
        *counts.per_pickup.entry(key.pickup).or_default() += 1;
        *counts.per_string.entry(key.string).or_default() += 1;
    }
    Ok(counts)
}
// ANCHOR_END: counts

impl Counts {
    /// A few lines for the terminal.
    pub fn describe(&self) -> String {
        let join = |items: Vec<String>| items.join(", ");
        let effects = join(self.per_effect.iter().map(|(e, n)| format!("{e} {n}")).collect());
        let pickups =
            join(self.per_pickup.iter().map(|(p, n)| format!("{} {n}", p.folder())).collect());
        let strings = join(self.per_string.iter().map(|(s, n)| format!("{s}: {n}")).collect());
        format!(
            "the index lists {} tracks\n  per effect: {effects}\n  per pickup: {pickups}\n  per string: {strings}",
            self.total
        )
    }
}

// ANCHOR: metadata
/// Everything the loader knows about a track, one field per line.
pub fn describe_track(track: &Track) -> String {
    let knobs: Vec<String> = track
        .knob_names
        .iter()
        .zip(&track.settings)
        .map(|(name, setting)| format!("{name} = {setting}"))
        .collect();
    [
        format!("track {}", track.id),
        format!("  file       {}", track.audio_path.display()),
        format!(
            "  effect     {} ({}){}",
            track.effect,
            track.effect_type.name(),
            match track.model.as_str() {
                "" => String::new(),
                model => format!(", {model}"),
            }
        ),
        format!("  pickup     {}", track.pickup.folder()),
        format!(
            "  string {}, fret {}: {} (MIDI {})",
            track.string, track.fret, track.note_name, track.midi
        ),
        format!(
            "  knobs      {}",
            if knobs.is_empty() { "none".into() } else { knobs.join(", ") }
        ),
    ]
    .join("\n")
}
// ANCHOR_END: metadata

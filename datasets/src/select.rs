//! Choosing tracks: by effect, effect type, pickup, string and fret, then a seeded sample.
//!
//! ```no_run
//! # use dl4mir_datasets::{Egfxset, Effect};
//! # let set = Egfxset::initialize(std::path::Path::new("data"))?;
//! // Day 1: clean vs tube screamer; train on strings 1-4 and 6, test on string 5.
//! let train = set.select().effects(&[Effect::Clean, Effect::TubeScreamer]).exclude_strings(&[5]).tracks()?;
//! let test = set.select().effects(&[Effect::Clean, Effect::TubeScreamer]).strings(&[5]).tracks()?;
//! # Ok::<(), dl4mir_datasets::Error>(())
//! ```

use crate::effect::{Effect, EffectType, Pickup};
use crate::egfxset::{Egfxset, Track};
use crate::error::Result;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A filter over an [`Egfxset`]; every condition left unset lets everything through.
#[derive(Debug, Clone)]
pub struct Selection<'a> {
    set: &'a Egfxset,
    effects: Option<Vec<Effect>>,
    effect_types: Option<Vec<EffectType>>,
    pickups: Option<Vec<Pickup>>,
    strings: Option<Vec<u8>>,
    frets: Option<Vec<u8>>,
    excluded_strings: Vec<u8>,
    sample: Option<(usize, u64)>,
    present_only: bool,
}

impl<'a> Selection<'a> {
    pub(crate) fn new(set: &'a Egfxset) -> Self {
        Self {
            set,
            effects: None,
            effect_types: None,
            pickups: None,
            strings: None,
            frets: None,
            excluded_strings: vec![],
            sample: None,
            present_only: false,
        }
    }

    /// Only these effects.
    pub fn effects(mut self, effects: &[Effect]) -> Self {
        self.effects = Some(effects.to_vec());
        self
    }

    /// Only these effect types.
    pub fn effect_types(mut self, types: &[EffectType]) -> Self {
        self.effect_types = Some(types.to_vec());
        self
    }

    /// Only these pickups.
    pub fn pickups(mut self, pickups: &[Pickup]) -> Self {
        self.pickups = Some(pickups.to_vec());
        self
    }

    /// Only these strings (1 = high E ... 6 = low E).
    pub fn strings(mut self, strings: &[u8]) -> Self {
        self.strings = Some(strings.to_vec());
        self
    }

    /// Only these frets (0 = the open string).
    pub fn frets(mut self, frets: &[u8]) -> Self {
        self.frets = Some(frets.to_vec());
        self
    }

    /// All strings but these (the held-out test string).
    pub fn exclude_strings(mut self, strings: &[u8]) -> Self {
        self.excluded_strings = strings.to_vec();
        self
    }

    /// At most `n` of the selected tracks, drawn without replacement by a generator seeded
    /// with `seed`: the same seed gives the same tracks, in id order.
    pub fn sample(mut self, n: usize, seed: u64) -> Self {
        self.sample = Some((n, seed));
        self
    }

    /// Only tracks whose audio file is on disk (a partial download), checked before
    /// [`Selection::sample`] draws from them.
    pub fn present_only(mut self) -> Self {
        self.present_only = true;
        self
    }

    /// The selected tracks, in id order.
    pub fn tracks(&self) -> Result<Vec<Track>> {
        let keep = |t: &Track| {
            self.effects.as_ref().is_none_or(|e| e.contains(&t.effect))
                && self.effect_types.as_ref().is_none_or(|e| e.contains(&t.effect_type))
                && self.pickups.as_ref().is_none_or(|p| p.contains(&t.pickup))
                && self.strings.as_ref().is_none_or(|s| s.contains(&t.string))
                && self.frets.as_ref().is_none_or(|f| f.contains(&t.fret))
                && !self.excluded_strings.contains(&t.string)
                && (!self.present_only || t.audio_path.is_file())
        };
        let mut chosen: Vec<Track> = self.set.tracks()?.into_iter().filter(keep).collect();
        if let Some((n, seed)) = self.sample {
            // A partial Fisher-Yates shuffle: the first n positions become a uniform sample.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let n = n.min(chosen.len());
            for i in 0..n {
                let j = i + (rng.next_u64() % (chosen.len() - i) as u64) as usize;
                chosen.swap(i, j);
            }
            chosen.truncate(n);
            chosen.sort_by(|a, b| a.id.cmp(&b.id));
        }
        Ok(chosen)
    }
}

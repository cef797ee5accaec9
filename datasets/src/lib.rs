//! # dl4mir-datasets
//!
//! EGFxSet (Pedroza, Meza, Roman, 2022; CC BY 4.0): 8,970 five-second recordings of every
//! note of a Stratocaster through 5 pickup positions, clean and through 12 effects. Every
//! dl4mir lab trains on it. This crate gives
//!
//! * a mirdata-like API: [`Egfxset::initialize`], [`Egfxset::track_ids`],
//!   [`Egfxset::track`], [`Track::audio`] (lazy), [`Egfxset::select`] and
//!   [`Egfxset::validate`];
//! * [`download`] of the real archives from Zenodo, resumable and checksummed;
//! * [`synth::generate`], an offline synthetic twin with the same layout, names and
//!   metadata, made in about a minute;
//! * [`open_dataset`]: the `--dataset synth|egfxset` choice every lab resolves.
//!
//! ```no_run
//! use dl4mir_datasets::{data_home, open_dataset, DatasetChoice, Effect, synth::SynthOptions};
//! let set = open_dataset(DatasetChoice::Synth, &data_home(None), &SynthOptions::default())?;
//! let clean = set.select().effects(&[Effect::Clean]).strings(&[5]).tracks()?;
//! let (y, sr) = clean[0].audio()?;
//! # Ok::<(), dl4mir_datasets::Error>(())
//! ```

pub mod cache;
pub mod checksum;
pub mod download;
pub mod effect;
mod egfxset;
mod error;
mod home;
pub mod index;
pub mod metadata;
pub mod progress;
pub mod select;
mod source;
pub mod synth;
mod validate;

pub use cache::cached_features;
pub use download::{DownloadOptions, RemoteFile, download, download_files, egfxset_remotes};
pub use effect::{Effect, EffectType, Pickup};
pub use egfxset::{Egfxset, SYNTH_INDEX_FILE, Track};
pub use error::{Error, Result};
pub use home::{DATA_HOME_VAR, data_home, egfxset_dir};
pub use source::{
    Class, DatasetChoice, IfMissing, effect_classes, open_classes, open_classes_where, open_dataset,
    open_tracks, require_every_class, synth_dir, type_classes,
};
pub use validate::Validation;

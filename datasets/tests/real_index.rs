//! The real index and metadata, with every quirk of the real dataset (listed in
//! `datasets/README.md`), and the three committed real recordings through the API.

mod common;

use common::{optional_shared, sample_dir};
use dl4mir_datasets::index::{Index, REAL_INDEX_MD5, parse_track_id, real_index_json};
use dl4mir_datasets::metadata::{REAL_METADATA_CSV, REAL_METADATA_MD5, Setting, parse_metadata};
use dl4mir_datasets::{Effect, EffectType, Egfxset, Pickup, checksum::md5_bytes};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn the_embedded_index_is_mirdata_s_byte_for_byte() {
    // The md5 is mirdata's (c72222f9...): this check needs nothing beside the repository.
    assert_eq!(md5_bytes(real_index_json().as_bytes()), REAL_INDEX_MD5);
    // With the course's ../shared folder present, its copy must be the same bytes too.
    if let Some(path) = optional_shared("egfxset_index_1.json") {
        assert_eq!(real_index_json(), std::fs::read_to_string(path).unwrap());
    }
}

#[test]
fn all_8970_tracks_parse_and_every_note_is_there_once() {
    let index = Index::real();
    assert_eq!(index.tracks.len(), 8970);
    let mut notes: BTreeMap<(Effect, Pickup, u8), BTreeSet<u8>> = BTreeMap::new();
    for (id, entry) in &index.tracks {
        let key = parse_track_id(id).unwrap_or_else(|e| panic!("{id}: {e}"));
        // The id is the path with `_` for the first `/`, without `.wav`.
        assert_eq!(format!("{}.wav", id.replacen('_', "/", 1)), entry.path.replacen('_', "/", 0));
        assert!(
            notes.entry((key.effect, key.pickup, key.string)).or_default().insert(key.fret),
            "{id}: fret twice"
        );
    }
    assert_eq!(notes.len(), 13 * 5 * 6);
    for (folder, frets) in notes {
        assert_eq!(frets, (0..=22).collect(), "{folder:?}: frets 0-22, each once");
    }
}

#[test]
fn quirk_dotted_flanger_names() {
    let dotted: Vec<&String> = Index::real().tracks.keys().filter(|id| id.contains('.')).collect();
    assert_eq!(dotted.len(), 23);
    assert!(dotted.iter().all(|id| id.starts_with("Flanger_Bridge-Middle/3.")));
    let key = parse_track_id("Flanger_Bridge-Middle/3.12").unwrap();
    assert_eq!(
        (key.effect, key.pickup, key.string, key.fret),
        (Effect::Flanger, Pickup::BridgeMiddle, 3, 12)
    );
    assert_eq!(Index::real().tracks["Flanger_Bridge-Middle/3.12"].path, "Flanger/Bridge-Middle/3.12.wav");
}

#[test]
fn quirk_fret_numbering_of_two_sessions() {
    // TapeEcho/Bridge-Middle strings 2 and 3 are numbered fret + 23.
    let key = parse_track_id("TapeEcho_Bridge-Middle/2-23").unwrap();
    assert_eq!((key.file_number, key.fret), (23, 0));
    assert_eq!(parse_track_id("TapeEcho_Bridge-Middle/3-45").unwrap().fret, 22);
    assert_eq!(parse_track_id("TapeEcho_Bridge-Middle/1-5").unwrap().fret, 5);
    // TubeScreamer/Bridge-Middle string 1 runs 0-23 without 17: file 18 is fret 17.
    assert!(!Index::real().tracks.contains_key("TubeScreamer_Bridge-Middle/1-17"));
    assert_eq!(parse_track_id("TubeScreamer_Bridge-Middle/1-16").unwrap().fret, 16);
    assert_eq!(parse_track_id("TubeScreamer_Bridge-Middle/1-18").unwrap().fret, 17);
    assert_eq!(parse_track_id("TubeScreamer_Bridge-Middle/1-23").unwrap().fret, 22);
}

#[test]
fn quirk_folder_names_differ_from_csv_names() {
    let folders: BTreeSet<&str> =
        Index::real().tracks.keys().map(|id| id.split('_').next().unwrap()).collect();
    let ours: BTreeSet<&str> = Effect::ALL.iter().map(|e| e.folder()).collect();
    assert_eq!(folders, ours);
    assert_eq!(Effect::from_folder("RAT").unwrap().name(), "distortion");
    assert_eq!(Effect::from_folder("TapeEcho").unwrap().name(), "tape echo");
    assert_eq!(Effect::from_folder("Digital Delay").unwrap().archive(), "Digital-Delay.zip");
}

#[test]
fn the_real_csv_with_its_header_spaces_joins_every_effect() {
    let text = std::fs::read_to_string(sample_dir().join("egfxset_metadata.csv")).unwrap();
    assert_eq!(md5_bytes(text.as_bytes()), REAL_METADATA_MD5);
    assert_eq!(text, REAL_METADATA_CSV, "the sample's CSV is the one the crate embeds");
    assert!(
        text.starts_with("Effect ,Model,Effect Type,Knob Names,Knob Type,Setting \r\n"),
        "header spaces, CRLF"
    );
    let rows = parse_metadata(&text, "egfxset_metadata.csv").unwrap();
    assert_eq!(rows.len(), 13, "12 rows plus clean");
    for effect in Effect::ALL {
        let row = &rows[&effect];
        assert_eq!(row.effect_type, effect.effect_type(), "{effect}");
        assert_eq!(row.knob_names.len(), row.settings.len(), "{effect}: one setting per knob");
        assert_eq!(row.knob_types.len(), row.settings.len(), "{effect}");
    }
    assert_eq!(rows[&Effect::Clean].model, "");
    assert_eq!(rows[&Effect::Flanger].model, "Mooer E-Lady", "trailing space trimmed");
    assert_eq!(rows[&Effect::Rat].model, "Pro Co Sound RAT2 Distortion");
    assert_eq!(
        rows[&Effect::Chorus].settings,
        vec![Setting::Text("120 bpm".into()), Setting::Number(1.0), Setting::Bool(false)]
    );
    let digital = &rows[&Effect::DigitalDelay];
    assert_eq!(digital.settings.len(), 6, "the row with a trailing space after the list");
    assert_eq!(digital.knob_names[4], "tweez (treble)");
    assert_eq!(rows[&Effect::PlateReverb].settings[6], Setting::Bool(true));
    assert_eq!(EffectType::from_name("reverb"), Some(EffectType::Reverb));
}

#[test]
fn a_csv_that_does_not_parse_is_named() {
    let err = parse_metadata("Effect ,Model\nchorus,x\n", "my.csv").unwrap_err().to_string();
    assert!(err.starts_with("my.csv does not parse: no `Effect Type` column"), "{err}");
    let bad =
        "Effect ,Model,Effect Type,Knob Names,Knob Type,Setting \nchorus,m,modulation,['a'],['b'],[oops]\n";
    let err = parse_metadata(bad, "my.csv").unwrap_err().to_string();
    assert!(err.contains("row 2: `oops`"), "{err}");
    let err = Index::from_json("{\"tracks\": 3}", "index.json").unwrap_err().to_string();
    assert!(err.starts_with("index.json does not parse"), "{err}");
}

#[test]
fn the_three_real_recordings_load_through_the_api() {
    let set = Egfxset::open(&sample_dir()).unwrap();
    assert!(!set.is_synthetic());
    for id in ["Clean_Middle/6-22", "TapeEcho_Bridge/2-0", "TapeEcho_Bridge-Middle/1-0"] {
        let track = set.track(id).unwrap();
        let (y, sr) = track.audio().unwrap();
        assert_eq!((sr, y.len()), (48_000, 48_000), "{id}: the samples are cut to 1 s");
    }
    let clean = set.track("Clean_Middle/6-22").unwrap();
    assert_eq!((clean.string, clean.fret, clean.midi, clean.note_name.as_str()), (6, 22, 62, "D4"));
    assert_eq!((clean.effect_type, clean.model.as_str()), (EffectType::None, ""));
    let tape = set.track("TapeEcho_Bridge-Middle/1-0").unwrap();
    assert_eq!((tape.midi, tape.note_name.as_str(), tape.effect.name()), (64, "E4", "tape echo"));
    assert_eq!(tape.model, "Line 6 DL4 Delay");
    assert_eq!(tape.knob_names.len(), 6);
    // Every other track is absent here, and says how to get it.
    let err = set.track("Chorus_Neck/1-0").unwrap().audio().unwrap_err().to_string();
    assert!(err.contains("is missing (track Chorus_Neck/1-0)") && err.contains("validate"), "{err}");
    let err = set.track("Chorus_Neck/9-9").unwrap_err().to_string();
    assert!(err.contains("no track `Chorus_Neck/9-9`"), "{err}");
}

#[test]
fn validate_names_the_cut_samples_and_counts_the_missing() {
    let set = Egfxset::open(&sample_dir()).unwrap();
    let report = set.validate().unwrap();
    assert_eq!(report.checked, 8971);
    assert_eq!(report.missing.len(), 8967, "everything but the three samples (the CSV is there)");
    let mut mismatched = report.mismatched.clone();
    mismatched.sort();
    assert_eq!(
        mismatched,
        ["Clean/Middle/6-22.wav", "TapeEcho/Bridge-Middle/1-0.wav", "TapeEcho/Bridge/2-0.wav"]
    );
    let text = report.report();
    assert!(text.contains("8967 file(s) missing") && text.contains("... and 8947 more"), "{text}");
}

#[test]
fn selections_filter_and_sample_deterministically() {
    let set = Egfxset::open(&sample_dir()).unwrap();
    let day1 = set.select().effects(&[Effect::Clean, Effect::TubeScreamer]).tracks().unwrap();
    assert_eq!(day1.len(), 2 * 690);
    let held_out = set.select().effects(&[Effect::Clean]).strings(&[5]).tracks().unwrap();
    assert_eq!(held_out.len(), 115);
    let train = set.select().effects(&[Effect::Clean]).exclude_strings(&[5]).tracks().unwrap();
    assert_eq!(train.len(), 690 - 115);
    let reverbs = set.select().effect_types(&[EffectType::Reverb]).pickups(&[Pickup::Neck]).tracks().unwrap();
    assert_eq!(reverbs.len(), 3 * 138);
    let low_frets = set.select().effects(&[Effect::Clean]).pickups(&[Pickup::Middle]).strings(&[4, 5, 6]);
    let low_frets = low_frets.frets(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).tracks().unwrap();
    assert_eq!(low_frets.len(), 3 * 10, "3 strings x frets 0-9");
    assert!(low_frets.iter().all(|t| t.fret <= 9 && t.pickup == Pickup::Middle));
    let a = set.select().sample(50, 7).tracks().unwrap();
    let b = set.select().sample(50, 7).tracks().unwrap();
    let c = set.select().sample(50, 8).tracks().unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), 50);
}

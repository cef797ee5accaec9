//! The synthetic EGFxSet: layout, determinism, caching, and validate's view of it.

use dl4mir_datasets::synth::{SynthOptions, SynthOutcome, generate, render};
use dl4mir_datasets::{DatasetChoice, Effect, Egfxset, open_dataset, synth_dir};
use std::path::PathBuf;

mod common;

fn temp_home(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dl4mir-datasets-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn small() -> SynthOptions {
    SynthOptions { seed: 3, per_folder: Some(1), seconds: 0.5 }
}

#[test]
fn synth_then_validate_passes_and_a_flipped_byte_is_named() {
    let home = temp_home("validate");
    let root = synth_dir(&home);
    assert_eq!(generate(&root, &small()).unwrap(), SynthOutcome::Generated { tracks: 65 });
    let set = Egfxset::open(&root).unwrap();
    assert!(set.is_synthetic());
    assert_eq!(set.track_ids().count(), 65, "one track per <Effect>/<Pickup> folder");
    assert!(set.validate().unwrap().is_ok());

    // The real layout, names and metadata.
    let track = set.tracks().unwrap().into_iter().find(|t| t.effect == Effect::DigitalDelay).unwrap();
    assert!(track.audio_path.starts_with(root.join("Digital Delay")));
    assert_eq!(track.model, "Line 6 DL4 Delay");
    let (y, sr) = track.audio().unwrap();
    assert_eq!((sr, y.len()), (48_000, 24_000));
    let info = dl4mir_audio::wav_info(&track.audio_path).unwrap();
    assert_eq!((info.bits_per_sample, info.channels), (24, 1));

    // One flipped byte in one file: validate names exactly that file.
    let victim = set.tracks().unwrap()[10].clone();
    let mut bytes = std::fs::read(&victim.audio_path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&victim.audio_path, bytes).unwrap();
    let report = set.validate().unwrap();
    let relative = victim.audio_path.strip_prefix(&root).unwrap().to_str().unwrap().to_string();
    assert_eq!(report.mismatched, vec![relative]);
    assert!(report.missing.is_empty());
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn a_second_call_finds_the_set_and_does_nothing() {
    let home = temp_home("cache");
    let root = synth_dir(&home);
    generate(&root, &small()).unwrap();
    let index_time = std::fs::metadata(root.join("egfxset_index_synth.json")).unwrap().modified().unwrap();
    assert_eq!(generate(&root, &small()).unwrap(), SynthOutcome::AlreadyPresent { tracks: 65 });
    assert_eq!(
        std::fs::metadata(root.join("egfxset_index_synth.json")).unwrap().modified().unwrap(),
        index_time
    );
    // Other options: made again.
    let longer = SynthOptions { seconds: 0.6, ..small() };
    assert_eq!(generate(&root, &longer).unwrap(), SynthOutcome::Generated { tracks: 65 });
    // The one place labs go through.
    let set = open_dataset(DatasetChoice::Synth, &home, &longer).unwrap();
    assert_eq!(set.root(), root);
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn the_same_seed_gives_the_same_sound_and_another_seed_another() {
    let id = "Chorus_Neck/3-7";
    let options = SynthOptions { seconds: 0.3, ..Default::default() };
    let a = render(id, &options).unwrap();
    assert_eq!(a, render(id, &options).unwrap());
    assert_ne!(a, render(id, &SynthOptions { seed: 1, ..options.clone() }).unwrap());
    assert!(a.iter().all(|x| x.abs() <= 0.95), "inside full scale");
}

#[test]
fn the_note_has_the_real_pitch() {
    // String 5 fret 0 is A2 = 110 Hz: a strong peak there (the pickup's comb makes the
    // second harmonic louder still, as on a real guitar), and harmonics at its multiples.
    let y = render("Clean_Neck/5-0", &SynthOptions { seconds: 1.0, ..Default::default() }).unwrap();
    let spectrum = dl4mir_audio::magnitude(
        &dl4mir_audio::stft(
            &y,
            &dl4mir_audio::StftParams { n_fft: 48_000, hop_length: Some(48_000), ..Default::default() },
        )
        .unwrap(),
    );
    let column = spectrum.column(0);
    let strongest = |lo: usize, hi: usize| (lo..hi).max_by(|&a, &b| column[a].total_cmp(&column[b])).unwrap();
    let loudest = column[strongest(50, 1000)];
    // (Harmonic 4 nearly vanishes: the neck pickup sits near its node, a quarter of the way.)
    for harmonic in 1..=3 {
        let expected = 110 * harmonic;
        let found = strongest(expected - 20, expected + 20);
        assert!(
            (found as i32 - expected as i32).abs() <= 1,
            "harmonic {harmonic} at {found} Hz, not {expected}"
        );
        assert!(column[found] > 0.05 * loudest, "harmonic {harmonic} is too weak");
    }
}

#[test]
fn a_missing_dataset_says_how_to_get_one() {
    let err = Egfxset::initialize(&temp_home("missing")).unwrap_err().to_string();
    assert!(
        err.starts_with("no EGFxSet at") && err.contains("-- synth") && err.contains("-- download"),
        "{err}"
    );
}

#[test]
fn an_unwritable_data_home_is_one_clear_line() {
    let home = temp_home("unwritable");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("egfxset-synth"), b"a file where the folder should be").unwrap();
    let err = generate(&synth_dir(&home), &small()).unwrap_err().to_string();
    assert!(err.starts_with("cannot create"), "{err}");
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn a_wrong_format_or_truncated_recording_is_named_with_the_fix() {
    let home = temp_home("formats");
    let root = synth_dir(&home);
    generate(&root, &small()).unwrap();
    let set = Egfxset::open(&root).unwrap();
    let tracks = set.tracks().unwrap();

    // A 16-bit 44.1 kHz file where a 24-bit 48 kHz one should be.
    dl4mir_audio::write_wav(&tracks[0].audio_path, &[0.0; 100], 44_100, dl4mir_audio::WavFormat::Int16)
        .unwrap();
    let err = tracks[0].audio().unwrap_err().to_string();
    assert!(err.contains("is 44100 Hz 16-bit int, 1 channel(s), but EGFxSet is 48 kHz 24-bit mono"), "{err}");

    // A file cut in half.
    let bytes = std::fs::read(&tracks[1].audio_path).unwrap();
    std::fs::write(&tracks[1].audio_path, &bytes[..bytes.len() / 2]).unwrap();
    let err = tracks[1].audio().unwrap_err();
    assert!(err.to_string().contains("is truncated"), "{err}");
    // Printed as a lab prints it (anyhow's chain, `{:#}`), the message appears once.
    let printed = format!("{:#}", anyhow::Error::from(err));
    assert_eq!(printed.matches("is truncated").count(), 1, "{printed}");
    assert_eq!(printed.matches("fetch it again").count(), 1, "{printed}");
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn an_unreadable_file_prints_the_system_s_reason_once() {
    let missing = PathBuf::from("/nonexistent/dl4mir/take-1.wav");
    let audio = dl4mir_audio::load(&missing, &Default::default()).unwrap_err();
    let printed = format!("{:#}", anyhow::Error::from(dl4mir_datasets::Error::from(audio)));
    assert!(printed.starts_with("cannot access /nonexistent/dl4mir/take-1.wav: No such file"), "{printed}");
    assert_eq!(printed.matches("No such file").count(), 1, "{printed}");
    let io = dl4mir_datasets::Error::io("cannot write", &missing, std::io::Error::other("disk on fire"));
    let printed = format!("{:#}", anyhow::Error::from(io));
    assert_eq!(printed.matches("disk on fire").count(), 1, "{printed}");
}

#[test]
fn a_full_disk_says_so_and_what_to_do() {
    let full = std::io::Error::from(std::io::ErrorKind::StorageFull);
    let err = dl4mir_datasets::Error::io("cannot write", "/data/x.wav", full).to_string();
    assert!(
        err.starts_with("cannot write /data/x.wav:")
            && err.ends_with("(the disk is full: free some space or use --data-home on another disk)"),
        "{err}"
    );
}

#[test]
fn a_lab_makes_only_the_tracks_it_selects_and_the_next_lab_adds_its_own() {
    use dl4mir_datasets::open_tracks;
    let home = temp_home("open-tracks");
    let options = SynthOptions { seed: 3, per_folder: None, seconds: 0.5 };
    fn clean_string_1(s: dl4mir_datasets::select::Selection<'_>) -> dl4mir_datasets::select::Selection<'_> {
        s.effects(&[Effect::Clean]).strings(&[1])
    }
    let first = open_tracks(DatasetChoice::Synth, &home, &options, clean_string_1).unwrap();
    assert_eq!(first.len(), 5 * 23, "5 pickups x 23 frets");
    assert!(first.iter().all(|t| t.audio_path.is_file()));
    let set = Egfxset::open(&synth_dir(&home)).unwrap();
    assert_eq!(set.track_ids().count(), 115, "nothing else was made");

    // Another lab's selection: 4 chorus notes, added beside the clean ones.
    let chorus =
        open_tracks(DatasetChoice::Synth, &home, &options, |s| s.effects(&[Effect::Chorus]).sample(4, 1))
            .unwrap();
    assert_eq!(chorus.len(), 4);
    assert_eq!(Egfxset::open(&synth_dir(&home)).unwrap().track_ids().count(), 119);
    assert!(Egfxset::open(&synth_dir(&home)).unwrap().validate().unwrap().is_ok());

    // The first selection again: found, not remade (same files, same md5).
    let again = open_tracks(DatasetChoice::Synth, &home, &options, clean_string_1).unwrap();
    assert_eq!(again, first);
    std::fs::remove_dir_all(&home).unwrap();
}

#[test]
fn real_data_uses_the_present_files_and_samples_among_them() {
    use dl4mir_datasets::open_tracks;
    let home = temp_home("partial-real");
    let root = home.join("egfxset");
    for file in common::SAMPLE_WAVS {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::copy(common::sample_dir().join(file), root.join(file)).unwrap();
    }
    let options = SynthOptions::default();
    let tape_echo =
        open_tracks(DatasetChoice::Egfxset, &home, &options, |s| s.effects(&[Effect::TapeEcho])).unwrap();
    assert_eq!(
        tape_echo.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["TapeEcho_Bridge-Middle/1-0", "TapeEcho_Bridge/2-0"]
    );
    // A sample of 40 draws from the present files, not from the 690 listed.
    let sampled =
        open_tracks(DatasetChoice::Egfxset, &home, &options, |s| s.effects(&[Effect::Clean]).sample(40, 7))
            .unwrap();
    assert_eq!(sampled.len(), 1);
    let names = vec!["clean".to_string(), "chorus".to_string()];
    let err = dl4mir_datasets::require_every_class(
        &sampled,
        &names,
        |t| (t.effect == Effect::Clean).then_some(0),
        |c| vec![[Effect::Clean, Effect::Chorus][c]],
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("no recordings of `chorus`") && err.contains("download --partial \"chorus\""),
        "{err}"
    );
    std::fs::remove_dir_all(&home).unwrap();
}

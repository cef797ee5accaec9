//! Property tests of the WAV reader: whatever bytes a user hands `load`, it returns a clear
//! error or the right samples, and never panics or hangs. A valid file round-trips exactly.
//!
//! 64 cases per property by default (a few seconds); `PROPTEST_CASES=20000 cargo test -p
//! dl4mir-audio --test fuzz_wav` runs longer (see BENCHMARKS.md, "Fuzzing").

mod common;

use common::shared_sample;
use dl4mir_audio::{LoadParams, WavFormat, load, load_channels, wav_info, write_wav};
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Cases per property: `PROPTEST_CASES` if set, else 64.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// A fresh file name per case (the properties run on parallel test threads).
fn temp_wav(bytes: &[u8]) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("dl4mir-fuzz-{}-{n}.wav", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Every reader on `bytes`: each must return (never panic); an error must say something,
/// and a success must hold finite samples in [-1, 1] in as many channels as announced.
fn read_all_ways(bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = temp_wav(bytes);
    let info = wav_info(&path);
    let channels = load_channels(&path);
    let mono = load(&path, &LoadParams { sr: None, ..Default::default() });
    std::fs::remove_file(&path).unwrap();
    for message in [info.as_ref().err(), channels.as_ref().err(), mono.as_ref().err()].into_iter().flatten() {
        prop_assert!(!message.to_string().is_empty());
    }
    if let Ok((channels, _)) = &channels {
        if let Ok(info) = &info {
            prop_assert_eq!(channels.len(), info.channels as usize);
        }
        for samples in channels {
            prop_assert!(samples.iter().all(|x| x.is_finite() && x.abs() <= 1.0 + 1e-6));
        }
    }
    if let Ok((y, _)) = &mono {
        prop_assert!(y.iter().all(|x| x.is_finite()));
    }
    Ok(())
}

/// A canonical 44-byte header (`fmt ` then `data`) with the given fields, then `data`.
fn wav_bytes(format_tag: u16, channels: u16, sr: u32, bits: u16, declared_data: u32, data: &[u8]) -> Vec<u8> {
    let block_align = channels.wrapping_mul(bits.div_ceil(8));
    let byte_rate = sr.wrapping_mul(block_align as u32);
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36u32.wrapping_add(declared_data)).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&format_tag.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&sr.to_le_bytes());
    out.extend_from_slice(&byte_rate.to_le_bytes());
    out.extend_from_slice(&block_align.to_le_bytes());
    out.extend_from_slice(&bits.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&declared_data.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// Small, edge and huge values, so that both plausible and absurd headers come up.
fn field_u16() -> impl Strategy<Value = u16> {
    prop_oneof![0u16..=40, Just(u16::MAX), any::<u16>()]
}

fn field_u32() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..=200_000, Just(u32::MAX), Just(u32::MAX - 1), any::<u32>()]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_are_an_error_or_audio(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        read_all_ways(&bytes)?;
    }

    #[test]
    fn arbitrary_bytes_after_a_riff_wave_magic(tail in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut bytes = b"RIFF\xff\xff\xff\xffWAVE".to_vec();
        bytes.extend_from_slice(&tail);
        read_all_ways(&bytes)?;
    }

    #[test]
    fn a_header_with_corrupted_fields_is_an_error_or_audio(
        format_tag in prop_oneof![Just(1u16), Just(3), Just(0xFFFE), any::<u16>()],
        channels in field_u16(),
        sr in field_u32(),
        bits in prop_oneof![Just(8u16), Just(16), Just(24), Just(32), Just(64), field_u16()],
        declared_data in field_u32(),
        data in prop::collection::vec(any::<u8>(), 0..1024),
    ) {
        read_all_ways(&wav_bytes(format_tag, channels, sr, bits, declared_data, &data))?;
    }

    #[test]
    fn a_real_recording_with_flipped_bytes_is_an_error_or_audio(
        flips in prop::collection::vec((prop_oneof![0usize..800, 0usize..144_736], any::<u8>()), 1..8),
    ) {
        // Mostly in the header and its extra chunks (the first 800 bytes), some in the samples.
        let mut bytes = std::fs::read(shared_sample("Clean/Middle/6-22.wav")).unwrap();
        for (at, mask) in flips {
            let at = at % bytes.len();
            bytes[at] ^= mask.max(1);
        }
        read_all_ways(&bytes)?;
    }

    #[test]
    fn a_real_recording_cut_anywhere_is_an_error_or_audio(cut in 0usize..144_736) {
        let bytes = std::fs::read(shared_sample("Clean/Middle/6-22.wav")).unwrap();
        read_all_ways(&bytes[..cut])?;
    }

    #[test]
    fn a_valid_file_round_trips_exactly(
        levels in prop::collection::vec(-32768i32..32768, 0..2000),
        sr in 1u32..=384_000,
        format in prop_oneof![Just(WavFormat::Int16), Just(WavFormat::Int24), Just(WavFormat::Float32)],
    ) {
        // Multiples of 2^-15 are exact in every format written here.
        let y: Vec<f32> = levels.iter().map(|&k| k as f32 / 32768.0).collect();
        let path = temp_wav(&[]);
        write_wav(&path, &y, sr, format).unwrap();
        let read = load(&path, &LoadParams { sr: None, ..Default::default() });
        std::fs::remove_file(&path).unwrap();
        match read {
            Ok((back, back_sr)) => {
                prop_assert_eq!(back_sr, sr);
                prop_assert_eq!(back, y);
            }
            // Only a file without samples may be refused (by name, as an empty signal).
            Err(e) => prop_assert!(y.is_empty(), "{e}"),
        }
    }
}

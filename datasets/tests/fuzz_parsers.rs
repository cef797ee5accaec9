//! Property tests of the parsers a downloaded (or damaged) dataset goes through: the
//! metadata CSV and its Python-literal cells, track ids (with the real `3.12` quirk) and
//! the JSON index. Any input gives a parse or a clear error, never a panic; what we write,
//! we read back the same.
//!
//! 64 cases per property by default; `PROPTEST_CASES=20000` runs longer (BENCHMARKS.md,
//! "Fuzzing").

use dl4mir_datasets::index::{Index, IndexEntry, parse_track_id};
use dl4mir_datasets::metadata::{REAL_METADATA_CSV, Setting, parse_metadata, parse_python_list};
use dl4mir_datasets::{Effect, Pickup};
use proptest::prelude::*;
use std::collections::BTreeMap;

/// Cases per property: `PROPTEST_CASES` if set, else 64.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// A knob setting as the CSV holds them: a number, a quoted word, or a Python boolean.
fn setting() -> impl Strategy<Value = Setting> {
    prop_oneof![
        prop_oneof![-1e6f64..1e6, Just(0.0), Just(1.0), Just(1e-7), Just(-0.5)].prop_map(Setting::Number),
        "[a-zA-Z0-9 ()%.-]{0,12}".prop_map(Setting::Text),
        any::<bool>().prop_map(Setting::Bool),
    ]
}

/// `settings` written as Python writes a list literal, quotes and spacing chosen at random.
fn python_literal(settings: &[Setting], double_quotes: &[bool], spaces: &[bool]) -> String {
    let items: Vec<String> = settings
        .iter()
        .enumerate()
        .map(|(i, s)| match s {
            Setting::Number(x) => format!("{x:?}"),
            Setting::Text(t) if double_quotes[i % double_quotes.len()] => format!("\"{t}\""),
            Setting::Text(t) => format!("'{t}'"),
            Setting::Bool(true) => "True".into(),
            Setting::Bool(false) => "False".into(),
        })
        .collect();
    let separator = if spaces.first() == Some(&true) { ", " } else { "," };
    format!("[{}]{}", items.join(separator), if spaces.get(1) == Some(&true) { " " } else { "" })
}

/// Any character the CSV could hold, CSV and Python punctuation made frequent.
fn csv_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(vec![
                '[', ']', ',', '\'', '"', ' ', '\n', '\r', 'T', 'F', '1', '.', '-', 'e'
            ]),
            any::<char>()
        ],
        0..200,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn python_literals_round_trip(
        settings in prop::collection::vec(setting(), 0..8),
        double_quotes in prop::collection::vec(any::<bool>(), 1..8),
        spaces in prop::collection::vec(any::<bool>(), 2),
    ) {
        let text = python_literal(&settings, &double_quotes, &spaces);
        prop_assert_eq!(parse_python_list(&text), Ok(settings), "{}", text);
    }

    #[test]
    fn any_cell_is_a_list_or_a_clear_error(text in csv_text()) {
        if let Err(message) = parse_python_list(&text) {
            prop_assert!(!message.is_empty());
        }
    }

    #[test]
    fn any_csv_text_is_rows_or_a_clear_error(text in csv_text()) {
        if let Err(e) = parse_metadata(&text, "fuzz.csv") {
            prop_assert!(e.to_string().starts_with("fuzz.csv does not parse"), "{e}");
        }
    }

    #[test]
    fn the_real_csv_with_one_cell_replaced(row in 0usize..14, column in 0usize..6, cell in csv_text()) {
        // Damage one cell of the real file (row 0 is the header).
        let mut lines: Vec<String> = REAL_METADATA_CSV.split("\r\n").map(str::to_string).collect();
        let row = row % lines.len();
        let mut cells: Vec<String> = lines[row].split(',').map(str::to_string).collect();
        let column = column % cells.len();
        cells[column] = cell;
        lines[row] = cells.join(",");
        if let Err(e) = parse_metadata(&lines.join("\r\n"), "fuzz.csv") {
            prop_assert!(e.to_string().starts_with("fuzz.csv does not parse"), "{e}");
        }
    }

    #[test]
    fn the_real_csv_cut_anywhere(cut in 0usize..REAL_METADATA_CSV.len()) {
        let text = &REAL_METADATA_CSV.as_bytes()[..cut];
        let text = String::from_utf8_lossy(text);
        if let Err(e) = parse_metadata(&text, "fuzz.csv") {
            prop_assert!(e.to_string().starts_with("fuzz.csv does not parse"), "{e}");
        }
    }

    #[test]
    fn every_real_spelling_of_a_track_id_parses(
        effect in prop::sample::select(Effect::ALL.to_vec()),
        pickup in prop::sample::select(Pickup::ALL.to_vec()),
        string in 1u8..=6,
        number in 0u8..=22,
        dotted in any::<bool>(),
    ) {
        // `3.12` is how 23 real Flanger files are named; the dot is accepted everywhere.
        let id = format!("{}_{}/{string}{}{number}", effect.folder(), pickup.folder(), if dotted { '.' } else { '-' });
        let key = parse_track_id(&id).unwrap();
        prop_assert_eq!((key.effect, key.pickup, key.string, key.file_number), (effect, pickup, string, number));
        prop_assert!(key.fret <= 22);
    }

    #[test]
    fn any_track_id_is_a_note_or_a_clear_error(
        folder in prop_oneof![prop::sample::select(Effect::ALL.map(|e| e.folder()).to_vec()).prop_map(String::from), ".{0,12}"],
        pickup in prop_oneof![prop::sample::select(Pickup::ALL.map(|p| p.folder()).to_vec()).prop_map(String::from), ".{0,8}"],
        note in prop_oneof!["[0-9]{1,3}[-.][0-9]{1,4}", "[-0-9.+ ]{0,8}", ".{0,8}"],
    ) {
        match parse_track_id(&format!("{folder}_{pickup}/{note}")) {
            Ok(key) => prop_assert!((1..=6).contains(&key.string) && key.fret <= 22, "{key:?}"),
            Err(e) => prop_assert!(e.to_string().contains("does not parse"), "{e}"),
        }
    }

    #[test]
    fn any_text_is_an_index_or_a_clear_error(text in prop_oneof![
        ".{0,200}",
        // Nearly an index: the right keys with wrong shapes.
        r#"\{"tracks": \{("[a-z_/0-9-]{0,10}": \{"audio": (\[("[a-z]{0,4}"|1|null)(, ("[0-9a-f]{0,4}"|2|\[\]))?\]|null|"x")\},? ?){0,3}\}, "metadata": (\{"m": \["a", "b"\]\}|\{\}|3)\}"#,
    ]) {
        if let Err(e) = Index::from_json(&text, "fuzz.json") {
            prop_assert!(e.to_string().starts_with("fuzz.json does not parse"), "{e}");
        }
    }

    #[test]
    fn an_index_we_write_reads_back_the_same(
        tracks in prop::collection::btree_map("[A-Za-z_/0-9 .-]{1,20}", ("[^\u{0}]{0,20}", "[0-9a-f]{32}"), 0..20),
        metadata in ("[a-z_.]{1,20}", "[0-9a-f]{32}"),
    ) {
        let tracks: BTreeMap<String, IndexEntry> =
            tracks.into_iter().map(|(id, (path, md5))| (id, IndexEntry { path, md5 })).collect();
        let index = Index { tracks, metadata: IndexEntry { path: metadata.0, md5: metadata.1 } };
        prop_assert_eq!(Index::from_json(&index.to_json(), "ours.json").unwrap(), index);
    }
}

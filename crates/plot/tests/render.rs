//! Every figure renders to a valid PNG of its size, with real content, and an SVG; bad data
//! is refused before any file is written. Text uses the embedded font (CI has no fonts).

use dl4mir_plot::*;
use std::collections::HashSet;
use std::path::PathBuf;

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("figures");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Decode a PNG: its size and the number of distinct colours and of non-white pixels.
fn inspect(path: &std::path::Path) -> ((u32, u32), usize, usize) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buffer[..info.buffer_size()].chunks(channels).collect();
    let colours: HashSet<&[u8]> = pixels.iter().copied().collect();
    let inked = pixels.iter().filter(|p| p[..3] != [255, 255, 255]).count();
    ((info.width, info.height), colours.len(), inked)
}

fn check(figure: &impl Figure, name: &str, min_colours: usize) {
    let (png, svg) = save(figure, out_dir().join(name)).unwrap();
    let (size, colours, inked) = inspect(&png);
    assert_eq!(size, figure.size(), "{name}: PNG size");
    assert!(colours >= min_colours, "{name}: only {colours} colours");
    let share = inked as f64 / (size.0 * size.1) as f64;
    assert!(share > 0.02, "{name}: almost blank ({:.1}% inked)", 100.0 * share);
    let svg_text = std::fs::read_to_string(svg).unwrap();
    assert!(svg_text.starts_with("<svg") && svg_text.contains("<text"), "{name}: SVG with text");
}

#[test]
fn line_plot_with_log_axis_and_legend() {
    let curve = |scale: f64| (1..200).map(|s| (s as f64, scale / (s as f64).sqrt())).collect();
    let figure = LinePlot {
        title: "Loss".into(),
        x_label: "step".into(),
        y_label: "cross-entropy".into(),
        series: vec![Series::new("train", curve(2.0)), Series::new("validation", curve(2.5))],
        log_y: true,
    };
    check(&figure, "line", 20);
}

#[test]
fn scatter_by_class() {
    let points: Vec<(f64, f64)> =
        (0..300).map(|i| ((i % 3) as f64 * 2.0 + (i as f64 * 0.37).sin(), (i as f64 * 0.91).cos())).collect();
    let labels: Vec<usize> = (0..300).map(|i| i % 3).collect();
    let figure = Scatter {
        title: "PCA".into(),
        x_label: "PC 1".into(),
        y_label: "PC 2".into(),
        points,
        labels,
        class_names: vec!["clean".into(), "tube screamer".into(), "chorus".into()],
    };
    check(&figure, "scatter", 10);
}

#[test]
fn spectrogram_with_mel_axis_and_colour_bar() {
    let data: Vec<Vec<f64>> = (0..128)
        .map(|m| (0..500).map(|t| -80.0 + 80.0 * ((m as f64 * 0.1 + t as f64 * 0.02).sin().abs())).collect())
        .collect();
    let figure = Heatmap {
        title: "Mel spectrogram".into(),
        data,
        x_label: "time (s)".into(),
        x_range: Some((0.0, 5.0)),
        y_label: "frequency (Hz)".into(),
        frequency: FrequencyScale::Mel { fmin: 0.0, fmax: 24_000.0 },
        colorbar: Some("dB".into()),
    };
    check(&figure, "spectrogram", 100);
}

#[test]
fn confusion_matrix_with_counts_and_percentages() {
    let figure = ConfusionMatrix {
        title: "Effect type".into(),
        counts: vec![vec![50, 3, 2], vec![4, 40, 11], vec![0, 7, 48]],
        class_names: vec!["distortion".into(), "modulation".into(), "reverb".into()],
    };
    check(&figure, "confusion", 10);
}

#[test]
fn bars_with_error_bars() {
    let figure = BarChart {
        title: "Accuracy".into(),
        y_label: "test accuracy".into(),
        categories: vec!["CNN".into(), "GRU".into(), "attention".into()],
        values: vec![0.91, 0.84, 0.88],
        errors: Some(vec![0.02, 0.04, 0.03]),
    };
    check(&figure, "bars", 5);
}

#[test]
fn grid_of_attention_maps() {
    let panel = |h: usize| Heatmap {
        title: format!("head {h}"),
        data: (0..20)
            .map(|i| (0..20).map(|j| (-(((i as f64 - j as f64) - h as f64).powi(2)) / 8.0).exp()).collect())
            .collect(),
        x_label: "key".into(),
        x_range: None,
        y_label: "query".into(),
        frequency: FrequencyScale::Rows,
        colorbar: None,
    };
    let figure =
        HeatmapGrid { title: "Attention weights".into(), panels: (0..4).map(panel).collect(), columns: 2 };
    check(&figure, "attention", 50);
}

#[test]
fn bad_data_is_refused_before_writing() {
    let figure = Scatter {
        title: "broken".into(),
        x_label: String::new(),
        y_label: String::new(),
        points: vec![(0.0, 0.0); 3],
        labels: vec![0, 1],
        class_names: vec!["a".into(), "b".into()],
    };
    let path = out_dir().join("broken");
    let err = save(&figure, &path).unwrap_err().to_string();
    assert_eq!(err, "scatter `broken`: 3 points and 2 labels; they must be equal and non-zero");
    assert!(!path.with_extension("png").exists());
    let err = save(
        &LinePlot {
            title: "x".into(),
            x_label: String::new(),
            y_label: String::new(),
            series: vec![Series::new("a", vec![(0.0, -1.0)])],
            log_y: true,
        },
        out_dir().join("neg"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("a log y axis needs positive values"), "{err}");
}

#[test]
fn class_colours_are_stable_and_distinct() {
    let first13: HashSet<_> = (0..13)
        .map(|i| {
            let c = class_color(i);
            (c.0, c.1, c.2)
        })
        .collect();
    assert_eq!(first13.len(), 13);
    assert_eq!(class_color(3), class_color(23));
    assert_eq!(magma(0.0), plotters::style::RGBColor(0, 0, 4));
}

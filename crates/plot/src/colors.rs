//! Colours: one per class, the same in every lab, and a perceptual colour map.

use plotters::style::RGBColor;

/// Tableau's 20 colours, strong ones first: distinguishable, and fine for most colour-blind
/// readers for the first ten.
const PALETTE: [RGBColor; 20] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(174, 199, 232),
    RGBColor(255, 187, 120),
    RGBColor(152, 223, 138),
    RGBColor(255, 152, 150),
    RGBColor(197, 176, 213),
    RGBColor(196, 156, 148),
    RGBColor(247, 182, 210),
    RGBColor(199, 199, 199),
    RGBColor(219, 219, 141),
    RGBColor(158, 218, 229),
];

/// The colour of class `index` (EGFxSet's 13 effects in `Effect::ALL` order use the first
/// 13), repeating after 20.
pub fn class_color(index: usize) -> RGBColor {
    PALETTE[index % PALETTE.len()]
}

/// The magma colour map (black - purple - orange - pale yellow) at `t` in [0, 1]:
/// perceptually uniform, so equal steps in value look like equal steps in colour.
pub fn magma(t: f64) -> RGBColor {
    // Nine samples of matplotlib's magma, linearly interpolated.
    const ANCHORS: [(f64, f64, f64); 9] = [
        (0.001, 0.000, 0.014),
        (0.083, 0.060, 0.240),
        (0.232, 0.060, 0.438),
        (0.390, 0.100, 0.502),
        (0.550, 0.161, 0.506),
        (0.716, 0.215, 0.475),
        (0.868, 0.288, 0.409),
        (0.967, 0.439, 0.360),
        (0.987, 0.991, 0.750),
    ];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let position = t * (ANCHORS.len() - 1) as f64;
    let i = (position.floor() as usize).min(ANCHORS.len() - 2);
    let f = position - i as f64;
    let (a, b) = (ANCHORS[i], ANCHORS[i + 1]);
    let channel = |x: f64, y: f64| ((x + f * (y - x)) * 255.0).round() as u8;
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

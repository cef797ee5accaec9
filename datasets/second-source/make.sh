#!/usr/bin/env bash
# A second source of EGFxSet-layout recordings, made with SoX alone, so that the labs are
# tested on sound that dl4mir-datasets' own generator (datasets/src/synth/) did not make.
#
#   datasets/second-source/make.sh DIR      writes DIR/egfxset/<Effect>/<Pickup>/<s>-<f>.wav
#
# What differs from the synthetic twin: the string is SoX's `synth pluck` (its own
# Karplus-Strong), the pickups are equalisers instead of comb filters, and all 13 effects
# are SoX's `overdrive`, `chorus`, `flanger`, `phaser`, `echo(s)` and `reverb` (Freeverb)
# with settings chosen here, not the twin's DSP; the delays are 200-330 ms, not 0.5 s.
#
# The subset: all 13 effects x 2 pickups (Middle, Neck) x 6 strings x 7 frets each = 1,092
# notes, 5 s, 24-bit mono 48 kHz, the real metadata CSV beside them. Middle and Neck have
# no oddly numbered files in the real index, so every name below is one the index lists;
# Middle holds string 3 fret 5, Day 1's default note. The two pickups play different frets,
# so the set holds 14 positions per string.
#
# Deterministic: `sox -R` seeds SoX's random generator with a fixed number, and each note's
# variation (sustain, tone, tuning, level) comes from a checksum of its name, so a run writes
# the same bytes every time (with the same SoX version). SECOND_SOURCE_JOBS sets how many
# sox processes run at once (default 2).
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 DIR   (writes DIR/egfxset/...)" >&2
    exit 2
fi
if ! command -v sox >/dev/null; then
    echo "error: sox is not installed; install it with \`apt-get install sox\`" >&2
    exit 1
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$1/egfxset"
mkdir -p "$root"
cp "$here/../egfxset_metadata.csv" "$root/egfxset_metadata.csv"

EFFECTS=("Clean" "BluesDriver" "TubeScreamer" "RAT" "Chorus" "Flanger" "Phaser" "TapeEcho"
    "Digital Delay" "Sweep Echo" "Plate Reverb" "Hall Reverb" "Spring Reverb")
declare -A FRETS=([Middle]="0 2 5 7 10 14 19" [Neck]="1 3 6 9 12 16 21")

# The pickup's tone: an equaliser curve per position (bright middle, warm neck).
pickup_tone() {
    case "$1" in
        Middle) echo "equalizer 1200 1.2q +3 lowpass 6500" ;;
        Neck) echo "equalizer 220 0.9q +5 lowpass 2800" ;;
    esac
}

# The effect, as a SoX effects chain.
effect_chain() {
    case "$1" in
        Clean) echo "" ;;
        BluesDriver) echo "overdrive 14 40 equalizer 400 1q +2" ;;
        TubeScreamer) echo "highpass 300 equalizer 750 0.8q +9 overdrive 22 10 lowpass 4500" ;;
        RAT) echo "overdrive 40 0 lowpass 3000 equalizer 100 1q +3" ;;
        Chorus) echo "chorus 0.6 0.9 50 0.4 0.6 2 -s" ;;
        Flanger) echo "flanger 1 4 40 70 0.3 sine 25 quad" ;;
        Phaser) echo "phaser 0.8 0.74 3 0.5 0.7 -t" ;;
        # darker and wobbling: the loop is low-passed and its pitch drifts (a slow chorus)
        TapeEcho) echo "echo 0.8 0.8 270 0.55 540 0.3 lowpass 2200 chorus 0.9 0.9 20 0.3 0.25 0.6 -s" ;;
        "Digital Delay") echo "echos 0.8 0.8 330 0.5 660 0.25" ;;
        "Sweep Echo") echo "echo 0.8 0.8 200 0.5 phaser 0.9 0.8 4 0.4 0.3 -s" ;;
        # reverb: reverberance, HF damping, room scale, stereo depth, pre-delay (ms)
        "Plate Reverb") echo "reverb 65 10 45 100 8" ;;
        "Hall Reverb") echo "reverb 85 40 100 100 45" ;;
        "Spring Reverb") echo "reverb 55 75 20 100 0 echo 0.9 0.5 28 0.35" ;;
    esac
}

# One note: "effect|pickup|string|fret".
render() {
    IFS='|' read -r effect pickup string fret <<<"$1"
    local out="$root/$effect/$pickup/$string-$fret.wav"
    local open=(0 64 59 55 50 45 40) # string 1 (high E) .. 6 (low E); MIDI = open + fret
    local midi=$((open[string] + fret))
    # Per-note variation from the note's name: sustain, the pluck's two tone controls,
    # tuning within +-5 cents and level within 4 dB, as a player's notes differ.
    local h
    h=$(printf '%s' "$effect/$pickup/$string-$fret" | cksum | cut -d' ' -f1)
    local sustain=$((30 + h % 30)) tone1=$((10 + h / 30 % 25)) tone2=$((80 + h / 750 % 15))
    local cents=$((h / 11250 % 11 - 5)) level=$((h / 123750 % 5))
    local freq
    freq=$(awk -v m="$midi" -v c="$cents" 'BEGIN { printf "%.4f", 440 * 2 ^ ((m - 69 + c / 100) / 12) }')
    mkdir -p "$(dirname "$out")"
    # shellcheck disable=SC2046 # the chains are meant to split into words
    sox -R -V1 -n -r 48000 -b 24 -c 1 -e signed-integer "$out.part.wav" \
        synth 5 pluck "$freq" 0 0 "$sustain" "$tone1" "$tone2" \
        gain -12 $(pickup_tone "$pickup") $(effect_chain "$effect") \
        trim 0 5 gain -n "-$((1 + level))"
    mv "$out.part.wav" "$out"
}
export -f render pickup_tone effect_chain
export root

for effect in "${EFFECTS[@]}"; do
    for pickup in Middle Neck; do
        for string in 1 2 3 4 5 6; do
            for fret in ${FRETS[$pickup]}; do
                printf '%s|%s|%s|%s\0' "$effect" "$pickup" "$string" "$fret"
            done
        done
    done
done | xargs -0 -P "${SECOND_SOURCE_JOBS:-2}" -I{} bash -c 'render "$1"' _ {}

"""Make the separation demo's shipped mixtures together with their references (the sources that were
summed), so every estimate can be scored:

    .venv/bin/python -m demos.separation.make_mixtures   # rewrites the files named in demos.samples

- music: 8 s at 120 BPM (a one-bar loop played four times) = an additive-synth melody over
  sustained chords + a synthesised drum kit (sine-sweep kick, noise-burst snare and hi-hat) + an
  espeak-ng "vocal" line that does not repeat. The drum stem doubles as the 120 BPM loop of the music demo.
- two speakers: the shipped espeak-ng clips speech_en.wav (male) and speech_en_f.wav (female) summed.

Each mixture is exactly the sum of its shipped references (one gain for all, 16-bit FLAC).
"""

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from demos.samples import (
    MUSIC_DRUMS,
    MUSIC_MELODY,
    MUSIC_MIX,
    MUSIC_VOCAL,
    MUSIC_VOCAL_TEXT,
    SPEECH_EN,
    SPEECH_EN_F,
    TWO_SPEAKERS_MIX,
)

SR = 16000
BPM = 120
BEAT = 60 / BPM  # 0.5 s
BARS = 4
SECONDS = BARS * 4 * BEAT  # 8 s
PEAK = 0.9
# A one-bar loop, one chord per two beats: (bass MIDI note, chord tones) — C then G
CHORDS = ((48, (60, 64, 67)), (43, (55, 59, 62)))
# Melody of the loop in quarter notes (MIDI), four beats
TUNE = (72, 76, 74, 71)


def _hz(midi: int) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _tone(midi: int, seconds: float, *, decay: float, harmonics: int = 6) -> np.ndarray:
    """Additive tone: harmonics at 1/k amplitude, 10 ms attack, exponential decay (time constant `decay`)."""
    t = np.arange(int(seconds * SR)) / SR
    wave = sum(np.sin(2 * np.pi * k * _hz(midi) * t) / k for k in range(1, harmonics + 1))
    envelope = np.minimum(t / 0.01, 1.0) * np.exp(-t / decay)
    envelope[-int(0.01 * SR) :] *= np.linspace(1, 0, int(0.01 * SR))  # no click at the end
    return wave * envelope


def _place(track: np.ndarray, sound: np.ndarray, start: float) -> None:
    i = round(start * SR)
    end = min(len(track), i + len(sound))
    track[i:end] += sound[: end - i]


def melody() -> np.ndarray:
    track = np.zeros(int(SECONDS * SR))
    for bar in range(BARS):
        loop_start = bar * 4 * BEAT
        for i, (root, chord) in enumerate(CHORDS):
            start = loop_start + i * 2 * BEAT
            _place(track, 0.5 * _tone(root, 2 * BEAT, decay=1.5), start)
            for note in chord:
                _place(track, 0.2 * _tone(note, 2 * BEAT, decay=1.0, harmonics=4), start)
        for i, note in enumerate(TUNE):
            _place(track, 0.35 * _tone(note, BEAT, decay=0.4), loop_start + i * BEAT)
    return track


def drums(seed: int = 0) -> np.ndarray:
    """Kick on every beat, snare on 2 and 4, closed hi-hat on every eighth note."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(0.25 * SR)) / SR
    kick = np.sin(2 * np.pi * (50 * t + (150 - 50) * 0.03 * (1 - np.exp(-t / 0.03)))) * np.exp(-t / 0.08)
    snare = rng.standard_normal(len(t)) * np.exp(-t / 0.05) * 0.5
    hat_t = t[: int(0.05 * SR)]
    hat = np.diff(rng.standard_normal(len(hat_t) + 1)) * np.exp(-hat_t / 0.01) * 0.15  # differenced = bright
    track = np.zeros(int(SECONDS * SR))
    for beat in range(BARS * 4):
        _place(track, kick, beat * BEAT)
        if beat % 2 == 1:
            _place(track, snare, beat * BEAT)
        for half in (0, 0.5):
            _place(track, hat, (beat + half) * BEAT)
    return track


def vocal() -> np.ndarray:
    """An espeak-ng line (female variant, slow), starting half a bar in; it does not repeat."""
    with tempfile.TemporaryDirectory() as folder:
        raw, wav = Path(folder) / "raw.wav", Path(folder) / "vocal.wav"
        subprocess.run(
            ["espeak-ng", "-v", "en-us+f3", "-s", "120", "-p", "70", "-w", str(raw), MUSIC_VOCAL_TEXT],
            check=True,
        )
        subprocess.run(["sox", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(wav)], check=True)
        import soundfile as sf

        speech, _ = sf.read(str(wav), dtype="float64")
    track = np.zeros(int(SECONDS * SR))
    _place(track, speech / np.max(np.abs(speech)), 2 * BEAT)
    return track


def _write(path: Path, audio: np.ndarray) -> None:
    import soundfile as sf

    sf.write(str(path), audio.astype(np.float32), SR, subtype="PCM_16")


def _write_mixture(mixture_path: Path, stems: dict[Path, np.ndarray]) -> None:
    """Scale all stems by one gain so the mixture peaks at PEAK; write stems and their exact sum."""
    mixture = sum(stems.values())
    gain = PEAK / np.max(np.abs(mixture))
    for path, stem in stems.items():
        _write(path, stem * gain)
    _write(mixture_path, mixture * gain)


def main() -> None:
    import soundfile as sf

    _write_mixture(
        MUSIC_MIX, {MUSIC_MELODY: 0.6 * melody(), MUSIC_DRUMS: 0.7 * drums(), MUSIC_VOCAL: 1.0 * vocal()}
    )
    a, _ = sf.read(str(SPEECH_EN), dtype="float64")
    b, _ = sf.read(str(SPEECH_EN_F), dtype="float64")
    length = max(len(a), len(b))
    mixture = np.pad(a, (0, length - len(a))) + np.pad(b, (0, length - len(b)))
    _write(TWO_SPEAKERS_MIX, mixture * PEAK / np.max(np.abs(mixture)))


if __name__ == "__main__":
    main()

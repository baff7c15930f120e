"""The real recordings the project can find in installed packages, cut into single-speaker utterances.

Each source is read from the installed package at benchmark time; nothing is copied into the
repository. `SOURCES` documents where each comes from and its licence (also in README.md).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SR = 16000
MIN_UTTERANCE_S = 0.6  # shorter pieces ("Hello?") say little about a voice


@dataclass(frozen=True)
class Source:
    name: str
    package: str
    relative: str  # path inside the package
    speaker: str
    licence: str
    text: str = ""  # what is said, where known (for WER)


@dataclass(frozen=True)
class Utterance:
    speaker: str
    audio: np.ndarray  # float32 mono at SR
    text: str
    origin: str  # "<source> <start>-<end>"

    @property
    def seconds(self) -> float:
        return len(self.audio) / SR


SOURCES = (
    Source("pyannote-sample", "pyannote.audio", "sample/sample.wav", "(two speakers, see its RTTM)",
           "shipped in pyannote.audio (MIT); a 30 s two-speaker telephone conversation with RTTM and STM"),
    Source("cate-1", "gradio", "media_assets/audio/cate_blanch.mp3", "cate",
           "film dialogue excerpt shipped in gradio's media assets (gradio Apache-2.0; the dialogue is "
           "the film's, used here only locally, never redistributed)",
           "I sleep with a dagger. If you so much as move to touch me, I will sever your mind. You understand?"),
    Source("cate-2", "gradio", "media_assets/audio/cate_blanch_2.mp3", "cate",
           "as cate-1", "I trust you had an historic evening."),
    Source("heath", "gradio", "media_assets/audio/heath_ledger.mp3", "heath",
           "as cate-1", "If you're good at something, never do it for free."),
    Source("lj", "TTS", "vocoder/pqmf_output.wav", "lj",
           "shipped in coqui-tts (MPL-2.0): an LJ Speech sentence (public domain) passed through a PQMF "
           "analysis-synthesis filter bank, so real speech", "in being comparatively modern."),
)  # fmt: skip


def package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / relative


def load(path: Path) -> np.ndarray:
    from workers.audio_io import AudioLimits, load_audio

    return load_audio(path, target_sr=SR, limits=AudioLimits()).samples.astype(np.float32)


def pyannote_sample() -> tuple[np.ndarray, object, list[tuple[str, float, float, str]]]:
    """(audio, reference Annotation, STM rows (speaker, start, end, text)) of pyannote's sample."""
    from pyannote.database.util import load_rttm

    folder = package_file("pyannote.audio", "sample")
    reference = load_rttm(str(folder / "sample.rttm"))["sample"]
    rows = []
    for line in (folder / "sample.stm").read_text().splitlines():
        if line.strip():
            _uri, _ch, speaker, start, end, text = line.split(" ", 5)
            rows.append((speaker, float(start), float(end), text))
    return load(folder / "sample.wav"), reference, rows


def _pyannote_utterances() -> list[Utterance]:
    """Each RTTM turn of the sample with the parts where another speaker also talks cut out."""
    audio, reference, _rows = pyannote_sample()
    overlap = reference.get_overlap()
    single = reference.extrude(overlap)
    found = []
    for segment, _track, speaker in single.itertracks(yield_label=True):
        if segment.duration >= MIN_UTTERANCE_S:
            cut = audio[int(segment.start * SR) : int(segment.end * SR)]
            found.append(
                Utterance(
                    f"sample-{speaker}", cut, "", f"pyannote-sample {segment.start:.2f}-{segment.end:.2f}"
                )
            )
    return found


def _trimmed(audio: np.ndarray, threshold_db: float = -40.0) -> np.ndarray:
    """Leading and trailing near-silence removed (film clips carry a little padding)."""
    frame = SR // 100
    energy = np.array(
        [np.sqrt(np.mean(audio[i : i + frame] ** 2) + 1e-12) for i in range(0, len(audio), frame)]
    )
    loud = np.flatnonzero(20 * np.log10(energy / (energy.max() + 1e-12)) > threshold_db)
    return audio[loud[0] * frame : (loud[-1] + 1) * frame] if len(loud) else audio[:0]


def utterances() -> list[Utterance]:
    """Every real single-speaker utterance found, in a fixed order."""
    found = _pyannote_utterances()
    for source in SOURCES[1:]:
        try:
            audio = load(package_file(source.package, source.relative))
        except (FileNotFoundError, OSError, ValueError):
            continue  # a package version without that file: the set is smaller, the report says so
        found.append(Utterance(source.speaker, _trimmed(audio), source.text, source.name))
    return found


def by_speaker(items: list[Utterance]) -> dict[str, list[Utterance]]:
    grouped: dict[str, list[Utterance]] = {}
    for item in items:
        grouped.setdefault(item.speaker, []).append(item)
    return grouped

"""eSpeak NG formant synthesis, driven through its command-line program."""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess

import numpy as np

from workers.engines._voice_common import check_speed
from workers.engines.base import Availability, EngineError, ModelCard
from workers.engines.capabilities import SpeechSynthesizer, Synthesis, Voice

DEFAULT_VOICE = "en-us"
BASE_WPM = 175  # espeak-ng's default rate, our speed=1.0
MAX_CHARS = 5000
_TIMEOUT_S = 60
_VARIANT = re.compile(r"^[A-Za-z0-9_-]+$")


def _run(args: list[str], text: str) -> bytes:
    """Run espeak-ng with the text on stdin, so text starting with '-' is never read as an option."""
    try:
        done = subprocess.run(
            ["espeak-ng", *args, "--stdin"],
            input=text.encode(),
            capture_output=True,
            timeout=_TIMEOUT_S,
            check=True,
        )
    except subprocess.CalledProcessError as exc:
        raise EngineError(f"espeak-ng failed: {exc.stderr.decode(errors='replace').strip()}") from exc
    except subprocess.TimeoutExpired as exc:
        raise EngineError("espeak-ng took too long; try a shorter text.") from exc
    return done.stdout


# Median F0 shift (semitones, measured with pyworld on en-us) for espeak-ng's -p values: not linear,
# and flat below p=30, so shifts are looked up rather than computed.
_PITCH_P = (0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99)
_PITCH_ST = (-4.94, -4.44, -4.17, -2.95, -1.63, 0.0, 1.71, 3.48, 5.37, 7.30, 9.02)


def pitch_parameter(semitones: float) -> int:
    """The -p value whose measured F0 shift is closest to `semitones`."""
    if not _PITCH_ST[0] <= semitones <= _PITCH_ST[-1]:
        raise EngineError(
            f"espeak-ng can shift pitch by {_PITCH_ST[0]:.1f} to +{_PITCH_ST[-1]:.1f} semitones only."
        )
    return round(float(np.interp(semitones, _PITCH_ST, _PITCH_P)))


class EspeakSynthesizer(SpeechSynthesizer):
    """Rule-based formant synthesis (Klatt-style), the classic pre-neural TTS.

    Voices are the English ones `espeak-ng --voices=en` lists (MBROLA ones need their
    diphone databases and are left out); a variant can be added as "en-us+f3".
    """

    backend = "espeak-ng"
    sample_rate = 22050
    uses_torch = False
    card = ModelCard(
        engine="eSpeak NG formant synthesiser",
        package="espeak-ng 1.51 (Debian package, run as a command)",
        weights="none (classic method: rules and formant tables)",
        weights_bytes=None,
        licence="GPL-3.0-or-later",
        training_data="none: hand-written pronunciation rules and phoneme formant tables",
        limits=(
            "Intelligible but robotic; pitch control is espeak's -p base pitch "
            "(measured −4.9 to +9 semitones); MBROLA voices are not installed."
        ),
        classic=True,
        paper="https://github.com/espeak-ng/espeak-ng/blob/master/docs/index.md",
    )

    @classmethod
    def availability(cls) -> Availability:
        path = shutil.which("espeak-ng")
        if path is None:
            return Availability(False, "the espeak-ng program is not installed (apt install espeak-ng)")
        return Availability(True, f"program at {path}")

    def _load(self) -> None:
        self._voices = self._list_voices()

    @staticmethod
    def _list_voices() -> tuple[Voice, ...]:
        out = subprocess.run(
            ["espeak-ng", "--voices=en"], capture_output=True, text=True, check=True, timeout=_TIMEOUT_S
        ).stdout
        voices: dict[str, Voice] = {}
        for line in out.splitlines()[1:]:
            fields = line.split()
            if len(fields) < 5 or fields[4].startswith(("mb/", "!v/")):
                continue
            code, name = fields[1], fields[3].replace("_", " ")
            voices.setdefault(code, Voice(id=code, name=name, language=code))
        return tuple(voices.values())

    def voices(self) -> tuple[Voice, ...]:
        self.ensure_loaded()
        return self._voices

    def _voice_arg(self, voice: str | None) -> str:
        base, _, variant = (voice or DEFAULT_VOICE).partition("+")
        if base not in {v.id for v in self.voices()} or (variant and not _VARIANT.match(variant)):
            known = ", ".join(v.id for v in self.voices())
            raise EngineError(f"Unknown espeak-ng voice '{voice}'. Known: {known} (variants: en-us+f3).")
        return voice or DEFAULT_VOICE

    def synthesize(
        self, text: str, *, voice: str | None = None, speed: float = 1.0, pitch_semitones: float = 0.0
    ) -> Synthesis:
        if len(text) > MAX_CHARS:
            raise EngineError(f"The text is too long ({len(text)} characters; the limit is {MAX_CHARS}).")
        check_speed(speed)
        name = self._voice_arg(voice)
        wpm = min(max(math.floor(BASE_WPM * speed), 80), 450)
        args = ["-v", name, "-s", str(wpm), "-p", str(pitch_parameter(pitch_semitones))]
        import soundfile as sf

        audio, sr = sf.read(io.BytesIO(_run([*args, "--stdout"], text)), dtype="float32")
        phonemes = _run(["-q", "-x", "-v", name], text).decode(errors="replace")
        return Synthesis(
            audio=np.asarray(audio, dtype=np.float32), sample_rate=sr, phonemes=" ".join(phonemes.split())
        )

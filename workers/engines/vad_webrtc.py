"""WebRTC VAD: the classic GMM voice activity detector from Google's WebRTC, a hard 0/1 per 30 ms."""

from __future__ import annotations

import warnings

import numpy as np

from workers.engines._speech_common import frames_to_segments, pcm16, speech_audio
from workers.engines.base import Availability, ModelCard, check_imports
from workers.engines.capabilities import VadResult, VoiceActivityDetector

SAMPLE_RATE = 16000
FRAME_SECONDS = 0.03  # webrtcvad accepts 10, 20 or 30 ms frames; 30 ms is the steadiest
FRAME_SAMPLES = int(SAMPLE_RATE * FRAME_SECONDS)  # 480
MIN_SILENCE_SECONDS = 0.3  # hard decisions flicker inside words; bridge gaps shorter than this


def aggressiveness(threshold: float) -> int:
    """WebRTC's mode 0-3 from the shared 0-1 threshold: a stricter threshold, a stricter mode."""
    return int(np.clip(threshold * 4, 0, 3))


class WebRtcVad(VoiceActivityDetector):
    backend = "webrtc"
    card = ModelCard(
        engine="WebRTC VAD (GMM)",
        package="webrtcvad 2.0.10",
        weights="none (classic method: fixed GMM parameters compiled into the library)",
        weights_bytes=None,
        licence="MIT (Python wrapper), BSD-3-Clause (WebRTC code)",
        training_data="Fixed Gaussian mixture parameters for speech and noise set by the WebRTC "
        "authors; nothing is trained here",
        limits="Hard speech/non-speech decisions on sub-band energies: steady noise passes as "
        "silence but music, babble and clicks often count as speech.",
        classic=True,
        paper="https://webrtc.googlesource.com/src/+/refs/heads/main/common_audio/vad/",
    )
    sample_rate = SAMPLE_RATE
    uses_torch = False

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("webrtcvad")

    def _load(self) -> None:
        with warnings.catch_warnings():
            # webrtcvad reads its version through the deprecated pkg_resources on import.
            warnings.simplefilter("ignore", UserWarning)
            import webrtcvad
        self._vad_class = webrtcvad.Vad

    def detect(self, audio: np.ndarray, *, threshold: float = 0.5) -> VadResult:
        self.ensure_loaded()
        samples = speech_audio(audio)
        vad = self._vad_class(aggressiveness(threshold))
        pcm = pcm16(samples)
        frame_bytes = FRAME_SAMPLES * 2
        # A final partial frame is left out: webrtcvad accepts whole frames only.
        decisions = [
            1.0 if vad.is_speech(pcm[i : i + frame_bytes], SAMPLE_RATE) else 0.0
            for i in range(0, len(pcm) - frame_bytes + 1, frame_bytes)
        ]
        segments = frames_to_segments(
            decisions,
            FRAME_SECONDS,
            0.5,  # decisions are 0/1: the user's threshold already chose the mode
            duration=len(samples) / SAMPLE_RATE,
            min_silence=MIN_SILENCE_SECONDS,
        )
        return VadResult(segments, FRAME_SECONDS, tuple(decisions))

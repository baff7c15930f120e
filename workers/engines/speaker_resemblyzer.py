"""Resemblyzer: a GE2E speaker encoder (3-layer LSTM, 256-d) with packaged weights."""

from __future__ import annotations

import numpy as np

from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import SpeakerEncoder

MIN_SPEECH_S = 0.5  # shorter clips give embeddings dominated by a single phoneme
FRAME_S = 0.01  # resemblyzer's mel hop (10 ms)


class ResemblyzerEncoder(SpeakerEncoder):
    """d-vectors from resemblyzer's pretrained GE2E LSTM; input 16 kHz mono float32."""

    backend = "resemblyzer"
    sample_rate = 16000
    uses_torch = True
    card = ModelCard(
        engine="Resemblyzer GE2E speaker encoder",
        package="resemblyzer 0.1.4",
        weights="resemblyzer/pretrained.pt",
        weights_bytes=17_090_379,
        licence="Apache-2.0 (code and weights)",
        training_data="LibriSpeech, VoxCeleb1 and VoxCeleb2 (about 8,000 English-dominant speakers)",
        limits=(
            "256-d embedding of 1.6 s windows averaged over the clip; long silences are trimmed first. "
            "Scores drift with channel and noise, so calibrate a threshold on your own recordings."
        ),
        paper="https://arxiv.org/abs/1710.10467",
    )

    @classmethod
    def availability(cls) -> Availability:
        found = check_imports("resemblyzer", "webrtcvad", "librosa", "torch")
        return found if not found.available else Availability(True, "weights packaged in resemblyzer")

    def _load(self) -> None:
        from resemblyzer import VoiceEncoder

        self._encoder = VoiceEncoder(self.device, verbose=False)
        # librosa's mel filterbank compiles through numba on first use (~15 s): pay it at load time,
        # not inside a learner's first request.
        noise = np.random.default_rng(0).standard_normal(self.sample_rate).astype(np.float32) * 0.1
        self._encoder.embed_utterance(noise)

    def embed(self, audio: np.ndarray) -> np.ndarray:
        from resemblyzer import preprocess_wav

        self.ensure_loaded()
        audio = np.asarray(audio, dtype=np.float32)
        # all-digital silence would make the volume normalisation divide by zero
        wav = preprocess_wav(audio) if np.max(np.abs(audio), initial=0.0) > 1e-4 else audio[:0]
        if len(wav) < MIN_SPEECH_S * self.sample_rate:
            raise EngineError(
                f"Too little speech to describe a voice: at least {MIN_SPEECH_S} s of speech is needed."
            )
        return self._encoder.embed_utterance(wav).astype(np.float32)

    def embed_spans(self, audio: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
        """(n, 256) L2-normalised embeddings of time spans (seconds) of one recording.

        The mel spectrogram is computed once for the whole clip and sliced, so the times stay
        those of the input (no silence trimming, unlike `embed`).
        """
        import torch
        from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram
        from resemblyzer.hparams import audio_norm_target_dBFS

        self.ensure_loaded()
        wav = normalize_volume(
            np.asarray(audio, dtype=np.float32), audio_norm_target_dBFS, increase_only=True
        )
        mel = wav_to_mel_spectrogram(wav)
        last = len(mel) - 1
        frames = [(min(int(s / FRAME_S), last), int(e / FRAME_S)) for s, e in spans]
        out = np.zeros((len(spans), 256), dtype=np.float32)
        by_length: dict[int, list[int]] = {}
        for i, (a, b) in enumerate(frames):
            by_length.setdefault(max(min(b, len(mel)) - a, 1), []).append(i)
        with torch.no_grad():  # equal lengths batch together; LSTM states would change with padding
            for length, rows in by_length.items():
                batch = np.stack([mel[frames[i][0] : frames[i][0] + length] for i in rows])
                out[rows] = self._encoder(torch.from_numpy(batch).to(self._encoder.device)).cpu().numpy()
        return out

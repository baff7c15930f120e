"""Spotify's Basic Pitch polyphonic audio-to-MIDI, run through its ONNX model with onnxruntime."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import midi_bytes, require_audio
from workers.engines.base import Availability, EngineError, ModelCard, check_imports
from workers.engines.capabilities import AudioToMidi, MidiTranscription, Note

SAMPLE_RATE = 22050  # basic_pitch.constants.AUDIO_SAMPLE_RATE
OVERLAP_FRAMES = 30  # as basic_pitch.inference.run_inference: overlap windows, drop half at each edge
ONSET_THRESHOLD = 0.5  # the package's defaults
FRAME_THRESHOLD = 0.3
MIN_NOTE_MS = 127.7


class BasicPitchTranscriber(AudioToMidi):
    backend = "basic-pitch"
    sample_rate = SAMPLE_RATE
    uses_torch = False
    card = ModelCard(
        engine="Basic Pitch (ICASSP 2022, ONNX)",
        package="basic-pitch 0.4.0 (installed --no-deps) + onnxruntime",
        weights="basic_pitch/saved_models/icassp_2022/nmp.onnx",
        weights_bytes=230_444,
        licence="Apache-2.0 (code and weights, Spotify)",
        training_data="GuitarSet, iKala, MAESTRO, MedleyDB-Pitch, Slakh (instruments and singing with note labels)",
        limits="Instrument-agnostic and polyphonic but small: adds ghost notes on strong harmonics, splits "
        "vibrato into several notes, and has no idea of instruments or drums.",
        paper="https://arxiv.org/abs/2203.09893",
    )

    @classmethod
    def availability(cls) -> Availability:
        return check_imports("basic_pitch", "onnxruntime", "pretty_midi")

    def _load(self) -> None:
        import logging

        # basic_pitch logs a warning for each missing runtime (TF, CoreML, TFLite) on import; only ONNX is wanted
        root = logging.getLogger()
        previous, root.disabled = root.disabled, True
        try:
            from basic_pitch import FilenameSuffix, build_icassp_2022_model_path
            from basic_pitch.inference import Model
        finally:
            root.disabled = previous
        # Ask for nmp.onnx by name: the package's default path would pick a TensorFlow SavedModel first
        # if tensorflow were ever installed.
        model = Model(build_icassp_2022_model_path(FilenameSuffix.onnx))
        if model.model_type != Model.MODEL_TYPES.ONNX:
            raise EngineError("basic-pitch did not load its ONNX model.")
        self._model = model

    def transcribe_notes(self, audio: np.ndarray) -> MidiTranscription:
        """22.05 kHz float32 in; notes (MIDI pitch, seconds) and a Standard MIDI File."""
        from basic_pitch import note_creation
        from basic_pitch.constants import AUDIO_SAMPLE_RATE, FFT_HOP

        audio = require_audio(audio, self.sample_rate)
        self.ensure_loaded()
        output = self._activations(audio)
        with np.errstate(divide="ignore", invalid="ignore"):  # silent input: 0/0 in its onset rescaling
            midi, events = note_creation.model_output_to_notes(
                output, onset_thresh=ONSET_THRESHOLD, frame_thresh=FRAME_THRESHOLD,
                min_note_len=round(MIN_NOTE_MS / 1000 * AUDIO_SAMPLE_RATE / FFT_HOP),
            )  # fmt: skip
        notes = tuple(
            Note(pitch=int(p), start=float(s), end=float(e), velocity=round(127 * float(a)))
            for s, e, p, a, _ in sorted(events, key=lambda ev: (ev[0], ev[2]))
        )
        return MidiTranscription(notes=notes, midi=midi_bytes(midi))

    def _activations(self, audio: np.ndarray) -> dict[str, np.ndarray]:
        """basic_pitch.inference.run_inference for an in-memory array (the package only reads files)."""
        from basic_pitch.constants import AUDIO_N_SAMPLES, FFT_HOP
        from basic_pitch.inference import unwrap_output, window_audio_file

        overlap = OVERLAP_FRAMES * FFT_HOP
        padded = np.concatenate([np.zeros(overlap // 2, dtype=np.float32), audio])
        outputs: dict[str, list[np.ndarray]] = {"note": [], "onset": [], "contour": []}
        for window, _ in window_audio_file(padded, AUDIO_N_SAMPLES - overlap):
            for name, value in self._model.predict(window[np.newaxis]).items():
                outputs[name].append(value)
        return {k: unwrap_output(np.concatenate(v), len(audio), OVERLAP_FRAMES) for k, v in outputs.items()}

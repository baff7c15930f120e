"""Meta's MusicGen text-to-music (transformers), loaded only from a local folder named by an env var."""

from __future__ import annotations

import numpy as np

from workers.engines._signal_common import resample
from workers.engines.base import (
    Availability,
    EngineError,
    EngineOutput,
    JobInputs,
    ModelCard,
    ProgressFn,
    check_imports,
    local_model_dir,
    no_progress,
)
from workers.engines.capabilities import MidiTranscription, MusicGenerator

ENV_VAR = "SOUNDPATH_MUSICGEN_MODEL_PATH"
MAX_SECONDS = 30.0  # MusicGen was trained on 30 s excerpts; longer needs windowed continuation
GUIDANCE_SCALE = 3.0  # classifier-free guidance, as in the paper's samples


class MusicGenGenerator(MusicGenerator):
    backend = "transformers-musicgen"
    sample_rate = 0  # no audio input; the output rate comes from the model (32 kHz for the public ones)
    uses_torch = True
    card = ModelCard(
        engine="MusicGen (text-to-music Transformer over EnCodec tokens)",
        package="transformers 5.23.0 (MusicgenForConditionalGeneration)",
        weights=f"model.safetensors in ${ENV_VAR} (e.g. facebook/musicgen-small, 300M parameters)",
        weights_bytes=None,  # not shipped in any package: whatever the local folder holds
        licence="code MIT/Apache-2.0; Meta's MusicGen weights CC-BY-NC-4.0 (non-commercial use only)",
        training_data="20,000 hours of licensed music (Meta's internal set, Shutterstock and Pond5 tracks)",
        limits="Produces audio, not notes (the MIDI here is Basic Pitch's transcription of that audio); "
        "slow on a CPU (the small model runs several times slower than real time); no vocals.",
        paper="https://arxiv.org/abs/2306.05284",
    )

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports("transformers", "torch")
        return imports if not imports.available else local_model_dir(ENV_VAR)

    def _load(self) -> None:
        from transformers import AutoProcessor, MusicgenForConditionalGeneration

        folder = self.availability().weights_path
        if not folder:
            raise EngineError(self.availability().reason)
        self._processor = AutoProcessor.from_pretrained(folder)
        self._model = MusicgenForConditionalGeneration.from_pretrained(folder).to(self.device).eval()
        self.output_rate = int(self._model.config.audio_encoder.sampling_rate)

    def generate_audio(
        self, prompt: str, seconds: float, *, seed: int | None = None, temperature: float = 1.0
    ) -> tuple[np.ndarray, int]:
        """`seconds` of float32 mono audio at the model's rate for a text prompt ('' = unconditional)."""
        import torch

        if not 0 < seconds <= MAX_SECONDS:
            raise EngineError(f"Choose a length above 0 and at most {MAX_SECONDS:g} seconds.")
        if not 0 < temperature <= 5:
            raise EngineError("Choose a temperature above 0 and at most 5.")
        self.ensure_loaded()
        if seed is not None:
            torch.manual_seed(seed)
        config = self._model.config
        # one decoder step per EnCodec frame, plus the codebook delay pattern's extra steps
        steps = int(np.ceil(seconds * config.audio_encoder.frame_rate)) + config.decoder.num_codebooks - 1
        inputs = self._inputs(prompt)
        inputs.setdefault("guidance_scale", GUIDANCE_SCALE)  # unconditional inputs bring their own (1.0)
        with torch.no_grad():
            audio = self._model.generate(
                **inputs, do_sample=True, temperature=temperature, max_new_tokens=steps
            )
        samples = audio[0].mean(dim=0).float().cpu().numpy()
        return samples[: int(seconds * self.output_rate)].astype(np.float32), self.output_rate

    def _inputs(self, prompt: str) -> dict:
        if not prompt.strip():
            return dict(self._model.get_unconditional_inputs(num_samples=1))
        inputs = self._processor(text=[prompt], padding=True, return_tensors="pt")
        return {k: v.to(self.device) for k, v in inputs.items()}

    def generate(
        self,
        *,
        length_steps: int = 128,
        temperature: float = 1.0,
        seed: int | None = None,
        progress: ProgressFn = no_progress,
    ) -> MidiTranscription:
        """The MusicGenerator interface: `length_steps` EnCodec frames of unconditional music, returned as
        the notes Basic Pitch hears in it (MusicGen itself has no notes to give)."""
        from workers.engines.registry import get_engine

        self.ensure_loaded()
        seconds = length_steps / self._model.config.audio_encoder.frame_rate
        progress(0.1, "generating audio")
        audio, rate = self.generate_audio("", seconds, seed=seed, temperature=temperature)
        progress(0.8, "transcribing the audio to notes")
        transcriber = get_engine("audio-to-midi", "basic-pitch")  # loaded once per process
        return transcriber.transcribe_notes(resample(audio, rate, transcriber.sample_rate))  # type: ignore[attr-defined]

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        """MusicGen's real output is audio: return it as the 'generated' WAV."""
        p = inputs.params
        prompt = str(p.get("prompt", inputs.text))
        seconds = float(p.get("seconds", 5.0))
        seed = p.get("seed")
        progress(0.1, "generating audio")
        audio, rate = self.generate_audio(
            prompt,
            seconds,
            seed=int(seed) if seed is not None else None,
            temperature=float(p.get("temperature", 1.0)),
        )
        data = {"prompt": prompt, "duration": round(len(audio) / rate, 3), "sample_rate": rate}
        return EngineOutput(data, audio={"generated": (audio, rate)})

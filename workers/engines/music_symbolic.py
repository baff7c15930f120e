"""A small decoder-only Transformer over note events, trained here on the music21 corpus (Bach chorales)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from workers.engines._music_events import (
    BOS,
    EOS,
    PAD,
    VOCAB_SIZE,
    corpus_tokens,
    decode_tokens,
    notes_to_midi,
    transpose_tokens,
    vocabulary,
)
from workers.engines._signal_common import midi_bytes, model_root
from workers.engines.base import (
    Availability,
    EngineError,
    EngineOutput,
    JobInputs,
    ModelCard,
    ProgressFn,
    check_imports,
    no_progress,
    pick_device,
)
from workers.engines.capabilities import MidiTranscription, MusicGenerator

CAPABILITY_DIR = "music-generation"
CHECKPOINT = "model.pt"
CACHE_DIR = ".token-cache/v1"  # bump when the event encoding changes


@dataclass(frozen=True)
class TransformerConfig:
    vocab_size: int = VOCAB_SIZE
    context: int = 128  # tokens the model attends to (~30 s of a chorale)
    d_model: int = 128
    heads: int = 4
    layers: int = 3
    feedforward: int = 256
    dropout: float = 0.1


# ---------------------------------------------------------------------------------------------
# The model and its training


def build_model(config: TransformerConfig):
    """A GPT-style decoder: token + position embeddings, causal self-attention blocks, a linear head."""
    import torch
    from torch import nn

    class EventTransformer(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tokens = nn.Embedding(config.vocab_size, config.d_model)
            self.positions = nn.Embedding(config.context, config.d_model)
            layer = nn.TransformerEncoderLayer(
                config.d_model,
                config.heads,
                config.feedforward,
                config.dropout,
                batch_first=True,
                norm_first=True,
            )
            self.blocks = nn.TransformerEncoder(layer, config.layers, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(config.d_model)
            self.head = nn.Linear(config.d_model, config.vocab_size)

        def forward(self, tokens: torch.Tensor) -> torch.Tensor:
            """(batch, time) int64 → (batch, time, vocab) next-token logits."""
            length = tokens.shape[1]
            x = self.tokens(tokens) + self.positions(torch.arange(length, device=tokens.device))
            mask = nn.Transformer.generate_square_subsequent_mask(length, device=tokens.device)
            return self.head(self.norm(self.blocks(x, mask=mask, is_causal=True)))

    return EventTransformer()


def _batch(sequences: list[np.ndarray], size: int, context: int, rng: np.random.Generator) -> np.ndarray:
    """`size` random windows of context + 1 tokens, each randomly transposed (PAD-filled if shorter)."""
    lengths = np.array([len(s) for s in sequences], dtype=np.float64)
    batch = np.full((size, context + 1), PAD, dtype=np.int64)
    for row, index in enumerate(rng.choice(len(sequences), size=size, p=lengths / lengths.sum())):
        sequence = sequences[index]
        start = rng.integers(0, max(1, len(sequence) - context))
        window = sequence[start : start + context + 1].astype(np.int64)
        batch[row, : len(window)] = transpose_tokens(window, rng)
    return batch


def train(
    *,
    steps: int = 2000,
    out_dir: Path | None = None,
    progress: ProgressFn = no_progress,
    seed: int = 0,
    max_files: int | None = None,
    batch_size: int = 32,
    device: str | None = None,
) -> Path:
    """Train on the music21 Bach chorales and save <out_dir>/<version>/model.pt (config, state_dict,
    vocabulary) and training.json (loss curve). Returns the version folder."""
    import torch

    if steps < 1:
        raise EngineError("Training needs at least one step.")
    out_dir = Path(out_dir) if out_dir else model_root() / CAPABILITY_DIR
    device = device or pick_device()
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    progress(0.0, "parsing the music21 corpus (cached after the first run)")
    sequences = corpus_tokens(out_dir / CACHE_DIR, max_files)
    if not sequences:
        raise EngineError("No scores could be read from the music21 corpus.")
    config = TransformerConfig()
    model = build_model(config).to(device)
    optimiser = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    losses, started = [], time.perf_counter()
    model.train()
    for step in range(1, steps + 1):
        batch = torch.from_numpy(_batch(sequences, batch_size, config.context, rng)).to(device)
        logits = model(batch[:, :-1])
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, config.vocab_size), batch[:, 1:].reshape(-1), ignore_index=PAD
        )
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        losses.append(round(loss.item(), 4))
        progress(step / steps, f"step {step}/{steps}: loss {losses[-1]:.3f}")
    summary = {
        "steps": steps, "seed": seed, "files": len(sequences), "tokens": int(sum(map(len, sequences))),
        "batch_size": batch_size, "seconds": round(time.perf_counter() - started, 1), "device": device,
        "loss": losses,
    }  # fmt: skip
    return _save(out_dir, model, config, summary)


def _save(out_dir: Path, model, config: TransformerConfig, summary: dict) -> Path:
    import torch

    version = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    folder, n = out_dir / version, 1
    while folder.exists():
        n += 1
        folder = out_dir / f"{version}-{n}"
    folder.mkdir(parents=True)
    state = {k: v.cpu() for k, v in model.state_dict().items()}
    torch.save({"config": asdict(config), "state_dict": state, "vocab": vocabulary()}, folder / CHECKPOINT)
    (folder / "training.json").write_text(json.dumps(summary, indent=1))
    return folder


def latest_checkpoint(folder: Path | None = None) -> Path | None:
    """The newest <version>/model.pt (version names sort by time), or None before any training."""
    folder = folder or model_root() / CAPABILITY_DIR
    found = sorted(folder.glob(f"*/{CHECKPOINT}")) if folder.is_dir() else []
    return found[-1] if found else None


def trained_versions(folder: Path | None = None) -> list[str]:
    """Names of the trained versions, oldest first."""
    folder = folder or model_root() / CAPABILITY_DIR
    return [p.parent.name for p in sorted(folder.glob(f"*/{CHECKPOINT}"))] if folder.is_dir() else []


def version_checkpoint(version: str | None, folder: Path | None = None) -> Path | None:
    """The checkpoint of `version` (only a listed version: it comes from job params), else the newest."""
    folder = folder or model_root() / CAPABILITY_DIR
    if not version:
        return latest_checkpoint(folder)
    return folder / version / CHECKPOINT if version in trained_versions(folder) else None


# ---------------------------------------------------------------------------------------------
# The engine


class SymbolicTransformerGenerator(MusicGenerator):
    backend = "symbolic-transformer"
    sample_rate = 0  # no audio input
    uses_torch = True
    card = ModelCard(
        engine="Event-based music Transformer (3 layers, d=128), trained on this server",
        package="torch 2.13.0 + music21 10.5.1 (corpus) + pretty_midi 0.2.11.post0",
        weights=f"$SOUNDPATH_MODEL_DIR/{CAPABILITY_DIR}/<version>/{CHECKPOINT} (made by the training job)",
        weights_bytes=None,  # made by training: 1,870,533 bytes with the default configuration
        licence="model trained here from BSD-3-Clause music21 corpus scores (Bach chorales: public domain)",
        training_data="the 433 Bach scores (mostly four-part chorales) shipped in music21's corpus, "
        "randomly transposed within ±5 semitones",
        limits="A tiny model on a tiny, single-style corpus: locally plausible chorale-like voice leading, "
        "no long-range form; quality depends on how long the training job ran.",
        paper="https://arxiv.org/abs/1809.04281",
    )

    @classmethod
    def availability(cls) -> Availability:
        imports = check_imports("torch", "music21", "pretty_midi")
        if not imports.available:
            return imports
        checkpoint = latest_checkpoint()
        if checkpoint is None:
            return Availability(False, "not trained yet: run the training job")
        return Availability(True, f"checkpoint {checkpoint.parent.name}", weights_path=str(checkpoint))

    def infer(self, inputs: JobInputs, progress: ProgressFn = no_progress) -> EngineOutput:
        """As every generator, plus params["version"] (default: the newest) and the version in the result."""
        self.use_version(inputs.params.get("version") or None)
        output = super().infer(inputs, progress)
        output.data["version"] = self.checkpoint.parent.name
        return output

    def use_version(self, version: str | None) -> None:
        """Switch to `version`, or to the newest one: a worker that loaded a model before a training job
        finished picks up the new version at its next job instead of serving the old one for ever."""
        wanted = version_checkpoint(version)
        if wanted is None:
            raise EngineError(
                f"There is no trained version '{version}'."
                if version
                else "not trained yet: run the training job"
            )
        if wanted != getattr(self, "checkpoint", None):
            self._wanted = wanted
            self._loaded = False

    def _load(self) -> None:
        import torch

        checkpoint = getattr(self, "_wanted", None) or latest_checkpoint()
        if checkpoint is None:
            raise EngineError("not trained yet: run the training job")
        saved = torch.load(checkpoint, map_location=self.device, weights_only=True)
        if saved["vocab"] != vocabulary():
            raise EngineError("The saved model uses another event vocabulary: run the training job again.")
        self.config = TransformerConfig(**saved["config"])
        self._model = build_model(self.config).to(self.device)
        self._model.load_state_dict(saved["state_dict"])
        self._model.eval()
        self.checkpoint = checkpoint

    def generate(
        self,
        *,
        length_steps: int = 128,
        temperature: float = 1.0,
        seed: int | None = None,
        progress: ProgressFn = no_progress,
    ) -> MidiTranscription:
        """Sample `length_steps` events (notes on/off and time shifts) and return notes and a MIDI file."""
        if not 1 <= length_steps <= 4096:
            raise EngineError("Choose a length between 1 and 4096 events.")
        if not 0 < temperature <= 5:
            raise EngineError("Choose a temperature above 0 and at most 5.")
        self.ensure_loaded()
        tokens = self._sample(length_steps, temperature, seed, progress)
        notes = decode_tokens(tokens)
        return MidiTranscription(notes=tuple(notes), midi=midi_bytes(notes_to_midi(notes)))

    def _sample(self, length: int, temperature: float, seed: int | None, progress: ProgressFn) -> list[int]:
        import torch

        generator = torch.Generator(device=self.device)
        generator.manual_seed(seed if seed is not None else int(torch.seed() % 2**63))
        tokens = [BOS]
        with torch.no_grad():
            for step in range(length):
                context = torch.tensor([tokens[-self.config.context :]], device=self.device)
                logits = self._model(context)[0, -1] / temperature
                logits[[PAD, BOS, EOS]] = float("-inf")  # always produce exactly `length` events
                probabilities = torch.softmax(logits, dim=-1)
                tokens.append(int(torch.multinomial(probabilities, 1, generator=generator)))
                if step % 32 == 0:
                    progress(step / length, f"sampled {step}/{length} events")
        return tokens[1:]

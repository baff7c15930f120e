"""The hub models `manage.py models pull` knows, and where a completed pull lives (a leaf module:
the engines' availability check reads it without importing the downloader)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workers.engines.paths import model_root

MARKER = "soundpath-pull.json"  # written last: a folder without it is an unfinished pull


@dataclass(frozen=True)
class HubModel:
    name: str
    repo_id: str
    files: tuple[str, ...]
    env_var: str  # the backend's setting; a pulled folder stands in when it is unset
    licence: str
    revision: str = "main"
    acknowledge: str = ""  # non-empty: the licence must be accepted with --accept-licence


CATALOGUE = {
    m.name: m
    for m in (
        HubModel("pyannote-community-1", "pyannote/speaker-diarization-community-1",
                 ("config.yaml", "segmentation/pytorch_model.bin", "embedding/pytorch_model.bin",
                  "plda/plda.npz", "plda/xvec_transform.npz"),
                 "SOUNDPATH_PYANNOTE_PIPELINE_PATH", "CC-BY-4.0 (gated: accept its conditions on the hub, set HF_TOKEN)"),
        HubModel("whisper-small-ct2", "Systran/faster-whisper-small",
                 ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt"),
                 "SOUNDPATH_FASTER_WHISPER_MODEL_PATH", "MIT"),
        HubModel("whisper-large-v3-turbo-ct2", "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
                 ("config.json", "model.bin", "preprocessor_config.json", "tokenizer.json", "vocabulary.json"),
                 "SOUNDPATH_FASTER_WHISPER_MODEL_PATH", "MIT"),
        HubModel("wespeaker-resnet34", "hbredin/wespeaker-voxceleb-resnet34-LM", ("speaker-embedding.onnx",),
                 "SOUNDPATH_WESPEAKER_MODEL_PATH", "CC-BY-4.0 (WeSpeaker weights trained on VoxCeleb)"),
        HubModel("xtts-v2", "coqui/XTTS-v2", ("config.json", "model.pth", "vocab.json", "speakers_xtts.pth"),
                 "SOUNDPATH_XTTS_MODEL_PATH", "Coqui Public Model Licence 1.0.0: non-commercial use only",
                 acknowledge="CPML"),
    )
}  # fmt: skip


def pulled_dir(env_var: str) -> Path | None:
    """The most recently completed pull for a backend's setting, if any."""
    root = model_root() / "hub"
    found = [
        root / m.name
        for m in CATALOGUE.values()
        if m.env_var == env_var and (root / m.name / MARKER).is_file()
    ]
    return max(found, key=lambda p: (p / MARKER).stat().st_mtime) if found else None

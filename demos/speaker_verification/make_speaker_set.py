"""Make the shipped speaker set: espeak-ng voices × short Harvard sentences, 16 kHz, plus their
embeddings from the platform's default speaker encoder (speakers.json), so the demo can draw its
projection and DET curve without loading a model in the web process.

    .venv/bin/python -m demos.speaker_verification.make_speaker_set               # rewrites demos/samples/speakers/
    .venv/bin/python -m demos.speaker_verification.make_speaker_set --embed-only  # keeps the clips, re-embeds them

The voices are all one formant synthesiser (no real person's voice); they differ in accent rules,
voice variant (formant and breathiness tables) and base pitch, which is what the encoder hears.
"""

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

from demos.samples import SPEAKERS_DIR

MANIFEST = SPEAKERS_DIR / "speakers.json"
SR = 16000
WPM = 165
# The default speaker-embedding backend (workers/engines/registry.py), chosen by its EER on real speech:
# the demo's jobs use the backend named in speakers.json, so the map and the scores agree.
BACKEND = "voicefilter-dvector"
# sox effects: drop silence from the start, reverse, drop it from the (old) end, reverse back, pad
TRIM = (
    "silence",
    "1",
    "0.02",
    "0.5%",
    "reverse",
    "silence",
    "1",
    "0.02",
    "0.5%",
    "reverse",
    "pad",
    "0.1",
    "0.1",
)

# speaker id → (espeak-ng voice, -p base pitch 0..99)
VOICES: dict[str, tuple[str, int]] = {
    "us-male": ("en-us", 45),
    "gb-male": ("en-gb", 40),
    "scottish-male": ("en-gb-scotland+m3", 35),
    "caribbean-male": ("en-029+m7", 55),
    "us-female": ("en-us+f3", 60),
    "gb-female": ("en-gb-x-rp+f4", 75),
}
# Harvard sentences (IEEE 1969), about 2 s each at 165 words per minute
SENTENCES = (
    "The birch canoe slid on the smooth planks.",
    "Glue the sheet to the dark blue background.",
    "It is easy to tell the depth of a well.",
    "These days a chicken leg is a rare dish.",
)


def clip_name(speaker: str, sentence_index: int) -> str:
    return f"{speaker}_{sentence_index + 1}.flac"


def speak(text: str, voice: str, pitch: int, out: Path) -> None:
    """espeak-ng at its own 22.05 kHz, then sox: 16 kHz mono 16-bit FLAC (half a WAV's size),
    leading and trailing silence trimmed to 0.1 s."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.wav"
        subprocess.run(
            ["espeak-ng", "-v", voice, "-s", str(WPM), "-p", str(pitch), "-w", str(raw), "--stdin"],
            input=text.encode(),
            check=True,
        )
        subprocess.run(["sox", str(raw), "-r", str(SR), "-c", "1", "-b", "16", str(out), *TRIM], check=True)


def make_clips() -> list[dict]:
    SPEAKERS_DIR.mkdir(parents=True, exist_ok=True)
    for old in SPEAKERS_DIR.glob("*.wav"):
        old.unlink()
    clips = []
    for speaker, (voice, pitch) in VOICES.items():
        for i, sentence in enumerate(SENTENCES):
            name = clip_name(speaker, i)
            speak(sentence, voice, pitch, SPEAKERS_DIR / name)
            clips.append({"file": name, "speaker": speaker, "voice": voice, "pitch": pitch, "sentence": i})
    return clips


def embed_clips(clips: list[dict]) -> None:
    """Add each clip's embedding, computed by the real engine through the workers' code path."""
    from workers.engines.runner import engine_infer

    for clip in clips:
        outcome = engine_infer(
            "speaker-embedding", backend=BACKEND, audio_paths={"audio": SPEAKERS_DIR / clip["file"]}
        )
        clip["embedding"] = outcome.output.data["embedding"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--embed-only", action="store_true", help="keep the shipped clips, recompute embeddings"
    )
    args = parser.parse_args()
    if args.embed_only:
        clips = [
            {k: v for k, v in c.items() if k != "embedding"}
            for c in json.loads(MANIFEST.read_text())["clips"]
        ]
    else:
        clips = make_clips()
    embed_clips(clips)
    manifest = {"backend": BACKEND, "sample_rate": SR, "sentences": list(SENTENCES), "clips": clips}
    MANIFEST.write_text(json.dumps(manifest, separators=(",", ":")) + "\n")
    print(f"{len(clips)} clips and embeddings in {SPEAKERS_DIR}")


if __name__ == "__main__":
    main()

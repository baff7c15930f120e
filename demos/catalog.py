"""The one list of demos (slug, title, one line, builder), importable without Gradio or any model;
demos/registry.py mounts exactly these."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoInfo:
    slug: str
    title: str
    blurb: str

    @property
    def builder(self) -> str:
        """ "module:function" returning its gr.Blocks: demos/<slug with underscores>/build()."""
        return f"demos.{self.slug.replace('-', '_')}:build"


DEMOS: tuple[DemoInfo, ...] = (
    DemoInfo(
        "fundamentals", "Audio fundamentals lab", "Waveform, spectrograms, mel, MFCC, sampling and filters."
    ),
    DemoInfo("vad", "Voice activity detection", "Where is the speech? Silero and WebRTC side by side."),
    DemoInfo("asr", "Speech recognition", "Transcripts with word timings, WER and alignment."),
    DemoInfo("tts", "Text to speech", "Text to a neural voice, with phonemes and prosody controls."),
    DemoInfo(
        "speaker-verification",
        "Speaker verification",
        "Are two clips the same voice? Scores, threshold, EER.",
    ),
    DemoInfo("diarization", "Speaker diarization", "Who spoke when: a timeline, RTTM and DER."),
    DemoInfo(
        "voice-cloning",
        "Voice cloning (consent-gated)",
        "Clone a consenting voice and measure how close it got.",
    ),
    DemoInfo(
        "voice-conversion", "Voice conversion", "Say the same words in another voice; F0 and envelopes."
    ),
    DemoInfo("enhancement", "Speech enhancement", "Add noise, remove it, and score SI-SDR, PESQ and STOI."),
    DemoInfo("separation", "Source separation", "Harmonic/percussive and vocal/accompaniment estimates."),
    DemoInfo("music", "Music AI", "Audio to MIDI, beat tracking and a small music generator."),
    DemoInfo("keyword-spotting", "Keyword spotting", "Train a tiny CNN on synthetic words; float vs int8."),
)

DEMO_SLUGS = frozenset(d.slug for d in DEMOS)


def demo_info(slug: str) -> DemoInfo | None:
    return next((d for d in DEMOS if d.slug == slug), None)

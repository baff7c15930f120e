"""Which demos are built, and how to build each (import paths only: nothing heavy at import)."""

import importlib

# slug → "module:function" returning a gr.Blocks. Add a line here to mount a new demo.
DEMO_BUILDERS: dict[str, str] = {
    "fundamentals": "demos.fundamentals:build",
    "vad": "demos.vad:build",
    "asr": "demos.asr:build",
    "tts": "demos.tts:build",
    "speaker-verification": "demos.speaker_verification:build",
    "diarization": "demos.diarization:build",
    "voice-cloning": "demos.voice_cloning:build",
    "voice-conversion": "demos.voice_conversion:build",
    "enhancement": "demos.enhancement:build",
    "separation": "demos.separation:build",
    "music": "demos.music:build",
    "keyword-spotting": "demos.keyword_spotting:build",
}


def available_demo_slugs() -> frozenset[str]:
    return frozenset(DEMO_BUILDERS)


def build_demo(slug: str):
    from demos.page import progress_in_one_place

    module_name, func_name = DEMO_BUILDERS[slug].split(":")
    return progress_in_one_place(getattr(importlib.import_module(module_name), func_name)())

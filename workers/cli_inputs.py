"""How the command-line tools (`manage.py engine`, `manage.py jobs`) turn arguments into inputs."""

import json
from pathlib import Path

from django.core.management.base import CommandError

# Which named input a file goes to, for capabilities whose main input is not called "audio".
MAIN_INPUT = {"voice-conversion": "source", "voice-cloning": "reference", "speaker-embedding": "audio"}
TEXT_CAPABILITIES = {"tts", "sentence-embedding", "music-generation"}


def param_parse(raw: str) -> tuple[str, object]:
    """key=value, the value read as JSON when it is JSON (numbers, booleans, lists), else a string."""
    if "=" not in raw:
        raise CommandError(f"--param takes key=value, got {raw!r}")
    key, value = raw.split("=", 1)
    try:
        return key, json.loads(value)
    except json.JSONDecodeError:
        return key, value


def inputs_from_arguments(
    capability: str, value: str, extra: list[str], text: str = ""
) -> tuple[dict[str, Path], str]:
    """(named audio paths, text): the positional argument is a file, or the text of a text capability."""
    audio: dict[str, Path] = {}
    if capability in TEXT_CAPABILITIES and not Path(value).is_file():
        text = value
    else:
        audio[MAIN_INPUT.get(capability, "audio")] = Path(value)
    for item in extra:
        name, _, path = item.partition("=")
        audio[name] = Path(path)
    return audio, text

"""manage.py engines (--json, --check) and manage.py engine run: the command-line view of the engines."""

import json
from io import StringIO

import pytest
import soundfile as sf
from django.core.management import CommandError, call_command

from demos.samples import SPEECH_EN, SPEECH_EN_TEXT
from workers.engines.registry import BACKENDS


def _call(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_engines_json_lists_every_backend_with_availability():
    rows = json.loads(_call("engines", "--json"))

    assert len(rows) == sum(len(paths) for paths in BACKENDS.values())
    assert {"capability", "backend", "available", "reason", "device"} <= set(rows[0])
    by_key = {(r["capability"], r["backend"]): r for r in rows}
    for default in [
        ("asr", "faster-whisper"),
        ("vad", "silero"),
        ("tts", "piper"),
        ("diarization", "vad-embedding-clustering"),
    ]:
        assert by_key[default]["available"] is True, by_key[default]["reason"]
    whisper_hub = by_key[("asr", "transformers-whisper")]
    assert whisper_hub["available"] is False and "SOUNDPATH_WHISPER_MODEL_PATH" in whisper_hub["reason"]
    assert all(r["device"] in ("cpu", "cuda") for r in rows)


def test_engines_table_marks_unavailable_hub_backends():
    text = _call("engines")

    assert "faster-whisper" in text and "SOUNDPATH_PYANNOTE_PIPELINE_PATH" in text


def test_engines_check_runs_available_engines_on_samples():
    text = _call("engines", "--check", "--capability", "vad")

    assert "vad/silero: load" in text and "vad/webrtc: load" in text
    assert '"segments"' in text and "RTF" in text


def test_engine_run_transcribes_a_file_as_json(tmp_path):
    report = json.loads(_call("engine", "run", "asr", str(SPEECH_EN), "--out", str(tmp_path)))

    assert report["backend"] == "faster-whisper" and report["device"] == "cpu"
    words = report["result"]["text"].lower().split()
    assert len(set(words) & set(SPEECH_EN_TEXT.lower().replace(".", "").split())) >= 10
    assert report["real_time_factor"] > 0


def test_engine_run_writes_result_files(tmp_path):
    report = json.loads(
        _call(
            "engine",
            "run",
            "tts",
            "Soundpath speaks.",
            "--backend",
            "espeak-ng",
            "--param",
            "speed=1.2",
            "--out",
            str(tmp_path),
        )
    )

    audio, sr = sf.read(tmp_path / "speech.wav")
    assert report["files"] == [str(tmp_path / "speech.wav")]
    assert 0.3 < len(audio) / sr < 4


def test_engine_run_reports_bad_input_clearly(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_text("text, not audio\n" * 30)

    with pytest.raises(CommandError, match="not audio we can read"):
        _call("engine", "run", "vad", str(junk))


def test_engine_run_unknown_capability():
    with pytest.raises(CommandError, match="Unknown capability 'karaoke'"):
        _call("engine", "run", "karaoke", "x")


def test_engine_samples_are_the_shipped_demo_clips_without_importing_demos():
    import demos.samples
    from workers.engines import samples

    assert (samples.SPEECH_EN, samples.SPEECH_EN_F, samples.SCALE_C_MAJOR) == (
        demos.samples.SPEECH_EN, demos.samples.SPEECH_EN_F, demos.samples.SCALE_C_MAJOR,
    )  # fmt: skip
    assert all(path.is_file() for path in (samples.SPEECH_EN, samples.SPEECH_EN_F, samples.SCALE_C_MAJOR))

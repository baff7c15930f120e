"""manage.py engine run <capability> <input-file-or-text> [--backend B] [--param k=v …] [--out DIR]

Runs one engine through the same code path a worker uses (workers.engines.runner) and prints
the result as JSON; result audio and files are written to DIR.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workers.audio_io import AudioInputError
from workers.cli_inputs import inputs_from_arguments, param_parse
from workers.engines.base import EngineError


class Command(BaseCommand):
    help = "Run one engine on a file (or text) and print its result as JSON."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"])
        parser.add_argument("capability")
        parser.add_argument("input", help="an audio file, or the text for text-input capabilities")
        parser.add_argument("--backend")
        parser.add_argument(
            "--param", action="append", default=[], help="key=value (value parsed as JSON if it can be)"
        )
        parser.add_argument(
            "--input", dest="extra", action="append", default=[], help="name=path for a second audio input"
        )
        parser.add_argument(
            "--text", default="", help="text, for capabilities that take audio and text (cloning)"
        )
        parser.add_argument("--out", type=Path, help="folder for result files")

    def handle(self, *args, action, capability, input, backend, param, extra, text, out, **options):
        from workers.engines.runner import engine_infer

        params = dict(param_parse(p) for p in param)
        audio, text = inputs_from_arguments(capability, input, extra, text)
        try:
            outcome = engine_infer(capability, backend=backend, audio_paths=audio, text=text, params=params)
        except (EngineError, AudioInputError) as exc:
            raise CommandError(str(exc)) from exc
        written = self._write_files(outcome.output, out) if out else []
        report = {
            "capability": capability,
            "backend": outcome.engine.backend,
            "device": outcome.engine.device,
            "load_seconds": round(outcome.load_seconds, 3),
            "compute_seconds": round(outcome.compute_seconds, 3),
            "real_time_factor": round(outcome.real_time_factor, 3) if outcome.real_time_factor else None,
            "result": outcome.output.data,
            "files": written,
        }
        self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False, default=str))

    def _write_files(self, output, out: Path) -> list[str]:
        from workers.engines.capabilities import wav_bytes

        out.mkdir(parents=True, exist_ok=True)
        written = []
        blobs = {f"{name}.wav": wav_bytes(a, sr) for name, (a, sr) in output.audio.items()} | output.files
        for name, data in blobs.items():
            (out / name).write_bytes(data)
            written.append(str(out / name))
        return written

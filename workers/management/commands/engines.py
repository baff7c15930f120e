"""manage.py engines [--json] [--check]: every engine, whether it can run here, and (with --check) a run."""

import json

from django.core.management.base import BaseCommand

from workers.engines.base import pick_device
from workers.engines.registry import all_engine_classes, engine_availability


class Command(BaseCommand):
    help = "List every engine with backend, availability (and why not), weights and device."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON list of objects")
        parser.add_argument(
            "--check", action="store_true", help="run each available engine on its sample input"
        )

        parser.add_argument("--capability", action="append", help="only these capabilities (repeatable)")

    def handle(self, *args, json: bool = False, check: bool = False, capability=None, **options):
        rows = [
            self._describe(cls)
            for cls in all_engine_classes()
            if not capability or cls.capability in capability
        ]
        if json:
            self.stdout.write(_dumps(rows))
        else:
            self._print_table(rows)
        if check:
            self._check(rows)

    def _describe(self, cls) -> dict:
        availability = engine_availability(cls)
        return {
            "capability": cls.capability,
            "backend": cls.backend,
            "engine": cls.card.engine,
            "available": availability.available,
            "reason": availability.reason,
            "weights": availability.weights_path or cls.card.weights,
            "weights_bytes": cls.card.weights_bytes,
            "device": pick_device() if cls.uses_torch else "cpu",
            "licence": cls.card.licence,
            "classic": cls.card.classic,
            "package": cls.card.package,
        }

    def _print_table(self, rows: list[dict]) -> None:
        for row in rows:
            mark = self.style.SUCCESS("yes") if row["available"] else self.style.WARNING("no ")
            detail = row["reason"] or row["weights"]
            self.stdout.write(
                f"{row['capability']:<19} {row['backend']:<26} {mark}  {row['device']:<4}  {detail}"
            )

    def _check(self, rows: list[dict]) -> None:
        from workers.engines.runner import engine_infer
        from workers.engines.samples import SAMPLE_REQUESTS

        self.stdout.write("\nRunning each available engine on its sample input:")
        for row in rows:
            if not row["available"]:
                continue
            audio, text, params = SAMPLE_REQUESTS[row["capability"]]
            try:
                outcome = engine_infer(
                    row["capability"], backend=row["backend"], audio_paths=audio, text=text, params=params
                )
            except Exception as exc:
                self.stdout.write(self.style.ERROR(f"  {row['capability']}/{row['backend']}: FAILED {exc}"))
                continue
            rtf = f", RTF {outcome.real_time_factor:.2f}" if outcome.real_time_factor else ""
            preview = _dumps(outcome.output.data)[:160].replace("\n", " ")
            self.stdout.write(
                f"  {row['capability']}/{row['backend']}: load {outcome.load_seconds:.2f} s, "
                f"compute {outcome.compute_seconds:.2f} s{rtf} — {preview}"
            )


def _dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)

"""manage.py challenges list [--json] | score <id> <submission> | baseline [<id>]

`score` goes through the same code path as a scoring job (this deployment's seed and reference);
`baseline` scores each challenge's documented baseline method on this deployment's pack."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from webapp.challenges.catalog import CHALLENGES, challenge_get
from webapp.challenges.catalog.base import SubmissionError


class Command(BaseCommand):
    help = "List challenges, score a submission, or measure the baselines."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list")
        listing.add_argument("--json", action="store_true")
        score = sub.add_parser("score")
        score.add_argument("challenge")
        score.add_argument("submission", type=Path)
        baseline = sub.add_parser("baseline")
        baseline.add_argument("challenge", nargs="?")
        baseline.add_argument("--missing", action="store_true", help="only challenges not measured yet")

    def handle(self, *args, action: str, **options):
        if action == "list":
            rows = [c.describe() for c in CHALLENGES.values()]
            if options["json"]:
                self.stdout.write(json.dumps(rows, indent=2))
            else:
                for row in rows:
                    self.stdout.write(
                        f"{row['id']:<16} {row['topic']:<28} {row['metric']} (pass: {row['threshold']})"
                    )
            return
        if action == "score":
            self._score(options["challenge"], options["submission"])
        else:
            self._baselines(options["challenge"], missing=options["missing"])

    def _score(self, slug: str, path: Path) -> None:
        from webapp.challenges.services import submission_score

        challenge = self._get(slug)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = submission_score(challenge=challenge, data=path.read_bytes(), filename=path.name)
        except SubmissionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"challenge": slug, "score": result.value, "passed": result.passed,
                                      "breakdown": result.breakdown}, indent=2))  # fmt: skip

    def _baselines(self, slug: str | None, *, missing: bool = False) -> None:
        import time

        from webapp.challenges.packs import challenge_pack
        from webapp.challenges.selectors import baseline_record, baseline_scores

        measured = baseline_scores()
        for challenge in [self._get(slug)] if slug else CHALLENGES.values():
            if missing and challenge.slug in measured:
                continue
            started = time.perf_counter()
            pack = challenge_pack(challenge)
            try:
                result = challenge.score(challenge.baseline_submission(pack), pack.reference)
            except Exception as exc:  # one baseline that cannot run must not hide the others
                self.stdout.write(
                    json.dumps({"challenge": challenge.slug, "error": f"{type(exc).__name__}: {exc}"})
                )
                continue
            seconds = round(time.perf_counter() - started, 2)
            baseline_record(slug=challenge.slug, score=result.value, passed=result.passed, seconds=seconds)
            self.stdout.write(json.dumps({"challenge": challenge.slug, "baseline": challenge.baseline_method,
                                          "score": result.value, "passed": result.passed, "seconds": seconds}))  # fmt: skip

    def _get(self, slug: str):
        try:
            return challenge_get(slug)
        except KeyError as exc:
            raise CommandError(str(exc)) from exc

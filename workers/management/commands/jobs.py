"""manage.py jobs submit|show|list — the job system from the command line, through the same
services as the web pages (quotas, checks, the queue, the workers). Everything is printed as JSON.

  jobs submit <capability> <file-or-text> --user NAME [--backend B] [--param k=v …] [--wait]
  jobs show <id>
  jobs list [--status S] [--user NAME] [--limit N]
"""

import json
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from workers.cli_inputs import inputs_from_arguments, param_parse
from workers.models import InferenceJob
from workers.selectors import job_queue_position


def job_as_dict(job: InferenceJob) -> dict:
    return {
        "id": str(job.id),
        "owner": job.owner.username,
        "capability": job.capability,
        "backend": job.backend,
        "queue": job.queue,
        "status": job.status,
        "progress": round(job.progress, 3),
        "message": job.progress_message,
        "queue_position": job_queue_position(job=job),
        "error": job.error,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "result": job.result,
        "result_files": [f.name for f in job.result_files.all()],
    }


class Command(BaseCommand):
    help = "Submit, show and list inference jobs; output is JSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        submit = sub.add_parser("submit", help="submit a job (and with --wait, wait for it)")
        submit.add_argument("capability")
        submit.add_argument("input", help="an audio file, or the text for text-input capabilities")
        submit.add_argument("--user", required=True, help="the job's owner (quotas apply to them)")
        submit.add_argument("--backend")
        submit.add_argument("--param", action="append", default=[], help="key=value (JSON values allowed)")
        submit.add_argument(
            "--input", dest="extra", action="append", default=[], help="name=path, a second input"
        )
        submit.add_argument("--text", default="", help="text, for capabilities that take audio and text")
        submit.add_argument("--wait", action="store_true", help="poll until the job ends")
        submit.add_argument("--timeout", type=float, default=1800, help="seconds --wait waits at most")
        show = sub.add_parser("show", help="one job")
        show.add_argument("job_id")
        listing = sub.add_parser("list", help="recent jobs")
        listing.add_argument("--status", choices=[s.value for s in InferenceJob.Status])
        listing.add_argument("--user")
        listing.add_argument("--limit", type=int, default=20)

    def handle(self, *args, action: str, **options):
        if action == "submit":
            job = self._submit(**options)
        elif action == "show":
            job = (
                InferenceJob.objects.select_related("owner").filter(pk=self._uuid(options["job_id"])).first()
            )
            if job is None:
                raise CommandError(f"No job {options['job_id']}.")
        else:
            jobs = InferenceJob.objects.select_related("owner").prefetch_related("result_files")
            if options["status"]:
                jobs = jobs.filter(status=options["status"])
            if options["user"]:
                jobs = jobs.filter(owner__username=options["user"])
            self._print([job_as_dict(job) for job in jobs[: options["limit"]]])
            return
        self._print(job_as_dict(job))
        if job.status == InferenceJob.Status.FAILED:
            raise CommandError(f"The job failed: {job.error}")

    def _submit(self, *, capability, input, user, backend, param, extra, text, wait, timeout, **_):
        from workers.services import JobRefused, UploadedInput, job_submit

        owner = get_user_model().objects.filter(username=user).first()
        if owner is None:
            raise CommandError(f"No user named {user!r}.")
        audio, text = inputs_from_arguments(capability, input, extra, text)
        for path in audio.values():
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        files = [
            UploadedInput(name, path.open("rb"), path.name, path.stat().st_size)
            for name, path in audio.items()
        ]
        try:
            job = job_submit(
                user=owner, capability=capability, backend=backend, files=files, text=text,
                params=dict(param_parse(p) for p in param), origin="cli",
            )  # fmt: skip
        except JobRefused as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for upload in files:
                upload.file.close()
        if wait:
            deadline = time.monotonic() + timeout
            while not job.is_finished and time.monotonic() < deadline:
                time.sleep(0.25)
                job.refresh_from_db()
            if not job.is_finished:
                raise CommandError(f"Job {job.id} still {job.status} after {timeout:g} s (it keeps running).")
        return job

    def _uuid(self, raw: str) -> str:
        import uuid

        try:
            return str(uuid.UUID(raw))
        except ValueError as exc:
            raise CommandError(f"Not a job id: {raw!r}") from exc

    def _print(self, value) -> None:
        self.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str))

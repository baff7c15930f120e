"""Job reads: a user's jobs, one job for its owner, queue position, status for polling."""

from django.db.models import QuerySet

from workers.models import InferenceJob, JobResultFile


def jobs_for_user(*, user) -> QuerySet[InferenceJob]:
    return InferenceJob.objects.filter(owner=user).order_by("-created_at")


def job_for_owner(*, job_id, user) -> InferenceJob:
    """The job if `user` owns it; DoesNotExist otherwise (callers answer 404, never 403, so ids leak nothing)."""
    return InferenceJob.objects.prefetch_related("result_files", "inputs").get(id=job_id, owner=user)


def job_queue_position(*, job: InferenceJob) -> int | None:
    """1 = next to run. None once the job has left the queue."""
    if job.status != InferenceJob.Status.QUEUED:
        return None
    ahead = InferenceJob.objects.filter(
        status="queued", queue=job.queue, created_at__lt=job.created_at
    ).count()
    return ahead + 1


def job_status_payload(*, job: InferenceJob) -> dict:
    """What the job page polls: small, JSON-safe."""
    return {
        "id": str(job.id),
        "status": job.status,
        "status_label": job.get_status_display(),
        "progress": round(job.progress, 3),
        "message": job.progress_message,
        "queue_position": job_queue_position(job=job),
        "error": job.error,
        "finished": job.is_finished,
    }


def result_file_for_owner(*, file_id: int, user) -> JobResultFile:
    return JobResultFile.objects.select_related("job").get(id=file_id, job__owner=user)

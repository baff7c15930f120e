"""Periodic clean-up for the demos, run by Celery beat (schedule in workers/celery.py)."""

from celery import shared_task


@shared_task(name="demos.purge_expired_recordings", acks_late=False, ignore_result=True)
def purge_expired_recordings() -> dict:
    """Voice-cloning recordings and job files past their retention, and old files in the demos'
    Gradio upload folder (uploads and recordings of any demo may hold a voice)."""
    from demos.cache import demo_cache_purge
    from demos.voice_cloning.services import voice_references_purge

    report = voice_references_purge()
    return {
        "recordings": report.recordings,
        "challenges": report.challenges,
        "job_files": report.job_files,
        "demo_cache_files": demo_cache_purge(),
    }

from django.apps import AppConfig


class WorkersConfig(AppConfig):
    name = "workers"
    verbose_name = "Inference jobs"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from workers.models import InferenceJob

        # A learner's kept pages (their job list above all) are renewed when a job of theirs is
        # created or deleted: the job list is kept only while all its jobs have finished, and a
        # finished job is never changed again, so these are the only changes it must follow.
        post_save.connect(_job_created_or_deleted, sender=InferenceJob, dispatch_uid="jobs-kept-pages-save")
        post_delete.connect(
            _job_created_or_deleted, sender=InferenceJob, dispatch_uid="jobs-kept-pages-delete"
        )


def _job_created_or_deleted(sender, instance, created: bool = True, **kwargs) -> None:
    if created:  # (post_delete passes no `created`: a deletion counts)
        from webapp.fragments import fragments_invalidate_user

        fragments_invalidate_user(user_id=instance.owner_id)

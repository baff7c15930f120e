"""Celery tasks of the privacy app: they take ids and call one service each."""

from celery import shared_task

from webapp.privacy.exporting import BUILD_EXPORT_TASK


@shared_task(name=BUILD_EXPORT_TASK, acks_late=True)
def build_data_export(export_id: str, base_url: str) -> str:
    from webapp.privacy.exporting import data_export_build
    from webapp.privacy.models import DataExport

    try:
        return data_export_build(export_id=export_id, base_url=base_url).status
    except DataExport.DoesNotExist:  # the owner deleted their account meanwhile
        return "gone"
    except Exception as exc:
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, error="The export could not be built; please try again."
        )
        raise exc


@shared_task(name="privacy.retention_purge")
def retention_purge_task() -> dict:
    from webapp.privacy.retention import retention_purge

    return retention_purge().removed

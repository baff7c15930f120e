"""Structured logs: every line written while a job runs carries its id, as a field of a JSON line
(LOG_FORMAT=json) or as `job=<id>` in text, so one job's story can be pulled from mixed logs."""

import contextvars
import json
import logging

current_job_id: contextvars.ContextVar[str] = contextvars.ContextVar("current_job_id", default="-")
JOB_TASKS = {"workers.job_execute"}  # tasks whose first argument is a job id


class JobIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.job_id = current_job_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "job_id": getattr(record, "job_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s job=%(job_id)s %(message)s"


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def _job_started(sender=None, task=None, args=None, kwargs=None, **extra) -> None:
    name = getattr(task, "name", "")
    job_id = (args or [None])[0] if args else (kwargs or {}).get("job_id")
    if name in JOB_TASKS and job_id:
        current_job_id.set(str(job_id))


def _job_finished(**extra) -> None:
    current_job_id.set("-")


def _dress_handlers(logger=None, **extra) -> None:
    """Celery replaces the root logger's handlers in a worker: give them the filter and format."""
    from django.conf import settings

    for handler in logging.getLogger().handlers + (logger.handlers if logger else []):
        handler.addFilter(JobIdFilter())
        handler.setFormatter(formatter_for(settings.LOG_FORMAT))


def connect_celery_signals() -> None:
    from celery.signals import after_setup_logger, after_setup_task_logger, task_postrun, task_prerun

    task_prerun.connect(_job_started, weak=False)
    task_postrun.connect(_job_finished, weak=False)
    after_setup_logger.connect(_dress_handlers, weak=False)
    after_setup_task_logger.connect(_dress_handlers, weak=False)

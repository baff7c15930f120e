"""The Django project: settings, URLs, the ASGI app (Django + Gradio demos), accounts."""

from workers.celery import app as celery_app

__all__ = ("celery_app",)

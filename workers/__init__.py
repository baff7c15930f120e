"""Celery app, inference jobs and the speech engines (engines have no Django imports)."""

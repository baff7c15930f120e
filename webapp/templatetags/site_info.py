"""Footer facts on every page: where the source of the running version is, and which version runs."""

from django import template
from django.conf import settings
from django.urls import reverse

from webapp.source import RunningVersion, running_version

register = template.Library()


@register.simple_tag
def source_code_url() -> str:
    return settings.SOURCE_CODE_URL or reverse("source_archive")


@register.simple_tag(name="running_version")
def running_version_tag() -> RunningVersion:
    return running_version()

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from webapp import views

urlpatterns = [
    path("", views.home, name="home"),
    path("roadmap/", include("curriculum.urls")),
    path("demos/", views.demos_index, name="demos"),
    # /demos/<slug>/ itself is the bare Gradio app (webapp/asgi.py); this page wraps it.
    path("demo/<slug:slug>/", views.demo_page, name="demo_page"),
    path("source.tar.gz", views.source_archive, name="source_archive"),
    path("practice/", include("quiz.urls")),
    path("jobs/", include("workers.urls")),
    path("cohorts/", include("webapp.cohorts.urls")),
    path("accounts/", include("webapp.accounts.urls")),
    path("", include("webapp.privacy.urls")),
    path("", include("webapp.ops.urls")),
    path("challenges/", include("webapp.challenges.urls")),
    path("admin/", admin.site.urls),
]

if getattr(settings, "PROCESS_PROBE_ENABLED", False):  # tests only (webapp.settings.test)
    from webapp.process_probe import process_probe

    urlpatterns.append(path("__probe/process/", process_probe, name="process_probe"))

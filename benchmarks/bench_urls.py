"""The platform's URLs plus cached copies of the roadmap and a topic page (benchmark only)."""

from django.urls import path
from django.views.decorators.cache import cache_page

from curriculum import views as curriculum_views
from webapp.urls import urlpatterns as platform_urlpatterns

CACHE_SECONDS = 600  # longer than any run: every request after the first is a hit

urlpatterns = [
    path("bench-cached/roadmap/", cache_page(CACHE_SECONDS)(curriculum_views.roadmap)),
    path("bench-cached/topics/<slug:slug>/", cache_page(CACHE_SECONDS)(curriculum_views.topic_detail)),
    *platform_urlpatterns,
]

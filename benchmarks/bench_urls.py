"""The platform's URLs plus cached copies of the pages the web benchmark measures (benchmark only):
the ceiling each live page is held against."""

from django.urls import path
from django.views.decorators.cache import cache_page

from curriculum import views as curriculum_views
from quiz.views import practice as practice_views
from webapp.urls import urlpatterns as platform_urlpatterns
from workers import views as workers_views

CACHE_SECONDS = 600  # longer than any run: every request after the first is a hit

urlpatterns = [
    path("bench-cached/roadmap/", cache_page(CACHE_SECONDS)(curriculum_views.roadmap)),
    path("bench-cached/phases/<slug:slug>/", cache_page(CACHE_SECONDS)(curriculum_views.phase_detail)),
    path("bench-cached/topics/<slug:slug>/", cache_page(CACHE_SECONDS)(curriculum_views.topic_detail)),
    path("bench-cached/practice/", cache_page(CACHE_SECONDS)(practice_views.home)),
    path("bench-cached/jobs/", cache_page(CACHE_SECONDS)(workers_views.job_list)),
    *platform_urlpatterns,
]

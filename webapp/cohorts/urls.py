from django.urls import path

from webapp.cohorts.views import exports, instructor, learner

app_name = "cohorts"

urlpatterns = [
    path("", instructor.cohort_list, name="list"),
    path("new/", instructor.cohort_new, name="new"),
    path("mine/", learner.mine, name="mine"),
    path("join/", learner.join, name="join"),
    path("join/<str:code>/", learner.join_link, name="join_link"),
    path("mine/<int:cohort_id>/leave/", learner.leave, name="leave"),
    path("mine/<int:cohort_id>/leaderboard/", learner.leaderboard_choice, name="leaderboard_choice"),
    path("<int:cohort_id>/", instructor.dashboard, name="dashboard"),
    path("<int:cohort_id>/settings/", instructor.cohort_settings, name="settings"),
    path("<int:cohort_id>/invite/", instructor.invite_regenerate, name="invite_regenerate"),
    path("<int:cohort_id>/owners/", instructor.owner_add, name="owner_add"),
    path("<int:cohort_id>/owners/<int:user_id>/remove/", instructor.owner_remove, name="owner_remove"),
    path("<int:cohort_id>/members/<int:user_id>/remove/", instructor.member_remove, name="member_remove"),
    path("<int:cohort_id>/learners/<int:user_id>/", instructor.learner_detail, name="learner"),
    path(
        "<int:cohort_id>/learners/<int:user_id>/mocks/<int:mock_id>/",
        instructor.learner_mock,
        name="learner_mock",
    ),
    path("<int:cohort_id>/assignments/new/", instructor.assignment_new, name="assignment_new"),
    path("<int:cohort_id>/assignments/<int:assignment_id>/", instructor.assignment_detail, name="assignment"),
    path(
        "<int:cohort_id>/assignments/<int:assignment_id>/delete/",
        instructor.assignment_delete,
        name="assignment_delete",
    ),
    path("<int:cohort_id>/export/progress.csv", exports.progress_csv, name="export_progress"),
    path("<int:cohort_id>/export/attempts.csv", exports.attempts_csv, name="export_attempts"),
    path("<int:cohort_id>/export/xapi.json", exports.xapi_json, name="export_xapi"),
    path("<int:cohort_id>/export/challenges.csv", exports.challenges_csv, name="export_challenges"),
]

from django.urls import path

from quiz.views import mock, practice

app_name = "quiz"

urlpatterns = [
    path("", practice.home, name="home"),
    path("quiz/new/", practice.quiz_new, name="quiz_new"),
    path("quiz/", practice.quiz_play, name="quiz_play"),
    path("set/", practice.practice_set, name="practice_set"),
    path("review/", practice.review, name="review"),
    path("answer/", practice.answer, name="answer"),
    path("answers/<int:attempt_id>/", practice.attempt_detail, name="attempt"),
    path("answers/<int:attempt_id>/rating/", practice.attempt_rate, name="attempt_rate"),
    path("answers/<int:attempt_id>/status/", practice.attempt_status, name="attempt_status"),
    path("answers/<int:attempt_id>/options/", practice.attempt_options, name="attempt_options"),
    path("mock/new/", mock.mock_new, name="mock_new"),
    path("mock/<int:mock_id>/", mock.mock_detail, name="mock"),
    path("mock/<int:mock_id>/answer/", mock.mock_answer, name="mock_answer"),
    path("mock/<int:mock_id>/record/", mock.mock_record, name="mock_record"),
    path("mock/<int:mock_id>/finish/", mock.mock_finish, name="mock_finish"),
    path("mock/<int:mock_id>/report/", mock.mock_report, name="mock_report"),
    path("readiness/", practice.readiness, name="readiness"),
    path("history/", practice.history, name="history"),
]

from django.contrib import admin

from quiz.models import Attempt, Card, KeyPoint, MockInterview, Option, Question


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0


class KeyPointInline(admin.TabularInline):
    model = KeyPoint
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("slug", "level", "kind", "main_topic", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("slug", "prompt")
    inlines = [OptionInline, KeyPointInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "question",
        "mode",
        "status",
        "score",
        "rating",
        "rating_overridden",
        "created_at",
    )
    list_filter = ("mode", "status", "rating_overridden")
    raw_id_fields = ("user", "question", "mock", "recording")


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("user", "question", "due", "reviews", "lapses", "last_score")
    raw_id_fields = ("user", "question")


@admin.register(MockInterview)
class MockInterviewAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "question_count", "started_at", "finished_at")
    raw_id_fields = ("user",)

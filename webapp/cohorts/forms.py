"""Forms: a cohort's name, joining with a code, adding a co-owner, an assignment, and the
dashboard's choices (inactivity, thresholds, forecast date)."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from curriculum.models import Topic
from quiz.models import Level
from webapp.cohorts.models import Assignment, Cohort
from webapp.cohorts.selectors.assignments import question_count_available
from webapp.cohorts.selectors.dashboard import DashboardOptions

LEVEL_CHOICES = [("", "Any level"), *Level.choices]


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("name", "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class JoinForm(forms.Form):
    code = forms.CharField(label="Invitation code", max_length=64)


class CoOwnerForm(forms.Form):
    username = forms.CharField(label="Instructor's username", max_length=150)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic) -> str:
        return f"{topic.phase.title} › {topic.title}"


class AssignmentForm(forms.Form):
    kind = forms.ChoiceField(choices=Assignment.Kind.choices, widget=forms.RadioSelect, initial="topics")
    title = forms.CharField(
        max_length=120, required=False, help_text="Optional: described from the settings."
    )
    topics = TopicChoiceField(
        queryset=Topic.objects.none(),
        to_field_name="slug",
        required=False,
        help_text="Topics to finish, or to draw questions from. Ctrl/Cmd-click to pick several.",
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    level = forms.ChoiceField(
        choices=LEVEL_CHOICES, required=False, help_text="Mock interviews need a level."
    )
    question_count = forms.IntegerField(
        label="Number of questions", min_value=1, max_value=30, required=False,
        help_text="Quiz: graded answers needed. Mock interview: its length (at most 12).",
    )  # fmt: skip
    minutes = forms.IntegerField(
        label="Time limit (minutes, interviews)", min_value=2, max_value=90, required=False
    )
    due_on = forms.DateField(
        label="Due on", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    instructions = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.active().select_related("phase")

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date has passed.")
        return due

    def clean(self):
        data = super().clean()
        kind, topics, level, count = (data.get(k) for k in ("kind", "topics", "level", "question_count"))
        topics = list(topics or [])
        if kind == Assignment.Kind.TOPICS and not topics:
            self.add_error("topics", "Choose the topics to finish.")
        if kind == Assignment.Kind.QUIZ:
            if not topics:
                self.add_error("topics", "Choose the topics the quiz covers.")
            if not count:
                self.add_error("question_count", "Say how many answers are needed.")
        if kind == Assignment.Kind.MOCK:
            if not level:
                self.add_error("level", "Choose the interview's level.")
            if not count:
                self.add_error("question_count", "Say how many questions the interview has.")
            elif count > 12:
                self.add_error("question_count", "A mock interview has at most 12 questions.")
        if kind in (Assignment.Kind.QUIZ, Assignment.Kind.MOCK) and count and not self.errors:
            available = question_count_available(kind=kind, topics=topics, level=level or "")
            if available == 0 or (kind == Assignment.Kind.MOCK and available < count):
                self.add_error(None, f"Only {available} question(s) match those topics and that level.")
        return data


class DashboardForm(forms.Form):
    """GET parameters of the dashboard; any left out keep their defaults (DashboardOptions)."""

    inactive_days = forms.IntegerField(
        label="Inactive for (days)", min_value=1, max_value=365, required=False
    )
    mastery = forms.IntegerField(label="Mastery below (%)", min_value=0, max_value=100, required=False)
    forecast_on = forms.DateField(
        label="Forecast recall on",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    recall = forms.IntegerField(label="Recall below (%)", min_value=0, max_value=100, required=False)

    def clean_forecast_on(self):
        day = self.cleaned_data["forecast_on"]
        today = timezone.localdate()
        if day and not today - timedelta(days=366) <= day <= today + timedelta(days=5 * 366):
            raise forms.ValidationError("Choose a date from a year ago to five years ahead.")
        return day

    def options(self) -> DashboardOptions:
        """The chosen options, or the defaults where a value is missing or invalid."""
        defaults = DashboardOptions()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}

        def given(name, default):
            value = data.get(name)
            return default if value is None else value

        return DashboardOptions(
            inactive_days=given("inactive_days", defaults.inactive_days),
            mastery_threshold=given("mastery", round(100 * defaults.mastery_threshold)) / 100,
            recall_threshold=given("recall", round(100 * defaults.recall_threshold)) / 100,
            forecast_on=data.get("forecast_on"),
        )

    def initial_from(self, options: DashboardOptions, forecast_on) -> None:
        """Show the values in use in an unbound form."""
        self.initial = {
            "inactive_days": options.inactive_days,
            "mastery": round(100 * options.mastery_threshold),
            "forecast_on": forecast_on,
            "recall": round(100 * options.recall_threshold),
        }

"""Forms for choosing a practice set or an interview, answering, and re-rating an answer."""

from django import forms

from curriculum.models import Topic
from quiz.models import Attempt, Level, Question
from quiz.selectors import topics_with_questions

AUDIO_ACCEPT = "audio/*,.webm,.ogg,.wav,.flac,.mp3,.m4a"
LEVEL_CHOICES = [("", "Any level"), *Level.choices]


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic) -> str:
        return f"{topic.phase.title} › {topic.title} ({topic.question_count})"


def _topics_field(help_text: str, widget: forms.Widget | None = None) -> TopicChoiceField:
    return TopicChoiceField(
        queryset=topics_with_questions(),
        to_field_name="slug",
        required=False,
        help_text=help_text,
        widget=widget or forms.SelectMultiple(attrs={"size": 12}),
    )


class QuizSetupForm(forms.Form):
    MAX_COUNT = 30
    topics = _topics_field("Leave all unticked for every topic.", widget=forms.CheckboxSelectMultiple)
    level = forms.ChoiceField(choices=LEVEL_CHOICES, required=False)
    count = forms.IntegerField(label="Number of questions", min_value=1, max_value=MAX_COUNT, initial=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics_with_questions()  # fresh per form: topics change on import

    def topic_groups(self) -> list[tuple[str, list[tuple[Topic, bool]]]]:
        """The topic checklist grouped by phase, each topic with whether it is ticked."""
        ticked = {str(v) for v in (self["topics"].value() or [])}
        groups: dict[str, list[tuple[Topic, bool]]] = {}
        for topic in self.fields["topics"].queryset:
            groups.setdefault(topic.phase.title, []).append((topic, topic.slug in ticked))
        return list(groups.items())


class MockSetupForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices, initial=Level.MID)
    topics = _topics_field("Leave empty for a mix across the whole roadmap.")
    count = forms.IntegerField(label="Number of questions", min_value=1, max_value=12, initial=5)
    minutes = forms.IntegerField(label="Time limit (minutes)", min_value=2, max_value=90, initial=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = topics_with_questions()


class AnswerForm(forms.Form):
    """A question's answer form: the options (multiple choice) and/or a free-text answer."""

    question = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    mode = forms.ChoiceField(choices=[("quiz", "quiz"), ("review", "review")], widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        if question.has_options:
            options = list(question.options.all())
            choices = [(str(o.id), o.text) for o in options]
            several = sum(o.correct for o in options) > 1
            self.fields["options"] = forms.TypedMultipleChoiceField(
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                label="Choose every correct answer" if several else "Choose one answer",
                error_messages={"required": "Choose at least one of the options."},
            )
            if not several:
                self.fields["options"] = forms.TypedChoiceField(
                    choices=choices, coerce=int, widget=forms.RadioSelect, label="Choose one answer",
                    error_messages={"required": "Choose one of the options."},
                )  # fmt: skip
        if question.has_free_text:
            self.fields["answer"] = forms.CharField(
                label="Your answer" if not question.has_options else "Explain your answer (optional, graded)",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )

    def option_ids(self) -> list[int]:
        value = self.cleaned_data.get("options")
        if value is None or value == "":
            return []
        return list(value) if isinstance(value, list) else [value]


class MockAnswerForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label="Your answer", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 10})
    )


class RecordingForm(forms.Form):
    question = forms.IntegerField(widget=forms.HiddenInput)
    audio = forms.FileField(
        label="Or upload a recording of your answer",
        widget=forms.ClearableFileInput(attrs={"accept": AUDIO_ACCEPT}),
        error_messages={"required": "Choose an audio file, or record your answer."},
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        choices=Attempt.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        label="How well did you really know it?",
    )

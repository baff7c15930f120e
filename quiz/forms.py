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


def _options_field(question: Question, order: list[int] | None) -> forms.Field:
    """The options, in the order this attempt shows them (shuffled on the server per attempt)."""
    options = {o.id: o for o in question.options.all()}
    shown = [options[i] for i in order or [] if i in options] or list(options.values())
    choices = [(str(o.id), o.text) for o in shown]
    if sum(o.correct for o in shown) > 1:
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, label="Choose every correct answer",
            error_messages={"required": "Choose at least one of the options."},
        )  # fmt: skip
    return forms.TypedChoiceField(
        choices=choices, coerce=int, widget=forms.RadioSelect, label="Choose one answer",
        error_messages={"required": "Choose one of the options."},
    )  # fmt: skip


class _OptionIds:
    def option_ids(self) -> list[int]:
        value = self.cleaned_data.get("options")
        if value is None or value == "":
            return []
        return list(value) if isinstance(value, list) else [value]

    def options_shown(self) -> list[str]:
        return [label for _, label in self.fields["options"].choices] if "options" in self.fields else []


class AnswerForm(_OptionIds, forms.Form):
    """A question's first answer: the options of a multiple-choice question, else the free text
    (a "both" question's options come after its free text is graded: OptionsForm)."""

    question = forms.IntegerField(widget=forms.HiddenInput)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    mode = forms.ChoiceField(choices=[("quiz", "quiz"), ("review", "review")], widget=forms.HiddenInput)

    def __init__(self, *args, question: Question, order: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        counted = question.options_graded
        if counted and question.kind == Question.Kind.MCQ:
            self.fields["options"] = _options_field(question, order)
            return
        both = counted and question.kind == Question.Kind.BOTH
        self.fields["answer"] = forms.CharField(
            label="Your answer (graded first; then you choose among the options)" if both else "Your answer",
            required=False,
            strip=False,
            widget=forms.Textarea(attrs={"rows": 8}),
        )


class OptionsForm(_OptionIds, forms.Form):
    """The options shown after the free text: graded ("both") or a self-check (principal)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, question: Question, order: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"] = _options_field(question, order)


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

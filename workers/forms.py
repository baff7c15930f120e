"""The generic job form: pick a capability and backend, give audio and/or text, set parameters."""

import json

from django import forms

AUDIO_ACCEPT = "audio/*,.wav,.flac,.mp3,.ogg,.webm,.m4a"


class JobForm(forms.Form):
    backend = forms.ChoiceField(
        required=False, help_text="Leave on the default unless you are comparing engines."
    )
    audio = forms.FileField(required=False, widget=forms.ClearableFileInput(attrs={"accept": AUDIO_ACCEPT}))
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    params = forms.CharField(
        required=False,
        label="Parameters (JSON)",
        help_text='For example {"threshold": 0.5} or {"num_speakers": 2}.',
        widget=forms.TextInput(attrs={"placeholder": "{}"}),
    )

    def __init__(self, *args, backends: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["backend"].choices = [("", "Default"), *backends]

    def clean_params(self) -> dict:
        raw = self.cleaned_data.get("params") or "{}"
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc.msg}.") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError('Parameters must be a JSON object, like {"threshold": 0.5}.')
        return value

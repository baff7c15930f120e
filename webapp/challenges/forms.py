from django import forms


class SubmissionForm(forms.Form):
    submission = forms.FileField(
        label="Your submission (one file, or a zip)",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.csv,.txt,.rttm,.wav,.flac,.mid"}),
    )

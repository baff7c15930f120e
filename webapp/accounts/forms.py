"""Sign-up form: username, e-mail, password. Everyone starts as a learner; staff grant instructor."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from webapp.accounts.models import User


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

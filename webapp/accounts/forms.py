"""Sign-up form: username, e-mail, role, password."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from webapp.accounts.models import User


class SignupForm(UserCreationForm):
    email = forms.EmailField(required=True, help_text="Used only to reset your password.")
    role = forms.ChoiceField(
        choices=User.Role.choices,
        initial=User.Role.LEARNER,
        widget=forms.RadioSelect,
        help_text="Instructors can run cohorts; learners follow the roadmap.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "role")

"""Account writes: sign-up, demo and first staff accounts, instructor invitations."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from webapp.accounts.models import InstructorInvitation, User


def user_create(*, username: str, email: str, password: str, role: str = User.Role.LEARNER) -> User:
    user = User(username=username, email=email, role=role)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def demo_user_create(*, username: str, role: str, reset: bool = False) -> str | None:
    """Create a demo account with a random password and return the password, or None when it
    already exists (its password is left alone: printed once, never stored, so no file on the server
    holds a working login). `reset=True` gives an existing account a new password."""
    password = secrets.token_urlsafe(12)
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com", "role": role}
    )
    if not created and not reset:
        return None
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def staff_first_create(*, username: str = "admin") -> str | None:
    """The first staff account (a superuser) with a random password, returned once; None when any
    staff account exists (for example one made with `createsuperuser`)."""
    if User.objects.filter(is_staff=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email=f"{username}@localhost", password=password)
    return password


def instructor_invitation_create(*, created_by: User, note: str = "") -> InstructorInvitation:
    if not created_by.is_staff:
        raise PermissionDenied("Only staff invite instructors.")
    return InstructorInvitation.objects.create(created_by=created_by, note=note)


@transaction.atomic
def instructor_invitation_accept(*, token: str, user: User) -> User:
    """Make `user` an instructor; the invitation works once and until it expires."""
    invitation = InstructorInvitation.objects.select_for_update().filter(token=token).first()
    if invitation is None:
        raise ValidationError("This invitation link is not valid.")
    if invitation.used_at is not None:
        raise ValidationError("This invitation has already been used.")
    if invitation.expires_at <= timezone.now():
        raise ValidationError("This invitation has expired: ask staff for a new one.")
    invitation.used_by, invitation.used_at = user, timezone.now()
    invitation.save(update_fields=["used_by", "used_at"])
    user.role = User.Role.INSTRUCTOR
    user.save(update_fields=["role"])
    return user

"""Account writes: creating users (sign-up, demo accounts)."""

from webapp.accounts.models import User


def user_create(*, username: str, email: str, password: str, role: str = User.Role.LEARNER) -> User:
    user = User(username=username, email=email, role=role)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def demo_user_ensure(*, username: str, password: str, role: str) -> tuple[User, bool]:
    """Create (or reset the password of) a demo account; returns (user, created)."""
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com", "role": role}
    )
    user.role = role
    user.set_password(password)
    user.save()
    return user, created

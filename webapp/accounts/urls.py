from django.contrib.auth import views as auth_views
from django.urls import path

from webapp.accounts import views
from webapp.accounts.ratelimits import rate_limited

# Sign-in per address and per username tried; sign-up and reset per address.
_sign_in = rate_limited(group="sign-in", setting="RATE_LIMIT_SIGN_IN", keys=("ip", "post:username"))
_sign_up = rate_limited(group="sign-up", setting="RATE_LIMIT_SIGN_UP")
_reset = rate_limited(group="password-reset", setting="RATE_LIMIT_PASSWORD_RESET")

app_name = "accounts"

urlpatterns = [
    path("signup/", _sign_up(views.signup), name="signup"),
    path("instructor-invitation/<str:token>/", views.instructor_invitation, name="instructor_invitation"),
    path("login/", _sign_in(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        _reset(
            auth_views.PasswordResetView.as_view(
                success_url="/accounts/password-reset/sent/",
                email_template_name="registration/password_reset_email.txt",
            )
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(success_url="/accounts/reset/done/"),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

"""Django's ModelBackend, with the signed-in user's row kept in the shared cache.

Loading `request.user` was the largest single cost of a signed-in page served from its kept body:
an ORM query built and compiled on every request (~13 % of a page process's CPU at 50 users on
the PostgreSQL benchmark, py-spy). The row is kept under a token of its own, bumped by any save
or deletion of the user, at once and again after its commit (signals in apps.py). Row and token
are kept together under one key, read in the same cache call as the token and the user's page
tokens: one round trip to the cache for all of them. The token is read before the database, so a
row read while a change is uncommitted is kept with a token nobody holds after the commit. Session checks are Django's, on the kept row:
a changed password still signs the other sessions out, and an inactive user is never kept.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from webapp.fragments import account_row_keep, account_row_read

ACCOUNT_KEPT_S = 10 * 60  # a bump is what invalidates; the lifetime only frees the space


class SharedCacheModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        token, user = account_row_read(user_id)
        if user is None:
            user = super().get_user(user_id)  # None for a missing or inactive user: not kept
            if user is not None:
                account_row_keep(user_id, token, user, ACCOUNT_KEPT_S)
        return user if user is not None and self.user_can_authenticate(user) else None

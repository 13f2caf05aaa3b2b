"""Sessions in the database, whose save on a busy database is answered as busy (503), not as a lost session."""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from obserwatorium.lock_errors import is_retryable_lock_error


class SessionStore(DatabaseSessionStore):
    """Django's database sessions; a save refused by a lock raises the lock error itself.

    Django turns any database error of a session update into UpdateError, which its middleware answers 400
    ("session was deleted"); a locked database is not a deleted session, and handler500 answers the lock
    error 503 with Retry-After.
    """

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if is_retryable_lock_error(cause):
                raise cause from None
            raise

"""Reads from PostgreSQL streaming replicas, writes to the primary, and every writer reading its own writes.

A request chooses where its reads go once, when it starts (`ReplicaMiddleware`): one replica, picked at random,
for a safe request (GET, HEAD, OPTIONS) of a visitor who is not signed in and has not written lately; the primary
for every other request, and for the next OBS_REPLICA_LAG_SECONDS after a request that wrote (a signed cookie).
All the reads of one request go to one database, so the data version an answer is cached under and the answer
itself come from the same copy of the data.

Outside a request (management commands, the import worker, threads a request starts) every read goes to the
primary: such work often reads what it has just written, and it is too little of the load to need a replica.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signing import BadSignature
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

PRIMARY = "default"
COOKIE = "obs_primary"
COOKIE_SALT = "obserwatorium.replicas.primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# The first word of a statement that changes data. COPY (the bulk load of observations) does not pass the
# execute wrapper at all: it runs only inside POST requests, which count as writes by their method.
WRITE_STATEMENTS = frozenset({"insert", "update", "delete", "merge", "truncate", "copy", "create", "alter", "drop"})

# Where the reads of the current request go; the primary outside a request.
_read_from: ContextVar[str] = ContextVar("obs_read_from", default=PRIMARY)


def reading_from() -> str:
    """The alias the current context reads from."""
    return _read_from.get()


class ReplicaRouter:
    """Writes and migrations on the primary; reads where the current request reads (`reading_from`).

    A read inside a transaction on the primary stays there: it must see the transaction's own writes, and a row
    it is about to update must be the primary's row."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return _read_from.get()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY  # a replica replays the primary's schema; it cannot be written


class WriteWatch:
    """An execute wrapper of the primary's connection that notes whether a statement changed data."""

    def __init__(self) -> None:
        self.wrote = False

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: dict) -> Any:
        if not self.wrote:
            first_word = sql.lstrip(" \n\t(").split(None, 1)[:1]
            self.wrote = bool(first_word) and first_word[0].lower() in WRITE_STATEMENTS
        return execute(sql, params, many, context)


def pinned_by_cookie(request: HttpRequest) -> bool:
    """Whether the request carries a valid, unexpired mark of a recent write (a tampered one counts as none)."""
    if COOKIE not in request.COOKIES:
        return False
    try:
        request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=settings.OBS_REPLICA_LAG_SECONDS)
    except (BadSignature, ValueError):  # SignatureExpired is a BadSignature
        return False
    return True


def read_alias(request: HttpRequest) -> str:
    """Where this request reads: the primary for a write, a recent writer or a signed-in user, else a replica.

    A signed-in user is known by the session cookie alone (reading the session would already be a read). The
    office's own requests are a small part of the load, and on the primary an edit form always shows the row its
    save will replace, and a session just written is always found."""
    if (request.method not in SAFE_METHODS or settings.SESSION_COOKIE_NAME in request.COOKIES
            or pinned_by_cookie(request) or not settings.OBS_REPLICA_DATABASES):
        return PRIMARY
    return random.choice(settings.OBS_REPLICA_DATABASES)


class ReplicaMiddleware:
    """Sends the request's reads to a replica or the primary, and marks the author of a write for a while."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = _read_from.set(read_alias(request))
        watch = WriteWatch()
        try:
            with connections[PRIMARY].execute_wrapper(watch):
                response = self.get_response(request)
        finally:
            _read_from.reset(token)
        if watch.wrote or request.method not in SAFE_METHODS:
            response.set_signed_cookie(COOKIE, "1", salt=COOKIE_SALT, max_age=settings.OBS_REPLICA_LAG_SECONDS,
                                       secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response

"""Who acts: a signed-in user or the anonymous visitor (the type of every `user` parameter)."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

Actor: TypeAlias = User | AnonymousUser

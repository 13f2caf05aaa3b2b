"""Sign-in protection: the security log of failed sign-ins and lockouts (`obserwatorium.security`) and the
lockout page."""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

log = logging.getLogger("obserwatorium.security")


def _address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_login_failed, dispatch_uid="obserwatorium-login-failed")
def log_failed_login(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    """Every failed sign-in, by any login view (Django sends the credentials with the password masked)."""
    log.warning("failed sign-in: user=%r address=%s path=%s", credentials.get("username", ""), _address(request),
                request.path if request is not None else "")


@receiver(user_locked_out, dispatch_uid="obserwatorium-locked-out")
def log_lockout(sender, request: HttpRequest | None = None, username: str | None = None,
                ip_address: str | None = None, **kwargs) -> None:
    """An account or address locked out after too many failed sign-ins."""
    log.warning("sign-in locked out: user=%r address=%s", username or "", ip_address or _address(request))


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out sign-in gets (HTTP 429), in the language of the request."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "web/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response

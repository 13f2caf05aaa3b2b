"""The accessibility statement ("Deklaracja dostępności") the digital accessibility act requires of the site.

Generated from settings (the body, dates, contact, procedure) and from the list of automated checks the test
suite runs (accessibility_checks.yaml), in the structure of the ministry's model statement.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from obserwatorium import config

CHECKS_FILE = Path(__file__).with_name("accessibility_checks.yaml")


@cache
def automated_checks() -> dict[str, Any]:
    """The checks the suite runs: tool, rule sets, the public pages (with languages) and the staff forms."""
    return yaml.safe_load(CHECKS_FILE.read_text(encoding="utf-8"))


def _checked_pages(language: str) -> dict[str, Any]:
    checks = automated_checks()
    label = "en" if language == "en" else "pl"
    return {
        "tool": checks["tool"], "rules": checks["rules"],
        "pages": [{"path": p["path"], "name": p[label], "languages": p["languages"]} for p in checks["pages"]],
        "staff": [{"path": p["path"], "name": p[label]} for p in checks["staff"]],
    }


def statement_values() -> dict[str, Any]:
    """What the statement takes from settings; a date left unset is None (the page says it was not given)."""
    return {
        "body": config.get("OBS_PUBLIC_BODY"),
        "published": config.day("OBS_SITE_PUBLISHED"), "updated": config.day("OBS_SITE_UPDATED"),
        "prepared": config.day("OBS_ACCESSIBILITY_PREPARED"), "reviewed": config.day("OBS_ACCESSIBILITY_REVIEWED"),
        "contact": config.get("OBS_ACCESSIBILITY_CONTACT").strip(),
        "email": config.get("OBS_ACCESSIBILITY_EMAIL").strip(),
        "phone": config.get("OBS_ACCESSIBILITY_PHONE").strip(),
        "procedure": [part.strip() for part in config.get("OBS_ACCESSIBILITY_PROCEDURE").split("\n\n")
                      if part.strip()],
    }


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    base = (config.get("OBS_SITE_URL").strip() or request.build_absolute_uri("/")).rstrip("/") + "/"
    values = statement_values()
    phone_link = "".join(c for c in values["phone"] if c in "+0123456789")
    return render(request, "web/accessibility.html", {
        **values, "site_url": base, "phone_link": phone_link, "checks": _checked_pages(get_language() or "pl")})

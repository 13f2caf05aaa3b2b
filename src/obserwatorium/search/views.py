"""The site's search page: one question across indicators, gminy, domains, projects, forums, meetings,
documents and events, results grouped by kind."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from obserwatorium.search import index
from obserwatorium.search.providers import KINDS, PROVIDERS

MAX_QUESTION = 200


def search(request: HttpRequest) -> HttpResponse:
    question = request.GET.get("q", "")[:MAX_QUESTION].strip()
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    groups = index.search(question, kind=kind) if question else []
    return render(request, "search/search.html", {
        "question": question, "kind": kind, "groups": groups, "providers": PROVIDERS,
        "total": sum(group.total for group in groups), "asked": bool(index.words_of(question)),
    })

"""Public pages: thin views over the selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from obserwatorium.indicators.models import Domain


def home(request: HttpRequest) -> HttpResponse:
    domains = Domain.objects.filter(strategic=True).prefetch_related("indicators")
    return render(request, "web/home.html", {"domains": domains})

"""The domains' stylesheet gives a class to every domain code the model accepts (#13)."""

from __future__ import annotations

import pytest

from obserwatorium.indicators.models import Domain

pytestmark = pytest.mark.django_db


def test_a_domain_code_with_an_underscore_gets_its_colour(client):
    Domain.objects.create(code="green_belt", name_pl="Zieleń", name_en="Green", color="#2a7f3b")
    css = client.get("/domains.css").content.decode()
    assert ".domain-green_belt { --domain: #2a7f3b; }" in css

"""Revision history through the API: an overwritten value stays retrievable with who, when and from where."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_overwritten_fact_is_listed_with_user_batches_and_sources(client, write, django_user_model,
                                                                  population_facts):
    fact = next(f for f in population_facts if f["teryt"] == "1206052" and f["year"] == "2020")
    analyst = django_user_model.objects.create_user("analyst", first_name="Anna", last_name="Nowak",
                                                    password="x" * 16)
    correction = write([("population", "1206052", "2020", 16021.0, "provisional")],
                       source="GUS BDL, variable 72305", user=analyst)

    body = client.get("/api/revisions", {"indicator": "population", "unit": "1206052", "period": "2020"}).json()
    assert body["count"] == 1
    (revision,) = body["items"]
    assert (revision["old_value"], revision["new_value"]) == (float(fact["population"]), 16021.0)
    assert (revision["old_flag"], revision["new_flag"]) == ("final", "provisional")
    assert revision["user"] == "Anna Nowak" and revision["batch"] == correction.pk
    assert revision["unit"] == "Kocmyrzów-Luborzyca" and revision["changed_at"]
    sources = {s["batch"]: s for s in body["sources"]}
    assert sources[revision["old_batch"]]["source"] == fact["source"][:500]
    assert sources[revision["batch"]]["source"] == "GUS BDL, variable 72305"
    assert sources[revision["batch"]]["source_url"] == "https://example.org/data.csv"

    # The observation itself now carries the new value and points at the correcting batch.
    current = client.get("/api/observations", {"indicator": "population", "unit": "1206052",
                                                "period_from": "2020", "period_to": "2020"}).json()["items"]
    assert [(i["value"], i["batch"]) for i in current] == [(16021.0, correction.pk)]


def test_revisions_newest_first_with_paging_and_anonymous_writes(client, write):
    first = write([("population", "1261011", "2030", 1.0, "estimated")])
    second = write([("population", "1261011", "2030", 2.0, "estimated")])
    third = write([("population", "1261011", "2030", 3.0, "final")])
    body = client.get("/api/revisions", {"unit": "1261011", "page_size": 1}).json()
    assert body["count"] == 2 and body["pages"] == 2 and body["next"] and body["previous"] is None
    newest = body["items"][0]
    assert (newest["old_value"], newest["new_value"], newest["batch"], newest["old_batch"]) == (
        2.0, 3.0, third.pk, second.pk)
    assert newest["user"] is None
    older = client.get(body["next"]).json()["items"][0]
    assert (older["old_batch"], older["batch"]) == (first.pk, second.pk)


def test_revision_filters_are_validated(client):
    assert client.get("/api/revisions", {"period": "2020-Q5"}).status_code == 422
    missing = client.get("/api/revisions", {"unit": "1299999"})
    assert missing.status_code == 422 and "1299999" in missing.json()["detail"][0]["msg"]
    assert client.get("/api/revisions", {"indicator": "population", "period": "1900"}).json()["count"] == 0

"""Figures kept per data version (`dataversion.memo`, #15): computed once, read back until the next write, and
never shown after a write that changes them; the pages that keep them show what they would compute."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obserwatorium.dataversion import memo
from obserwatorium.dataversion.services import bump_data_version
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import Flag, Indicator, Observation
from obserwatorium.indicators.selectors import comparison_units, population_indicator
from obserwatorium.indicators.services import edit_observation
from obserwatorium.web.figures import headline, headline_cells, headlines

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def __call__(self, missing: list[str]) -> dict[str, str]:
        self.asked.append(sorted(missing))
        return {item: f"{item}@{len(self.asked)}" for item in missing}


def test_a_figure_is_computed_once_per_data_version_and_again_after_a_write():
    compute = Counter()
    first = memo.remembered_many("test", {"a": (1,), "b": (2,)}, compute)
    with CaptureQueriesContext(connection) as captured:
        again = memo.remembered_many("test", {"a": (1,), "b": (2,)}, compute)
    assert again == first == {"a": "a@1", "b": "b@1"}
    assert compute.asked == [["a", "b"]] and len(captured) == 1  # the data version only
    assert memo.remembered_many("test", {"a": (1,), "c": (3,)}, compute) == {"a": "a@1", "c": "c@2"}
    assert compute.asked[-1] == ["c"]  # only what was not kept
    bump_data_version()
    assert memo.remembered_many("test", {"a": (1,)}, compute) == {"a": "a@3"}


def test_what_a_figure_depends_on_names_it():
    compute = Counter()
    memo.remembered_many("test", {"a": (1,)}, compute)
    memo.remembered_many("test", {"a": (2,)}, compute)
    memo.remembered_many("other", {"a": (1,)}, compute)
    assert len(compute.asked) == 3


def test_zero_seconds_computes_every_time(settings):
    settings.OBS_FIGURES_CACHE_SECONDS = 0
    compute = Counter()
    for _ in range(2):
        memo.remembered_many("test", {"a": (1,)}, compute)
    assert len(compute.asked) == 2


def test_an_emptied_cache_costs_a_computation_never_a_figure():
    compute = Counter()
    memo.remembered("test", (1,), lambda: compute(["a"])["a"])
    caches["figures"].clear()
    assert memo.remembered("test", (1,), lambda: compute(["a"])["a"]) == "a@2"


def test_a_read_request_reads_the_version_once_for_all_its_figures(rf):
    compute = Counter()

    def view(request):
        with CaptureQueriesContext(connection) as captured:
            memo.remembered_many("test", {"a": (1,)}, compute)
            memo.remembered_many("test", {"b": (1,)}, compute)
        return len(captured)

    pinned = memo.PinnedVersionMiddleware(view)
    assert pinned(rf.get("/")) == 1
    assert pinned(rf.post("/")) == 2  # a request that writes is not pinned: its figures follow its own write


def _shown_value(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("url", ["/", "/domains/smart-governance/", "/indicators/own-revenues-per-capita/",
                                 "/indicators/population/"])
def test_a_page_with_kept_figures_is_the_page_computed_anew_with_fewer_queries(client, url):
    client.get(url)  # sessions, the language
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as computing:
        computed = client.get(url)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url)
    assert computed.status_code == again.status_code == 200
    assert _shown_value(again.content.decode()) == _shown_value(computed.content.decode())
    assert len(kept) < len(computing)


def test_an_edit_shows_at_once_on_the_pages_that_keep_figures(client, admin_user):
    """The metropolis value of a sum changes with a member's edited value on the very next request."""
    indicator = Indicator.objects.get(code="population")
    url = reverse("web:indicator", args=[indicator.code])
    before = client.get(url).context["metropolis_row"][-1]
    member = comparison_units()[0]
    period = client.get(url).context["periods"][-1]
    stored = Observation.objects.get(indicator=indicator, unit=member, period=period)
    edit_observation(row=ObservationRow(indicator.pk, member.pk, period, stored.value + 1000, Flag.FINAL),
                     user=admin_user)
    after = client.get(url).context["metropolis_row"][-1]
    assert after.value == pytest.approx(before.value + 1000)
    home = client.get("/").context["population"]
    assert home.period == period and home.text == after.text


def test_kept_headlines_equal_those_computed_from_the_cells():
    members = comparison_units()
    population = population_indicator()
    shown = list(Indicator.objects.filter(headline=True)) + [population]
    cells = headline_cells(shown, members, population)
    expected = {i.pk: headline(i, cells, members, population, "en") for i in shown}
    assert headlines(shown, members, population, "en") == expected  # computed
    assert headlines(shown, members, population, "en") == expected  # kept
    assert headlines(shown[:2], members, population, "pl")[shown[0].pk] == \
        headline(shown[0], cells, members, population, "pl")  # kept figures, another language


def test_a_news_item_or_a_meeting_leaves_the_figures_a_value_or_a_unit_does_not():
    """Only writes of what the group figures are computed from make the kept ones obsolete."""
    from obserwatorium.cooperation.models import Forum
    from obserwatorium.dataversion.selectors import data_version, figures_versions
    from obserwatorium.indicators.models import Domain
    from obserwatorium.territory.models import Unit

    compute = Counter()
    memo.remembered_many("test", {"a": (1,)}, compute)
    before, figures_before = data_version(), figures_versions()
    Forum.objects.create(slug="forum-memo", name_pl="Forum", domain=Domain.objects.first())
    bump_data_version(figures=False)
    assert data_version().token != before.token and figures_versions() == figures_before
    memo.remembered_many("test", {"a": (1,)}, compute)
    assert len(compute.asked) == 1
    unit = Unit.objects.first()
    unit.save()
    memo.remembered_many("test", {"a": (1,)}, compute)
    Indicator.objects.filter(code="population").first().save()
    memo.remembered_many("test", {"a": (1,)}, compute)
    assert len(compute.asked) == 3


def test_a_held_version_never_holds_a_figures_bump_back():
    """PostgreSQL: while another transaction holds the data version row and a figures slot (a large import
    applying), a transaction's figures bump lands in its own transaction, on a slot of its own, without waiting;
    only the data version (the API's) is left for after its commit, once."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: the versions are bumped in place")
    import psycopg
    from django.db import transaction

    from obserwatorium.dataversion.models import EVERY_FIGURE
    from obserwatorium.dataversion.selectors import figures_versions

    population = Indicator.objects.get(code="population").pk
    settings_dict = connection.settings_dict
    holder = psycopg.connect(host=settings_dict["HOST"] or "127.0.0.1", port=settings_dict["PORT"] or 5432,
                             user=settings_dict["USER"] or "postgres", dbname=settings_dict["NAME"])
    try:
        holder.execute("SELECT id FROM dataversion_dataversion WHERE id = 1 FOR UPDATE")
        holder.execute("SELECT id FROM dataversion_figuresversion FOR UPDATE")  # every slot the preset's load made
        before = figures_versions()
        assert before[EVERY_FIGURE] and before[population]
        with transaction.atomic():
            bump_data_version(figures=False)
            bump_data_version(indicators=[population])
            bump_data_version()
            pending = [entry[1] for entry in connection.run_on_commit if getattr(entry[1], "data_version", False)]
            assert len(pending) == 1
            after = figures_versions()
            for scope in (EVERY_FIGURE, population):  # a slot of its own beside the held one
                assert len(after[scope]) == len(before[scope]) + 1 and after[scope][:-1] == before[scope]
    finally:
        holder.rollback()
        holder.close()


def test_the_api_answers_do_not_push_the_figures_out():
    """The figures have a cache of their own: filling the default one (the API's stored answers, 300 entries in
    each process's memory) costs no figure a computation."""
    compute = Counter()
    memo.remembered_many("test", {"a": (1,)}, compute)
    for number in range(1000):
        cache.set(f"api-answer-{number}", b"x" * 100)
    memo.remembered_many("test", {"a": (1,)}, compute)
    assert len(compute.asked) == 1

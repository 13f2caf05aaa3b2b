"""Admin forms offer a role holder only the choices they may write into (the rest would be refused with 403)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _options(client, url: str, field: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', html, re.S)
    assert select, (url, field)
    return {value for value in re.findall(r'<option value="([^"]*)"', select.group(1)) if value}


def test_a_coordinator_is_offered_only_their_domain(client, world):
    client.force_login(world.users["coordinator"])
    mine = {str(world.domain_a.pk)}
    assert _options(client, "/admin/strategy/actionplan/add/", "domain") == mine
    assert _options(client, "/admin/cooperation/forum/add/", "domain") == mine
    assert _options(client, "/admin/cooperation/document/add/", "domain") == mine
    from obserwatorium.strategy.models import ActionPlan

    plans_a = {str(pk) for pk in ActionPlan.objects.filter(domain=world.domain_a).values_list("pk", flat=True)}
    assert str(world.plan_a.pk) in plans_a
    assert _options(client, "/admin/strategy/action/add/", "plan") == plans_a
    assert str(world.forum_b.pk) not in _options(client, "/admin/cooperation/meeting/add/", "forum")
    assert str(world.forum_a.pk) in _options(client, "/admin/cooperation/meeting/add/", "forum")


def test_a_secretary_and_an_editor_are_offered_only_their_forum_and_gmina(client, world):
    client.force_login(world.users["secretary"])
    assert _options(client, "/admin/cooperation/meeting/add/", "forum") == {str(world.forum_b.pk)}
    client.force_login(world.users["editor"])
    assert _options(client, "/admin/events/event/add/", "unit") == {str(world.skawina.pk)}


def test_a_stored_choice_stays_offered_so_an_unchanged_field_saves(client, world):
    # Skawina's editor reports on action B (plan B is not theirs): the plan stays its only choice.
    client.force_login(world.users["editor"])
    url = f"/admin/strategy/action/{world.action_b.pk}/change/"
    assert _options(client, url, "plan") == {str(world.plan_b.pk)}


def test_the_office_is_offered_everything(client, world):
    from obserwatorium.indicators.models import Domain

    client.force_login(world.users["office"])
    assert _options(client, "/admin/strategy/actionplan/add/", "domain") == {
        str(pk) for pk in Domain.objects.filter(strategic=True).values_list("pk", flat=True)}

"""Saving, archiving and restoring a registry record bump the data version, in the record's transaction."""

from __future__ import annotations

import pytest

from obserwatorium.dataversion.selectors import data_version
from obserwatorium.registry.services import archive_record, restore_record, save_record

pytestmark = pytest.mark.django_db


def test_save_archive_and_restore_each_bump_the_version(world):
    office = world.users["office"]
    steps = [lambda: save_record(record=world.forum_a, values={"name_pl": "Forum A2"}, user=office),
             lambda: archive_record(record=world.forum_a, user=office),
             lambda: restore_record(record=world.forum_a, user=office),
             lambda: save_record(record=world.project, values={"partners": [world.partner.pk]}, user=office)]
    for step in steps:
        before = data_version().token
        step()
        assert data_version().token != before


def test_a_refused_save_leaves_the_version(world):
    before = data_version().token
    with pytest.raises(Exception):  # noqa: B017,PT011 - whatever refusal the rules give
        save_record(record=world.forum_a, values={"name_pl": "X"}, user=world.users["public"])
    assert data_version().token == before

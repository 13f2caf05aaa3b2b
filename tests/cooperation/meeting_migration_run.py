"""Run in a fresh database (`python -m tests.cooperation.meeting_migration_run`): store meetings as migration 0002
knew them (agenda and decisions as text, gminy represented), migrate forward, print what 0003 made of them as
JSON; then migrate back and print the text again."""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

BEFORE = ("cooperation", "0002_documents_and_stated_date_precision")
AFTER = ("cooperation", "0003_meeting_workspace")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def main() -> None:
    old = migrate(BEFORE)
    unit = old.get_model("territory", "Unit")
    gminy = [unit.objects.create(teryt=f"12061{i}3", name=f"Gmina {i}", slug=f"gmina-{i}",
                                 level="gmina", gmina_type="urban") for i in range(3)]
    forum = old.get_model("cooperation", "Forum").objects.create(slug="f", name_pl="Forum")
    meeting_model = old.get_model("cooperation", "Meeting")
    first = meeting_model.objects.create(forum=forum, starts_at="2023-05-06T10:00:00Z",
                                         agenda="1. Otwarcie\n\n2) Budżet 2024\n- Wolne wnioski",
                                         decisions="Przyjęto protokół\nPowołano zespół ds. danych")
    first.units_represented.set(gminy[:2])
    meeting_model.objects.create(forum=forum, starts_at="2023-06-06T10:00:00Z")  # nothing to move
    new = migrate(AFTER)
    meeting = new.get_model("cooperation", "Meeting").objects.get(pk=first.pk)
    print(json.dumps({
        "agenda": [[i.position, i.title] for i in meeting.agenda_items.order_by("position")],
        "decisions": [[d.number, d.text] for d in meeting.decisions.order_by("number")],
        "present": sorted([a.unit.name, a.status] for a in meeting.attendance.all()),
        "records": new.get_model("cooperation", "Attendance").objects.count(),
    }))
    back = migrate(BEFORE)
    again = back.get_model("cooperation", "Meeting").objects.get(pk=first.pk)
    print(json.dumps({"agenda": again.agenda, "decisions": again.decisions,
                      "represented": sorted(u.name for u in again.units_represented.all())}))


if __name__ == "__main__":
    main()

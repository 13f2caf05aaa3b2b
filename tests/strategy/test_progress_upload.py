"""Bulk CSV update of action progress: validated, all or nothing, a report by row and column, role-checked."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from obserwatorium.history.models import ChangeRecord
from obserwatorium.strategy.models import Action
from obserwatorium.strategy.progress_csv import parse_percent, parse_progress_csv, status_aliases
from obserwatorium.strategy.services import update_progress_from_csv


def _progress(*codes):
    return {a.code: (a.progress, a.status) for a in Action.objects.filter(code__in=codes)}


@pytest.mark.django_db
def test_valid_file_updates_every_row_and_records_history(world):
    office = world.users["office"]
    content = b"code;progress;status\nA-1;45;\nB-1;100;completed\n"
    report = update_progress_from_csv(content=content, user=office)
    assert report.ok and report.applied and (report.changed, report.unchanged) == (2, 0)
    assert _progress("A-1", "B-1") == {"A-1": (45, "in-progress"), "B-1": (100, "completed")}
    change = ChangeRecord.objects.filter(object_id=str(world.action_a.pk), via="bulk").get()
    assert (change.before["progress"], change.after["progress"], change.user) == (10, 45, office)


@pytest.mark.django_db
def test_one_bad_row_changes_nothing_and_is_reported_by_row_and_column(world):
    content = "kod,postęp,status\nA-1,45,\nB-1,120,\nX-9,10,\nA-1,5,\nC-1,50,done\n".encode()
    before = _progress("A-1", "B-1")
    report = update_progress_from_csv(content=content, user=world.users["office"])
    assert not report.ok and not report.applied
    assert {(p.row, p.column) for p in report.problems} == {(3, "progress"), (4, "code"), (5, "code"),
                                                            (6, "status")}
    assert _progress("A-1", "B-1") == before


@pytest.mark.django_db
def test_a_completed_action_must_be_at_one_hundred_percent(world):
    report = update_progress_from_csv(content=b"code;progress;status\nA-1;80;completed\n",
                                      user=world.users["office"])
    assert [(p.row, p.column) for p in report.problems] == [(2, "progress")]


@pytest.mark.django_db
def test_dry_run_reports_without_writing(world):
    report = update_progress_from_csv(content=b"code;progress\nA-1;70\nB-1;20\n", user=world.users["office"],
                                      dry_run=True)
    assert report.ok and not report.applied and (report.changed, report.unchanged) == (1, 1)
    assert _progress("A-1")["A-1"][0] == 10


@pytest.mark.django_db
def test_rows_outside_the_users_scope_refuse_the_whole_file(world):
    # The editor (Skawina) is responsible for B-1 only.
    report = update_progress_from_csv(content=b"code;progress\nB-1;60\nA-1;60\n", user=world.users["editor"])
    assert report.refused and not report.applied
    assert [(p.row, p.column) for p in report.problems] == [(3, "code")]
    assert _progress("A-1", "B-1") == {"A-1": (10, "in-progress"), "B-1": (20, "in-progress")}
    assert update_progress_from_csv(content=b"code;progress\nB-1;60\n", user=world.users["editor"]).applied


@pytest.mark.django_db
def test_missing_columns_and_bad_encoding_are_reported():
    report = update_progress_from_csv(content=b"action;status\n", user=None)
    assert [(p.row, p.column) for p in report.problems] == [(1, "progress")]
    assert update_progress_from_csv(content=b"\xff\xfe\x00", user=None).problems[0].row == 1


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["page", "admin", "api"])
def test_every_upload_path_applies_and_refuses_alike(world, client, path):
    url = {"page": reverse("strategy:progress-upload"), "admin": reverse("admin:strategy_action_progress_upload"),
           "api": "/api/strategy/actions/progress"}[path]
    client.force_login(world.users["coordinator"])  # domain A: may change A-1, not B-1
    good = client.post(url, {"file": SimpleUploadedFile("p.csv", b"code;progress\nA-1;66\n")})
    assert good.status_code == 200 and Action.objects.get(code="A-1").progress == 66
    bad = client.post(url, {"file": SimpleUploadedFile("p.csv", b"code;progress\nA-1;77\nB-1;77\n")})
    assert bad.status_code == 403
    assert _progress("A-1", "B-1") == {"A-1": (66, "in-progress"), "B-1": (20, "in-progress")}
    invalid = client.post(url, {"file": SimpleUploadedFile("p.csv", b"code;progress\nA-1;abc\n")})
    assert invalid.status_code == 400 and b"abc" in invalid.content


@pytest.mark.django_db
def test_public_user_cannot_reach_the_upload(world, client):
    client.force_login(world.users["public"])
    assert client.get(reverse("strategy:progress-upload")).status_code == 403
    response = client.post("/api/strategy/actions/progress",
                           {"file": SimpleUploadedFile("p.csv", b"code;progress\nA-1;1\n")})
    assert response.status_code == 403 and Action.objects.get(code="A-1").progress == 10


@given(st.text(max_size=12))
def test_parse_percent_accepts_only_whole_percentages(raw):
    value = parse_percent(raw)
    assert value is None or (isinstance(value, int) and 0 <= value <= 100)


@pytest.mark.parametrize(("raw", "value"), [("45", 45), (" 45 % ", 45), ("45,0", 45), ("100", 100), ("0", 0),
                                            ("45,5", None), ("101", None), ("-1", None), ("nan", None),
                                            ("inf", None), ("", None)])
def test_parse_percent_examples(raw, value):
    assert parse_percent(raw) == value


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cells, max_size=4), max_size=12), st.sampled_from([";", ",", "\t"]))
def test_parser_never_fails_and_places_every_problem(rows, delimiter):
    text = "\n".join(delimiter.join(row) for row in [["code", "progress", "status"], *rows])
    parsed = parse_progress_csv(text.encode(), statuses={"planned": "planned"})
    lines = len(text.splitlines()) + 1
    assert all(1 <= p.row <= lines and p.message for p in parsed.problems)
    assert len({r.code for r in parsed.rows}) == len(parsed.rows)
    assert all(r.progress is None or 0 <= r.progress <= 100 for r in parsed.rows)


def test_status_aliases_accept_codes_and_both_languages():
    aliases = status_aliases()
    assert aliases["in-progress"] == aliases["in progress"] == aliases["w toku"] == "in-progress"

"""Data requests through their services: drafts, submission through the one write path, confirmations, refusals
that change nothing, reopening, closing, reminders and completeness."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from obserwatorium.collection import selectors, services
from obserwatorium.collection.cells import CellInput
from obserwatorium.collection.models import Submission, SubmissionStatus, SubmissionValue
from obserwatorium.history.models import ChangeRecord
from obserwatorium.indicators.models import ImportBatch, Observation, Revision
from tests.collection.fixtures import Asked

pytestmark = pytest.mark.django_db


def cells(a: Asked, **typed) -> dict:
    """Cells by short names: s24 = stoves 2024, g25 = green 2025; a value is text, or a CellInput."""
    names = {"s": a.stoves.pk, "g": a.green.pk}
    return {(names[key[0]], "20" + key[1:]): value if isinstance(value, CellInput) else CellInput(text=value)
            for key, value in typed.items()}


def full(a: Asked) -> dict:
    return cells(a, s24="120", s25="130", g24="41,5", g25="42")


def _state(a: Asked) -> tuple:
    return (Observation.objects.count(), Revision.objects.count(), ImportBatch.objects.count(),
            list(Submission.objects.filter(request=a.request).values_list("status", "saved_at", "batch_id")),
            list(SubmissionValue.objects.order_by("pk").values_list("text", "value", "no_data", "comment")))


def test_opening_gives_each_gmina_a_draft_and_only_the_office_opens(asked, world):
    assert sorted(asked.request.submissions.values_list("unit__name", "status")) == [
        ("Skawina", "draft"), ("Wieliczka", "draft")]
    assert asked.request.years == ["2024", "2025"] and asked.request.created_by == world.users["office"]
    for role in ("editor", "coordinator", "secretary", "public"):
        with pytest.raises(PermissionDenied):
            services.open_request(title="X", indicators=[asked.stoves], periods=[2024], gminy=[world.skawina],
                                  deadline=datetime.date(2025, 1, 1), user=world.users[role])


def test_a_request_defaults_to_every_member_gmina(world):
    from tests.collection.fixtures import make_indicators

    stoves, _ = make_indicators()
    request = services.open_request(title="Wszyscy", indicators=[stoves], periods=["2024"],
                                    deadline=datetime.date(2025, 1, 1), user=world.users["office"])
    from obserwatorium.territory.models import Unit

    assert request.submissions.count() == Unit.objects.members().current().count() > 10


def test_a_draft_may_be_partial_and_keeps_the_text_as_typed(asked, world):
    services.save_draft(submission=asked.skawina, cells=cells(asked, s24="1 234", g24="41,5"),
                        user=world.users["editor"])
    stored = selectors.stored_cells(asked.skawina)
    assert stored[(asked.stoves.pk, "2024")].text == "1 234"
    assert SubmissionValue.objects.get(indicator=asked.stoves, period="2024").value == 1234
    assert SubmissionValue.objects.get(indicator=asked.green, period="2024").value == 41.5
    asked.skawina.refresh_from_db()
    assert asked.skawina.status == SubmissionStatus.DRAFT and asked.skawina.editor == world.users["editor"]
    assert not Observation.objects.filter(indicator=asked.stoves, period="2024").exists()  # a draft is not data


def test_a_number_that_is_not_one_is_refused_naming_the_cell_and_nothing_changes(asked, world):
    services.save_draft(submission=asked.skawina, cells=cells(asked, s24="120"), user=world.users["editor"])
    before = _state(asked)
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        services.save_draft(submission=asked.skawina, cells=cells(asked, s24="1.234,5.6", g25="12,3,4"),
                            user=world.users["editor"])
    assert refused.value.messages[0].startswith("Wiersz Wymienione piece węglowe, kolumna 2024: ")
    assert any(m.startswith("Wiersz Udział terenów zielonych, kolumna 2025: ") for m in refused.value.messages)
    assert _state(asked) == before
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.submit_submission(submission=asked.skawina, cells={**full(asked), **cells(asked, g24="abc")},
                                   user=world.users["editor"])
    assert refused.value.messages == ["Row Green area share, column 2024: not a number; write it like 1 234,5."]
    assert _state(asked) == before


def test_submitting_writes_observations_with_revisions_and_provenance(asked, world):
    # Skawina's 2024 stoves value existed before (from a file): the submission revises it.
    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.services import write_observations

    old = write_observations(batch=ImportBatch(kind="upload", source="test: an earlier file"),
                             rows=[ObservationRow(asked.stoves.pk, world.skawina.pk, "2024", 110.0, "final")]).batch
    changes = ChangeRecord.objects.count()
    outcome = services.submit_submission(submission=asked.skawina, cells=full(asked), user=world.users["editor"])
    assert (outcome.counts.inserted, outcome.counts.updated) == (3, 1)
    batch = outcome.batch
    assert batch is not None and batch.kind == "request" and batch.user == world.users["editor"]
    assert batch.source == "Zbieranie danych: Piece i zieleń 2024–2025, Skawina"
    assert batch.metadata["request"] == asked.request.pk and batch.metadata["editor"] == "editor"
    assert batch.retrieved_at is not None
    values = dict(Observation.objects.filter(unit=world.skawina, batch=batch, indicator=asked.green)
                  .values_list("period", "value"))
    assert values == {"2024": 41.5, "2025": 42.0}
    assert Observation.objects.get(indicator=asked.stoves, unit=world.skawina, period="2025").value == 130
    revision = Revision.objects.get(indicator=asked.stoves, unit=world.skawina, period="2024")
    assert (revision.old_value, revision.new_value, revision.old_batch, revision.batch, revision.user) == (
        110.0, 120.0, old, batch, world.users["editor"])
    asked.skawina.refresh_from_db()
    assert asked.skawina.status == SubmissionStatus.SUBMITTED and asked.skawina.batch == batch
    assert asked.skawina.submitted_by == world.users["editor"] and asked.skawina.submitted_at is not None
    assert ChangeRecord.objects.filter(object_id=str(asked.skawina.pk), action="changed").exists()
    assert ChangeRecord.objects.count() > changes
    # Sent: the gmina changes nothing more until the office reopens it.
    with pytest.raises(ValidationError):
        services.save_draft(submission=asked.skawina, cells=full(asked), user=world.users["editor"])


def test_submitting_needs_every_cell_or_an_explicit_no_data(asked, world):
    before = _state(asked)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.submit_submission(submission=asked.skawina, cells=cells(asked, s24="120", s25="130", g24="41"),
                                   user=world.users["editor"])
    assert refused.value.messages == ["Row Green area share, column 2025: no value; enter one or tick \"no data\"."]
    assert _state(asked) == before
    outcome = services.submit_submission(
        submission=asked.skawina, cells=cells(asked, s24="120", s25="130", g24="41", g25=CellInput(no_data=True)),
        user=world.users["editor"])
    assert outcome.counts.inserted == 3
    assert not Observation.objects.filter(indicator=asked.green, unit=world.skawina, period="2025").exists()
    assert outcome.batch.metadata["no_data"] == [f"{asked.green.pk}/2025"]


@pytest.mark.parametrize(("typed", "cell", "warning"), [
    ({"s24": "151", "s25": "151"}, "s24", "differs from last year's 100 by +51 %"),  # > 50 % above 2023's 100
    ({"s24": "49", "s25": "49"}, "s24", "differs from last year's 100 by -51 %"),
    ({"s24": "120", "s25": "200"}, "s25", "differs from last year's 120 by +67 %"),  # 2024 typed in the grid
    ({"g24": "100,5", "g25": "100"}, "g24", "is outside the allowed range 0–100"),
    ({"s24": "10 001", "s25": "10 000"}, "s24", "is outside the allowed range 0–10,000"),
])
def test_an_unusual_value_needs_a_confirmation_and_a_comment(asked, world, typed, cell, warning):
    typed_cells = {**full(asked), **cells(asked, **typed)}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.submit_submission(submission=asked.skawina, cells=typed_cells, user=world.users["editor"])
    assert len(refused.value.messages) == 1 and warning in refused.value.messages[0]
    assert "Confirm the value and say why in a comment." in refused.value.messages[0]
    cell_key = next(iter(cells(asked, **{cell: ""})))
    text = typed_cells[cell_key].text
    with pytest.raises(ValidationError):  # confirmed, but without a comment
        services.submit_submission(submission=asked.skawina, cells={**typed_cells, cell_key: CellInput(
            text=text, confirmed=True)}, user=world.users["editor"])
    with pytest.raises(ValidationError):  # a comment, but not confirmed
        services.submit_submission(submission=asked.skawina, cells={**typed_cells, cell_key: CellInput(
            text=text, comment="Tak było.")}, user=world.users["editor"])
    assert not ImportBatch.objects.filter(kind="request").exists()
    confirmed = {**typed_cells, cell_key: CellInput(text=text, confirmed=True,
                                                    comment="Program wymiany pieców ruszył w 2024 r.")}
    services.submit_submission(submission=asked.skawina, cells=confirmed, user=world.users["editor"])
    stored = SubmissionValue.objects.get(submission=asked.skawina, indicator_id=cell_key[0], period=cell_key[1])
    assert stored.confirmed and stored.comment == "Program wymiany pieców ruszył w 2024 r."


def test_a_usual_value_asks_nothing(asked, world):
    checks = selectors.check_grid(submission=asked.skawina, indicators=selectors.request_indicators(asked.request),
                                  cells=cells(asked, s24="150", g24="20"), language="pl")
    assert checks[(asked.stoves.pk, "2024")].warnings == []  # exactly +50 %
    assert checks[(asked.green.pk, "2024")].warnings == []  # exactly -50 %


def test_an_editor_writes_only_their_own_gmina_and_only_while_the_request_is_open(asked, world):
    before = _state(asked)
    for role in ("editor", "coordinator", "secretary", "public", "staff"):
        with pytest.raises(PermissionDenied):
            services.save_draft(submission=asked.wieliczka, cells=full(asked), user=world.users[role])
        with pytest.raises(PermissionDenied):
            services.submit_submission(submission=asked.wieliczka, cells=full(asked), user=world.users[role])
    services.close_request(request=asked.request, user=world.users["office"])
    asked.skawina.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.submit_submission(submission=asked.skawina, cells=full(asked), user=world.users["editor"])
    with pytest.raises(ValidationError):  # the office too: a closed request takes no more values
        services.submit_submission(submission=asked.skawina, cells=full(asked), user=world.users["office"])
    assert _state(asked)[:3] == before[:3]


def test_the_office_reopens_with_a_comment_the_editor_sees_and_resubmits(asked, world, client):
    services.submit_submission(submission=asked.skawina, cells=full(asked), user=world.users["editor"])
    with pytest.raises(PermissionDenied):
        services.reopen_submission(submission=asked.skawina, comment="Sprawdźcie", user=world.users["editor"])
    with pytest.raises(ValidationError):
        services.reopen_submission(submission=asked.skawina, comment="  ", user=world.users["office"])
    services.reopen_submission(submission=asked.skawina, comment="Sprawdźcie liczbę pieców w 2025 r.",
                               user=world.users["office"])
    asked.skawina.refresh_from_db()
    assert asked.skawina.status == SubmissionStatus.REOPENED
    client.force_login(world.users["editor"])
    page = client.get(f"/collection/{asked.request.pk}/gmina/{world.skawina.teryt}/")
    assert page.status_code == 200 and "Sprawdźcie liczbę pieców w 2025 r." in page.content.decode()
    outcome = services.submit_submission(submission=asked.skawina, cells={**full(asked), **cells(asked, s25="131")},
                                         user=world.users["editor"])
    assert (outcome.counts.inserted, outcome.counts.updated, outcome.counts.unchanged) == (0, 1, 3)
    services.accept_submission(submission=asked.skawina, user=world.users["office"])
    asked.skawina.refresh_from_db()
    assert asked.skawina.status == SubmissionStatus.ACCEPTED


def test_reminders_go_to_the_editors_of_gminy_that_have_not_submitted(asked, world):
    world.users["editor"].email = "redakcja@skawina.example"
    world.users["editor"].save()
    world.users["site-editor"].email = "drugi@skawina.example"
    world.users["site-editor"].save()
    with pytest.raises(PermissionDenied):
        services.send_reminders(request=asked.request, user=world.users["editor"], base_url="http://testserver")
    reminders = services.send_reminders(request=asked.request, user=world.users["office"],
                                        base_url="http://testserver/")
    assert reminders.sent == 2 and reminders.without_editor == ["Wieliczka"]
    assert sorted(m.to[0] for m in mail.outbox) == ["drugi@skawina.example", "redakcja@skawina.example"]
    # Each editor in their own language: Polish unless they chose English (notifications.MailPreference).
    polish = next(m for m in mail.outbox if m.to == ["redakcja@skawina.example"])
    assert polish.subject == "Przypomnienie: Piece i zieleń 2024–2025"
    url = f"http://testserver/collection/{asked.request.pk}/gmina/1206113/"
    assert ("Biuro Metropolii Krakowskiej prosi gminę Skawina o wartości „Piece i zieleń 2024–2025” do "
            "31 marca 2025." in polish.body)
    assert "The office" not in polish.body and polish.body.count(url) == 1
    assert "/my/e-mails/unsubscribe/" in polish.body and polish.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/my/e-mails/unsubscribe/")
    asked.request.refresh_from_db()
    assert asked.request.reminded_at is not None
    # Once Skawina has submitted, nobody is waiting for a reminder there.
    mail.outbox.clear()
    services.submit_submission(submission=asked.skawina, cells=full(asked), user=world.users["editor"])
    assert services.send_reminders(request=asked.request, user=world.users["office"],
                                   base_url="http://testserver").sent == 0
    assert mail.outbox == []


def test_completeness_per_gmina_and_per_indicator(asked, world):
    services.save_draft(submission=asked.wieliczka, cells=cells(asked, s24="5", g24=CellInput(no_data=True)),
                        user=world.users["office"])
    services.submit_submission(submission=asked.skawina, cells=full(asked), user=world.users["editor"])
    by_gmina, by_indicator = selectors.completeness(asked.request)
    assert [(row.label, row.filled, row.total, row.percent) for row in by_gmina] == [
        ("Skawina", 4, 4, 100.0), ("Wieliczka", 2, 4, 50.0)]
    # Per indicator only what was submitted counts: Skawina's two years of each, of 2 gminy × 2 years.
    assert [(row.filled, row.total, row.percent) for row in by_indicator] == [(2, 4, 50.0), (2, 4, 50.0)]

"""The data-request pages: who reads which, the grid as the editor sees it and sends it, the office's pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from obserwatorium.collection.models import DataRequest, SubmissionStatus, SubmissionValue
from obserwatorium.indicators.models import Observation
from tests.form_checks import assert_errors_beside_their_fields

pytestmark = pytest.mark.django_db


def grid_url(asked, teryt: str) -> str:
    return reverse("collection:grid", args=[asked.request.pk, teryt])


def grid_post(asked, action: str, **typed) -> dict:
    names = {"s": asked.stoves.pk, "g": asked.green.pk}
    data = {"action": action}
    for key, value in typed.items():
        suffix = f"-{key[3:]}" if key[3:] else ""  # s24 (value), s24nd (no data), s24ok, s24comment
        data[f"c{names[key[0]]}-20{key[1:3]}{suffix}"] = value
    return data


def test_the_editor_sees_their_grid_with_units_definitions_ranges_and_last_years_values(client, asked, world):
    client.force_login(world.users["editor"])
    page = client.get(grid_url(asked, "1206113"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-label="Wymienione piece węglowe, 2024"' in html
    assert 'aria-label="Udział terenów zielonych, 2025"' in html
    assert "[szt.]" in html and "Liczba pieców na paliwo stałe wymienionych w roku." in html
    assert "Dopuszczalny zakres: 0–10\u00a0000" in html
    assert "Rok wcześniej: 100" in html and "Rok wcześniej: 40,0" in html  # Skawina's 2023 values
    assert "Prośby o dane" in html  # the menu entry for role holders
    assert client.get(grid_url(asked, "1219053")).status_code == 403  # Wieliczka is not theirs
    assert client.get(reverse("collection:request", args=[asked.request.pk])).status_code == 403
    listing = client.get(reverse("collection:requests")).content.decode()
    assert grid_url(asked, "1206113") in listing and grid_url(asked, "1219053") not in listing


@pytest.mark.parametrize("role", ["coordinator", "secretary", "public", "staff"])
def test_nobody_else_reads_a_gminas_submission(client, asked, world, role):
    client.force_login(world.users[role])
    assert client.get(grid_url(asked, "1206113")).status_code == 403
    assert client.get(reverse("collection:request", args=[asked.request.pk])).status_code == 403
    listing = client.get(reverse("collection:requests"))
    if role in ("coordinator", "secretary"):
        assert listing.status_code == 200 and asked.request.title not in listing.content.decode()
    else:
        assert listing.status_code == 403


def test_the_public_sees_no_menu_entry_and_the_anonymous_are_sent_to_sign_in(client, asked, world):
    assert client.get(grid_url(asked, "1206113"))["Location"].startswith(reverse("web:sign-in"))
    client.force_login(world.users["public"])
    assert "Prośby o dane" not in client.get("/").content.decode()


def test_a_bad_number_is_refused_naming_the_cell_and_nothing_is_saved(client, asked, world):
    client.force_login(world.users["editor"])
    response = client.post(grid_url(asked, "1206113"), grid_post(asked, "save", s24="1.234,5.6", g24="41,5"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Wiersz Wymienione piece węglowe, kolumna 2024: kropka nie jest tu używana w liczbach" in html
    assert 'value="1.234,5.6"' in html and 'aria-invalid="true"' in html  # kept as typed, marked
    assert not SubmissionValue.objects.exists()


def test_the_editor_saves_a_draft_then_submits_and_the_values_are_written(client, asked, world):
    client.force_login(world.users["editor"])
    response = client.post(grid_url(asked, "1206113"), grid_post(asked, "save", s24="1 234"))
    assert response.status_code == 302
    assert 'value="1 234"' in client.get(grid_url(asked, "1206113")).content.decode()
    # 1 234 is far from 2023's 100: the grid asks for a confirmation and a comment.
    response = client.post(grid_url(asked, "1206113"), grid_post(asked, "submit", s24="1 234", s25="1 200",
                                                                 g24="41,5", g25="", g25nd="on"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Potwierdź wartość i wyjaśnij ją w komentarzu." in html and "Potwierdzam tę wartość" in html
    assert not Observation.objects.filter(indicator=asked.stoves, period="2024").exists()
    response = client.post(grid_url(asked, "1206113"), grid_post(
        asked, "submit", s24="1 234", s24ok="on", s24comment="Nowy program dopłat.", s25="1 200", g24="41,5",
        g25nd="on"))
    assert response.status_code == 302
    assert Observation.objects.get(indicator=asked.stoves, unit=world.skawina, period="2024").value == 1234
    assert not Observation.objects.filter(indicator=asked.green, unit=world.skawina, period="2025").exists()
    asked.skawina.refresh_from_db()
    assert asked.skawina.status == SubmissionStatus.SUBMITTED
    html = client.get(grid_url(asked, "1206113")).content.decode()
    assert "Zapisz wersję roboczą" not in html and "readonly" in html  # sent: read-only until reopened


def test_the_office_opens_follows_reminds_reopens_and_closes(client, asked, world):
    office = world.users["office"]
    client.force_login(office)
    response = client.post(reverse("collection:request-new"), {
        "title": "Wydarzenia 2024", "indicators": [asked.stoves.pk], "periods": "2024",
        "gminy": [world.skawina.pk], "deadline": "2025-02-28"})
    assert response.status_code == 302
    opened = DataRequest.objects.get(title="Wydarzenia 2024")
    assert list(opened.submissions.values_list("unit__name", flat=True)) == ["Skawina"]
    bad = client.post(reverse("collection:request-new"), {"title": "X", "indicators": [asked.stoves.pk],
                                                           "periods": "24", "gminy": [world.skawina.pk],
                                                           "deadline": "2025-02-28"})
    assert bad.status_code == 400 and not DataRequest.objects.filter(title="X").exists()

    world.users["editor"].email = "redakcja@skawina.example"
    world.users["editor"].save()
    client.post(reverse("collection:request-remind", args=[asked.request.pk]))
    assert [m.to for m in mail.outbox] == [["redakcja@skawina.example"]]

    client.force_login(world.users["editor"])
    client.post(grid_url(asked, "1206113"), grid_post(asked, "submit", s24="120", s25="130", g24="41", g25="42"))
    client.force_login(office)
    detail = client.get(reverse("collection:request", args=[asked.request.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200 and "Kompletność według gmin" in html
    assert "4 / 4" in html and "0 / 4" in html and "przesłane" in html and "wersja robocza" in html
    reopen = reverse("collection:submission-reopen", args=[asked.request.pk, "1206113"])
    assert client.post(reopen, {"comment": "Sprawdźcie rok 2025."}).status_code == 302
    asked.skawina.refresh_from_db()
    assert asked.skawina.status == SubmissionStatus.REOPENED
    assert client.post(reverse("collection:request-close", args=[asked.request.pk])).status_code == 302
    asked.request.refresh_from_db()
    assert not asked.request.is_open


def test_a_data_request_with_a_bad_period_and_no_gminy_names_both_fields_on_top(client, asked, world):
    client.force_login(world.users["office"])
    response = client.post(reverse("collection:request-new"), {"title": "X", "indicators": [asked.stoves.pk],
                                                               "periods": "24", "deadline": "3.12.2026"},
                           HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400 and not DataRequest.objects.filter(title="X").exists()
    page = response.content.decode()
    assert assert_errors_beside_their_fields(page, {"id_periods", "id_gminy"}) == "Popraw 2 pola"
    assert 'aria-invalid="true"' in page.split('id="id_gminy"')[1].split("</fieldset>")[0]  # each gmina's box


def test_a_data_request_takes_its_deadline_in_the_polish_form_too(client, asked, world):
    client.force_login(world.users["office"])
    response = client.post(reverse("collection:request-new"), {
        "title": "Termin po polsku", "indicators": [asked.stoves.pk], "periods": "2024",
        "gminy": [world.skawina.pk], "deadline": "3.12.2026"})
    assert response.status_code == 302
    assert str(DataRequest.objects.get(title="Termin po polsku").deadline) == "2026-12-03"

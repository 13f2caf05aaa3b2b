"""The upload page: staff only, CSRF protected, a checked preview, then the confirmed import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.indicators.models import BatchStatus, ImportBatch, Observation
from tests.form_checks import assert_errors_beside_their_fields
from tests.ingest.helpers import stored_state

pytestmark = pytest.mark.django_db

GOOD = "teryt;indicator;period;value\n1261011;population;1990;1 234,5\n1206012;population;1990;12\n"


def upload(client: Client, text: str, name: str = "dane.csv", **fields):
    data = {"file": SimpleUploadedFile(name, text.encode("cp1250")), "flag": "final", **fields}
    return client.post(reverse("ingest:upload"), data)


def test_the_page_is_at_import():
    assert reverse("ingest:upload") == "/import/"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/import/")
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/import/"


def test_users_without_rights_are_refused(client, plain_user):
    client.force_login(plain_user)
    assert client.get("/import/").status_code == 403
    assert client.post("/import/confirm/", {"token": "x"}).status_code == 403


def test_the_form_is_labelled_and_offers_the_catalogue(client, staff_user):
    client.force_login(staff_user)
    with translation.override("en"):
        response = client.get("/import/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("file", "indicator", "flag", "source", "sheet"):
        assert f'for="id_{field}"' in html and f'id="id_{field}"' in html
    assert 'value="registered-unemployed"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_posting_without_a_csrf_token_is_refused(staff_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert upload(client, GOOD).status_code == 403


def test_preview_then_confirm_imports_the_file(client, staff_user):
    client.force_login(staff_user)
    before = stored_state()
    response = upload(client, GOOD)
    assert response.status_code == 200
    assert response.context["outcome"].ok
    assert stored_state() == before  # the preview is a dry run
    html = response.content.decode()
    assert "Kraków" in html and "1\xa0234,5" in html
    response = client.post(reverse("ingest:confirm"), {"token": response.context["token"]})
    batch = ImportBatch.objects.get(file_name="dane.csv")
    assert response.status_code == 302 and response["Location"] == reverse("ingest:batch", args=[batch.pk])
    assert (batch.user, batch.status, batch.inserted) == (staff_user, BatchStatus.APPLIED, 2)
    assert Observation.objects.get(unit__teryt="1261011", indicator__code="population", period="1990").value == 1234.5
    page = client.get(response["Location"])
    assert page.status_code == 200 and "dane.csv" in page.content.decode()
    # The kept file is gone: confirming twice does not import twice.
    again = client.post(reverse("ingest:confirm"), {"token": response.wsgi_request.POST["token"]})
    assert again.status_code == 302 and again["Location"] == reverse("ingest:upload")
    assert ImportBatch.objects.filter(file_name="dane.csv").count() == 1


def test_problems_are_shown_as_a_table_and_nothing_can_be_confirmed(client, staff_user):
    client.force_login(staff_user)
    before = stored_state()
    with translation.override("en"):
        response = upload(client, "teryt;indicator;period;value\n1261011;population;1990;abc\n")
    html = response.content.decode()
    assert "<caption>" in html and '<th scope="row" class="num">2</th>' in html
    assert reverse("ingest:confirm") not in html
    assert stored_state() == before


def test_every_problem_can_be_downloaded_as_csv(client, staff_user):
    client.force_login(staff_user)
    rows = "".join(f"1261011;population;x{i};abc\n" for i in range(1100))
    response = upload(client, "teryt;indicator;period;value;uwagi\n" + rows)
    assert len(response.context["problems"]) == 1000 and response.context["hidden_problems"] == 1100 * 2 - 1000
    download = client.post(reverse("ingest:report"), {"token": response.context["token"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="dane-problems.csv"'
    lines = download.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "severity,row,column,value,code,message"
    assert len(lines) == 1 + 2200
    assert lines[1] == 'error,2,period,x0,period_bad,"“x0” is not a period: write a year (2020), a quarter ' \
                       '(2020-Q1) or a month (2020-03)."'


def test_a_wide_file_needs_the_indicator_chosen_on_the_form(client, staff_user):
    client.force_login(staff_user)
    text = "Kod;Nazwa;1990\n1261011;Kraków;5\n"
    assert [p.code for p in upload(client, text).context["outcome"].problems] == ["indicator_needed"]
    assert upload(client, text, indicator="area").context["outcome"].ok


def test_a_token_is_bound_to_its_user_and_cannot_be_forged(client, staff_user, django_user_model):
    client.force_login(staff_user)
    token = upload(client, GOOD).context["token"]
    other = django_user_model.objects.create_user("druga", password="another-password-3", is_staff=True)
    RoleAssignment.objects.create(user=other, role=Role.OFFICE_ADMIN)
    client.force_login(other)
    assert client.post(reverse("ingest:confirm"), {"token": token})["Location"] == reverse("ingest:upload")
    assert client.post(reverse("ingest:confirm"), {"token": token + "x"})["Location"] == reverse("ingest:upload")
    assert not ImportBatch.objects.filter(file_name="dane.csv").exists()


def test_the_confirmation_checks_again(client, staff_user):
    """A catalogue change between the preview and the confirmation is caught: nothing is imported."""
    client.force_login(staff_user)
    token = upload(client, GOOD).context["token"]
    Observation.objects.filter(indicator__code="population", period="1990").delete()
    from obserwatorium.indicators.models import Indicator

    Indicator.objects.filter(code="population").update(max_value=100)
    response = client.post(reverse("ingest:confirm"), {"token": token})
    assert response.status_code == 200
    assert {p.code for p in response.context["outcome"].problems} == {"value_above"}
    assert not ImportBatch.objects.filter(file_name="dane.csv").exists()


def test_the_preview_names_each_indicator_in_the_page_language_with_its_code_beside(client, staff_user):
    from obserwatorium.indicators.models import Indicator

    client.force_login(staff_user)
    population = Indicator.objects.get(code="population")
    with translation.override("pl"):
        html = upload(client, GOOD).content.decode()
    cells = [cell for cell in html.split("<td>")[1:] if "population" in cell.split("</td>")[0]]
    assert cells, "no preview row names the indicator"
    for cell in cells:
        shown = cell.split("</td>")[0]
        assert shown.startswith(population.name_pl), shown  # the name first, as the gmina is
        assert '<span class="teryt">population</span>' in shown


def test_the_upload_without_a_file_and_with_a_bad_date_says_so_on_top_and_beside_each_field(client, staff_user):
    client.force_login(staff_user)
    batches = ImportBatch.objects.count()
    response = client.post(reverse("ingest:upload"), {"flag": "final", "retrieved": "32.13.2024"},
                           HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert assert_errors_beside_their_fields(page, {"id_file", "id_retrieved"}) == "Correct 2 fields"
    assert ImportBatch.objects.count() == batches

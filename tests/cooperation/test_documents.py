"""The documents registry and the association's events: records with only their required fields render on every
page in both languages; a domain coordinator writes only their domain's documents, before and after the change;
dates known only to the month or year stay so."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from obserwatorium.cooperation.dates import stated_date
from obserwatorium.cooperation.models import AssociationEvent, Document
from obserwatorium.history.models import ChangeRecord
from obserwatorium.registry.services import save_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare():
    """A document and an event with only their required fields."""
    return (Document.objects.create(slug="bare", kind="report", title_pl="Goły dokument"),
            AssociationEvent.objects.create(slug="bare-event", name_pl="Gołe wydarzenie", year=2024))


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_record_with_only_required_fields_renders_everywhere(client, world, bare, language):
    document, event = bare
    client.force_login(world.users["office"])
    urls = [reverse("cooperation:documents"), reverse("cooperation:document", args=[document.slug]),
            reverse("cooperation:forums"), reverse("history:record", args=["cooperation", "document", document.pk]),
            reverse("admin:cooperation_document_changelist"),
            reverse("admin:cooperation_document_change", args=[document.pk]),
            reverse("admin:cooperation_document_add"),
            reverse("admin:cooperation_associationevent_changelist"),
            reverse("admin:cooperation_associationevent_change", args=[event.pk]),
            "/api/cooperation/documents", f"/api/cooperation/documents/{document.pk}",
            "/api/cooperation/association-events"]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
    html = client.get(reverse("cooperation:document", args=[document.slug]), HTTP_ACCEPT_LANGUAGE=language)
    assert "Goły dokument" in html.content.decode()


def test_the_documents_page_filters_by_kind_and_ignores_a_wrong_one(client):
    positions = client.get(reverse("cooperation:documents"), {"kind": "position"}).context["documents"]
    assert [d.slug for d in positions] == ["stanowisko-uchwala-antysmogowa"]
    assert client.get(reverse("cooperation:documents"), {"kind": "<script>"}).status_code == 200
    assert client.get(reverse("cooperation:document", args=["no-such-document"])).status_code == 404


def test_an_unpublished_document_is_not_public(client):
    Document.objects.filter(slug="strategia-zit-2027").update(published=False)
    assert client.get(reverse("cooperation:document", args=["strategia-zit-2027"])).status_code == 404
    slugs = {i["slug"] for i in client.get("/api/cooperation/documents", {"limit": 100}).json()["items"]}
    assert "strategia-zit-2027" not in slugs


def test_a_coordinator_writes_the_documents_of_their_domain_only(world):
    coordinator = world.users["coordinator"]  # domain A: environment and space
    own = Document.objects.get(slug="stanowisko-uchwala-antysmogowa")
    other = Document.objects.get(slug="badania-ankietowe-transport-aglomeracyjny")
    save_record(record=own, values={"summary_pl": "Stanowisko gmin."}, user=coordinator)
    assert ChangeRecord.objects.filter(object_id=str(own.pk), via="api", user=coordinator).exists()
    with pytest.raises(PermissionDenied):
        save_record(record=other, values={"summary_pl": "x"}, user=coordinator)
    with pytest.raises(PermissionDenied):  # checked after the change too: no moving it out of the domain
        save_record(record=Document.objects.get(pk=own.pk), values={"domain": world.domain_b.pk}, user=coordinator)
    with pytest.raises(PermissionDenied):
        save_record(record=Document(slug="new", kind="report", title_pl="Nowy"), values={}, user=world.users["editor"])
    created = save_record(record=Document(), values={"slug": "nowy", "kind": "report", "title_pl": "Nowy",
                                                     "domain": world.domain_a.pk}, user=coordinator)
    assert created.pk and created.domain == world.domain_a


def test_a_date_of_month_precision_is_stored_as_its_first_day_and_shown_without_a_day(world):
    document = save_record(record=Document(), values={
        "slug": "plan", "kind": "action-plan", "title_pl": "Plan", "adopted_on": datetime.date(2022, 12, 13),
        "adopted_precision": "month"}, user=world.users["office"])
    assert document.adopted_on == datetime.date(2022, 12, 1)
    with translation.override("pl"):
        assert stated_date(document.adopted_on, "month") == "grudzień 2022"
        assert stated_date(document.adopted_on, "year") == "2022"
        assert stated_date(datetime.date(2022, 12, 13)) == "13 grudnia 2022"
    with translation.override("en"):
        assert stated_date(document.adopted_on, "month") == "December 2022"
    assert stated_date(None, "month") == ""


PDF = b"%PDF-1.4 raport"


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(name: str = "raport.pdf", content: bytes = PDF):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_every_version_of_a_published_documents_file_is_served_and_a_drafts_is_not(client, world, media):
    from obserwatorium.cooperation.document_services import add_document_version

    office = world.users["office"]
    public = Document.objects.create(slug="z-plikiem", kind="report", title_pl="Raport z plikiem")
    first = add_document_version(document=public, file=_upload(), note="", user=office)
    second = add_document_version(document=public, file=_upload(content=b"%PDF-1.4 v2"), note="Poprawki", user=office)
    draft = Document.objects.create(slug="szkic-z-plikiem", kind="report", title_pl="Szkic", published=False,
                                    domain=world.domain_a)
    drafts = add_document_version(document=draft, file=_upload("szkic.pdf"), note="", user=office)
    assert (first.number, second.number, drafts.number) == (1, 2, 1)
    assert client.get(first.file.url).status_code == 200  # the older version stays, and stays served
    assert b"".join(client.get(second.file.url).streaming_content) == b"%PDF-1.4 v2"
    assert client.get(drafts.file.url).status_code == 404
    client.force_login(world.users["editor"])  # a role, but not this document's
    assert client.get(drafts.file.url).status_code == 404
    client.force_login(world.users["coordinator"])  # domain A: writes the draft, so sees its file
    assert client.get(drafts.file.url).status_code == 200
    Document.objects.filter(pk=public.pk).update(archived_at=timezone.now())
    client.logout()
    assert client.get(first.file.url).status_code == 404


def test_the_page_form_creates_a_document_then_adds_versions_keeping_the_old(client, world, media):
    client.force_login(world.users["coordinator"])
    data = {"title_pl": "Stanowisko w sprawie smogu", "slug": "stanowisko-smog", "kind": "position",
            "status": "draft", "adopted_precision": "day", "domain": world.domain_a.pk,
            "units": [world.skawina.pk, world.wieliczka.pk], "forums": [world.forum_a.pk], "published": "on",
            "note": "Projekt"}
    response = client.post(reverse("cooperation:document-add"), {**data, "file": _upload("projekt.pdf")})
    assert response.status_code == 302, response.content[:2000]
    document = Document.objects.get(slug="stanowisko-smog")
    assert set(document.units.all()) == {world.skawina, world.wieliczka}
    response = client.post(reverse("cooperation:document-edit", args=["stanowisko-smog"]),
                           {**data, "status": "adopted", "note": "Tekst przyjęty", "file": _upload("przyjete.pdf")})
    assert response.status_code == 302, response.content[:2000]
    versions = list(document.versions.all())
    assert [(v.number, v.note, v.file_name, v.uploaded_by) for v in versions] == [
        (2, "Tekst przyjęty", "przyjete.pdf", world.users["coordinator"]),
        (1, "Projekt", "projekt.pdf", world.users["coordinator"])]
    assert Document.objects.get(pk=document.pk).status == "adopted"
    kinds = set(ChangeRecord.objects.filter(content_type__model="documentversion", via="page")
                .values_list("object_id", flat=True))
    assert kinds == {str(v.pk) for v in versions}  # both uploads are in the history
    page = client.get(reverse("cooperation:document", args=["stanowisko-smog"])).content.decode()
    assert "przyjete.pdf" in page and "projekt.pdf" in page and "Tekst przyjęty" in page


def test_a_coordinator_is_offered_and_may_use_only_their_domain(client, world, media):
    client.force_login(world.users["coordinator"])
    form = client.get(reverse("cooperation:document-add")).context["form"]
    assert list(form.fields["domain"].queryset) == [world.domain_a]
    response = client.post(reverse("cooperation:document-add"), {
        "title_pl": "Obcy", "slug": "obcy", "kind": "report", "adopted_precision": "day",
        "domain": world.domain_b.pk})
    assert response.status_code == 400 and not Document.objects.filter(slug="obcy").exists()
    assert "domain" in response.context["form"].errors
    client.force_login(world.users["public"])
    assert client.get(reverse("cooperation:document-add")).status_code == 403


def test_a_draft_document_is_shown_only_to_whoever_may_write_it(client, world):
    Document.objects.create(slug="szkic", kind="report", title_pl="Szkic", published=False, domain=world.domain_a)
    assert client.get(reverse("cooperation:document", args=["szkic"])).status_code == 404
    client.force_login(world.users["coordinator"])
    page = client.get(reverse("cooperation:document", args=["szkic"]))
    assert page.status_code == 200 and page.context["can_edit"]


@pytest.mark.parametrize(("query", "expected"), [
    ({"status": "adopted"}, {"z-uchwala"}), ({"unit": "1206113"}, {"z-uchwala"}), ({"year": "2019"}, {"z-rokiem"}),
    ({"search": "o POWIETRZU"}, {"z-uchwala"}), ({"kind": "survey", "year": "2019"}, set()),
    # Case and diacritics ignored on both engines, as the site search does; every word must be found.
    ({"search": "UCHWAŁA"}, {"z-uchwala"}), ({"search": "powietrzu uchwala"}, {"z-uchwala"}),
    ({"search": "ŚRÓDMIEŚCIE"}, {"inny"}), ({"search": "raport srodmiescie"}, {"inny"}),
    ({"search": "uchwała raport"}, set()),
])
def test_the_documents_list_filters_by_status_gmina_year_and_title(client, world, query, expected):
    adopted = Document.objects.create(slug="z-uchwala", kind="position", title_pl="Uchwała o powietrzu",
                                      status="adopted")
    adopted.units.set([world.skawina])
    Document.objects.create(slug="z-rokiem", kind="report", title_pl="Raport roczny", year=2019)
    Document.objects.create(slug="inny", kind="report", title_pl="Inny raport", title_en="Śródmieście", year=2020)
    documents = client.get(reverse("cooperation:documents"), query).context["documents"]
    assert {d.slug for d in documents} & {"z-uchwala", "z-rokiem", "inny"} == expected


def test_a_wrong_filter_is_ignored_without_a_500(client):
    response = client.get(reverse("cooperation:documents"), {"year": "abc", "status": "<x>"})
    assert response.status_code == 200 and not response.context["filtered"]


def test_the_documents_list_costs_a_fixed_number_of_queries(client, world, media, django_assert_max_num_queries):
    from obserwatorium.cooperation.document_services import add_document_version

    for n in range(12):
        document = Document.objects.create(slug=f"d{n}", kind="report", title_pl=f"Dokument {n}")
        document.units.set([world.skawina])
        add_document_version(document=document, file=_upload(), note="", user=world.users["office"])
    with django_assert_max_num_queries(16) as captured:
        client.get(reverse("cooperation:documents"))
    few = len(captured)
    Document.objects.create(slug="d-extra", kind="report", title_pl="Jeszcze jeden")
    with django_assert_max_num_queries(few):
        client.get(reverse("cooperation:documents"))


def test_the_api_lists_every_version_and_the_current_file(client, world, media):
    from obserwatorium.cooperation.document_services import add_document_version

    document = Document.objects.create(slug="api-doc", kind="report", title_pl="Z API")
    add_document_version(document=document, file=_upload("a.pdf"), note="", user=world.users["office"])
    add_document_version(document=document, file=_upload("b.pdf"), note="Druga", user=world.users["office"])
    item = client.get(f"/api/cooperation/documents/{document.pk}").json()
    assert [v["number"] for v in item["versions"]] == [2, 1] and item["versions"][0]["note"] == "Druga"
    assert item["file"] == item["versions"][0]["file"] and item["file"].endswith("/b.pdf")

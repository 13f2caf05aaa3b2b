"""Drafts and editions: editorial text joins the generated report; publishing freezes a report (a correction of
the data afterwards changes the draft, never the edition); a new edition supersedes the previous one visibly;
who may write drafts and publish; the pages."""

from __future__ import annotations

import datetime
import io
import json
import re

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from obserwatorium.cooperation.models import Forum
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import Observation
from obserwatorium.indicators.services import edit_observation
from obserwatorium.registry.services import save_record
from obserwatorium.reports import kinds, selectors, services
from obserwatorium.reports.document import Paragraph, Report, Section
from obserwatorium.reports.editorial import paragraphs_of, with_editorial
from obserwatorium.reports.models import Edition, EditionDocument, Editorial, FrozenRecord

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 1, 1)


def _report() -> Report:
    return Report(title="T", language="pl", sections=(
        Section(heading="A", key="a", paragraphs=(Paragraph("generated", (1,)),),
                subsections=(Section(heading="A1", key="a1"),)),
        Section(heading="B", key="b")))


def test_editorial_text_goes_to_the_top_of_its_section_marked_as_editorial():
    joined = with_editorial(_report(), {"a": "First line\ncontinued.\n\nSecond.", "a1": "Sub.", "zzz": "lost"})
    section = joined.sections[0]
    assert [(p.text, p.editorial) for p in section.paragraphs] == [
        ("First line continued.", True), ("Second.", True), ("generated", False)]
    assert section.subsections[0].paragraphs == (Paragraph("Sub.", editorial=True),)
    assert joined.sections[1] == _report().sections[1]
    assert Report.from_json(joined.to_json()) == joined
    assert paragraphs_of("  \n\n ") == ()


def test_a_report_without_editorial_text_keeps_its_json_and_older_json_reads():
    text = _report().to_json()
    assert '"editorial"' not in text
    older = json.loads(text)
    assert Report.from_json(json.dumps(older)) == _report()
    assert '"editorial": true' in with_editorial(_report(), {"b": "x"}).to_json()


def test_every_registered_kind_builds_and_an_unknown_one_is_refused():
    assert "annual" in kinds.KINDS
    assert kinds.build(kind_name="annual", year=2022, subject="", language="en", today=TODAY).kind == "annual"
    for kind_name, year, subject in (("nothing", 2022, ""), ("annual", 1999, ""), ("annual", 2022, "1206113")):
        with pytest.raises(kinds.UnknownReport):
            kinds.build(kind_name=kind_name, year=year, subject=subject, language="pl")


def _article(html: str) -> str:
    return re.search(r"<article.*?</article>", html, re.S).group(0)


def _edition_files(client, number: int) -> tuple[str, bytes, str]:
    page = client.get(f"/reports/annual/2022/editions/{number}/pl/")
    pdf = client.get(f"/reports/annual/2022/editions/{number}/pl.pdf")
    assert page.status_code == 200 and pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    document = EditionDocument.objects.get(edition__kind="annual", edition__year=2022, edition__number=number,
                                           language="pl")
    return _article(page.content.decode()), pdf.content, document.report_json


def test_an_edition_never_changes_when_the_data_are_corrected_and_a_new_one_supersedes_it(client, world):
    office = world.users["office"]
    services.save_editorial(kind="annual", year=2022, section_key="introduction", text_pl="Rok pełen pracy.",
                            text_en="A busy year.", user=office)
    first = services.publish_edition(kind="annual", year=2022, user=office, today=TODAY)
    assert (first.number, first.supersedes, first.publisher_name) == (1, None, "office")
    html, pdf, stored = _edition_files(client, 1)
    assert '<div class="editorial"' in html and "Rok pełen pracy." in html and "Forum Klimatu" in html
    assert pikepdf.open(io.BytesIO(pdf)).Root.Lang == "pl"
    english = client.get("/reports/annual/2022/editions/1/en/").content.decode()
    assert "A busy year." in english and "The power of effects 2022" in english

    # Corrections through the one write paths: a registry record and an observation.
    forum = Forum.objects.get(name_pl="Forum Klimatu")
    save_record(record=forum, values={"name_pl": "Forum Klimatu i Energii"}, user=office)
    observation = Observation.objects.filter(period="2022", indicator__headline=True,
                                             unit__membership="member").select_related("indicator").first()
    edit_observation(row=ObservationRow(observation.indicator_id, observation.unit_id, "2022",
                                        (observation.value or 0) * 3 + 1000, "final"), user=office)
    services.save_editorial(kind="annual", year=2022, section_key="introduction", text_pl="Rok poprawiony.",
                            text_en="A corrected year.", user=office)

    assert _edition_files(client, 1) == (html, pdf, stored)
    draft = selectors.draft_report(kind="annual", year=2022, language="pl", today=TODAY)
    draft_text = draft.to_json()
    assert "Forum Klimatu i Energii" in draft_text and "Rok poprawiony." in draft_text
    assert "Forum Klimatu i Energii" not in stored and draft_text != stored
    live = client.get("/reports/annual/2022/").content.decode()
    assert "Forum Klimatu i Energii" in live and "Podgląd na żywo" in live

    second = services.publish_edition(kind="annual", year=2022, user=office, today=TODAY)
    assert (second.number, second.supersedes) == (2, first)
    assert "Forum Klimatu i Energii" in EditionDocument.objects.get(edition=second, language="pl").report_json
    page = client.get("/reports/annual/2022/editions/1/").content.decode()
    assert re.search(r'Zastąpione przez <a href="/reports/annual/2022/editions/2/">wydanie 2 z ', page)
    assert _edition_files(client, 1)[1:] == (pdf, stored)
    newer = client.get("/reports/annual/2022/editions/2/").content.decode()
    assert 'Zastępuje <a href="/reports/annual/2022/editions/1/">wydanie 1 z ' in newer and "Zastąpione" not in newer
    index = client.get("/reports/").content.decode()
    assert index.index("/reports/annual/2022/editions/2/") < index.index("/reports/annual/2022/editions/1/")
    assert "zastąpione przez wydanie 2" in index and "/reports/annual/2022/editions/1/en.pdf" in index


def test_an_edition_is_frozen_in_the_database_too(world):
    edition = services.publish_edition(kind="annual", year=2022, user=world.users["office"], today=TODAY)
    edition.number = 7
    with pytest.raises(FrozenRecord):
        edition.save()
    with pytest.raises(FrozenRecord):
        edition.delete()
    document = edition.documents.first()
    with pytest.raises(FrozenRecord):
        document.save()
    assert Edition.objects.get(pk=edition.pk).number == 1


def test_a_coordinator_writes_only_their_domains_section_and_nobody_but_the_office_publishes(world):
    coordinator = world.users["coordinator"]
    mine = world.domain_a.code
    saved = services.save_editorial(kind="annual", year=2022, section_key=mine, text_pl="Nasze.", text_en="Ours.",
                                    user=coordinator)
    assert saved.domain == world.domain_a and saved.updated_by == coordinator
    for key in ("introduction", world.domain_b.code):
        with pytest.raises(PermissionDenied):
            services.save_editorial(kind="annual", year=2022, section_key=key, text_pl="x", text_en="x",
                                    user=coordinator)
    for role in ("editor", "secretary", "staff", "public"):
        with pytest.raises(PermissionDenied):
            services.save_editorial(kind="annual", year=2022, section_key=mine, text_pl="x", text_en="x",
                                    user=world.users[role])
    for role in ("coordinator", "editor", "staff", "public"):
        with pytest.raises(PermissionDenied):
            services.publish_edition(kind="annual", year=2022, user=world.users[role])
    assert Editorial.objects.get().text_pl == "Nasze." and not Edition.objects.exists()


def test_bad_editorial_input_names_the_field_and_changes_nothing(client, world):
    with pytest.raises(ValidationError) as error:
        services.save_editorial(kind="annual", year=2022, section_key="introduction", text_pl="x" * 4001,
                                text_en="", user=world.users["office"])
    assert "text_pl" in error.value.message_dict
    client.force_login(world.users["office"])
    url = reverse("reports:draft-section", kwargs={"kind": "annual", "year": 2022, "section_key": "introduction"})
    response = client.post(url, {"introduction-text_pl": "x" * 4001, "introduction-text_en": "ok"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert "4000" in response.content.decode()
    assert not Editorial.objects.exists()
    missing = reverse("reports:draft-section", kwargs={"kind": "annual", "year": 2022, "section_key": "nowhere"})
    assert client.post(missing, {"nowhere-text_pl": "x"}).status_code == 404


def test_the_draft_page_shows_generated_sections_with_a_form_each(client, world):
    url = reverse("reports:draft", kwargs={"kind": "annual", "year": 2022})
    assert client.get(url).status_code == 302  # to the sign-in
    client.force_login(world.users["public"])
    assert client.get(url).status_code == 403
    assert "/draft/" not in client.get("/reports/").content.decode()
    client.force_login(world.users["office"])
    html = client.get(url).content.decode()
    assert html.count("<h1") == 1 and "csrfmiddlewaretoken" in html and "Opublikuj jako wydanie 1" in html
    assert 'for="id_introduction-text_pl"' in html and "ponad 80 spotkań" in html
    section = reverse("reports:draft-section", kwargs={"kind": "annual", "year": 2022, "section_key": "introduction"})
    response = client.post(section, {"introduction-text_pl": "Wstęp redakcji.", "introduction-text_en": "Intro."})
    assert response.status_code == 302 and response["Location"].endswith("#draft-introduction")
    assert "Wstęp redakcji." in client.get(url).content.decode()
    assert "/reports/annual/2022/draft/" in client.get("/reports/").content.decode()
    client.force_login(world.users["coordinator"])
    html = client.get(url).content.decode()
    assert f'id="id_{world.domain_a.code}-text_pl"' in html and 'id="id_introduction-text_pl"' not in html
    assert "Opublikuj" not in html
    publish = reverse("reports:publish", kwargs={"kind": "annual", "year": 2022})
    assert client.post(publish).status_code == 403 and not Edition.objects.exists()


def test_publishing_from_the_page_goes_to_the_permalink(client, world):
    client.force_login(world.users["office"])
    response = client.post(reverse("reports:publish", kwargs={"kind": "annual", "year": 2022}))
    assert response.status_code == 302 and response["Location"] == "/reports/annual/2022/editions/1/"
    page = client.get(response["Location"]).content.decode()
    assert "Wydanie 1, opublikowane" in page and "/reports/annual/2022/editions/1.pdf" in page
    assert client.get("/reports/annual/2022/editions/9/").status_code == 404
    assert client.get("/reports/nothing/2022/draft/").status_code == 404


def test_a_municipality_card_is_published_as_an_edition_of_its_gmina(client, world):  # noqa: F811
    edition = services.publish_edition(kind="card", year=2022, subject="1206113", user=world.users["office"],
                                       today=TODAY)
    assert (edition.kind, edition.subject, edition.number) == ("card", "1206113", 1)
    page = client.get("/reports/card/2022/1206113/editions/1/")
    assert page.status_code == 200 and "Skawina" in page.content.decode()
    assert client.get("/reports/card/2022/1206113/editions/1.pdf")["Content-Type"] == "application/pdf"
    assert client.get("/reports/annex/2022/1206113/draft/").status_code in (200, 302, 403)


def test_the_command_publishes_as_the_named_office_user_and_lists_the_editions(world):  # noqa: F811
    out = io.StringIO()
    call_command("report", "publish", "annual", "2022", "--user", "office", stdout=out)
    assert "/reports/annual/2022/editions/1/" in out.getvalue()
    call_command("report", "publish", "annual", "2022", "--user", "office", stdout=io.StringIO())
    listed = io.StringIO()
    call_command("report", "editions", "annual", stdout=listed)
    lines = listed.getvalue().splitlines()
    assert len(lines) == 2 and "\t2\t" in lines[0] and "aktualne" in lines[0]  # the site's language
    assert "zastąpione przez wydanie 2" in lines[1]
    with pytest.raises(CommandError, match="nie może publikować"):
        call_command("report", "publish", "annual", "2022", "--user", "editor")
    with pytest.raises(CommandError, match="Nie ma aktywnego użytkownika"):
        call_command("report", "publish", "annual", "2022", "--user", "nobody")
    with pytest.raises(CommandError, match="Nie ma takiego raportu"):
        call_command("report", "publish", "annual", "1999", "--user", "office")
    assert Edition.objects.filter(kind="annual", year=2022).count() == 2

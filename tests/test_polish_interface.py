"""Every page type in Polish speaks Polish: no English text of the project's catalogues and no internal code
(status slug, choice value, licence key, raw None) is shown as text, for a visitor, the office and role holders.

One crawl serves every assertion: the pages of the Kraków preset with its demo data (indicators, observations,
the strategy with actions, forums, projects) and of a minimal record of every registry (tests/page_crawl.py),
the admin's views of every registered model, and an import's preview. What counts as English is read from the
Polish catalogues: a msgid that has a Polish translation must not appear verbatim in a Polish page's visible
text (tags, scripts and styles stripped; title, aria-label, placeholder and alt kept). What counts as a code is
read from the models: every choice value whose label differs from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.cooperation.models import Forum
from obserwatorium.indicators.models import Domain
from obserwatorium.territory.models import Unit
from tests.page_crawl import admin_urls, browse_urls, build_minimal, record_urls, registry_models, visible_text

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[1] / "src" / "obserwatorium"
PROJECT_APPS = "obserwatorium."
# Records of each model whose pages are crawled (the preset's first ones, then the minimal one).
SAMPLE = 2
# Placeholders of a msgid: the text between them is what a page shows verbatim.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{?\s*\w+\s*\}?\}")
# English msgids and choice values that are also Polish words, or that Polish writes the same way.
SAME_IN_POLISH = frozenset({
    "data",  # "date"
    "demo", "forum", "gmina", "gminy", "Import", "MB", "metadata", "problem", "SHA-256", "sport", "trend",
    "sum",  # genitive plural of "suma"
})
# Names that Polish text cites in English on purpose: the titles of English-language publications.
PROPER_NAMES = (
    "Handbook on Constructing Composite Indicators",  # OECD/JRC, cited on the page of the indices
)
# Shown for an empty value by Python, never meant for a reader.
RAW_VALUES = ("None", "null", "True", "False")


def english_msgids() -> set[str]:
    """The literal pieces (two letters at least) of every msgid of the project's catalogues that Polish
    translates differently."""
    pieces: set[str] = set()
    for path in sorted(SOURCE.glob("*/locale/pl/LC_MESSAGES/django.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not message.string:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not any(strings) or set(ids) == set(strings):
                continue
            for msgid in ids:
                split = PLACEHOLDER.split(msgid)
                for piece in split:
                    piece = " ".join(piece.split()).strip(" :;,.()—–-")
                    # A lone word between placeholders ("in", "of") says nothing of where it came from.
                    if len(split) > 1 and " " not in piece:
                        continue
                    if re.search(r"[A-Za-z]{2}", piece) and piece not in SAME_IN_POLISH and piece not in strings:
                        pieces.add(piece)
    return pieces


def internal_codes() -> set[str]:
    """Every choice value of a field of the project's models whose Polish label differs from it, and Python's
    spellings of empty and boolean values."""
    codes = set(RAW_VALUES)
    with translation.override("pl"):
        for model in apps.get_models():
            if not model.__module__.startswith(PROJECT_APPS):
                continue
            for field in model._meta.get_fields():
                for value, label in getattr(field, "flatchoices", None) or ():
                    if isinstance(value, str) and len(value) >= 2 and value != str(label) \
                            and value not in SAME_IN_POLISH:
                        codes.add(value)
    return codes


def _word(text: str) -> re.Pattern:
    """The text as a whole word (not inside a longer word, slug or address)."""
    return re.compile(rf"(?<![\w/.-]){re.escape(text)}(?![\w-])")


def stored_texts() -> list[str]:
    """The free text the database holds (names, definitions, sources, notes, in either language): data shown
    as it was entered, not the interface. Longest first, so that a text is removed before a part of it."""
    texts: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith(PROJECT_APPS):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                for value in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True) \
                        .distinct():
                    text = " ".join(str(value).split()) if value is not None else ""
                    if len(text) >= 4:
                        texts.add(text)
    return sorted(texts, key=len, reverse=True)


@dataclass
class Crawl:
    pages: dict[str, str]  # "who url" -> the visible text of the Polish page
    statuses: dict[str, int]
    raw: dict[str, str]  # the visible text before stored texts were taken out


def _role_holders() -> dict[str, object]:
    users = get_user_model().objects
    office = users.create_superuser("polish-office", password=None)
    editor = users.create_user("polish-editor", password=None, is_staff=True)
    RoleAssignment.objects.create(user=editor, role=Role.MUNICIPAL_EDITOR, unit=Unit.objects.get(teryt="1206113"))
    coordinator = users.create_user("polish-coordinator", password=None, is_staff=True)
    RoleAssignment.objects.create(user=coordinator, role=Role.DOMAIN_COORDINATOR,
                                  domain=Domain.objects.get(code="mobility"))
    secretary = users.create_user("polish-secretary", password=None, is_staff=True)
    RoleAssignment.objects.create(user=secretary, role=Role.FORUM_SECRETARY, forum=Forum.objects.order_by("pk")[0])
    return {"visitor": None, "office": office, "editor": editor, "coordinator": coordinator,
            "secretary": secretary}


def _sample_records() -> list[models.Model]:
    """The preset's first records of every model of the project, then a minimal record of every registry."""
    records: list[models.Model] = []
    for model in apps.get_models():
        if model.__module__.startswith(PROJECT_APPS):
            records += list(model._default_manager.order_by("pk")[:SAMPLE])
    return records + [build_minimal(model) for model in registry_models()]


IMPORT_FILE = ("teryt;indicator;period;value;flag\n1261011;population;1990;1 234,5;final\n"
               "1206012;population;1990;12;provisional\n")
BAD_IMPORT_FILE = "teryt;indicator;period;value\n9999999;population;1990;x\n"


def _get(client: Client, url: str, crawl: Crawl, who: str) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="pl")
    crawl.statuses[f"{who} {url}"] = response.status_code
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        crawl.pages[f"{who} {url}"] = visible_text(response.content.decode())


def _previews(client: Client, crawl: Crawl) -> None:
    """The import's preview of a good file (then its confirmation and the batch's page) and of a file with
    problems."""
    for name, text in (("preview", IMPORT_FILE), ("preview-problems", BAD_IMPORT_FILE)):
        response = client.post(reverse("ingest:upload"), {"file": SimpleUploadedFile("dane.csv", text.encode()),
                                                          "flag": "final"}, HTTP_ACCEPT_LANGUAGE="pl")
        crawl.statuses[f"office POST {name}"] = response.status_code
        crawl.pages[f"office POST {name}"] = visible_text(response.content.decode())
        if name == "preview":
            confirmed = client.post(reverse("ingest:confirm"), {"token": response.context["token"]})
            _get(client, confirmed["Location"], crawl, "office")


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker) -> Crawl:
    """The visible text of every page type in Polish, as each kind of user sees it (the records rolled back)."""
    result = Crawl(pages={}, statuses={}, raw={})
    with django_db_blocker.unblock(), transaction.atomic():
        users = _role_holders()
        records = _sample_records()
        public = sorted(record_urls(records) | browse_urls())
        admin = sorted(admin_urls(records))
        for who, user in users.items():
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            for url in public + (admin if user is not None else []):
                _get(client, url, result, who)
            if who == "office":
                _previews(client, result)
        data = stored_texts()
        transaction.set_rollback(True)
    result.raw = dict(result.pages)
    for page, text in result.pages.items():
        for stored in (*data, *PROPER_NAMES):
            if stored in text:
                text = text.replace(stored, "\n")
        result.pages[page] = text
    return result


def _findings(crawl: Crawl, needles: set[str]) -> dict[str, list[str]]:
    """For each needle shown as a whole word on some page, the pages (the first few) that show it."""
    found: dict[str, list[str]] = {}
    for needle in sorted(needles):
        pattern = _word(needle)
        pages = [page for page, text in crawl.pages.items() if pattern.search(text)]
        if pages:
            hit = pattern.search(crawl.pages[pages[0]])
            where = " ".join(crawl.pages[pages[0]][max(hit.start() - 60, 0):hit.end() + 60].split())
            found[needle] = pages[:3] + ([f"… {len(pages) - 3} more"] if len(pages) > 3 else []) + [f"«{where}»"]
    return found


def test_the_crawl_covers_every_kind_of_page(crawl):
    pages = crawl.pages
    for prefix in ("visitor /", "visitor /indicators/", "visitor /units/", "visitor /strategy/actions/",
                   "visitor /forums/", "visitor /projects/", "visitor /events/", "visitor /analytics/",
                   "visitor /browse/observations/",
                   "office /admin/", "editor /admin/", "coordinator /admin/", "secretary /admin/",
                   "office /import/batches/", "office POST preview"):
        assert any(page.startswith(prefix) for page in pages), prefix
    assert {status for status in crawl.statuses.values() if status >= 500} == set()


def test_the_catalogues_and_codes_are_read():
    msgids, codes = english_msgids(), internal_codes()
    assert {"About this indicator", "none"} <= msgids
    assert {"in-progress", "planned", "None"} <= codes


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{needle!r} on {', '.join(pages)}" for needle, pages in found.items())


def test_no_english_text_on_a_polish_page(crawl):
    found = _findings(crawl, english_msgids())
    assert not found, _report(found)


def test_no_internal_code_shown_as_text(crawl):
    found = _findings(crawl, internal_codes())
    assert not found, _report(found)


def test_a_passage_marked_as_another_language_is_not_the_pages_text():
    from tests.page_crawl import visible_text

    html = ('<html lang="pl"><body><p>Strona główna</p><select><option lang="pl">Polski</option>'
            '<option lang="en">English</option></select><article lang="en"><p>News in English</p></article>'
            '<p>Change</p></body></html>')
    assert visible_text(html).splitlines() == ["Strona główna", "Polski", "Change"]

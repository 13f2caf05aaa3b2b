"""The Polish catalogues of the apps agree: one English text has one Polish translation across the site."""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation.template import templatize

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "obserwatorium"


def test_no_text_is_translated_two_ways():
    seen: dict[tuple[str, str | None], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for po_path in sorted(PACKAGE.glob("*/locale/pl/LC_MESSAGES/django.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                key = (str(message.id), message.context)
                seen[key][str(message.string)].append(po_path.parts[-5])
    conflicts = {key: dict(found) for key, found in seen.items() if len(found) > 1}
    assert conflicts == {}


def test_every_catalogue_entry_is_translated():
    untranslated = []
    for po_path in sorted(PACKAGE.glob("*/locale/pl/LC_MESSAGES/django.po")):
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        untranslated += [f"{po_path.parts[-5]}: {m.id}" for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


# The marking functions of the code base, with Babel's argument specs (context first for the p- forms).
KEYWORDS = {
    "_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None,
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "ngettext": (1, 2), "ngettext_lazy": (1, 2), "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}


def _marked_texts():
    """Every text marked for translation in the package's code and templates: (file, line, text, context)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield from _extract(path, path.read_text(encoding="utf-8"))
    for path in sorted(PACKAGE.rglob("templates/**/*")):
        if path.suffix in (".html", ".txt"):
            # Django's own conversion of {% translate %} and {% blocktranslate %} into gettext calls.
            yield from _extract(path, templatize(path.read_text(encoding="utf-8"), origin=str(path)))


def _extract(path: Path, source: str):
    for line, message, _comments, context in extract("python", io.BytesIO(source.encode()), keywords=KEYWORDS):
        yield path.relative_to(PACKAGE), line, message if isinstance(message, str) else message[0], context


def test_every_marked_text_has_a_polish_translation():
    """A text marked in code or a template but absent from every catalogue would show in English on a Polish
    page. Django's own catalogue counts (it names the languages, for one)."""
    catalogued = set()
    for po_path in PACKAGE.glob("*/locale/pl/LC_MESSAGES/django.po"):
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string:
                    catalogued.add((message.id if isinstance(message.id, str) else message.id[0], message.context))
    missing = []
    with translation.override("pl"):
        for path, line, text, context in _marked_texts():
            shown = translation.pgettext(context, text) if context else translation.gettext(text)
            if (text, context) not in catalogued and shown == text:
                missing.append(f"{path}:{line}: {text!r}" + (f" (context {context!r})" if context else ""))
    assert missing == []

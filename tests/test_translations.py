"""The Polish catalogues of the apps agree: one English text has one Polish translation across the site."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

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

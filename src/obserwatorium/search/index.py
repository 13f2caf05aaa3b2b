"""Keeping the search index and asking it.

Every save or deletion of a searched record refreshes its entry in the same transaction (signals, so the admin,
the services and the imports are all covered); `obserwatorium search rebuild` (run by `setup` and after a preset
load) writes the whole index anew. Text is folded (`vocabulary.fold`: case and diacritics ignored, ł → l)
before it is stored and before it is looked up, so "Swiatniki", "świątniki" and "ŚWIĄTNIKI" find the same gmina
on every engine; each word of a question matches as a prefix ("eduk" finds "Edukacji"), all words must match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from obserwatorium.search.models import SearchEntry
from obserwatorium.search.providers import KINDS, PROVIDERS, Provider, Text
from obserwatorium.vocabulary import fold

MAX_WORDS = 10
MAX_WORD_LENGTH = 40
WORD = re.compile(r"\w+")


def _entry(provider: Provider, record: models.Model, text: Text) -> SearchEntry:
    titles = " ".join(dict.fromkeys(t for t in (text.title_pl, text.title_en) if t))
    searched = " ".join(part for part in text.searched if part)
    # The titles twice: a match in a title ranks above a match in a description.
    return SearchEntry(kind=provider.kind, object_id=record.pk, title_pl=text.title_pl[:500],
                       title_en=text.title_en[:500], summary_pl=text.summary_pl[:300],
                       summary_en=text.summary_en[:300], url=text.url, folded=fold(f"{titles} {titles} {searched}"),
                       visible_from=text.visible_from)


def refresh(provider: Provider, pk: int) -> None:
    """The entry of one record made current: written when the record is public, removed when it is not."""
    record = provider.public().filter(pk=pk).first()
    if record is None:
        SearchEntry.objects.filter(kind=provider.kind, object_id=pk).delete()
        return
    entry = _entry(provider, record, provider.text(record))
    values = {f: getattr(entry, f) for f in ("title_pl", "title_en", "summary_pl", "summary_en", "url", "folded",
                                             "visible_from")}
    SearchEntry.objects.update_or_create(kind=provider.kind, object_id=pk, defaults=values)


def rebuild(kinds: Iterable[str] | None = None) -> dict[str, int]:
    """The index (of the kinds named, or all) written anew in one transaction; entries per kind."""
    providers = [KINDS[kind] for kind in kinds] if kinds else list(PROVIDERS)
    counts = {}
    with transaction.atomic():
        for provider in providers:
            SearchEntry.objects.filter(kind=provider.kind).delete()
            entries = [_entry(provider, record, provider.text(record)) for record in provider.public()]
            SearchEntry.objects.bulk_create(entries, batch_size=500)
            counts[provider.kind] = len(entries)
    return counts


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # a backup being restored brings its own entries
        return
    for provider in PROVIDERS:
        if provider.model is sender:
            refresh(provider, instance.pk)
        elif sender in provider.follows:
            rebuild([provider.kind])
        _refresh_whole(provider, sender, instance)


def _deleted(sender, instance, **kwargs) -> None:
    for provider in PROVIDERS:
        if provider.model is sender:
            SearchEntry.objects.filter(kind=provider.kind, object_id=instance.pk).delete()
        _refresh_whole(provider, sender, instance)


def _refresh_whole(provider: Provider, sender: type[models.Model], part: models.Model) -> None:
    """The entry of the record a saved or deleted part (a meeting's agenda item, decision) belongs to."""
    for model, attribute in provider.parts:
        if model is sender and getattr(part, attribute, None) is not None:
            refresh(provider, getattr(part, attribute))


def connect_signals() -> None:
    senders = ({provider.model for provider in PROVIDERS} | {m for p in PROVIDERS for m in p.follows}
               | {m for p in PROVIDERS for m, _ in p.parts})
    for sender in senders:
        post_save.connect(_saved, sender=sender, dispatch_uid=f"search-saved-{sender._meta.label_lower}")
        post_delete.connect(_deleted, sender=sender, dispatch_uid=f"search-deleted-{sender._meta.label_lower}")


# --- asking -----------------------------------------------------------------------------------------------------

def words_of(question: str) -> list[str]:
    """The folded words of a question, as the index holds them (at most MAX_WORDS, each cut to MAX_WORD_LENGTH)."""
    return [w[:MAX_WORD_LENGTH] for w in WORD.findall(fold(question))][:MAX_WORDS]


DUE = "AND (e.visible_from IS NULL OR e.visible_from <= %s)"


def _reading_connection() -> BaseDatabaseWrapper:
    """The connection the index is read on: where the ORM reads it too (a replica for a public search)."""
    return connections[router.db_for_read(SearchEntry)]


def _ranked_ids(words: list[str], kind: str, limit: int) -> list[int]:
    table = SearchEntry._meta.db_table
    connection = _reading_connection()
    kind_args: list[Any] = [timezone.now(), kind] if kind else [timezone.now()]
    kind_filter = f"{DUE} AND e.kind = %s" if kind else DUE
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            match = " ".join(f'"{w}"*' for w in words)
            cursor.execute(f"SELECT e.id FROM search_fts JOIN {table} e ON e.id = search_fts.rowid "
                           f"WHERE search_fts MATCH %s {kind_filter} ORDER BY bm25(search_fts), e.id LIMIT %s",
                           [match, *kind_args, limit])
        else:
            query = " & ".join(f"{w}:*" for w in words)
            cursor.execute(f"SELECT e.id FROM {table} e, to_tsquery('simple', %s) q "
                           f"WHERE to_tsvector('simple', e.folded) @@ q {kind_filter} "
                           f"ORDER BY ts_rank(to_tsvector('simple', e.folded), q) DESC, e.id LIMIT %s",
                           [query, *kind_args, limit])
        return [row[0] for row in cursor.fetchall()]


def _counts(words: list[str]) -> dict[str, int]:
    table = SearchEntry._meta.db_table
    connection = _reading_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT e.kind, COUNT(*) FROM search_fts JOIN {table} e ON e.id = search_fts.rowid "
                           f"WHERE search_fts MATCH %s {DUE} GROUP BY e.kind",
                           [" ".join(f'"{w}"*' for w in words), timezone.now()])
        else:
            cursor.execute(f"SELECT e.kind, COUNT(*) FROM {table} e "
                           f"WHERE to_tsvector('simple', e.folded) @@ to_tsquery('simple', %s) {DUE} GROUP BY e.kind",
                           [" & ".join(f"{w}:*" for w in words), timezone.now()])
        return dict(cursor.fetchall())


@dataclass
class Group:
    provider: Provider
    total: int
    entries: list[SearchEntry] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.entries)


def search(question: str, *, kind: str = "", per_kind: int = 8) -> list[Group]:
    """The entries matching every word of the question, best first, grouped by kind in the kinds' order
    (`kind` narrows to one kind and shows more of it); three queries whatever the index holds."""
    words = words_of(question)
    if not words or (kind and kind not in KINDS):
        return []
    counts = _counts(words)
    limit = per_kind * 5 if kind else per_kind * len(PROVIDERS)
    ids = _ranked_ids(words, kind, limit)
    found = SearchEntry.objects.in_bulk(ids)
    groups = {p.kind: Group(p, counts.get(p.kind, 0)) for p in PROVIDERS if counts.get(p.kind) and
              (not kind or p.kind == kind)}
    for pk in ids:
        entry = found.get(pk)
        if entry is None or entry.kind not in groups:
            continue
        group = groups[entry.kind]
        if len(group.entries) < (limit if kind else per_kind):
            group.entries.append(entry)
    return [group for group in groups.values() if group.entries]

"""Text filters that ignore case and Polish diacritics on both engines, as the site search does.

`icontains` folds case only for ASCII letters on SQLite ("Śródmieście" is not found by "śród") and ignores no
diacritics anywhere. `Folded(field)` is the field's text folded by the database the way `vocabulary.fold` folds a
question: on SQLite by that very function (registered on each new connection: `register_sqlite_function`), on
PostgreSQL by `lower` and `translate` over the Latin letters with diacritics (other scripts are compared as
`lower` leaves them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import CharField, Func, Q, TextField
from django.db.models.functions import Lower

from obserwatorium.vocabulary import fold

_SQLITE_FUNCTION = "obs_fold"


def _latin_with_marks() -> tuple[str, str]:
    """Lower-case Latin letters with diacritics (U+00C0–U+024F) and their folded forms, one character each."""
    source, target = [], []
    for code in range(0x00C0, 0x0250):
        letter = chr(code)
        if letter != letter.lower():
            continue
        folded = fold(letter)
        if len(folded) == 1 and folded != letter and folded.isascii():
            source.append(letter)
            target.append(folded)
    return "".join(source), "".join(target)


_FROM, _TO = _latin_with_marks()


def _fold_or_none(text: Any) -> str | None:
    return None if text is None else fold(str(text))


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """On every new SQLite connection (`connection_created`), the function `Folded` calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(_SQLITE_FUNCTION, 1, _fold_or_none, deterministic=True)


class Folded(Func):
    """A text expression folded for tolerant comparison (see the module's docstring)."""

    function = _SQLITE_FUNCTION
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(Lower(self.source_expressions[0], output_field=CharField()))
        return f"translate({sql}, %s, %s)", (*params, _FROM, _TO)


def folded_contains(fields: Iterable[str], text: str) -> tuple[dict[str, Folded], Q]:
    """Annotations and a filter: every folded word of `text` appears in one of `fields` (folded)."""
    words = fold(text).split()
    annotations = {f"_folded_{name}": Folded(name) for name in fields}
    query = Q()
    for word in words:
        any_field = Q()
        for alias in annotations:
            any_field |= Q(**{f"{alias}__contains": word})
        query &= any_field
    return annotations, query

"""Model writes that bump the data version: every save, delete and many-to-many change of the apps whose data
the site publishes. Writes that bypass the model signals (set-based SQL, `QuerySet.update`) call
`services.bump_data_version` themselves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from obserwatorium.dataversion.services import bump_data_version

# App labels, not imports: this app sits below every other and knows them only by name.
PUBLIC_DATA_APPS = frozenset({"territory", "indicators", "insights", "strategy", "cooperation", "events", "news"})
# Those whose writes change what the pages' group figures are computed from (`memo`, the figures versions).
FIGURE_APPS = frozenset({"territory", "indicators", "insights"})
M2M_CHANGES = frozenset({"post_add", "post_remove", "post_clear"})

_figures_bumped_by_writer: ContextVar[bool] = ContextVar("obs_figures_bumped_by_writer", default=False)


@contextmanager
def figures_bumped_by_writer() -> Iterator[None]:
    """Model writes inside bump the data version but not every figure: their writer bumps the figures of exactly
    what it changes. Only the write path of observations uses it, around the saves of its own batch: it bumps
    each written indicator's figures (`services.bump_data_version(indicators=…)`) in the same transaction."""
    reset = _figures_bumped_by_writer.set(True)
    try:
        yield
    finally:
        _figures_bumped_by_writer.reset(reset)


def _tracked(sender: Any) -> bool:
    meta = getattr(sender, "_meta", None)
    # A migration's historical models ("__fake__") write before this app's table may exist: not tracked.
    return meta is not None and meta.app_label in PUBLIC_DATA_APPS and sender.__module__ != "__fake__"


def _figures(sender: Any) -> bool:
    return sender._meta.app_label in FIGURE_APPS and not _figures_bumped_by_writer.get()


def _on_write(sender: Any, using: str = "default", raw: bool = False, **kwargs: Any) -> None:
    if _tracked(sender):
        bump_data_version(using=using, figures=_figures(sender))


def _on_m2m(sender: Any, action: str, using: str = "default", **kwargs: Any) -> None:
    if action in M2M_CHANGES and _tracked(sender):
        bump_data_version(using=using, figures=_figures(sender))


def connect() -> None:
    """Listen to every model (the sender is checked by app label, so new models of those apps count too)."""
    post_save.connect(_on_write, dispatch_uid="dataversion-save")
    post_delete.connect(_on_write, dispatch_uid="dataversion-delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="dataversion-m2m")

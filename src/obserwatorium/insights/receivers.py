"""Keep derived indicators current whatever path wrote their inputs (import, BDL sync, registries, admin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from obserwatorium.indicators.models import BatchKind, ImportBatch, Indicator
from obserwatorium.insights.services import recompute_derived

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def recompute_after_write(*, batch: ImportBatch, indicator_ids: set[int], user: Actor | None = None, **kwargs) -> None:
    """Recompute what depends on the written indicators; derived batches already computed their chain."""
    if batch.kind == BatchKind.DERIVED:
        return
    recompute_derived(indicators=list(Indicator.objects.filter(pk__in=indicator_ids)), user=user)

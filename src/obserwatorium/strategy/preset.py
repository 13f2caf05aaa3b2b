"""Load a preset's strategy tree (strategy.yaml), and all registry facts of a preset; idempotent."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from obserwatorium.cooperation.preset import load_cooperation_preset, load_sources
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.models import Domain
from obserwatorium.strategy.models import Strategy

STRATEGY_FIELDS = ("name_pl", "name_en", "description_pl", "description_en", "start_year", "end_year",
                   "adopted_on")


@transaction.atomic
def load_strategy_preset(*, path: Path) -> int:
    """Create or update the preset's strategies and their domains; count them."""
    file = path / "strategy.yaml"
    if not file.exists():
        return 0
    with file.open(encoding="utf-8") as handle:
        entries = (yaml.safe_load(handle) or {}).get("strategies", [])
    with recording(via="preset"):
        sources = load_sources(path=path)
        for entry in entries:
            strategy, _ = Strategy.objects.update_or_create(code=entry["code"], defaults={
                **{k: entry[k] for k in STRATEGY_FIELDS if entry.get(k) is not None},
                "source": sources.get(entry.get("source"))})
            strategy.domains.set(Domain.objects.filter(code__in=entry.get("domains", [])))
    return len(entries)


def load_registries(*, path: Path) -> int:
    """Every registry fact of a preset (cooperation first: the strategy cites its sources); count them."""
    return load_cooperation_preset(path=path) + load_strategy_preset(path=path)

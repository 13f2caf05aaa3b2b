"""Load a preset's strategy tree (strategy.yaml), and all registry facts of a preset; idempotent."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from obserwatorium.cooperation.models import Document, Source
from obserwatorium.cooperation.preset import load_cooperation_preset, load_sources, source_of
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.models import Domain
from obserwatorium.strategy.models import ActionPlan, Strategy

STRATEGY_FIELDS = ("name_pl", "name_en", "description_pl", "description_en", "start_year", "end_year",
                   "adopted_on")
PLAN_FIELDS = ("name_en", "description_pl", "description_en", "adopted_on", "adopted_precision", "status",
               "start_year", "end_year", "weight")


def _load_plans(entries: list[dict], strategies: dict[str, Strategy], sources: dict[str, Source]) -> int:
    """Action plans, identified by their strategy and Polish name, linked to the documents that are their text."""
    for entry in entries:
        plan, _ = ActionPlan.objects.update_or_create(
            strategy=strategies[entry["strategy"]], name_pl=entry["name_pl"], defaults={
                **{k: entry[k] for k in PLAN_FIELDS if entry.get(k) is not None},
                "domain": Domain.objects.get(code=entry["domain"]), "source": source_of(entry, sources)})
        plan.documents.add(*Document.objects.filter(slug__in=entry.get("documents", [])))
    return len(entries)


@transaction.atomic
def load_strategy_preset(*, path: Path) -> int:
    """Create or update the preset's strategies with their domains, and their action plans; count them."""
    file = path / "strategy.yaml"
    if not file.exists():
        return 0
    with file.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    entries = data.get("strategies", [])
    with recording(via="preset"):
        sources = load_sources(path=path)
        strategies = {}
        for entry in entries:
            strategy, _ = Strategy.objects.update_or_create(code=entry["code"], defaults={
                **{k: entry[k] for k in STRATEGY_FIELDS if entry.get(k) is not None},
                "source": source_of(entry, sources)})
            strategy.domains.set(Domain.objects.filter(code__in=entry.get("domains", [])))
            strategies[strategy.code] = strategy
        plans = _load_plans(data.get("action_plans", []), strategies, sources)
    return len(entries) + plans


def load_registries(*, path: Path) -> int:
    """Every registry fact of a preset (cooperation first: the strategy cites its sources); count them."""
    return load_cooperation_preset(path=path) + load_strategy_preset(path=path)

"""Load a preset's strategy tree (strategy.yaml); idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from obserwatorium.cooperation.models import Document, Source
from obserwatorium.cooperation.preset import load_sources, source_of
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.models import Domain
from obserwatorium.strategy.models import ActionPlan, Strategy

STRATEGY_FIELDS = ("name_pl", "name_en", "description_pl", "description_en", "start_year", "end_year",
                   "adopted_on")
PLAN_FIELDS = ("name_en", "description_pl", "description_en", "adopted_on", "adopted_precision", "status",
               "start_year", "end_year", "weight")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StrategyEntry(_Entry):
    code: str
    name_pl: str
    name_en: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    adopted_on: date | None = None
    source: str | None = None
    domains: list[str] = []


class PlanEntry(_Entry):
    strategy: str
    domain: str
    name_pl: str
    name_en: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    adopted_on: date | None = None
    adopted_precision: str | None = None
    status: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    weight: float | None = None
    source: str | None = None
    documents: list[str] = []


class StrategyFile(_Entry):
    """strategy.yaml."""

    strategies: list[StrategyEntry] = []
    action_plans: list[PlanEntry] = []


def _load_plans(entries: list[dict], strategies: dict[str, Strategy], sources: dict[str, Source]) -> int:
    """Action plans, identified by their strategy and Polish name, linked to the documents that are their text."""
    for entry in entries:
        plan, _ = ActionPlan.objects.update_or_create(
            strategy=strategies[entry["strategy"]], name_pl=entry["name_pl"], defaults={
                **{k: entry[k] for k in PLAN_FIELDS if entry.get(k) is not None},
                "domain": Domain.objects.get(code=entry["domain"]), "source": source_of(entry, sources)})
        plan.documents.add(*Document.objects.filter(slug__in=entry.get("documents", [])))
    return len(entries)


def load_strategy_preset(*, preset: str, sources: dict[str, Any] | None = None,
                         document: dict[str, Any] | None = None) -> dict[str, int]:
    """Create or update the preset's strategies with their domains, and their action plans; count them."""
    if document is None:
        return {"registries": 0}
    data = document
    entries = data.get("strategies", [])
    with recording(via="preset"):
        cited = load_sources(document=sources)
        strategies = {}
        for entry in entries:
            strategy, _ = Strategy.objects.update_or_create(code=entry["code"], defaults={
                **{k: entry[k] for k in STRATEGY_FIELDS if entry.get(k) is not None},
                "source": source_of(entry, cited)})
            strategy.domains.set(Domain.objects.filter(code__in=entry.get("domains", [])))
            strategies[strategy.code] = strategy
        plans = _load_plans(data.get("action_plans", []), strategies, cited)
    return {"registries": len(entries) + plans}

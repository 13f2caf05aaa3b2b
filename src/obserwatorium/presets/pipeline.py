"""The preset pipeline: an ordered, declared list of steps, each an app loading its own part of a preset folder.

Every file of every step is read and checked against its schema first; only when none has a problem do the steps
run, in order, in one transaction. No app imports this package: each step's loader gets its parsed, checked data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from obserwatorium.cooperation import preset as cooperation
from obserwatorium.indicators import preset as indicators
from obserwatorium.insights import preset as insights
from obserwatorium.presets.files import Part, PresetError, read_part
from obserwatorium.strategy import preset as strategy
from obserwatorium.territory import preset as territory


@dataclass(frozen=True)
class Step:
    """One app's part of a preset: its files (by the loader's argument names) and the loader that writes them."""

    name: str
    app: str
    loader: Callable[..., dict[str, int]]
    parts: Mapping[str, Part]


SOURCES = Part("sources.yaml", cooperation.SourcesFile)
STEPS = (
    Step("units", "territory", territory.load_units, {"rows": Part("units.csv", territory.UnitRow, required=True)}),
    Step("domains", "indicators", indicators.load_domains,
         {"document": Part("domains.yaml", indicators.DomainsFile, required=True)}),
    Step("catalogue", "indicators", indicators.load_catalogue,
         {"documents": Part("catalogue/*.yaml", indicators.CatalogueFile, required=True)}),
    Step("insights", "insights", insights.load_definitions, {
        "derived": Part("derived.yaml", insights.DerivedFile), "indices": Part("indices.yaml", insights.IndicesFile),
        "peer_groups": Part("peer_groups.yaml", insights.PeerGroupsFile),
        "targets": Part("targets.yaml", insights.TargetsFile)}),
    # Facts after the derived definitions, so the values derived from them are computed as they are written.
    Step("facts", "indicators", indicators.load_population_facts,
         {"rows": Part("population.csv", indicators.PopulationRow)}),
    # Cooperation before the strategy: an action plan names its documents.
    Step("cooperation", "cooperation", cooperation.load_cooperation_preset,
         {"sources": SOURCES, "document": Part("cooperation.yaml", cooperation.CooperationFile)}),
    Step("strategy", "strategy", strategy.load_strategy_preset,
         {"sources": SOURCES, "document": Part("strategy.yaml", strategy.StrategyFile)}),
)


def read_steps(*, path: Path, steps: tuple[Step, ...] = STEPS) -> list[dict[str, Any]]:
    """Each step's checked data (its loader's arguments); raises PresetError naming every problem found."""
    arguments, problems = [], []
    for step in steps:
        data = {}
        for argument, part in step.parts.items():
            data[argument], found = read_part(folder=path, part=part)
            problems += [problem for problem in found if problem not in problems]
        arguments.append(data)
    if problems:
        raise PresetError(problems)
    return arguments


def load_preset(*, path: Path, only: tuple[str, ...] = ()) -> dict[str, int]:
    """Check every file of the preset folder, then run the steps (or the named ones) in one transaction; counts."""
    steps = tuple(step for step in STEPS if not only or step.name in only)
    arguments = read_steps(path=path, steps=steps)
    summary: dict[str, int] = {}
    with transaction.atomic():
        for step, data in zip(steps, arguments, strict=True):
            for key, count in step.loader(preset=path.name, **data).items():
                summary[key] = summary.get(key, 0) + count
    return summary

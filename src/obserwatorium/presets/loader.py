"""Load a preset (units, domains, indicator catalogue, stated facts) from its data files; idempotent."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

from django.db import transaction

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import FACTS_LICENCE, BatchKind, Domain, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.insights.loader import load_insights_definitions
from obserwatorium.presets.files import preset_dir, read_yaml
from obserwatorium.strategy.preset import load_registries
from obserwatorium.territory.models import Unit

INDICATOR_FIELDS = (
    "name_pl", "name_en", "definition_pl", "definition_en", "unit_pl", "unit_en", "polarity", "decimals",
    "aggregation", "scale", "min_value", "max_value", "source_pl", "source_en", "bdl_variable_id",
    "bdl_scale", "bdl_note_pl", "bdl_note_en", "headline", "demo", "measure",
)


def _blank_none(value: str) -> str | None:
    return value if value != "" else None


def _load_units(path: Path) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            parent = units.get(row["parent"]) if row["parent"] else None
            unit, _ = Unit.objects.update_or_create(
                teryt=row["teryt"], valid_to=None,
                defaults={
                    "name": row["name"], "slug": row["slug"], "level": row["level"],
                    "gmina_type": row["gmina_type"], "parent": parent, "membership": row["membership"],
                    "member_since": date.fromisoformat(row["member_since"]) if row["member_since"] else None,
                    "bdl_unit_id": row["bdl_unit_id"],
                    "grid_row": _blank_none(row["grid_row"]), "grid_col": _blank_none(row["grid_col"]),
                    "area_km2": _blank_none(row["area_km2"]), "area_source": row["area_source"],
                },
            )
            units[unit.teryt] = unit
    return units


def _load_domains(path: Path) -> None:
    for entry in read_yaml(path)["domains"]:
        Domain.objects.update_or_create(code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"})


def _load_indicators(path: Path) -> None:
    entries = read_yaml(path)["indicators"]
    domains = {d.code: d for d in Domain.objects.all()}
    for order, entry in enumerate(entries):
        defaults = {k: entry[k] for k in INDICATOR_FIELDS if k in entry and entry[k] is not None}
        defaults.setdefault("demo", {})
        # A sum is the group value of a size-dependent count; anything else is a rate, share or average.
        defaults.setdefault("measure", "count" if entry.get("aggregation") == "sum" else "rate")
        if entry.get("numerator") or entry.get("denominator"):
            # A ratio's terms may come later in the file: the rule is set once they all exist.
            defaults["aggregation"] = "none"
        Indicator.objects.update_or_create(
            code=entry["code"], defaults={**defaults, "domain": domains[entry["domain"]], "order": order}
        )
    by_code = {i.code: i for i in Indicator.objects.all()}
    for entry in entries:
        if entry.get("numerator") or entry.get("denominator"):
            Indicator.objects.filter(code=entry["code"]).update(
                numerator=by_code[entry["numerator"]], denominator=by_code[entry["denominator"]],
                aggregation=entry["aggregation"],
            )


def _load_population_facts(path: Path, units: dict[str, Unit]) -> int:
    """Stated population figures, one batch per distinct source so every value keeps its own provenance."""
    indicator = Indicator.objects.filter(code="population").first()
    if indicator is None or not path.exists():
        return 0
    by_source: dict[str, list[ObservationRow]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_source[row["source"]].append(ObservationRow(
                indicator.pk, units[row["teryt"]].pk, row["year"], float(row["population"]), Flag.FINAL))
    # A fact may replace demo data or an earlier preset fact, never a value a user, import or sync wrote.
    protected = set(Observation.objects.filter(indicator=indicator)
                    .exclude(batch__kind__in=(BatchKind.PRESET, BatchKind.DEMO)).values_list("unit_id", "period"))
    loaded = 0
    for source, stated in by_source.items():
        rows = [row for row in stated if (row.unit_id, row.period) not in protected]
        keys = {(r.unit_id, r.period) for r in rows}
        stored = set(Observation.objects.filter(indicator=indicator, flag=Flag.FINAL,
                                                batch__kind=BatchKind.PRESET, batch__source=source[:500])
                     .values_list("unit_id", "period"))
        if keys <= stored:
            continue
        batch = ImportBatch(kind=BatchKind.PRESET, source=source[:500], file_name=path.name,
                            licence=FACTS_LICENCE)
        loaded += write_observations(batch=batch, rows=rows).counts.inserted
    return loaded


@transaction.atomic
def load_preset(*, name: str) -> dict[str, int]:
    """Create or update the preset's units, domains, catalogue and facts."""
    path = preset_dir(name)
    units = _load_units(path / "units.csv")
    _load_domains(path / "domains.yaml")
    _load_indicators(path / "indicators.yaml")
    derived = load_insights_definitions(name=name)
    facts = _load_population_facts(path / "population.csv", units)
    return {"units": len(units), "domains": Domain.objects.count(), "indicators": Indicator.objects.count(),
            "facts": facts, "registries": load_registries(path=path), **derived}

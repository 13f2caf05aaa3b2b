"""Load a preset's analytics definitions (derived.yaml, indices.yaml, peer_groups.yaml, targets.yaml); idempotent."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from obserwatorium.analytics.derived import RATIO_KINDS, Formula, dependency_order
from obserwatorium.cooperation.models import Source
from obserwatorium.indicators.models import Aggregation, Domain, Indicator, Polarity
from obserwatorium.insights.models import CompositeComponent, CompositeIndex, DerivedIndicator, PeerGroup
from obserwatorium.strategy.models import Target
from obserwatorium.territory.models import Unit

IMPLIED_DENOMINATOR = {"per_1000": ("population", 1000.0), "per_km2": ("area", 1.0), "share": (None, 100.0)}
FIRST_DERIVED_ORDER = 500
CATALOGUE_FIELDS = ("name_pl", "name_en", "definition_pl", "definition_en", "unit_pl", "unit_en", "polarity",
                    "decimals")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DerivedEntry(_Entry):
    code: str
    formula: str
    numerator: str | None = None
    denominator: str | None = None
    base: str | None = None
    scale: float | None = None
    years: int | None = None
    domain: str
    name_pl: str
    name_en: str
    definition_pl: str = ""
    definition_en: str = ""
    unit_pl: str = ""
    unit_en: str = ""
    polarity: str = "neutral"
    decimals: int = 1


class DerivedFile(_Entry):
    """derived.yaml."""

    derived: list[DerivedEntry]


class IndexSettings(_Entry):
    domain: str | None = None
    name_pl: str | None = None
    name_en: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    normalisation: str | None = None
    missing: str | None = None
    min_weight_share: float | None = None
    reference: str | None = None
    reference_period: list[int] | None = None


class Component(_Entry):
    indicator: str | None = None
    index: str | None = None
    weight: float
    direction: str | None = None


class IndexEntry(IndexSettings):
    code: str
    name_pl: str
    name_en: str
    components: list[Component]


class IndicesFile(_Entry):
    """indices.yaml: settings every index shares unless it gives its own."""

    defaults: IndexSettings = IndexSettings()
    indices: list[IndexEntry]


class PeerGroupEntry(_Entry):
    code: str
    name_pl: str
    name_en: str
    units: list[str]


class PeerGroupsFile(_Entry):
    """peer_groups.yaml."""

    peer_groups: list[PeerGroupEntry]


class TargetEntry(_Entry):
    indicator: str
    unit: str
    baseline_year: int
    baseline_value: float | None = None
    target_year: int
    target_value: float
    illustrative: bool = True


class TargetsFile(_Entry):
    """targets.yaml."""

    source: str = ""
    targets: list[TargetEntry]


def formula_of(entry: dict[str, Any]) -> Formula:
    """The formula a derived.yaml entry declares."""
    kind = entry["formula"]
    if kind in RATIO_KINDS:
        implied, scale = IMPLIED_DENOMINATOR.get(kind, (None, 1.0))
        denominator = entry.get("denominator") or implied
        if not denominator:
            raise ValueError(f"derived indicator {entry.get('code')!r}: formula {kind!r} needs a denominator")
        return Formula(kind, (entry["numerator"], denominator), scale=float(entry.get("scale", scale)))
    return Formula(kind, (entry["base"],), years=int(entry.get("years", 1)))


def _load_derived(document: dict[str, Any] | None) -> int:
    entries = document["derived"] if document else []
    formulas = {entry["code"]: formula_of(entry) for entry in entries}
    dependency_order(formulas)  # refuses cycles before anything is written
    domains = {d.code: d for d in Domain.objects.all()}
    for position, entry in enumerate(entries):
        formula = formulas[entry["code"]]
        codes = {code: Indicator.objects.get(code=code) if code not in formulas else None for code in formula.inputs}
        names_pl = ", ".join(codes)
        defaults = {key: entry[key] for key in CATALOGUE_FIELDS if key in entry}
        defaults.update(domain=domains[entry["domain"]], order=FIRST_DERIVED_ORDER + position, demo={},
                        source_pl=f"Obliczenia własne na podstawie wskaźników: {names_pl}",
                        source_en=f"Own calculation from the indicators: {names_pl}",
                        aggregation=Aggregation.NONE, numerator=None, denominator=None, scale=1.0)
        indicator, _ = Indicator.objects.update_or_create(code=entry["code"], defaults=defaults)
        DerivedIndicator.objects.update_or_create(indicator=indicator, defaults={
            "formula": formula.kind, "inputs": list(formula.inputs), "scale": formula.scale, "years": formula.years})
    by_code = {i.code: i for i in Indicator.objects.filter(code__in={c for f in formulas.values() for c in f.inputs})}
    for code, formula in formulas.items():
        if formula.kind in RATIO_KINDS:
            # A ratio aggregates exactly as the ratio of the sums of its terms.
            Indicator.objects.filter(code=code).update(
                aggregation=Aggregation.RATIO_OF_SUMS, numerator=by_code[formula.inputs[0]],
                denominator=by_code[formula.inputs[1]], scale=formula.scale)
    return len(entries)


def _direction(entry: dict[str, Any], indicator: Indicator | None) -> str:
    if indicator is not None and not indicator.comparable:
        raise ValueError(f"index component {indicator.code!r} is a count, not comparable between gminy of "
                         "different size: use its rate or per-capita indicator")
    direction = entry.get("direction") or ""
    if indicator is not None and not direction and indicator.polarity == Polarity.NEUTRAL:
        raise ValueError(f"index component {indicator.code!r} is neutral: give it a direction")
    return direction


def _load_indices(document: dict[str, Any] | None) -> int:
    if not document:
        return 0
    defaults, entries = document.get("defaults", {}), document["indices"]
    domains = {d.code: d for d in Domain.objects.all()}
    indices = {}
    for position, entry in enumerate(entries):
        spec = {**defaults, **entry}
        first, last = spec["reference_period"]
        indices[entry["code"]], _ = CompositeIndex.objects.update_or_create(code=entry["code"], defaults={
            "order": position, "domain": domains[spec["domain"]] if spec.get("domain") else None,
            "name_pl": spec["name_pl"], "name_en": spec["name_en"],
            "description_pl": spec.get("description_pl", ""), "description_en": spec.get("description_en", ""),
            "normalisation": spec["normalisation"], "missing_rule": spec["missing"],
            "min_weight_share": spec["min_weight_share"], "reference_scope": spec["reference"],
            "reference_from": first, "reference_to": last})
    for entry in entries:
        index = indices[entry["code"]]
        index.components.all().delete()
        for position, component in enumerate(entry["components"]):
            indicator = Indicator.objects.get(code=component["indicator"]) if "indicator" in component else None
            sub_index = indices[component["index"]] if "index" in component else None
            CompositeComponent.objects.create(index=index, indicator=indicator, sub_index=sub_index,
                                              weight=component["weight"], order=position,
                                              direction=_direction(component, indicator))
    return len(entries)


def _load_peer_groups(document: dict[str, Any] | None) -> int:
    entries = document["peer_groups"] if document else []
    for entry in entries:
        group, _ = PeerGroup.objects.update_or_create(code=entry["code"], defaults={
            "name_pl": entry["name_pl"], "name_en": entry["name_en"]})
        units = list(Unit.objects.current().filter(teryt__in=entry["units"]))
        if len(units) != len(set(entry["units"])):
            raise ValueError(f"peer group {entry['code']!r} names a unit that does not exist")
        group.units.set(units)
    return len(entries)


def _load_targets(document: dict[str, Any] | None, preset: str) -> int:
    """Targets of the preset, kept in the strategy registry (the metropolis as a whole is the unit MK)."""
    if not document:
        return 0
    source, _ = Source.objects.get_or_create(
        key=f"targets-{preset}", defaults={"title": document.get("source", "targets.yaml")[:300]})
    for entry in document["targets"]:
        unit = Unit.objects.current().get(teryt=str(entry["unit"]))
        Target.objects.update_or_create(
            indicator=Indicator.objects.get(code=entry["indicator"]), unit=unit, target_year=entry["target_year"],
            defaults={"baseline_year": entry["baseline_year"], "baseline_value": entry.get("baseline_value"),
                      "target_value": entry["target_value"], "illustrative": entry.get("illustrative", True),
                      "source": source})
    return len(document["targets"])


def load_definitions(*, preset: str, derived: dict[str, Any] | None = None, indices: dict[str, Any] | None = None,
                     peer_groups: dict[str, Any] | None = None, targets: dict[str, Any] | None = None,
                     ) -> dict[str, int]:
    """Create or update the preset's derived indicators, composite indices, peer groups and targets; count them."""
    return {"derived": _load_derived(derived), "indices": _load_indices(indices),
            "peer_groups": _load_peer_groups(peer_groups), "targets": _load_targets(targets, preset)}

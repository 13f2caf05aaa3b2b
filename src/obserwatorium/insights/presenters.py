"""Shapes shared by the pages and the API: index definitions, indicator choices for comparisons."""

from __future__ import annotations

from typing import Any

from obserwatorium.indicators.models import Indicator
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.selectors import periods


def index_definition(index: CompositeIndex) -> dict[str, Any]:
    """An index's definition: method, reference and components with weights and directions."""
    components = []
    for component in index.components.select_related("indicator", "sub_index"):
        target = component.indicator or component.sub_index
        direction = component.direction or (component.indicator.polarity if component.indicator_id else "higher")
        components.append({"key": component.key, "name": target.name, "weight": component.weight,
                           "direction": direction})
    return {"code": index.code, "name": index.name, "description": index.description,
            "domain": index.domain.code if index.domain_id else None, "normalisation": index.normalisation,
            "missing_rule": index.missing_rule, "min_weight_share": index.min_weight_share,
            "reference_scope": index.reference_scope,
            "reference_period": [index.reference_from, index.reference_to], "components": components}


def comparison_indicators(domain: str | None) -> tuple[list[Indicator], str]:
    """The indicators of a domain (headline ones when none is given) and their latest common year."""
    query = Indicator.objects.select_related("domain")
    chosen = list(query.filter(domain__code=domain) if domain else query.filter(headline=True))
    years = [p for i in chosen[:1] for p in periods(i) if p.isdigit()]
    return chosen, (years[-1] if years else "2000")

"""The list of member gminy: every one for a metropolis; pages of rows and a filter for a national observatory."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from obserwatorium.indicators import selectors
from obserwatorium.territory import selectors as territory
from obserwatorium.territory.models import GminaType
from obserwatorium.territory.selectors import ListedGmina
from obserwatorium.vocabulary import fold
from obserwatorium.web.figures import latest_shown
from obserwatorium.web.paging import page_of

# Above this many members the list is shown in pages of ROWS_PER_PAGE rows, with a filter: 2,477 gminy are a
# filter and a download, not one page. Up to it (a metropolis) the page shows them all, as it always has.
PAGED_ABOVE = 50
ROWS_PER_PAGE = 100  # a row is five short cells: a hundred of them are lighter than the indicator table's fifty

@dataclass(frozen=True)
class UnitFilter:
    """What the list is filtered by (`?q=`, `?powiat=`, `?type=`); a powiat or type not offered is ignored."""

    query: str = ""
    powiat: str = ""
    gmina_type: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.powiat or self.gmina_type)

    def matching(self, rows: list[ListedGmina]) -> list[ListedGmina]:
        """The rows that pass: in the powiat and of the type chosen, with every word of the name filter in the
        name (case and diacritics ignored, as the catalogue search)."""
        words = fold(self.query).split()
        return [row for row in rows
                if (not self.powiat or row.powiat_teryt == self.powiat)
                and (not self.gmina_type or row.gmina_type == self.gmina_type)
                and all(word in name for name in [fold(row.name)] for word in words)]


def powiat_choices(listed: list[ListedGmina]) -> list[tuple[str, str]]:
    """The members' powiaty as (TERYT, label) by name; a name two powiaty share carries its code (Poland has
    two "powiat średzki")."""
    powiaty = {row.powiat_teryt: row.powiat for row in listed if row.powiat_teryt}
    repeated = Counter(powiaty.values())
    return sorted(((code, f"{name} ({code})" if repeated[name] > 1 else name) for code, name in powiaty.items()),
                  key=lambda choice: (fold(choice[1]), choice[1]))


def build(*, query: str, powiat: str, gmina_type: str, page: str | None, language: str) -> dict:
    """The page context: the rows shown (unit, latest population), the paging and the filter above PAGED_ABOVE.

    The members are listed as short rows and the units read for the rows shown only; their latest population
    is read in one query for those rows, not over every period of every member."""
    listed = selectors.by_name(territory.member_listing())
    context: dict = {"members_count": len(listed), "table_page": None}
    chosen = listed
    if len(listed) > PAGED_ABOVE:
        powiaty = powiat_choices(listed)
        found = UnitFilter(query=query.strip(), powiat=powiat if powiat in dict(powiaty) else "",
                           gmina_type=gmina_type if gmina_type in GminaType.values else "")
        matching = found.matching(listed) if found.active else listed
        table_page, chosen = page_of(matching, page, per_page=ROWS_PER_PAGE, kept={
            "q": found.query, "powiat": found.powiat, "type": found.gmina_type})
        context.update(table_page=table_page, unit_filter=found, powiaty=powiaty, gmina_types=GminaType.choices)
    units = territory.units_in_order([row.pk for row in chosen])
    population = selectors.population_indicator()
    cells = selectors.latest_cells(indicator_id=population.pk, unit_ids=[unit.pk for unit in units]) \
        if population is not None and units else {}
    rows = [(unit, latest_shown(cells, population, unit, language)) for unit in units]
    context.update(rows=rows, has_demo_data=any(value.demo for _, value in rows),
                   population_code=population.code if population is not None else "")
    return context

"""The documented shapes of BDL responses, checked strictly: anything else is a BdlResponseError, never a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from obserwatorium.ingest.bdl.errors import BdlResponseError

BDL_ID = re.compile(r"^[0-9]{12}$")
GMINA_KINDS = frozenset("123")  # 4 and 5 are the town and the rural area of an urban-rural gmina


def teryt_from_bdl_id(bdl_id: str) -> str:
    """The 7-digit TERYT code a level-6 BDL id encodes: voivodeship, powiat, gmina and type digit."""
    if not BDL_ID.match(bdl_id):
        raise ValueError(f"not a 12-digit BDL unit id: {bdl_id!r}")
    return bdl_id[2:4] + bdl_id[7:9] + bdl_id[9:11] + bdl_id[11]


def is_gmina_id(bdl_id: str) -> bool:
    """A level-6 id of a whole gmina (urban, rural or urban-rural), not of a part of one."""
    return bool(BDL_ID.match(bdl_id)) and bdl_id[11] in GMINA_KINDS


@dataclass(frozen=True)
class BdlValue:
    year: str
    value: float | None
    attr_id: int


@dataclass(frozen=True)
class UnitSeries:
    bdl_unit_id: str
    name: str
    values: tuple[BdlValue, ...]


@dataclass
class VariableData:
    """Every page of /data/by-variable/{id} for one parent unit, merged."""

    variable_id: int | None = None
    measure_unit_id: int | None = None
    last_update: str | None = None
    total_records: int | None = None
    series: list[UnitSeries] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


def _fail(where: str, problem: str) -> BdlResponseError:
    return BdlResponseError(f"The BDL response is not in the documented shape ({where}: {problem}).")


def _require(container: dict, key: str, types: type | tuple[type, ...], where: str, optional: bool = False) -> Any:
    if key not in container or container[key] is None:
        if optional:
            return None
        raise _fail(where, f"'{key}' is missing")
    value = container[key]
    if isinstance(value, bool) or not isinstance(value, types):
        raise _fail(where, f"'{key}' is {type(value).__name__}, expected {getattr(types, '__name__', types)}")
    return value


def _parse_value(raw: Any, where: str) -> BdlValue:
    if not isinstance(raw, dict):
        raise _fail(where, "a value is not an object")
    year = _require(raw, "year", (str, int), where)
    if not re.fullmatch(r"[0-9]{4}", str(year)):
        raise _fail(where, f"'year' {year!r} is not a year")
    value = _require(raw, "val", (int, float), where, optional=True)
    attr_id = _require(raw, "attrId", int, where)
    return BdlValue(year=str(year), value=None if value is None else float(value), attr_id=attr_id)


def _parse_series(raw: Any, where: str) -> UnitSeries:
    if not isinstance(raw, dict):
        raise _fail(where, "a result is not an object")
    unit_id = _require(raw, "id", str, where)
    values = _require(raw, "values", list, where)
    name = _require(raw, "name", str, where, optional=True) or ""
    return UnitSeries(bdl_unit_id=unit_id, name=name,
                      values=tuple(_parse_value(v, f"{where}.values[{i}]") for i, v in enumerate(values)))


def page_results(payload: Any, where: str) -> list:
    """The `results` list of one page of any paged endpoint."""
    if not isinstance(payload, dict):
        raise _fail(where, "the body is not a JSON object")
    return _require(payload, "results", list, where)


def next_link(payload: dict, where: str) -> str | None:
    """The address of the next page, absent on the last one."""
    links = _require(payload, "links", dict, where, optional=True) or {}
    link = links.get("next")
    if link is not None and not isinstance(link, str):
        raise _fail(where, "'links.next' is not an address")
    return link or None


def add_variable_page(data: VariableData, payload: Any, *, url: str) -> None:
    """Check one page of /data/by-variable/{id} and add its series to `data`."""
    where = url
    results = page_results(payload, where)
    data.variable_id = _require(payload, "variableId", int, where, optional=True) or data.variable_id
    data.measure_unit_id = _require(payload, "measureUnitId", int, where, optional=True) or data.measure_unit_id
    data.last_update = _require(payload, "lastUpdate", str, where, optional=True) or data.last_update
    total = _require(payload, "totalRecords", int, where, optional=True)
    data.total_records = total if total is not None else data.total_records
    data.series.extend(_parse_series(item, f"{where} results[{i}]") for i, item in enumerate(results))
    data.urls.append(url)


def check_units(results: list, where: str) -> list[dict]:
    """Check the items of /units: each has a 12-digit id, a name and a level."""
    units = []
    for i, item in enumerate(results):
        item_where = f"{where} results[{i}]"
        if not isinstance(item, dict):
            raise _fail(item_where, "a unit is not an object")
        _require(item, "id", str, item_where)
        _require(item, "name", str, item_where)
        _require(item, "level", int, item_where)
        units.append(item)
    return units

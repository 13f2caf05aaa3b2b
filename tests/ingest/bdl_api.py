"""A stand-in for the BDL API in tests: recorded payloads wrapped in the documented paged envelope, served
through httpx.MockTransport, with every request logged and failures scripted per request."""

from __future__ import annotations

import csv
import json
import re
from collections import deque
from collections.abc import Callable
from pathlib import Path

import httpx

BASE = "https://bdl.stat.gov.pl/api/v1"
LAST_UPDATE = "2025-05-14T15:05:15.743"
Script = Callable[[httpx.Request], httpx.Response | None]


class FakeClock:
    """Time that moves only when somebody sleeps: tests never wait."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def under(unit_id: str, parent_id: str) -> bool:
    """Whether a unit lies under a parent (or is the parent), by the structure of the 12-digit ids."""
    for length in (0, 2, 4, 5, 7, 9):
        if set(parent_id[length:]) <= {"0"}:
            return unit_id.startswith(parent_id[:length])
    return unit_id == parent_id


class FakeBdl:
    """Routes /data/by-variable/{id}, /units and /variables/{id}; pages with the requested page-size."""

    def __init__(self, *, page_size: int | None = None) -> None:
        self.series: dict[int, list[dict]] = {}
        self.units: list[dict] = []
        self.variables: dict[int, dict] = {}
        self.measure_units: dict[int, int] = {}
        self.page_size = page_size  # a server-side page size, to force paging in tests
        self.requests: list[httpx.Request] = []
        self.script: deque[Script] = deque()  # one-shot answers, consumed one per request
        self.hooks: list[Script] = []  # consulted on every request (e.g. a variable that always fails)
        self.headers: dict[str, str] = {}

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def paths(self) -> list[str]:
        return [r.url.path.removeprefix("/api/v1") for r in self.requests]

    def data_requests(self, variable_id: int) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path.endswith(f"/data/by-variable/{variable_id}")]

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        for hook in [*self.hooks, *([self.script.popleft()] if self.script else [])]:
            scripted = hook(request)
            if scripted is not None:
                return scripted
        path = request.url.path.removeprefix("/api/v1")
        if match := re.fullmatch(r"/data/by-variable/(\d+)", path):
            variable_id = int(match[1])
            if variable_id not in self.series:
                return httpx.Response(404, json={"errorResult": f"Variable {variable_id} not found"})
            parent = request.url.params.get("unit-parent-id", "")
            years = set(request.url.params.get_list("year"))
            results = []
            for item in self.series[variable_id]:
                if parent and not under(item["id"], parent):
                    continue
                values = [v for v in item["values"] if not years or v["year"] in years]
                results.append({**item, "values": values})
            extra = {"variableId": variable_id, "measureUnitId": self.measure_units.get(variable_id, 26),
                     "lastUpdate": LAST_UPDATE}
            return self.page(request, results, extra)
        if path == "/units":
            parent = request.url.params.get("parent-id", "")
            level = request.url.params.get("level")
            results = [u for u in self.units if under(u["id"], parent) and (level is None or str(u["level"]) == level)]
            return self.page(request, results, {})
        if match := re.fullmatch(r"/variables/(\d+)", path):
            if int(match[1]) in self.variables:
                return httpx.Response(200, json=self.variables[int(match[1])], headers=self.headers)
        return httpx.Response(404, json={"errorResult": "not found"})

    def page(self, request: httpx.Request, results: list, extra: dict) -> httpx.Response:
        """One page of a paged body: totalRecords, page, pageSize, links, the endpoint's keys, results."""
        size = self.page_size or int(request.url.params.get("page-size", 10))
        number = int(request.url.params.get("page", 0))
        last = max(0, (len(results) - 1) // size)

        def link(page: int) -> str:
            return str(request.url.copy_set_param("page", str(page)))

        links = {"first": link(0), "self": link(number), "last": link(last)}
        if number > 0:
            links["prev"] = link(number - 1)
        if number < last:
            links["next"] = link(number + 1)
        body = {"totalRecords": len(results), "page": number, "pageSize": size, "links": links, **extra,
                "results": results[number * size:(number + 1) * size]}
        return httpx.Response(200, json=body, headers=self.headers)


def load_sample(shared_data, name: str) -> dict:
    """One of the recorded pyBDL payload files of ../shared/data/bdl_samples."""
    return json.loads(Path(shared_data(f"bdl_samples/pybdl_samples_raw_{name}.json")).read_text(encoding="utf-8"))


def metro_units(shared_data) -> list[dict]:
    """The /units items of the metro gminy: real BDL ids and names from bdl_unit_ids_2010_2018.csv."""
    with Path(shared_data("bdl_unit_ids_2010_2018.csv")).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [{"id": r["bdl_unit_id"], "name": re.sub(r"\s*\(\d\)$", "", r["name_in_source"]),
             "parentId": r["bdl_unit_id"][:9] + "000", "level": 6, "kind": r["bdl_unit_id"][-1],
             "hasDescription": False} for r in rows]


def values_from_sample(sample_values: list[dict], *, factor: float = 1.0) -> list[dict]:
    """Recorded value entries ({"year": str, "val": number, "attrId": int}), optionally rescaled."""
    return [{**v, "val": v["val"] * factor if factor != 1 else v["val"]} for v in sample_values]


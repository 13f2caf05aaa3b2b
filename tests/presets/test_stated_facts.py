"""The preset's stated facts: every value names its original publisher, cites no proxy or mirror and is dated as
its indicator is defined (population at 31 December; no 30-June or 29-February figure stored as a year-end one)."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from obserwatorium.presets.demo import read_settings

PRESET = Path(__file__).resolve().parents[2] / "src" / "obserwatorium" / "presets" / "krakow"
# Where a stated fact may be seen: the original publisher, the encyclopedia article citing it, or a public
# repository holding the publisher's own export. Anything else (web proxies, mirrors, copies) is not a source.
ALLOWED_HOSTS = ("stat.gov.pl", "wikipedia.org", "github.com")
NOT_A_SOURCE = ("corpus", "search tool", "not recorded", "probably", "may not be", "date not stated")


def _rows(name: str) -> list[dict[str, str]]:
    with (PRESET / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _hosts(text: str) -> list[str]:
    return [urlsplit(url).hostname or "" for url in re.findall(r"https?://[^\s)'\"]+", text)]


def _assert_traceable(source: str) -> None:
    assert source.startswith("GUS (Główny Urząd Statystyczny)"), source
    for host in _hosts(source):
        assert any(host == allowed or host.endswith("." + allowed) for allowed in ALLOWED_HOSTS), host
    assert not any(phrase in source.lower() for phrase in NOT_A_SOURCE), source


POPULATION = _rows("population.csv")


@pytest.mark.parametrize("row", POPULATION, ids=[f"{r['teryt']}-{r['year']}" for r in POPULATION])
def test_every_population_value_names_its_publisher_and_a_31_december_date(row):
    _assert_traceable(row["source"])
    assert f"31 Dec {row['year']}" in row["source"]
    assert not re.search(r"30 Jun|29 Feb|czerwca|lutego", row["source"])


def test_no_population_value_is_seen_only_through_a_proxy_or_mirror():
    mirrors = ("de-academic", "710302.xyz", "lescigales", "dweb.link", "ipfs", "infopolska", "nacoidamojepieniadze")
    assert not [row for row in POPULATION if any(m in row["source"] for m in mirrors)]


def test_every_stated_area_names_its_publisher():
    stated = [row for row in _rows("units.csv") if row["area_km2"]]
    for row in stated:
        _assert_traceable(row["area_source"])
        assert re.search(r"1 Jan \d{4}", row["area_source"]), row["area_source"]


def test_population_values_agree_with_the_gus_local_data_bank(shared_data):
    with shared_data("real/bdl_hrpunio_2020.csv").open(encoding="utf-8", newline="") as handle:
        bdl = {(r["teryt"], r["year"]): float(r["value"]) for r in csv.DictReader(handle)
               if r["indicator"].endswith("wiek ogółem; płeć ogółem")}
    compared = [(row, bdl[(row["teryt"], row["year"])]) for row in POPULATION if (row["teryt"], row["year"]) in bdl]
    assert compared
    assert all(float(row["population"]) == value for row, value in compared)


def test_every_member_without_a_stated_figure_has_a_demo_anchor():
    # A dropped fact must not break demo generation: the demo scale for that gmina comes from demo.yaml.
    members = {row["teryt"] for row in _rows("units.csv") if row["membership"] == "member"}
    settings = read_settings("krakow")
    stated = {row["teryt"] for row in POPULATION}
    assert members <= stated | set(settings.anchors)
    assert members <= {row["teryt"] for row in _rows("units.csv") if row["area_km2"]} | set(settings.area_anchors)

"""The real Statistics Poland (BDL) extracts of ../shared/data/real import through the product's importer.

The extracts are tidy long CSVs (teryt,name,indicator,unit,year,value,source). They are imported as they are
(with their BDL labels mapped to catalogue codes by real_bdl_indicators.csv) and rewritten into the shapes BDL
exports come in: wide CTAB tables in Windows-1250 with spaced thousands, CREL long tables with decimal commas,
and workbooks keyed by BDL unit ids. Every value is then read back and compared exactly.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import openpyxl
import pytest

from obserwatorium.indicators.models import Indicator
from obserwatorium.indicators.selectors import observation_frame
from obserwatorium.territory.models import Unit
from tests.ingest.helpers import problems_of, run_import, stored_state

pytestmark = pytest.mark.django_db

MAPPING_FILE = Path(__file__).with_name("real_bdl_indicators.csv")
REAL_FILES = ["real/bdl_unemployed_2003_2024.csv", "real/bdl_hrpunio_2020.csv", "real/bdl_welkierk_2010_2019.csv",
              "real/bdl_elvacc_2020.csv"]


def catalogue_codes() -> dict[str, str]:
    with MAPPING_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["label"]: row["code"] for row in csv.DictReader(handle)}


def real_rows(path: Path) -> list[dict]:
    """The rows of a real extract whose indicator the catalogue has, with its code as `code`."""
    codes = catalogue_codes()
    with path.open(encoding="utf-8", newline="") as handle:
        return [{**row, "code": codes[row["indicator"]]} for row in csv.DictReader(handle)
                if row["indicator"] in codes]


def assert_read_back_exactly(rows: list[dict]) -> None:
    """Every value of `rows` is stored, exactly as the source wrote it, flagged final."""
    indicators = list(Indicator.objects.filter(code__in={row["code"] for row in rows}))
    frame = observation_frame(indicators=indicators)
    stored = {(i, t, p): (v, f) for i, t, p, v, f in frame.select("indicator", "teryt", "period", "value", "flag")
              .iter_rows()}
    for row in rows:
        assert stored[row["code"], row["teryt"], row["year"]] == (float(row["value"]), "final"), row


def polish(text: str) -> str:
    """A source value as a Polish BDL export writes it: decimal comma, thousands apart with a space."""
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return sign + " ".join(groups) + ("," + fraction if fraction else "")


@pytest.mark.parametrize("relative", REAL_FILES)
def test_real_long_extract_imports_and_reads_back_exactly(shared_data, relative):
    path = shared_data(relative)
    rows = real_rows(path)
    assert rows
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["teryt", "name", "indicator", "unit", "year", "value", "source"])
    writer.writeheader()
    writer.writerows({**{k: row[k] for k in writer.fieldnames}, "indicator": row["code"]} for row in rows)
    outcome = run_import(buffer.getvalue(), name=path.name, source="GUS BDL (real extract)")
    assert outcome.ok, outcome.problems[:5]
    assert outcome.values == len(rows)
    assert outcome.counts.inserted + outcome.counts.updated + outcome.counts.unchanged == len(rows)
    assert_read_back_exactly(rows)


def test_registered_unemployed_as_a_bdl_wide_export_in_windows_1250(shared_data):
    rows = real_rows(shared_data("real/bdl_unemployed_2003_2024.csv"))
    years = sorted({row["year"] for row in rows})
    by_unit: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for row in rows:
        by_unit[row["teryt"], row["name"]][row["year"]] = row["value"]
    lines = ['"Kod";"Nazwa";' + ";".join(f'"ogółem;{year};[osoba]"' for year in years) + ";"]
    for (teryt, name), values in by_unit.items():
        cells = [polish(values[year]) if year in values else "" for year in years]
        lines.append(f'{teryt};"{name}";' + ";".join(cells) + ";")
    content = "\r\n".join(lines).encode("cp1250")
    outcome = run_import(content, name="RYNE_1944_CTAB.csv", indicator="registered-unemployed")
    assert outcome.ok, outcome.problems[:5]
    assert (outcome.info["encoding"], outcome.info["layout"]) == ("windows-1250", "wide")
    assert outcome.values == len(rows) == 23 * 22
    assert any(" " in polish(row["value"]) for row in rows)  # Kraków's thousands are written apart
    assert_read_back_exactly(rows)


def crel(rows: list[dict], *, sex: bool) -> bytes:
    header = '"Kod";"Nazwa";"Wiek";"Płeć";"Rok";"Wartosc";"Jednostka miary";"Atrybut";' if sex else \
        '"Kod";"Nazwa";"Rok";"Wartosc";"Jednostka miary";"Atrybut";'
    lines = [header]
    for row in rows:
        dimension = f'"ogółem";"{row["indicator"].rsplit("płeć ", 1)[-1]}";' if sex else ""
        lines.append(f'{row["teryt"]};"{row["name"]}";{dimension}"{row["year"]}";{polish(row["value"])};'
                     f'"{row["unit"]}";"";')
    return "\n".join(lines).encode("cp1250")


def test_population_as_a_bdl_crel_export_holding_three_series_is_refused_by_row(shared_data):
    path = shared_data("real/bdl_hrpunio_2020.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["indicator"].startswith("ludność (LUDN_2137)")]
    before = stored_state()
    outcome = run_import(crel(rows, sex=True), name="LUDN_2137_CREL.csv", indicator="population")
    # Each gmina appears for both sexes and in total: the second and third rows of a gmina repeat its key.
    first_rows = {}
    expected = set()
    for number, row in enumerate(rows, start=2):
        if row["teryt"] in first_rows:
            expected.add((number, "Kod, Rok", "duplicate"))
        first_rows.setdefault(row["teryt"], number)
    assert problems_of(outcome) == expected and len(expected) == 46
    assert stored_state() == before

    totals = [row for row in rows if row["indicator"].endswith("płeć ogółem")]
    for row in totals:
        row["code"] = "population"
    outcome = run_import(crel(totals, sex=True), name="LUDN_2137_CREL.csv", indicator="population")
    assert outcome.ok, outcome.problems[:5]
    assert_read_back_exactly(totals)
    assert next(o for o in totals if o["teryt"] == "1261011")["value"] == "779966"


def test_per_capita_revenues_as_a_crel_export_with_decimal_commas(shared_data):
    rows = [row for row in real_rows(shared_data("real/bdl_elvacc_2020.csv"))
            if row["code"] == "own-revenues-per-capita"]
    content = crel(rows, sex=False)
    assert b"2 613,35" in content
    outcome = run_import(content, name="P2627_CREL.csv", indicator="own-revenues-per-capita")
    assert outcome.ok, outcome.problems[:5]
    assert_read_back_exactly(rows)


def test_age_groups_and_area_as_a_workbook_keyed_by_bdl_unit_ids(shared_data):
    rows = real_rows(shared_data("real/bdl_welkierk_2010_2019.csv"))
    bdl_ids = dict(Unit.objects.gminy().values_list("teryt", "bdl_unit_id"))
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {}
    by_code: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for row in rows:
        by_code[row["code"]][row["teryt"]][row["year"]] = row["value"]
    for code, units in by_code.items():
        sheet = sheets[code] = book.create_sheet(code[:31])
        years = sorted({year for values in units.values() for year in values})
        sheet.append(["Kod", "Nazwa", *[int(year) for year in years]])
        for teryt, values in units.items():
            # The BDL unit id typed as a number loses its leading zero, as a spreadsheet does.
            sheet.append([int(bdl_ids[teryt]), teryt, *[float(values[y]) if y in values else None for y in years]])
    buffer = io.BytesIO()
    book.save(buffer)
    for code in by_code:
        outcome = run_import(buffer.getvalue(), name="welkierk.xlsx", sheet=code[:31], indicator=code)
        assert outcome.ok, outcome.problems[:5]
    assert_read_back_exactly(rows)


def test_a_malformed_real_file_changes_nothing_and_its_report_names_the_bad_rows(shared_data):
    rows = real_rows(shared_data("real/bdl_unemployed_2003_2024.csv"))
    lines = ["teryt;nazwa;wskaźnik;rok;wartość"]
    lines += [f'{row["teryt"]};{row["name"]};{row["code"]};{row["year"]};{polish(row["value"])}' for row in rows]
    lines[10] = lines[10].replace(rows[9]["teryt"], "1206999", 1)      # row 11: a TERYT no unit has
    lines[40] = lines[40].rsplit(";", 1)[0] + ";b.d."                  # row 41: not a number
    lines[80] = lines[80].rsplit(";", 1)[0] + ";-12"                   # row 81: below the lowest value
    lines.append(lines[200])                                          # last row: repeats row 201
    before = stored_state()
    outcome = run_import("\n".join(lines).encode("cp1250"), name="bezrobocie.csv")
    assert problems_of(outcome) == {(11, "teryt", "unit_unknown"), (41, "wartość", "value_bad"),
                                    (81, "wartość", "value_below"),
                                    (len(lines), "teryt, wskaźnik, rok", "duplicate")}
    assert stored_state() == before


@pytest.mark.parametrize("relative", REAL_FILES)
def test_real_extract_reads_back_exactly_through_the_api(shared_data, client, relative):
    """What the importer stored is what the public JSON API answers, value for value."""
    path = shared_data(relative)
    rows = real_rows(path)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["teryt", "indicator", "year", "value"])
    writer.writeheader()
    writer.writerows({"teryt": row["teryt"], "indicator": row["code"], "year": row["year"], "value": row["value"]}
                     for row in rows)
    assert run_import(buffer.getvalue(), name=path.name, source="GUS BDL (real extract)").ok
    answered: dict[tuple[str, str, str], tuple[float, str]] = {}
    for code in sorted({row["code"] for row in rows}):
        url = f"/api/observations?indicator={code}&page_size=10000"
        while url:
            body = client.get(url).json()
            answered.update({(i["indicator"], i["teryt"], i["period"]): (i["value"], i["flag"])
                             for i in body["items"]})
            url = body["next"]
    for row in rows:
        assert answered[row["code"], row["teryt"], row["year"]] == (float(row["value"]), "final"), row

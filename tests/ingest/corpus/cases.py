"""The bad-input corpus: each case a file built in code and the exact outcome the importer must give.

`refused` lists every problem as (row, column, code), and nothing may be written; `accepted` lists every value
stored, as {(TERYT, indicator, period): value}, compared exactly.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field

from tests.ingest.workbooks import ods, xlsx, zip_bomb_xlsx

H = "teryt;indicator;period;value\n"
R1 = "1206012;population;1991;5\n"
K = "teryt, indicator, period"


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    file_name: str = "data.csv"
    options: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    refused: frozenset = frozenset()
    accepted: dict | None = None


def csv(name, text, *, encoding="utf-8", refused=(), accepted=None, **options) -> Case:
    return Case(name, text.encode(encoding) if isinstance(text, str) else text, options=options,
                refused=frozenset(refused), accepted=accepted)


def book(name, content, file_name, *, refused=(), accepted=None, settings=None, **options) -> Case:
    return Case(name, content, file_name=file_name, options=options, settings=settings or {},
                refused=frozenset(refused), accepted=accepted)


P = "population"
ONE = {("1206012", P, "1991"): 5.0}
ROWS = [["teryt", "indicator", "period", "value"], ["1206012", P, "1991", 5]]
WIDE = '"Kod";"Nazwa";"ogółem;1991;[osoba]";"ogółem;1992;[osoba]"\n'
TABLE_ODS = ('<table:table-row table:number-rows-repeated="20000"><table:table-cell office:value-type="float" '
             'office:value="1" table:number-columns-repeated="1000"/></table:table-row>')
# 401 periods of the observatory's years (1900–2100) per gmina: every year and every January but the last.
HUGE_PERIODS = [str(y) for y in range(1900, 2101)] + [f"{y}-01" for y in range(1900, 2100)]
HUGE_ROWS = "".join(f"{t};{P};{p};{n};{'x' * 200}\n" for t in ("1206012", "1206022", "1206052", "1206072")
                    for n, p in enumerate(HUGE_PERIODS))

CASES: list[Case] = [
    # Encodings
    csv("utf8", H + R1, accepted=ONE),
    csv("utf8-bom", "\ufeff" + H + R1, accepted=ONE),
    csv("cp1250-polish-header", "kod;wskaźnik;rok;wartość\n" + R1, encoding="cp1250", accepted=ONE),
    csv("iso-8859-2", "kod;wskaźnik;rok;wartość;nazwa\n1206012;population;1991;5;Świątniki Śląskie\n",
        encoding="iso-8859-2", accepted=ONE),
    csv("utf16-bom", H + R1, encoding="utf-16", accepted=ONE),
    csv("utf16-truncated", (H + R1).encode("utf-16")[:-1], refused=[(None, "", "encoding_broken")]),
    csv("utf8-bom-broken", codecs.BOM_UTF8 + b"teryt;value\n\xff\xfe", refused=[(None, "", "encoding_broken")]),
    csv("cp1250-value-text", H + "1206012;population;1991;pięć\n", encoding="cp1250",
        refused=[(2, "value", "value_bad")]),
    # Separators
    csv("comma", "teryt,indicator,period,value\n1206012,population,1991,5\n", accepted=ONE),
    csv("tab", "teryt\tindicator\tperiod\tvalue\n1206012\tpopulation\t1991\t5\n", accepted=ONE),
    csv("comma-quoted-decimal-comma", 'teryt,indicator,period,value\n1206012,population,1991,"5,5"\n',
        accepted={("1206012", P, "1991"): 5.5}),
    csv("crlf", (H + R1).replace("\n", "\r\n"), accepted=ONE),
    csv("lone-cr", (H + R1).replace("\n", "\r"), accepted=ONE),
    # Decimal commas and thousands
    csv("decimal-comma", H + "1206012;population;1991;1234,5\n", accepted={("1206012", P, "1991"): 1234.5}),
    csv("spaced-thousands", H + "1206012;population;1991;1 234 567,25\n",
        accepted={("1206012", P, "1991"): 1234567.25}),
    csv("nbsp-thousands", H + "1206012;population;1991;1\u00a0234\n", accepted={("1206012", P, "1991"): 1234.0}),
    csv("dot-thousands", H + "1206012;population;1991;1.234,5\n", accepted={("1206012", P, "1991"): 1234.5}),
    csv("comma-thousands", H + '1206012;population;1991;"1,234.5"\n', accepted={("1206012", P, "1991"): 1234.5}),
    csv("dot-is-a-decimal", H + "1206012;population;1991;1.234\n", accepted={("1206012", P, "1991"): 1.234}),
    csv("exponent", H + "1206012;population;1991;1,5e-10\n", accepted={("1206012", P, "1991"): 1.5e-10}),
    csv("unicode-minus", H + "1206012;population;1991;\u22125\n", refused=[(2, "value", "value_below")]),
    csv("percent", H + "1206012;population;1991;5%\n", refused=[(2, "value", "value_bad")]),
    csv("currency", H + "1206012;population;1991;5 zł\n", refused=[(2, "value", "value_bad")]),
    csv("two-commas", H + "1206012;population;1991;1,2,3\n", refused=[(2, "value", "value_bad")]),
    # Units
    csv("unknown-teryt", H + "9999999;population;1991;5\n", refused=[(2, "teryt", "unit_unknown")]),
    csv("type-less-teryt", H + "120601;population;1991;5\n", refused=[(2, "teryt", "unit_unknown")]),
    csv("teryt-part-of-gmina", H + "1206114;population;1991;5\n", refused=[(2, "teryt", "unit_part")]),
    csv("teryt-empty", H + ";population;1991;5\n", refused=[(2, "teryt", "unit_missing")]),
    csv("teryt-letters", H + "12O6O12;population;1991;5\n", refused=[(2, "teryt", "unit_unknown")]),
    csv("teryt-spaced", H + "12 06 012;population;1991;5\n", accepted=ONE),
    csv("powiat-code", H + "1206;population;1991;5\n", accepted={("1206", P, "1991"): 5.0}),
    csv("powiat-as-7-digits", H + "1206000;population;1991;5\n", accepted={("1206", P, "1991"): 5.0}),
    csv("bdl-unit-id", H + "011212161011;population;1991;5\n", accepted={("1261011", P, "1991"): 5.0}),
    csv("bdl-unit-id-zero-stripped", H + "11212161011;population;1991;5\n", accepted={("1261011", P, "1991"): 5.0}),
    csv("teryt-as-float-text", H + "1206012.0;population;1991;5\n", accepted=ONE),
    # Indicators, duplicates and aliases
    csv("indicator-unknown", H + "1206012;populacja;1991;5\n", refused=[(2, "indicator", "indicator_unknown")]),
    csv("indicator-case", H + "1206012;POPULATION;1991;5\n", accepted=ONE),
    csv("indicator-empty-none-chosen", H + "1206012;;1991;5\n", refused=[(2, "indicator", "indicator_missing")]),
    csv("indicator-empty-chosen", H + "1206012;;1991;5\n", indicator=P, accepted=ONE),
    csv("duplicate-rows", H + R1 + R1, refused=[(3, K, "duplicate")]),
    csv("duplicate-via-alias-codes", H + R1 + "011212006012;population;1991;6\n", refused=[(3, K, "duplicate")]),
    csv("duplicate-via-period-forms", H + "1206012;population;2020-Q1;5\n1206012;population;Q1 2020;6\n",
        refused=[(3, K, "duplicate")]),
    csv("header-aliases", "Kod TERYT;Kod wskaźnika;Okres;Obs_value;Flaga\n1206012;population;1991;5;wstępna\n",
        accepted=ONE),
    csv("two-value-columns", "teryt;indicator;period;value;wartość\n1206012;population;1991;5;6\n",
        accepted=ONE),
    # NaN, inf and ranges
    csv("nan", H + "1206012;population;1991;NaN\n", refused=[(2, "value", "value_bad")]),
    csv("inf", H + "1206012;population;1991;inf\n", refused=[(2, "value", "value_bad")]),
    csv("minus-inf", H + "1206012;population;1991;-Infinity\n", refused=[(2, "value", "value_bad")]),
    csv("overflow", H + "1206012;population;1991;1e400\n", refused=[(2, "value", "value_bad")]),
    csv("hex", H + "1206012;population;1991;0x10\n", refused=[(2, "value", "value_bad")]),
    csv("below-minimum", H + "1206012;population;1991;-5\n", refused=[(2, "value", "value_below")]),
    csv("period-1799", H + "1206012;population;1799;5\n", refused=[(2, "period", "period_bad")]),
    csv("period-month-13", H + "1206012;population;2020-13;5\n", refused=[(2, "period", "period_bad")]),
    csv("period-quarter-5", H + "1206012;population;2020-Q5;5\n", refused=[(2, "period", "period_bad")]),
    csv("period-range", H + "1206012;population;2019-2020;5\n", refused=[(2, "period", "period_bad")]),
    csv("period-empty", H + "1206012;population;;5\n", refused=[(2, "period", "period_missing")]),
    csv("period-month", H + "1206012;population;03.2020;5\n", accepted={("1206012", P, "2020-03"): 5.0}),
    csv("flag-unknown", "teryt;indicator;period;value;flag\n1206012;population;1991;5;maybe\n",
        refused=[(2, "flag", "flag_bad")]),
    csv("confidential-empty", "teryt;indicator;period;value;flag\n1206012;population;1991;;c\n",
        accepted={("1206012", P, "1991"): None}),
    # Truncated, ragged, short and swallowed rows
    csv("truncated-last-line", H + R1 + "1206022;populat",
        refused=[(3, "indicator", "indicator_unknown"), (3, "period", "period_missing"),
                 (3, "value", "value_missing")]),
    csv("short-row", H + "1206012;population;1991\n", refused=[(2, "value", "value_missing")]),
    csv("empty-value", H + "1206012;population;1991;\n", refused=[(2, "value", "value_missing")]),
    csv("empty-value-skipped", H + "1206012;population;1991;\n" + "1206022;population;1991;5\n",
        skip_empty=True, accepted={("1206022", P, "1991"): 5.0}),
    csv("no-value-sign", H + R1 + "1206022;population;1991;-\n", accepted=ONE),
    csv("no-value-sign-bad-unit", H + R1 + "9999999;population;1991;x\n", refused=[(3, "teryt", "unit_unknown")]),
    csv("ragged-long-row", H + "1206012;population;1991;5;stray\n",
        refused=[(2, "kolumna 5", "unnamed_column")]),
    csv("unclosed-quote", H + '1206012;"population;1991;5\n1206022;population;1991;6\n',
        refused=[(2, "indicator", "line_break_in_cell"), (2, "indicator", "indicator_unknown"),
                 (2, "period", "period_missing"), (2, "value", "value_missing")]),
    csv("quote-in-value", H + '1206012;population;1991;"5\n1206022;population;1991;6\n',
        refused=[(2, "value", "line_break_in_cell"), (2, "value", "value_bad")]),
    csv("quote-unclosed-at-the-end", H + '1206012;population;1991;"5\n', accepted=ONE),
    csv("only-header", H, refused=[(1, "", "no_data")]),
    csv("empty", "", refused=[(None, "", "file_empty")]),
    csv("blank-lines", "\n\n  \n", refused=[(None, "", "file_empty")]),
    csv("title-lines-above-header", "Ludność\nGUS 2024\n" + H + R1, accepted=ONE),
    # Merged headers, BDL CTAB and CREL with attributes
    csv("merged-header-rows", "Kod;Nazwa;ogółem;ogółem\n;;1991;1992\n1206012;Czernichów;5;6\n", indicator=P,
        accepted={("1206012", P, "1991"): 5.0, ("1206012", P, "1992"): 6.0}),
    csv("bdl-ctab", WIDE + '"1206012";"Czernichów";"5";"6"\n', encoding="cp1250", indicator=P,
        accepted={("1206012", P, "1991"): 5.0, ("1206012", P, "1992"): 6.0}),
    csv("bdl-ctab-trailing-separator", WIDE.rstrip("\n") + ";\n" + '"1206012";"Czernichów";"5";"6";\n',
        encoding="cp1250", indicator=P, accepted={("1206012", P, "1991"): 5.0, ("1206012", P, "1992"): 6.0}),
    csv("bdl-ctab-empty-year", WIDE + '"1206012";"Czernichów";"5";""\n', encoding="cp1250", indicator=P,
        refused=[(2, "ogółem;1992;[osoba]", "value_missing")]),
    csv("bdl-ctab-twice-a-year", '"Kod";"Nazwa";"ogółem;1991;[osoba]";"kobiety;1991;[osoba]"\n'
        '"1206012";"Czernichów";"5";"6"\n', indicator=P, refused=[(1, "kobiety;1991;[osoba]", "period_column_twice")]),
    csv("bdl-crel-attributes", "Kod;Nazwa;Rok;Wartosc;Jednostka miary;Atrybut\n1206012;Czernichów;1991;5,5;osoba;1\n",
        encoding="cp1250", indicator=P, accepted={("1206012", P, "1991"): 5.5}),
    csv("wide-without-indicator", WIDE + '"1206012";"Czernichów";"5";"6"\n', refused=[(1, "", "indicator_needed")]),
    csv("missing-value-column", "teryt;indicator;period\n1206012;population;1991\n",
        refused=[(1, "", "column_missing")]),
    # Formula injection
    csv("formula-in-value", H + "1206012;population;1991;=HYPERLINK(\"http://x\")\n",
        refused=[(2, "value", "value_bad")]),
    csv("formula-in-teryt", H + "=1+1206012;population;1991;5\n", refused=[(2, "teryt", "unit_unknown")]),
    csv("formula-in-indicator", H + "1206012;@SUM(A1);1991;5\n", refused=[(2, "indicator", "indicator_unknown")]),
    # Workbooks: correct, corrupt and mislabelled
    book("xlsx", xlsx(ROWS), "data.xlsx", accepted=ONE),
    book("xlsx-exact-float", xlsx([ROWS[0], ["1206012", P, 1991, 1 / 3]]), "data.xlsx",
         accepted={("1206012", P, "1991"): 1 / 3}),
    book("xlsx-teryt-as-number", xlsx([ROWS[0], [1206012, P, 1991, 5]]), "data.xlsx", accepted=ONE),
    book("ods", ods(ROWS), "data.ods", accepted=ONE),
    book("ods-exact-float", ods([ROWS[0], ["1206012", P, 1991, 1.5e-10]]), "data.ods",
         accepted={("1206012", P, "1991"): 1.5e-10}),
    book("xlsx-named-csv", xlsx(ROWS), "data.csv", accepted=ONE),
    book("csv-named-xlsx", (H + R1).encode(), "data.xlsx", accepted=ONE),
    book("xlsx-truncated", xlsx(ROWS)[:700], "data.xlsx", refused=[(None, "", "file_unreadable")]),
    book("zip-not-a-workbook", b"PK\x03\x04" + b"\0" * 200, "data.xlsx", refused=[(None, "", "file_unreadable")]),
    book("ole2-garbage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "data.xls",
         refused=[(None, "", "file_unreadable")]),
    book("xlsx-missing-sheet", xlsx(ROWS), "data.xlsx", sheet="Arkusz9", refused=[(None, "", "sheet_missing")]),
    book("xlsx-bad-value", xlsx([ROWS[0], ["1206012", P, 1991, "pięć"]]), "data.xlsx",
         refused=[(2, "value", "value_bad")]),
    book("xlsx-empty-value", xlsx([ROWS[0], ["1206012", P, 1991, None]]), "data.xlsx",
         refused=[(2, "value", "value_missing")]),
    # Sparse and zip bombs
    book("xlsx-sparse-bomb", xlsx(ROWS, extra_cells={"XFD1048576": 1}), "bomb.xlsx",
         refused=[(None, "", "sheet_too_large")]),
    book("xlsx-declared-dimension", xlsx(ROWS, dimension="A1:XFD1048576"), "bomb.xlsx",
         refused=[(None, "", "sheet_too_large")]),
    book("ods-repeat-bomb", ods(table_xml=TABLE_ODS), "bomb.ods", refused=[(None, "", "sheet_too_large")]),
    book("xlsx-zip-bomb", zip_bomb_xlsx(12 << 20), "bomb.xlsx", settings={"OBS_IMPORT_MAX_INFLATED_MB": 8},
         refused=[(None, "", "inflated_too_large")]),
    book("xlsx-ratio-bomb", zip_bomb_xlsx(12 << 20), "bomb.xlsx", refused=[(None, "", "compression_ratio")]),
    # Huge files and cells
    csv("huge-file-last-row-bad", "teryt;indicator;period;value;nazwa\n" + HUGE_ROWS + "1206012;population;1991;?;x\n",
        refused=[(1606, "value", "value_bad"), (1606, K, "duplicate")]),
    csv("huge-cell-ragged", H + R1 + "1206022;population;1991;5;stray\n1206052;population;1991;" + "9" * 140_000
        + "\n", refused=[(4, "", "cell_too_long")]),
    csv("long-cell", H + "1206012;population;1991;" + "9," * 3000 + "\n", refused=[(2, "value", "value_bad")]),
    csv("long-teryt", H + "1" * 5000 + ";population;1991;5\n", refused=[(2, "teryt", "unit_unknown")]),
]

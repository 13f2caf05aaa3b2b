"""Benchmark: peak memory of reading spreadsheet and zip bombs, before and after the pre-parse checks (not a test).

Run: .venv/bin/python bench/import_bombs.py
Each bomb is read in a fresh process and its peak resident memory (ru_maxrss) printed: "unchecked" reads it as
the importer did before (the spreadsheet library directly, under a 4 GiB address-space cap so that the machine
survives), "checked" does what the import worker does (the declared-size checks, then the read).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAP = 4 << 30
BOMBS = ("sparse-xlsx", "dimension-xlsx", "repeat-ods", "zip-bomb-xlsx")


def build(name: str) -> bytes:
    sys.path.insert(0, str(ROOT))
    from tests.ingest.workbooks import ods, xlsx, zip_bomb_xlsx

    rows = [["teryt", "indicator", "period", "value"], ["1206012", "population", "1991", 5]]
    return {
        "sparse-xlsx": lambda: xlsx(rows, extra_cells={"XFD1048576": 1}),
        "dimension-xlsx": lambda: xlsx(rows, dimension="A1:XFD1048576"),
        "repeat-ods": lambda: ods(table_xml='<table:table-row table:number-rows-repeated="20000"><table:table-cell '
                                  'office:value-type="float" office:value="1" table:number-columns-repeated="1000"/>'
                                  "</table:table-row>"),
        "zip-bomb-xlsx": lambda: zip_bomb_xlsx(5 << 30),
    }[name]()


def measure(name: str, mode: str) -> None:
    content = build(name)
    from obserwatorium.ingest.inspection import ReadLimits, check_workbook
    from obserwatorium.ingest.readers import UnreadableFile, read_grid

    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
    start = time.perf_counter()
    try:
        if mode == "checked":
            check_workbook(content, ReadLimits())
        grid = read_grid(content)
        result = f"read {grid.frame.shape}"
    except UnreadableFile as error:
        result = f"refused: {error.code}"
    except MemoryError:
        result = "MemoryError"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10
    print(f"{name:16} {len(content) >> 10:>7} KiB {mode:9} peak {peak:>6} MB  {time.perf_counter() - start:6.1f} s  "
          f"{result}", flush=True)


def main() -> None:
    if len(sys.argv) == 3:
        measure(sys.argv[1], sys.argv[2])
        return
    for name in BOMBS:
        for mode in ("unchecked", "checked"):
            done = subprocess.run([sys.executable, __file__, name, mode], capture_output=True, text=True, timeout=900)
            if done.returncode:
                print(f"{name:16} {'':>11} {mode:9} died (exit {done.returncode}): "
                      f"{(done.stderr.strip().splitlines() or [''])[-1][:90]}", flush=True)
            else:
                print(done.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()

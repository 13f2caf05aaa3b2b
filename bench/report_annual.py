"""The yearly effects report of 2022 as PDF: building the document, the charts, and typst alone (the floor).

    python -m bench.report_annual --repeat 3

A scratch database with the Kraków preset and its demo data; prints the median of each step: reading the
registries into the document model, the whole PDF (charts by vl-convert + typst), and compiling the same typst
project again with its charts already written (the floor the PDF cannot go below). Target: the PDF in ≤ 10 s.
"""

from __future__ import annotations

from bench._report_timing import run


def main() -> None:
    run(description=__doc__.splitlines()[0], label="yearly report",
        builder="obserwatorium.reports.annual:build_annual", database="bench_report_annual")


if __name__ == "__main__":
    main()

"""The Strategy 2030 monitoring report as PDF: building the document, the charts, and typst alone (the floor).

    python -m bench.report_monitoring --repeat 3

A scratch database with the Kraków preset and its demo data; prints the median of each step: reading the targets,
their series and the strategy tree into the document model, the whole PDF (charts by vl-convert + typst), and
compiling the same typst project again with its charts already written (the floor the PDF cannot go below).
"""

from __future__ import annotations

from bench._report_timing import run


def main() -> None:
    run(description=__doc__.splitlines()[0], label="monitoring report",
        builder="obserwatorium.reports.monitoring:build_monitoring", database="bench_report_monitoring")


if __name__ == "__main__":
    main()

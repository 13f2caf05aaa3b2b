"""Page weight and first contentful paint per public page type, in headless chromium, beside their budgets.

    nice python -m bench.page_weight [--data-dir /tmp/obs-pages] [--loads 5] [--port 8104]
                                     [--network none|4g] [--width 1280]

Sets up (once; kept) a data folder with the Kraków preset and its demo data, starts `obserwatorium serve` on it
and loads every public page type of the accessibility matrix (src/obserwatorium/web/accessibility_checks.yaml,
the same list the axe checks walk) in Debian's chromium, each load in a fresh browser context (an empty cache,
as a first visit). Per page it prints the bytes transferred (document and every resource, as the browser
received them, compressed where the server compressed), the number of requests, and the medians of first
contentful paint and of the load event, each beside its budget.

The baseline, measured in the same run and the same browser: a minimal HTML page (one heading, no resource)
served by Python's own http.server, the floor under which no page of any server on this machine can paint.
`--network 4g` has chromium emulate a slow 4G link (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, as
Lighthouse's mobile profile), where weight turns into time.
"""

from __future__ import annotations

import argparse
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench._serve import answering

REPOSITORY = Path(__file__).resolve().parents[1]
CHECKS = REPOSITORY / "src" / "obserwatorium" / "web" / "accessibility_checks.yaml"

# Budgets per page: bytes transferred on a first visit and first contentful paint. The paint budget is
# Google's "good" first contentful paint (1.8 s, on a mobile link); on this machine's loopback a page should
# paint far below it. Pages with a chart carry the chart library (vega, read once and then cached by the
# browser for a year); every other page stays under 300 KB.
WEIGHT_BUDGET_KB = 300
CHART_WEIGHT_BUDGET_KB = 600
FCP_BUDGET_MS = 1800
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}

MEASURE = """() => {
  const navigation = performance.getEntriesByType('navigation')[0];
  const resources = performance.getEntriesByType('resource');
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const sum = (key) => resources.reduce((total, entry) => total + (entry[key] || 0), 0);
  return {
    transferred: navigation.transferSize + sum('transferSize'),
    decoded: navigation.decodedBodySize + sum('decodedBodySize'),
    requests: 1 + resources.length,
    fcp: paint ? paint.startTime : null,
    ttfb: navigation.responseStart,
    load: navigation.loadEventEnd,
    charts: resources.some((entry) => entry.name.includes('vega')),
  };
}"""


@dataclass
class Figure:
    label: str
    path: str
    transferred_kb: float
    decoded_kb: float
    requests: int
    ttfb_ms: float
    fcp_ms: float
    load_ms: float
    charts: bool

    @property
    def weight_budget(self) -> int:
        return CHART_WEIGHT_BUDGET_KB if self.charts else WEIGHT_BUDGET_KB

    @property
    def meets(self) -> bool:
        return self.transferred_kb <= self.weight_budget and self.fcp_ms <= FCP_BUDGET_MS


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/tmp/obs-pages", help="data folder (kept; set up on first run)")
    parser.add_argument("--loads", type=int, default=5, help="cold loads per page (default 5)")
    parser.add_argument("--port", type=int, default=8104, help="port of the server the pages are loaded from")
    parser.add_argument("--network", choices=("none", "4g"), default="none", help="emulated link (default none)")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in px (default 1280; try 390)")
    return parser.parse_args(argv)


def _environment(data_dir: str) -> dict[str, str]:
    return {**os.environ, "OBS_DATA_DIR": data_dir, "PYTHONPATH": str(REPOSITORY / "src"),
            "OBS_SECRET_KEY": os.environ.get("OBS_SECRET_KEY", "benchmark-only-not-secret")}


def _command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "obserwatorium.cli", *arguments]


def _prepare(data_dir: str) -> None:
    """The preset with demo data, the translations and the chart bundle, once per data folder."""
    marker = Path(data_dir) / "bench-page-weight.ready"
    if marker.exists():
        return
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    print(f"setting up {data_dir} with the krakow preset and demo data …", flush=True)
    for arguments in (("setup", "--demo"), ("translations",), ("assets",)):
        subprocess.run(_command(*arguments), env=_environment(data_dir), check=True,
                       stdout=subprocess.DEVNULL)
    marker.touch()


def _serve(data_dir: str, port: int) -> subprocess.Popen:
    server = subprocess.Popen(_command("serve", "--port", str(port)), env=_environment(data_dir),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return answering(server, f"http://127.0.0.1:{port}/sign-in/", "obserwatorium serve", tries=150, every=0.2)


def _baseline_server() -> tuple[http.server.ThreadingHTTPServer, str]:
    """A minimal page (one heading) from Python's own server: the floor of paint time on this machine."""
    folder = tempfile.mkdtemp(prefix="obs-bench-baseline-")
    Path(folder, "index.html").write_text('<!doctype html><html lang="pl"><meta charset="utf-8"><title>x</title>'
                                          "<h1>Obserwatorium</h1></html>", encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=folder, **kwargs)

        def log_message(self, *args):  # noqa: D102 - the bench prints its own lines
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/index.html"


def _pages() -> list[tuple[str, str]]:
    """(label, path) of every public page type the axe matrix checks, in its order."""
    checks = yaml.safe_load(CHECKS.read_text(encoding="utf-8"))
    return [(page["en"], page["path"]) for page in checks["pages"]]


def _load(browser, url: str, *, width: int, network: str) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="pl-PL")
    try:
        page = context.new_page()
        if network == "4g":
            session = context.new_cdp_session(page)
            session.send("Network.enable")
            session.send("Network.emulateNetworkConditions", SLOW_4G)
        response = page.goto(url, wait_until="load")
        if response is None or response.status != 200:
            raise RuntimeError(f"HTTP {response.status if response else '—'}")
        # The paint entry is recorded with the frame it names, which may come after the load event.
        page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0",
                               timeout=10_000)
        return page.evaluate(MEASURE)
    finally:
        context.close()


def _measure(browser, label: str, url: str, path: str, args: argparse.Namespace) -> Figure:
    samples = [_load(browser, url, width=args.width, network=args.network) for _ in range(args.loads)]
    first = samples[0]
    return Figure(label=label, path=path, transferred_kb=first["transferred"] / 1000,
                  decoded_kb=first["decoded"] / 1000, requests=first["requests"],
                  ttfb_ms=statistics.median(sample["ttfb"] for sample in samples),
                  fcp_ms=statistics.median(sample["fcp"] for sample in samples),
                  load_ms=statistics.median(sample["load"] for sample in samples), charts=first["charts"])


def _print(figure: Figure) -> None:
    verdict = "meets" if figure.meets else "OVER"
    print(f"{figure.label[:34]:<34} {figure.transferred_kb:>8.0f} {figure.weight_budget:>6} "
          f"{figure.decoded_kb:>8.0f} {figure.requests:>4} {figure.ttfb_ms:>7.0f} {figure.fcp_ms:>7.0f} "
          f"{FCP_BUDGET_MS:>6} "
          f"{figure.load_ms:>7.0f}  {verdict:<5}  {figure.path}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Set up the site once, then load every public page type cold and print weight and paint times."""
    args = _arguments(argv)
    data_dir = str(Path(args.data_dir).resolve())
    _prepare(data_dir)
    server = _serve(data_dir, args.port)
    baseline, baseline_url = _baseline_server()
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores; {args.loads} cold loads per "
                  f"page; viewport {args.width} px; network {args.network}")
            print(f"\n{'page':<34} {'sent KB':>8} {'budget':>6} {'raw KB':>8} {'req':>4} {'TTFB ms':>7} "
                  f"{'FCP ms':>7} {'budget':>6} {'load ms':>7}  {'':<5}  path")
            _print(_measure(browser, "baseline: minimal page, http.server", baseline_url, "(baseline)", args))
            figures = []
            for label, path in _pages():
                try:
                    figure = _measure(browser, label, f"http://127.0.0.1:{args.port}{path}", path, args)
                except RuntimeError as error:
                    print(f"{label[:34]:<34} {error}  {path}")
                    continue
                figures.append(figure)
                _print(figure)
            browser.close()
        over = [figure.label for figure in figures if not figure.meets]
        print(f"\n{len(figures) - len(over)} of {len(figures)} page types within budget"
              + (f"; over: {', '.join(over)}" if over else ""))
    finally:
        baseline.shutdown()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1:])

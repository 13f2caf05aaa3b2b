"""`obserwatorium serve --workers 1` against `--workers 2`: throughput of one API read under concurrent clients.

Sets up DATA_DIR once (`obserwatorium setup --preset krakow --demo`, reused when it exists), then for each worker
count starts `obserwatorium serve` on PORT, warms it up and sends REQUESTS GETs of URL from CLIENTS threads, each
with its own keep-alive connection (http.client), with a browser's Accept-Encoding. The API's body cache is off
(OBS_API_CACHE_SECONDS=0), so every answer is built by the site. Prints requests per second, median and p95 in
ms, and each worker's resident memory afterwards.

    python -m bench.serve_workers [--requests 400] [--clients 8] [--workers 1 2] [--data-dir DIR] [--port 8102]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

URL = "/api/observations?indicator=population&page_size=200"
ACCEPT = {"Accept-Encoding": "gzip, deflate, br", "Accept-Language": "pl"}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="GETs per worker count (default 400)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (default 8)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--data-dir", default="/tmp/obs-bench-serve", help="the site's data folder")
    parser.add_argument("--port", type=int, default=8102, help="port of the `obserwatorium serve` it starts")
    return parser.parse_args()


def _environment(data_dir: str) -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**{k: v for k, v in os.environ.items() if k != "OBS_DATABASE_URL"}, "OBS_DATA_DIR": data_dir,
            "PYTHONPATH": src, "OBS_API_CACHE_SECONDS": "0", "OBS_DEBUG": "0",
            "OBS_SECRET_KEY": os.environ.get("OBS_SECRET_KEY", "bench-only-secret-key-not-for-production")}


def _command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "obserwatorium.cli", *arguments]


def _set_up(env: dict[str, str]) -> None:
    if (Path(env["OBS_DATA_DIR"]) / "obserwatorium.sqlite3").exists():
        return
    Path(env["OBS_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    print("setting up the site (once) ...", flush=True)
    subprocess.run(_command("setup", "--preset", "krakow", "--demo"), env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _get(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", URL, headers=ACCEPT)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            _get(port)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start") from None
            time.sleep(0.3)


def _load(port: int, requests: int, clients: int) -> tuple[float, list[float]]:
    """Wall seconds and per-request milliseconds of REQUESTS GETs shared by CLIENTS keep-alive connections."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [requests]

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            started = time.perf_counter()
            connection.request("GET", URL, headers=ACCEPT)
            response = connection.getresponse()
            response.read()
            assert response.status == 200, response.status
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies


def _resident_mb(pid: int) -> list[float]:
    """Resident memory (MB) of the process, or of its children when it has any (the workers)."""
    pids = [int(stat.parent.name) for stat in Path("/proc").glob("[0-9]*/stat")
            if _parent(stat) == pid] or [pid]
    sizes = []
    for worker in pids:
        for line in Path(f"/proc/{worker}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return sizes


def _parent(stat: Path) -> int:
    try:
        return int(stat.read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError):
        return 0


def main() -> None:
    """Compare the worker counts and print one line each."""
    args = _arguments()
    env = _environment(args.data_dir)
    _set_up(env)
    print(f"GET {URL}, {args.requests} requests from {args.clients} clients; load average "
          f"{os.getloadavg()[0]:.1f}; {os.cpu_count()} cores")
    print("| workers | requests/s | median ms | p95 ms | resident MB per process |")
    print("|---|---|---|---|---|")
    for workers in args.workers:
        # Waitress's "task queue depth" warnings say only that every thread is busy, which is the point here.
        process = subprocess.Popen(_command("serve", "--port", str(args.port), "--workers", str(workers)), env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_until_up(args.port, process)
            _load(args.port, args.clients * 4, args.clients)  # warm up every worker's caches
            seconds, latencies = _load(args.port, args.requests, args.clients)
            memory = ", ".join(f"{size:.0f}" for size in _resident_mb(process.pid))
            p95 = statistics.quantiles(latencies, n=20)[-1]
            print(f"| {workers} | {len(latencies) / seconds:.1f} | {statistics.median(latencies):.0f} | {p95:.0f} "
                  f"| {memory} |", flush=True)
        finally:
            process.terminate()
            process.wait(timeout=60)


if __name__ == "__main__":
    main()

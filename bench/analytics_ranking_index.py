"""Benchmark: ranking and a composite index over 2,477 units × 50 indicators × 20 years (not a test).

Run: .venv/bin/python bench/analytics_ranking_index.py [--repeat N]
Each step is timed for the analytics package and for a hand-written polars baseline in the same run, and the two
results are checked to agree.
"""

from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import numpy as np
import polars as pl

from obserwatorium.analytics.composite import Component, IndexSpec, compute_index
from obserwatorium.analytics.ranking import rank

UNITS, INDICATORS, YEARS = 2_477, 50, 20


def synthetic_panel(seed: int = 2030) -> tuple[pl.DataFrame, dict[str, str]]:
    """A long frame of plausible values with 2 % missing, and each indicator's direction."""
    rng = np.random.default_rng(seed)
    units = [f"{1_000_000 + i:07d}" for i in range(UNITS)]
    indicators = [f"ind-{k:02d}" for k in range(INDICATORS)]
    years = [str(2004 + y) for y in range(YEARS)]
    size = UNITS * INDICATORS * YEARS
    values = rng.lognormal(mean=3.0, sigma=0.8, size=size)
    values[rng.random(size) < 0.02] = np.nan
    frame = pl.DataFrame({
        "indicator": np.repeat(indicators, UNITS * YEARS),
        "unit": np.tile(np.repeat(units, YEARS), INDICATORS),
        "period": np.tile(years, UNITS * INDICATORS),
        "value": values,
        "flag": "final",
    }).with_columns(pl.col("value").fill_nan(None))
    directions = {code: "higher" if k % 3 else "lower" for k, code in enumerate(indicators)}
    return frame, directions


def best_of(repeat: int, step: Callable[[], pl.DataFrame]) -> tuple[float, pl.DataFrame]:
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        timings.append(time.perf_counter() - start)
    return min(timings), result


def ranks_package(frame: pl.DataFrame, directions: dict[str, str]) -> pl.DataFrame:
    parts = []
    for direction in ("higher", "lower"):
        codes = [c for c, d in directions.items() if d == direction]
        parts.append(rank(frame.filter(pl.col("indicator").is_in(codes)), direction, by=("indicator", "period")))
    return pl.concat(parts).select("indicator", "unit", "period", "rank")


def ranks_baseline(frame: pl.DataFrame, directions: dict[str, str]) -> pl.DataFrame:
    lower = [c for c, d in directions.items() if d == "lower"]
    oriented = pl.when(pl.col("indicator").is_in(lower)).then(-pl.col("value")).otherwise(pl.col("value"))
    return frame.select("indicator", "unit", "period", oriented.rank("min", descending=True)
                        .over("indicator", "period").cast(pl.Int64).alias("rank"))


def index_package(frame: pl.DataFrame, directions: dict[str, str], contributions: bool = True) -> pl.DataFrame:
    spec = IndexSpec(tuple(Component(c, 1.0, d) for c, d in directions.items()), missing="reweight")
    units = frame["unit"].unique().sort().to_list()
    periods = frame["period"].unique().sort().to_list()
    index, _contributions = compute_index(spec, frame, units, periods, with_contributions=contributions)
    return index.select("unit", "period", "index")


def index_package_without_contributions(frame: pl.DataFrame, directions: dict[str, str]) -> pl.DataFrame:
    return index_package(frame, directions, contributions=False)


def index_baseline(frame: pl.DataFrame, directions: dict[str, str]) -> pl.DataFrame:
    lower = [c for c, d in directions.items() if d == "lower"]
    stats = frame.group_by("indicator").agg(pl.col("value").min().alias("lo"), pl.col("value").max().alias("hi"))
    scored = frame.join(stats, on="indicator").with_columns(
        ((pl.col("value") - pl.col("lo")) / (pl.col("hi") - pl.col("lo"))).alias("score"))
    scored = scored.with_columns(pl.when(pl.col("indicator").is_in(lower)).then(1 - pl.col("score"))
                                 .otherwise(pl.col("score")).alias("score"))
    return scored.group_by("unit", "period").agg(
        (pl.col("score").mean() * 100).alias("index"),  # equal weights, reweighted over present scores
        (pl.col("score").count() / INDICATORS).alias("share"),
    ).filter(pl.col("share") >= 0.5).select("unit", "period", "index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    start = time.perf_counter()
    frame, directions = synthetic_panel()
    print(f"panel: {frame.height:,} rows ({UNITS:,} units × {INDICATORS} indicators × {YEARS} years), "
          f"built in {time.perf_counter() - start:.2f} s; polars {pl.__version__}, Python {platform.python_version()}, "
          f"{pl.thread_pool_size()} threads")
    results = {}
    for name, package, baseline in (("ranking", ranks_package, ranks_baseline),
                                    ("index+contrib.", index_package, index_baseline),
                                    ("index only", index_package_without_contributions, index_baseline)):
        ours, ours_result = best_of(repeat, lambda package=package: package(frame, directions))
        base, base_result = best_of(repeat, lambda baseline=baseline: baseline(frame, directions))
        key = ["indicator", "unit", "period"] if name == "ranking" else ["unit", "period"]
        column = "rank" if name == "ranking" else "index"
        joined = ours_result.join(base_result, on=key, how="full", coalesce=True, suffix="_base")
        differs = joined.filter(~((pl.col(column) - pl.col(f"{column}_base")).abs() < 1e-6)
                                & ~(pl.col(column).is_null() & pl.col(f"{column}_base").is_null()))
        assert differs.height == 0, f"{name}: {differs.height} rows differ from the baseline"
        results[name] = (ours, base)
        print(f"{name:15s} analytics package {ours:7.3f} s   hand-written polars {base:7.3f} s   "
              f"ratio {ours / base:5.2f}   ({ours_result.height:,} results, best of {repeat})")


if __name__ == "__main__":
    main()

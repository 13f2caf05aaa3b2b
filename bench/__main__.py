"""List the benchmarks: `python -m bench`."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    """Print every benchmark module with the first line of its docstring."""
    print("Benchmarks (run from the repository root; OBS_DATABASE_URL selects PostgreSQL):")
    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        doc = (importlib.import_module(f"bench.{module.name}").__doc__ or "").strip().splitlines()
        print(f"  python -m bench.{module.name:<24} {doc[0] if doc else ''}")


if __name__ == "__main__":
    main()

"""Where presets live and how their data files are read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PRESETS_DIR = Path(__file__).resolve().parent


def preset_dir(name: str) -> Path:
    path = PRESETS_DIR / name
    if not (path / "units.csv").exists():
        raise FileNotFoundError(f"no preset named {name!r} in {PRESETS_DIR}")
    return path


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)

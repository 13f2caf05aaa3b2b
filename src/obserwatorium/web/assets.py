"""Static assets generated from installed wheels at set-up time (nothing is fetched at run time)."""

from __future__ import annotations

from pathlib import Path

import vl_convert
from django.conf import settings

VEGA_BUNDLE = "vendor/vega-bundle.js"


def vega_bundle_path() -> Path:
    return Path(settings.STATICFILES_DIRS[0]) / VEGA_BUNDLE


def build_assets(*, force: bool = False) -> Path:
    """Write the Vega/Vega-Lite/vega-embed bundle from vl-convert into the assets folder."""
    target = vega_bundle_path()
    stamp = target.with_suffix(".version")
    version = vl_convert.__version__ if hasattr(vl_convert, "__version__") else "bundled"
    if force or not target.exists() or not stamp.exists() or stamp.read_text() != version:
        target.parent.mkdir(parents=True, exist_ok=True)
        # The snippet is optional at run time (the default puts vegaEmbed & co. on window); the stub says otherwise.
        target.write_text(vl_convert.javascript_bundle(), encoding="utf-8")  # type: ignore[call-arg]
        stamp.write_text(version)
    return target

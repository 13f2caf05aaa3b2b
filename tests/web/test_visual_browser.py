"""Visual regression: every public page type, drawn in Debian chromium, compared with its reference picture.

The pages come from a site of their own (the Kraków preset with demo data, set up in a scratch SQLite folder),
so what earlier tests wrote through the served site cannot change them. A picture is the whole page at half
scale in 64 colours (enough to see a moved, hidden or restyled block; small enough to keep in the repository).
A page differs when more than `TOLERANCE` of its pixels moved by more than `CHANNEL_STEP` in a colour channel;
the failure leaves the new picture and a difference image beside it and names them.

References live in tests/web/visual/. After an intended change of the look, draw them again and look at them:

    OBS_UPDATE_VISUAL=1 .venv/bin/pytest tests/web/test_visual_browser.py

Pixels do not depend on the database engine, so the pages are compared once, in the SQLite pass.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.conftest import start_site

pytestmark = [pytest.mark.browser, pytest.mark.served_only]

REFERENCES = Path(__file__).parent / "visual"
TOLERANCE = 0.015
CHANNEL_STEP = 48
WIDTHS = {"desktop": 1280, "phone": 390}
CHARTS_SETTLED = "() => [...document.querySelectorAll('[data-spec]')].every(c => c.dataset.drawn)"

# (name, path): one page of each public type whose content does not follow today's date (the calendar, the
# home page's coming meetings and "Moje sprawy" do, and would differ from one day to the next).
PAGES = [
    ("indicator", "/indicators/own-revenues-per-capita/"),
    ("indicator-catalogue", "/indicators/"),
    ("municipality", "/units/biskupice/"),
    ("units", "/units/"),
    ("rankings", "/analytics/rankings/"),
    ("index", "/analytics/indices/index-overall/"),
    ("compare", "/compare/?units=1261011,1219053,1206113&domain=economy&group=members"),
    ("domain", "/domains/environment-space/"),
    ("strategy", "/strategy/"),
    ("forum", "/forums/komunikacja-i-promocja/"),
    ("projects", "/projects/"),
    ("project", "/projects/comanage/"),
    ("partners", "/partners/"),
    ("documents", "/documents/"),
    ("browse-observations", "/browse/observations/?domain=economy&year=2021&sort=-value"),
    ("annual-report", "/reports/annual/2022/"),
    ("card", "/reports/card/1206113/"),
    ("sign-in", "/sign-in/"),
]
IN_ENGLISH_TOO = {"indicator", "municipality", "compare", "annual-report"}
CASES = [(name, path, "pl", width) for name, path in PAGES for width in WIDTHS] + [
    (name, path, "en", width) for name, path in PAGES if name in IN_ENGLISH_TOO for width in WIDTHS]


@pytest.fixture(scope="module")
def pristine_site(tmp_path_factory) -> Iterator[str]:
    """A site of the preset and its demo data alone, served from a scratch SQLite folder."""
    if os.environ.get("OBS_DATABASE_URL", "").startswith("postg"):
        pytest.skip("pictures do not depend on the engine: they are compared in the SQLite pass")
    folder = tmp_path_factory.mktemp("visual")
    env = {key: value for key, value in os.environ.items() if key != "OBS_DATABASE_URL"}
    env.update({"OBS_DATA_DIR": str(folder / "data"), "OBS_DEBUG": "0",
                "OBS_SECRET_KEY": os.environ.get("OBS_SECRET_KEY", "test-only-secret-key")})
    (folder / "data").mkdir()
    for command in (("setup", "--demo"), ("assets",)):
        subprocess.run([sys.executable, "-m", "obserwatorium.cli", *command], env=env, check=True,
                       stdout=subprocess.DEVNULL)
    process, url = start_site(env, folder)
    yield url
    process.terminate()
    process.wait(timeout=10)


def picture(page) -> Image.Image:
    """The whole page at half scale in 64 colours, as it is stored."""
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True, animations="disabled", caret="hide")))
    half = shot.convert("RGB").resize((shot.width // 2, shot.height // 2), Image.Resampling.LANCZOS)
    return half.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def differing_share(expected: Image.Image, actual: Image.Image) -> tuple[float, Image.Image]:
    """The share of pixels moved by more than CHANNEL_STEP in some channel (a part one picture has and the other
    lacks counts as moved), and the mask of the moved pixels of the part both have."""
    width, height = min(expected.width, actual.width), min(expected.height, actual.height)
    box = (0, 0, width, height)
    difference = ImageChops.difference(expected.convert("RGB").crop(box), actual.convert("RGB").crop(box))
    red, green, blue = difference.split()
    mask = ImageChops.lighter(ImageChops.lighter(red, green), blue).point(
        lambda level: 255 if level > CHANNEL_STEP else 0)
    whole = max(expected.width * expected.height, actual.width * actual.height)
    moved = mask.histogram()[255] + whole - width * height
    return moved / whole, mask


@pytest.mark.parametrize(("name", "path", "language", "width"), CASES,
                         ids=[f"{name}-{language}-{width}" for name, _, language, width in CASES])
def test_page_looks_as_its_reference(pristine_site, browser, tmp_path, name, path, language, width):
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900}, device_scale_factor=1)
    try:
        context.add_cookies([{"name": "django_language", "value": language, "url": pristine_site}])
        page = context.new_page()
        response = page.goto(pristine_site + path, wait_until="networkidle")
        assert response is not None and response.status == 200
        page.wait_for_function(CHARTS_SETTLED)
        page.evaluate("() => document.fonts.ready")
        actual = picture(page)
    finally:
        context.close()
    reference = REFERENCES / f"{name}-{language}-{width}.png"
    if os.environ.get("OBS_UPDATE_VISUAL") == "1":
        REFERENCES.mkdir(exist_ok=True)
        actual.save(reference, optimize=True)
        return
    assert reference.exists(), (f"no reference picture {reference.name}: draw it with OBS_UPDATE_VISUAL=1, "
                                "look at it, and commit it")
    expected = Image.open(reference)
    share, mask = differing_share(expected, actual)
    if share > TOLERANCE:
        actual.save(tmp_path / f"{name}-{language}-{width}.new.png")
        mask.save(tmp_path / f"{name}-{language}-{width}.difference.png")
        pytest.fail(f"{path} ({language}, {width}): {share:.1%} of the page differs from its reference "
                    f"(more than {TOLERANCE:.1%}; size {expected.size}, now {actual.size}); the new picture and "
                    f"the difference are in {tmp_path}")


def test_a_moved_block_or_a_longer_page_counts_as_a_difference():
    page = Image.new("RGB", (200, 400), "white")
    page.paste((20, 60, 120), (10, 10, 190, 60))  # a heading bar
    assert differing_share(page, page.copy())[0] == 0
    moved = Image.new("RGB", (200, 400), "white")
    moved.paste((20, 60, 120), (10, 40, 190, 90))
    assert differing_share(page, moved)[0] > TOLERANCE
    longer = Image.new("RGB", (200, 440), "white")
    longer.paste(page, (0, 0))
    assert differing_share(page, longer)[0] == pytest.approx(40 / 440)
    faint = page.point(lambda level: min(255, level + CHANNEL_STEP // 2))  # anti-aliasing, not a change
    assert differing_share(page, faint)[0] == 0

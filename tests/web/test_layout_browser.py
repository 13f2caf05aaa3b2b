"""Layout measured in the real page at a desktop (1280 px) and a phone (390 px) width, in Polish and English.

Each test loads a page once and checks the geometry a reader would see: nothing clipped by its own scroll frame,
nothing wider than its box, list markers inside their cards, a checkbox on the line of its label.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS_AND_LANGUAGES = [(1280, "pl"), (1280, "en"), (390, "pl"), (390, "en")]
CHARTS_SETTLED = "() => [...document.querySelectorAll('[data-spec]')].every(c => c.dataset.drawn)"

# Right edges (px) of what must be seen whole: the ranking's value cells against their scroll frame and the
# viewport, the drawn map against its box, and the page against the viewport.
INDICATOR_GEOMETRY = """() => {
  const right = e => e.getBoundingClientRect().right;
  const ranking = document.querySelector('table.ranking');
  const frame = ranking.closest('.table-scroll');
  const map = document.querySelector('#chart-map');
  const drawn = map.querySelector('svg.marks');
  return {
    viewport: document.documentElement.clientWidth, page: document.documentElement.scrollWidth,
    frame: right(frame), frameScroll: [frame.scrollWidth, frame.clientWidth],
    values: [...ranking.querySelectorAll('tr > :last-child')].map(right),
    map: right(map), mapScroll: [map.scrollWidth, map.clientWidth],
    drawn: [drawn.getBoundingClientRect().left - map.getBoundingClientRect().left, right(drawn)],
  };
}"""


def _open(page, site_url: str, path: str, width: int, language: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_function(CHARTS_SETTLED)


@pytest.mark.parametrize(("width", "language"), WIDTHS_AND_LANGUAGES)
def test_indicator_ranking_and_map_are_seen_whole(site_url, page, width, language):
    _open(page, site_url, "/indicators/own-revenues-per-capita/", width, language)
    found = page.evaluate(INDICATOR_GEOMETRY)
    limit = min(found["frame"], found["viewport"]) + 0.5
    assert all(edge <= limit for edge in found["values"]), found  # the value column is not cut off
    assert found["frameScroll"][0] <= found["frameScroll"][1], found
    assert found["drawn"][0] >= -0.5 and found["drawn"][1] <= found["map"] + 0.5, found  # the map fits its box
    assert found["mapScroll"][0] <= found["mapScroll"][1], found
    assert found["page"] <= found["viewport"], found
    assert page.problems == []


# Every list item drawn as a card: its marker (if any) would sit outside the card's border, and its first line
# of content should start at the card's padding, not a heading's page margin further down.
CARD_GEOMETRY = """() => [...document.querySelectorAll('li.card')].map(card => {
  const style = getComputedStyle(card);
  const first = card.firstElementChild.getBoundingClientRect().top - card.getBoundingClientRect().top;
  const inset = parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
  return {marker: style.listStyleType === 'none' || style.listStylePosition === 'inside', gap: first - inset};
})"""

# Each checkbox of a filter form and its label: the box on the label's line, the label one line high.
CHECKBOX_GEOMETRY = """() => [...document.querySelectorAll('form.filters input[type=checkbox]')].map(box => {
  const label = document.querySelector(`label[for="${box.id}"]`);
  const b = box.getBoundingClientRect(), l = label.getBoundingClientRect();
  const middle = b.top + b.height / 2;
  return {sameLine: middle >= l.top && middle <= l.bottom, boxWidth: b.width,
          lines: l.height / parseFloat(getComputedStyle(label).lineHeight)};
})"""


@pytest.mark.parametrize(("width", "language"), [(1280, "en"), (390, "pl")])
def test_index_cards_and_event_filters_keep_their_layout(site_url, page, width, language):
    _open(page, site_url, "/analytics/indices/", width, language)
    cards = page.evaluate(CARD_GEOMETRY)
    assert cards and all(card["marker"] for card in cards), cards
    assert all(card["gap"] <= 1 for card in cards), cards
    _open(page, site_url, "/events/", width, language)
    boxes = page.evaluate(CHECKBOX_GEOMETRY)
    assert boxes, "the events filter has its past-events checkbox"
    assert all(box["sameLine"] and box["boxWidth"] < 40 and box["lines"] < 1.5 for box in boxes), boxes
    assert page.problems == []


# The rankings page's table on a phone: every column in its scroll frame, none behind its edge.
RANKING_TABLE_GEOMETRY = """() => {
  const frame = document.querySelector('table.ranking').closest('.table-scroll');
  const edge = frame.getBoundingClientRect().right;
  return {frame: [frame.scrollWidth, frame.clientWidth],
          hidden: [...frame.querySelectorAll('thead th')].filter(th => th.getClientRects().length
                   && th.getBoundingClientRect().right > edge + 0.5).map(th => th.textContent)};
}"""


@pytest.mark.parametrize("language", ["pl", "en"])
def test_rankings_table_fits_a_phone(site_url, page, language):
    for indicator in ("population", "own-revenues-per-capita"):  # a count (no positions) and a ranked rate
        _open(page, site_url, f"/analytics/rankings/?indicator={indicator}", 390, language)
        found = page.evaluate(RANKING_TABLE_GEOMETRY)
        assert found["frame"][0] <= found["frame"][1] and not found["hidden"], (indicator, found)

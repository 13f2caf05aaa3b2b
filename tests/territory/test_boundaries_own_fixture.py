"""Boundary import on a GeoJSON file written for the tests (tests/territory/fixtures/two_gminy.geojson), so a
clone without ../shared/data still tests matching by TERYT, the shared border and ring orientation."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import shape

from obserwatorium.territory.models import Unit
from obserwatorium.territory.services import import_boundaries

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "fixtures" / "two_gminy.geojson"


def boundary(teryt):
    return shape(Unit.objects.get(teryt=teryt, valid_to=None).boundary)


def test_features_match_gminy_by_teryt_and_the_stranger_is_reported():
    report = import_boundaries(path=FIXTURE, simplify_metres=0)
    assert sorted(u.teryt for u in report.matched) == ["1206012", "1206032"]
    assert [code for code, _name in report.unmatched] == ["9999999"]
    assert Unit.objects.get(teryt="1206022", valid_to=None).boundary is None


def test_stored_boundaries_are_valid_share_their_side_and_run_clockwise():
    import_boundaries(path=FIXTURE, simplify_metres=0)
    west, east = boundary("1206012"), boundary("1206032")
    assert west.is_valid and east.is_valid
    assert west.bounds == pytest.approx((19.6, 49.95, 19.7, 50.05))
    assert west.intersection(east).area == 0
    assert west.boundary.intersection(east.boundary).length == pytest.approx(0.1)
    for geometry in (west, east):
        polygons = getattr(geometry, "geoms", [geometry])
        assert all(not polygon.exterior.is_ccw for polygon in polygons)


def test_a_dry_run_stores_nothing():
    report = import_boundaries(path=FIXTURE, simplify_metres=0, dry_run=True)
    assert len(report.matched) == 2
    assert Unit.objects.get(teryt="1206012", valid_to=None).boundary is None

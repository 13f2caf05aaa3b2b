"""Boundary import: GeoJSON and PRG shapefiles, matching by TERYT, shared borders kept, rings oriented."""

from __future__ import annotations

import json
import zipfile
from io import StringIO

import pytest
import shapefile
import shapely
from django.core.management import CommandError, call_command
from pyproj import CRS, Transformer
from pyproj.enums import WktVersion
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from obserwatorium.territory.geo.readers import PRG_CRS, WGS84, BoundaryFileError
from obserwatorium.territory.geo.shapes import reproject
from obserwatorium.territory.models import Level, Unit
from obserwatorium.territory.services import import_boundaries

pytestmark = pytest.mark.django_db
FIXTURE = "gminy_krakow_metro.geojson"
KRAKOW = "1261011"


@pytest.fixture
def fixture_path(shared_data):
    return shared_data(FIXTURE)


@pytest.fixture
def features(fixture_path):
    return json.loads(fixture_path.read_text(encoding="utf-8"))["features"]


def write_geojson(tmp_path, features, name="boundaries.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def boundary(teryt):
    return shape(Unit.objects.get(teryt=teryt, valid_to=None).boundary)


def neighbours_of(teryt, geometries):
    return [code for code, g in geometries.items() if code != teryt and g.touches(geometries[teryt])]


def borders_shared(a, b, original_length) -> bool:
    """Neighbours still meet along one common line: no overlap, and most of the border is still common."""
    overlap = a.intersection(b).area / min(a.area, b.area)
    common = a.boundary.intersection(b.boundary).length
    return overlap < 1e-9 and common > 0.5 * original_length


def test_geojson_import_stores_every_matched_gmina_in_wgs84(fixture_path):
    report = import_boundaries(path=fixture_path, simplify_metres=0)
    assert len(report.matched) == 23 and not report.unmatched and not report.skipped
    assert {u.level for u in report.matched} == {Level.GMINA}
    assert not report.without_boundary
    krakow = boundary(KRAKOW)
    assert krakow.is_valid
    minx, miny, maxx, maxy = krakow.bounds
    assert 19.7 < minx < maxx < 20.3 and 49.9 < miny < maxy < 50.2
    # Kraków is about 327 km²: measured on the stored boundary in metres.
    assert reproject([krakow], WGS84, PRG_CRS)[0].area / 1e6 == pytest.approx(328, abs=3)


def test_outer_rings_clockwise_and_holes_counter_clockwise_whatever_the_input(tmp_path, features):
    # RFC 7946 files run the other way round (outer rings counter-clockwise); add a hole to one gmina as well.
    turned = []
    for feature in features:
        geometry = orient(shape(feature["geometry"]).geoms[0], sign=1.0)
        if feature["properties"]["teryt"] == KRAKOW:
            hole = shapely.buffer(geometry.centroid, 0.005).exterior
            geometry = orient(shapely.Polygon(geometry.exterior, [hole]), sign=1.0)
        turned.append({**feature, "geometry": mapping(geometry)})
    import_boundaries(path=write_geojson(tmp_path, turned), simplify_metres=0)
    for unit in Unit.objects.gminy().current():
        geometry = shape(unit.boundary)
        for polygon in getattr(geometry, "geoms", [geometry]):
            assert not polygon.exterior.is_ccw, unit.name
            assert all(ring.is_ccw for ring in polygon.interiors), unit.name
    assert len(boundary(KRAKOW).interiors) == 1


def test_simplification_keeps_shared_borders_shared(fixture_path, features):
    original = {f["properties"]["teryt"]: shape(f["geometry"]) for f in features}
    report = import_boundaries(path=fixture_path, simplify_metres=1000)
    assert report.vertices_after < report.vertices_before * 0.9
    stored = {u.teryt: shape(u.boundary) for u in Unit.objects.gminy().current()}
    neighbours = neighbours_of(KRAKOW, original)
    assert len(neighbours) >= 10
    for code in neighbours:
        length = original[KRAKOW].boundary.intersection(original[code].boundary).length
        assert borders_shared(stored[KRAKOW], stored[code], length), code
    # No gaps or overlaps anywhere: the pieces still add up to their union.
    metres = reproject(list(stored.values()), WGS84, PRG_CRS)
    assert sum(g.area for g in metres) == pytest.approx(shapely.union_all(metres).area, rel=1e-9)
    # Simplifying each gmina on its own (what this import must not do) breaks the same check.
    naive = {code: reproject([shapely.simplify(g, 1000)], PRG_CRS, WGS84)[0]
             for code, g in zip(original, reproject(list(original.values()), WGS84, PRG_CRS), strict=True)}
    assert not all(borders_shared(naive[KRAKOW], naive[code],
                                  original[KRAKOW].boundary.intersection(original[code].boundary).length)
                   for code in neighbours)


def test_unmatched_features_and_units_left_without_boundary_are_reported(tmp_path, features):
    kept = [f for f in features if f["properties"]["teryt"] != "1206072"]  # no Liszki
    bochnia = {**features[0], "properties": {"teryt": "1201011", "name": "Bochnia"}}
    # Geometries of units not asked for are not even read.
    drwinia = {"type": "Feature", "properties": {"teryt": "1201032", "name": "Drwinia"},
               "geometry": {"type": "Polygon", "coordinates": "unreadable"}}
    report = import_boundaries(path=write_geojson(tmp_path, [*kept, bochnia, drwinia]), simplify_metres=0)
    assert report.unmatched == [("1201011", "Bochnia"), ("1201032", "Drwinia")]
    assert [u.teryt for u in report.without_boundary] == ["1206072"]
    assert Unit.objects.get(teryt="1206072").boundary is None


def test_codes_without_the_type_digit_and_prg_property_names_match(tmp_path, features):
    krakow = next(f for f in features if f["properties"]["teryt"] == KRAKOW)
    renamed = {**krakow, "properties": {"kod": "126101", "nazwa": "Kraków"}}
    prg_named = {**features[0], "properties": {"JPT_KOD_JE": features[0]["properties"]["teryt"]}}
    report = import_boundaries(path=write_geojson(tmp_path, [renamed, prg_named]), simplify_metres=0)
    assert sorted(u.teryt for u in report.matched) == sorted([KRAKOW, features[0]["properties"]["teryt"]])


def test_dry_run_stores_nothing(fixture_path):
    report = import_boundaries(path=fixture_path, dry_run=True)
    assert len(report.matched) == 23
    assert not Unit.objects.filter(boundary__isnull=False).exists()


def write_prg_shapefile(folder, features, stem="gminy"):
    """A small PRG-like shapefile: polygons reprojected to EPSG:2180, TERYT in JPT_KOD_JE, a .prj."""
    to_prg = Transformer.from_crs(WGS84, PRG_CRS, always_xy=True)
    with shapefile.Writer(str(folder / stem), shapeType=shapefile.POLYGON) as writer:
        writer.field("JPT_KOD_JE", "C", size=10)
        writer.field("JPT_NAZWA_", "C", size=100)
        for feature in features:
            polygon = orient(shape(feature["geometry"]).geoms[0], sign=-1.0)  # shapefiles: outer rings clockwise
            rings = [polygon.exterior, *polygon.interiors]
            writer.poly([[list(to_prg.transform(x, y)) for x, y in ring.coords] for ring in rings])
            writer.record(feature["properties"]["teryt"], feature["properties"]["name"])
    (folder / f"{stem}.prj").write_text(CRS.from_epsg(2180).to_wkt(WktVersion.WKT1_ESRI))
    return folder / f"{stem}.shp"


def test_prg_shapefile_in_epsg_2180_gives_the_same_boundaries_as_geojson(tmp_path, fixture_path, features):
    import_boundaries(path=fixture_path, simplify_metres=200)
    from_geojson = {u.teryt: shape(u.boundary) for u in Unit.objects.gminy().current()}
    Unit.objects.update(boundary=None)
    report = import_boundaries(path=write_prg_shapefile(tmp_path, features), simplify_metres=200)
    assert len(report.matched) == 23 and not report.notes
    for unit in Unit.objects.gminy().current():
        assert shape(unit.boundary).equals_exact(from_geojson[unit.teryt], tolerance=1e-5), unit.name


def test_prg_zip_picks_the_gminy_layer(tmp_path, features):
    folder = tmp_path / "prg"
    folder.mkdir()
    write_prg_shapefile(folder, features)
    write_prg_shapefile(folder, features[:2], stem="powiaty")
    archive = tmp_path / "PRG_jednostki_administracyjne.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in sorted(folder.iterdir()):
            bundle.write(part, f"PRG/{part.name}")
    report = import_boundaries(path=archive, simplify_metres=0)
    assert len(report.matched) == 23


def test_unreadable_files_are_refused_without_changes(tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json")
    with pytest.raises(BoundaryFileError, match="not valid JSON"):
        import_boundaries(path=broken)
    with pytest.raises(BoundaryFileError, match="expected a .shp"):
        import_boundaries(path=tmp_path)
    assert not Unit.objects.filter(boundary__isnull=False).exists()


def test_geo_command_reports(fixture_path, tmp_path, features):
    out = StringIO()
    call_command("geo", "import", str(fixture_path), "--simplify", "0", stdout=out)
    assert "23 features; stored 23 boundaries" in out.getvalue()
    extra = {**features[0], "properties": {"teryt": "1201011", "name": "Bochnia"}}
    out = StringIO()
    call_command("geo", "import", str(write_geojson(tmp_path, [extra])), "--dry-run", stdout=out)
    assert "would store 0 boundaries" in out.getvalue()
    assert "Features matching no unit in the territory table: 1: 1201011 Bochnia" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("geo", "import", str(tmp_path / "missing.shp"))


def test_setup_imports_the_boundaries_it_is_given(fixture_path, tmp_path):
    out = StringIO()
    call_command("setup", "--boundaries", str(fixture_path), stdout=out)
    assert "23 features; stored 23 boundaries" in out.getvalue()
    assert boundary(KRAKOW).area > 0


def test_setup_refuses_a_missing_boundary_file_before_writing_anything(tmp_path):
    before = Unit.objects.filter(boundary__isnull=False).count()
    with pytest.raises(CommandError, match="no such file"):
        call_command("setup", "--boundaries", str(tmp_path / "missing.zip"))
    assert Unit.objects.filter(boundary__isnull=False).count() == before

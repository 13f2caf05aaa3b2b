"""Reading boundary files: the register of boundaries (PRG shapefile, .shp or .zip, EPSG:2180) and GeoJSON."""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import shapefile
from pyproj import CRS
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

PRG_CRS = CRS.from_epsg(2180)  # PUWG 1992, the system of the register of boundaries
WGS84 = CRS.from_epsg(4326)
CODE_FIELDS = ("teryt", "jpt_kod_je", "kod")  # first present wins, compared case-insensitively
NAME_FIELDS = ("name", "jpt_nazwa_", "nazwa")
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


class BoundaryFileError(Exception):
    """The file cannot be read as boundaries."""


@dataclass(frozen=True)
class Feature:
    code: str
    name: str
    geometry: BaseGeometry


@dataclass
class BoundaryFile:
    features: list[Feature]
    crs: CRS
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # features without a code or a polygon
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of features not asked for


def _pick(properties: dict, names: tuple[str, ...]) -> str:
    lowered = {str(k).casefold(): v for k, v in properties.items()}
    for name in names:
        value = lowered.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


Wanted = Callable[[str], bool]


def read_boundaries(path: Path, *, wanted: Wanted | None = None) -> BoundaryFile:
    """Features with a TERYT code and a polygonal geometry, in the file's own coordinate system.

    Features whose code `wanted` refuses are only listed (a national PRG layer holds 2,477 gminy: their
    geometries are not even read).
    """
    suffix = path.suffix.casefold()
    if not path.exists():
        raise BoundaryFileError(f"no such file: {path}")
    if suffix in (".geojson", ".json"):
        return _read_geojson(path, wanted)
    if suffix == ".shp":
        return _read_shapefile(path, wanted)
    if suffix == ".zip":
        with _unzipped_shapefile(path) as shp:
            return _read_shapefile(shp, wanted)
    raise BoundaryFileError(f"{path.name}: expected a .shp, a .zip of a shapefile, or a .geojson file")


def _add(result: BoundaryFile, properties: dict, geometry: BaseGeometry | None, where: str) -> None:
    code, name = _pick(properties, CODE_FIELDS), _pick(properties, NAME_FIELDS)
    if not code:
        result.skipped.append(f"{where}: no TERYT code (property teryt, JPT_KOD_JE or kod)")
    elif geometry is None or geometry.is_empty or geometry.geom_type not in ("Polygon", "MultiPolygon"):
        result.skipped.append(f"{where} {code} {name}: no polygon")
    else:
        result.features.append(Feature(code=code, name=name, geometry=geometry))


def _is_wanted(properties: dict, wanted: Wanted | None, result: BoundaryFile) -> bool:
    code = _pick(properties, CODE_FIELDS)
    if wanted is None or not code or wanted(code):
        return True
    result.ignored.append((code, _pick(properties, NAME_FIELDS)))
    return False


def _read_geojson(path: Path, wanted: Wanted | None) -> BoundaryFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise BoundaryFileError(f"{path.name} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryFileError(f"{path.name} is not a GeoJSON FeatureCollection")
    # RFC 7946 GeoJSON is WGS84; older files may still name another system in a `crs` member.
    crs_name = ((document.get("crs") or {}).get("properties") or {}).get("name")
    result = BoundaryFile(features=[], crs=CRS.from_user_input(crs_name) if crs_name else WGS84)
    for index, feature in enumerate(document.get("features") or []):
        properties = (feature or {}).get("properties") or {}
        if not _is_wanted(properties, wanted, result):
            continue
        raw = (feature or {}).get("geometry")
        try:
            geometry = shape(raw) if raw else None
        except (ValueError, TypeError, AttributeError) as exc:
            raise BoundaryFileError(f"{path.name}: feature {index} has an unreadable geometry ({exc})") from exc
        _add(result, properties, geometry, f"feature {index}")
    return result


def _read_shapefile(path: Path, wanted: Wanted | None) -> BoundaryFile:
    prj, cpg = path.with_suffix(".prj"), path.with_suffix(".cpg")
    notes = []
    if prj.exists():
        crs = CRS.from_wkt(prj.read_text(encoding="utf-8", errors="replace"))
    else:
        crs = PRG_CRS
        notes.append(f"{path.name} has no .prj; assumed EPSG:2180 (PUWG 1992), the system of the PRG register")
    encoding = cpg.read_text(encoding="ascii", errors="replace").strip() if cpg.exists() else "utf-8"
    result = BoundaryFile(features=[], crs=crs, notes=notes)
    try:
        with shapefile.Reader(str(path), encoding=encoding or "utf-8", encodingErrors="replace") as reader:
            for index, record in enumerate(reader.iterRecords()):
                properties = record.as_dict()
                if not _is_wanted(properties, wanted, result):
                    continue
                outline = reader.shape(index)
                geometry = shape(outline.__geo_interface__) if outline.points else None
                _add(result, properties, geometry, f"record {index}")
    except shapefile.ShapefileException as exc:
        raise BoundaryFileError(f"{path.name} is not a readable shapefile: {exc}") from exc
    return result


@contextmanager
def _unzipped_shapefile(path: Path) -> Iterator[Path]:
    """Extract the gminy shapefile of a PRG archive (or its only shapefile) into a temporary folder."""
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BoundaryFileError(f"{path.name} is not a zip archive") from exc
    with archive, tempfile.TemporaryDirectory(prefix="obs-boundaries-") as folder:
        layers = [n for n in archive.namelist() if n.casefold().endswith(".shp")]
        chosen = layers if len(layers) == 1 else [n for n in layers if "gmin" in Path(n).stem.casefold()]
        if len(chosen) != 1:
            listed = ", ".join(layers) or "none"
            raise BoundaryFileError(f"{path.name} holds {len(layers)} shapefiles ({listed}); extract the one with "
                                    "the units you want and import its .shp")
        stem = chosen[0][:-4]
        for name in archive.namelist():
            if name[:-4] == stem and name[-4:].casefold() in SHAPEFILE_PARTS:
                archive.extract(name, folder)
        yield Path(folder) / chosen[0]

"""Frictionless Data Packages: datapackage.json describing CSV resources, written to a folder or a zip."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from obserwatorium.downloads.csvfile import CsvWriter
from obserwatorium.downloads.meta import TableMeta, flat, table_schema_type

PACKAGE_PROFILE = "tabular-data-package"


@dataclass(frozen=True)
class Resource:
    """One table of a package, with its metadata."""

    frame: pl.DataFrame
    meta: TableMeta


def resource_name(name: str) -> str:
    """A Frictionless resource name: lower case letters, digits and - . _ only."""
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "table"


def table_schema(frame: pl.DataFrame, meta: TableMeta) -> dict[str, Any]:
    """A Table Schema for the CSV form of the frame (lists become space-joined strings)."""
    described = {f.name: f for f in meta.fields}
    fields = []
    for name, dtype in flat(frame).schema.items():
        entry: dict[str, Any] = {"name": name, "type": table_schema_type(dtype)}
        if name in described:
            entry["title"] = described[name].title or name
            if described[name].description:
                entry["description"] = described[name].description
        fields.append(entry)
    return {"fields": fields}


def descriptor(*, name: str, title: str, licence: str, created: str, resources: Iterable[Resource],
               sources: Iterable[dict[str, str]] = (), description: str = "") -> dict[str, Any]:
    """The datapackage.json descriptor for CSV resources stored under data/."""
    entries = []
    for resource in resources:
        slug = resource_name(resource.meta.name)
        entry: dict[str, Any] = {
            "name": slug, "path": f"data/{slug}.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "title": resource.meta.title,
            "schema": table_schema(resource.frame, resource.meta),
        }
        for key in ("description", "unit", "source", "licence", "retrieved"):
            value = getattr(resource.meta, key)
            if value:
                entry[key] = value
        if resource.meta.notes:
            entry["notes"] = dict(resource.meta.notes)
        if resource.meta.sources:
            # Frictionless `sources` (title, path), each with its batch id, kind, licence and retrieval date.
            entry["sources"] = [{key: value for key, value in dict(source).items() if value not in ("", None)}
                                for source in resource.meta.sources]
        entries.append(entry)
    return {
        "profile": PACKAGE_PROFILE, "name": resource_name(name), "title": title, "description": description,
        "created": created, "licenses": [{"name": licence, "title": licence}],
        "sources": list(sources), "resources": entries,
    }


def write_package(target: Path, package: dict[str, Any], resources: Iterable[Resource]) -> Path:
    """Write the package to a folder, or to a zip when `target` ends in .zip; return the target."""
    files = [(f"data/{resource_name(r.meta.name)}.csv", CsvWriter().write(r.frame, r.meta)) for r in resources]
    document = json.dumps(package, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("datapackage.json", document)
            for path, content in files:
                archive.writestr(path, content)
        return target
    (target / "data").mkdir(parents=True, exist_ok=True)
    (target / "datapackage.json").write_bytes(document)
    for path, content in files:
        (target / path).write_bytes(content)
    return target

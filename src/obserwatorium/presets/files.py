"""Where presets live, and how their data files are read and checked against a schema before anything is written."""

from __future__ import annotations

import csv
import difflib
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from django.utils.translation import gettext as _
from pydantic import BaseModel, ValidationError

PRESETS_DIR = Path(__file__).resolve().parent


class PresetError(Exception):
    """Problems found in a preset's files, each naming the file, the line and the key."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Part:
    """A file of a preset folder (or every file a pattern matches) and the schema it follows (a row's, for CSV)."""

    pattern: str
    schema: type[BaseModel]
    required: bool = False

    @property
    def many(self) -> bool:
        return any(mark in self.pattern for mark in "*?[")


def preset_dir(name: str) -> Path:
    """The folder of the preset with this name."""
    path = PRESETS_DIR / name
    if not (path / "units.csv").exists():
        raise FileNotFoundError(_("No preset named %(name)s in %(folder)s") % {"name": name, "folder": PRESETS_DIR})
    return path


def shown_path(path: Path) -> str:
    """A preset file's name as messages show it: from `presets/` when it is one of the package's."""
    try:
        return str(path.relative_to(PRESETS_DIR.parent))
    except ValueError:
        return str(path)


def read_part(*, folder: Path, part: Part) -> tuple[Any, list[str]]:
    """The part's checked data (None when an optional file is absent; a list for a pattern) and its problems."""
    paths = sorted(folder.glob(part.pattern)) if part.many else [folder / part.pattern]
    paths = [path for path in paths if path.is_file()]
    if not paths:
        problems = [_("%(file)s: no such file (the preset needs it)") % {"file": shown_path(folder / part.pattern)}]
        return None, problems if part.required else []
    documents, problems = [], []
    for path in paths:
        document, found = read_csv(path, part.schema) if path.suffix == ".csv" else read_yaml(path, part.schema)
        documents.append(document)
        problems += found
    return (documents if part.many else documents[0]), problems


def read_yaml(path: Path, schema: type[BaseModel]) -> tuple[Any, list[str]]:
    """A YAML file's data and the problems of its check against the schema (strict types, no unknown keys)."""
    text = path.read_text(encoding="utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 1
        return None, [_("%(file)s, line %(line)s: not valid YAML: %(problem)s") % {
            "file": shown_path(path), "line": line, "problem": error.problem}]
    try:
        schema.model_validate(data, strict=True)
    except ValidationError as error:
        return data, _problems(error, path, schema, lambda loc: _yaml_line(node, loc))
    return data, []


def read_csv(path: Path, schema: type[BaseModel]) -> tuple[list[dict[str, str]], list[str]]:
    """A CSV file's rows and the problems of each row's check against the schema (line 1 is the header)."""
    rows, lines, problems = [], [], []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            rows.append(row)
            lines.append(reader.line_num)
    for row, line in zip(rows, lines, strict=True):
        try:
            schema.model_validate(row)
        except ValidationError as error:
            problems += _problems(error, path, schema, lambda loc, at=line: (at, str(loc[-1]) if loc else ""),
                                  header={"extra_forbidden", "missing"})
    return rows, list(dict.fromkeys(problems))


def _problems(error: ValidationError, path: Path, schema: type[BaseModel], line_of: Any,
              header: set[str] | None = None) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        line, found_key = line_of(loc)
        if header and item["type"] in header:
            line = 1  # an unknown or missing column is a mistake of the header
        key = str(loc[-1]) if loc and item["type"] in ("extra_forbidden", "missing") else found_key or ""
        problems.append(_describe(item, file=shown_path(path), line=line, key=key,
                                  known=_fields_at(schema, [str(p) for p in loc[:-1]])))
    return problems


def _describe(item: Any, *, file: str, line: int, key: str, known: set[str]) -> str:
    values = {"file": file, "line": line, "key": key}
    kind = item["type"]
    if kind == "extra_forbidden":
        hints = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.7)
        if hints:
            return _("%(file)s, line %(line)s: unknown key '%(key)s' (did you mean '%(hint)s'?)") % {
                **values, "hint": hints[0]}
        return _("%(file)s, line %(line)s: unknown key '%(key)s'") % values
    if kind == "missing":
        return _("%(file)s, line %(line)s: missing required key '%(key)s'") % values
    expected = _expected(kind)
    if expected:
        return _("%(file)s, line %(line)s: '%(key)s' should be %(expected)s") % {**values, "expected": expected}
    return _("%(file)s, line %(line)s: '%(key)s' is not valid: %(detail)s") % {**values, "detail": item["msg"]}


def _expected(kind: str) -> str:
    family = kind.split("_")[0]
    return {
        "int": _("a whole number"), "float": _("a number"), "string": _("text"), "bool": _("true or false"),
        "list": _("a list"), "tuple": _("a list"), "dict": _("a mapping (key: value)"),
        "model": _("a mapping (key: value)"), "date": _("a date (YYYY-MM-DD)"),
    }.get(family, "")


def _yaml_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[int, str]:
    """The line of the value at `loc` (the key's line; for a missing key, its mapping's) and the last key found."""
    line, key = (node.start_mark.line + 1 if node is not None else 1), ""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            node, line, key = match[1], match[0].start_mark.line + 1, str(part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break  # a union's member name, or a value that is not a collection
    return line, key


def _fields_at(schema: Any, loc: list[str]) -> set[str]:
    """The field names of the model at `loc` in the schema (keys a misspelt key is compared with)."""
    annotation = schema
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(part)
            annotation = field.annotation if field else None
        elif get_origin(annotation) in (list, tuple, dict):
            annotation = get_args(annotation)[-1] if get_args(annotation) else None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return set(annotation.model_fields)
    return set()


def _unwrap(annotation: Any) -> Any:
    """The annotation without its `| None`."""
    if get_origin(annotation) in (Union, types.UnionType):
        members = [arg for arg in get_args(annotation) if arg is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation
